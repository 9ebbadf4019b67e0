"""Places: the place phrases of a text, found only where a level word opens, are the ones the
pattern finds scanning the whole text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.fm_rules import fm_rules
from pipeline.extract.places import (
    _hidden_by_lower,
    _level_openings,
    parse_place,
    place_phrases,
    province_mentions,
    text_places,
)
from pipeline.rules import Rules, load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


TEXTS = [
    "UBND TỈNH LẠNG SƠN và Thành  Phố Hà Nội, thị xã Sơn Tây, THÀNH PHỐ HỒ CHÍ MINH",
    "xã Tỉnh Lạng Sơn tỉnh Cao Bằng; Phường 3, đặc khu Phú Quốc; xãtỉnh Nghệ An",
    "hoàn thành tốt; chỉ thị số 5; tỉnh; tỉnh\nBắc Ninh",
    "İ đứng trước: tỉnh Lạng Sơn (lower() gives two characters)",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_place_phrases_are_the_whole_scans(rules, text):
    whole = [(m.span(), m["level"], m["name"]) for m in fm_rules(rules).place_phrase.finditer(text)]
    assert [(m.span(), m["level"], m["name"]) for m in place_phrases(text, rules)] == whole


def test_level_openings_are_the_first_words_of_the_levels(rules):
    words, odd = _level_openings(rules)
    assert {"tỉnh", "thành", "xã", "thị", "đặc"} <= set(words)
    assert "phố" not in words  # (only first words: `thành phố` opens with `thành`)
    assert odd is None  # no character hides a Vietnamese level word from lower()


def test_a_letter_hidden_from_lower_is_found():
    # the Kelvin sign lower-cases to k; the dotted capital I, matched to i ignoring case, does not
    assert _hidden_by_lower("k") is None
    odd = _hidden_by_lower("i")
    assert odd is not None and odd.search("Tİ") is not None


def test_province_mentions_count_province_levels_only(rules):
    counts = province_mentions("tỉnh Lạng Sơn, TỈNH LẠNG SƠN và xã Nhân Lý, tỉnh Hà Nam", rules)
    assert sorted(counts.values()) == [1, 2]


def test_a_level_added_to_the_rules_opens_phrases_too(rules):
    fm = dict(rules["frontmatter"])
    fm["place_levels"] = {**fm["place_levels"], "khu vực": "district"}
    other = Rules(rules.dir, {**rules.data, "frontmatter": fm}, rules.mandates)
    assert "khu" in _level_openings(other)[0]
    text = "tại Khu  vực Tây Nguyên và tỉnh Gia Lai"
    got = [m.group(0) for m in place_phrases(text, other)]
    assert got == ["Khu  vực Tây Nguyên", "tỉnh Gia Lai"]
    assert got == [m.group(0) for m in fm_rules(other).place_phrase.finditer(text)]


@pytest.mark.parametrize("text,province", [
    ("UBND tỉnh Quảng Ngãi; TỈNH QUẢNG NGÃI và tỉnh Bắc Ninh", "Quảng Ngãi"),
    ("İ tỉnh Hà Nam, tỉnh Hà Nam, tỉnh Lạng Sơn", "Hà Nam"),  # scanned whole; an old province stays
    ("tỉnh Bắc Ninh Ninh Bình, tỉnh Bắc Ninh mới, tỉnh Ninh Bình", "Bắc Ninh"),  # the longest name run
    ("huyện Sơn Tây, thành phố Hà Nội", None),  # (a city is not a tỉnh)
])
def test_written_province_is_the_province_named_most(rules, text, province):
    """ref_issuers.written_province reads the place phrases (found where a level word opens)."""
    from pipeline.extract.ref_issuers import written_province

    assert written_province(text, rules) == province


def test_a_kept_place_is_shared_and_cannot_be_changed():
    import dataclasses

    first = parse_place("xã", "Nhân Lý UBND")
    assert parse_place("xã", "Nhân Lý UBND") is first  # kept per (level, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "Khác"  # type: ignore[misc]


def _slice_scan(text, rules, start):
    return [(m.start() + start, m.end() + start, m["level"], m["name"])
            for m in place_phrases(text[start:], rules)]


@pytest.mark.parametrize("text", TEXTS)
def test_text_places_from_a_start_are_the_scan_of_the_rest(rules, text):
    """text_places reads a text's phrases once and answers a later start from them: the same
    matches as a scan of the rest, also where a phrase runs across that start (`xã Tỉnh Lạng
    Sơn tỉnh Cao Bằng` from the `Tỉnh`)."""
    for start in range(len(text) + 1):
        got = [(m.start(), m.end(), m["level"], m["name"]) for m in text_places(text, rules, start)]
        assert got == _slice_scan(text, rules, start), start
        assert province_mentions(text, rules, start) == province_mentions(text[start:], rules)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["tỉnh", "Tỉnh", "xã", "XÃ", "thành phố", "Lạng", "Sơn", "Cao", "Bằng",
                                 "Hà", "Nội", "3", " ", "\n", ",", "|", "hoàn", "thành"]), max_size=30),
       st.integers(0, 200))
def test_text_places_on_made_text(text_words, start):
    rules = load_rules()
    text = " ".join(text_words)
    start = min(start, len(text))
    got = [(m.start(), m.end(), m["level"], m["name"]) for m in text_places(text, rules, start)]
    assert got == _slice_scan(text, rules, start)
