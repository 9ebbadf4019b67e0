"""language.word_counts: the words of a text counted per distinct token, as the plain scan counts them."""

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import language
from pipeline.language import _WORD, not_plan_text, verdict, word_counts
from pipeline.rules import load_rules

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _plain(text, common):
    words = _WORD.findall(text)
    return len(words), sum(w.lower() in common for w in words)


def test_spaces_are_no_letters_and_letters_are_words():
    """Why a token may stand for its words: no space is in `_WORD`, every letter is."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if c.isspace():
            assert _WORD.match(c) is None, hex(cp)
        if c.isalpha():
            assert _WORD.fullmatch(c) is not None, hex(cp)


_COMMON = frozenset({"và", "của", "kế", "hoạch", "ủy", "i̇"})
_PIECES = st.sampled_from(["Và", "và", "của", "KẾ", "hoạch", "Ủy", "UBND", "2024", "_", "x1", "a_b", "(và)",
                           "và;", "İ", "ΑΣ", "Σ.", "½", "²", "o\u0301", " ", "  ", "\n", "\t", "\u00a0",
                           "\u2003", "\x1c", "\u3000", "-", "và-của", "đ"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_word_counts_are_the_plain_counts(text):
    assert word_counts(text, _COMMON) == _plain(text, _COMMON)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_word_counts_on_any_text(text):
    assert word_counts(text, _COMMON) == _plain(text, _COMMON)


def test_not_plan_text_fixtures():
    rules = load_rules()
    assert not_plan_text("", rules) == "no words"
    assert not_plan_text("The quick brown fox jumps over the lazy dog " * 5, rules) is not None
    plan = "Kế hoạch của Ủy ban nhân dân tỉnh về việc thực hiện các nhiệm vụ năm 2024."
    assert not_plan_text(plan, rules) is None
    assert word_counts("và và, và. Kế2024hoạch", frozenset({"và", "kế", "hoạch"})) == (5, 5)


# --- verdict: the count that stops once a plan is sure gives the whole count's verdict ---------


def _verdict_plain(text, common, min_words, min_share):
    n, hits = _plain(text, common)
    if n == 0:
        return "no words"
    if hits < min_words or hits < min_share * n:
        return f"{hits} of {n} words are common Vietnamese words"
    return None


def _verdict_chunked(text, common, min_words, min_share, chunk):
    old = language._CHUNK
    language._CHUNK = chunk
    try:
        return verdict(text, common, min_words, min_share)
    finally:
        language._CHUNK = old


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.integers(0, 4),
       st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.9, 1.0]), st.integers(1, 12))
def test_verdict_is_the_whole_count_verdict(text, min_words, min_share, chunk):
    assert _verdict_chunked(text, _COMMON, min_words, min_share, chunk) == \
        _verdict_plain(text, _COMMON, min_words, min_share)


def test_verdict_on_corpus_texts():
    rules = load_rules()
    common = language._common(rules)
    files = [f for d in (CORPUS, CORPUS.parent / "tests" / "data") for f in sorted(d.rglob("*"))
             if f.suffix in (".txt", ".md")]
    texts = [f.read_text(encoding="utf-8") for f in files]
    texts += [t[: len(t) // 7] + " the of and " * 400 for t in texts[:10]]  # a plan, then English
    assert len(texts) > 60
    for t in texts:
        for min_share in (0.05, 0.2, 0.45):
            assert verdict(t, common, 3, min_share) == _verdict_plain(t, common, 3, min_share)
    # a plan is sure before its end (the early stop is taken), English never is
    assert verdict(texts[0], common, 3, 0.05) is None
    assert verdict("The quick brown fox jumps over the lazy dog " * 200, common, 3, 0.05) is not None


def test_lowering_a_text_whole_lowers_its_words_as_they_are():
    """Why word_counts may lower a text without `İ` or `Σ` in one call: every other character
    lowers to one character, a letter to a letter and no letter to none, whatever stands
    around it; those two do not (`İ` → `i̇`, whose dot is no letter; `Σ` → `ς` at a word's end)."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        if c in language._CASE_IN_CONTEXT:
            continue
        assert len(low) == 1 and (_WORD.match(c) is None) == (_WORD.match(low) is None), hex(cp)
    assert len("İ".lower()) == 2 and "ΑΣΑ".lower()[1] != "ΑΣ".lower()[1]
