# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""Assignments: every form of who-does-what, with near-misses."""

import pytest

from pipeline.extract.assignments import find_assignments
from pipeline.extract.tasks import find_tasks
from pipeline.rules import load_rules

from ._fixtures import build, plan


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def rows(text, spec, rules, p=None):
    seg = build(text, spec)
    tasks = list(find_tasks(seg, rules=rules))
    out = list(find_assignments(seg, tasks, rules=rules, plan=p or plan()))
    for a in out:
        assert seg.doc.text[a.char_start:a.char_end] == a.agency_raw
    return {(a.path, a.role, a.agency, a.scope) for a in out}


BLOCKS = """III. NHIỆM VỤ
1. Công tác lãnh đạo
a) Tổ chức quán triệt các nghị quyết.
b) Tăng cường lãnh đạo.
* Phân công:
- Cơ quan chủ trì: Công an xã Nhân Lý.
- Cơ quan phối hợp: các cơ quan, đơn vị liên quan, đề nghị Ủy ban MTTQ Việt Nam xã và các tổ chức thành viên thực hiện theo chức năng, nhiệm vụ, quyền hạn.
c) Đề xuất tham gia các lớp đào tạo.
* Phân công: Phòng Văn hóa - Xã hội chủ trì; các thôn và đề nghị Hội Liên hiệp Phụ nữ xã thực hiện.
"""
BLOCK_SPEC = [("III", "tasks", "III."), ("III/1", "tasks", "1."), ("III/1/a", "tasks", "a)"),
              ("III/1/b", "tasks", "b)"), ("III/1/c", "tasks", "c)")]


