"""Front matter: the plans row on short plans written for the test."""

import datetime as dt

from pipeline.clean import clean_text
from pipeline.extract.frontmatter import find_plan, flatten
from pipeline.records import CleanDoc, Segmented


def _plan(text, rules, *, clean=True):
    if clean:
        text, _ = clean_text(text, rules=rules)
    return find_plan(Segmented(CleanDoc("t", text), (), 0, len(text)), rules=rules)


COMMUNE = """ỦY BAN NHÂN DÂN
XÃ NHÂN LÝ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 68 /KH-UBND

Nhân Lý, ngày 27 tháng 3 năm 2026

KẾ HOẠCH

Triển khai thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030
và định hướng đến năm 2035

Thực hiện Kế hoạch số 66/KH-UBND ngày 01/3/2026 của UBND tỉnh Lạng Sơn.
UBND xã Nhân Lý xây dựng Kế hoạch như sau:

I. MỤC TIÊU

1. Làm tốt.

Nơi nhận:
- Thường trực Đảng ủy xã;
- Công an xã;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Vương Văn Sơn
"""


def test_commune_plan(rules):
    p = _plan(COMMUNE, rules)
    assert (p.doc_kind, p.number, p.symbol, p.doc_ref) == ("ke_hoach", "68", "KH-UBND", "68/KH-UBND")
    assert p.issuer == "Ủy ban nhân dân xã Nhân Lý"
    assert (p.issuer_level, p.locality) == ("commune", "xã Nhân Lý")
    # the commune names no province: the list of units does
    assert (p.province, p.province_code, p.locality_code) == ("Lạng Sơn", 20, 6496)
    assert (p.place, p.issue_date) == ("Nhân Lý", dt.date(2026, 3, 27))
    assert p.issue_date_raw == "Nhân Lý, ngày 27 tháng 3 năm 2026"
    assert p.title.startswith("Triển khai thực hiện Chương trình")
    assert p.title.endswith("định hướng đến năm 2035")  # joined across lines
    assert (p.period_start, p.period_end, p.horizon_year) == (2026, 2030, 2035)
    assert (p.signing_mode, p.signer_title, p.signer_name) == ("TM.", "CHỦ TỊCH", "Vương Văn Sơn")
    assert p.recipients == ("Thường trực Đảng ủy xã", "Công an xã", "Lưu: VT")


def test_blank_number_and_blank_day(rules):
    text = "Số: /KH-UBND\n\nHòa Xá, ngày    tháng    năm 2026\n\nKẾ HOẠCH\n\nVề việc X năm 2026\n"
    p = _plan(text, rules)
    assert (p.number, p.symbol, p.doc_ref) == (None, "KH-UBND", None)
    assert p.issue_date is None
    assert p.issue_date_raw.startswith("Hòa Xá, ngày")
    assert p.place == "Hòa Xá"


def test_month_given_day_blank(rules):
    p = _plan("Số: /KH-UBND\nHưng Yên, ngày   tháng 02 năm 2026\nKẾ HOẠCH\nX\n", rules)
    assert p.issue_date is None


def test_spaced_number_and_decision(rules):
    text = ("ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\n-------\nSố: 2033 /QĐ-UBND\n"
            "Trà Vinh, ngày\n02 tháng 11 năm 2011\nQUYẾT ĐỊNH\nVỀ VIỆC PHÊ DUYỆT CHƯƠNG TRÌNH X GIAI\n"
            "ĐOẠN 2011 - 2015\nỦY BAN NHÂN DÂN TỈNH TRÀ VINH\nCăn cứ Luật Y ngày 26/11/2003;\n")
    p = _plan(text, rules, clean=False)
    assert (p.doc_kind, p.doc_ref, p.symbol) == ("quyet_dinh", "2033/QĐ-UBND", "QĐ-UBND")
    assert p.issue_date == dt.date(2011, 11, 2)
    # the title stops at the authority line above `Căn cứ`
    assert p.title == "VỀ VIỆC PHÊ DUYỆT CHƯƠNG TRÌNH X GIAI ĐOẠN 2011 - 2015"
    assert (p.period_start, p.period_end) == (2011, 2015)
    # an old province: its own name for the locality, the 2025 province for the codes
    assert p.locality == "tỉnh Trà Vinh"
    assert (p.province, p.province_code, p.locality_code) == ("Vĩnh Long", 86, 86)


