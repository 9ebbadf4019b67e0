import dataclasses

from conftest import ROOT

from pipeline.compare import GROUP_METHOD
from pipeline.doc_checks import (
    front_matter_flags,
    no_reporting_schedule,
    numbering_gaps,
    outdated_laws,
    tasks_without_lead,
    unknown_agencies,
)
from pipeline.flags import coverage_flags, find_flags, link_flags
from pipeline.records import Coverage, PlanLink
from pipeline.rules import Rules


def sec(marker, kind, parent=None, start=0, sid=None):
    return {"doc_id": "d", "section_id": sid or f"s{start}", "parent_section_id": parent, "marker": marker,
            "marker_type": kind, "path": marker, "char_start": start, "char_end": start + 5}


def gaps(sections, rules):
    return [(f.code, f.path) for f in numbering_gaps(sections, rules)]


def test_numbering_gaps(rules):
    assert gaps([sec("I", "roman", start=0), sec("II", "roman", start=10), sec("IV", "roman", start=20)],
                rules) == [("NUMBERING_GAP", "IV")]
    letters = ["a", "b", "c", "d", "đ", "e", "g"]
    assert gaps([sec(m, "letter", "p", i) for i, m in enumerate(letters)], rules) == []
    assert gaps([sec(m, "letter", "p", i) for i, m in enumerate(["a", "b", "c", "d", "e"])], rules) == []
    assert gaps([sec(m, "letter", "p", i) for i, m in enumerate(["a", "b", "d"])], rules) == [
        ("NUMBERING_GAP", "d")]
    assert gaps([sec("2.1", "arabic_dotted", "p", 0), sec("2.3", "arabic_dotted", "p", 5)], rules) == [
        ("NUMBERING_GAP", "2.3")]
    # siblings under different parents and bullets never make gaps
    assert gaps([sec("1", "arabic", "p", 0), sec("1", "arabic", "q", 5), sec("-3", "bullet", "p", 9)],
                rules) == []
    assert gaps([sec("2", "arabic", "p", 0)], rules) == [("NUMBERING_GAP", "2")]  # starts at 2
    (f,) = numbering_gaps([sec("b", "letter", "p", 0)], rules)
    assert f.severity == "warning" and "“b”" in f.message


def test_blank_number_and_date(rules):
    text = "\nSố: /KH-UBND\n\nHòa Xá, ngày    tháng    năm 2026\n\nKẾ HOẠCH\n"
    plan = {"doc_id": "d", "doc_kind": "ke_hoach", "number": None, "symbol": "KH-UBND",
            "issue_date": None, "issue_date_raw": "Hòa Xá, ngày    tháng    năm 2026"}
    flags = {f.code: f for f in front_matter_flags(plan, text, rules)}
    assert set(flags) == {"BLANK_DOC_NUMBER", "BLANK_ISSUE_DATE"}
    f = flags["BLANK_DOC_NUMBER"]
    assert text[f.char_start:f.char_end] == "Số: /KH-UBND"
    f = flags["BLANK_ISSUE_DATE"]
    assert text[f.char_start:f.char_end].startswith("Hòa Xá, ngày")
    import datetime as dt
    ok = {**plan, "number": "68", "issue_date": dt.date(2026, 3, 27)}
    assert front_matter_flags(ok, text, rules) == []


def task(tid, path):
    return {"doc_id": "d", "task_id": tid, "path": path, "char_start": 0, "char_end": 4, "text": "x"}


def asg(scope, role, task_id=None, path=None, agency="Công an xã", generic=False):
    return {"doc_id": "d", "task_id": task_id, "path": path, "scope": scope, "role": role,
            "agency": agency, "agency_raw": agency, "generic": generic, "char_start": 0, "char_end": 3}


def test_task_without_lead(rules):
    tasks = [task("t1", "II/1/a"), task("t2", "II/1/b"), task("t3", "II/2/a"), task("t4", "II/3")]
    assignments = [asg("section", "lead", path="II/1"), asg("task", "coordinate", "t3", "II/2/a"),
                   asg("task", "requested", "t4", "II/3", agency="Ủy ban Mặt trận Tổ quốc Việt Nam xã")]
    (f,) = tasks_without_lead(tasks, assignments, rules)
    assert f.task_id == "t3" and "II/2/a" in f.message
    # a plan-wide lead leads every task
    assert tasks_without_lead(tasks, [*assignments, asg("plan", "lead")], rules) == []


