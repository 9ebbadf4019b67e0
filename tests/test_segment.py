"""Segment stage: markers, nesting, exclusions, guards, kinds, spans; the seeds against gold."""

import json
from pathlib import Path

import pytest

from pipeline.clean import clean_text
from pipeline.records import CleanDoc, LineLayout
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"


def seg(text, rules, layout=()):
    clean, _ = clean_text(text, rules=rules)
    return segment(CleanDoc("d", clean), rules=rules, layout=layout)


def paths(text, rules):
    return [s.path for s in seg(text, rules).sections]


# --- markers and nesting ---------------------------------------------------------------


def test_roman_arabic_letter_dash(rules):
    text = """I. MỤC TIÊU
1. Mục tiêu chung
a) Bảo đảm sự thống nhất.
- Tăng cường nắm tình hình.
- Thường xuyên rà soát.
b) Tập trung rà soát.
2. Mục tiêu cụ thể
II. NHIỆM VỤ
"""
    assert paths(text, rules) == ["I", "I/1", "I/1/a", "I/1/a/-1", "I/1/a/-2", "I/1/b", "I/2", "II"]


def test_dash_after_letter_belongs_to_it_even_without_b(rules):
    text = """II. NHIỆM VỤ
4. Đấu tranh phòng, chống mua bán người
a) Chủ động nắm chắc tình hình.
- Tăng cường nắm tình hình.
- Thường xuyên rà soát.
5. Công tác phát hiện
"""
    assert paths(text, rules) == ["II", "II/4", "II/4/a", "II/4/a/-1", "II/4/a/-2", "II/5"]


def test_dash_directly_under_number(rules):
    text = """III. NHIỆM VỤ
4. Đấu tranh phòng, chống mua bán người
- Chủ động nắm chắc tình hình.
- Tăng cường nắm tình hình.
"""
    assert paths(text, rules) == ["III", "III/4", "III/4/-1", "III/4/-2"]


def test_plus_under_dash_and_bullets_counted_among_siblings(rules):
    text = """I. MỤC TIÊU
- Nâng cao ý thức trách nhiệm:
+ Đến năm 2017 đạt 75%.
+ Đến năm 2020 đạt 100%.
- Giảm tội phạm.
• Một ý.
"""
    assert paths(text, rules) == ["I", "I/-1", "I/-1/-1", "I/-1/-2", "I/-2", "I/-2/-1"]


def test_dotted_under_its_prefix(rules):
    text = """II. NHIỆM VỤ
2. Công tác phòng ngừa xã hội
2.1. Các sở, ngành, đoàn thể tỉnh:
- Gắn kết chặt chẽ.
2.2. Sở Văn hóa, Thể thao và Du lịch chủ trì.
3. Công tác quản lý
3.1. Công an tỉnh
3.1.1. Nâng cao hiệu quả quản lý.
"""
    assert paths(text, rules) == ["II", "II/2", "II/2/2.1", "II/2/2.1/-1", "II/2/2.2", "II/3", "II/3/3.1",
                                  "II/3/3.1/3.1.1"]
    s = {x.path: x for x in seg(text, rules).sections}
    assert s["II/2/2.1"].marker_type == "arabic_dotted" and s["II/2/2.1"].marker == "2.1"


def test_vietnamese_letter_order_with_dd(rules):
    text = """I. NHIỆM VỤ
1. Công tác lãnh đạo
a) Một.
b) Hai.
c) Ba.
d) Bốn.
đ) Năm.
e) Sáu.
g) Bảy.
"""
    secs = seg(text, rules).sections
    assert [s.marker for s in secs if s.marker_type == "letter"] == ["a", "b", "c", "d", "đ", "e", "g"]
    assert "I/1/đ" in [s.path for s in secs]


def test_dash_before_a_letter_is_a_converter_artifact(rules):
    text = "I. NHIỆM VỤ\n1. Công tác\nd) Bốn.\n- đ) Tăng cường kiểm tra.\n"
    assert paths(text, rules) == ["I", "I/1", "I/1/d", "I/1/đ"]


