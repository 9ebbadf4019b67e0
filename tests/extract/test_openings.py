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
