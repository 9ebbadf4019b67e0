# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""The structure of real layouts on short fixtures written for the test: headings wrapped
inside markup, blank-line paragraphs, labelled fields, agency-headed content, lettered parts,
repeated markers, appendices; and the whole of corpus/real against its gold."""

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch import run
from pipeline.clean import clean_text
from pipeline.extract.fields import task_fields
from pipeline.extract.tasks import find_tasks
from pipeline.records import CleanDoc
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "corpus" / "real"
DATA = Path(__file__).resolve().parent / "data"


def cleaned(raw, rules):
    return clean_text(raw, rules=rules)[0]


def seg(raw, rules):
    return segment(CleanDoc("d", cleaned(raw, rules)), rules=rules)


def tree(raw, rules):
    return [(s.path, s.heading) for s in seg(raw, rules).sections]


def tasks(raw, rules):
    s = seg(raw, rules)
    return {t.path: t for t in find_tasks(s, rules=rules)}, s


# --- clean: headings wrapped inside markup, paragraphs -----------------------------------

WRAPPED = """**I. MỤC ĐÍCH,
YÊU CẦU**

**1.
Nhiệm vụ của thành viên Ban Chỉ đạo**

*1.1.
Trưởng Ban Chỉ đạo*

**III. NỘI
DUNG**

**1. Sở
Tài chính **(cơ quan chủ trì)
"""


def test_a_heading_wrapped_inside_bold_or_italics_is_one_line(rules):
    lines = cleaned(WRAPPED, rules).split("\n\n")
    assert lines == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Nhiệm vụ của thành viên Ban Chỉ đạo",
                     "1.1. Trưởng Ban Chỉ đạo", "III. NỘI DUNG", "1. Sở Tài chính (cơ quan chủ trì)"]


def test_wrapped_headings_give_the_tree(rules):
    assert [p for p, _ in tree(WRAPPED, rules)] == ["I", "I/1", "I/1/1.1", "III", "III/1"]
    assert dict(tree(WRAPPED, rules))["III"] == "NỘI DUNG"


def test_a_markdown_hard_break_inside_bold_stays(rules):
    assert cleaned("Nội dung.\n\n**TM. ỦY BAN NHÂN DÂN  \nCHỦ TỊCH**\n\n**Vương Văn Sơn**", rules) == \
        "Nội dung.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nVương Văn Sơn"


def test_runs_on_one_line_pair_before_runs_over_lines(rules):
    raw = "1. Gửi về Ủy ban (*qua Công an tỉnh*) trước ngày 01/3/2026.\n2. Chế độ báo cáo\n- Báo cáo gửi Công an (*qua Phòng\nCảnh sát*) để tổng hợp."
    assert cleaned(raw, rules).split("\n")[1] == "2. Chế độ báo cáo"


PARAGRAPHS = """I. NHIỆM VỤ

1. Tổ chức nghiên cứu, học tập kinh nghiệm công tác xây dựng chính sách, pháp
luật

Tham mưu, đề xuất tổ chức Đoàn của tỉnh hoặc tham gia các Đoàn của Bộ Tư pháp
nghiên cứu, học tập kinh nghiệm.

2. Phương án tổ chức cấp phát

- Giai đoạn khẩn cấp: Tổ chức lực lượng, phương tiện tiếp cận ngay các vùng ngập sâu, ưu tiên các địa bàn cấp độ
1. Cấp ngay mì tôm, lương khô, nước uống.

- *Giai đoạn 48-72 giờ:*
Tổ chức bếp ăn cộng đồng tại các điểm sơ tán.

3. Giao Sở
Nông nghiệp và Môi trường là cơ quan đầu mối.

