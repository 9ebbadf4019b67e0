"""Plan graph end to end: a child citing its parent by a shortened symbol (`19/KH-BCĐ`) links to the
parent whose own number reads `19/KH-BCĐ138/CP` (same date, same issuer) through `kehoach run`."""

import pyarrow.parquet as pq

from pipeline.cli import main

PARENT = """BAN CHỈ ĐẠO 138/CP

Số: 19/KH-BCĐ138/CP

Hà Nội, ngày 14 tháng 3 năm 2025

KẾ HOẠCH

Phòng, chống tội phạm mua bán người năm 2025

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao hiệu quả công tác phòng, chống mua bán người.

II. NHIỆM VỤ, GIẢI PHÁP

1. Tăng cường công tác tuyên truyền, giáo dục pháp luật về phòng, chống mua bán người cho Nhân dân.

2. Rà soát, tiếp nhận, xác minh và hỗ trợ nạn nhân bị mua bán trở về địa phương.

3. Ủy ban nhân dân các cấp kiểm tra, đôn đốc việc thực hiện Kế hoạch; báo cáo kết quả 6 tháng, hằng năm.

Nơi nhận:
- Lưu: VT.

TRƯỞNG BAN

Nguyễn Văn B
"""

CHILD = """ỦY BAN NHÂN DÂN XÃ TIÊN PHONG

Số: 7/KH-UBND

Tiên Phong, ngày 02 tháng 4 năm 2025

KẾ HOẠCH

Phòng, chống mua bán người trên địa bàn xã năm 2025

{cite}, Ủy ban nhân dân xã Tiên Phong ban hành Kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU

Triển khai kịp thời các nhiệm vụ trên địa bàn xã.

II. NHIỆM VỤ, GIẢI PHÁP

1. Đẩy mạnh tuyên truyền, giáo dục pháp luật về phòng, chống mua bán người cho người dân trên địa bàn xã.

2. Tiếp nhận, xác minh và hỗ trợ nạn nhân bị mua bán trở về xã.

III. TỔ CHỨC THỰC HIỆN

Công an xã theo dõi, đôn đốc việc thực hiện Kế hoạch này.

Nơi nhận:
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn A
"""

CITE = ("Thực hiện Kế hoạch số 19/KH-BCĐ ngày 14/3/2025 của Ban Chỉ đạo 138/CP về phòng, chống tội "
        "phạm mua bán người năm 2025")


def run_both(tmp_path, cite):
    src = tmp_path / "in"
    src.mkdir()
    (src / "parent.txt").write_text(PARENT, encoding="utf-8")
    (src / "child.txt").write_text(CHILD.format(cite=cite), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--workers", "0", "--no-progress"]) == 0
    return {t: pq.read_table(out / f"{t}.parquet").to_pylist()
            for t in ("plans", "references", "plan_links", "coverage")}


def test_shortened_symbol_links_by_number_date_and_issuer(tmp_path):
    t = run_both(tmp_path, CITE)
    plans = {p["doc_ref"]: p for p in t["plans"]}
    assert set(plans) == {"19/KH-BCĐ138/CP", "7/KH-UBND"}
    (ref,) = [r for r in t["references"] if r["doc_ref"] == "19/KH-BCĐ"]
    # the issuer keeps the number of its name, the role is the plan's parent
    assert ref["issuer"] == "Ban Chỉ đạo 138/CP" and ref["role"] == "implements"
    (ln,) = t["plan_links"]
    assert ln["resolved"] and ln["method"] == "number+date+issuer"
    assert ln["parent_doc_id"] == plans["19/KH-BCĐ138/CP"]["doc_id"]
    assert t["coverage"] and all(c["parent_doc_id"] == ln["parent_doc_id"] for c in t["coverage"])


def test_another_issuer_does_not_link(tmp_path):
    # the same number and date from another steering committee is not the parent
    t = run_both(tmp_path, CITE.replace("Ban Chỉ đạo 138/CP", "Ban Chỉ đạo 389 quốc gia"))
    (ln,) = t["plan_links"]
    assert not ln["resolved"] and ln["parent_doc_id"] is None
