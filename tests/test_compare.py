from pipeline.compare import (
    Mandate,
    abbreviations_in,
    catalogue_mandates,
    compare,
    find_catalogue,
    mandates_for,
    parent_mandates,
)
from pipeline.records import PlanLink

HOTLINE = Mandate("m-hotline", "Phát huy hiệu quả Tổng đài điện thoại quốc gia về phòng, chống mua bán "
                  "người 111; nâng cao năng lực y tế cơ sở chăm sóc sức khỏe, tâm lý cho nạn nhân.",
                  "victim_support", group="Hỗ trợ nạn nhân")
LABOUR = Mandate("m-labour", "Kiểm tra, giám sát việc chấp hành pháp luật trong lĩnh vực cung ứng lao "
                 "động, đưa người lao động đi làm việc ở nước ngoài theo hợp đồng.", "inspection",
                 group="Quản lý, kiểm tra")
SCHOOL = Mandate("m-school", "Lồng ghép kỹ năng di cư an toàn, kỹ năng số vào chương trình giáo dục ngoại "
                 "khóa cho học sinh.", "prevention", group="Phòng ngừa")
BUDGET = Mandate("m-budget", "Bố trí kinh phí thực hiện trong dự toán ngân sách hằng năm.", "budget",
                 group="Nhiệm vụ của xã", requires_section="budget")
MANDATES = [HOTLINE, LABOUR, SCHOOL, BUDGET]


def task(tid, text, theme="other"):
    return {"doc_id": "c", "task_id": tid, "text": text, "theme": theme, "path": tid}


TASKS = [
    task("t1", "Phát huy hiệu quả của Tổng đài điện thoại quốc gia về phòng, chống MBN 111. Nâng cao năng "
         "lực hệ thống y tế, nhất là y tế cơ sở trong việc tiếp nhận, chăm sóc sức khỏe thể chất, tâm lý.",
         "victim_support"),
    task("t2", "Tăng cường kiểm tra, giám sát việc chấp hành pháp luật trong lĩnh vực cung ứng lao động, "
         "đưa người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng.", "inspection"),
    task("t3", "Tổ chức tuyên truyền trên hệ thống loa truyền thanh của các thôn.", "prevention"),
]


def by_id(cov):
    return {c.mandate_id: c for c in cov}


def test_statuses_evidence_and_matched_words(rules):
    cov = by_id(compare(TASKS, MANDATES, rules=rules, child_sections=[{"kind": "budget"}]))
    assert cov["m-hotline"].status == "covered" and cov["m-hotline"].child_task_ids == ("t1",)
    assert cov["m-labour"].status == "covered" and cov["m-labour"].child_task_ids == ("t2",)
    assert cov["m-school"].status == "missing" and cov["m-school"].child_task_ids == ()
    assert cov["m-budget"].status == "covered" and cov["m-budget"].method == "section_kind"
    # the words shown are the strongest shared ones (segmentation may join or split some)
    shown = set(cov["m-hotline"].matched_terms)
    assert len(shown & {"y tế", "tâm lý", "tổng đài", "phát huy", "chăm sóc", "sức khỏe", "năng lực"}) >= 2
    assert not shown & {"phòng", "chống", "mua bán", "người"}  # programme words are not evidence
    assert "người lao động" in cov["m-labour"].matched_terms or "lao động" in cov["m-labour"].matched_terms
    assert all(0.0 <= c.score <= 1.0 for c in cov.values())
    assert cov["m-hotline"].mandate_group == "Hỗ trợ nạn nhân"


def test_budget_mandate_missing_without_a_budget_section(rules):
    cov = by_id(compare(TASKS, MANDATES, rules=rules, child_sections=[{"kind": "tasks"}]))
    assert cov["m-budget"].status == "missing"


