# ruff: noqa: E501  (fixture lines are plan sentences, kept whole)
"""Roles anywhere in a task: labels, parentheses, later sentences, Giao / Đề nghị, đầu mối."""

import pytest

from pipeline.extract.agencies import canonical_agency, is_known_agency, leading_agency, split_agencies
from pipeline.extract.assignments import find_assignments
from pipeline.extract.tasks import find_tasks
from pipeline.rules import load_rules

from ._fixtures import build, plan

PROVINCE = dict(place="Lạng Sơn", locality="tỉnh Lạng Sơn")


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def rows(text, spec, rules):
    seg = build(text, spec)
    tasks = list(find_tasks(seg, rules=rules))
    out = list(find_assignments(seg, tasks, rules=rules, plan=plan(**PROVINCE)))
    for a in out:
        assert seg.doc.text[a.char_start:a.char_end] == a.agency_raw
    return {(a.path, a.role, a.agency, a.scope) for a in out}


def of(got, path):
    return {(r[1], r[2]) for r in got if r[0] == path}


def test_roles_in_parentheses_belong_to_their_own_item(rules):
    text = ("III. NHIỆM VỤ\n"
            "1. Rà soát các văn bản quy phạm pháp luật (Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Sở Nội vụ, các cơ quan, đơn vị liên quan).\n"
            "2. Tổ chức tập huấn cho cán bộ (Trách nhiệm: Sở Y tế).\n"
            "3. Tăng cường kiểm tra việc thực hiện.\n")
    spec = [("III", "tasks", "III."), ("III/1", "tasks", "1."), ("III/2", "tasks", "2."), ("III/3", "tasks", "3.")]
    got = rows(text, spec, rules)
    assert of(got, "III/1") == {("lead", "Sở Tư pháp"), ("coordinate", "Sở Nội vụ"),
                                ("coordinate", "Cơ quan, đơn vị liên quan")}
    assert of(got, "III/2") == {("lead", "Sở Y tế")}
    assert of(got, "III/3") == set()


def test_giao_in_a_second_sentence(rules):
    text = ("III. NHIỆM VỤ\n1. Rà soát, đánh giá kết quả thực hiện. Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng thực hiện.\n"
            "2. Các nhiệm vụ được giao Sở Nội vụ tiếp tục thực hiện.\n")
    spec = [("III", "tasks", "III."), ("III/1", "tasks", "1."), ("III/2", "tasks", "2.")]
    got = rows(text, spec, rules)
    assert of(got, "III/1") == {("lead", "Sở Tài chính"), ("coordinate", "Sở Xây dựng")}
    assert ("lead", "Sở Nội vụ") not in of(got, "III/2")  # `được giao`: not an order


def test_subject_of_a_later_sentence_and_chu_tri_inside_a_sentence(rules):
    text = ("III. NHIỆM VỤ\n1. Tăng cường kiểm tra an toàn thực phẩm. Sở Công Thương chủ trì, phối hợp với Sở Y tế tổ chức.\n"
            "2. Tổ chức hội nghị sơ kết, do Sở Nội vụ chủ trì.\n")
    spec = [("III", "tasks", "III."), ("III/1", "tasks", "1."), ("III/2", "tasks", "2.")]
    got = rows(text, spec, rules)
    assert of(got, "III/1") == {("lead", "Sở Công Thương"), ("coordinate", "Sở Y tế")}
    assert of(got, "III/2") == {("lead", "Sở Nội vụ")}


LABELS = """III. NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao năng lực
- Tăng cường công tác giáo dục chính trị cho cán bộ.
- Nâng cao ý thức trách nhiệm của cán bộ.
*Đơn vị thực hiện: *Các Sở,
ngành, đơn vị, UBND cấp xã.
*Đơn vị phối hợp: *Sở Tư
pháp.
*Thời gian thực hiện: *Thường xuyên.
- Tổ chức tập huấn, bồi dưỡng kiến thức cho cán bộ.
*Đơn vị chủ trì tham mưu thực hiện: *Sở Nội vụ.
*Đơn vị phối hợp thực hiện: *Sở Tư pháp; các cơ quan, đơn vị, địa phương liên quan.
*Thời gian thực hiện: *Hằng năm.
2. Ứng dụng công nghệ
- Ra mắt trợ lý pháp luật.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Cơ quan phối hợp: Sở Tư pháp.
"""
LABEL_SPEC = [("III", "tasks", "III."), ("III/1", "tasks", "1. N"), ("III/1/-1", "tasks", "- Tăng"),
              ("III/1/-2", "tasks", "- Nâng"), ("III/1/-3", "tasks", "- Tổ"), ("III/2", "tasks", "2. Ứ"),
              ("III/2/-1", "tasks", "- Ra")]


