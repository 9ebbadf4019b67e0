"""Roles settled over the whole preamble (pipeline/extract/ref_roles.py) and the front matter
of OCR'd headers: short fixtures written for these tests."""

from pipeline.clean import clean_text
from pipeline.extract.frontmatter import find_plan
from pipeline.extract.references import find_references
from pipeline.records import CleanDoc
from pipeline.segment import segment


def _run(text, rules):
    text, _ = clean_text(text, rules=rules)
    seg = segment(CleanDoc("t", text), rules=rules)
    plan = find_plan(seg, rules=rules)
    refs = list(find_references(seg, rules=rules, plan=plan))
    for r in refs:
        assert text[r.char_start:r.char_end].strip()
    return plan, {r.doc_ref or r.title: r for r in refs}


_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Độc lập - Tự do - Hạnh phúc\n\nSố: 12/KH-UBND\n\nLạng Sơn, ngày 02 tháng 3 năm 2026\n\n")


def test_norms_carried_out_are_basis(rules):
    text = (_HEAD + "KẾ HOẠCH\nPhòng chống cháy rừng năm 2026\n\n"
            "Thực hiện Thông tư số 26/2012/TT-BYT ngày 30/11/2012 của Bộ Y tế quy định X; "
            "Kế hoạch số 50/KH-UBND ngày 11/3/2026 của UBND tỉnh về phòng chống cháy rừng;\n\n"
            "I. MỤC ĐÍCH\n\n1. Bảo vệ rừng.\n")
    _plan, refs = _run(text, rules)
    assert refs["26/2012/TT-BYT"].role == "legal_basis"
    assert refs["50/KH-UBND"].role == "implements"


def test_decision_beside_the_parent_the_title_names_is_basis(rules):
    text = (_HEAD + "KẾ HOẠCH\nTriển khai Quyết định số 16/2016/QĐ-UBND ngày 09/5/2016 của UBND tỉnh "
            "ban hành Quy định X\n\n"
            "Thực hiện Quyết định số 2582/QĐ-UBND ngày 05/6/2015 phân công, phân cấp nhiệm vụ Y;\n\n"
            "I. MỤC ĐÍCH\n\n1. Bảo vệ rừng.\n")
    _plan, refs = _run(text, rules)
    assert refs["16/2016/QĐ-UBND"].role == "implements"
    assert refs["2582/QĐ-UBND"].role == "legal_basis"


def test_numbered_list_under_a_basis_heading(rules):
    text = (_HEAD + "KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ TRONG NÔNG NGHIỆP TRÊN ĐỊA BÀN "
            "TỈNH LẠNG SƠN GIAI ĐOẠN 2026 - 2030\n\n"
            "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n\n"
            "1. Quyết định số 924/QĐ-TTg ngày 22/8/2022 của Thủ tướng Chính phủ phê duyệt Chương "
            "trình chuyển đổi số trong nông nghiệp giai đoạn 2021-2025;\n\n"
            "2. Quyết định số 605/QĐ-UBND ngày 16/3/2022 của Ủy ban nhân dân tỉnh phê duyệt Đề án "
            "Chính quyền số tỉnh Lạng Sơn giai đoạn 2020-2025;\n\n"
            "3. Kế hoạch số 370/KH-UBND ngày 08/12/2021 của Ủy ban nhân dân tỉnh về chuyển đổi số "
            "tỉnh Lạng Sơn;\n\n"
            "II. MỤC ĐÍCH\n\n1. Chuyển đổi số.\n")
    _plan, refs = _run(text, rules)
    # the programme the title names is the parent; the other programmes are basis
    assert refs["924/QĐ-TTg"].role == "implements"
    assert refs["605/QĐ-UBND"].role == "legal_basis"
    assert refs["370/KH-UBND"].role == "legal_basis"


