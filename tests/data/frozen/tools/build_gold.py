# ruff: noqa: E501  (a data file: Vietnamese titles kept on one line each)
"""Write the gold JSON of tests/data/realdev and tests/data/frozen (openings: plan fields + references).

Labelled by reading each text, before any pipeline output was looked at. A plan field is left out
(so the scorer does not count it) where the opening does not settle it; see ../SOURCES.md.
Run: python tests/data/frozen/tools/build_gold.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
TTG, CP, BCT, BBT = "Thủ tướng Chính phủ", "Chính phủ", "Bộ Chính trị", "Ban Bí thư"
LDTBXH = "Bộ Lao động - Thương binh và Xã hội"
NNPTNT = "Bộ Nông nghiệp và Phát triển nông thôn"


def R(kind, ref, date=None, issuer=None, role="legal_basis", title=None, number=None, symbol=None):
    """One reference; number/symbol split from doc_ref by the contract's rule."""
    if ref is not None and number is None:
        sep = "/" if "/" in ref and ("-" not in ref.split("/")[0]) else "-"
        number, rest = ref.split(sep, 1)
        parts = rest.split("/")
        if sep == "/" and len(parts) > 1 and parts[0].isdigit():
            rest = "/".join(parts[1:])  # drop the year segment
        symbol = rest
    return {"ref_kind": kind, "number": number, "symbol": symbol, "doc_ref": ref, "ref_date": date,
            "issuer": issuer, "title": title, "role": role}


def LAW(title, date=None, ref=None, role="legal_basis", issuer=None):
    r = R("luat", ref, date, issuer, role, title)
    return r


def plan(**kw):
    return kw


def prov(name, new, kind="tỉnh"):
    return {"issuer": f"Ủy ban nhân dân {kind} {name}", "issuer_level": "province",
            "locality": f"{kind} {name}", "province": new}


def kh(num, date, raw, title, ps, pe, hz=None, sym="KH-UBND", kind="ke_hoach", **more):
    d = {"doc_kind": kind}
    if num is not None:
        d.update(number=num, symbol=sym, doc_ref=f"{num}/{sym}")
    d.update(issue_date=date, issue_date_raw=raw)
    if title is not ...:
        d["title"] = title
    if ps is not ...:
        d.update(period_start=ps, period_end=pe)
    if hz is not ...:
        d["horizon_year"] = hz
    d.update(more)
    return d


NOSIGN = {"signer_name": None, "signer_title": None, "signing_mode": None}

