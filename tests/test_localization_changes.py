"""The `localization` and `plan_changes` tables: how much of a plan is its own, what changed
between a plan and its predecessor."""

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.compare.changes import plan_changes, successions
from pipeline.compare.localization import localize, shingles
from pipeline.crossdoc import finish
from pipeline.schema import TABLES, arrow_schema
from pipeline.write import to_table, write

ROOT = Path(__file__).resolve().parent.parent
NHAN_LY = ROOT / "corpus" / "001_b50113e3584b2743.txt"


def task(tid, text, path=None, start=0):
    return {"doc_id": "c", "task_id": tid, "path": path or tid, "text": text, "char_start": start,
            "theme": "other"}


PARENT = ["Tổ chức tuyên truyền, phổ biến pháp luật về phòng, chống mua bán người cho Nhân dân trên "
          "hệ thống truyền thanh cơ sở."]


def test_copied_words_and_own_words_per_task_and_plan():
    tasks = [task("t1", PARENT[0], start=1),  # word for word
             task("t2", "Ra quân dọn vệ sinh đường làng mỗi sáng chủ nhật tại các thôn.", start=2),  # its own
             task("t3", "Tổ chức tuyên truyền, phổ biến pháp luật về phòng, chống mua bán người tại chợ "
                        "phiên Nhân Lý vào các ngày 5 và 20 hằng tháng.", start=3)]
    rows = {r.task_id: r for r in localize("c", tasks, PARENT, source="25/KH-UBND", source_doc_id="p")}
    assert rows["t1"].own_share == 0.0 and rows["t1"].longest_copied == rows["t1"].n_words
    assert rows["t2"].own_share == 1.0 and rows["t2"].copied_words == 0
    assert 0.3 < rows["t3"].own_share < 0.8
    plan = rows[None]
    assert plan.scope == "plan" and plan.n_words == sum(rows[t].n_words for t in ("t1", "t2", "t3"))
    assert plan.copied_words == sum(rows[t].copied_words for t in ("t1", "t2", "t3"))
    assert plan.source == "25/KH-UBND" and plan.source_doc_id == "p"


def test_short_shared_phrases_are_not_copying():
    # the programme's name in four words is every plan's vocabulary, not copied text
    rows = localize("c", [task("t", "Phòng, chống mua bán người ở thôn Đông")], PARENT, source="p")
    assert rows[0].copied_words == 0
    assert shingles(["một hai ba bốn"]) == frozenset()


def plan(doc_id, title, start, end, issuer="Ủy ban nhân dân xã Nhân Lý", date=None):
    return {"doc_id": doc_id, "title": title, "period_start": start, "period_end": end, "issuer": issuer,
            "issue_date": date, "locality": "xã Nhân Lý"}


OLD = plan("old", "Thực hiện Chương trình phòng, chống mua bán người giai đoạn 2021 - 2025 và định hướng "
                  "đến năm 2030 trên địa bàn xã Nhân Lý", 2021, 2025)
NEW = plan("new", "Triển khai thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030 và "
                  "định hướng đến năm 2035", 2026, 2030)


def test_successive_cycles_are_paired_by_issuer_and_subject(rules):
    other_subject = plan("x", "Kế hoạch phòng, chống thiên tai năm 2026", 2026, 2026)
    other_issuer = {**NEW, "doc_id": "y", "issuer": "Ủy ban nhân dân xã Hòa Xá"}
    pairs = successions([NEW, other_subject, OLD, other_issuer], rules=rules)
    assert [(a["doc_id"], b["doc_id"]) for a, b in pairs] == [("old", "new")]