4. Nội dung phát triển nông nghiệp số gồm sản xuất
- quản lý - tiêu thụ - truy xuất.
"""


def test_blank_lines_end_paragraphs_and_single_breaks_are_wraps(rules):
    paras = cleaned(PARAGRAPHS, rules).split("\n\n")
    assert paras[1] == "1. Tổ chức nghiên cứu, học tập kinh nghiệm công tác xây dựng chính sách, pháp luật"
    assert paras[2].startswith("Tham mưu, đề xuất") and paras[2].endswith("học tập kinh nghiệm.")
    assert paras[4].endswith("cấp độ 1. Cấp ngay mì tôm, lương khô, nước uống.")  # a number inside a sentence
    assert paras[5] == "- Giai đoạn 48-72 giờ: Tổ chức bếp ăn cộng đồng tại các điểm sơ tán."
    assert paras[6] == "3. Giao Sở Nông nghiệp và Môi trường là cơ quan đầu mối."
    assert paras[7] == "4. Nội dung phát triển nông nghiệp số gồm sản xuất - quản lý - tiêu thụ - truy xuất."


def test_the_paragraph_tree(rules):
    assert [p for p, _ in tree(PARAGRAPHS, rules)] == ["I", "I/1", "I/2", "I/2/-1", "I/2/-2", "I/3", "I/4"]


@pytest.mark.parametrize("raw", [WRAPPED, PARAGRAPHS])
def test_offsets_point_at_the_raw_characters(rules, raw):
    text, offs = clean_text(raw, rules=rules)
    assert len(offs) == len(text)
    for ch, o in zip(text, offs, strict=True):
        if not ch.isspace():
            assert raw[o] == ch


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["**I. NỘI\nDUNG**", "*1.1.\nSở Y tế*", "- Tổ chức tập huấn", "\n", "\n\n",
                                 "*Đơn vị chủ trì: *Sở", "Tư pháp.", "cấp độ", "1. Cấp ngay", "**", "*", "  \n"]),
                max_size=14))
def test_cleaning_real_layouts_is_idempotent(rules, parts):
    once = cleaned("".join(parts), rules)
    assert cleaned(once, rules) == once


# --- labelled fields ---------------------------------------------------------------------

FIELDS = """III. NHIỆM VỤ, GIẢI PHÁP

1. Nâng cao phẩm chất, năng lực cho đội ngũ cán bộ

- Tăng cường công tác giáo dục chính trị, tư tưởng.

- Nâng cao nhận thức, ý thức trách nhiệm của đội ngũ cán bộ.

*Đơn vị thực hiện: *Các Sở,
ngành, đơn vị, UBND cấp xã.

*Đơn vị phối hợp: *Sở Tư pháp.

*Thời gian thực hiện: *Thường xuyên.

- Tổ chức tập huấn, bồi dưỡng kiến thức, kỹ năng xây dựng pháp luật.

*Đơn vị chủ trì tham mưu thực hiện: *Sở Tư pháp.

2. Tổ chức nghiên cứu, học tập kinh nghiệm

*- Đơn vị chủ trì: *Sở Tư pháp.

*- Thời gian thực hiện: *Hằng năm.

IV. TỔ CHỨC THỰC HIỆN

1. Thời gian thực hiện: Từ tháng 10/2025 đến tháng 12/2025.

2. Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này.
"""


def test_labelled_fields_are_not_sections(rules):
    assert [p for p, _ in tree(FIELDS, rules)] == ["III", "III/1", "III/1/-1", "III/1/-2", "III/1/-3",
                                                   "III/2", "IV", "IV/1", "IV/2"]


def test_labelled_fields_are_not_tasks_nor_task_text(rules):
    found, _ = tasks(FIELDS, rules)
    assert sorted(found) == ["III/1/-1", "III/1/-2", "III/1/-3", "III/2", "IV/2"]  # IV/1 is a field
    assert found["III/1/-2"].text == "Nâng cao nhận thức, ý thức trách nhiệm của đội ngũ cán bộ."
    assert found["III/1/-3"].text.endswith("xây dựng pháp luật.")


def test_task_fields_apply_back_to_the_previous_block(rules):
    found, s = tasks(FIELDS, rules)
    text = s.doc.text
    by_task = task_fields(text, s.sections, list(found.values()), rules=rules)

    def kinds(path):
        return [(f.kind, text[f.value_start:f.value_end]) for f in by_task.get(f"d:t:{path}", [])]

    shared = [("any", "Các Sở, ngành, đơn vị, UBND cấp xã."), ("coordinate", "Sở Tư pháp."), ("time", "Thường xuyên.")]
    assert kinds("III/1/-1") == shared and kinds("III/1/-2") == shared
    assert kinds("III/1/-3") == [("lead", "Sở Tư pháp.")]
    assert kinds("III/2") == [("lead", "Sở Tư pháp."), ("time", "Hằng năm.")]
    assert kinds("IV/2") == []


# --- what makes items tasks ----------------------------------------------------------------

AGENCY_CONTENT = """I. MỤC ĐÍCH, YÊU CẦU
1. Yêu cầu
- Phân công trách nhiệm cụ thể cho từng sở, ngành.
2. Mục đích
a) Phân công nhiệm vụ và trách nhiệm cụ thể cho các sở, ban, ngành, địa phương trong quá trình thực hiện.
II. NỘI DUNG HOẠT ĐỘNG
1. Sở Y tế
a) Chủ trì tham mưu kiện toàn Ban Chỉ đạo.
b) Tổ chức sơ kết, tổng kết các chương trình.
2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
Vận động Nhân dân tham gia.
III. PHẠM VI, PHƯƠNG ÁN HỖ TRỢ
1. Nhu cầu hỗ trợ
- Hỗ trợ khẩn cấp: Nước uống đóng chai; mì ăn liền.
- Hỗ trợ phục hồi: Gạo, dầu ăn, gia vị.
2. Phương án tổ chức cấp phát
- Giai đoạn khẩn cấp (0-48 giờ): Tổ chức lực lượng tiếp cận vùng ngập sâu.
- Giai đoạn 48-72 giờ: Tổ chức bếp ăn cộng đồng.
- Việc cấp phát được thực hiện theo phương châm bốn tại chỗ.
IV. TỔ CHỨC THỰC HIỆN
8. Phương án huy động kinh phí
- Lồng ghép vào kế hoạch đầu tư công trung hạn.
- Đề xuất Bộ Tài chính hỗ trợ định mức chi.
"""


def test_items_decide_where_heading_words_do_not(rules):
    kinds = {s.path: s.kind for s in seg(AGENCY_CONTENT, rules).sections}
    assert kinds["I/1/-1"] == "purpose"  # a bullet's first words do not change its kind
    assert kinds["I/2/a"] == "purpose"  # nor a sentence's under a purpose
    assert kinds["II/1/a"] == "tasks" and kinds["II/2"] == "tasks"
    assert kinds["III/1"] == "other" and kinds["III/1/-1"] == "other"  # nouns: what is needed
    assert kinds["III/2"] == "tasks" and kinds["III/2/-3"] == "tasks"  # most items act
    assert kinds["IV/8"] == "budget"  # a kind word in a short title


def test_agency_headed_content_gives_tasks(rules):
    found, _ = tasks(AGENCY_CONTENT, rules)
    assert sorted(found) == ["II/1/a", "II/1/b", "II/2", "III/2/-1", "III/2/-2", "III/2/-3"]
    assert found["II/2"].text == "Vận động Nhân dân tham gia."


# --- parts, repeated markers, appendices, footnotes ----------------------------------------

PARTS = """A. KẾT QUẢ THỰC HIỆN
I. ĐÁNH GIÁ CHUNG
B. NHIỆM VỤ, GIẢI PHÁP
I. MỤC TIÊU
II. NHIỆM VỤ
1. Tuyên truyền
đ) Tổ chức tập huấn cho cán bộ.
C. TỔ CHỨC THỰC HIỆN
IV. PHÂN CÔNG NHIỆM VỤ
1. Sở Công Thương: chủ trì điều phối nguồn hàng.
IV. PHÂN CÔNG NHIỆM VỤ
1. Sở Y tế: bảo đảm cơ số thuốc.
"""


def test_lettered_parts_and_repeated_markers(rules):
    s = seg(PARTS, rules)
    assert [x.path for x in s.sections] == ["A", "A/I", "B", "B/I", "B/II", "B/II/1", "B/II/1/đ", "C",
                                            "C/IV", "C/IV/1", "C/IV", "C/IV/1"]
    assert {x.marker_type for x in s.sections if x.level == 1} == {"part"}
    assert len({x.section_id for x in s.sections}) == len(s.sections)


APPENDIX = """KẾ HOẠCH
I. NHIỆM VỤ
1. Tổ chức triển khai Kế hoạch.
Trên đây là Kế hoạch của Ủy ban nhân dân tỉnh./.
Nơi nhận:
- Như trên;
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
[1] Quyết định số 02110/QĐ-UBND ngày 20/11/2025.
1. Ghi chú sau chữ ký.
PHỤ LỤC I
DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM CỦA KẾ HOẠCH PHÁT TRIỂN HẠ TẦNG 5G, IoT TRONG CÁC KHU
CÔNG NGHIỆP
(Kèm theo Kế hoạch số 617/KH-UBND ngày 01/12/2025)
STT
I. NÂNG CAO NHẬN THỨC
1
Triển khai nền tảng đào tạo trực tuyến.
PHỤ LỤC II
PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU
"""


def test_appendices_are_parts_and_footnotes_are_not_sections(rules):
    s = seg(APPENDIX, rules)
    assert [(x.path, x.marker_type, x.kind) for x in s.sections] == [
        ("I", "roman", "tasks"), ("I/1", "arabic", "tasks"), ("PL1", "part", "tasks"), ("PL2", "part", "tasks")]
    pl = s.sections[2]
    assert pl.heading == "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM CỦA KẾ HOẠCH PHÁT TRIỂN HẠ TẦNG 5G, IoT TRONG CÁC KHU CÔNG NGHIỆP"
    assert s.doc.text[pl.char_start:].startswith("PHỤ LỤC I\n")
    assert s.doc.text[s.body_end:].startswith("Nơi nhận")  # the body ends at the signature block
    found, _ = tasks(APPENDIX, rules)
    assert sorted(found) == ["I/1"]  # an appendix's rows are the tables extractor's


def test_one_appendix_is_pl(rules):
    s = seg("I. NHIỆM VỤ\n1. Tổ chức triển khai.\nPHỤ LỤC\nNHIỆM VỤ CHỦ YẾU\n", rules)
    assert [x.path for x in s.sections] == ["I", "I/1", "PL"]


def test_a_sentence_citing_an_appendix_opens_none(rules):
    s = seg("I. NHIỆM VỤ\n1. Tổ chức triển khai.\nPhụ lục kèm theo Kế hoạch này nêu các nhiệm vụ.\n", rules)
    assert [x.path for x in s.sections] == ["I", "I/1"]


# --- corpus/real against its gold ------------------------------------------------------------


def _score_module():
    spec = importlib.util.spec_from_file_location("kehoach_score", DATA / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def real_run(tmp_path_factory, rules):
    out = tmp_path_factory.mktemp("real")
    run(sorted(REAL.glob("*.md")), out, rules=rules, progress=False, workers=0)
    return out


def test_real_plans_sections_and_tasks(real_run):
    sc = _score_module()
    r = sc.score(real_run, DATA / "gold-real")
    assert not r["missing_docs"]
    assert r["tables"]["sections"]["f1"] >= 0.99
    assert r["heading_accuracy"] >= 0.99
    assert r["tables"]["tasks"]["p"] >= 0.99


def test_real_plans_every_task_outside_the_appendix_tables(real_run):
    """Tasks whose path is not an appendix row: all found, none extra (rows are the tables
    extractor's, so they are left out of this count)."""
    sc = _score_module()
    docs = sc.load(real_run, "documents")
    names = {Path(str(p)).name: d for p, d in zip(docs["source_path"], docs["doc_id"], strict=True)}
    got_tasks = sc.load(real_run, "tasks")
    missed, extra = [], []
    for gf in sorted((DATA / "gold-real").glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        want = {t["path"] for t in gold["tasks"] if not t["path"].startswith("PL")}
        got = {r["path"] for r in sc.rows(got_tasks, names[gold["doc"]]) if not r["path"].startswith("PL")}
        missed += [(gold["doc"], p) for p in sorted(want - got)]
        extra += [(gold["doc"], p) for p in sorted(got - want)]
    assert not missed and not extra, (missed, extra)


def test_real_plans_without_gold_keep_their_shape(real_run):
    sc = _score_module()
    docs = sc.load(real_run, "documents")
    sections = sc.load(real_run, "sections")
    names = {Path(str(p)).name: d for p, d in zip(docs["source_path"], docs["doc_id"], strict=True)}
    for name in ["305.md", "306.md", "308.md", "309.md", "310.md", "312.md"]:
        rows = sc.rows(sections, names[name])
        tops = [r["heading"] for r in rows if r["level"] == 1]
        assert any("TỔ CHỨC THỰC HIỆN" in h for h in tops), (name, tops)  # a wrapped heading kept whole
        assert all(r["heading"].strip() and "*" not in r["heading"] for r in rows), name
    appendix = {r["path"] for r in sc.rows(sections, names["308.md"])}
    assert "PL" in appendix and [r["path"] for r in sc.rows(sections, names["308.md"])].count("III") == 2


def test_a_preamble_line_without_its_semicolon_is_not_continued(rules):
    raw = ("Thực hiện Kế hoạch của Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như\nsau:\n\n"
           "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015\n"
           "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;\n\n"
           "I. MỤC ĐÍCH\n\n- Bảo đảm thống nhất.\n\n- Tăng cường phối hợp.\n\n- Nâng cao\nhiệu quả.\n\n"
           "- Tổ chức\ntốt.\n\n- Rà soát\nkịp thời.\n\n- Một\nlần.\n\n- Hai\nlần.\n")
    lines = cleaned(raw, rules).split("\n")
    assert lines[0].endswith("như sau:")
    assert lines[2].startswith("Căn cứ Luật") and lines[2].endswith("năm 2015")
    assert lines[3].startswith("Căn cứ Nghị định")


def test_an_appendix_without_a_title_is_named_by_its_line(rules):
    s = seg("I. NHIỆM VỤ\n1. Tổ chức triển khai.\nPHỤ LỤC 02\n(Kèm theo Kế hoạch số 15/KH-UBND)\n", rules)
    assert [(x.path, x.heading) for x in s.sections][-1] == ("PL", "PHỤ LỤC 02")
