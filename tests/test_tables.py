"""Table blocks and task tables on short fixtures written for the test."""

import datetime as dt
import importlib

import pytest

from pipeline.clean import clean_text
from pipeline.extract import extract
from pipeline.records import CleanDoc
from pipeline.segment import segment
from pipeline.tables import find_tables, header_kinds, table_rules

tables_mod = importlib.import_module("pipeline.tables")

HEAD = """|
**ỦY BAN NHÂN DÂN
TỈNH AN GIANG**
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
|
Số: 12/KH-UBND
|
*An Giang, ngày 05 tháng 3 năm 2026*
|

**KẾ HOẠCH**

Chuyển đổi số năm 2026

**I. MỤC ĐÍCH**

Nâng cao hiệu quả quản lý.

**II. NHIỆM VỤ**

Các nhiệm vụ cụ thể như sau.
"""

SIGN = """
|
*Nơi nhận:*
- Như trên;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH**
**Nguyễn Văn A**
|

"""

# a flattened HTML table (web export): a group row, a row whose lead / coordinate / time
# cells were merged with the row above (no STT, fewer cells), hard wraps inside cells
FLAT = """**PHỤ LỤC**

DANH MỤC NHIỆM VỤ

|
**STT**
|
**Nội dung**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
|
**I. HẠ TẦNG SỐ**
|
|
1
|
Xây dựng trung tâm
dữ liệu tỉnh.
|
Sở Khoa học và Công nghệ
|
Sở Tài chính; UBND các xã, phường
|
Quý IV/2026
|
|
Vận hành trung tâm dữ liệu.
|
Sở Nội vụ
|
|
2
|
Tập huấn kỹ năng số cho cán bộ.
|
Sở Nội vụ
|
Các sở, ngành
|
Hằng năm
|
"""

PIPE = """| STT | Nội dung công việc | Đơn vị thực hiện | Đơn vị phối hợp | Tiến độ |
|---|---|---|---|---|
| 1 | Rà soát thủ tục hành chính | Sở Tư pháp | Sở Nội vụ | Quý II/2026 - Quý IV/2026 |
| 2 | Số hóa hồ sơ | Sở Nội vụ | | Năm 2026 |
"""


def _run(text, rules):
    cleaned, _ = clean_text(text, rules=rules)
    seg = segment(CleanDoc("d", cleaned), rules=rules)
    return cleaned, seg, extract(seg, rules=rules)


def test_pipe_table_rows_and_cell_spans(rules):
    text, _ = clean_text("Bảng sau.\n\n" + PIPE + "\nHết.", rules=rules)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows[0] == "| STT | Nội dung công việc | Đơn vị thực hiện | Đơn vị phối hợp | Tiến độ |"
    assert rows[2] == "| 2 | Số hóa hồ sơ | Sở Nội vụ | | Năm 2026 |"
    assert len(rows) == 3  # the separator row is gone
    [table] = find_tables(text)
    assert [len(r.cells) for r in table.rows] == [5, 5, 5]
    row = table.rows[1]
    assert [c.text(text) for c in row.cells] == [
        "1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2026 - Quý IV/2026"]
    assert text[row.start:row.end].startswith("| 1 |")
    assert table.rows[2].cells[3].text(text) == ""
    assert "Hết." in text and "Bảng sau." in text
    assert clean_text(text, rules=rules)[0] == text  # idempotent


def test_flattened_table_rows_keep_offsets_to_the_raw_text(rules):
    raw = HEAD + FLAT
    text, offsets = clean_text(raw, rules=rules)
    tables = find_tables(text)
    assert len(tables) == 1  # the issuer | motto block is not kept as rows
    assert "ỦY BAN NHÂN DÂN TỈNH AN GIANG" in text or "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG" in text
    rows = [[c.text(text) for c in r.cells] for r in tables[0].rows]
    assert rows[1] == ["I. HẠ TẦNG SỐ"]
    assert rows[2] == ["1", "Xây dựng trung tâm dữ liệu tỉnh.", "Sở Khoa học và Công nghệ",
                       "Sở Tài chính; UBND các xã, phường", "Quý IV/2026"]
    assert rows[3] == ["Vận hành trung tâm dữ liệu.", "Sở Nội vụ"]
    cell = tables[0].rows[2].cells[2]
    assert raw[offsets[cell.start]:offsets[cell.end - 1] + 1] == "Sở Khoa học và Công nghệ"
    assert clean_text(text, rules=rules)[0] == text