def test_deleting_a_task_changes_only_its_mandate(rules):
    before = by_id(compare(TASKS, MANDATES, rules=rules))
    after = by_id(compare(TASKS[1:], MANDATES, rules=rules))
    assert after["m-hotline"].status == "missing"
    for mid in ("m-labour", "m-school"):
        assert after[mid].status == before[mid].status
    # term weights come from the mandates, so the labour match scores exactly as before
    assert after["m-labour"].score == before["m-labour"].score


def test_paraphrase_stays_covered(rules):
    para = [task("p1", "Tăng cường vai trò của tổng đài quốc gia 111 về phòng chống mua bán người; trạm y tế "
                 "xã chăm sóc sức khỏe và hỗ trợ tâm lý cho nạn nhân trở về.", "victim_support")]
    assert by_id(compare(para, [HOTLINE], rules=rules))["m-hotline"].status == "covered"


def test_near_miss_shares_only_programme_words(rules):
    # the programme's own words (phòng, chống mua bán người) say nothing about which duty is met
    near = [task("n1", "Tổ chức thực hiện công tác phòng, chống mua bán người trên địa bàn xã.")]
    assert by_id(compare(near, [HOTLINE, LABOUR], rules=rules))["m-labour"].status == "missing"


def test_theme_agreement_is_a_feature(rules):
    text = "Kiểm tra việc đưa người lao động đi làm việc ở nước ngoài."
    same = compare([task("a", text, "inspection")], [LABOUR], rules=rules)[0].score
    other = compare([task("a", text, "prevention")], [LABOUR], rules=rules)[0].score
    assert same > other


def test_abbreviations_defined_in_the_plan():
    text = "Triển khai Chương trình phòng, chống mua bán người (MBN) và Ủy ban nhân dân (UBND) xã"
    assert abbreviations_in(text) == {"MBN": "mua bán người", "UBND": "ủy ban nhân dân"}
    assert abbreviations_in("kế hoạch số 68 (KH) năm") == {}  # initials do not agree


def test_parent_mandates_follow_the_level_of_the_child(rules):
    child = {"doc_id": "c", "issuer_level": "commune", "locality": "xã Nhân Lý",
             "issuer": "Ủy ban nhân dân xã Nhân Lý"}
    secs = [
        {"doc_id": "p", "section_id": "s2", "parent_section_id": None, "path": "II", "kind": "tasks",
         "heading": "NHIỆM VỤ, GIẢI PHÁP"},
        {"doc_id": "p", "section_id": "s21", "parent_section_id": "s2", "path": "II/1", "kind": "tasks",
         "heading": "Công tác phòng ngừa xã hội"},
        {"doc_id": "p", "section_id": "s22", "parent_section_id": "s2", "path": "II/2", "kind": "tasks",
         "heading": "Công tác hợp tác quốc tế"},
        {"doc_id": "p", "section_id": "s23", "parent_section_id": "s2", "path": "II/3", "kind": "tasks",
         "heading": "Các nhiệm vụ khác"},
    ]
    tasks = [
        {"doc_id": "p", "task_id": "p1", "section_id": "s21", "path": "II/1/-1", "theme": "prevention",
         "text": "Củng cố phong trào Toàn dân bảo vệ an ninh Tổ quốc.", "char_start": 10},
        {"doc_id": "p", "task_id": "p2", "section_id": "s21", "path": "II/1/-2", "theme": "prevention",
         "text": "Sở Giáo dục và Đào tạo lồng ghép kỹ năng di cư an toàn.", "char_start": 20},
        {"doc_id": "p", "task_id": "p3", "section_id": "s22", "path": "II/2", "theme": "international",
         "text": "Công an tỉnh thực hiện các hiệp định song phương.", "char_start": 30},
        {"doc_id": "p", "task_id": "p4", "section_id": "s23", "path": "II/3/-1", "theme": "leadership",
         "text": "Cụ thể hóa nhiệm vụ vào kế hoạch phát triển kinh tế - xã hội.", "char_start": 40},
    ]
    assignments = [
        {"doc_id": "p", "task_id": None, "path": "II/1", "scope": "section", "role": "lead",
         "agency": "Ủy ban nhân dân xã, phường"},
        {"doc_id": "p", "task_id": "p2", "path": "II/1/-2", "scope": "task", "role": "lead",
         "agency": "Sở Giáo dục và Đào tạo"},
        {"doc_id": "p", "task_id": "p3", "path": "II/2", "scope": "task", "role": "lead",
         "agency": "Công an tỉnh"},
        {"doc_id": "p", "task_id": "p4", "path": "II/3/-1", "scope": "task", "role": "lead",
         "agency": "Ủy ban nhân dân xã Nhân Lý"},
    ]
    ms = {m.mandate_id: m for m in parent_mandates(child, "p", tasks, secs, assignments, rules=rules)}
    # p1, p2: the whole group II/1 goes to communes; p4 names this commune; p3 is the province
    # police's alone: neither it nor its group heading is a commune's mandate
    assert set(ms) == {"p1", "p2", "p4"}
    assert ms["p1"].group == "Công tác phòng ngừa xã hội" and ms["p1"].parent_doc_id == "p"
    assert ms["p1"].path == "II/1/-1"
    # another commune is not handed p4
    other = {m.mandate_id for m in parent_mandates({**child, "issuer": "Ủy ban nhân dân xã Hòa Xá"}, "p",
                                                   tasks, secs, assignments, rules=rules)}
    assert other == {"p1", "p2"}


