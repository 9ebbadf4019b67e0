"""References: cited documents, their dates in both forms, roles, and one row per document."""

import datetime as dt

from pipeline.clean import clean_text
from pipeline.extract.frontmatter import find_plan
from pipeline.extract.references import find_references
from pipeline.records import CleanDoc, Segmented


def _refs(text, rules):
    text, _ = clean_text(text, rules=rules)
    seg = Segmented(CleanDoc("t", text), (), 0, len(text))
    refs = list(find_references(seg, rules=rules, plan=find_plan(seg, rules=rules)))
    for r in refs:  # every row carries its evidence
        assert text[r.char_start:r.char_end].strip()
    return refs


def _by_ref(refs):
    return {r.doc_ref or r.title: r for r in refs}


def test_both_date_forms_and_issuer(rules):
    text = ("KẾ HOẠCH\n\nX\n\nThực hiện Kế hoạch số 137/KH-UBND ngày 08/4/2026 của UBND thành phố "
            "Hà Nội về việc thực hiện Chương trình Y.\n\nI. A\n\n1. Theo Quyết định số 12/QĐ-UBND "
            "ngày 04 tháng 3 năm 2021 của Ủy ban nhân dân (UBND) tỉnh Lạng Sơn về Z.\n")
    refs = _by_ref(_refs(text, rules))
    k = refs["137/KH-UBND"]
    assert (k.ref_kind, k.number, k.symbol) == ("ke_hoach", "137", "KH-UBND")
    assert k.ref_date == dt.date(2026, 4, 8)
    assert k.issuer == "Ủy ban nhân dân thành phố Hà Nội"
    assert k.role == "implements"
    assert k.title.startswith("thực hiện Chương trình Y")
    q = refs["12/QĐ-UBND"]
    assert q.ref_date == dt.date(2021, 3, 4)
    assert q.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"  # the abbreviation in brackets dropped
    assert q.role == "mentions"


def test_year_segment_and_party_numbers(rules):
    text = ("Thực hiện Kết luận số 132-KL/TW ngày 18/3/2025 của Bộ Chính trị về tiếp tục thực hiện "
            "Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị; Nghị quyết số 93/NQ-CP ngày "
            "16/4/2025 của Chính phủ, UBND tỉnh Nghệ An ban hành Kế hoạch:\n\nI. A\n\n"
            "1. Thực hiện Nghị định số 162/2025/NĐ-CP ngày 29/6/2025 của Chính phủ.\n")
    refs = _by_ref(_refs(text, rules))
    assert (refs["132-KL/TW"].number, refs["132-KL/TW"].symbol) == ("132", "KL/TW")
    assert refs["132-KL/TW"].role == "implements"
    assert refs["93/NQ-CP"].role == "implements"  # after `;`, still under `Thực hiện`
    assert refs["36-CT/TW"].role == "mentions"  # inside 132's description
    nd = refs["162/2025/NĐ-CP"]
    assert (nd.number, nd.symbol, nd.ref_kind, nd.role) == ("162", "NĐ-CP", "nghi_dinh", "legal_basis")


def test_can_cu_approving_a_programme_implements(rules):
    text = ("QUYẾT ĐỊNH\nVỀ VIỆC X\nCăn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày "
            "26/11/2003;\nCăn cứ Quyết định số 267/QĐ-TTg ngày 22/02/2011 của Thủ tướng Chính phủ "
            "phê duyệt Chương trình quốc gia bảo vệ trẻ em giai đoạn 2011 - 2015;\n"
            "Căn cứ Quyết định số 793/QĐ-TTg ngày 10 tháng 5 năm 2016 của Thủ tướng Chính phủ về "
            "việc lấy ngày 30/7;\nXét đề nghị của Giám đốc Sở Y tại Tờ trình số 1163/TTr-SLĐTBXH "
            "ngày 07/11/2011,\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt Chương trình bảo vệ trẻ em tỉnh X "
            "giai đoạn 2011 - 2015.\n")
    refs = _refs(text, rules)
    got = {(r.doc_ref or r.title): r.role for r in refs}
    assert got == {
        "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân": "legal_basis",
        "267/QĐ-TTg": "implements",
        "793/QĐ-TTg": "legal_basis",
        "1163/TTr-SLĐTBXH": "mentions",
    }
    # the programme the decision approves is that decision, not a row of its own; the
    # programme this decision approves itself (`Điều 1. Phê duyệt ...`) is no reference
    assert next(r for r in refs if r.title and r.title.startswith("Luật")).ref_date == dt.date(2003, 11, 26)


