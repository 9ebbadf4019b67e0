"""Openings: a pattern tried only where its opening words stand finds what finditer finds."""

import random
import re

import pytest

from pipeline.extract.openings import Openings, openings_of

FLAGS = re.IGNORECASE

PATTERNS = [
    r"(?<!\w)(?:(?:gửi|nộp)\s+)?(?:trước|chậm\s+nhất(?:\s+là)?)\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})",
    r"(?<!\w)(?:(?:đến\s+hết|đến|trong)\s+)?năm\s+(?P<year>\d{4})(?!\d)",
    r"(?<!\w)(?:(?:giai\s+đoạn|từ\s+năm|năm)\s+)?(?P<y>(?:19|20)\d\d)\s*,?\s*(?:trở\s+đi)",
    r"(?<!\w)qu[ýí]\s+(?P<q>IV|III|II|I)",
    r"(?<!\w)(?:hằng|hàng|mỗi)\s+(?:năm|tháng|quý)(?!\w)",
    r"(?<!\w)sự\s+(?:kiện|việc)",  # `s`: the engine also reads `ſ` as one
    r"(?<!\w)(?:\d{1,2}|một|hai) lần",  # opens with a digit: scanned whole
]

WORDS = ["trước", "TRƯỚC", "Trước", "chậm nhất là", "gửi", "nộp", "năm", "NĂM", "đến hết", "trong",
         "giai đoạn", "từ năm", "2026", "1999", "trở đi", "Quý", "quí", "IV", "II", "hằng", "Hàng",
         "mỗi", "tháng", "sự", "SỰ", "kiện", "việc", "một", "2 lần", "x", "30/6", ",", "\n", "  ", "(",
         "a"]
ODD = ["ſự", "İ", "ı"]  # read otherwise by lower() than by the engine: the text is scanned whole


def _text(rng: random.Random, n: int) -> str:
    words = WORDS + ODD if rng.random() < 0.3 else WORDS
    return " ".join(rng.choice(words) for _ in range(n))


def _spans(it) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in it]


@pytest.mark.parametrize("source", PATTERNS)
def test_same_matches_as_finditer(source):
    pat = re.compile(source, FLAGS)
    rng = random.Random(source)
    for _ in range(300):
        text = _text(rng, rng.randint(0, 40))
        starts = Openings(text)
        if not any(w in text for w in ODD) and openings_of(pat) is not None:
            assert starts.starts(pat) is not None  # the opening words were used
        assert _spans(starts.finditer(pat)) == _spans(pat.finditer(text))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        assert _spans(starts.finditer(pat, text, lo, hi)) == _spans(pat.finditer(text, lo, hi))
        # a masked copy: spans blanked to \x00 (what earlier passes took)
        masked = list(text)
        for _ in range(3):
            s = rng.randint(0, len(text))
            e = min(len(text), s + rng.randint(0, 8))
            masked[s:e] = "\x00" * (e - s)
        masked = "".join(masked)
        assert _spans(starts.finditer(pat, masked)) == _spans(pat.finditer(masked))


def test_openings_read_from_the_pattern():
    pat = re.compile(r"(?<!\w)(?:(?:gửi|nộp)\s+)?(?:Trước|chậm\s+nhất)\s+\d", FLAGS)
    assert openings_of(pat) == ("chậm", "gửi", "nộp", "trước")
    assert openings_of(re.compile(r"qu[ýí]\s+", FLAGS)) == ("quí", "quý")
    assert openings_of(re.compile(r"(?:\d{1,2}|một) lần", FLAGS)) is None  # a digit may open it
    assert openings_of(re.compile(r"(?:năm)?", FLAGS)) is None  # may match nothing


def test_a_character_lower_does_not_read_as_the_engine_does_scans_whole():
    pat = re.compile(r"(?<!\w)sự\s+kiện", FLAGS)
    text = "ſự kiện và SỰ KIỆN"  # the engine matches `ſ` to `s` ignoring case; lower() keeps it
    assert Openings(text).starts(pat) is None
    assert _spans(Openings(text).finditer(pat)) == _spans(pat.finditer(text))
    text = "İ năm 2026"  # lower() makes two characters of one: positions would shift
    year = re.compile(r"năm\s+\d{4}", FLAGS)
    assert Openings(text).starts(year) is None
    assert [m.span() for m in Openings(text).finditer(year)] == [(2, 10)]


