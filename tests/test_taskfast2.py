"""Fast paths of the task, theme, deadline and target stages against their plain forms."""

import importlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

_targets = importlib.import_module("pipeline.extract.targets")


def _plain_numbers(text: str) -> list[tuple[int, int]]:
    """The numbers _candidates reads, as it found them before: every _NUMBER, then those
    with a letter, digit, `/`, `.` or `,` before or a `/` after dropped."""
    out = []
    for m in _targets._NUMBER.finditer(text):
        s, e = m.span()
        if (s and (text[s - 1].isalnum() or text[s - 1] in "/.,")) or text[e:e + 1] == "/":
            continue
        out.append((s, e))
    return out


_NUMBERISH = st.text(alphabet=list("0123456789٣.,/ -_aĐ%\n"), max_size=40)


@settings(max_examples=800, deadline=None)
@given(_NUMBERISH)
def test_free_numbers_are_the_numbers_kept_before(text):
    assert [m.span() for m in _targets._FREE_NUMBER.finditer(text)] == _plain_numbers(text)


def test_free_numbers_fixtures():
    for text in ("1.5/2 và 12", "số 123/KH-UBND ngày 15/6/2025", "a12 _3 ,4 .5 đạt 90%", "2026",
                 "1.000,5 người; 0243.8252.111", "x1.2. 3,", ""):
        assert [m.span() for m in _targets._FREE_NUMBER.finditer(text)] == _plain_numbers(text), text


_openings = importlib.import_module("pipeline.extract.openings")
_grammar = importlib.import_module("pipeline.extract.deadline_grammar")


def _anchored_patterns():
    from pipeline.rules import load_rules

    return [_grammar.grammar(load_rules()).times_per,
            re.compile(r"(?<!\w)(?:\d{1,2}|ab|c)\s*xyz\w*", re.IGNORECASE),
            re.compile(r"[^a]?\s+?lần(?:\s+\d+)?"),
            re.compile(r"(?:hai|\d)\s+LẦN\s*/\s*tháng", re.IGNORECASE)]


def test_anchor_of_reads_the_part_before_the_white_space():
    pats = _anchored_patterns()
    assert _openings.anchor_of(pats[0]) == ("lần", 3)
    assert _openings.anchor_of(pats[1]) == ("xyz", 2)
    assert _openings.anchor_of(pats[2]) == ("lần", 1)
    assert _openings.anchor_of(re.compile(r"\w+\s+lần")) is None  # a part of any width before
    assert _openings.anchor_of(re.compile(r"\d\s+l")) is None  # too short a literal


_TIMES = st.lists(st.sampled_from(["lần", "LẦN", "Lần", "xyz", "XYZ", "12", "3", "một", "hai", "ab", "c",
                                   " ", "  ", "\n", "\t", "/", "tháng", "năm", "ngày", "mỗi", "a", "đ",
                                   "\x00", "ſ", ","]), max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TIMES, st.integers(0, 5))
def test_anchored_starts_find_the_matches_a_scan_finds(text, cut):
    text = "x" * 2100 + text  # (the deadline scan asks a plan's long text)
    masked = text[:2100 + cut] + "\x00" * min(cut, len(text) - 2100 - cut) + text[2100 + 2 * cut:]
    masked = masked[:len(text)].ljust(len(text), "\x00")
    for pat in _anchored_patterns():
        starts = _openings.Openings(text)
        for s in (text, masked):
            assert [m.span() for m in starts.finditer(pat, s)] == [m.span() for m in pat.finditer(s)]
        assert [m.span() for m in starts.finditer(pat, None, 2101, len(text) - 1)] == \
            [m.span() for m in pat.finditer(text, 2101, len(text) - 1)]


def test_anchored_starts_are_few():
    pat = _anchored_patterns()[0]
    text = "x" * 2100 + " 2 lần/tháng, hai  Lần mỗi tuần"
    starts = _openings.Openings(text).starts(pat)
    assert starts is not None and 2101 in starts and text.index("hai") in starts and len(starts) < 12
    got = [m.span() for m in _openings.Openings(text).finditer(pat)]
    assert got == [m.span() for m in pat.finditer(text)]
    assert len(list(pat.finditer(text))) == 2


_wordseg = importlib.import_module("pipeline.extract.wordseg")
_ANY_PAIR = re.compile(r"([oOuU])(?<![qQ].)(?<![gG][uU])([^\W\d_])(?=[^\w]|$)")


def test_the_letters_whose_tone_moves_are_every_such_letter():
    """Every letter after which _move_tone changes a pair (its NFD opens with a, e or y: the
    others keep their pair) is one of _MOVED_LETTERS, and each of those is such a letter."""
    import unicodedata

    moved = set()
    for cp in range(0x110000):
        c = chr(cp)
        if unicodedata.normalize("NFD", c)[:1] in ("a", "e", "y", "A", "E", "Y") and c.isalpha() \
                and any(_wordseg._move_tone(f + c) != f + c for f in "oOuU"):
            moved.add(c)
    assert moved == set(_wordseg._MOVED_LETTERS)


_TONES = st.text(alphabet=list("oOuUqQgGaAeEyYáÁèýỶạẹỹ n_1-\nđ"), max_size=40)


@settings(max_examples=800, deadline=None)
@given(_TONES)
def test_retone_is_the_pass_over_every_pair(text):
    assert _wordseg.retone(text) == _ANY_PAIR.sub(_wordseg._moved, text)


def test_retone_fixtures():
    for text in ("Văn hoá, Uỷ ban, thuý, quý, Hoà Bình, khoẻ, HOÁ, guỳ", "hóa mới", ""):
        assert _wordseg.retone(text) == _ANY_PAIR.sub(_wordseg._moved, text)