def test_approved_programme_off_the_plans_topic_is_basis(rules):
    text = (_HEAD + "KẾ HOẠCH\nCÔNG TÁC PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT NĂM 2026\n\n"
            "Căn cứ Quyết định số 1521/QĐ-TTg ngày 06/10/2020 của Thủ tướng Chính phủ ban hành Kế "
            "hoạch thực hiện Kết luận số 80-KL/TW của Ban Bí thư;\n\n"
            "Căn cứ Quyết định số 33/QĐ-TTg ngày 06/01/2026 của Thủ tướng Chính phủ phê duyệt "
            "Chương trình phổ biến, giáo dục pháp luật giai đoạn 2026 - 2030;\n\n"
            "I. MỤC ĐÍCH\n\n1. Tuyên truyền.\n")
    _plan, refs = _run(text, rules)
    assert refs["1521/QĐ-TTg"].role == "legal_basis"
    assert refs["33/QĐ-TTg"].role == "implements"  # the plan is about it


def test_ocr_header_motto_kind_line_and_date(rules):
    text = ("ỦY BAN NHÂN DÂN\nQUẬN HOÀNG MAI\nSỐ:y/45/KH-ƯBND\nCỘNG HÒA XÃ HỘI CHỦ NGHỈA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nHoàng Mai, ngàyẠẠ tháng ĩ năm 2016\nKÉ HOẠCH\n"
            "Triển khai công tác an toàn thực phẩm\n"
            "Căn cứ Luật An toàn thực phẩm số 55/2010/QH12 ngày 17/6/2010 của Quốc hội;\n")
    plan, _refs = _run(text, rules)
    assert plan.doc_kind == "ke_hoach"
    assert plan.title == "Triển khai công tác an toàn thực phẩm"
    assert plan.issuer == "Ủy ban nhân dân quận Hoàng Mai"
    assert plan.place == "Hoàng Mai" and plan.issue_date is None


def test_issuer_term_skipped_and_province_body_of_a_commune_plan(rules):
    text = ("ỦY BAN NHÂN DÂN XÃ TỊNH TRÀ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: /KH-UBND\nTịnh Trà, ngày 26 tháng 4 năm 2024\nKẾ HOẠCH\nChuyển đổi số năm 2024\n"
            "Thực hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh ủy khóa XX về "
            "chuyển đổi số tỉnh Quảng Ngãi; Luật An toàn thực phẩm số 55/2010/QH12 ngày 17/6/2010 "
            "của Quốc hội khóa XII;\nI. MỤC TIÊU\n1. A.\n")
    _plan, refs = _run(text, rules)
    nq = refs["13-NQ/TU"]
    assert nq.issuer == "Ban Thường vụ Tỉnh ủy Quảng Ngãi"
    assert nq.title.startswith("chuyển đổi số")  # the term is not the title either
    assert refs["55/2010/QH12"].issuer == "Quốc hội"


def test_fuller_issuer_from_a_later_citation_and_the_description_end(rules):
    text = (_HEAD + "KẾ HOẠCH\nTriển khai Quyết định số 16/2016/QĐ-UBND ngày 09/5/2016 của UBND Thành phấ "
            "ban hành Quy định X\n\n"
            "Thực hiện Quyết định số 16/2016/QĐ-UBND ngày 09/5/2016 ban hành Quy định X trên địa bàn "
            "thành phố Hà Nội của UBND thành phố Hà Nội; Kế hoạch số 9/KH-UBND ngày 01/3/2016 thực "
            "hiện Chỉ thị số 37-CT/TW của Ban Bí thư;\n\n"
            "Thực hiện Thông báo số 04/TB-VPCP ngày 07/01/2016 của Văn phòng Chính phủ Kết luận của "
            "Phó Thủ tướng tại cuộc họp;\n\nI. MỤC ĐÍCH\n\n1. A.\n")
    _plan, refs = _run(text, rules)
    assert refs["16/2016/QĐ-UBND"].issuer == "Ủy ban nhân dân thành phố Hà Nội"
    assert refs["9/KH-UBND"].issuer is None  # `của Ban Bí thư` is the directive's issuer
    assert refs["04/TB-VPCP"].issuer == "Văn phòng Chính phủ"  # a document's kind ends the body