def test_labels_after_a_run_of_items_apply_back_to_the_previous_labels(rules):
    got = rows(LABELS, LABEL_SPEC, rules)
    for p in ("III/1/-1", "III/1/-2"):
        assert of(got, p) == {("lead", "Sở, ngành, đơn vị"), ("lead", "Ủy ban nhân dân cấp xã"),
                              ("coordinate", "Sở Tư pháp")}, p
    assert of(got, "III/1/-3") == {("lead", "Sở Nội vụ"), ("coordinate", "Sở Tư pháp"),
                                   ("coordinate", "Cơ quan, đơn vị, địa phương liên quan")}


def test_dash_labelled_lines_after_an_item(rules):
    got = rows(LABELS, LABEL_SPEC, rules)
    assert of(got, "III/2/-1") == {("lead", "Sở Khoa học và Công nghệ"), ("coordinate", "Sở Tư pháp")}


def test_agency_heading_with_its_role_in_parentheses_and_wrapped(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính (cơ quan chủ trì):\n- Tổng hợp nhu cầu kinh phí.\n"
            "2. Sở Nội vụ (cơ quan phối hợp):\n- Hướng dẫn các đơn vị.\n"
            "3. Sở\nKhoa học và Công nghệ:\n- Chỉ đạo các doanh nghiệp viễn thông bảo đảm thông tin.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/1/-1", "organization", "- T"),
            ("IV/2", "organization", "2."), ("IV/2/-1", "organization", "- H"),
            ("IV/3", "organization", "3."), ("IV/3/-1", "organization", "- C")]
    got = rows(text, spec, rules)
    assert of(got, "IV/1/-1") == {("lead", "Sở Tài chính")}
    assert of(got, "IV/2/-1") == {("coordinate", "Sở Nội vụ")}
    assert of(got, "IV/3/-1") == {("lead", "Sở Khoa học và Công nghệ")}  # directed companies: no row


def test_request_list_inline_covers_every_body(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Tăng cường tuyên truyền. Đề nghị Ủy ban MTTQ Việt Nam tỉnh, Liên đoàn Lao động tỉnh và Hội Nông dân tỉnh phối hợp thực hiện.\n"
            "2. Hướng dẫn hồ sơ, đề nghị cơ quan chức năng xác minh.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/2", "organization", "2.")]
    got = rows(text, spec, rules)
    assert of(got, "IV/1") == {("requested", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
                               ("requested", "Liên đoàn Lao động tỉnh"), ("requested", "Hội Nông dân tỉnh")}
    assert of(got, "IV/2") == set()  # a body of the plan asking another mid-sentence


def test_dau_moi_is_standing_once_and_lead_of_its_item(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp là cơ quan đầu mối, theo dõi, đôn đốc việc thực hiện Kế hoạch.\n"
            "2. Các tổ chức, cá nhân hỗ trợ thông qua đầu mối Sở Công Thương.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/2", "organization", "2.")]
    got = rows(text, spec, rules)
    assert ("IV/1", "lead", "Sở Tư pháp", "task") in got
    assert [r for r in got if r[1] == "standing"] == [(None, "standing", "Sở Tư pháp", "plan")]


def test_dau_moi_names_the_body_after_it_when_none_before(rules):
    text = "IV. TỔ CHỨC THỰC HIỆN\n1. Hỗ trợ nhu yếu phẩm thông qua đầu mối Sở Công Thương.\n"
    got = rows(text, [("IV", "organization", "IV."), ("IV/1", "organization", "1.")], rules)
    assert (None, "standing", "Sở Công Thương", "plan") in got


def test_va_inside_names_and_between_bodies(rules):
    ms = split_agencies("Sở Văn hóa và Thể thao và Sở Y tế; Bộ Lao động - Thương binh và Xã hội và Bộ Dân tộc và Tôn giáo",
                        rules=rules)
    assert [m.agency for m in ms] == ["Sở Văn hóa và Thể thao", "Sở Y tế", "Bộ Lao động - Thương binh và Xã hội",
                                      "Bộ Dân tộc và Tôn giáo"]
    ms = split_agencies("Cục Thống kê và Sở Tài chính", rules=rules)
    assert [m.agency for m in ms] == ["Cục Thống kê", "Sở Tài chính"]