REALDEV = {
    "501.txt": ({**kh("135", "2022-09-27", "Sóc Trăng, ngày 27 tháng 09 năm 2022",
                      "RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO TRÊN ĐỊA BÀN TỈNH SÓC TRĂNG NĂM 2022", 2022, 2022),
                 **prov("Sóc Trăng", "Cần Thơ"), "place": "Sóc Trăng", **NOSIGN}, [
        R("nghi_dinh", "07/2021/NĐ-CP", "2021-01-27", CP),
        R("quyet_dinh", "24/2021/QĐ-TTg", "2021-07-16", TTG),
        R("thong_tu", "07/2021/TT-BLĐTBXH", "2021-07-18", LDTBXH),
        R("thong_tu", "02/2022/TT-BLĐTBXH", "2022-03-30", LDTBXH),
        R("quyet_dinh", "2212/QĐ-UBND", "2021-08-27", "Chủ tịch Ủy ban nhân dân tỉnh Sóc Trăng"),
    ]),
    "502.txt": ({"doc_kind": "ke_hoach", "number": None, "symbol": "KH-UBND", "doc_ref": None,
                 "issuer": "Ủy ban nhân dân xã Tịnh Trà", "issuer_level": "commune", "locality": "xã Tịnh Trà",
                 "province": "Quảng Ngãi", "place": "Tịnh Trà", "issue_date": "2024-04-26",
                 "issue_date_raw": "Tịnh Trà, ngày 26 tháng 4 năm 2024",
                 "title": "Triển khai thực hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023 Của Ban Thường vụ Tỉnh ủy "
                          "khóa XX về Chuyển đổi số tỉnh Quảng Ngãi Đến năm 2025, định hướng đến năm 2030",
                 "horizon_year": 2030, **NOSIGN}, [
        R("nghi_quyet", "13-NQ/TU", "2023-09-06", "Ban Thường vụ Tỉnh ủy Quảng Ngãi", "implements"),
        R("ke_hoach", "50/KH-UBND", "2024-03-11", "Ủy ban nhân dân huyện Sơn Tịnh", "implements"),
    ]),
    "503.txt": ({**kh("3104", "2016-10-10", "Quảng Bình, ngày 10 tháng 10 năm 2016",
                      "THỰC HIỆN CHƯƠNG TRÌNH QUỐC GIA PHÒNG, CHỐNG BỆNH LỞ MỒM LONG MÓNG TỈNH QUẢNG BÌNH "
                      "GIAI ĐOẠN 2016 - 2020", 2016, 2020, None, sym="QĐ-UBND", kind="quyet_dinh"),
                 **prov("Quảng Bình", "Quảng Trị"), "place": "Quảng Bình",
                 "signer_name": "Lê Minh Ngân", "signer_title": "PHÓ CHỦ TỊCH", "signing_mode": "KT.",
                 "recipients": ["Như Điều 2", "Bộ Nông nghiệp & PTNT (b/c)", "Cục Thú y",
                                "Chủ tịch, các PCT UBND tỉnh", "Lãnh đạo VPUBND tỉnh", "Chi cục CNTY",
                                "Lưu: VT, CVNN"]}, [
        LAW("Luật Tổ chức chính quyền địa phương", "2015-06-19"),
        LAW("Luật Thú y", "2015-06-19"),
        R("quyet_dinh", "476/QĐ-BNN-TY", "2016-02-17", NNPTNT, "implements"),
        R("other", "1630/TTr-SNN-TY", "2016-09-15", "Sở Nông nghiệp và Phát triển nông thôn", "mentions"),
    ]),
    # OCR'd scan: number and date unreadable, left out; ref symbols given as issued (UBND, not ƯBND)
    "504.txt": ({"doc_kind": "ke_hoach", "issuer": "Ủy ban nhân dân quận Hoàng Mai", "issuer_level": "district",
                 "locality": "quận Hoàng Mai", "province": "Hà Nội", "place": "Hoàng Mai",
                 "title": "Triển khai thực hỉện Quyết định số 16/2016/QĐ-UBND ngày 09/5/2016 của UBND Thành phấ "
                          "ban hành Quy định phân công trách nhiệm quản lý về An toàn thực phẩm trên đìa bàn "
                          "thành phố Hà Nộỉ",
                 "period_start": None, "period_end": None, "horizon_year": None, **NOSIGN}, [
        LAW("Luật An toàn thực phẩm", "2010-06-17", "55/2010/QH12", issuer="Quốc hội"),
        R("thong_tu", "13/2014/TTLT-BYT-BNNPTNT-BTC", "2014-04-09"),
        R("thong_tu", "26/2012/TT-BYT", "2012-11-30", "Bộ Y tế"),
        R("thong_tu", "149/2013/TT-BTC", "2013-10-29", "Bộ Tài chính"),
        R("quyet_dinh", "2582/QĐ-UBND", "2015-06-05"),
        R("quyet_dinh", "16/2016/QĐ-UBND", "2016-05-09", "Ủy ban nhân dân thành phố Hà Nội", "implements"),
        R("other", "2176/HD-SCT", "2016-05-18", "Sở Công Thương"),
    ]),
    # title left out: decision title (009 gold) vs attached plan title (CONTRACT) disagree, plan not in the opening
    "505.txt": ({"doc_kind": "quyet_dinh", "number": "2658", "symbol": "QĐ-BTP", "doc_ref": "2658/QĐ-BTP",
                 "issuer": "Bộ Tư pháp", "issuer_level": "ministry", "locality": None, "province": None,
                 "place": "Hà Nội", "issue_date": "2020-12-31", "issue_date_raw": "Hà Nội, ngày 31 tháng 12 năm 2020",
                 "period_start": 2021, "period_end": 2021, "horizon_year": None,
                 "signer_name": "Nguyễn Thanh Tịnh", "signer_title": None, "signing_mode": None}, [
        LAW("Luật Phổ biến, giáo dục pháp luật", "2012-06-20"),
        LAW("Luật Hòa giải ở cơ sở", "2013-06-20"),
        R("nghi_dinh", "96/2017/NĐ-CP", "2017-08-16", CP),
        R("quyet_dinh", "619/QĐ-TTg", "2017-05-08", TTG),
        R("quyet_dinh", "1521/QĐ-TTg", "2020-10-06", TTG),
        R("ket_luan", "80-KL/TW", "2020-06-20", BBT, "mentions"),
        R("chi_thi", "32-CT/TW", None, BBT, "mentions"),
    ]),
    # flattened to one line; no number line, no date line; province not named
    "506.txt": ({"doc_kind": "ke_hoach", "number": None, "symbol": None, "doc_ref": None,
                 "issuer": "Ủy ban nhân dân xã Phú Mậu", "issuer_level": "commune", "locality": "xã Phú Mậu",
                 "place": None, "issue_date": None, "title": "PHÒNG CHỐNG THIÊN TAI NĂM 2014",
                 "period_start": 2014, "period_end": 2014, "horizon_year": None, **NOSIGN}, [
        LAW("Luật Phòng, chống thiên tai", "2013-06-19"),
        R("cong_van", "2731/UBND-NN", "2014-05-20", "Ủy ban nhân dân tỉnh", "mentions"),
    ]),
    "507.txt": ({**kh("800", "2025-09-26", "Nghệ An, ngày 26 tháng 9 năm 2025",
                      "TUYỂN CHỌN, GỌI CÔNG DÂN NHẬP NGŨ VÀ THỰC HIỆN NGHĨA VỤ THAM GIA CÔNG AN NHÂN DÂN NĂM 2026",
                      2026, 2026), **prov("Nghệ An", "Nghệ An"), "place": "Nghệ An",
                 "signer_name": "Lê Hồng Vinh", "signer_title": None, "signing_mode": None}, [
        LAW("Luật Nghĩa vụ quân sự", "2015-06-19"),
        LAW("Luật Công an nhân dân"),
        R("thong_tu", "97/2025/TT-BQP", "2025-08-29"),
        R("thong_tu", "50/2016/TTLT-BQP-BCA", "2016-04-15"),
        R("thong_tu", "68/2025/TT-BQP", "2025-07-03", "Bộ Quốc phòng"),
        R("thong_tu", "148/2018/TT-BQP", "2018-10-04", "Bộ Quốc phòng"),
        R("thong_tu", "63/2023/TT-BCA", "2023-11-15", "Bộ Công an"),
        R("thong_tu", "105/2023/TT-BQP", "2023-12-06", "Bộ Quốc phòng"),
    ]),
    "508.txt": ({**kh("383", "2022-12-07", "Tiền Giang, ngày 07 tháng 12 năm 2022",
                      "THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ TRONG XÂY DỰNG NÔNG THÔN MỚI, HƯỚNG TỚI NÔNG THÔN "
                      "MỚI THÔNG MINH TRÊN ĐỊA BÀN TỈNH TIỀN GIANG GIAI ĐOẠN 2022-2025", 2022, 2025),
                 **prov("Tiền Giang", "Đồng Tháp"), "place": "Tiền Giang", **NOSIGN}, [
        R("quyet_dinh", "924/QĐ-TTg", "2022-08-22", TTG, "implements"),
        R("thong_tu", "05/2022/TT-BNNPTNT", "2022-07-25", NNPTNT),
        R("nghi_quyet", "05-NQ/TU", "2021-06-17", "Ban Chấp hành Đảng bộ tỉnh Tiền Giang"),
        R("nghi_quyet", "25/NQ-HĐND", "2021-09-17", "Hội đồng nhân dân tỉnh Tiền Giang"),
        R("nghi_quyet", "08-NQ/TU", "2021-10-06", "Tỉnh ủy Tiền Giang"),
        R("quyet_dinh", "605/QĐ-UBND", "2022-03-16", "Ủy ban nhân dân tỉnh Tiền Giang"),
        R("ke_hoach", "370/KH-UBND", "2021-12-08", "Ủy ban nhân dân tỉnh Tiền Giang"),
    ]),
    "509.txt": ({**kh("68", "2020-03-11", "Sơn La, ngày 11 tháng 3 năm 2020",
                      "VỀ VIỆC TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 37-CT/TW NGÀY 03/9/2019 CỦA BAN BÍ THƯ VỀ TĂNG "
                      "CƯỜNG SỰ LÃNH ĐẠO, CHỈ ĐẠO XÂY DỰNG QUAN HỆ LAO ĐỘNG HÀI HÒA, ỔN ĐỊNH VÀ TIẾN BỘ TRONG "
                      "TÌNH HÌNH MỚI", None, None), **prov("Sơn La", "Sơn La"), "place": "Sơn La", **NOSIGN}, [
        R("chi_thi", "37-CT/TW", "2019-09-03", BBT, "implements"),
        R("ke_hoach", "185-KH/TU", "2020-01-03", "Ban Thường vụ Tỉnh ủy Sơn La", "implements"),
    ]),
    # the list before the header is the site's "related documents", not citations
    "510.txt": ({**kh("2022", "2014-05-13", "Thành phố Hồ Chí Minh, ngày 13 tháng 5 năm 2014",
                      "TRIỂN KHAI, TỔ CHỨC THÁNG HÀNH ĐỘNG “VÌ TRẺ EM” NĂM 2014", 2014, 2014),
                 **prov("Hồ Chí Minh", "Hồ Chí Minh", "thành phố"), "place": "Thành phố Hồ Chí Minh", **NOSIGN}, [
        R("chi_thi", "20-CT/TW", "2012-11-05", BCT, "mentions"),
        R("quyet_dinh", "37/2010/QĐ-TTg", "2010-04-22", TTG, "mentions"),
    ]),
    "511.txt": ({**kh("1168", "2013-06-17", "Trà Vinh, ngày 17 tháng 6 năm 2013",
                      "THỰCHIỆN CHIẾN LƯỢC PHÁT TRIỂN GIA ĐÌNH VIỆT NAM ĐẾN NĂM 2020, TẦM NHÌN ĐẾN NĂM2030 TRÊN "
                      "ĐỊA BÀN TỈNH TRÀ VINH", ..., None, 2030, sym="QĐ-UBND", kind="quyet_dinh"),
                 **prov("Trà Vinh", "Vĩnh Long"), "place": "Trà Vinh",
                 "signer_name": "Sơn Thị Ánh Hồng", "signer_title": "PHÓ CHỦ TỊCH", "signing_mode": "KT."}, [
        LAW("Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân", "2003-11-26"),
        R("quyet_dinh", "629/QĐ-TTg", "2012-05-29", TTG, "implements"),
        R("cong_van", "31/SVHTTDT-NSVHGD", "2013-01-16", "Sở Văn hóa, Thể thao và Du lịch", "mentions"),
    ]),
    # headerless commune web post: no number, no date line, no title line
    "512.txt": ({"doc_kind": "ke_hoach", "number": None, "symbol": None, "doc_ref": None,
                 "issuer": "Ủy ban nhân dân xã Giao Thiện", "issuer_level": "commune", "locality": "xã Giao Thiện",
                 "place": None, "period_start": 2024, "period_end": 2024, "horizon_year": None, **NOSIGN}, []),
    "513.txt": ({**kh("252", "2023-09-05", "Hà Giang, ngày 05 tháng 9 năm 2023",
                      "THỰC HIỆN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP HUYỆN, CẤP XÃ TỈNH HÀ GIANG GIAI ĐOẠN 2023 - 2025",
                      2023, 2025), **prov("Hà Giang", "Tuyên Quang"), "place": "Hà Giang", **NOSIGN}, [
        R("ket_luan", "48-KL/TW", "2023-01-30", BCT, "implements"),
        R("nghi_quyet", "35/2023/UBTVQH15", "2023-07-12", "Ủy ban Thường vụ Quốc hội", "implements"),
        R("nghi_quyet", "117/NQ-CP", "2023-07-30", CP, "implements"),
        R("chi_thi", "30-CT/TU", "2023-08-07", "Ban Thường vụ Tỉnh ủy Hà Giang", "implements"),
        R("nghi_quyet", "37-NQ/TW", "2018-12-24", BCT, "mentions"),
    ]),
    "514.txt": ({**kh("1312", "2013-03-28", "Bến Tre, ngày 28 tháng 3 năm 2013",
                      "TIẾP TỤC THỰC HIỆN ĐỀ ÁN “TUYÊN TRUYỀN, PHỔ BIẾN PHÁP LUẬT CHO NGƯỜI LAO ĐỘNG; NGƯỜI SỬ "
                      "DỤNG LAO ĐỘNG TRONG CÁC LOẠI HÌNH DOANH NGHIỆP” TRÊN ĐỊA BÀN TỈNH BẾN TRE GIAI ĐOẠN "
                      "2013-2016", 2013, 2016), **prov("Bến Tre", "Vĩnh Long"), "place": "Bến Tre", **NOSIGN}, [
        R("quyet_dinh", "31/2009/QĐ-TTg", "2009-02-24", TTG, "implements"),
        R("cong_van", "2717/LĐTBXH-PC", "2012-08-08", LDTBXH, "mentions"),
    ]),
    "515.txt": ({**kh("66", "2016-05-26", "Cần Thơ, ngày 26 tháng 5 năm 2016",
                      "HÀNH ĐỘNG NĂM CAO ĐIỂM VỆ SINH AN TOÀN THỰC PHẨM TRONG LĨNH VỰC NÔNG NGHIỆP TRÊN ĐỊA BÀN "
                      "THÀNH PHỐ CẦN THƠ", 2016, 2016), **prov("Cần Thơ", "Cần Thơ", "thành phố"),
                 "place": "Cần Thơ", **NOSIGN}, [
        R("other", "04/TB-VPCP", "2016-01-07", "Văn phòng Chính phủ", "mentions"),
        R("quyet_dinh", "629/QĐ-BNN-QLCL", "2016-03-02", "Bộ trưởng Bộ Nông nghiệp và Phát triển nông thôn",
          "implements"),
    ]),
}

