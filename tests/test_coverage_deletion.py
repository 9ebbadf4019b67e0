"""Coverage on real commune plans, through the whole pipeline: delete what carries a mandate
out and exactly that mandate turns `missing`; reword it and it stays `covered`.

The seed commune plans (corpus/001 xã Nhân Lý, corpus/000 xã Hòa Xá) carry out the 2026-2030
anti-trafficking programme; their parents are not in hand, so the mandates come from the
programme's catalogue (rules/mandates/pcmbn-2026-2030.yaml). The last test puts the provincial
plan (corpus/002) in hand as 001's parent, so the mandates come from the parent's tasks.
"""

from pathlib import Path

import pytest

from pipeline.compare import compare_store
from pipeline.flags import find_flags
from pipeline.link import link
from pipeline.process import process_file
from pipeline.write import rows_of

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NHAN_LY = CORPUS / "001_b50113e3584b2743.txt"
HOA_XA = CORPUS / "000_47bbd5210619a683.txt"
HUNG_YEN = CORPUS / "002_d3aaa3c4c74050a3.txt"


_RESULTS: dict[str, dict] = {}  # text -> rows: the unchanged plans are read once per session


def tables_of(tmp_path, rules, **texts):
    tables: dict[str, list] = {}
    for name, text in texts.items():
        if text not in _RESULTS:
            path = tmp_path / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            result = process_file(path, rules=rules)
            assert result.raw.status == "ok", result.raw.error
            _RESULTS[text] = rows_of(result)
        for table, rows in _RESULTS[text].items():
            tables.setdefault(table, []).extend(rows)
    if not tables.get("tasks"):
        pytest.skip("the task extractor found no tasks yet")
    return tables


def coverage(tmp_path, rules, text, name="plan"):
    tables = tables_of(tmp_path, rules, **{name: text})
    links = link(tables["plans"], tables["references"], rules=rules)
    cov = compare_store(tables, links, rules=rules)
    return {c.mandate_id.rsplit(":", 1)[-1]: c for c in cov}, tables, links, cov


def cut(text, start, end):
    """TEXT without the part from START up to (not including) the next END."""
    i = text.index(start)
    j = text.index(end, i + len(start))
    return text[:i] + text[j:]


def changed(before, after):
    assert set(before) == set(after)
    return {k: after[k].status for k in before if before[k].status != after[k].status}


@pytest.fixture(scope="module")
def nhan_ly():
    return NHAN_LY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hoa_xa():
    return HOA_XA.read_text(encoding="utf-8")


def test_seed_plans_meet_most_of_the_programme(tmp_path, rules, nhan_ly, hoa_xa):
    for text in (nhan_ly, hoa_xa):
        cov, *_ = coverage(tmp_path, rules, text)
        assert len(cov) >= 20
        assert sum(c.status == "covered" for c in cov.values()) >= 0.8 * len(cov)
        for mid in ("G1.5", "G3.3", "G5.1", "G5.3"):
            assert cov[mid].status == "covered" and cov[mid].child_task_ids and cov[mid].matched_terms


def test_nhan_ly_delete_one_task(tmp_path, rules, nhan_ly):
    before, *_ = coverage(tmp_path, rules, nhan_ly, "before")
    # II/3/b: science, technology and digital transformation in managing residence and exit/entry
    text = cut(nhan_ly, "b) Đẩy mạnh ứng dụng khoa học", "c) Tăng cường quản lý, kiểm tra")
    after, tables, *_ = coverage(tmp_path, rules, text, "after")
    # the mandate's second duty (monitoring and tracing trafficking online) is still carried by
    # II/4/a/-2 (review, detect and remove content online): no longer covered, at most partial
    assert set(changed(before, after)) == {"G3.3"} and after["G3.3"].status in ("partial", "missing")
    paths = {t["task_id"]: t["path"] for t in tables["tasks"]}
    assert "II/3/b" not in {paths.get(i) for i in after["G3.3"].child_task_ids}


def test_nhan_ly_delete_a_task_group(tmp_path, rules, nhan_ly):
    before, *_ = coverage(tmp_path, rules, nhan_ly, "before")
    # the whole group "4. Đấu tranh phòng, chống MBN" (its item and the two items under it)
    text = cut(nhan_ly, "#### **4. Đấu tranh", "#### **5.")
    after, tables, links, cov = coverage(tmp_path, rules, text, "after")
    assert changed(before, after) == {"G4.2": "missing", "G4.3": "missing"}
    flags = find_flags(tables, links, cov, rules=rules)
    missing = [f for f in flags if f.code == "MISSING_MANDATED_TASK"]
    assert any("xóa bỏ" in f.message for f in missing)  # G4.3, named in the message
    assert any(f.code == "NUMBERING_GAP" and f.path == "II/5" for f in flags)  # 5 now follows 3


