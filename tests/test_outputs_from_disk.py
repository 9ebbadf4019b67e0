"""The store's outputs read from OUT_DIR: streamed consolidation, workbook and report from disk."""

import datetime as dt

import pyarrow.parquet as pq
import pytest
from test_batch import light, make_folder
from test_report import make_store

from pipeline import exports
from pipeline.batch import run
from pipeline.crossdoc import finish, load_rows
from pipeline.exports import write_xlsx, write_xlsx_from
from pipeline.report import render, render_from
from pipeline.store import Store

WHEN = dt.datetime(2026, 5, 1, 9, 30)


@pytest.fixture()
def out(tmp_path, rules):
    out = make_store(tmp_path / "out", extra=True)
    finish(out, rules=rules)
    return out


def test_report_from_disk_is_the_report_from_rows(out, rules):
    page = render_from(out, rules=rules, generated=WHEN)
    assert page == render(load_rows(out), rules=rules, generated=WHEN)
    assert "Công an xã" in page  # evidence cut out of clean_text by DuckDB


def _cells(path):
    openpyxl = pytest.importorskip("openpyxl", reason="install the dev extras: pip install -e .[dev]")
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_workbook_from_disk_is_the_workbook_from_rows(out, tmp_path):
    a = _cells(write_xlsx(load_rows(out), tmp_path / "a.xlsx"))
    b = _cells(write_xlsx_from(out, tmp_path / "b.xlsx"))
    assert a == b
    assert len(b[exports.GAPS_SHEET]) > 1 and len(b["tasks"]) > 1


def test_workbook_points_to_parquet_for_a_long_table(out, tmp_path, monkeypatch):
    n = pq.ParquetFile(out / "tasks.parquet").metadata.num_rows
    monkeypatch.setattr(exports, "SHEET_ROWS", n - 1)
    cells = _cells(write_xlsx_from(out, tmp_path / "b.xlsx"))
    assert cells["tasks"] == [[f"{n:,} rows: too many for a sheet; read tasks.parquet or the table "
                               "tasks of kehoach.duckdb."]]
    assert len(cells["plans"]) > 1


def test_consolidation_in_row_groups_in_order_and_not_rewritten_unchanged(tmp_path, rules, monkeypatch):
    monkeypatch.setattr("pipeline.store.ROW_GROUP", {"documents": 2})
    monkeypatch.setattr("pipeline.store.ROW_GROUP_DEFAULT", 3)
    folder = tmp_path / "in"
    make_folder(folder, 7)
    out = tmp_path / "out"
    run([folder], out, rules=rules, workers=0, task=light, progress=False, chunk_size=2)
    docs = pq.ParquetFile(out / "documents.parquet")
    assert docs.metadata.num_row_groups == 4  # 7 documents, 2 a row group
    paths = docs.read(columns=["source_path"]).column(0).to_pylist()
    assert paths == [str(folder / f"{i:03d}.txt") for i in range(7)]
    stamp = (out / "documents.parquet").stat().st_mtime_ns
    store = Store(out)
    try:
        counts = store.consolidate()  # nothing committed since: documents is not rewritten
    finally:
        store.close()
    assert counts["documents"] == 7
    assert (out / "documents.parquet").stat().st_mtime_ns == stamp
    (out / "documents.parquet").unlink()  # gone: written again, the same
    store = Store(out)
    try:
        store.consolidate()
    finally:
        store.close()
    assert pq.read_table(out / "documents.parquet").column("source_path").to_pylist() == paths