def test_numbering_gap_is_kept(rules):
    text = "I. MỤC TIÊU\n\nII. NHIỆM VỤ\n\nIV. KINH PHÍ\n\nV. TỔ CHỨC THỰC HIỆN\n"
    assert paths(text, rules) == ["I", "II", "IV", "V"]


def test_parts(rules):
    text = """Phần thứ nhất
KẾT QUẢ THỰC HIỆN
I. KẾT QUẢ ĐẠT ĐƯỢC
Phần thứ hai
NHIỆM VỤ NĂM 2026
I. MỤC TIÊU
1. Mục tiêu chung
"""
    secs = seg(text, rules).sections
    assert [s.path for s in secs] == ["P1", "P1/I", "P2", "P2/I", "P2/I/1"]
    assert secs[0].marker_type == "part"


def test_markdown_levels_do_not_decide_nesting(rules):
    text = "## II. MỤC TIÊU\n\n#### 1. Mục tiêu tổng quát\n\n## **2. Mục tiêu cụ thể**\n\n- Bảo đảm.\n"
    assert paths(text, rules) == ["II", "II/1", "II/2", "II/2/-1"]


# --- not sections ----------------------------------------------------------------------

ASSIGNMENT_BLOCKS = """III. NHIỆM VỤ, GIẢI PHÁP
1. Công tác lãnh đạo, chỉ đạo
d) Làm tốt công tác nắm bắt.
**\\* Phân công:**
- Cơ quan chủ trì: Công an xã.
- Cơ quan phối hợp: các cơ quan, đơn vị liên quan.
đ) Đề xuất, tham gia các lớp đào tạo.
**\\* Phân công:** Công an xã chủ trì; các cơ quan, đơn vị liên quan.
e) Trên cơ sở dữ liệu nạn nhân.
IV. PHÂN CÔNG TRÁCH NHIỆM
- Cơ quan chủ trì: Công an xã.
- Cơ quan phối hợp: Ban chỉ huy Quân sự xã.
V. TỔ CHỨC THỰC HIỆN
1. Công an Huyện
- Chủ trì, phối hợp với các lực lượng, sử dụng đồng bộ các biện pháp.
"""


def test_assignment_block_is_not_sections(rules):
    s = seg(ASSIGNMENT_BLOCKS, rules)
    assert [x.path for x in s.sections] == [
        "III", "III/1", "III/1/d", "III/1/đ", "III/1/e", "IV", "V", "V/1", "V/1/-1",  # near-miss kept
    ]
    d = next(x for x in s.sections if x.path == "III/1/d")
    # the block stays inside the item it follows
    assert "Cơ quan phối hợp" in s.doc.text[d.char_start:d.char_end]


FRONT = """ỦY BAN NHÂN DÂN
XÃ NHÂN LÝ
Số: 68 /KH-UBND
Nhân Lý, ngày 27 tháng 3 năm 2026
KẾ HOẠCH
Triển khai thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030
Căn cứ Luật Phòng, chống mua bán người năm 2024;
- Căn cứ Nghị định số 162/2025/NĐ-CP;
Thực hiện Kế hoạch số 66/KH-UBND ngày 01/3/2026 của UBND tỉnh Lạng Sơn.
I. MỤC TIÊU, YÊU CẦU
1. Mục tiêu tổng quát
Tiếp tục thể chế hóa.
2030 là năm cuối của giai đoạn.
06 tháng một lần báo cáo.
II. TỔ CHỨC THỰC HIỆN
1. Giao Công an xã là cơ quan thường trực./.
Trên đây là Kế hoạch triển khai thực hiện. Đề nghị các cơ quan, đơn vị triển khai thực hiện./.
Nơi nhận:
- Thường trực Đảng ủy xã;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Vương Văn Sơn
"""


def test_front_matter_closing_and_body_bounds(rules):
    s = seg(FRONT, rules)
    text = s.doc.text
    assert [x.path for x in s.sections] == ["I", "I/1", "II", "II/1"]
    assert text[s.body_start:].startswith("I. MỤC TIÊU")
    assert text[s.body_end:].startswith("Nơi nhận")
    last = s.sections[-1]
    assert text[last.char_start:last.char_end] == "1. Giao Công an xã là cơ quan thường trực./."
    top = s.sections[2]
    assert "Trên đây" not in text[top.char_start:top.char_end]