def test_leading_agency_for_an_issuer(rules):
    m = leading_agency("Bộ Lao động - Thương binh và Xã hội về việc hướng dẫn thực hiện", rules=rules)
    assert m.agency == "Bộ Lao động - Thương binh và Xã hội"
    assert m.char_end == len("Bộ Lao động - Thương binh và Xã hội")
    assert leading_agency("về việc hướng dẫn", rules=rules) is None


@pytest.mark.parametrize("name", [
    "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh",
    "Bộ Nội vụ", "Bộ Dân tộc và Tôn giáo", "Bảo hiểm xã hội tỉnh", "Kho bạc Nhà nước", "Thuế tỉnh",
    "Đài Phát thanh và Truyền hình", "Hội Chữ thập đỏ tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh", "Công ty Điện lực",
    "Ban Chỉ huy Phòng thủ dân sự tỉnh", "Tòa án nhân dân tỉnh", "Trung tâm Kiểm soát bệnh tật",
])
def test_gazetteer_covers_bodies_of_every_field(rules, name):
    assert is_known_agency(name, rules)


def test_unknown_bodies_come_out_canonical_and_unknown(rules):
    ms = split_agencies("Trung tâm Phát triển quỹ đất, UBND các xã", rules=rules)
    assert [m.agency for m in ms] == ["Trung tâm Phát triển quỹ đất", "Ủy ban nhân dân xã"]
    assert [m.known for m in ms] == [False, True]


def test_provincial_body_drops_the_province_name(rules):
    assert canonical_agency("Công ty Điện lực Đắk Lắk", rules=rules, own_place="Đắk Lắk") == "Công ty Điện lực"
    assert canonical_agency("Ban Quản lý Khu kinh tế Dung Quất", rules=rules, own_place="Quảng Ngãi") == "Ban Quản lý Khu kinh tế Dung Quất"
    assert canonical_agency("Ban Chỉ huy PTDS tỉnh", rules=rules) == "Ban Chỉ huy Phòng thủ dân sự tỉnh"


def test_bodies_sharing_a_head_word(rules):
    ms = split_agencies("các Sở: Xây dựng, Công Thương, Văn hóa, Thể thao và Du lịch; các Bộ: Công an và Quốc phòng", rules=rules)
    assert [m.agency for m in ms] == ["Sở Xây dựng", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch", "Bộ Công an",
                                      "Bộ Quốc phòng"]


def test_nearest_agency_heading_wins_and_members_of_a_generic_body(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Các cơ quan tham mưu quản lý ngành (gồm các Sở: Xây dựng, Công Thương)\n"
            "- Phối hợp hướng dẫn các cơ quan. Trong đó:\n+ Sở Xây dựng: hướng dẫn kiểm kê tài sản giao thông.\n"
            "+ Sở Công Thương: hướng dẫn kiểm kê chợ.\n- Tổng hợp số liệu kiểm kê.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/1/-1", "organization", "- P"),
            ("IV/1/-1/-1", "organization", "+ Sở X"), ("IV/1/-1/-2", "organization", "+ Sở C"),
            ("IV/1/-2", "organization", "- T")]
    got = rows(text, spec, rules)
    assert of(got, "IV/1/-1/-1") == {("lead", "Sở Xây dựng")}
    assert of(got, "IV/1/-1/-2") == {("lead", "Sở Công Thương")}
    assert of(got, "IV/1/-2") == {("lead", "Sở Xây dựng"), ("lead", "Sở Công Thương")}


def test_wrapped_heading_with_cơ_quan_chủ_trì_leads_its_items_and_the_plan(rules):
    text = ("**IV. TỔ CHỨC\nTHỰC HIỆN**\n\n**1. Sở\nTài chính **(cơ quan chủ trì)\n\n- Chủ trì xây dựng, tổ chức thực\n"
            "hiện Kế hoạch.\n\n- Hướng dẫn các đơn vị lập dự toán.\n")
    spec = [("IV", "organization", "**IV."), ("IV/1", "organization", "**1."), ("IV/1/-1", "organization", "- Chủ"),
            ("IV/1/-2", "organization", "- Hướng")]
    got = rows(text, spec, rules)
    assert of(got, "IV/1/-1") == {("lead", "Sở Tài chính")}
    assert of(got, "IV/1/-2") == {("lead", "Sở Tài chính")}
    assert (None, "lead", "Sở Tài chính", "plan") in got


