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