SKIPPED = [
    r"(?<!\w)(?:(?:\d{1,2}|một|hai|ba)\s+lần\s*(?:/|mỗi|trong)\s*)(?P<f>năm|tháng)",
    r"(?<!\w)[a-cđ\d]+\s*(?:x|\.)|(?<=\s)sự",
    r"\b(?:Kế|KẾ)\s+hoạch\b|[IVX]+\.",
    r"(?:(?:ngày\s+)?\d{1,2}\s*/\s*)?\d{4}  # a year  ",
    r"(?<![\w/])\s*(?:từ|tới)\b",
]


@pytest.mark.parametrize("source", SKIPPED)
def test_a_pattern_skipped_to_its_first_letters_finds_what_finditer_finds(source):
    """Where no opening words can be read, the text is scanned with the class of the first
    characters looked ahead (skipping): the same matches, ignoring case or not."""
    from pipeline.extract.openings import skipping

    words = WORDS + ODD + ["Kế hoạch", "KẾ HOẠCH", "kế hoạch", "II.", "x", "đ3", "ba lần/năm", "K", "\u212a",
                           "12 lần mỗi tháng", "ſự", "SỰ", "từ", "TỪ", "/từ", "\u0130", "٣ lần trong năm"]
    for flags in (FLAGS, 0):
        pat = re.compile(source, flags | (re.VERBOSE if "#" in source else 0))
        fast = skipping(pat)
        assert fast is not None and fast.pattern.startswith("(?=[")
        rng = random.Random(source)
        for _ in range(300):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
            lo = rng.randint(0, len(text))
            hi = rng.randint(lo, len(text))
            assert _spans(fast.finditer(text, lo, hi)) == _spans(pat.finditer(text, lo, hi))
            assert _spans(Openings(text).finditer(pat, text, lo, hi)) == _spans(pat.finditer(text, lo, hi))


def test_the_class_looked_ahead_matches_what_the_first_items_match():
    """Over every character of the basic plane, ignoring case as the pattern does."""
    import sys

    from pipeline.extract.openings import skipping

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    for source, items in [(r"(?<!\w)(?:\d{1,2}|một|hai|ba)\s+lần", [r"\d", "m", "h", "b"]),
                          (r"(?:[a-cđ]|sự|K)x", ["[a-c]", "đ", "s", "K"])]:
        for flags in (re.IGNORECASE, 0):
            cls = skipping(re.compile(source, flags)).pattern.split("(?:")[0][3:-1]
            want = set()
            for item in items:
                want |= set(re.findall(item, every, flags))
            assert set(re.findall(cls, every, flags)) == want, (source, flags, sys.maxunicode)
    assert skipping(re.compile(r"a?b?")) is None  # may match nothing
    assert skipping(re.compile(r"[^a]b")) is None  # a negated class: not read
    assert skipping(re.compile(r"(?i)ab")) is None  # global flags stay first: scanned as it is


# --- the one walker of the parsed pattern against the two it replaced ----------------------

def _walk_before(seq, acc, C):
    """openings._walk before the walker took its leaf as a function (opening words)."""
    from pipeline.extract.openings import _LONGEST

    if len(acc) >= _LONGEST or not seq:
        return {acc} if acc else None
    op, av = seq[0]
    rest = seq[1:]
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _walk_before(rest, acc, C)
    if op is C.LITERAL:
        ch = chr(av).lower()
        if len(ch) != 1:
            return {acc} if acc else None
        return _walk_before(rest, acc + ch, C)
    if op is C.IN and av and all(o is C.LITERAL for o, _ in av):
        out = set()
        for _, v in av:
            got = _walk_before([(C.LITERAL, v)] + rest, acc, C)
            if got is None:
                return None
            out |= got
        return out
    if op is C.SUBPATTERN:
        return _walk_before(list(av[-1].data) + rest, acc, C)
    if op is C.ATOMIC_GROUP:
        return _walk_before(list(av.data) + rest, acc, C)
    if op is C.BRANCH:
        out = set()
        for alt in av[1]:
            got = _walk_before(list(alt.data) + rest, acc, C)
            if got is None:
                return None
            out |= got
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, item = av
        first = _walk_before(list(item.data) + (rest if hi == 1 else []), acc, C)
        if lo > 0:
            return first
        skipped = _walk_before(rest, acc, C)
        if first is None or skipped is None:
            return None
        return first | skipped
    return {acc} if acc else None