def test_flattened_task_table_in_an_appendix(rules):
    text, seg, ex = _run(HEAD + SIGN + FLAT, rules)
    pl = [s for s in seg.sections if s.path == "PL"]
    assert len(pl) == 1 and pl[0].marker_type == "part" and pl[0].kind == "tasks"
    assert pl[0].heading == "DANH MỤC NHIỆM VỤ"
    tasks = {t.path: t for t in ex.tasks if t.path.startswith("PL")}
    # the group row is neither a task nor a section; the merged-cell row is a task
    assert sorted(tasks) == ["PL/r1", "PL/r2", "PL/r3"]
    assert tasks["PL/r2"].text == "Vận hành trung tâm dữ liệu."
    assert not any(s.heading.startswith("HẠ TẦNG") for s in seg.sections)
    rows = {(a.path, a.role, a.agency) for a in ex.assignments if a.path and a.path.startswith("PL")}
    assert rows == {
        ("PL/r1", "lead", "Sở Khoa học và Công nghệ"), ("PL/r1", "coordinate", "Sở Tài chính"),
        ("PL/r1", "coordinate", "Ủy ban nhân dân xã, phường"),
        # its own lead; the coordinating bodies and the time from the row above
        ("PL/r2", "lead", "Sở Nội vụ"), ("PL/r2", "coordinate", "Sở Tài chính"),
        ("PL/r2", "coordinate", "Ủy ban nhân dân xã, phường"),
        ("PL/r3", "lead", "Sở Nội vụ"), ("PL/r3", "coordinate", "Sở, ngành"),
    }
    for a in ex.assignments:
        assert text[a.char_start:a.char_end] == a.agency_raw
    dls = {d.path: d for d in ex.deadlines if d.path and d.path.startswith("PL")}
    assert dls["PL/r1"].due_date == dt.date(2026, 12, 31) and dls["PL/r1"].raw == "Quý IV/2026"
    assert dls["PL/r2"].due_date == dt.date(2026, 12, 31)
    assert (dls["PL/r3"].kind, dls["PL/r3"].recurrence) == ("recurring", "annual")
    for d in ex.deadlines:
        assert text[d.char_start:d.char_end] == d.raw
    # the front matter still reads through the header table
    assert ex.plan.doc_ref == "12/KH-UBND"
    assert ex.plan.issue_date == dt.date(2026, 3, 5)


def test_table_inside_a_numbered_section_belongs_to_it(rules):
    text, seg, ex = _run(HEAD + "\n" + PIPE + SIGN, rules)
    paths = [t.path for t in ex.tasks]
    assert "II/r1" in paths and "II/r2" in paths
    assert "II" not in paths  # the section holding the table is not a task itself
    dls = {d.path: d for d in ex.deadlines if d.path}
    # a window in one cell is due at its end
    assert dls["II/r1"].due_date == dt.date(2026, 12, 31)
    assert dls["II/r1"].raw == "Quý II/2026 - Quý IV/2026"
    assert (dls["II/r2"].kind, dls["II/r2"].year_start, dls["II/r2"].year_end) == ("period", 2026, 2026)
    leads = {(a.path, a.role, a.agency) for a in ex.assignments}
    assert ("II/r1", "lead", "Sở Tư pháp") in leads and ("II/r1", "coordinate", "Sở Nội vụ") in leads
    assert not any(a.path == "II/r2" and a.role == "coordinate" for a in ex.assignments)