def test_stacked_signing_modes(rules):
    text = ("KẾ HOẠCH\nX\n\nThực hiện Y, UBND xã Hòa Xá ban hành Kế hoạch:\n\nI. A\n\n1. B.\n\n"
            "Nơi nhận:\n- Như trên;\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\n\n"
            "Nguyễn Lê Huy\n")
    p = _plan(text, rules)
    assert p.signing_mode == "KT."  # the mode on the signer's own line, not the TM. above
    assert p.signer_title == "PHÓ CHỦ TỊCH THƯỜNG TRỰC"
    assert p.signer_name == "Nguyễn Lê Huy"


def test_no_signature(rules):
    p = _plan("KẾ HOẠCH\nX\n\nI. A\n", rules)
    assert (p.signing_mode, p.signer_title, p.signer_name) == (None, None, None)
    assert p.recipients == ()


def test_issuer_from_preamble_head_and_parent_province(rules):
    # no header: the issuer is the author of the preamble; `Chủ tịch` issues for the UBND
    text = ("KẾ HOẠCH\n\nThực hiện công tác X năm 2026 trên địa bàn xã Đồng Việt\n\n"
            "Thực hiện Kế hoạch số 1748/KH-SYT ngày 09/4/2026 của Sở Y tế tỉnh Bắc Ninh.\n\n"
            "Chủ tịch UBND xã Đồng Việt ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\n")
    p = _plan(text, rules)
    assert p.issuer == "Ủy ban nhân dân xã Đồng Việt"
    assert (p.province, p.locality_code) == ("Bắc Ninh", 7735)
    assert (p.period_start, p.period_end) == (2026, 2026)  # the year in the title
    assert p.number is None and p.place is None


def test_cited_body_is_not_the_author(rules):
    # `của Thủ tướng Chính phủ ban hành` is the parent's issuer, not this plan's
    text = ("KẾ HOẠCH\n\nThực hiện X\n\nThực hiện Quyết định số 33/QĐ-TTg ngày 07/01/2026 của Thủ "
            "tướng Chính phủ ban hành Chương trình Y; Ủy ban nhân dân tỉnh Hưng Yên ban hành Kế "
            "hoạch:\n\nI. A\n")
    p = _plan(text, rules)
    assert p.issuer == "Ủy ban nhân dân tỉnh Hưng Yên"
    assert (p.issuer_level, p.province_code) == ("province", 33)


def test_national_issuer(rules):
    text = ("THỦ TƯỚNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "Số: 1137/QĐ-TTg | Hà Nội, ngày 13 tháng 6 năm 2025 |\nBAN HÀNH KẾ HOẠCH X NĂM 2025\n"
            "THỦ TƯỚNG CHÍNH PHỦ\nCăn cứ Luật Y;\n| KT. THỦ TƯỚNG |\n")
    p = _plan(text, rules, clean=False)
    assert (p.issuer, p.issuer_level) == ("Thủ tướng Chính phủ", "national")
    assert (p.locality, p.province, p.province_code) == (None, None, None)
    assert p.doc_kind == "quyet_dinh"  # from the symbol: there is no kind line
    assert p.title == "BAN HÀNH KẾ HOẠCH X NĂM 2025"
    assert (p.signing_mode, p.signer_name) == ("KT.", None)


def test_district_without_header_gets_province_from_parent(rules):
    text = ("Thực hiện Kế hoạch số 68/KH-UBND ngày 04 tháng 3 năm 2021 của Ủy ban nhân dân tỉnh "
            "Đồng Tháp về thực hiện Chương trình X giai đoạn 2021 - 2025 và định hướng đến năm 2030, "
            "Ủy ban nhân dân Huyện ban hành Kế hoạch thực hiện như sau:\n\nI. MỤC TIÊU\n")
    p = _plan(text, rules)
    assert (p.issuer, p.issuer_level, p.locality) == ("Ủy ban nhân dân Huyện", "district", "Huyện")
    assert (p.province, p.province_code, p.locality_code) == ("Đồng Tháp", 82, None)
    assert p.title is None and p.issue_date is None
    assert (p.period_start, p.period_end, p.horizon_year) == (2021, 2025, 2030)


