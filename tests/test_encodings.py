"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI, Windows-1258 and misread UTF-8."""

import re
import unicodedata

import pytest
from conftest import CORPUS

from pipeline.encodings import (
    decode_legacy_bytes,
    fix_legacy,
    from_tcvn3,
    from_vni,
    is_syllable,
    to_cp1258,
    to_tcvn3,
    to_vni,
)

SEEDS = sorted(CORPUS.glob("*.txt"))


def seed(i: int) -> str:
    return unicodedata.normalize("NFC", SEEDS[i].read_text(encoding="utf-8"))


def test_tables_match_known_font_text():
    # text as it shows when a .VnTime / VNI-Times document is opened without the font
    assert to_tcvn3("Kế hoạch thực hiện") == "KÕ ho¹ch thùc hiÖn"
    assert to_tcvn3("Hà Nội, Đồng Việt, Chương trình") == "Hµ Néi, §ång ViÖt, Ch\xad¬ng tr×nh"
    assert to_vni("Kế hoạch thực hiện") == "Keá hoaïch thöïc hieän"
    assert to_vni("Đường, ỵ, ĩ") == "Ñöôøng, î, ó"
    assert from_tcvn3("Uû ban nh©n d©n") == "Uỷ ban nhân dân"
    assert from_vni("Uûy ban nhaân daân") == "Ủy ban nhân dân"


def test_every_vietnamese_letter_round_trips_through_vni():
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    for word in (letters, letters.upper()):
        assert from_vni(to_vni(word)) == word


@pytest.mark.parametrize("i", range(len(SEEDS)))
def test_seed_round_trips_through_vni(i):
    text = seed(i)
    back, enc = fix_legacy(to_vni(text))
    assert enc == "vni"
    assert back == text


@pytest.mark.parametrize("i", range(len(SEEDS)))
def test_seed_round_trips_through_tcvn3(i):
    text = seed(i)
    back, enc = fix_legacy(to_tcvn3(text))
    assert enc == "tcvn3"
    # TCVN3 has no code for a capital toned vowel: a title-case word that starts with one
    # (`Ủy`) cannot be told from lower case; everything else comes back exactly, capitals
    # of all-capital headings included.
    assert back.lower() == text.lower()
    diffs = {(a, b) for a, b in zip(text.split(), back.split(), strict=True) if a != b}
    for orig, got in diffs:
        assert got == orig[0].lower() + orig[1:], (orig, got)
        assert orig[1:] != orig[1:].upper()
    for orig_line, got_line in zip(text.splitlines(), back.splitlines(), strict=True):
        if orig_line.isupper():
            assert got_line == orig_line


def test_tcvn3_capitals_come_from_the_words_around():
    cases = {
        "KẾ HOẠCH": "KẾ HOẠCH",
        "I. MỤC TIÊU, YÊU CẦU": "I. MỤC TIÊU, YÊU CẦU",
        "Ở CẤP XÃ": "Ở CẤP XÃ",
        "ĐỀ ÁN": "ĐỀ ÁN",
        "ỦY BAN NHÂN DÂN": "ỦY BAN NHÂN DÂN",
        # near misses: a capital next to an abbreviation is not an all-capitals line
        "Số: 12/KH-UBND": "Số: 12/KH-UBND",
        "Số: 1137/QĐ-TTg": "Số: 1137/QĐ-TTg",
        "UBND ở xã": "UBND ở xã",
        "Sở Y tế": "Sở Y tế",
        "Kế hoạch": "Kế hoạch",
    }
    for text, want in cases.items():
        assert from_tcvn3(to_tcvn3(text)) == want


def test_upper_case_font_gives_capitals():
    assert from_tcvn3("kÕ ho¹ch", upper=True) == "KẾ HOẠCH"


@pytest.mark.parametrize("i", range(len(SEEDS)))
def test_cp1258_bytes_decode_exactly(i):
    text = seed(i)
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert re.search(rb"[\xcc\xd2\xde\xec\xf2]", data)  # tone marks as separate characters
    back, enc = decode_legacy_bytes(data)
    assert enc == "cp1258"
    assert back == text


def test_legacy_bytes_are_told_apart():
    text = "Ủy ban nhân dân xã ban hành Kế hoạch thực hiện công tác phòng, chống mua bán người"
    assert decode_legacy_bytes(to_tcvn3(text).encode("cp1252"))[1] == "tcvn3"
    assert decode_legacy_bytes(to_vni(text).encode("cp1252")) == (text, "vni")
    assert decode_legacy_bytes(to_cp1258(text)) == (text, "cp1258")


@pytest.mark.parametrize("i", range(len(SEEDS)))
def test_unicode_text_is_left_alone(i):
    text = seed(i)
    assert fix_legacy(text) == (text, None)


def test_unicode_with_latin1_symbols_is_left_alone():
    # near misses: real Unicode that carries characters legacy fonts also use
    for text in ("Nhiệt độ 30°C, các cơ quan", "Điều 5 § 2 «Luật» ½ kinh phí", "Café, résumé · Hà Nội",
                 "Tỷ lệ ≥ 90%; Mục tiêu ± 5", "Ông Nguyễn Văn Á"):
        assert fix_legacy(text) == (text, None)


def test_utf8_read_as_windows_1252_is_repaired():
    text = "Kế hoạch phòng, chống mua bán người năm 2026"
    # as Windows shows it: cp1252 where it has a character, the C1 control where not
    garbled = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    assert fix_legacy(garbled) == (text, "utf-8")


def test_mixed_document_converts_only_legacy_lines():
    legacy = to_tcvn3("Ủy ban nhân dân xã ban hành Kế hoạch thực hiện như sau:")
    text = "Kế hoạch phòng, chống mua bán người\n" + legacy + "\nCác cơ quan, đơn vị liên quan"
    fixed, enc = fix_legacy(text)
    assert enc == "tcvn3"
    assert fixed.splitlines() == ["Kế hoạch phòng, chống mua bán người",
                                  "ủy ban nhân dân xã ban hành Kế hoạch thực hiện như sau:",
                                  "Các cơ quan, đơn vị liên quan"]


def test_syllables():
    for word in ("nghiêng", "Người", "KHUYẾN", "quyết", "gì", "Đắk", "hoá", "hóa", "ươu"):
        assert is_syllable(word), word
    for word in ("hiÖn", "ho¹ch", "Keá", "thöïc", "QĐ", "viêtt", "hóà"):
        assert not is_syllable(word), word