def test_reporting_schedule(rules):
    plan = {"doc_id": "d", "doc_kind": "ke_hoach"}
    tasks = [task("t1", "V/1")]
    text = "Các cơ quan triển khai thực hiện nghiêm túc kế hoạch này."
    (f,) = no_reporting_schedule(plan, tasks, [], [], text, rules)
    assert f.code == "NO_REPORTING_SCHEDULE"
    recurring = [{"kind": "recurring", "task_id": "t1", "raw": "định kỳ 06 tháng"}]
    assert no_reporting_schedule(plan, tasks, [], recurring, text, rules) == []
    assert no_reporting_schedule(plan, tasks, [], [], text + " Định kỳ 6 tháng, hằng năm báo cáo kết quả.",
                                 rules) == []
    # a due date alone is no schedule unless it is a report's
    due = [{"kind": "date", "task_id": "t1", "raw": "trước ngày 01/3/2026", "char_start": 0}]
    assert len(no_reporting_schedule(plan, tasks, [], due, text, rules)) == 1
    assert no_reporting_schedule(plan, [], [], [], text, rules) == []  # nothing read of the body


LAWS = ("Căn cứ Luật Phòng, chống mua bán người năm 2011; thực hiện Luật Phòng, chống mua bán người "
        "năm 2024 (sửa đổi, bổ sung năm 2025) và Bộ luật Hình sự năm 2015.")


def test_outdated_legal_basis(rules):
    (f,) = outdated_laws({"doc_id": "d"}, LAWS, rules)
    assert f.code == "OUTDATED_LEGAL_BASIS"
    assert LAWS[f.char_start:f.char_end] == "Luật Phòng, chống mua bán người năm 2011"
    assert "năm 2024" in f.message
    # the plan saying the old law was replaced is not a citation of it
    said = ("Luật Phòng, chống mua bán người năm 2024 thay thế Luật Phòng, chống mua bán người năm 2011 "
            "có hiệu lực từ 01/7/2025.")
    assert outdated_laws({"doc_id": "d"}, said, rules) == []
    assert outdated_laws({"doc_id": "d"}, "Thực hiện Luật Phòng, chống mua bán người năm 2024.", rules) == []
    # an abbreviation the plan defines names the same law
    abbr = ("Chương trình phòng, chống mua bán người (MBN). Căn cứ Luật Phòng, chống MBN năm 2011. "
            "Luật Phòng, chống mua bán người năm 2024.")
    assert len(outdated_laws({"doc_id": "d"}, abbr, rules)) == 1


def test_unknown_agency_flags_each_unknown_body_once(rules):
    import importlib

    try:
        has_extractor = hasattr(importlib.import_module("pipeline.extract.agencies"), "is_known_agency")
    except ImportError:
        has_extractor = False
    if not has_extractor:  # the fallback judges by the names in rules/agencies.yaml
        data = dict(rules.data)
        data["agencies"] = {"agencies": [{"name": "Công an xã", "aliases": ["CA xã"]}]}
        rules = Rules(dir=rules.dir, data=data, mandates=rules.mandates)
    rows = [asg("task", "lead", "t1", agency="Công an xã"), asg("task", "lead", "t2", agency="Ban Tàu Ngầm"),
            asg("task", "lead", "t3", agency="Ban Tàu Ngầm"),
            asg("task", "coordinate", "t4", agency="các cơ quan liên quan", generic=True)]
    flags = unknown_agencies(rows, rules)
    assert [(f.code, f.task_id) for f in flags] == [("UNKNOWN_AGENCY", "t2")]
    assert "Ban Tàu Ngầm" in flags[0].message


def test_links_and_coverage_flags(rules):
    links = [PlanLink("c", "137/KH-UBND", False, "none"), PlanLink("c", "66/KH-UBND", True,
                                                                    "doc_ref+issuer", parent_doc_id="p")]
    base = Coverage("c", "m1", "Phát huy hiệu quả Tổng đài 111", "victim_support", "missing", 0.1,
                    "tfidf-cosine+theme")
    cov = [base, dataclasses.replace(base, mandate_id="m2", status="partial"),
           dataclasses.replace(base, mandate_id="m3", status="covered"),
           dataclasses.replace(base, mandate_id="g", status="missing", method=GROUP_METHOD)]
    codes = [f.code for f in coverage_flags(cov, rules)]
    assert codes == ["MISSING_MANDATED_TASK", "PARTIAL_MANDATED_TASK", "MISSING_TASK_GROUP"]
    tables = {"plans": [{"doc_id": "c", "doc_kind": "ke_hoach", "number": "5", "issue_date": None,
                         "issue_date_raw": None}]}
    flags = find_flags(tables, links, cov, rules=rules)
    nf = [f for f in flags if f.code == "PARENT_NOT_FOUND"]
    assert len(nf) == 1 and "137/KH-UBND" in nf[0].message
    assert all(f.severity in ("error", "warning", "info") for f in flags)
    for f in flags:  # every code is documented in both languages
        spec = rules["flags"]["flags"][f.code]
        assert spec["vi"] and spec["en"]


def ttask(tid, path, theme, text="x", section_id="s"):
    return {**task(tid, path), "theme": theme, "text": text, "section_id": section_id}