FROZEN = {
    "601.txt": ({"doc_kind": "ke_hoach", "number": "36", "symbol": "KH-UBND", "doc_ref": "36/KH-UBND",
                 "issuer": "Ủy ban nhân dân xã Xuân Tín", "issuer_level": "commune", "locality": "xã Xuân Tín",
                 "place": "Xuân Tín", "issue_date": "2025-05-07", "issue_date_raw": "Xuân Tín, ngày 07 tháng 5 năm 2025",
                 "title": "Phòng, chống thiên tai, tìm kiếm cứu nạn và phòng thủ dân sự năm 2025 trên địa bàn Xã Xuân Tín",
                 "period_start": 2025, "period_end": 2025, "horizon_year": None, **NOSIGN}, [
        LAW("Luật Phòng, chống thiên tai", "2013-06-19"),
        R("nghi_dinh", "30/2017/NĐ-CP", "2017-03-21", CP),
        R("nghi_dinh", "160/2018/NĐ-CP", "2018-11-29", CP),
        R("nghi_dinh", "02/2019/NĐ-CP", "2019-01-02", CP),
        R("quyet_dinh", "1597/QĐ-UBND", "2020-05-08", "Chủ tịch Ủy ban nhân dân tỉnh"),
        R("thong_tu", "02/2022/TT-BNNPTNT", "2022-06-07", NNPTNT),
    ]),
    # blank number and day/month in the header; flattened to one line behind site chrome
    "602.txt": ({"doc_kind": "ke_hoach", "number": None, "symbol": "KH-UBND", "doc_ref": None,
                 "issuer": "Ủy ban nhân dân xã Chư Hreng", "issuer_level": "commune", "locality": "xã Chư Hreng",
                 "province": "Quảng Ngãi", "issue_date": None,
                 "title": "PHÒNG CHỐNG THIÊN TAI HÒA NHẬP KHUYẾT TẬT XÃ CHƯ HRENG Thành phố Kon Tum, Tỉnh Kon Tum "
                          "Giai đoạn: 2017 – 2019",
                 "period_start": 2017, "period_end": 2019, "horizon_year": None, **NOSIGN}, []),
    # web post: whether it is the plan or its decision 119/QĐ-UBND is not settled; kind/number/date left out
    "603.txt": ({"issuer": "Ủy ban nhân dân xã Long Phụng", "issuer_level": "commune", "locality": "xã Long Phụng",
                 "title": "CẢI CÁCH HÀNH CHÍNH NĂM 2025", "period_start": 2025, "period_end": 2025,
                 "horizon_year": None, **NOSIGN}, None),
    # body starts at "I. CĂN CỨ LẬP KẾ HOẠCH": only the kind and the references are settled
    "604.txt": ({"doc_kind": "ke_hoach"}, [
        R("quyet_dinh", "749/QĐ-TTg", "2020-06-03", TTG),
        R("quyet_dinh", "942/QĐ-TTg", "2021-06-15", TTG),
        R("quyet_dinh", "146/QĐ-TTg", "2022-01-28", TTG),
        R("quyet_dinh", "411/QĐ-TTg", "2022-03-31", TTG),
        R("quyet_dinh", "505/QĐ-TTg", "2022-04-22", TTG),
        R("quyet_dinh", "964/QĐ-TTg", "2022-08-10", TTG),
        R("nghi_quyet", "05-NQ/TU", "2021-10-22", "Ban Chấp hành Đảng bộ tỉnh Hà Tĩnh"),
        R("quyet_dinh", "424/QĐ-UBND", "2022-02-18", "Ủy ban nhân dân tỉnh Hà Tĩnh"),
        R("ke_hoach", "194/KH-UBND", None),
    ]),
    "605.txt": ({"doc_kind": "ke_hoach", "number": None, "doc_ref": None,
                 "issuer": "Ủy ban nhân dân huyện U Minh Thượng", "issuer_level": "district",
                 "locality": "huyện U Minh Thượng", "province": "An Giang", "place": None,
                 "title": "Rà soát hộ nghèo, hộ cận nghèo và xác định hộ làm nông nghiệp, lâm nghiệpngư nghiệp có "
                          "mức sống trung bình năm 2021 trên địa bàn huyện U Minh Thượng",
                 "period_start": 2021, "period_end": 2021, "horizon_year": None, **NOSIGN}, [
        R("ke_hoach", "164/KH-UBND", "2021-08-29", "Ủy ban nhân dân tỉnh Kiên Giang", "implements"),
    ]),
    "606.txt": ({**kh("155", "2017-05-26", "Bắc Ninh, ngày 26 tháng 5 năm 2017",
                      "TRIỂN KHAI CHƯƠNG TRÌNH HÀNH ĐỘNG QUỐC GIA VỀ ĐĂNG KÝ VÀ THỐNG KÊ HỘ TỊCH GIAI ĐOẠN 2017 - "
                      "2024 TRÊN ĐỊA BÀN TỈNH BẮC NINH", 2017, 2024), **prov("Bắc Ninh", "Bắc Ninh"),
                 "place": "Bắc Ninh", "signer_name": "Nguyễn Tiến Nhường", "signer_title": None, "signing_mode": None}, [
        LAW("Luật Hộ tịch"),
        R("nghi_dinh", "123/2015/NĐ-CP", "2015-11-15", CP),
        R("quyet_dinh", "101/QĐ-TTG", "2017-01-23", TTG, "implements"),
    ]),
    "607.txt": ({**kh("4544", "2023-07-13", "Quảng Nam, ngày 13 tháng 7 năm 2023",
                      "GIÁM SÁT, ĐÁNH GIÁ THỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG TRÊN ĐỊA "
                      "BÀN TỈNH QUẢNG NAM NĂM 2023", 2023, 2023), **prov("Quảng Nam", "Đà Nẵng"),
                 "place": "Quảng Nam", **NOSIGN}, [
        R("nghi_dinh", "27/2022/NĐ-CP", "2022-04-19", CP),
        R("quyet_dinh", "90/QĐ-TTg", "2022-01-18", TTG),
        R("thong_tu", "10/2022/TT-BLĐTBXH", "2022-05-31", LDTBXH),
        R("ke_hoach", "6103/KH-UBND", "2022-09-16", "Ủy ban nhân dân tỉnh Quảng Nam", "implements"),
    ]),
    "608.txt": ({**kh("62", "2021-04-28", "Tuyên Quang, ngày 28 tháng 4 năm 2021",
                      "THỰC HIỆN ĐỀ ÁN TRỒNG 1 TỶ CÂY XANH CỦA CHÍNH PHỦ TRÊN ĐỊA BÀN TỈNH TUYÊN QUANG, GIAI "
                      "ĐOẠN 2021 - 2025", 2021, 2025), **prov("Tuyên Quang", "Tuyên Quang"),
                 "place": "Tuyên Quang", **NOSIGN}, [
        LAW("Luật Lâm nghiệp"),
        R("quyet_dinh", "524/QĐ-TTg", "2021-04-01", TTG, "implements"),
        R("quyet_dinh", "688/QĐ-UBND", "2020-12-31", "Ủy ban nhân dân tỉnh Tuyên Quang"),
        R("quyet_dinh", "73/QĐ-UBND", "2021-02-26", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    ]),
    # escaped CRLFs as literal text; no title line on the page
    "609.txt": ({**kh("54", "2020-03-27", "Lạng Sơn, ngày 27 tháng 3 năm 2020", None, ..., None, ...),
                 **prov("Lạng Sơn", "Lạng Sơn"), "place": "Lạng Sơn", **NOSIGN}, [
        R("quyet_dinh", "1896/QĐ-TTg", "2019-12-25", TTG, "implements"),
    ]),
    "610.txt": ({**kh("186", "2025-12-29", "Bắc Ninh, ngày 29 tháng 12 năm 2025",
                      "PHÁT TRIỂN CHÍNH QUYỀN SỐ TỈNH BẮC NINH GIAI ĐOẠN 2026-2030", 2026, 2030),
                 **prov("Bắc Ninh", "Bắc Ninh"), "place": "Bắc Ninh",
                 "signer_name": "Mai Sơn", "signer_title": None, "signing_mode": None}, [
        R("nghi_quyet", "57-NQ/TW", "2024-12-22", BCT),
        R("nghi_quyet", "71/NQ-CP", "2025-04-01", CP),
        R("nghi_quyet", "214/NQ-CP", "2025-07-23", CP),
        R("quyet_dinh", "2629/QĐ-TTg", "2025-12-01", TTG, "implements"),
        R("other", "164/TTr-SKHCN", "2025-12-17", "Sở Khoa học và Công nghệ", "mentions"),
    ]),
    # the attached plan (and so its title) is past the end of the opening
    "611.txt": ({**kh("503", "2019-05-17", "Kon Tum, ngày 17 tháng 5 năm 2019", ..., 2019, 2019,
                      sym="QĐ-UBND", kind="quyet_dinh"), **prov("Kon Tum", "Quảng Ngãi"), "place": "Kon Tum"}, [
        LAW("Luật Tổ chức chính quyền địa phương", "2015-06-19"),
        LAW("Luật Phòng, chống thiên tai", "2013-06-19"),
        R("nghi_dinh", "160/2018/NĐ-CP", "2018-11-29", CP),
        R("quyet_dinh", "1061/QĐ-TTg", "2014-07-01", TTG),
        R("other", "57/TTr-SNN", "2019-04-18", "Sở Nông nghiệp và Phát triển nông thôn", "mentions"),
    ]),
    "612.txt": ({**kh("3600", "2007-08-09", "TP. Hồ Chí Minh, ngày 09 tháng 8 năm 2007", ..., 2007, 2010, None,
                      sym="QĐ-UBND", kind="quyet_dinh"), **prov("Hồ Chí Minh", "Hồ Chí Minh", "thành phố"),
                 "place": "TP. Hồ Chí Minh"}, [
        LAW("Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân", "2003-11-26"),
        R("quyet_dinh", "212/2004/QĐ-TTg", "2004-12-16", TTG, "implements"),
        R("quyet_dinh", "28/2006/QĐ-TTg", "2006-01-28", TTG, "implements"),
        R("cong_van", "2193/BTP-ĐA4", "2007-05-21", "Ban Điều hành Đề án 4 Bộ Tư pháp", "mentions"),
    ]),
    "613.txt": ({**kh("24", "2021-01-23", "Thừa Thiên Huế, ngày 23 tháng 01 năm 2021",
                      "TRIỂN KHAI THỰC HIỆN ĐỀ ÁN “XÂY DỰNG NẾP SỐNG VĂN MINH ĐÔ THỊ VÀ NÔNG THÔN-TRÊN ĐỊA BÀN "
                      "TỈNH THỪA THIÊN HUẾ GIAI ĐOẠN 2021-2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030”", 2021, 2025, 2030),
                 **prov("Thừa Thiên Huế", "Huế"), "place": "Thừa Thiên Huế", **NOSIGN}, [
        R("nghi_quyet", "14/2020/NQ-HĐND", "2020-11-13", "Hội đồng nhân dân tỉnh Thừa Thiên Huế", "implements"),
    ]),
    "614.txt": ({**kh("115", "2022-04-08", "Hà Nội, ngày 08 tháng 4 năm 2022",
                      "NÂNG CAO HIỆU QUẢ CÔNG TÁC TRANG TRÍ, TUYÊN TRUYỀN, CỔ ĐỘNG TRỰC QUAN PHỤC VỤ NHIỆM VỤ "
                      "CHÍNH TRỊ TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI GIAI ĐOẠN 2021-2025", 2021, 2025),
                 **prov("Hà Nội", "Hà Nội", "thành phố"), "place": "Hà Nội", **NOSIGN}, [
        R("chuong_trinh", "06-CTr/TU", "2021-03-17", "Thành ủy Hà Nội", "implements"),
        R("nghi_quyet", "09-NQ/TU", "2022-02-22", "Thành ủy Hà Nội", "implements"),
        R("ke_hoach", "176/KH-UBND", "2021-07-30", "Ủy ban nhân dân thành phố Hà Nội", "implements"),
    ]),
    # text layer without its Vietnamese letters (PDF font); only what is readable is labelled
    "615.txt": ({"doc_kind": "ke_hoach", "number": "2215", "symbol": "KH-UBND", "doc_ref": "2215/KH-UBND",
                 "issuer": "Ủy ban nhân dân thành phố Hồ Chí Minh", "issuer_level": "province",
                 "province": "Hồ Chí Minh", "issue_date": "2009-05-20"}, [
        R("chi_thi", "09-CT/TU", None, None, "implements"),
    ]),
    "616.txt": ({**kh("300", "2021-12-30", "Sơn La, ngày 30 tháng 12 năm 2021",
                      "THỰC HIỆN CHƯƠNG TRÌNH NÂNG CAO CHẤT LƯỢNG BẢO VỆ, CHĂM SÓC SỨC KHỎE NGƯỜI CÓ CÔNG VỚI "
                      "CÁCH MẠNG, NGƯỜI CAO TUỔI, TRẺ EM, NGƯỜI KHUYẾT TẬT VÀ CÁC ĐỐI TƯỢNG CẦN TRỢ GIÚP XÃ HỘI "
                      "TRÊN ĐỊA BÀN TỈNH SƠN LA GIAI ĐOẠN 2021-2030", 2021, 2030), **prov("Sơn La", "Sơn La"),
                 "place": "Sơn La", **NOSIGN}, [
        R("quyet_dinh", "1942/QĐ-TTg", "2021-11-18", TTG, "implements"),
    ]),
    "617.txt": ({**kh("4291", "2021-09-23", "Phú Thọ, ngày 23 tháng 9 năm 2021",
                      "ỨNG DỤNG CÔNG NGHỆ HIỆN ĐẠI TRONG QUẢN LÝ THÔNG TIN TRÊN BÁO CHÍ VÀ MẠNG INTERNET TỈNH "
                      "PHÚ THỌ GIAI ĐOẠN 2021 - 2025", 2021, 2025), **prov("Phú Thọ", "Phú Thọ"),
                 "place": "Phú Thọ", **NOSIGN}, [
        R("chi_thi", "09/CT-TTg", "2021-03-31", TTG, "implements"),
        R("chi_thi", "12/CT-TTg", "2021-05-12", TTG, "implements"),
        R("nghi_quyet", "55-NQ/TU", "2021-08-13", "Ban Thường vụ Tỉnh ủy Phú Thọ", "implements"),
    ]),
    # date as written (08/01/2023) although it cites papers of 21/3/2023 and 20/12/2023
    "618.txt": ({**kh("08", "2023-01-08", "Bà Rịa - Vũng Tàu, ngày 08 tháng 01 năm 2023",
                      "TRIỂN KHAI THỰC HIỆN CÔNG TÁC TRUYỀN THÔNG CHÍNH SÁCH TRÊN ĐỊA BÀN TỈNH BÀ RỊA – VŨNG TÀU",
                      None, None), **prov("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), "place": "Bà Rịa - Vũng Tàu",
                 **NOSIGN}, [
        R("chi_thi", "09/CT-TTg", "2021-03-31", TTG, "implements"),
        R("chi_thi", "07/CT-TTg", "2023-03-21", TTG, "implements"),
        R("quyet_dinh", "765/QĐ-BTTTT", "2023-04-28", "Bộ Thông tin và Truyền thông", "implements"),
        R("cong_van", "5104/BTTTT-PTTH&TTĐT", None, "Bộ Thông tin và Truyền thông", "mentions"),
        R("other", "118/TTr-STTTT", "2023-12-20", "Sở Thông tin và Truyền thông", "mentions"),
    ]),
    "619.txt": ({**kh("90", "2020-04-03", "Sơn La, ngày 03 tháng 4 năm 2020",
                      "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 08/CT-TTG NGÀY 04/02/2020 CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ ĐẨY "
                      "MẠNH CÔNG TÁC PHÒNG, CHỐNG BẠO LỰC GIA ĐÌNH", None, None), **prov("Sơn La", "Sơn La"),
                 "place": "Sơn La", **NOSIGN}, [
        R("nghi_dinh", "08/2009/NĐ-CP", "2009-02-04", CP),
        R("chi_thi", "08/CT-TTg", "2020-02-04", TTG, "implements"),
        LAW("Luật Phòng, chống bạo lực gia đình"),
    ]),
    "620.txt": ({**kh("54", "2022-03-09", "Phú Yên, ngày 09 tháng 3 năm 2022",
                      "TRIỂN KHAI CHƯƠNG TRÌNH VỀ PHÒNG, CHỐNG BẠO LỰC GIA ĐÌNH TRONG TÌNH HÌNH MỚI ĐẾN NĂM 2025 "
                      "TRÊN ĐỊA BÀN TỈNH PHÚ YÊN", ..., None, None), **prov("Phú Yên", "Đắk Lắk"),
                 "place": "Phú Yên", **NOSIGN}, [
        R("quyet_dinh", "45/QĐ-TTg", "2022-01-13", TTG, "implements"),
        R("chuong_trinh", None, None, None, "mentions",
          "Chương trình hành động quốc gia về phòng, chống bạo lực gia đình"),
    ]),
    # site dropped the KẾ HOẠCH line and the issuer's second header line
    "621.txt": ({**kh("138", "2021-06-03", "Hà Nội, ngày 03 tháng 6 năm 2021",
                      "THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG QUỐC GIA VÌ TRẺ EM THÀNH PHỐ HÀ NỘI GIAI ĐOẠN 2021-2030",
                      2021, 2030), **prov("Hà Nội", "Hà Nội", "thành phố"), "place": "Hà Nội", **NOSIGN}, [
        R("quyet_dinh", None, None, None, "implements", number="23", symbol=None),
        LAW("Luật Trẻ em"),
    ]),
    "622.txt": ({**kh("89", "2016-05-05", "Hà Nội, ngày 05 tháng 05 năm 2016",
                      "THỰC HIỆN THÁNG HÀNH ĐỘNG VÌ TRẺ EM NĂM 2016", 2016, 2016),
                 **prov("Hà Nội", "Hà Nội", "thành phố"), "place": "Hà Nội", **NOSIGN}, [
        R("thong_tu", "15/2014/TT-BLĐTBXH", "2014-06-19", LDTBXH),
        R("quyet_dinh", "498/QĐ-LĐTBXH", "2016-04-19", LDTBXH, "implements"),
    ]),
    "623.txt": ({**kh("166", "2021-01-19", "Hải Dương, ngày 19 tháng 01 năm 2021",
                      "TIẾP TỤC THỰC HIỆN ĐỀ ÁN “XÂY DỰNG LÀNG AN TOÀN, KHU DÂN CƯ AN TOÀN; CƠ QUAN, DOANH "
                      "NGHIỆP AN TOÀN VỀ AN NINH TRẬT TỰ” GIAI ĐOẠN 2021-2025", 2021, 2025),
                 **prov("Hải Dương", "Hải Phòng"), "place": "Hải Dương", **NOSIGN}, [
        R("thong_tu", "23/2012/TT-BCA", "2012-04-27", "Bộ Công an"),
    ]),
    "624.txt": ({**kh("7822", "2021-11-26", "Bến Tre, ngày 26 tháng 11 năm 2021", None, 2021, 2030),
                 **prov("Bến Tre", "Vĩnh Long"), "place": "Bến Tre", **NOSIGN}, [
        R("quyet_dinh", "1662/QĐ-TTg", "2021-10-04", TTG, "implements"),
        R("ke_hoach", "7308/KH-BNN-TCLN", "2021-11-04", NNPTNT, "implements"),
    ]),
    "625.txt": ({**kh("816", "2018-03-27", "Bà Rịa - Vũng Tàu, ngày 27 tháng 03 năm 2018",
                      "PHÊ DUYỆT KẾ HOẠCH TRỒNG RỪNG, TRỒNG CÂY XANH TRÊN ĐỊA BÀN TỈNH GIAI ĐOẠN 2018-2020",
                      2018, 2020, None, sym="QĐ-UBND", kind="quyet_dinh"),
                 **prov("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), "place": "Bà Rịa - Vũng Tàu", **NOSIGN}, [
        LAW("Luật Tổ chức chính quyền địa phương", "2015-06-19"),
        LAW("Luật Bảo vệ và Phát triển rừng", "2004-12-03"),
        R("nghi_dinh", "23/2006/NĐ-CP", "2006-03-03", CP),
        R("quyet_dinh", "57/QĐ-TTg", "2012-01-09", TTG),
        R("quyet_dinh", "1983/QĐ-UBND", "2016-07-25", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
        R("other", "1102-TB/KL", "2018-01-24", "Thường trực Tỉnh ủy Bà Rịa - Vũng Tàu"),
        R("other", "72/TTr-SNN", "2018-03-02", "Sở Nông nghiệp và Phát triển nông thôn", "mentions"),
    ]),
    "626.txt": ({**kh("594", "2017-10-20", "An Giang, ngày 20 tháng 10 năm 2017",
                      "TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP NGÀY 08/8/2017 CỦA CHÍNH PHỦ VÀ KẾ HOẠCH SỐ "
                      "31-KH/TU NGÀY 04/7/2017 CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ THỰC HIỆN CHỈ THỊ SỐ 13-CT/TW CỦA "
                      "BAN BÍ THƯ TRUNG ƯƠNG ĐẢNG", None, None), **prov("An Giang", "An Giang"),
                 "place": "An Giang", **NOSIGN}, [
        R("nghi_quyet", "71/NQ-CP", "2017-08-08", CP, "implements"),
        R("ke_hoach", "31-KH/TU", "2017-07-04", "Ban Thường vụ Tỉnh ủy An Giang", "implements"),
        R("chi_thi", "13-CT/TW", "2017-01-12", BBT, "mentions"),
    ]),
    "627.txt": ({**kh("1886", "2021-05-21", "Thành phố Hồ Chí Minh, ngày 21 tháng 5 năm 2021",
                      "VỀ PHÊ DUYỆT CHƯƠNG TRÌNH QUẢN LÝ, BẢO VỆ, PHÒNG CHÁY VÀ CHỮA CHÁY RỪNG TRÊN ĐỊA BÀN "
                      "THÀNH PHỐ HỒ CHÍ MINH GIAI ĐOẠN 2021 - 2025", 2021, 2025, None, sym="QĐ-UBND",
                      kind="quyet_dinh"), **prov("Hồ Chí Minh", "Hồ Chí Minh", "thành phố"),
                 "place": "Thành phố Hồ Chí Minh",
                 "signer_name": "Võ Văn Hoan", "signer_title": None, "signing_mode": None}, [
        LAW("Luật Tổ chức chính quyền địa phương", "2015-06-19"),
        LAW("Luật Lâm nghiệp", "2017-11-15"),
        R("nghi_dinh", "156/2018/NĐ-CP", "2018-11-16", CP),
        R("nghi_dinh", "79/2014/NĐ-CP", "2014-07-31", CP),
        R("nghi_dinh", "133/2015/NĐ-CP", "2015-12-28", CP),
    ]),
    # whole plan: the repository's eight chunks joined in order; plan fields and references only (its
    # `1. Nội dung, biện pháp / 2. Cơ quan chủ trì / 3. Thời gian` blocks are not settled by the contract)
    "628.md": ({"doc_kind": "ke_hoach", "number": "252", "symbol": "KH-BCĐQG1237", "doc_ref": "252/KH-BCĐQG1237",
                "issuer": "Ban Chỉ đạo quốc gia về tìm kiếm, quy tập hài cốt liệt sĩ", "issuer_level": "national",
                "locality": None, "province": None, "place": "Hà Nội", "issue_date": "2013-11-11",
                "issue_date_raw": "Hà Nội, ngày 11 tháng 11 năm 2013",
                "title": "TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 1237/QĐ-TTG NGÀY 27 THÁNG 7 NĂM 2013 CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ TỪ NAY ĐẾN NĂM 2020 VÀ NHỮNG NĂM TIẾP THEO",
                "signer_name": "Nguyễn Thiện Nhân", "signer_title": "PHÓ THỦ TƯỚNG", "signing_mode": None}, [
        R("chi_thi", "24-CT/TW", "2013-05-15", BCT),
        R("quyet_dinh", "1237/QĐ-TTg", "2013-07-27", TTG, "implements"),
        R("quyet_dinh", "1753/QĐ-TTg", "2013-09-30", TTG),
    ]),
}


def write(folder: str, docs: dict) -> None:
    out = HERE / folder / "gold"
    out.mkdir(parents=True, exist_ok=True)
    for name, (p, refs) in docs.items():
        gold = {"doc": name, "plan": p}
        if refs is not None:
            gold["references"] = refs
        (out / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write("realdev", REALDEV)
    write("frozen", FROZEN)
    print(len(REALDEV), "realdev,", len(FROZEN), "frozen")