def test_horizon_of_a_cited_programme_is_not_the_plans(rules):
    # a one-year plan: `định hướng đến năm 2030` belongs to the programme its preamble cites
    text = ("BAN CHỈ ĐẠO 138/CP\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 28/KH-BCĐ\n"
            "Hà Nội, ngày 24 tháng 01 năm 2023\nKẾ HOẠCH\nTHỰC HIỆN CÔNG TÁC X NĂM 2023\n"
            "Thực hiện Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ phê duyệt "
            "Chương trình X giai đoạn 2021 - 2025 và định hướng đến năm 2030; Ban Chỉ đạo 138/CP ban "
            "hành kế hoạch như sau:\nI. MỤC TIÊU\n")
    p = _plan(text, rules)
    assert (p.period_start, p.period_end, p.horizon_year) == (2023, 2023, None)
    # the Government's steering committee is a national body, named with its number
    assert (p.issuer, p.issuer_level) == ("Ban Chỉ đạo 138/CP", "national")


def test_horizon_in_the_title_still_counts(rules):
    p = _plan("KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH X GIAI ĐOẠN 2026 - 2030 VÀ ĐỊNH HƯỚNG ĐẾN NĂM 2035\n"
              "Thực hiện Y, UBND xã Hòa Xá ban hành Kế hoạch:\nI. A\n", rules)
    assert (p.period_start, p.period_end, p.horizon_year) == (2026, 2030, 2035)


def test_signer_from_a_site_info_list_ends_with_its_line(rules):
    text = ("Số hiệu 59/KH-UBND\nNgười ký Trần Hữu Thùy Giang\nLĩnh vực Văn hóa - Xã hội\n\n"
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HUẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 59/KH-UBND\n"
            "Huế, ngày 31 tháng 01 năm 2026\nKẾ HOẠCH\nX NĂM 2026\nCăn cứ Y.\nI. MỤC TIÊU\n")
    p = _plan(text, rules)
    assert p.signer_name == "Trần Hữu Thùy Giang"  # not `... Giang Lĩnh`
    # and from a site's info table, whose row the cleaner keeps
    p = _plan("| Số hiệu | 07/KH-UBND |\n| Người ký | Dương Đức Tuấn |\n| Lĩnh vực | Văn hóa |\n"
              "ỦY BAN NHÂN DÂN\nSố: 07/KH-UBND\nHà Nội, ngày 07 tháng 01 năm 2026\nX NĂM 2026\n", rules)
    assert p.signer_name == "Dương Đức Tuấn"


def test_hard_wrapped_date_line_keeps_the_whole_place(rules):
    text = ("ỦY\nBAN NHÂN DÂN\nTỈNH KHÁNH HÒA\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
            "Số: 7397/KH-UBND\n|\nKhánh\nHòa, ngày 17 tháng 08\nnăm 2017\n|\nKẾ HOẠCH\n"
            "TRIỂN KHAI ĐỀ ÁN VỀ\nTRẬT TỰ TRÊN ĐỊA BÀN TỈNH\nThực hiện Quyết định số\n"
            "1960/QĐ-BCA-C41 ngày 08/6/2017 của Bộ Công an, UBND tỉnh ban hành Kế hoạch:\nI. MỤC TIÊU\n")
    p = _plan(text, rules)
    assert (p.place, p.issue_date) == ("Khánh Hòa", dt.date(2017, 8, 17))
    assert p.issue_date_raw == "Khánh Hòa, ngày 17 tháng 08 năm 2017"
    assert p.title == "TRIỂN KHAI ĐỀ ÁN VỀ TRẬT TỰ TRÊN ĐỊA BÀN TỈNH"  # the preamble is not in it


def test_flatten_keeps_offsets():
    s = "**Số:** 68\n| x |"
    assert len(flatten(s)) == len(s) and "\n" not in flatten(s)


def test_empty_text(rules):
    p = find_plan(Segmented(CleanDoc("t", ""), (), 0, 0), rules=rules)
    assert p.doc_kind == "other" and p.title is None and p.recipients == ()


def _two_line_header(parent: str, own: str, number_above_motto: bool) -> str:
    number = "Số: 12/KH-BCĐ\n"
    return (f"{parent}\n{own}\n" + (number if number_above_motto else "")
            + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            + ("" if number_above_motto else number)
            + "Đồng Tháp, ngày 08 tháng 01 năm 2026\nKẾ HOẠCH\nPhòng, chống tội phạm năm 2026\n"
            "Thực hiện Quyết định số 33/QĐ-TTg ngày 07/01/2026 của Thủ tướng Chính phủ, Ban Chỉ đạo "
            "phòng, chống tội phạm tỉnh ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n")