def test_titled_programme_spelt_otherwise_is_the_approved_one(rules):
    text = (_HEAD + "KẾ HOẠCH\nPhòng chống dịch năm 2026\n\n"
            "Căn cứ Quyết định số 476/QĐ-BNN-TY ngày 17/02/2016 của Bộ Nông nghiệp và Phát triển nông "
            "thôn về việc phê duyệt Chương trình quốc gia phòng, chống bệnh lở mồm long móng giai đoạn "
            "2016 - 2020; Quyết định số 629/QĐ-TTg ngày 29/5/2012 của Thủ tướng Chính phủ phê duyệt "
            "Chiến lược phát triển gia đình ViệtNam đến năm 2020;\n\n"
            "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Chương trình phòng, chống bệnh lở mồm long "
            "móng tỉnh Lạng Sơn giai đoạn 2016 - 2020 và Chiến lược phát triển gia đình Việt Nam đến "
            "năm 2020 như sau:\n\nI. MỤC ĐÍCH\n\n1. A.\n")
    _plan, refs = _run(text, rules)
    assert set(refs) == {"476/QĐ-BNN-TY", "629/QĐ-TTg"}


def test_law_titled_like_a_programme_stays_its_own_row(rules):
    text = (_HEAD + "KẾ HOẠCH\nPhòng, chống mua bán người năm 2026\n\n"
            "Thực hiện Quyết định số 33/QĐ-TTg ngày 07/01/2026 của Thủ tướng Chính phủ ban hành Chương "
            "trình phòng, chống mua bán người giai đoạn 2026 - 2030;\n\nI. MỤC ĐÍCH\n\n"
            "1. Thực hiện có hiệu quả Luật Phòng, chống mua bán người năm 2024.\n")
    _plan, refs = _run(text, rules)
    assert "Luật Phòng, chống mua bán người năm 2024" in refs


def test_split_year_repeated_symbol_and_laws_down_a_basis_list(rules):
    text = (_HEAD + "KẾ HOẠCH\nTuyển quân năm 2026\n\n"
            "Căn cứ Luật Nghĩa vụ quân sự ngày 19/6/2015; Luật Công an nhân dân năm 2018;\n\n"
            "Căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16/7/20 21 của Thủ tướng Chính phủ quy định X;\n\n"
            "Căn cứ Thông tư số 68/2025/TT-BQP ngày 03/7/2025 của Bộ Quốc phòng sửa đổi, bổ sung một số "
            "điều của Thông tư số 148/2018/TT-BQP ngày 04/10/2018 của Bộ Quốc phòng;\n\n"
            "I. MỤC ĐÍCH\n\n1. Quán triệt Nghị quyết số 37-NQ/TW NQ/TW ngày 24/12/2018 của Bộ Chính trị.\n")
    _plan, refs = _run(text, rules)
    assert refs["Luật Công an nhân dân năm 2018"].role == "legal_basis"
    q = refs["24/2021/QĐ-TTg"]
    assert (str(q.ref_date), q.issuer) == ("2021-07-16", "Thủ tướng Chính phủ")
    assert refs["148/2018/TT-BQP"].role == "legal_basis"  # the circular the basis amends
    nq = refs["37-NQ/TW"]
    assert (str(nq.ref_date), nq.issuer) == ("2018-12-24", "Bộ Chính trị")


def test_header_flattened_into_one_line_and_spaced_hyphen(rules):
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM XÃ PHÚ MẬU Độc lập – Tự do – Hạnh phúc "
            "KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI NĂM 2014 Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 "
            "năm 2013; Theo Quyết định số 125/QĐ - UBND ngày 20 tháng 5 năm 2014 của UBND tỉnh về X. "
            "Nhằm chủ động, Ủy ban nhân dân xã xây dựng Kế hoạch như sau:\n")
    plan, refs = _run(text, rules)
    assert plan.doc_kind == "ke_hoach"
    assert plan.title == "PHÒNG CHỐNG THIÊN TAI NĂM 2014"
    assert "125/QĐ-UBND" in refs


