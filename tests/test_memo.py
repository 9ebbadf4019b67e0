"""The bounded memos: answers made once per key, never more than the limit kept."""

from pipeline.memo import kept, kept_by_id


def test_kept_makes_an_answer_once_and_empties_at_its_limit():
    memo, made = {}, []

    def make(key):
        made.append(key)
        return None if key == "n" else key.upper()

    got = [kept(memo, key, 3, lambda key=key: make(key)) for key in ["a", "b", "a", "n", "n", "c", "a"]]
    assert got == ["A", "B", "A", None, None, "C", "A"]
    # (None is an answer kept too; at 3 answers the memo is emptied before "c" is kept)
    assert made == ["a", "b", "n", "c", "a"]
    assert len(memo) <= 3


def test_kept_by_id_answers_by_identity_and_keeps_the_object():
    memo, made = {}, []
    first, equal = ("x", "y"), tuple(["x", "y"])
    assert first == equal and first is not equal
    for obj in [first, first, equal, first]:
        kept_by_id(memo, obj, 8, lambda obj=obj: made.append(obj) or len(made))
    assert [m is first for m in made] == [True, False]  # equal objects: answers of their own
    assert kept_by_id(memo, first, 8, lambda: -1) == 1
    assert all(v[0] is (first if k == id(first) else equal) for k, v in memo.items())
