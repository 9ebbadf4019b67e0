"""language.word_counts: the words of a text counted per distinct token, as the plain scan counts them."""

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.language import _WORD, not_plan_text, word_counts
from pipeline.rules import load_rules


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