def test_tasks_added_dropped_kept(rules):
    old_tasks = [
        {**task("o1", "Tổ chức tuyên truyền, phổ biến pháp luật về phòng, chống mua bán người trên "
                      "loa truyền thanh của các thôn."), "doc_id": "old"},
        {**task("o2", "Kiểm tra, giám sát hoạt động môi giới kết hôn có yếu tố nước ngoài trên địa bàn xã."),
         "doc_id": "old"},
    ]
    new_tasks = [
        {**task("n1", "Tuyên truyền, phổ biến pháp luật về phòng, chống mua bán người cho người dân qua đài "
                      "truyền thanh ở thôn."), "doc_id": "new"},
        {**task("n2", "Ứng dụng mạng xã hội Zalo để cảnh báo thủ đoạn lừa đảo việc làm lương cao ở nước "
                      "ngoài cho thanh niên."), "doc_id": "new"},
    ]
    rows = plan_changes([OLD, NEW], {"old": old_tasks, "new": new_tasks}, rules=rules)
    got = {(r.change, r.prev_task_id, r.task_id) for r in rows}
    assert got == {("kept", "o1", "n1"), ("dropped", "o2", None), ("added", None, "n2")}
    assert all(r.doc_id == "new" and r.prev_doc_id == "old" for r in rows)


def test_tables_have_explicit_schemas_and_are_written(tmp_path, rules):
    for name in ("localization", "plan_changes"):
        assert name in TABLES and arrow_schema(name).names == list(TABLES[name])
    assert to_table("localization", []).num_rows == 0
    # a store with a 2021-2025 plan of xã Nhân Lý and its 2026-2030 successor
    from pipeline.process import process_file
    from pipeline.write import rows_of

    new = NHAN_LY.read_text(encoding="utf-8")
    old = new.replace("2026 - 2030", "2021 - 2025").replace("năm 2035", "năm 2030").replace(
        "Số: 68 /KH-UBND", "Số: 45 /KH-UBND").replace("ngày 27 tháng 3 năm 2026", "ngày 02 tháng 4 năm 2021")
    i = old.index("#### **4. Đấu tranh")
    old = old[:i] + old[old.index("#### **5.", i):]  # the older plan had no group 4
    tables: dict[str, list] = {}
    for n, text in (("old", old), ("new", new)):
        p = tmp_path / f"{n}.txt"
        p.write_text(text, encoding="utf-8")
        for k, v in rows_of(process_file(p, rules=rules)).items():
            tables.setdefault(k, []).extend(v)
    out = tmp_path / "store"
    write(tables, out)
    finish(out, rules=rules)
    changes = pq.read_table(out / "plan_changes.parquet").to_pylist()
    kinds = {c["change"] for c in changes}
    assert {"kept", "added"} <= kinds
    added = {c["path"] for c in changes if c["change"] == "added"}
    assert any(p.startswith("II/4") for p in added)  # the group the older plan did not have
    loc = pq.read_table(out / "localization.parquet").to_pylist()
    assert {r["scope"] for r in loc} == {"task", "plan"}
    assert all(0.0 <= r["own_share"] <= 1.0 for r in loc)
    assert dt.date  # noqa: B018 (dates come through the store as date32)


def test_report_shows_both_tables():
    from pipeline.report import render

    tables = {name: [] for name in TABLES}
    xa = {"issuer": "Ủy ban nhân dân xã Nhân Lý", "issuer_level": "commune", "locality": "xã Nhân Lý"}
    tables["plans"] = [{"doc_id": "new", "doc_ref": "68/KH-UBND", "title": "Kế hoạch", **xa},
                       {"doc_id": "old", "doc_ref": "45/KH-UBND", "title": "Kế hoạch cũ",
                        "period_start": 2021, "period_end": 2025, **xa}]
    tables["localization"] = [{"doc_id": "new", "scope": "plan", "source": "25/KH-UBND", "n_words": 200,
                               "copied_words": 150, "own_share": 0.25, "longest_copied": 40}]
    tables["plan_changes"] = [{"doc_id": "new", "prev_doc_id": "old", "change": c, "text": "x", "score": 0.0}
                              for c in ("added", "added", "kept", "dropped")]
    page = render(tables)
    assert "Phần tự xây dựng" in page and "25%" in page and "150/200" in page
    assert "thêm mới" in page and "45/KH-UBND (2021–2025)" in page