def test_nhan_ly_paraphrase_stays_covered(tmp_path, rules, nhan_ly):
    before, *_ = coverage(tmp_path, rules, nhan_ly, "before")
    old = ("c) Phát huy hiệu quả của Tổng đài điện thoại quốc gia về phòng, chống MBN 111. Nâng cao năng "
           "lực hệ thống y tế, nhất là y tế cơ sở trong việc tiếp nhận, chăm")
    new = ("c) Hướng dẫn người dân gọi Tổng đài quốc gia 111 khi phát hiện dấu hiệu MBN; trạm y tế xã "
           "tiếp nhận, chăm")
    assert old in nhan_ly
    after, tables, *_ = coverage(tmp_path, rules, nhan_ly.replace(old, new), "after")
    assert changed(before, after) == {}
    assert after["G5.3"].status == "covered"
    paths = {t["task_id"]: t["path"] for t in tables["tasks"]}
    assert paths[after["G5.3"].child_task_ids[0]] == "II/6/c"


def test_hoa_xa_delete_one_task_each(tmp_path, rules, hoa_xa):
    before, *_ = coverage(tmp_path, rules, hoa_xa, "before")
    assert before["G4.3"].status == "missing"  # this plan says nothing of removing content online
    for start, mandate in (("b) Đẩy mạnh ứng dụng khoa học", "G3.3"),
                           ("c) Nâng cao năng lực hệ thống y tế cơ sở", "G5.3")):
        text = cut(hoa_xa, start, "**\\* Phân công:**")
        after, *_ = coverage(tmp_path, rules, text, f"after-{mandate}")
        # G3.3 keeps partial evidence elsewhere (see test_nhan_ly_delete_one_task)
        assert set(changed(before, after)) == {mandate}
        assert after[mandate].status == "missing" or (mandate == "G3.3"
                                                      and after[mandate].status == "partial")


def test_hoa_xa_paraphrase_stays_covered(tmp_path, rules, hoa_xa):
    before, *_ = coverage(tmp_path, rules, hoa_xa, "before")
    old = ("đ) Đề xuất, tham gia các lớp đào tạo, bồi dưỡng nâng cao trình độ, kỹ năng cho cán bộ thực hiện "
           "công tác phòng, chống mua bán người, đội ngũ tuyên truyền viên ở cơ sở")
    new = ("đ) Cử cán bộ làm công tác phòng, chống mua bán người và tuyên truyền viên cơ sở tham gia các "
           "lớp tập huấn, bồi dưỡng kỹ năng")
    assert old in hoa_xa
    after, *_ = coverage(tmp_path, rules, hoa_xa.replace(old, new), "after")
    assert after["G1.5"].status == "covered"
    assert changed(before, after) == {}


def test_parent_in_hand_gives_the_mandates(tmp_path, rules, nhan_ly):
    # 002 (Hưng Yên) made a signed plan with a number and a date, and 001 made to implement it
    parent = HUNG_YEN.read_text(encoding="utf-8")
    parent = parent.replace("Số: /KH-UBND", "Số: 45/KH-UBND", 1).replace(
        "Hưng Yên, ngày tháng 02 năm 2026", "Hưng Yên, ngày 10 tháng 02 năm 2026", 1)
    old = "Thực hiện Kế hoạch số 66/KH-UBND ngày 01/3/2026 của Ủy ban nhân dân (UBND) tỉnh Lạng Sơn"
    assert old in nhan_ly
    child = nhan_ly.replace(old, "Thực hiện Kế hoạch số 45/KH-UBND ngày 10/02/2026 của Ủy ban nhân dân "
                                 "(UBND) tỉnh Hưng Yên")

    def run(child_text, tag):
        (tmp_path / tag).mkdir()
        tables = tables_of(tmp_path / tag, rules, parent=parent, child=child_text)
        links = link(tables["plans"], tables["references"], rules=rules)
        cov = compare_store(tables, links, rules=rules)
        paths = {t["task_id"]: t["path"] for t in tables["tasks"]}
        by_path = {paths.get(c.mandate_id, c.mandate_id.rsplit(":", 1)[-1]): c for c in cov
                   if c.parent_doc_id}
        return by_path, links, tables

    before, links, tables = run(child, "before")
    child_id = next(p["doc_id"] for p in tables["plans"] if p["doc_ref"] == "68/KH-UBND")
    (ln,) = [x for x in links if x.child_doc_id == child_id]
    assert ln.resolved and ln.method in ("doc_ref+issuer", "doc_ref+date")
    # the parent's tasks handed to communes (II/1 opens `... Ủy ban nhân dân xã, phường:`)
    assert {"II/1/-1", "II/1/-6", "II/2/2.1/-2", "II/8/-2"} <= set(before)
    assert "II/4/4.3" not in before  # the procuracy's task is not a commune's
    assert before["II/1/-6"].status == "covered"
    text = cut(child, "e) Thường xuyên đào tạo, bồi dưỡng", "g) Trên cơ sở dữ liệu")
    after, *_ = run(text, "after")
    assert {k: v.status for k, v in after.items() if v.status != before[k].status} == {"II/1/-6": "missing"}