def test_issuer_is_the_lower_line_of_a_two_line_header(rules):
    # ND 30/2020: the superior body's name above the issuing body's; the number line may sit
    # between the issuer block and the motto, or below the motto
    for above in (True, False):
        p = _plan(_two_line_header("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
                                   "BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM", above), rules)
        assert p.doc_ref == "12/KH-BCĐ", above
        assert p.issuer == "Ban Chỉ đạo phòng, chống tội phạm tỉnh Đồng Tháp", above
        assert (p.issuer_level, p.province) == ("province_dept", "Đồng Tháp")
    p = _plan(_two_line_header("UBND TỈNH ĐỒNG THÁP", "SỞ Y TẾ", True), rules)
    assert (p.issuer, p.issuer_level) == ("Sở Y tế tỉnh Đồng Tháp", "province_dept")
    # near miss: a one-body header (place on its own line) is the UBND itself
    p = _plan(_two_line_header("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", True), rules)
    assert (p.issuer, p.issuer_level) == ("Ủy ban nhân dân tỉnh Đồng Tháp", "province")


def test_commune_body_under_the_commune_ubnd(rules):
    text = ("UBND XÃ NHÂN LÝ\nCÔNG AN XÃ\nSố: 05/KH-CAX\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nNhân Lý, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
            "Tuần tra năm 2026 trên địa bàn xã Nhân Lý\nThực hiện chỉ đạo của cấp trên.\nI. MỤC ĐÍCH\n")
    p = _plan(text, rules)
    assert p.doc_ref == "05/KH-CAX"
    assert (p.issuer, p.issuer_level) == ("Công an xã Nhân Lý", "commune")


# a web copy's header: a flattened table (cells between `|` lines), wraps inside names and the
# date line, a decision that issues a plan attached after its signature
DECISION = """|
**ỦY BAN NHÂN
DÂN **
THÀNH PHỐ HỒ CHÍ MINH
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
|
Số:
2820/QĐ-UBND
|
*Thành phố Hồ
Chí Minh, ngày 19 tháng 11 năm 2025*
|

**QUYẾT ĐỊNH**

BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025

**ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH**

*Căn cứ Quyết định số 06/QĐ-TTg ngày 02 tháng 01 năm 2025 của Thủ tướng Chính phủ;*

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch triển khai.

**Điều 2.** Quyết định này có hiệu lực thi hành kể từ ngày ký./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Lộc Hà

**KẾ HOẠCH**

TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01
NĂM 2025 CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ ĐỀ ÁN QUY HOẠCH

*(Kèm theo Quyết định số 2820/QĐ-UBND ngày 19 tháng 11 năm 2025)*

**I. MỤC ĐÍCH**

1. Làm tốt.
"""