def _first_before(seq, C):
    """openings._first before the walker took its leaf as a function (first characters)."""
    from pipeline.extract.openings import _CATEGORIES

    if not seq:
        return None
    op, av = seq[0]
    rest = seq[1:]
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _first_before(rest, C)
    if op is C.LITERAL:
        return {re.escape(chr(av))}
    if op is C.IN:
        out = set()
        for o, v in av:
            if o is C.LITERAL:
                out.add(re.escape(chr(v)))
            elif o is C.RANGE:
                out.add(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
            elif o is C.CATEGORY and v in _CATEGORIES:
                out.add(_CATEGORIES[v])
            else:
                return None
        return out
    if op is C.SUBPATTERN:
        return _first_before(list(av[-1].data) + rest, C)
    if op is C.ATOMIC_GROUP:
        return _first_before(list(av.data) + rest, C)
    if op is C.BRANCH:
        out = set()
        for alt in av[1]:
            got = _first_before(list(alt.data) + rest, C)
            if got is None:
                return None
            out |= got
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, item = av
        first = _first_before(list(item.data) + (rest if hi == 1 else []), C)
        if lo > 0:
            return first
        skipped = _first_before(rest, C)
        if first is None or skipped is None:
            return None
        return first | skipped
    return None


WALKED = PATTERNS + SKIPPED + [
    r"(?>trước|sau)\s+\d", r"(?:ab)*+c", r"(?:năm)?", r"a{0,3}?b", r"x{2,}", r"(?:qu[ýí]|[a-c])\w",
    r"\bKẾ\s+HOẠCH", r"[^a]b", r"(?=đ)đến", r"ﬀabcdefgh", r"(?:một|hai|ba|bốn|năm)\s+(?:lần|đợt)\s*/\s*năm",
    r"(?:(?:a|b)|(?:c|\d))(?:x|y)?z", r"İa", r"\d+|", r"abcdefghij",
]


@pytest.mark.parametrize("source", WALKED)
def test_one_walker_reads_the_openings_and_first_characters_the_two_before_did(source):
    from re import _constants as C
    from re import _parser

    from pipeline.extract.openings import _first, _walk, _words, skipping

    skipping(re.compile("a"))  # (fills the classes of categories)
    for flags in (FLAGS, 0):
        seq = list(_parser.parse(source, flags).data)
        assert _walk(seq, "", _words, C) == _walk_before(seq, "", C), (source, flags)
        assert _walk(seq, "", _first, C) == _first_before(seq, C), (source, flags)


def test_a_pattern_whose_openings_cannot_be_told_is_tried_nowhere_without_what_it_holds():
    """`02 lần/năm` may open with any digit, but every match holds `lần`: a text without it
    (in any case) has no match, and one with it is tried just before the white space before
    each `lần` (what may stand before it is at most three characters wide: `anchor_of`)."""
    from pipeline.extract.openings import required_of

    src = r"(?<!\w)(?:(?:\d{1,2}|một|hai|ba)\s+lần\s*(?:/|mỗi|trong)\s*)(?P<f>năm|tháng)"
    assert required_of(re.compile(src, FLAGS)) == "lần"
    assert required_of(re.compile(r"\d+(?:ab|cd)", FLAGS)) is None  # no run of three
    assert required_of(re.compile(r"\d+(?:x\s)?Năm\b", 0)) == "năm"  # (not in the optional group)
    assert required_of(re.compile(r"\d(?=abc)", FLAGS)) is None  # a look-ahead takes nothing
    for flags in (FLAGS, 0):
        pat = re.compile(src, flags)
        assert Openings("2 lượt/năm, 3 lầm mỗi năm").starts(pat) == []
        for text in ("2 lần/năm", "HAI LẦN MỖI THÁNG", "ba Lần trong năm", "ſ 2 lần/năm"):
            starts = Openings(text).starts(pat)
            assert starts is not None and len(starts) <= 5
            assert _spans(Openings(text).finditer(pat)) == _spans(pat.finditer(text))
