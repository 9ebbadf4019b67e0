# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""Tasks: leaf items of task-like sections, their text and span."""

import pytest

from pipeline.extract.tasks import find_tasks
from pipeline.rules import load_rules

from ._fixtures import build


@pytest.fixture(scope="module")
def rules():
    return load_rules()


TEXT = """II. MỤC TIÊU
1. Bảo đảm 100% tố giác được tiếp nhận.
III. NHIỆM VỤ
1. Công tác lãnh đạo
a) **Tổ chức quán triệt** các nghị quyết, chỉ thị của Đảng.
b) Tăng cường kiểm tra, giám sát.
**\\* Phân công:**
- Cơ quan chủ trì: Công an xã.
- Cơ quan phối hợp: các cơ quan, đơn vị liên quan.
IV. KINH PHÍ
1. Kinh phí bố trí trong dự toán.
V. TỔ CHỨC THỰC HIỆN
1. Công an xã
Là cơ quan đầu mối tham mưu Ủy ban nhân dân xã.
2. Công tác hợp tác quốc tế
Công an xã phối hợp với các ngành thực hiện các điều ước.
Trên đây là Kế hoạch của Ủy ban nhân dân xã.
"""

SPEC = [("II", "objectives", "II."), ("II/1", "objectives", "1. Bảo"), ("III", "tasks", "III."),
        ("III/1", "tasks", "1. Công tác"), ("III/1/a", "tasks", "a)"), ("III/1/b", "tasks", "b)"),
        ("IV", "budget", "IV."), ("IV/1", "budget", "1. Kinh"), ("V", "organization", "V."),
        ("V/1", "organization", "1. Công an"), ("V/2", "organization", "2. Công tác")]


def test_leaf_items_of_task_sections_only(rules):
    tasks = list(find_tasks(build(TEXT, SPEC), rules=rules))
    assert [t.path for t in tasks] == ["III/1/a", "III/1/b", "V/1", "V/2"]  # no objectives, no budget


def test_text_one_line_without_marker_markup_or_block(rules):
    seg = build(TEXT, SPEC)
    tasks = {t.path: t for t in find_tasks(seg, rules=rules)}
    assert tasks["III/1/a"].text == "Tổ chức quán triệt các nghị quyết, chỉ thị của Đảng."
    assert tasks["III/1/b"].text == "Tăng cường kiểm tra, giám sát."  # the Phân công block is not task text
    assert "Trên đây" not in tasks["V/2"].text
    for t in tasks.values():
        assert seg.doc.text[t.char_start:t.char_end].strip()
        assert t.task_id == f"d:t:{t.path}"


def test_agency_heading_task_is_its_paragraph(rules):
    tasks = {t.path: t for t in find_tasks(build(TEXT, SPEC), rules=rules)}
    assert tasks["V/1"].text == "Là cơ quan đầu mối tham mưu Ủy ban nhân dân xã."


def test_title_over_paragraph_is_the_paragraph(rules):
    tasks = {t.path: t for t in find_tasks(build(TEXT, SPEC), rules=rules)}
    assert tasks["V/2"].text.startswith("Công an xã phối hợp")
    assert tasks["V/2"].theme == "international"


def test_assignment_only_section_has_no_task(rules):
    text = "III. PHÂN CÔNG TRÁCH NHIỆM\n- Cơ quan chủ trì: Công an xã.\n- Cơ quan phối hợp: các thôn.\n"
    seg = build(text, [("III", "assignment", "III.")])
    assert list(find_tasks(seg, rules=rules)) == []


def test_wrapped_heading_continues_into_body(rules):
    text = "III. NHIỆM VỤ\n1. Tăng cường sự lãnh đạo của cấp ủy, sự phối hợp của\nỦy ban MTTQ trong công tác.\n"
    seg = build(text, [("III", "tasks", "III."), ("III/1", "tasks", "1.")])
    (t,) = find_tasks(seg, rules=rules)
    assert t.text.startswith("Tăng cường") and t.text.endswith("trong công tác.")