@pytest.mark.parametrize(
    "line",
    [
        "2030 và định hướng đến năm 2035.",
        "06 tháng, 01 năm báo cáo kết quả.",
        "1.000 người được hỗ trợ.",
        "VI phạm pháp luật bị xử lý.",
        "X quang.",
        "e. coli",
        "08/4/2026 là ngày ban hành.",
    ],
)
def test_false_headings_are_text(rules, line):
    text = f"I. MỤC TIÊU\n1. Mục tiêu chung\n{line}\n"
    assert paths(text, rules) == ["I", "I/1"]


def test_lettered_with_dot_in_sequence(rules):
    text = "I. NHIỆM VỤ\na. Một việc.\nb. Hai việc.\n"
    assert paths(text, rules) == ["I", "I/a", "I/b"]


def test_bold_layout_confirms_an_out_of_sequence_letter(rules):
    text = "I. NHIỆM VỤ\nc. Một việc.\n"
    assert paths(text, rules) == ["I"]
    layout = (LineLayout(text="c. Một việc.", page=1, bold=True),)
    assert [s.path for s in seg(text, rules, layout).sections] == ["I", "I/c"]


# --- kinds, spans ----------------------------------------------------------------------

KINDS = """I. MỤC ĐÍCH, YÊU CẦU
1. Cụ thể hóa các mục tiêu, nhiệm vụ.
II. MỤC TIÊU, YÊU CẦU
III. NHIỆM VỤ, GIẢI PHÁP VÀ PHÂN CÔNG TRÁCH NHIỆM
1. Các nhiệm vụ khác
- Tổ chức thực hiện có hiệu quả Chương trình.
- Phối hợp thực hiện chế độ báo cáo.
IV. PHÂN CÔNG NHIỆM VỤ
V. KINH PHÍ THỰC HIỆN
VI. TỔ CHỨC THỰC HIỆN
1. Công an xã
2. Chế độ báo cáo
- Báo cáo 6 tháng: gửi trước ngày 17/6.
3. Kinh phí thực hiện Kế hoạch do ngân sách nhà nước đảm bảo.
VII. KẾT QUẢ ĐẠT ĐƯỢC
"""


def test_kinds(rules):
    kinds = {s.path: s.kind for s in seg(KINDS, rules).sections}
    assert kinds == {
        "I": "purpose", "I/1": "purpose",
        "II": "objectives",
        "III": "tasks", "III/1": "tasks", "III/1/-1": "tasks", "III/1/-2": "tasks",
        "IV": "assignment",
        "V": "budget",
        "VI": "organization", "VI/1": "organization", "VI/2": "reporting", "VI/2/-1": "reporting",
        "VI/3": "budget",
        "VII": "other",
    }


def test_spans_and_ids(rules):
    s = seg(KINDS, rules)
    text = s.doc.text
    by_path = {x.path: x for x in s.sections}
    for x in s.sections:
        assert text[x.char_start:x.heading_end].endswith(x.heading)
        assert x.char_start < x.heading_end <= x.char_end
        assert x.section_id == f"d:{x.path}"
        if x.parent_section_id:
            parent = next(p for p in s.sections if p.section_id == x.parent_section_id)
            assert parent.char_start < x.char_start and x.char_end <= parent.char_end
            assert x.level == parent.level + 1
    vi2 = by_path["VI/2"]
    assert text[vi2.char_start:vi2.char_end] == "2. Chế độ báo cáo\n- Báo cáo 6 tháng: gửi trước ngày 17/6."
    assert by_path["III"].heading == "NHIỆM VỤ, GIẢI PHÁP VÀ PHÂN CÔNG TRÁCH NHIỆM"


def test_empty_and_plain_text(rules):
    assert seg("", rules).sections == ()
    s = seg("Một đoạn văn không có đề mục.", rules)
    assert s.sections == () and s.body_start == 0


# --- the seeds against gold, web copies ------------------------------------------------