def test_catalogue_is_found_by_programme_not_by_any_plan(rules):
    refs = [{"doc_id": "c", "role": "implements", "title": "triển khai thực hiện Chương trình phòng, chống "
             "mua bán người (MBN) giai đoạn 2026 - 2030 và định hướng đến năm 2035"}]
    cat = find_catalogue({"doc_id": "c", "title": "Kế hoạch"}, refs, rules=rules)
    assert cat is not None and cat["id"] == "pcmbn-2026-2030"
    old = [{"doc_id": "c", "role": "implements", "title": "Chương trình phòng, chống mua bán người giai "
            "đoạn 2021 - 2025 và định hướng đến năm 2030"}]
    assert find_catalogue({"doc_id": "c", "title": "Kế hoạch"}, old, rules=rules) is None
    assert find_catalogue({"doc_id": "c", "title": "Thực hiện Chương trình phòng, chống mua bán người "
                           "giai đoạn 2026 - 2030"}, [], rules=rules) is not None
    commune = {m.mandate_id for m in catalogue_mandates(cat, "commune")}
    province = {m.mandate_id for m in catalogue_mandates(cat, "province")}
    assert "pcmbn-2026-2030:G8.1" in commune and "pcmbn-2026-2030:G8.1" not in province
    assert "pcmbn-2026-2030:G7.1" in province and "pcmbn-2026-2030:G7.1" not in commune


def test_the_programme_itself_is_not_checked_against_its_catalogue(rules):
    title = ("Ban hành Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030 "
             "và định hướng đến năm 2035")
    tables = {"references": [], "tasks": [], "sections": [], "assignments": [], "documents": []}
    national = {"doc_id": "n", "title": title, "issuer_level": "national"}
    commune = {"doc_id": "c", "title": "Thực hiện " + title, "issuer_level": "commune"}
    assert mandates_for(national, [], tables, rules=rules) == ([], [])
    assert mandates_for(commune, [], tables, rules=rules)[0]


def test_links_are_plain_records():
    # compare_store takes links from link(): a resolved link carries the parent's doc_id
    ln = PlanLink("c", "66/KH-UBND", True, "doc_ref+issuer", parent_doc_id="p")
    assert ln.parent_doc_id == "p"