def test_law_name_with_a_capital_after_va_is_one_law(rules):
    text = (_HEAD + "KẾ HOẠCH\nX năm 2026\n\nCăn cứ Luật Khoa học và Công nghệ ngày 18/6/2013; Luật Phòng "
            "cháy và Chữa cháy năm 2001; Luật Thanh niên và Luật Trẻ em;\n\nI. MỤC ĐÍCH\n\n"
            "1. Theo quy định của Luật phòng, chống mua bán người và Trợ giúp pháp lý.\n")
    _plan, refs = _run(text, rules)
    assert set(refs) == {"Luật Khoa học và Công nghệ", "Luật Phòng cháy và Chữa cháy năm 2001",
                         "Luật Thanh niên", "Luật Trẻ em", "Luật phòng, chống mua bán người",
                         "Luật Trợ giúp pháp lý"}


def test_signature_block_inside_a_table_cell(rules):
    body = _HEAD + "KẾ HOẠCH\nPhòng chống X năm 2026\n\nI. MỤC ĐÍCH\n\n1. Bảo vệ rừng.\n\n"
    one_cell = "| Nơi nhận: - Như trên; - Lưu: VT. | KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký) Nguyễn Văn An |\n"
    plan, _ = _run(body + one_cell, rules)
    assert (plan.signing_mode, plan.signer_title, plan.signer_name) == (
        "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    assert plan.recipients == ("Như trên", "Lưu: VT")
    rows = ("| Nơi nhận: | KT. CHỦ TỊCH |\n| - Như trên; | PHÓ CHỦ TỊCH |\n| - Lưu: VT. | |\n"
            "| | Nguyễn Văn An |\n")
    plan, _ = _run(body + rows, rules)
    assert (plan.signing_mode, plan.signer_title, plan.signer_name) == (
        "KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    assert plan.recipients == ("Như trên", "Lưu: VT")


def test_cited_plan_off_topic_keeps_its_promotion_and_trailing_non_body(rules):
    text = (_HEAD + "KẾ HOẠCH\nTHỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ NĂM 2026\n\n"
            "Căn cứ Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Ủy ban nhân dân tỉnh về chuyển đổi số; "
            "Tờ trình số 9512/TTr-SNN ngày 23/10/2025 và ý kiến thống nhất của Thành viên Ủy ban nhân "
            "dân tỉnh;\n\nI. MỤC ĐÍCH\n\n1. A.\n")
    _plan, refs = _run(text, rules)
    assert refs["283/KH-UBND"].role == "implements"
    assert refs["9512/TTr-SNN"].issuer is None


def test_ocr_misread_body_in_the_header(rules):
    text = ("ƯBND TỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 12/KH-UBND\nLạng Sơn, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\nPhòng chống X năm 2026\n\n"
            "Căn cứ Luật A;\n\nI. MỤC ĐÍCH\n\n1. A.\n")
    plan, _ = _run(text, rules)
    assert (plan.issuer, plan.issuer_level) == ("Ủy ban nhân dân tỉnh Lạng Sơn", "province")


def test_joint_issuer_is_not_the_title(rules):
    text = (_HEAD + "KẾ HOẠCH\nTuyển quân năm 2026\n\nCăn cứ Thông tư liên tịch số 50/2016/TTLT-BQP-BCA ngày "
            "15/4/2016 của Bộ trưởng Bộ Quốc phòng và Bộ trưởng Bộ Công an quy định tiêu chuẩn chính trị;"
            "\n\nI. MỤC ĐÍCH\n\n1. A.\n")
    _plan, refs = _run(text, rules)
    t = refs["50/2016/TTLT-BQP-BCA"]
    assert t.issuer == "Bộ trưởng Bộ Quốc phòng" and t.title == "quy định tiêu chuẩn chính trị"