def test_one_row_per_document(rules):
    text = ("KẾ HOẠCH\n\nX\n\nThực hiện Kế hoạch số 66/KH-UBND ngày 01/3/2026 của UBND tỉnh Lạng Sơn "
            "về thực hiện Chương trình phòng, chống mua bán người (MBN) giai đoạn 2026 - 2030.\n\n"
            "I. A\n\n1. Thực hiện quy định của Luật Phòng, chống MBN năm 2024 (sửa đổi, bổ sung năm "
            "2025).\n\n2. Theo quy định của Luật Phòng, chống mua bán người và Luật Ngân sách nhà "
            "nước và các văn bản hướng dẫn.\n\n3. Báo cáo Kế hoạch số 66/KH-UBND.\n\n"
            "4. Thực hiện Chương trình phòng, chống MBN giai đoạn 2026 - 2030.\n")
    refs = _refs(text, rules)
    titles = sorted(r.title for r in refs if r.doc_ref is None)
    assert titles == [
        "Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030",
        "Luật Ngân sách nhà nước",
        "Luật Phòng, chống mua bán người năm 2024",  # MBN spelt out; the amendment is the same law
    ]
    assert [r.doc_ref for r in refs if r.doc_ref] == ["66/KH-UBND"]
    prog = next(r for r in refs if r.ref_kind == "chuong_trinh")
    assert prog.role == "mentions"  # a programme named by its title only


def test_programme_approved_by_cited_decision_is_that_decision(rules):
    text = ("KẾ HOẠCH\n\nThực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030\n\n"
            "Thực hiện Quyết định số 33/QĐ-TTg ngày 07/01/2026 của Thủ tướng Chính phủ ban hành "
            "Chương trình phòng, chống mua bán người giai đoạn 2025 - 2030; UBND tỉnh X ban hành "
            "Kế hoạch:\n\nI. A\n")
    refs = _refs(text, rules)
    assert [(r.doc_ref, r.role) for r in refs] == [("33/QĐ-TTg", "implements")]


def test_vague_phrases_and_self_are_not_documents(rules):
    text = ("Số: 1137/QĐ-TTg\nQUYẾT ĐỊNH\nX\nCăn cứ các nghị quyết, chỉ thị của Đảng; Chương trình "
            "công tác năm 2026;\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch X.\n"
            "KẾ HOẠCH\n(Kèm theo Quyết định số 1137/QĐ-TTg ngày 13 tháng 6 năm 2025)\n"
            "Thực hiện các Nghị quyết, Chỉ thị của Đảng và Kế hoạch này; chương trình giáo dục.\n")
    assert _refs(text, rules) == []


def test_law_title_ends_before_the_sentence_goes_on(rules):
    text = ("KẾ HOẠCH\n\nX\n\nI. A\n\n1. Sửa đổi quy định trong Bộ luật Hình sự phù hợp với thực tiễn."
            "\n\n2. Theo quy định của Luật phòng, chống mua bán người và Trợ giúp pháp lý.\n")
    got = {r.title: r.role for r in _refs(text, rules)}
    assert got == {"Bộ luật Hình sự": "mentions", "Luật phòng, chống mua bán người": "legal_basis",
                   "Luật Trợ giúp pháp lý": "legal_basis"}


def test_no_references_in_empty_or_plain_text(rules):
    assert _refs("", rules) == []
    assert _refs("Ngày 08/4/2026 họp bàn, số 12 người tham dự.", rules) == []


