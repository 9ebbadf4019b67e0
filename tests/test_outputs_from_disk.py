"""The store's outputs read from OUT_DIR: streamed consolidation, workbook and report from disk."""

import datetime as dt

import numpy as np
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


def _consolidate(out, rewrite=()):
    """Store(OUT).consolidate(), the tables REWRITE removed first (so they are written again)."""
    for t in rewrite:
        (out / f"{t}.parquet").unlink()
    store = Store(out)
    try:
        return store.consolidate()
    finally:
        store.close()


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
    counts = _consolidate(out)  # nothing committed since: documents is not rewritten
    assert counts["documents"] == 7
    assert (out / "documents.parquet").stat().st_mtime_ns == stamp
    _consolidate(out, rewrite=["documents"])  # gone: written again, the same
    assert pq.read_table(out / "documents.parquet").column("source_path").to_pylist() == paths


def test_consolidation_by_stretches_of_parts_equals_the_sorted_index(tmp_path, rules, monkeypatch):
    """Parts whose rows are stretches of the output are written whole, one after the other; the
    tables are those the sorted index of every row gives (forced here), over two runs, a file
    changed in place and a duplicate."""
    from test_batch import plan

    from pipeline.schema import TABLES

    folder = tmp_path / "in"
    make_folder(folder, 6)
    (folder / "009.txt").write_text((folder / "001.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out, rules=rules, workers=0, progress=False, chunk_size=2)
    (folder / "002.txt").write_text(plan(2, "- Rà soát hộ nghèo năm 2027."), encoding="utf-8")
    run([folder], out, rules=rules, workers=0, progress=False, chunk_size=2)
    orders = []
    real = Store._part_order
    monkeypatch.setattr(Store, "_part_order", lambda self, *a: orders.append(real(self, *a)) or orders[-1])
    names = [t for t in TABLES if (out / f"{t}.parquet").exists()]
    _consolidate(out, rewrite=names)
    assert orders and all(o is not None for o in orders)  # every table went by stretches
    by_stretches = {t: pq.read_table(out / f"{t}.parquet") for t in names}
    monkeypatch.setattr(Store, "_part_order", lambda self, *a: None)
    _consolidate(out, rewrite=names)
    for t in names:
        assert pq.read_table(out / f"{t}.parquet").equals(by_stretches[t]), t
    assert by_stretches["tasks"].num_rows > 0


def test_part_order_refuses_overlapping_or_falling_parts(tmp_path):
    store = Store(tmp_path / "out")
    try:
        ranks = {1: [0, 0, 1], 2: [2, 3], 3: [4]}
        def kept(r):
            return np.array(r, np.int32), np.arange(len(r), dtype=np.int32)

        rows = {p: kept(r) for p, r in ranks.items()}
        store._kept_rows = lambda table, part, ids, rank: rows[part]
        assert store._part_order("tasks", {3: set(), 1: set(), 2: set()}, {}) == [(1, 3), (2, 2), (3, 1)]
        rows[2] = (np.array([2, 3], np.int32), np.array([0, 2], np.int32))  # a row dropped: named
        assert [(p, list(r) if isinstance(r, np.ndarray) else r)
                for p, r in store._part_order("tasks", {1: set(), 2: set(), 3: set()}, {})] == \
            [(1, 3), (2, [0, 2]), (3, 1)]
        rows[3] = kept([1])  # inside part 1's stretch
        assert store._part_order("tasks", {1: set(), 2: set(), 3: set()}, {}) is None
        rows[3] = kept([6, 5])  # falling
        assert store._part_order("tasks", {1: set(), 2: set(), 3: set()}, {}) is None
    finally:
        store.close()