def test_task_without_lead_area_assigned_elsewhere(rules):
    """A task list without leads, then a responsibility section assigning each area to a body."""
    tasks = [ttask("t1", "II/1/-1", "prevention", "Tuyên truyền trên hệ thống truyền thanh cơ sở"),
             ttask("t2", "II/2/-1", "crime_fighting", "Đấu tranh, triệt phá đường dây mua bán người"),
             ttask("t3", "II/3/-1", "capacity", "Tập huấn, bồi dưỡng kỹ năng cho cán bộ"),
             ttask("t4", "II/4/-1", "international", "Hợp tác quốc tế với các nước láng giềng"),
             ttask("a1", "III/1/-1", "prevention", "Thực hiện nhiệm vụ tuyên truyền trên các phương tiện"),
             ttask("a2", "III/2/-1", "victim_support",
                   "Chủ trì hỗ trợ nạn nhân; tổ chức tập huấn, bồi dưỡng cho cán bộ làm công tác hỗ trợ"),
             ttask("a3", "III/3/-1", "crime_fighting", "Đấu tranh với tội phạm")]
    assignments = [asg("task", "lead", "a1", "III/1/-1", agency="Phòng Văn hóa và Thông tin"),
                   asg("task", "lead", "a2", "III/2/-1", agency="Phòng Lao động - Thương binh và Xã hội"),
                   # a generic body leads, but assigns no area to anyone
                   asg("task", "lead", "a3", "III/3/-1", agency="các cơ quan liên quan", generic=True)]
    flags = tasks_without_lead(tasks, assignments, rules)
    # propaganda and training are assigned in III; crime fighting only to "the bodies concerned"
    assert sorted(f.task_id for f in flags) == ["t2", "t4"]


def test_task_without_lead_closing_request_is_not_a_plan_lead(rules):
    tasks = [ttask("t1", "III/1", "leadership"), ttask("t2", "III/2", "capacity")]
    closing = [asg("plan", "requested", agency="Cơ quan, đơn vị", generic=True),
               asg("plan", "requested", agency="Thôn")]
    assert len(tasks_without_lead(tasks, closing, rules)) == 2
    assert tasks_without_lead(tasks, [*closing, asg("plan", "lead", agency="Công an xã")], rules) == []


def test_reporting_rules_are_not_tasks_to_lead(rules):
    tasks = [ttask("t1", "V/1", "reporting", "Định kỳ 6 tháng, hằng năm báo cáo kết quả gửi Công an xã"),
             ttask("t2", "V/2", "reporting", "Các cơ quan báo cáo kết quả thực hiện về Ủy ban nhân dân xã"),
             ttask("t3", "II/6", "reporting", "Tổ chức sơ kết, tổng kết thi hành Luật Phòng, chống MBN"),
             ttask("t4", "VI/1", "other", "Gửi số liệu", section_id="rep")]
    sections = [{"section_id": "rep", "kind": "reporting"}]
    flags = tasks_without_lead(tasks, [], rules, sections)
    assert [f.task_id for f in flags] == ["t3"]  # the review is work; the rules are not


def test_flags_of_a_plan_most_severe_first(rules):
    links = [PlanLink("c", "137/KH-UBND", False, "none")]
    tables = {"plans": [{"doc_id": "c", "doc_kind": "ke_hoach", "number": None, "issue_date": None,
                         "issue_date_raw": None}],
              "tasks": [ttask(f"t{i}", f"II/{i}", "capacity") | {"doc_id": "c", "char_start": i * 10}
                        for i in range(1, 4)],
              "documents": [{"doc_id": "c", "clean_text": "Số: /KH-UBND\n" + "x" * 100}]}
    codes = [f.code for f in find_flags(tables, links, [], rules=rules)]
    assert codes == ["BLANK_DOC_NUMBER", "BLANK_ISSUE_DATE", "NO_REPORTING_SCHEDULE",
                     *["TASK_WITHOUT_LEAD"] * 3, "PARENT_NOT_FOUND"]  # info after every warning


def test_seeds_lead_warnings(rules):
    """Seed 004 assigns every area of its task list in section III; seed 003's closing request
    to "các cơ quan, đơn vị và các thôn" does not silence the warnings its sections leave."""
    from pipeline.process import process_file
    from pipeline.write import rows_of

    def lead_flags(name):
        (path,) = (ROOT / "corpus").glob(f"{name}_*.txt")
        rows = rows_of(process_file(path, rules=rules))
        return [f for f in find_flags(rows, [], [], rules=rules) if f.code == "TASK_WITHOUT_LEAD"]

    assert lead_flags("004") == []
    assert 1 <= len(lead_flags("003")) <= 3


def test_an_ambiguous_parent_is_not_also_reported_missing(rules):
    missing = PlanLink(child_doc_id="c", parent_ref="19/KH-BCĐ", resolved=False, method="none")
    ambiguous = dataclasses.replace(missing, parent_ref="20/KH-BCĐ", method="ambiguous",
                                    candidates=("a", "b"))
    flags = link_flags([missing, ambiguous], rules)
    assert [(f.code, f.doc_id) for f in flags] == [("PARENT_NOT_FOUND", "c")]
    assert "19/KH-BCĐ" in flags[0].message