def test_symbol_with_a_unit_code_in_brackets(rules):
    text = ("KẾ HOẠCH\nX\nThực hiện Quyết định số 1960/QĐ-BCA-C41 ngày 08/6/2017 của Bộ Công an; trên "
            "cơ sở tham mưu của Công an tỉnh tại Công văn số 823/PV11(CS) ngày 18/7/2017, UBND tỉnh "
            "ban hành Kế hoạch:\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    cv = refs["823/PV11(CS)"]
    assert (cv.number, cv.symbol, cv.ref_date) == ("823", "PV11(CS)", dt.date(2017, 7, 18))
    assert refs["1960/QĐ-BCA-C41"].role == "implements"
    # near miss: a bracket after a space is not part of the symbol
    refs = _by_ref(_refs("KẾ HOẠCH\nX\nThực hiện Kế hoạch số 12/KH-UBND (bản sao) của UBND tỉnh Y.\n", rules))
    assert "12/KH-UBND" in refs


def test_description_ends_at_the_short_name_the_plan_gives(rules):
    text = ("KẾ HOẠCH\nX\nThực hiện Nghị quyết số 93/NQ-CP ngày 16/4/2025 của Chính phủ về việc ban hành "
            "Kế hoạch Y (viết tắt là Nghị quyết số 93/NQ-CP), Nghị quyết số 50/NQ-CP ngày 13/3/2025 "
            "của Chính phủ ban hành Kế hoạch Z (viết tắt là Nghị quyết số 50/NQ-CP) và Công văn số "
            "3524/BCA-C04 ngày 06/8/2025 của Bộ Công an về việc W; Ủy ban nhân dân tỉnh ban hành "
            "Kế hoạch như sau:\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["93/NQ-CP"].title == "ban hành Kế hoạch Y"
    assert refs["50/NQ-CP"].title == "ban hành Kế hoạch Z"
    assert refs["3524/BCA-C04"].ref_date == dt.date(2025, 8, 6)
    # near miss: a bracket that is not a short name stays in the description
    refs = _by_ref(_refs("KẾ HOẠCH\nX\nThực hiện Quyết định số 1/QĐ-UBND ngày 2/1/2026 của UBND tỉnh "
                         "Y về Chương trình Z (giai đoạn 2) trên địa bàn.\n", rules))
    assert "(giai đoạn 2)" in refs["1/QĐ-UBND"].title


def test_law_names_with_commas(rules):
    # a comma with a lower-case word goes on with a law's name; `, các` / `và các` end it
    text = ("Căn cứ Luật Trật tự, an toàn giao thông đường bộ, các văn bản hướng dẫn; "
            "Luật Bảo vệ, chăm sóc và giáo dục trẻ em và các văn bản khác; "
            "Luật Phòng, chống mua bán người và pháp luật về X.\n")
    titles = {r.title for r in _refs(text, rules)}
    assert "Luật Trật tự, an toàn giao thông đường bộ" in titles
    assert "Luật Bảo vệ, chăm sóc và giáo dục trẻ em" in titles
    assert "Luật Phòng, chống mua bán người" in titles


def test_law_name_with_an_abbreviation_ends_before_va(rules):
    titles = {r.title for r in _refs("theo quy định của Luật Phòng, chống MBN và pháp luật có liên quan.\n",
                                     rules)}
    assert not any("pháp luật" in (t or "") for t in titles)


def test_laws_by_number_and_their_amendments(rules):
    text = ("KẾ HOẠCH\n\nX\n\nCăn cứ Luật Dữ liệu số 60/2024/QH15 ngày 30 tháng 11 năm 2024;\n\n"
            "Căn cứ Luật Đất đai số 31/2024/QH15 ngày 18 tháng 01 năm 2024, được sửa đổi, bổ sung một số "
            "điều tại Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số "
            "27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15;\n\n"
            "Căn cứ Luật Đo đạc và bản đồ số 27/2018/QH14 ngày 14 tháng 6 năm 2018;\n\n"
            "Căn cứ Nghị quyết số 66.2/2025/NQ-CP ngày 28/8/2025 của Chính phủ trong thời gian chưa "
            "ban hành Luật Quy hoạch (sửa đổi);\n\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    law = refs["60/2024/QH15"]
    # the law's name and its number are one document, a law by its symbol
    assert (law.ref_kind, law.title, law.ref_date, law.role) == (
        "luat", "Luật Dữ liệu", dt.date(2024, 11, 30), "legal_basis")
    assert refs["27/2018/QH14"].title == "Luật Đo đạc và bản đồ"
    # the amending law and the laws named in its title are the same document: no rows
    assert "27/2023/QH15" not in refs and "32/2024/QH15" not in refs
    assert refs["66.2/2025/NQ-CP"].number == "66.2"
    # `chưa ban hành Luật ...` approves nothing: the law stays a row of its own, not 66.2's alias
    assert refs["Luật Quy hoạch"].role == "mentions"
    assert len(refs) == 5


def test_stray_spaces_and_party_kinds(rules):
    text = ("KẾ HOẠCH\n\nX\n\nThực hiện Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban "
            "Thường vụ Tỉnh ủy.\n\nI. A\n\n1. Quán triệt Nghị quyết số 27/NQ- TW ngày 09/11/2022 và "
            "Nghị quyết số 71/NQ -CP ngày 01/4/2025 của Chính phủ; Công điện số 223/CĐ-TTg ngày "
            "20/11/2025 của Thủ tướng Chính phủ.\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["10-CTr/TU"].ref_kind == "chuong_trinh"  # a qualifier before `số`
    assert refs["27/NQ-TW"].ref_date == dt.date(2022, 11, 9)
    assert refs["71/NQ-CP"].symbol == "NQ-CP"
    assert refs["223/CĐ-TTg"].ref_kind == "other"


def test_title_names_the_parents(rules):
    # the title carries out two decisions: those are implemented; a plan under `Căn cứ` is basis
    text = ("Số: 5/KH-UBND\n\nHà Nội, ngày 01 tháng 12 năm 2025\n\nKẾ HOẠCH\n\n"
            "TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025 CỦA THỦ TƯỚNG CHÍNH PHỦ\n\n"
            "Căn cứ Quyết định số 06/QĐ-TTg ngày 02 tháng 01 năm 2025 của Thủ tướng Chính phủ về phê "
            "duyệt Đề án X;\n\nCăn cứ Kế hoạch số 4354/KH-UBND ngày 14/6/2025 của Ủy ban nhân dân "
            "Thành phố về việc triển khai Y;\n\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    d = refs["06/QĐ-TTg"]  # spelled as the text writes it, not as the capitals title does
    assert (d.role, d.ref_date) == ("implements", dt.date(2025, 1, 2))
    assert refs["4354/KH-UBND"].role == "legal_basis"


def test_joined_citations_share_the_clause_and_own_place(rules):
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: 141/KH-UBND\n\nBắc Ninh, ngày 20 tháng 11 năm 2025\n\n"
            "KẾ HOẠCH\n\nX\n\nThực hiện Kế hoạch số 14-KH/TU ngày 29/7/2025 của Ban Thường vụ Tỉnh ủy "
            "và Kế hoạch số 24/KH-UBND ngày 14/8/2025 của UBND tỉnh thực hiện Nghị quyết Y.\n\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["24/KH-UBND"].role == "implements"
    # bodies of the plan's own province get its name
    assert refs["24/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert refs["14-KH/TU"].issuer == "Ban Thường vụ Tỉnh ủy Bắc Ninh"


def test_issuer_names_with_va(rules):
    text = ("KẾ HOẠCH\n\nX\n\nThực hiện Kế hoạch số 12/KH-BLĐTBXH ngày 01/3/2026 của Bộ Lao động - "
            "Thương binh "
            "và Xã hội về việc A; Kế hoạch số 13/KH-SVHTT ngày 02/3/2026 của Sở Văn hóa và Thể thao về B; "
            "Kế hoạch số 15/KH-UBND ngày 04/3/2026 của UBND tỉnh Lạng Sơn và Sở Y tế.\n\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["12/KH-BLĐTBXH"].issuer == "Bộ Lao động - Thương binh và Xã hội"
    assert refs["13/KH-SVHTT"].issuer == "Sở Văn hóa và Thể thao"
    # near-miss: `và` before another body's head word ends the issuer
    assert refs["15/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_dispatches_are_not_parents_and_chained_parents(rules):
    text = ("Số: 5/KH-UBND\n\nHà Nội, ngày 01 tháng 12 năm 2025\n\nKẾ HOẠCH\n\n"
            "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 37-CT/TW NGÀY 03/9/2019 CỦA BAN BÍ THƯ\n\n"
            "Căn cứ Chỉ thị số 37-CT/TW ngày 03/9/2019 của Ban Bí thư về X; Kế hoạch số 185-KH/TU ngày "
            "03/01/2020 của Ban Thường vụ Tỉnh ủy thực hiện Chỉ thị số 37-CT/TW ngày 03/9/2019 của Ban Bí "
            "thư; Kế hoạch số 9/KH-UBND ngày 02/02/2020 của UBND tỉnh về Y.\n\n"
            "Thực hiện Công văn số 2717/LĐTBXH-PC ngày 08/8/2012 của Bộ Lao động - Thương binh và Xã hội; "
            "Chỉ thị số 30- CT/TU ngày 07 tháng 8 năm 2023 của Ban Thường vụ Tỉnh ủy.\n\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["37-CT/TW"].role == "implements"
    # a plan under `Căn cứ` that carries out the title's parent is a parent too; one that does not
    # is basis
    assert refs["185-KH/TU"].role == "implements"
    assert refs["9/KH-UBND"].role == "legal_basis"
    # `Thực hiện Công văn ...`: an instruction, only mentioned
    assert refs["2717/LĐTBXH-PC"].role == "mentions"
    assert refs["30-CT/TU"].ref_date == dt.date(2023, 8, 7)  # a stray space after the hyphen


def test_an_amending_law_is_no_row(rules):
    text = ("KẾ HOẠCH\n\nX\n\nCăn cứ Luật Nghĩa vụ quân sự ngày 19/6/2015; Luật Sửa đổi, bổ sung một số điều "
            "của 11 Luật về quân sự, quốc phòng ngày 27/6/2025; Luật Công an nhân dân năm 2018;\n\nI. A\n")
    titles = [r.title for r in _refs(text, rules)]
    assert titles == ["Luật Nghĩa vụ quân sự", "Luật Công an nhân dân năm 2018"]


def test_scanned_u_with_horn_in_a_symbol_is_read_as_u(rules):
    text = ("KẾ HOẠCH\nX\nThực hiện Quyết định số 2582/QĐ-ƯBND ngày 05/6/2015 của UBND Thành phố và "
            "Nghị quyết số 01-NQ/TƯ ngày 02/01/2015, UBND quận ban hành Kế hoạch:\nI. A\n")
    refs = _by_ref(_refs(text, rules))
    assert refs["2582/QĐ-UBND"].symbol == "QĐ-UBND"
    # near miss: a code's own final `Ư` (Trung ương) stays
    assert "01-NQ/TƯ" in refs