def test_block_applies_back_to_previous_block(rules):
    got = rows(BLOCKS, BLOCK_SPEC, rules)
    for p in ("III/1/a", "III/1/b"):
        assert (p, "lead", "Công an xã", "task") in got  # own place name dropped
        assert (p, "coordinate", "Cơ quan, đơn vị liên quan", "task") in got
        assert (p, "requested", "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "task") in got
        assert (p, "requested", "Tổ chức thành viên", "task") in got
    assert ("III/1/c", "lead", "Công an xã", "task") not in got


def test_inline_block_chu_tri_then_others_coordinate_and_request(rules):
    got = rows(BLOCKS, BLOCK_SPEC, rules)
    assert ("III/1/c", "lead", "Phòng Văn hóa - Xã hội", "task") in got
    assert ("III/1/c", "coordinate", "Thôn", "task") in got
    assert ("III/1/c", "requested", "Hội Liên hiệp Phụ nữ xã", "task") in got


def test_plan_wide_assignment_section(rules):
    text = ("II. NHIỆM VỤ\n1. Tăng cường tuyên truyền.\nIII. PHÂN CÔNG TRÁCH NHIỆM\n"
            "- Cơ quan chủ trì: Công an xã.\n- Cơ quan phối hợp: Ban chỉ huy Quân sự xã, các thôn.\n")
    got = rows(text, [("II", "tasks", "II."), ("II/1", "tasks", "1."), ("III", "assignment", "III.")], rules)
    assert (None, "lead", "Công an xã", "plan") in got
    assert (None, "coordinate", "Ban Chỉ huy Quân sự xã", "plan") in got
    assert ("II/1", "lead", "Công an xã", "task") not in got


ORG = """V. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội xã
- Chủ trì, phối hợp với Ủy ban MTTQ VN và các tổ chức chính trị - xã hội xã triển khai thực hiện.
- Tham mưu UBND xã kịp thời hỗ trợ nạn nhân.
2. Công an xã
Là cơ quan đầu mối, tham mưu giúp UBND xã chỉ đạo các đơn vị, báo cáo Công an tỉnh.
3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã
- Phối hợp với gia đình và chính quyền quản lý học sinh.
4. Giao Trạm Y tế xã chủ trì, phối hợp với Phòng Văn hóa - Xã hội thực hiện khám cho nạn nhân.
5. Các cơ quan, đơn vị gửi báo cáo về Công an xã để tổng hợp.
Trên đây là Kế hoạch. Đề nghị các cơ quan, đơn vị và các thôn triển khai thực hiện./.
"""
ORG_SPEC = [("V", "organization", "V."), ("V/1", "organization", "1. Phòng"), ("V/1/-1", "organization", "- Chủ"),
            ("V/1/-2", "organization", "- Tham"), ("V/2", "organization", "2. Công"),
            ("V/3", "organization", "3. Đề"), ("V/3/-1", "organization", "- Phối"),
            ("V/4", "organization", "4. Giao"), ("V/5", "organization", "5. Các")]


def test_agency_heading_leads_items_under_it(rules):
    got = rows(ORG, ORG_SPEC, rules)
    assert ("V/1/-1", "lead", "Phòng Văn hóa - Xã hội", "task") in got
    assert ("V/1/-2", "lead", "Phòng Văn hóa - Xã hội", "task") in got
    assert ("V/1/-1", "coordinate", "Ủy ban Mặt trận Tổ quốc Việt Nam", "task") in got
    assert ("V/1/-1", "coordinate", "Tổ chức chính trị - xã hội xã", "task") in got
    assert ("V/2", "lead", "Công an xã", "task") in got


def test_advised_directed_reported_to_and_vague_get_no_row(rules):
    got = rows(ORG, ORG_SPEC, rules)
    agencies = {a for _, _, a, _ in got}
    assert "Ủy ban nhân dân xã" not in agencies  # tham mưu UBND xã
    assert "Công an tỉnh" not in agencies  # báo cáo Công an tỉnh
    assert not [r for r in got if r[0] == "V/3/-1" and r[1] == "coordinate"]  # gia đình, chính quyền


def test_request_heading_and_giao(rules):
    got = rows(ORG, ORG_SPEC, rules)
    assert ("V/3/-1", "requested", "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "task") in got
    assert ("V/4", "lead", "Trạm Y tế", "task") in got
    assert ("V/4", "coordinate", "Phòng Văn hóa - Xã hội", "task") in got


def test_standing_once_per_plan(rules):
    got = rows(ORG, ORG_SPEC, rules)
    standing = [r for r in got if r[1] == "standing"]
    assert standing == [(None, "standing", "Công an xã", "plan")]


def test_closing_paragraph_is_plan_wide(rules):
    got = rows(ORG, ORG_SPEC, rules)
    assert (None, "requested", "Cơ quan, đơn vị", "plan") in got
    assert (None, "requested", "Thôn", "plan") in got


def test_subject_with_chu_tri_phoi_hop_and_comma_names(rules):
    text = ("II. NHIỆM VỤ\n2. Phòng ngừa\n2.1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp các đơn vị có "
            "liên quan, Ủy ban nhân dân các xã, phường tổ chức tuyên truyền.\n"
            "2.2. Sở Khoa học và Công nghệ chỉ đạo các doanh nghiệp viễn thông tuyên truyền.\n"
            "2.3. Đề nghị Tòa án nhân dân tỉnh chủ trì, phối hợp với Viện kiểm sát nhân dân tỉnh xét xử.\n"
            "2.4. Căn cứ Kế hoạch này, các sở, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường xây dựng kế "
            "hoạch.\n")
    spec = [("II", "tasks", "II."), ("II/2", "tasks", "2. Phòng"), ("II/2/2.1", "tasks", "2.1."),
            ("II/2/2.2", "tasks", "2.2."), ("II/2/2.3", "tasks", "2.3."), ("II/2/2.4", "tasks", "2.4.")]
    got = rows(text, spec, rules, plan(place="Hưng Yên", locality="tỉnh Hưng Yên"))
    assert ("II/2/2.1", "lead", "Sở Văn hóa, Thể thao và Du lịch", "task") in got
    assert ("II/2/2.1", "coordinate", "Đơn vị liên quan", "task") in got
    assert ("II/2/2.1", "coordinate", "Ủy ban nhân dân xã, phường", "task") in got
    assert {r for r in got if r[0] == "II/2/2.2"} == {("II/2/2.2", "lead", "Sở Khoa học và Công nghệ", "task")}
    # a request stays a request on a chủ trì line and covers the bodies it heads
    assert ("II/2/2.3", "requested", "Tòa án nhân dân tỉnh", "task") in got
    assert ("II/2/2.3", "lead", "Tòa án nhân dân tỉnh", "task") not in got
    assert ("II/2/2.3", "coordinate", "Viện kiểm sát nhân dân tỉnh", "task") in got
    assert ("II/2/2.4", "lead", "Sở, ngành, đoàn thể tỉnh", "task") in got
    assert ("II/2/2.4", "lead", "Ủy ban nhân dân xã, phường", "task") in got


def test_intro_line_applies_to_each_bullet(rules):
    text = ("II. NHIỆM VỤ\n1. Công tác lãnh đạo\nCác sở, ngành, đoàn thể tỉnh, Ủy ban nhân dân xã, phường:\n"
            "- Quán triệt các nghị quyết.\n- Tăng cường lãnh đạo.\n")
    spec = [("II", "tasks", "II."), ("II/1", "tasks", "1."), ("II/1/-1", "tasks", "- Q"), ("II/1/-2", "tasks", "- T")]
    got = rows(text, spec, rules)
    for p in ("II/1/-1", "II/1/-2"):
        assert (p, "lead", "Sở, ngành, đoàn thể tỉnh", "task") in got
        assert (p, "lead", "Ủy ban nhân dân xã, phường", "task") in got


def test_phoi_hop_followed_by_a_verb_gives_no_row(rules):
    text = "II. NHIỆM VỤ\n1. Tăng cường phối hợp điều tra, phối hợp tổ chức diễn đàn, sự phối hợp của Ủy ban MTTQ.\n"
    assert rows(text, [("II", "tasks", "II."), ("II/1", "tasks", "1.")], rules) == set()


def test_agency_colon_item_with_partners_after_chu_tri(rules):
    # `1. Công an tỉnh: Chủ trì, phối hợp với X, Y ...` on one line: X and Y coordinate
    text = ("III. NHIỆM VỤ\n1. Công an tỉnh: Chủ trì, phối hợp với Bộ đội Biên phòng tỉnh, Viện kiểm sát nhân dân tỉnh mở đợt cao điểm.\n"
            "2. Bộ đội Biên phòng tỉnh: Tăng cường tuần tra; phối hợp với lực lượng chức năng nước bạn trao đổi thông tin.\n"
            "3. Đề nghị Ủy ban MTTQ Việt Nam tỉnh, Tỉnh đoàn phối hợp tuyên truyền.\n")
    spec = [("III", "tasks", "III."), ("III/1", "tasks", "1."), ("III/2", "tasks", "2."), ("III/3", "tasks", "3.")]
    p = plan(place="Đồng Tháp", locality="tỉnh Đồng Tháp")
    got = rows(text, spec, rules, p)
    assert ("III/1", "lead", "Công an tỉnh", "task") in got
    assert ("III/1", "coordinate", "Bộ đội Biên phòng tỉnh", "task") in got
    assert ("III/1", "coordinate", "Viện kiểm sát nhân dân tỉnh", "task") in got
    assert ("III/2", "lead", "Bộ đội Biên phòng tỉnh", "task") in got
    assert not any(r[0] == "III/2" and r[1] == "coordinate" for r in got)  # a foreign force: no row
    assert ("III/3", "requested", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "task") in got
    assert ("III/3", "requested", "Tỉnh đoàn", "task") in got