@pytest.mark.parametrize("cells, kinds", [
    (["TT", "Nội dung/nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
     ["index", "content", "lead", "coordinate", "deadline"]),
    (["Số TT", "Nhiệm vụ và giải pháp", "Chủ trì", "Phối hợp", "Thời gian dự kiến hoàn thành",
      "Kết quả dự kiến", "Nguồn kinh phí"],
     ["index", "content", "lead", "coordinate", "deadline", "result", "budget"]),
    (["Thứ tự", "Tên công việc", "Đơn vị thực hiện", "Tiến độ"], ["index", "content", "lead", "deadline"]),
])
def test_header_words_map_columns(rules, cells, kinds):
    assert header_kinds(cells, table_rules(rules)) == kinds


def test_header_words_in_any_order_map_by_word_not_position(rules):
    text, seg, ex = _run(
        HEAD + "\n| Thời hạn | Cơ quan phối hợp | Công việc | Đơn vị chủ trì |\n"
        "| Tháng 6/2026 | Sở Tài chính | Lập danh mục dữ liệu | Sở Nội vụ |\n" + SIGN, rules)
    [task] = [t for t in ex.tasks if t.path == "II/r1"]
    assert task.text == "Lập danh mục dữ liệu"
    got = {(a.role, a.agency) for a in ex.assignments if a.path == "II/r1"}
    assert got == {("lead", "Sở Nội vụ"), ("coordinate", "Sở Tài chính")}
    [d] = [d for d in ex.deadlines if d.path == "II/r1"]
    assert d.due_date == dt.date(2026, 6, 30)


def test_a_layout_table_is_not_a_data_table(rules):
    assert header_kinds(["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                        table_rules(rules)) is None
    text, _ = clean_text("| Số: 12/KH-UBND | An Giang, ngày 05 tháng 3 năm 2026 |\n\nKẾ HOẠCH", rules=rules)
    assert find_tables(text) == []
    assert "Số: 12/KH-UBND\n" in text


def test_two_cells_lists_run_together_are_cut(rules):
    text, seg, ex = _run(
        HEAD + "\n| TT | Nội dung | Chủ trì | Phối hợp |\n"
        "| 1 | Khảo sát hạ tầng | Sở Tài chính | Sở Khoa học và Công nghệ Sở Công Thương |\n" + SIGN, rules)
    got = {(a.role, a.agency) for a in ex.assignments if a.path == "II/r1"}
    assert got == {("lead", "Sở Tài chính"), ("coordinate", "Sở Khoa học và Công nghệ"),
                   ("coordinate", "Sở Công Thương")}


def test_docx_word_table_with_merged_cells(tmp_path, rules):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from makedocs import DocxBuilder

    from pipeline.ingest import ingest

    b = DocxBuilder()
    b.para("II. NHIỆM VỤ")
    rows = [["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["1", "Xây dựng kho dữ liệu\nvà cổng thông tin", "Sở Tài chính", "Quý IV/2026"],
            ["2", "Vận hành kho dữ liệu", "", ""]]
    b.table(rows)
    t = b.doc.tables[0]
    for r in (1, 2):  # the lead and time columns merged over rows 1-2
        for c in (2, 3):
            tc_pr = t.cell(r, c)._tc.get_or_add_tcPr()
            tc_pr.append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>' if r == 1
                                   else f'<w:vMerge {nsdecls("w")}/>'))
    path = tmp_path / "t.docx"
    b.doc.save(str(path))
    raw = ingest(path)
    assert "| 1 | Xây dựng kho dữ liệu<br>và cổng thông tin | Sở Tài chính | Quý IV/2026 |" in raw.text
    # a merged cell reads as it looks: its text in each row it covers
    assert "| 2 | Vận hành kho dữ liệu | Sở Tài chính | Quý IV/2026 |" in raw.text
    text, seg, ex = _run(raw.text, rules)
    tasks = {t.path: t.text for t in ex.tasks}
    assert tasks == {"II/r1": "Xây dựng kho dữ liệu và cổng thông tin", "II/r2": "Vận hành kho dữ liệu"}
    dls = {d.path: d.due_date for d in ex.deadlines}
    assert dls == {"II/r1": dt.date(2026, 12, 31), "II/r2": dt.date(2026, 12, 31)}
    got = {(a.path, a.agency) for a in ex.assignments}
    assert got == {("II/r1", "Sở Tài chính"), ("II/r2", "Sở Tài chính")}


def test_a_cell_that_says_as_above_takes_the_row_above(rules):
    text, seg, ex = _run(
        HEAD + "\n| TT | Nội dung | Chủ trì | Thời gian |\n"
        "| 1 | Khảo sát hạ tầng | Sở Tài chính | Quý I/2026 |\n"
        "| 2 | Lập báo cáo | nt | Quý II/2026 |\n" + SIGN, rules)
    got = {(a.path, a.agency) for a in ex.assignments if a.path}
    assert got == {("II/r1", "Sở Tài chính"), ("II/r2", "Sở Tài chính")}
    assert {d.path: d.due_date for d in ex.deadlines if d.path} == {
        "II/r1": dt.date(2026, 3, 31), "II/r2": dt.date(2026, 6, 30)}


def test_bare_years_in_the_time_column_and_indicator_tables(rules):
    text, seg, ex = _run(
        HEAD + "\n| STT | Nhiệm vụ | Chủ trì | Thời gian |\n"
        "| 1 | Khảo sát hạ tầng | Sở Tài chính | 2026 |\n"
        "| 2 | Lập đề án | Sở Nội vụ | 2025 - 2030 |\n\n"
        "Chỉ tiêu được giao như sau.\n\n"
        "| TT | Chỉ tiêu | Chủ trì |\n| 1 | Tỷ lệ hồ sơ trực tuyến đạt 80% | Sở Nội vụ |\n" + SIGN, rules)
    got = {d.path: (d.kind, d.year_start, d.year_end, d.raw) for d in ex.deadlines if d.path}
    assert got == {"II/r1": ("period", 2026, 2026, "2026"), "II/r2": ("period", 2025, 2030, "2025 - 2030")}
    # the indicator table is rows of text, not tasks (objectives are not tasks)
    assert [t.path for t in ex.tasks if "/r" in t.path] == ["II/r1", "II/r2"]
    assert len(find_tables(text)) == 2


def test_a_task_ends_before_a_table_that_is_not_a_task_table(rules):
    text, seg, ex = _run(
        HEAD + "\n| TT | Chỉ tiêu | Chủ trì |\n"
        "| 1 | Tỷ lệ hồ sơ trực tuyến đạt 80% | Sở Nội vụ |\n" + SIGN, rules)
    [task] = [t for t in ex.tasks if t.path == "II"]
    assert task.text == "Các nhiệm vụ cụ thể như sau."
    assert text[task.char_start:task.char_end].endswith("như sau.")


def test_html_task_table_with_spanning_cells(tmp_path, rules):
    from pipeline.ingest import ingest

    page = """<html><body><div><p>II. NHIỆM VỤ</p>
    <table><tr><td>ỦY BAN NHÂN DÂN</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table>
    <table border="1">
    <tr><th>STT</th><th>Nội dung</th><th>Cơ quan chủ trì</th><th>Thời gian hoàn thành</th></tr>
    <tr><td colspan="4">I. HẠ TẦNG SỐ</td></tr>
    <tr><td>1</td><td>Xây dựng kho dữ liệu</td><td rowspan="2">Sở Tài chính</td><td>Quý IV/2026</td></tr>
    <tr><td>2</td><td>Vận hành kho dữ liệu</td><td>Quý I/2027</td></tr>
    </table></div></body></html>"""
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    raw = ingest(path)
    assert "| 2 | Vận hành kho dữ liệu | Sở Tài chính | Quý I/2027 |" in raw.text
    assert "ỦY BAN NHÂN DÂN\n" in raw.text  # a layout table: one line per cell
    text, seg, ex = _run(raw.text, rules)
    assert [t.path for t in ex.tasks] == ["II/r1", "II/r2"]
    assert {d.path: d.due_date for d in ex.deadlines} == {"II/r1": dt.date(2026, 12, 31),
                                                          "II/r2": dt.date(2027, 3, 31)}
