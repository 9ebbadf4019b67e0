"""Deadlines: every form on short lines (tests/cases/deadlines.yaml), then attachment to
tasks and sections, then a property: any text, no exception, spans that slice to raw."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.deadlines import find_deadlines, get_deadline_annotations, plan_year
from pipeline.records import CleanDoc, PlanInfo, Section, Segmented, Task

CASES = Path(__file__).resolve().parent.parent / "cases"


def load_cases(name: str) -> tuple[dict, list[dict]]:
    data = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    return data.get("defaults") or {}, data["cases"]


def check_case(case: dict, found: list[dict]) -> None:
    """The rows found match the expected ones in order, on the keys each expectation gives."""
    assert len(found) == len(case["expect"]), (case["id"], found)
    got = [{k: row.get(k) for k in exp} for row, exp in zip(found, case["expect"], strict=True)]
    assert got == case["expect"], (case["id"], found)


DEFAULTS, DEADLINE_CASES = load_cases("deadlines")


@pytest.mark.parametrize("case", DEADLINE_CASES, ids=[c["id"] for c in DEADLINE_CASES])
def test_deadline_cases(case, rules):
    text = case["text"]
    year = case.get("year", DEFAULTS.get("year"))
    period = case.get("period", DEFAULTS.get("period"))
    found = []
    for a in get_deadline_annotations(text, rules, year=year, period=tuple(period) if period else None):
        found.append({"kind": a.kind, "raw": a.raw(text), "due_date": a.due_date,
                      "recurrence": a.recurrence, "year_start": a.year_start, "year_end": a.year_end})
    check_case(case, found)


def _plan(**kw) -> PlanInfo:
    return PlanInfo(doc_id="d", doc_kind="ke_hoach", issuer="", issuer_level="unknown", title="", **kw)


def test_plan_year_order():
    assert plan_year(_plan(issue_date=dt.date(2025, 12, 30), period_start=2026)) == 2025
    assert plan_year(_plan(period_start=2026, issue_date_raw="Hưng Yên, ngày tháng 02 năm 2025")) == 2026
    assert plan_year(_plan(issue_date_raw="Hưng Yên, ngày tháng 02 năm 2025")) == 2025
    assert plan_year(_plan()) is None


DOC = (
    "KẾ HOẠCH\nThực hiện Chương trình giai đoạn 2026 - 2030\n"
    "Căn cứ Quyết định lấy ngày 30/7 hằng năm là Ngày toàn dân.\n"
    "I. MỤC TIÊU\n- 100% xã có mô hình.\n"
    "II. NHIỆM VỤ\n1. Định kỳ 06 tháng báo cáo kết quả.\n"
    "2. Kinh phí bố trí trong dự toán ngân sách hằng năm.\n"
    "3. Triển khai Chương trình giai đoạn 2026 - 2030, báo cáo trước ngày 15/6.\n"
)


def _sec(path: str, level: int, start: str, end: str | None) -> Section:
    s = DOC.index(start)
    e = DOC.index(end) if end else len(DOC)
    return Section(doc_id="d", section_id=path, parent_section_id=None, path=path, level=level,
                   marker=path.split("/")[-1], marker_type="roman", heading="", kind="tasks",
                   char_start=s, char_end=e, heading_end=s)


def _task(tid: str, path: str, start: str, end: str | None) -> Task:
    s = DOC.index(start)
    e = DOC.index(end) if end else len(DOC)
    return Task(doc_id="d", task_id=tid, section_id=path, path=path, text="", theme="other",
                char_start=s, char_end=e)


@pytest.fixture
def seg_doc():
    sections = (
        _sec("I", 1, "I. MỤC TIÊU", "II. NHIỆM VỤ"),
        _sec("II", 1, "II. NHIỆM VỤ", None),
        _sec("II/1", 2, "1. Định kỳ", "2. Kinh phí"),
        _sec("II/2", 2, "2. Kinh phí", "3. Triển khai"),
        _sec("II/3", 2, "3. Triển khai", None),
    )
    tasks = (_task("t1", "II/1", "1. Định kỳ", "2. Kinh phí"), _task("t3", "II/3", "3. Triển khai", None))
    seg = Segmented(doc=CleanDoc(doc_id="d", text=DOC), sections=sections,
                    body_start=DOC.index("I. MỤC TIÊU"), body_end=len(DOC))
    return seg, tasks


def test_rows_attach_to_tasks_and_plan(seg_doc, rules):
    seg, tasks = seg_doc
    rows = list(find_deadlines(seg, tasks, rules=rules, plan=_plan(period_start=2026, period_end=2030,
                                                                   issue_date=dt.date(2026, 3, 27))))
    got = [(r.kind, r.raw, r.task_id, r.path) for r in rows]
    assert got == [
        ("period", "giai đoạn 2026 - 2030", None, None),  # once, path null, from the title
        ("recurring", "Định kỳ 06 tháng", "t1", "II/1"),
        ("date", "báo cáo trước ngày 15/6", "t3", "II/3"),
    ]
    assert rows[2].due_date == dt.date(2026, 6, 15)
    for r in rows:
        assert DOC[r.char_start : r.char_end] == r.raw


def test_preamble_schedules_are_not_the_plans(seg_doc, rules):
    seg, tasks = seg_doc
    rows = list(find_deadlines(seg, tasks, rules=rules, plan=_plan()))
    assert all(r.kind != "event" for r in rows)  # `ngày 30/7 hằng năm` sits in the Căn cứ line


def test_no_year_anywhere_leaves_date_open(rules):
    text = "1. Gửi báo cáo trước ngày 17/6."
    seg = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=(), body_start=0, body_end=len(text))
    (row,) = find_deadlines(seg, (), rules=rules, plan=_plan())
    assert row.kind == "date" and row.due_date is None


LABELLED = (
    "I. MỤC TIÊU\n- Đến hết năm 2027: 80% doanh nghiệp dùng nền tảng số.\n"
    "II. NHIỆM VỤ\n- Tập huấn cán bộ.\n- Hướng dẫn doanh nghiệp.\n"
    "Thời gian thực hiện: Quý IV/2026.\n- Kiểm tra.\nThời gian thực hiện: Thường xuyên.\n"
)


def _at(text: str, start: str, end: str | None) -> tuple[int, int]:
    return text.index(start), (text.index(end) if end else len(text))


def test_labelled_time_line_times_the_run_before_it(rules):
    t = LABELLED
    mk = lambda path, kind, a, b: Section(doc_id="d", section_id=path, parent_section_id=None, path=path,  # noqa: E731
                                          level=1, marker=path, marker_type="roman", heading="", kind=kind,
                                          char_start=_at(t, a, b)[0], char_end=_at(t, a, b)[1],
                                          heading_end=_at(t, a, b)[0])
    sections = (mk("I", "objectives", "I. MỤC TIÊU", "II. NHIỆM VỤ"), mk("II", "tasks", "II. NHIỆM VỤ", None))
    spans = [("- Tập huấn", "- Hướng dẫn"), ("- Hướng dẫn", "Thời gian"),
             ("- Kiểm tra", "Thời gian thực hiện: T")]
    tasks = tuple(Task(doc_id="d", task_id=f"t{i}", section_id="II", path=f"II/-{i}", text="", theme="other",
                       char_start=_at(t, a, b)[0], char_end=_at(t, a, b)[1])
                  for i, (a, b) in enumerate(spans, 1))
    seg = Segmented(doc=CleanDoc(doc_id="d", text=t), sections=sections, body_start=0, body_end=len(t))
    plan = _plan(doc_ref="5/KH-UBND", issue_date=dt.date(2026, 1, 5))
    rows = list(find_deadlines(seg, tasks, rules=rules, plan=plan))
    # the label after two items times both; `Thường xuyên` times nothing; the objective's year
    # is a target's, not a deadline; the plan states no period, so none is guessed
    assert [(r.task_id, r.kind, r.due_date) for r in rows] == [
        ("t1", "date", dt.date(2026, 12, 31)), ("t2", "date", dt.date(2026, 12, 31))]


PHRASES = st.sampled_from([
    "định kỳ", "hằng năm", "hàng tháng, quý, năm", "06 tháng, 01 năm", "trước ngày", "ngày",
    "30/7", "17/6", "31/2/2026", "giai đoạn 2026 - 2030", "năm 2026", "trong năm", "Ngày toàn dân",
    "Báo cáo 6 tháng", "từ ngày 15/12 năm trước đến ngày 14/6", "dự toán ngân sách", "(", ")", "“", "”",
    "100%", "trên 90%", "quý IV/2026", "tháng 13/2026", "\n\n", ", ", ". ", "- ",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200), st.lists(PHRASES | st.text(max_size=5), max_size=25).map(" ".join)),
       st.sampled_from([None, 2026]))
def test_never_raises_and_spans_slice_to_raw(rules, text, year):
    seg = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=(), body_start=0, body_end=len(text))
    plan = _plan(issue_date=dt.date(year, 1, 1)) if year else _plan()
    for r in find_deadlines(seg, (), rules=rules, plan=plan):
        assert 0 <= r.char_start < r.char_end <= len(text)
        assert text[r.char_start : r.char_end] == r.raw
        assert r.kind in {"date", "recurring", "period", "event"}


_BLOCK_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 5/KH-UBND
Quảng Trị, ngày 03 tháng 3 năm 2026
KẾ HOẠCH
Chuyển đổi số năm 2026
I. NHIỆM VỤ
1. Hạ tầng
a) Nâng cấp mạng truyền số liệu chuyên dùng.
b) Phủ sóng di động đến các thôn.
Phân công:
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Thời gian hoàn thành: Quý II/2026.
2. Dữ liệu
Rà soát cơ sở dữ liệu dùng chung.
3. Nhân lực
Tập huấn kỹ năng số cho công chức; trước ngày 30/9/2026.
"""


