"""Clean stage: normalization, markup, chrome, reflow, offsets and idempotence."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean import clean, clean_text
from pipeline.records import RawDoc

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"


def ct(text, rules):
    return clean_text(text, rules=rules)[0]


# --- characters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Cụ thể hoá", "Cụ thể hóa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN", "ỦY BAN"),
        ("thuỷ sản", "thủy sản"),
        ("sức khoẻ", "sức khỏe"),
        ("Hoà Xá", "Hòa Xá"),
        ("tuỳ theo", "tùy theo"),
        # near-misses: the tone is already where it belongs
        ("quý I", "quý I"),
        ("quỳ", "quỳ"),
        ("già", "già"),
        ("quá trình", "quá trình"),
        ("hoài", "hoài"),
        ("toán", "toán"),
        ("hóa học", "hóa học"),
    ],
)
def test_tone_placement(rules, raw, expected):
    assert ct(raw, rules) == expected


def test_nfc_and_odd_spaces(rules):
    decomposed = unicodedata.normalize("NFD", "Kế hoạch hoá\u00a0số\u200b 68")
    out = ct(decomposed, rules)
    assert out == "Kế hoạch hóa số 68"
    assert unicodedata.is_normalized("NFC", out)


def test_dashes_kept(rules):
    assert ct("Văn hóa – Xã hội; kinh tế - xã hội", rules) == "Văn hóa – Xã hội; kinh tế - xã hội"


# --- markup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("#### I. MỤC ĐÍCH YÊU CẦU", "I. MỤC ĐÍCH YÊU CẦU"),
        ("### **III. NHIỆM VỤ**", "III. NHIỆM VỤ"),
        ("**\\* Phân công:**", "* Phân công:"),  # a bullet: its marker stays
        ("***Nơi nhận:***", "Nơi nhận:"),
        ("Luật năm 2024 (*sửa đổi, bổ sung năm 2025*) và", "Luật năm 2024 (sửa đổi, bổ sung năm 2025) và"),
        ("- Lưu: VT, CVNC^{Tường}.", "- Lưu: VT, CVNCTường."),
        ("Luật Phòng, chống mua bán người^{1} năm 2024", "Luật Phòng, chống mua bán người năm 2024"),
        ("giá trị 5 \\* 3", "giá trị 5 * 3"),
        ("* Phân công: Công an xã chủ trì", "* Phân công: Công an xã chủ trì"),
    ],
)
def test_markup(rules, raw, expected):
    assert ct(raw, rules) == expected


def test_emphasis_across_a_wrapped_line(rules):
    raw = "hưởng ứng “Ngày thế giới\n\n*phòng, chống mua bán người*” hằng năm"
    assert ct(raw, rules) == "hưởng ứng “Ngày thế giới phòng, chống mua bán người” hằng năm"


# --- reflow ----------------------------------------------------------------------------

HARD_WRAPPED = """ KẾ HOẠCH \n\nThực hiện công tác hỗ trợ nạn nhân năm 2026  \n
trên địa bàn xã Đồng Việt  \n––––––––\n
Thực hiện Kế hoạch số 1748/KH-SYT ngày 09/4/2026 của Sở Y tế tỉnh \n
Bắc Ninh về thực hiện công tác hỗ trợ nạn nhân. \n
I. MỤC ĐÍCH, YÊU CẦU  \n\n- Nâng cao vai trò, trách nhiệm của cấp ủy đảng, chính quyền, ban, ngành, \n
đoàn thể trong công tác hỗ trợ nạn nhân bị mua bán. \n\n2. Công an xã \n
Chủ trì phối hợp với Phòng Văn hóa - Xã hội xã và các cơ quan, đơn vị có \n\nliên quan. \n
3. Phòng Kinh tế xã \n\nTham mưu UBND xã bố trí kinh phí. \n"""


def test_reflow_hard_wrapped_text(rules):
    lines = ct(HARD_WRAPPED, rules).split("\n")
    text_lines = [ln for ln in lines if ln]
    assert text_lines == [
        "KẾ HOẠCH",  # stays on its own line for the front matter
        "Thực hiện công tác hỗ trợ nạn nhân năm 2026 trên địa bàn xã Đồng Việt",
        "Thực hiện Kế hoạch số 1748/KH-SYT ngày 09/4/2026 của Sở Y tế tỉnh Bắc Ninh về thực hiện "
        "công tác hỗ trợ nạn nhân.",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao vai trò, trách nhiệm của cấp ủy đảng, chính quyền, ban, ngành, đoàn thể trong "
        "công tác hỗ trợ nạn nhân bị mua bán.",
        "2. Công an xã",  # a short heading is not joined to the paragraph under it
        "Chủ trì phối hợp với Phòng Văn hóa - Xã hội xã và các cơ quan, đơn vị có liên quan.",
        "3. Phòng Kinh tế xã",
        "Tham mưu UBND xã bố trí kinh phí.",
    ]


@pytest.mark.parametrize(
    "raw, expected",
    [
        # a wrapped heading goes on; a sentence end or a marker stops the paragraph
        ("6. Triển khai các chính sách, pháp luật liên quan đến phòng, chống\nmua bán người\n- Chủ động",
         "6. Triển khai các chính sách, pháp luật liên quan đến phòng, chống mua bán người\n- Chủ động"),
        ("nâng cao nhận thức.\nTổ chức tập huấn", "nâng cao nhận thức.\nTổ chức tập huấn"),
        ("Số: 68/KH-UBND\nNhân Lý, ngày 27 tháng 3 năm 2026",
         "Số: 68/KH-UBND\nNhân Lý, ngày 27 tháng 3 năm 2026"),
        ("II. NHIỆM VỤ, GIẢI PHÁP VÀ\nPHÂN CÔNG TRÁCH NHIỆM",
         "II. NHIỆM VỤ, GIẢI PHÁP VÀ PHÂN CÔNG TRÁCH NHIỆM"),
        ("giai đoạn 2021\n- 2025 và định hướng", "giai đoạn 2021 - 2025 và định hướng"),
        ("Điều\n1. Phê duyệt Chương trình", "Điều 1. Phê duyệt Chương trình"),
        ("định hướng đến năm\n2030", "định hướng đến năm 2030"),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(đã ký)", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(đã ký)"),
        ("ỦY\nBAN NHÂN DÂN\nTỈNH CÀ MAU", "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU"),
        ("báo cáo kết quả./.\nNơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
         "báo cáo kết quả./.\nNơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"),
        ("d) Làm tốt công tác nắm bắt, đáp ứng\n\nyêu cầu trước mắt.\n\nđ) Đề xuất",
         "d) Làm tốt công tác nắm bắt, đáp ứng yêu cầu trước mắt.\n\nđ) Đề xuất"),
    ],
)
def test_reflow_cases(rules, raw, expected):
    assert ct(raw, rules) == expected


def test_page_numbers_and_decoration_dropped(rules):
    raw = "thực hiện công tác phòng, chống\n\n12\n\nmua bán người.\n-------\n- 3 -\nTrang 4/10\nII. MỤC TIÊU"
    assert ct(raw, rules) == "thực hiện công tác phòng, chống mua bán người.\nII. MỤC TIÊU"


def test_page_break_joins_across(rules):
    assert ct("phòng, chống\f\nmua bán người.", rules) == "phòng, chống mua bán người."


# --- web copies ------------------------------------------------------------------------

WEB = """Để sử dụng toàn bộ tiện ích nâng cao của Hệ Thống Pháp Luật vui lòng đăng ký gói cước.
Kế hoạch 07/KH-UBND phòng, chống mại dâm trên địa bàn thành phố Hà Nội năm 2026
| Số hiệu | 07/KH-UBND |
| Ngày ban hành | 07/01/2026 |
| Loại văn bản | Kế hoạch |
| Người ký | Dương Đức Tuấn |
|
ỦY BAN NHÂN DÂN
|
CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM |
|
Số: 07/KH-UBND |
Hà Nội, ngày 07 tháng 01 năm 2026 |
PHÒNG, CHỐNG MẠI DÂM NĂM 2026
- 1 Nghị quyết 28/NQ-CP năm 2021 Chiến lược quốc gia về bình đẳng giới
Hệ thống pháp luật
"""


def test_web_chrome_and_header_tables(rules):
    out = ct(WEB, rules)
    lines = [ln for ln in out.split("\n") if ln]
    assert lines == [
        "Người ký",  # kept: the signer when the copy stops before the signature block
        "Dương Đức Tuấn",
        "ỦY BAN NHÂN DÂN",  # a cell of its own: never joined to the next cell
        "CỘNG HÒA XÃ HỘI",
        "CHỦ NGHĨA VIỆT NAM",
        "Số: 07/KH-UBND",
        "Hà Nội, ngày 07 tháng 01 năm 2026",
        "PHÒNG, CHỐNG MẠI DÂM NĂM 2026",
    ]


def test_web_table_row_of_two_cells(rules):
    out = ct("THỦ TƯỚNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
             "Số: 1137/QĐ-TTg | Hà Nội, ngày 13 tháng 6 năm 2025 |", rules)
    assert [ln for ln in out.split("\n") if ln] == [
        "THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 1137/QĐ-TTg", "Hà Nội, ngày 13 tháng 6 năm 2025",
    ]


def test_content_mentioning_a_website_word_is_kept(rules):
    line = "- Tuyên truyền trên trang thông tin điện tử, hướng dẫn người dân đăng nhập cổng dịch vụ công."
    assert ct(line, rules) == line


# --- offsets ---------------------------------------------------------------------------


def test_offsets_point_at_the_raw_characters(rules):
    raw = "## **I. MỤC TIÊU**\r\n\r\nCụ thể hoá   các\nnhiệm vụ"
    text, offs = clean_text(raw, rules=rules)
    assert text == "I. MỤC TIÊU\n\nCụ thể hóa các nhiệm vụ"
    assert len(offs) == len(text)
    for i, ch in enumerate(text):
        if ch.isalnum() and ch not in "óa":
            assert raw[offs[i]] == ch
    assert raw[offs[text.index("hóa")]] == "h"


def test_clean_record(rules):
    raw = RawDoc(doc_id="d1", source_path="x.txt", source_format="txt", status="ok", text="Uỷ ban\n")
    doc = clean(raw, rules=rules)
    assert doc.doc_id == "d1" and doc.text == "Ủy ban" and len(doc.raw_offsets) == len(doc.text)


def test_seed_texts_idempotent_and_mapped(rules):
    for path in sorted(CORPUS.glob("*.txt")) + sorted((DATA / "web").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        text, offs = clean_text(raw, rules=rules)
        assert ct(text, rules) == text, path.name
        assert len(offs) == len(text)
        assert all(0 <= o < len(raw) for o in offs)
        assert all(a <= b for a, b in zip(offs, offs[1:], strict=False))


# --- properties ------------------------------------------------------------------------

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐHKNTÀÁẢẠÃẰẮẦẤỆÉÈỂÍÌỎÓỌỜỚỦÚỤỪỨỶÝỲhoáuỷ"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
_TOKEN = st.one_of(
    _WORD,
    st.sampled_from(["I.", "II.", "1.", "2.1.", "a)", "đ)", "-", "+", "*", "**", "#", "\\*", "|",
                     ",", ".", ";", ":", "./.", "(", ")", "“", "”", "2026", "06", "–", "_", "^{x}"]),
)
_LINE = st.lists(_TOKEN, max_size=10).map(" ".join)
_TEXT = st.lists(_LINE, max_size=12).map(lambda ls: "\n".join(ls))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXT)
def test_clean_is_idempotent_nfc_and_mapped(rules, raw):
    text, offs = clean_text(raw, rules=rules)
    assert clean_text(text, rules=rules)[0] == text
    assert unicodedata.is_normalized("NFC", text)
    assert len(offs) == len(text)
    assert all(0 <= o < len(raw) for o in offs)
    assert all(a <= b for a, b in zip(offs, offs[1:], strict=False))


def _base_letters(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return "".join(c for c in d if c.isalnum())


_PLAIN_LINE = st.lists(_WORD, min_size=1, max_size=10).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_PLAIN_LINE, st.sampled_from(["", ".", ",", ";"])), max_size=12))
def test_text_without_markup_keeps_every_letter(rules, parts):
    raw = "\n\n".join(line + end for line, end in parts)
    text, _ = clean_text(raw, rules=rules)
    assert _base_letters(text) == _base_letters(raw)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_clean_never_raises_on_any_text(rules, raw):
    text, offs = clean_text(raw, rules=rules)
    assert len(offs) == len(text)
    assert clean_text(text, rules=rules)[0] == text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.\nMục tiêu:\n1.1. Mục tiêu tổng quát:", "1. Mục tiêu:\n1.1. Mục tiêu tổng quát:"),
        ("a)\nTổ chức tuyên truyền.", "a) Tổ chức tuyên truyền."),
        ("-\n- Một việc.", "-\n- Một việc."),
    ],
)
def test_marker_alone_on_its_line_takes_the_next_line(rules, raw, expected):
    assert ct(raw, rules) == expected


def test_related_documents_list_dropped_but_citations_kept(rules):
    raw = ("- 8 Kế hoạch 2661/KH-UBND thực hiện Chiến lược Quốc gia về bình đẳng giới năm 2021\n"
           "- Ban hành 01 Kế hoạch số 12/KH-UBND về bình đẳng giới.")
    assert ct(raw, rules) == "- Ban hành 01 Kế hoạch số 12/KH-UBND về bình đẳng giới."


# --- hard wraps seen in unseen real plans (tests/data/unseen) -----------------------------


def test_place_wrapped_before_its_date_line_joins_it(rules):
    out = ct("Số: 7397/KH-UBND\nKhánh\nHòa, ngày 17 tháng 08\nnăm 2017\nKẾ HOẠCH", rules)
    assert "Khánh Hòa, ngày 17 tháng 08 năm 2017" in out.split("\n")
    # near miss: an upper-case line above a date line is a heading, not half a place name
    out = ct("KẾ HOẠCH\nHà Nội, ngày 1 tháng 2 năm 2026", rules)
    assert out.split("\n") == ["KẾ HOẠCH", "Hà Nội, ngày 1 tháng 2 năm 2026"]


def test_upper_case_title_not_continued_by_the_preamble(rules):
    raw = ("KẾ HOẠCH\nTRIỂN KHAI ĐỀ ÁN VỀ\nTRẬT TỰ XÃ HỘI TRÊN ĐỊA BÀN TỈNH\nThực hiện Quyết định số\n"
           "1960/QĐ-BCA-C41 ngày 08/6/2017 của Bộ Công an, UBND tỉnh ban hành Kế hoạch:")
    lines = ct(raw, rules).split("\n")
    assert lines[1] == "TRIỂN KHAI ĐỀ ÁN VỀ TRẬT TỰ XÃ HỘI TRÊN ĐỊA BÀN TỈNH"
    assert lines[2].startswith("Thực hiện Quyết định số 1960/QĐ-BCA-C41 ngày")
    # near miss: a mixed-case line ending in a place word still joins its name
    out = ct("Giao Ủy ban nhân dân tỉnh\nBắc Ninh chủ trì.", rules)
    assert out == "Giao Ủy ban nhân dân tỉnh Bắc Ninh chủ trì."


def test_upper_case_heading_wrapped_before_its_last_word(rules):
    assert ct("I. MỤC TIÊU, CHỈ\nTIÊU\n1. Mục\ntiêu", rules) == "I. MỤC TIÊU, CHỈ TIÊU\n1. Mục tiêu"
    # near miss: two upper-case words under a heading are a line of their own
    assert ct("I. MỤC TIÊU\nKẾ HOẠCH CHUNG", rules) == "I. MỤC TIÊU\nKẾ HOẠCH CHUNG"


def test_footnote_is_not_joined_to_the_line_before(rules):
    """A footnote's text (`[1] Xã ...`) starts a paragraph: its number is not a number going
    on from the line before (a web copy's footnotes stand under the signer's name, which a
    later pass would read as a wrapped line)."""
    raw = ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHồ Thị Nguyên Thảo\n\n[1] Xã Phú Mỡ, Phường Sông Cầu, Xã Ô Loan,\n"
           "Xã Tuy An Nam.")
    out = ct(raw, rules)
    assert out.split("\n")[-3:] == ["Hồ Thị Nguyên Thảo", "",
                                    "[1] Xã Phú Mỡ, Phường Sông Cầu, Xã Ô Loan, Xã Tuy An Nam."]
    assert ct(out, rules) == out
    # near misses: a number in brackets inside the line, and a line that opens with a
    # bracketed number glued to a word, go on as before
    assert ct("được giao tại\n[2]a phụ lục.", rules) == "được giao tại [2]a phụ lục."
    assert ct("Chính phủ[2],\nBộ Y tế[3].", rules) == "Chính phủ[2], Bộ Y tế[3]."