def test_decision_that_issues_a_plan(rules):
    text, _ = clean_text(DECISION, rules=rules)
    body = text.index("I. MỤC ĐÍCH")
    p = find_plan(Segmented(CleanDoc("t", text), (), body, len(text)), rules=rules)
    assert (p.doc_kind, p.doc_ref) == ("quyet_dinh", "2820/QĐ-UBND")
    # the attached plan's title; a date inside it is a cited document's, no period
    assert p.title.startswith("TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG")
    assert p.title.endswith("VỀ ĐỀ ÁN QUY HOẠCH")
    assert (p.period_start, p.period_end) == (None, None)
    # the place wraps inside the date line and carries its level word
    assert (p.place, p.issue_date) == ("Thành phố Hồ Chí Minh", dt.date(2025, 11, 19))
    assert p.issuer == "Ủy ban nhân dân thành phố Hồ Chí Minh"
    # the decision's signer, above the attached plan
    assert (p.signing_mode, p.signer_title, p.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Lộc Hà")


def test_date_line_place_with_a_number(rules):
    p = _plan("ỦY BAN NHÂN DÂN\nQUẬN 11\n\nSố: 12/KH-UBND\n\nQuận 11, ngày 11 tháng 5 năm 2022\n\n"
              "KẾ HOẠCH\n\nX\n", rules)
    assert (p.place, p.issue_date) == ("Quận 11", dt.date(2022, 5, 11))


def test_place_never_runs_back_into_the_header(rules):
    p = _plan("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 1/KH-UBND\nQuảng Ngãi, ngày 21 tháng 11 năm 2025\n"
              "KẾ HOẠCH\nX\n", rules, clean=False)
    assert p.place == "Quảng Ngãi"


def test_period_from_title(rules):
    def period(title):
        head = "Số: 1/KH-UBND\nHà Nội, ngày 24 tháng 11 năm 2025\nKẾ HOẠCH\n"
        p = _plan(f"{head}{title}\n", rules, clean=False)
        return p.period_start, p.period_end, p.horizon_year
    assert period("PHÁT TRIỂN HẠ TẦNG 5G TRÊN ĐỊA BÀN THÀNH PHỐ ĐẾN NĂM 2030") == (None, 2030, None)
    assert period("THỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024") == (None, None, None)
    assert period("TRIỂN KHAI ĐỀ ÁN “NÂNG CAO NHẬN THỨC, ĐẾN NĂM 2030” TRÊN ĐỊA BÀN") == (None, None, None)
    assert period("X GIAI ĐOẠN 2026 - 2030, ĐỊNH HƯỚNG ĐẾN NĂM 2035") == (2026, 2030, 2035)


def test_signer_name_before_a_joined_footnote(rules):
    text = ("KẾ HOẠCH\nX\n\nI. A\n\nNơi nhận:\n- Như trên;\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
            "Hồ Thị Nguyên Thảo [1] Xã Phú Mỡ, Phường Sông Cầu\n")
    p = _plan(text, rules, clean=False)
    assert (p.signer_title, p.signer_name) == ("PHÓ CHỦ TỊCH", "Hồ Thị Nguyên Thảo")


def test_issuer_place_from_the_date_line(rules):
    def plan(place):
        head = "ỦY BAN NHÂN DÂN\n\nSố: 1/KH-UBND\n\n"
        return _plan(f"{head}{place}, ngày 2 tháng 9 năm 2025\n\nKẾ HOẠCH\n\nX\n", rules)
    # a header that lost its place line (a web copy): the date line names the issuer's place
    p = plan("Nghệ An")
    assert (p.issuer, p.issuer_level, p.province_code) == ("Ủy ban nhân dân tỉnh Nghệ An", "province", 40)
    assert plan("Hà Nội").issuer == "Ủy ban nhân dân thành phố Hà Nội"
    # near-miss: a bare name that is no province says nothing about the level
    assert plan("Nhân Lý").issuer_level == "unknown"


def test_signer_title_and_name_glued(rules):
    text = "KẾ HOẠCH\nX\n\nI. A\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCHSơn Thị Ánh Hồng\n"
    p = _plan(text, rules, clean=False)
    assert (p.signing_mode, p.signer_title, p.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Sơn Thị Ánh Hồng")


def test_mixed_case_title_wrapped_with_capitals(rules):
    text = ("Số: /KH-UBND\nTịnh Trà, ngày 26 tháng 4 năm 2024\nKẾ HOẠCH\n"
            "Triển khai thực hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023\n"
            "Của Ban Thường vụ Tỉnh ủy về Chuyển đổi số tỉnh Quảng Ngãi\n"
            "Đến năm 2025, định hướng đến năm 2030\n"
            "Thực hiện Kế hoạch số 50/KH-UBND ngày 11/3/2024 của UBND huyện Sơn Tịnh.\n\nI. MỤC TIÊU\n")
    p = _plan(text, rules, clean=False)
    assert p.title.endswith("Đến năm 2025, định hướng đến năm 2030")  # the opener stops it
    assert p.horizon_year == 2030


def test_web_page_furniture_is_not_the_title(rules):
    page = ("Upload: others\n\nCategory:\n\nDocuments\n\nTRANSCRIPT\n\n"
            "PHÒNG CHỐNG DỊCH BỆNH NĂM 2015\n\nCăn cứ Luật Thú y; UBND xã ban hành:\n\nI. A\n")
    assert _plan(page, rules).title == "PHÒNG CHỐNG DỊCH BỆNH NĂM 2015"
    # near miss: without the furniture the first upper-case line is still the title
    assert _plan(page.replace("TRANSCRIPT\n\n", ""), rules).title == "PHÒNG CHỐNG DỊCH BỆNH NĂM 2015"