def test_phan_cong_block_deadline_times_every_task_it_covers(tmp_path, rules):
    from pipeline.process import process_file

    f = tmp_path / "p.txt"
    f.write_text(_BLOCK_PLAN, encoding="utf-8")
    x = process_file(f, rules=rules).extracted
    path = {t.task_id: t.path for t in x.tasks}
    rows = {(path.get(d.task_id), d.due_date) for d in x.deadlines if d.kind == "date"}
    # one row per task the block covers (as its assignments are), none for the next item
    assert ("I/1/a", dt.date(2026, 6, 30)) in rows and ("I/1/b", dt.date(2026, 6, 30)) in rows
    assert not any(p == "I/2" and d == dt.date(2026, 6, 30) for p, d in rows)
    assert ("I/3", dt.date(2026, 9, 30)) in rows  # near miss: a task's own deadline, one row


@pytest.mark.parametrize("text, rec", [
    ("Các sở báo cáo kết quả 6 tháng, năm về Sở Nội vụ.", "semiannual+annual"),
    ("định kỳ báo cáo 6 tháng, 01 năm về UBND tỉnh.", "semiannual+annual"),
    ("Tổ chức sơ kết 6 tháng, tổng kết năm việc thực hiện.", "semiannual+annual"),
    ("Tổ chức sơ kết 6 tháng, tổng kết công tác.", "semiannual"),  # near miss
])
def test_report_of_several_frequencies(text, rec, rules):
    found = [a for a in get_deadline_annotations(text, rules, year=2026) if a.kind == "recurring"]
    assert [a.recurrence for a in found] == [rec]


def test_report_result_of_a_year_is_not_a_schedule(rules):
    assert not list(get_deadline_annotations("báo cáo kết quả năm 2026.", rules, year=2026))


def test_scan_masks_many_spans_as_one_character_at_a_time():
    """Scan.take joins slices for many spans: overlapping and empty spans mask what a
    per-character mask would (and nothing else)."""
    from pipeline.extract.deadline_grammar import MASK, Scan

    text = "trước ngày 30/6 và 15/11 hằng năm; quý IV/2025"
    spans = [(0, 5), (3, 9), (11, 15), (11, 11), (40, 46), (19, 24), (20, 22), (25, 29), (30, 33), (6, 7)]
    chars = list(text)
    for s, e in spans:
        chars[s:e] = MASK * (e - s)
    scan = Scan(text)
    scan.take(spans)
    assert scan.masked == "".join(chars)
    assert len(scan.masked) == len(text) and scan.masked[9:11] == text[9:11]