def test_cell_agencies_and_label_spans_keep_offsets(rules):
    from pipeline.extract.agencies import cell_agencies
    from pipeline.extract.role_labels import label_spans

    text = "| 1 | Xây dựng cơ sở dữ liệu | Sở KH&CN | Các sở, ban, ngành tỉnh; UBND các xã, phường | 2026 |"
    a = text.index("Các sở")
    ms = cell_agencies(text, a, text.index(" | 2026"), rules=rules)
    assert [m.agency for m in ms] == ["Sở, ban, ngành tỉnh", "Ủy ban nhân dân xã, phường"]
    assert all(text[m.char_start:m.char_end] == m.raw for m in ms)
    line = "a) Rà soát văn bản (Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Sở Nội vụ).\n- Cơ quan thực hiện: Sở Y tế.\n"
    spans = label_spans(line, 0, len(line), rules=rules)
    assert [(k, line[s:e], ls) for k, s, e, ls in spans] == [
        ("lead", "Cơ quan chủ trì: Sở Tư pháp;", False), ("coordinate", "cơ quan phối hợp: Sở Nội vụ", False),
        ("any", "Cơ quan thực hiện: Sở Y tế.", True)]


def test_unknown_name_in_sentence_case_goes_on_over_lower_case_words(rules):
    ms = split_agencies("Ban Quản lý các khu công nghệ cao và khu công nghiệp, Trung tâm Chuyển đổi số Thành phố và các đơn vị liên quan",
                        rules=rules)
    assert [m.agency for m in ms] == ["Ban Quản lý khu công nghệ cao và khu công nghiệp", "Trung tâm Chuyển đổi số thành phố",
                                      "Đơn vị liên quan"]


def test_reports_through_a_body_make_it_the_standing_body(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Các sở, ngành triển khai Kế hoạch.\n"
            "2. Định kỳ báo cáo UBND tỉnh (qua Sở Tư pháp) kết quả thực hiện Kế hoạch hằng năm.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/2", "organization", "2.")]
    got = rows(text, spec, rules)
    assert [r for r in got if r[1] == "standing"] == [(None, "standing", "Sở Tư pháp", "plan")]
    assert not any(r[2] == "Sở Tư pháp" and r[0] for r in got)  # reported to: no task row


def test_closing_paragraph_without_tren_day_la_speaks_for_the_plan(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\n- Bố trí đội y tế lưu động.\n\n"
            "Các cơ quan, đơn vị, địa phương căn cứ chức năng, nhiệm vụ được giao, khẩn trương triển khai thực hiện "
            "Kế hoạch này; kịp thời báo cáo UBND tỉnh (qua Sở Công Thương) để xem xét./.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/1/-1", "organization", "- B")]
    got = rows(text, spec, rules)
    assert of(got, "IV/1/-1") == {("lead", "Sở Y tế")}
    assert (None, "lead", "Cơ quan, đơn vị, địa phương", "plan") in got
    assert (None, "standing", "Sở Công Thương", "plan") in got


def test_issuer_asking_bodies_in_the_closing_paragraph(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\n- Bố trí đội y tế lưu động.\n\n"
            "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tỉnh, UBND các xã, phường nghiêm túc triển khai thực hiện./.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/1/-1", "organization", "- B")]
    got = rows(text, spec, rules)
    plan_rows = {(r[1], r[2]) for r in got if r[3] == "plan"}
    assert plan_rows == {("lead", "Sở, ban, ngành tỉnh"), ("lead", "Ủy ban nhân dân xã, phường")}


def test_a_request_made_on_a_condition_is_no_assignment(rules):
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\n- Bố trí đội y tế lưu động.\n\n"
            "Trong quá trình thực hiện nếu có khó khăn, vướng mắc đề nghị các cơ quan, đơn vị phản ánh về "
            "Sở Y tế để tổng hợp./.\n")
    spec = [("IV", "organization", "IV."), ("IV/1", "organization", "1."), ("IV/1/-1", "organization", "- B")]
    got = rows(text, spec, rules)
    assert not [r for r in got if r[3] == "plan" and r[1] in ("lead", "requested")]


def test_gazetteer_entries_are_well_formed(rules):
    # an unquoted comma in a flow mapping (`{name: A, B, level: ...}`) silently cuts a name
    for e in rules["agencies"]["agencies"]:
        assert set(e) <= {"name", "level", "aliases"}, e
    assert is_known_agency("Tổ bảo vệ an ninh, trật tự ở cơ sở", rules)
