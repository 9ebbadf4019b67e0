"""kehoach.xlsx and kehoach.duckdb as an analyst receives them: opened elsewhere, after a copy."""

import datetime as dt
import shutil

import duckdb
import pytest
from test_report import make_store

from pipeline.crossdoc import finish
from pipeline.exports import GAPS_SHEET, XLSX_TABLES, gap_rows, write_xlsx
from pipeline.schema import TABLES


@pytest.fixture()
def out(tmp_path, rules):
    out = make_store(tmp_path / "out", extra=True)
    finish(out, rules=rules)
    return out


def test_workbook_sheets_types_and_text(out):
    openpyxl = pytest.importorskip("openpyxl", reason="install the dev extras: pip install -e .[dev]")
    wb = openpyxl.load_workbook(out / "kehoach.xlsx")
    assert wb.sheetnames == [GAPS_SHEET, *XLSX_TABLES] and "tasks" in wb.sheetnames
    plans = wb["plans"]
    header = [c.value for c in plans[1]]
    assert plans.freeze_panes == "A2" and plans.auto_filter.ref
    rows = {r[header.index("doc_id")]: r for r in plans.iter_rows(min_row=2, values_only=True)}
    nl = rows["nhanly0000000001"]
    # a date is a date (openpyxl reads Excel dates as datetimes), Vietnamese text is intact
    assert nl[header.index("issue_date")] == dt.datetime(2026, 3, 27)
    assert plans.cell(row=2, column=header.index("issue_date") + 1).number_format == "dd/mm/yyyy"
    assert nl[header.index("locality")] == "xã Nhân Lý"
    assert rows["hoaxa00000000002"][header.index("issue_date")] is None  # left blank in the plan
    assert isinstance(nl[header.index("period_start")], int)
    docs = wb["documents"]
    dheader = [c.value for c in docs[1]]
    assert "clean_text" not in dheader and "ocr_used" in dheader
    ocr = [r[dheader.index("ocr_used")] for r in docs.iter_rows(min_row=2, values_only=True)]
    assert sorted(ocr, key=str) == [False, False, False, False, True]
    # columns wide enough to read, not wider than a screen
    widths = [plans.column_dimensions[c].width for c in "ABCDEFGHIJ"]
    assert all(6 <= w <= 62 for w in widths) and max(widths) > min(widths)
    coverage = wb["coverage"]
    cheader = [c.value for c in coverage[1]]
    scores = [r[cheader.index("score")] for r in coverage.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(x, (int, float)) for x in scores) and any(0 < x < 1 for x in scores)


def test_gaps_sheet_one_row_per_gap_to_send_back(out):
    openpyxl = pytest.importorskip("openpyxl", reason="install the dev extras: pip install -e .[dev]")
    ws = openpyxl.load_workbook(out / "kehoach.xlsx")[GAPS_SHEET]
    header = [c.value for c in ws[1]]
    assert header[0] == "Tệp" and "Ý kiến của đơn vị" in header and ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    kinds = [r[header.index("Loại")] for r in rows if r[header.index("doc_id")] == "hoaxa00000000002"]
    assert kinds and kinds == sorted(kinds, key=["Thiếu nhiệm vụ được giao",
                                                 "Nhiệm vụ được giao mới có một phần", "Lỗi",
                                                 "Cảnh báo", "Lưu ý"].index)
    codes = {r[header.index("Mã")] for r in rows}
    assert "BLANK_DOC_NUMBER" in codes and "MISSING_MANDATED_TASK" not in codes  # said by the row
    assert all(r[header.index("Ý kiến của đơn vị")] is None for r in rows)
    missing = [r for r in rows if r[header.index("Loại")] == "Thiếu nhiệm vụ được giao"]
    assert missing and all(r[header.index("Nội dung")] and r[header.index("Nhóm nhiệm vụ")] for r in missing)


def test_gap_rows_and_long_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="install the dev extras: pip install -e .[dev]")
    long = "Kế hoạch " * 5000  # over an Excel cell's 32,767 characters
    tables = {name: [] for name in TABLES}
    tables["plans"] = [{"doc_id": "d", "title": long, "issue_date": dt.date(2026, 1, 2),
                        "recipients": ["a", "b"], "issuer_level": "commune", "locality": "xã A",
                        "doc_ref": "=1+1"}]
    tables["documents"] = [{"doc_id": "d", "source_path": "/x/a.docx", "clean_text": "abc"}]
    tables["flags"] = [{"doc_id": "d", "severity": "warning", "code": "NUMBERING_GAP", "message": "Đánh số",
                        "path": "II", "char_start": 0, "char_end": 3}]
    (row,) = gap_rows(tables)
    assert row[:3] == ["a.docx", "xã A", "Xã, phường"] and row[-1] == "d" and row[-3] == "abc"
    path = write_xlsx(tables, tmp_path / "k.xlsx")
    ws = openpyxl.load_workbook(path)["plans"]
    header = [c.value for c in ws[1]]
    (values,) = ws.iter_rows(min_row=2, values_only=True)
    assert len(values[header.index("title")]) == 32_767
    assert values[header.index("recipients")] == "a; b"
    assert values[header.index("doc_ref")] == "=1+1"  # text, not a formula


def test_copied_folder_duckdb_answers(out, tmp_path, monkeypatch):
    copy = tmp_path / "elsewhere" / "kehoach-outputs"
    shutil.copytree(out, copy)
    shutil.rmtree(out)  # the original is gone: nothing may point back to it
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(copy / "kehoach.duckdb"), read_only=True)
    n = con.execute("""select count(*) from coverage c join plans p on p.doc_id = c.child_doc_id
                       where p.locality = 'xã Nhân Lý'""").fetchone()[0]
    names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    con.close()
    assert n > 0 and set(TABLES) <= names