def test_seed_sections_match_gold(rules):
    tp = fp = fn = 0
    headings_ok = headings_n = 0
    for gold_file in sorted((DATA / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        s = seg((CORPUS / gold["doc"]).read_text(encoding="utf-8"), rules)
        pred = {x.path: x for x in s.sections}
        want = {g["path"]: g for g in gold["sections"]}
        tp += len(pred.keys() & want.keys())
        fp += len(pred.keys() - want.keys())
        fn += len(want.keys() - pred.keys())
        for p in pred.keys() & want.keys():
            headings_n += 1
            headings_ok += _prefix(pred[p].heading) == _prefix(want[p]["heading"])
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)
    assert headings_ok / headings_n >= 0.95


def _prefix(s: str) -> str:
    import re
    import unicodedata

    s = unicodedata.normalize("NFC", s).lower()
    s = re.sub(r"[*#_`\\]", " ", s)
    return re.sub(r"\s+", " ", s).strip()[:40]


def test_web_copies_make_no_sections_from_site_chrome(rules):
    for path in sorted((DATA / "web").glob("*.txt")):
        s = seg(path.read_text(encoding="utf-8"), rules)
        text = s.doc.text
        number = text.find("Số:")
        for x in s.sections:
            assert x.char_start > number, (path.name, x.path)
            assert not any(w in x.heading for w in ("pháp luật vui lòng", "Số hiệu", "|", "Ngày ban hành"))


def test_markers_glued_to_their_text(rules):
    text = "I.MỤC TIÊU\n1.Tổ chức tuyên truyền\na)Một việc.\n2.1.Công an tỉnh\n1.000 người được hỗ trợ.\n"
    assert paths(text, rules) == ["I", "I/1", "I/1/a", "I/1/2.1"]


QD_WITH_PLAN = """ỦY BAN NHÂN DÂN TỈNH TRÀ VINH
QUYẾT ĐỊNH
Về việc ban hành Kế hoạch phòng, chống mua bán người năm 2026
Căn cứ Luật Tổ chức chính quyền địa phương;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống mua bán người năm 2026.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
KẾ HOẠCH
Phòng, chống mua bán người năm 2026
(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2026)
- Căn cứ tình hình thực tế.
I. MỤC TIÊU
1. Giảm tội phạm mua bán người.
II. TỔ CHỨC THỰC HIỆN
Giao Công an tỉnh chủ trì./.
Nơi nhận:
- Như trên;
"""


def test_plan_attached_to_a_decision(rules):
    s = seg(QD_WITH_PLAN, rules)
    text = s.doc.text
    assert [x.path for x in s.sections] == ["I", "I/1", "II"]
    assert text[s.body_start:].startswith("I. MỤC TIÊU")
    assert text[s.body_end:].startswith("Nơi nhận:\n- Như trên;")
    assert text[s.sections[-1].char_start:s.sections[-1].char_end].endswith("Giao Công an tỉnh chủ trì./.")


def test_a_closing_phrase_inside_the_body_does_not_end_it(rules):
    text = ("I. NHIỆM VỤ\n1. Tuyên truyền.\nTrên đây là những nhiệm vụ trọng tâm của năm.\n"
            "II. TỔ CHỨC THỰC HIỆN\n1. Giao Công an xã chủ trì./.\nTrên đây là Kế hoạch của xã./.\n"
            "Nơi nhận:\n- Như trên;\n")
    s = seg(text, rules)
    assert [x.path for x in s.sections] == ["I", "I/1", "II", "II/1"]
    last = s.sections[-1]
    assert s.doc.text[last.char_start:last.char_end] == "1. Giao Công an xã chủ trì./."


def test_heading_wrapped_in_a_hard_wrapped_copy(rules):
    # a PDF / table-cell wrap splits the heading before its last word: one section, whole heading
    s = seg("I. MỤC TIÊU, CHỈ\nTIÊU\n1. Mục\ntiêu\n- Tăng cường sự lãnh đạo.\nII. NHIỆM VỤ\n", rules)
    assert [(x.path, x.heading) for x in s.sections] == [
        ("I", "MỤC TIÊU, CHỈ TIÊU"), ("I/1", "Mục tiêu"), ("I/1/-1", "Tăng cường sự lãnh đạo."),
        ("II", "NHIỆM VỤ")]
    assert s.sections[0].kind == "objectives"