def test_a_department_plan_gets_the_tasks_of_its_own_department(rules):
    from pipeline.compare.mandates import TaskSpec, applies

    dept = {"doc_id": "c", "issuer_level": "province_dept", "issuer": "Sở Y tế tỉnh Bắc Ninh"}
    commune = {"doc_id": "c", "issuer_level": "commune", "issuer": "Ủy ban nhân dân xã A"}
    own = TaskSpec(frozenset({"province"}), ("Sở Y tế",))
    other = TaskSpec(frozenset({"province"}), ("Sở Tư pháp",))
    everyone = TaskSpec(frozenset({"any"}), ("Cơ quan, đơn vị liên quan",))
    nobody_named = TaskSpec(open=True)
    assert applies(own, dept) and not applies(other, dept)
    assert not applies(own, commune) and applies(everyone, commune) and applies(nobody_named, commune)


def test_catalogue_items_restricted_to_named_bodies(rules):
    cat = {"id": "k", "groups": [{"id": "G1", "title": "Y tế", "tasks": [
        {"id": "1", "text": "Chăm sóc sức khỏe nạn nhân.", "levels": [], "agencies": ["Sở Y tế"]},
        {"id": "2", "text": "Tuyên truyền trong Nhân dân."}]}]}
    dept = {"issuer_level": "province_dept", "issuer": "Sở Y tế tỉnh Bắc Ninh"}
    assert [m.path for m in catalogue_mandates(cat, dept)] == ["1", "2"]
    assert [m.path for m in catalogue_mandates(cat, "commune")] == ["2"]


def test_the_action_decides_between_shared_words(rules):
    # both tasks name the victims; only the one that supports them carries the support duty
    support = Mandate("m", "Kịp thời giải cứu, tiếp nhận, xác minh, hỗ trợ nạn nhân bị mua bán.",
                      "victim_support")
    training = [task("t", "Tập huấn cho cán bộ làm công tác giải cứu, tiếp nhận, xác minh, hỗ trợ nạn nhân "
                          "bị mua bán.", "capacity")]
    doing = [task("d", "Tiếp nhận, xác minh và hỗ trợ kịp thời nạn nhân bị mua bán trở về địa phương.",
                  "victim_support")]
    assert compare(training, [support], rules=rules)[0].status != "covered"
    got = compare(doing, [support], rules=rules)[0]
    assert got.status == "covered" and {"tiếp nhận", "xác minh"} <= set(got.matched_terms)


# --- rivals: a parent task given to other bodies ----------------------------------------------

COMMUNE_DUTY = Mandate("m-commune", "Tổ chức triển khai có hiệu quả các chủ trương, chính sách của Đảng, "
                       "Nhà nước về công tác dân số trên địa bàn.", "other", group="Ủy ban nhân dân xã")
DEPARTMENT_DUTY = ("Tổ chức triển khai có hiệu quả các chủ trương, chính sách của Đảng, Nhà nước về công tác "
                   "dân số và kế hoạch hóa gia đình, chăm sóc sức khỏe sinh sản vị thành niên.")
IDF = [COMMUNE_DUTY.text, DEPARTMENT_DUTY] + [m.text for m in MANDATES]


def test_a_copy_of_another_bodys_task_is_not_the_mandates_evidence():
    child = [task("t1", DEPARTMENT_DUTY)]  # the commune restated the department's task only
    alone = by_id(compare(child, [COMMUNE_DUTY], idf_texts=IDF))
    rival = by_id(compare(child, [COMMUNE_DUTY], idf_texts=IDF, rivals=[DEPARTMENT_DUTY]))
    assert alone["m-commune"].status != "missing"  # the words alone would say it is (partly) met
    assert rival["m-commune"].status == "missing"


def test_the_mandates_own_wording_wins_over_a_rival():
    child = [task("t1", DEPARTMENT_DUTY), task("t2", COMMUNE_DUTY.text)]
    cov = by_id(compare(child, [COMMUNE_DUTY], idf_texts=IDF, rivals=[DEPARTMENT_DUTY]))
    assert cov["m-commune"].status == "covered"
    assert "t2" in cov["m-commune"].child_task_ids
