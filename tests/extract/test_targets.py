"""Targets: every form and near-miss on short lines (tests/cases/targets.yaml), attachment,
and a property: any text, no exception, spans that slice to raw."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.targets import find_targets, get_target_annotations
from pipeline.records import CleanDoc, PlanInfo, Section, Segmented

from .test_deadlines import check_case, load_cases

_, TARGET_CASES = load_cases("targets")


@pytest.mark.parametrize("case", TARGET_CASES, ids=[c["id"] for c in TARGET_CASES])
def test_target_cases(case, rules):
    text = case["text"]
    found = [{"comparator": a.comparator, "value": a.value, "unit": a.unit, "year": a.year,
              "raw": a.raw(text), "subject": a.subject} for a in get_target_annotations(text, rules)]
    check_case(case, found)


PLAN = PlanInfo(doc_id="d", doc_kind="ke_hoach", issuer="", issuer_level="unknown", title="")


def test_objectives_target_takes_the_section_path(rules):
    text = "Thực hiện Chương trình có 100% xã tham gia.\nII. MỤC TIÊU\n- 100% xã có mô hình.\nIII. NHIỆM VỤ\n"
    s = text.index("II. MỤC TIÊU")
    item = text.index("- 100%")
    sections = (
        Section("d", "s2", None, "II", 1, "II", "roman", "MỤC TIÊU đến năm 2030", "objectives", s,
                text.index("III."), s + 12),
        Section("d", "s21", "s2", "II/-1", 2, "-1", "bullet", "", "objectives", item, text.index("III."),
                item),
    )
    seg = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=sections, body_start=s, body_end=len(text))
    (row,) = find_targets(seg, (), rules=rules, plan=PLAN)  # the preamble's 100% is not this plan's
    assert (row.path, row.task_id, row.value, row.raw) == ("II/-1", None, 100.0, "100% xã có mô hình")
    assert row.year == 2030  # stated on the heading above


TEXTS = st.lists(
    st.sampled_from(["100%", "trên", "ít nhất", "không dưới", "90 %", "2,5%", "1.000", "tuổi", "trở lên",
                     "đạt", "tỷ lệ", "năm 2030", "Đến năm", ";", ".", ":", "\n- ", "và", "xã", "buổi", "**"])
    | st.text(max_size=6),
    max_size=30,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200), TEXTS))
def test_never_raises_and_spans_slice_to_raw(rules, text):
    seg = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=(), body_start=0, body_end=len(text))
    for r in find_targets(seg, (), rules=rules, plan=PLAN):
        assert 0 <= r.char_start < r.char_end <= len(text)
        assert text[r.char_start : r.char_end] == r.raw
        assert r.comparator in {"eq", "gt", "ge", "lt", "le"}


def test_baseline_year_is_not_the_due_year(rules):
    (a,) = get_target_annotations("Giảm ít nhất 5% số vụ tai nạn giao thông so với năm 2025.", rules)
    assert (a.comparator, a.value, a.year) == ("ge", 5.0, None)
    # near-miss: a stated due year still counts
    (b,) = get_target_annotations("Đến năm 2027, giảm ít nhất 5% số vụ so với năm 2025.", rules)
    assert b.year == 2027


def test_a_grade_is_not_a_target(rules):
    text = "Kiểm tra an toàn thông tin các hệ thống cấp độ 3 trở lên; tổ chức ít nhất 04 lớp tập huấn."
    found = [(a.comparator, a.value, a.unit) for a in get_target_annotations(text, rules)]
    assert found == [("ge", 4.0, "lớp")]


def test_frequency_tail_takes_the_subject_from_before(rules):
    text = "Phát chuyên mục an toàn giao thông trên loa truyền thanh ít nhất 02 lần mỗi tháng."
    (a,) = get_target_annotations(text, rules)
    assert a.value == 2.0 and "chuyên mục an toàn giao thông" in a.subject and "mỗi tháng" not in a.subject
    # near-miss: a measure named after the number keeps it
    (b,) = get_target_annotations("Tạo việc làm cho ít nhất 150 lao động nữ trong năm.", rules)
    assert b.subject.startswith("lao động nữ")


def test_signs_are_comparators(rules):
    text = "Đến hết năm 2025: ≥ 30% doanh nghiệp ứng dụng công nghệ số; ≤5% hồ sơ trễ hạn."
    (a, b) = get_target_annotations(text, rules)
    assert (a.comparator, a.value, a.unit, a.year) == ("ge", 30.0, "%", 2025)
    assert (b.comparator, b.value) == ("le", 5.0)


def test_fact_sections_state_no_targets(rules):
    # a damage assessment states facts; the objectives of the same plan commit
    text = ("I. ĐÁNH GIÁ TÌNH HÌNH\n- Toàn tỉnh có hơn 200.000 nhà bị ngập.\n"
            "II. MỤC TIÊU\n- 100% hộ bị ảnh hưởng được hỗ trợ.\n")
    one, two = text.index("I. ĐÁNH"), text.index("II. MỤC")
    sections = (
        Section("d", "s1", None, "I", 1, "I", "roman", "ĐÁNH GIÁ TÌNH HÌNH", "other", one, two, one + 20),
        Section("d", "s2", None, "II", 1, "II", "roman", "MỤC TIÊU", "objectives", two, len(text), two + 12),
    )
    seg = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=sections, body_start=0, body_end=len(text))
    rows = list(find_targets(seg, (), rules=rules, plan=PLAN))
    assert [(r.path, r.value) for r in rows] == [("II", 100.0)]
    # near-miss: a plan with no committing sections keeps what it states
    flat = Segmented(doc=CleanDoc(doc_id="d", text=text), sections=sections[:1], body_start=0,
                     body_end=len(text))
    assert [r.value for r in find_targets(flat, (), rules=rules, plan=PLAN)] == [200000.0, 100.0]


def test_annotations_are_the_same_when_asked_again(rules):
    """Deadlines and targets both ask for a text's targets: the second answer (kept) is the first."""
    text = "Phấn đấu đến năm 2027, 100% xã có điểm tuyên truyền; giảm 5% số vụ tai nạn so với năm 2025."
    first = list(get_target_annotations(text, rules))
    again = list(get_target_annotations(text, rules))
    assert first and again == first
    assert [a.value for a in get_target_annotations(text + " Đạt 90% hộ dân.", rules)][-1] == 90


def test_clause_ends_read_as_far_as_asked_are_the_whole_texts():
    """_clause_ends finds the boundaries only as far as asked: the same ends as from every
    boundary of the text, asked in any order."""
    import random

    from pipeline.extract.targets import _BOUNDARY, _clause_ends

    rng = random.Random(5)
    pieces = ["Đạt 90%", "; ", ". ", "\n- ", "**  \n", "1.5", " và ", "\n", ": ", "…", "x"]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        starts = [m.start() for m in _BOUNDARY.finditer(text)]
        end = _clause_ends(text)
        for pos in [rng.randint(0, len(text)) for _ in range(10)]:
            assert end(pos) == next((s for s in starts if s >= pos), len(text))
