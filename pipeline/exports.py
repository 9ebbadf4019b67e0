"""The store in the tools analysts already use: an Excel workbook and a DuckDB file that travels.

`write_xlsx(tables, OUT/kehoach.xlsx)`: a first sheet "Thiếu sót theo kế hoạch" (one row per
gap or flag of a plan, with an empty column for the commune's answer, so an analyst can filter
it and send it back), then one sheet per contract table. Dates are Excel dates (dd/mm/yyyy),
the header row is frozen and filterable, widths follow the content. Two things stay in Parquet
and DuckDB only: the documents' full text (an Excel cell holds at most 32,767 characters) and
the `sections` table (the outline, a row per heading and bullet: half the cells of a store,
repeating the tasks' text, and half the time the workbook takes to write).

`write_duckdb(OUT)`: OUT/kehoach.duckdb with every table copied in (no paths inside), so the
folder can be moved, copied or mailed and the file still answers:

    duckdb outputs/kehoach.duckdb "select locality, status, count(*) from coverage
        join plans on plans.doc_id = coverage.child_doc_id group by all"
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .crossdoc_io import capped_connection, quote
from .exports_gaps import GAP_ORDER, KIND_VI, SNIPPET, gap_batches
from .link import as_rows
from .report import LEVEL_VI, snippet
from .schema import TABLES

__all__ = ["write_xlsx", "write_xlsx_from", "write_duckdb", "gap_rows", "XLSX_NAME", "XLSX_TABLES",
           "DUCKDB_NAME",
           "GAPS_SHEET"]

XLSX_NAME = "kehoach.xlsx"
DUCKDB_NAME = "kehoach.duckdb"
GAPS_SHEET = "Thiếu sót theo kế hoạch"
CELL_MAX = 32_767  # characters an Excel cell holds
ROWS_MAX = 1_048_575  # rows of a sheet under its header
NOT_IN_EXCEL = {"documents": {"clean_text"}}
XLSX_TABLES = tuple(t for t in TABLES if t != "sections")
# flags that restate a coverage row: the coverage row carries the mandate and its group
COVERAGE_CODES = {"MISSING_MANDATED_TASK", "PARTIAL_MANDATED_TASK", "MISSING_TASK_GROUP"}
GAP_COLUMNS = [("Tệp", 28), ("Địa bàn", 20), ("Cấp", 11), ("Tỉnh", 14), ("Số, ký hiệu", 16),
               ("Ngày ban hành", 13), ("Loại", 24), ("Mã", 22), ("Nhóm nhiệm vụ", 28),
               ("Nội dung", 70), ("Vị trí", 10), ("Căn cứ trong kế hoạch", 50),
               ("Ý kiến của đơn vị", 40), ("doc_id", 18)]
GAP_KINDS = {"Ngày ban hành": "date"}
SHEET_ROWS = 200_000  # a table longer than this gets a sheet pointing to Parquet / DuckDB
BATCH = 5_000  # rows read from Parquet at a time when a sheet is streamed


def gap_rows(tables: Mapping[str, Any]) -> list[list[Any]]:
    """Rows of the gaps sheet (GAP_COLUMNS): per plan, missing and partial mandates, then its
    flags by severity."""
    rows = {k: as_rows(tables.get(k)) for k in ("documents", "plans", "tasks", "coverage", "flags")}
    docs = {d["doc_id"]: d for d in rows["documents"]}
    tasks = {t["task_id"]: t for t in rows["tasks"]}
    items: dict[str, list[tuple[int, list]]] = defaultdict(list)
    for c in rows["coverage"]:
        if c["status"] not in ("missing", "partial"):
            continue
        text = (docs.get(c["child_doc_id"]) or {}).get("clean_text") or ""
        tids = [t for t in c.get("child_task_ids") or [] if t in tasks]
        first = tasks[tids[0]] if tids else {}
        ev = snippet(text, first.get("char_start"), first.get("char_end"), SNIPPET) if tids else ""
        path = ", ".join(str(tasks[t].get("path")) for t in tids[:3])
        items[c["child_doc_id"]].append((GAP_ORDER.index(c["status"]), [
            KIND_VI[c["status"]], "", c.get("mandate_group") or "", c["mandate_text"], path, ev]))
    for f in rows["flags"]:
        if f["code"] in COVERAGE_CODES:
            continue
        text = (docs.get(f["doc_id"]) or {}).get("clean_text") or ""
        sev = f["severity"] if f["severity"] in GAP_ORDER else "info"
        items[f["doc_id"]].append((GAP_ORDER.index(sev), [
            KIND_VI[sev], f["code"], "", f["message"], f.get("path") or "",
            snippet(text, f.get("char_start"), f.get("char_end"), SNIPPET)]))
    out = []
    plans = sorted(rows["plans"], key=lambda p: (Path(str((docs.get(p["doc_id"]) or {}).get("source_path")
                                                            or "")).name, p["doc_id"]))
    for p in plans:
        doc = docs.get(p["doc_id"]) or {}
        head = [Path(str(doc.get("source_path") or "")).name, p.get("locality") or p.get("issuer") or "",
                LEVEL_VI.get(p.get("issuer_level"), p.get("issuer_level") or ""), p.get("province") or "",
                p.get("doc_ref") or "", p.get("issue_date")]
        for _, (kind, code, group, content, path, ev) in sorted(items.get(p["doc_id"], []),
                                                                 key=lambda x: x[0]):
            out.append([*head, kind, code, group, content, path, ev, "", p["doc_id"]])
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        v = "; ".join("" if x is None else str(x) for x in v)
    if isinstance(v, str) and len(v) > CELL_MAX:
        v = v[: CELL_MAX - 1] + "…"
    return v


def _widths(header: Sequence[str], rows: Sequence[Sequence[Any]], cap: int = 60) -> list[int]:
    """Column widths from the header and the first rows: long enough for most values, capped."""
    out = []
    for j, name in enumerate(header):
        lengths = sorted(len(str(_cell(r[j]))) if r[j] is not None else 0 for r in rows[:500])
        typical = lengths[int(len(lengths) * 0.9)] if lengths else 0
        if rows and isinstance(rows[0][j], (dt.date, dt.datetime)):
            typical = 10
        out.append(max(6, min(cap, max(len(name), typical) + 2)))
    return out


def _writers(ws, fmt: dict, kinds: Sequence[str]):
    """One cell writer per column, chosen once from the column's type (the per-cell type test of
    `write` is most of the time a large workbook takes)."""
    def date(i, j, v):
        if isinstance(v, dt.datetime):
            ws.write_datetime(i, j, v, fmt["datetime"])
        elif isinstance(v, dt.date):
            ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), fmt["date"])
        else:
            ws.write_string(i, j, str(v))

    def text(i, j, v):
        ws.write_string(i, j, v if isinstance(v, str) and len(v) <= CELL_MAX else str(_cell(v)))

    by_kind = {"date": date, "bool": ws.write_boolean, "int32": ws.write_number, "int64": ws.write_number,
               "float64": ws.write_number}
    return [by_kind.get(k, text) for k in kinds]


def _sheet(wb, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]], fmt: dict,
           kinds: Sequence[str], widths: Sequence[int] | None = None) -> None:
    ws = wb.add_worksheet(name)
    for j, w in enumerate(widths or _widths(header, rows)):
        ws.set_column(j, j, w)
    ws.write_row(0, 0, header, fmt["head"])
    rows = rows[:ROWS_MAX]
    writers = _writers(ws, fmt, kinds)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v is not None and v != "":
                writers[j](i, j, v)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(rows)), max(0, len(header) - 1))


def _workbook(tmp: Path):
    """A workbook streaming to TMP (constant memory) and its cell formats."""
    import xlsxwriter

    # text stays text: no formulas, links or numbers guessed from what a plan says
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    fmt = {"head": wb.add_format({"bold": True, "bg_color": "#EEF2F6", "bottom": 1}),
           "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
           "datetime": wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})}
    return wb, fmt


def write_xlsx(tables: Mapping[str, Any], path: Path) -> Path:
    """The workbook (see the module's docstring); written to a temp name, then renamed."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.xlsx")
    wb, fmt = _workbook(tmp)
    try:
        _sheet(wb, GAPS_SHEET, [c for c, _ in GAP_COLUMNS], gap_rows(tables), fmt,
               [GAP_KINDS.get(c, "string") for c, _ in GAP_COLUMNS], widths=[w for _, w in GAP_COLUMNS])
        for name in XLSX_TABLES:
            cols = [c for c in TABLES[name] if c not in NOT_IN_EXCEL.get(name, ())]
            rows = [[r.get(c) for c in cols] for r in as_rows(tables.get(name))]
            _sheet(wb, name, cols, rows, fmt, [TABLES[name][c][0] for c in cols])
    finally:
        wb.close()
    os.replace(tmp, path)
    return path


def write_xlsx_from(out_dir: Path, path: Path | None = None) -> Path:
    """The workbook read from OUT_DIR's Parquet files: each table's sheet streamed batch by batch
    (XlsxWriter's constant_memory mode writes each row as it comes); a table of more than
    SHEET_ROWS rows gets a sheet that says where to read it instead. The gaps sheet reads only
    the columns it needs, and only the passages it quotes."""
    import pyarrow.parquet as pq

    out_dir = Path(out_dir)
    path = Path(path) if path is not None else out_dir / XLSX_NAME
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.xlsx")
    wb, fmt = _workbook(tmp)
    try:
        # the gaps sheet from one DuckDB query, streamed (exports_gaps): no table held in memory
        _sheet_stream(wb, GAPS_SHEET, [c for c, _ in GAP_COLUMNS], gap_batches(out_dir, COVERAGE_CODES),
                      fmt, [GAP_KINDS.get(c, "string") for c, _ in GAP_COLUMNS],
                      widths=[w for _, w in GAP_COLUMNS])
        for name in XLSX_TABLES:
            cols = [c for c in TABLES[name] if c not in NOT_IN_EXCEL.get(name, ())]
            f = out_dir / f"{name}.parquet"
            pf = pq.ParquetFile(f) if f.exists() else None
            have = set(pf.schema_arrow.names) if pf else set()
            n = pf.metadata.num_rows if pf else 0
            if n > SHEET_ROWS:
                ws = wb.add_worksheet(name)
                ws.write_string(0, 0, f"{n:,} rows: too many for a sheet; read {f.name} or the "
                                f"table {name} of {DUCKDB_NAME}.", fmt["head"])
                continue
            batches = pf.iter_batches(batch_size=BATCH, columns=[c for c in cols if c in have]) if pf else []
            rows = ([[r.get(c) for c in cols] for r in b.to_pylist()] for b in batches)
            _sheet_stream(wb, name, cols, rows, fmt, [TABLES[name][c][0] for c in cols])
    finally:
        wb.close()
    os.replace(tmp, path)
    return path


def _sheet_stream(wb, name: str, header: Sequence[str], rows, fmt: dict, kinds: Sequence[str],
                  widths: Sequence[int] | None = None) -> None:
    """_sheet for rows that come in batches: widths from the first batch (or WIDTHS), rows written
    as read."""
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, header, fmt["head"])
    writers = _writers(ws, fmt, kinds)
    if widths is not None:
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
    i = 0
    for k, batch in enumerate(rows):
        if k == 0 and widths is None:
            for j, w in enumerate(_widths(header, batch)):
                ws.set_column(j, j, w)
        for r in batch:
            if i >= ROWS_MAX:
                break
            i += 1
            for j, v in enumerate(r):
                if v is not None and v != "":
                    writers[j](i, j, v)
    if i == 0 and widths is None:
        for j, w in enumerate(_widths(header, [])):
            ws.set_column(j, j, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, i), max(0, len(header) - 1))


DUCKDB_ROW_GROUP = 8_192  # rows


def write_duckdb(out_dir: Path) -> Path:
    """OUT_DIR/kehoach.duckdb holding a copy of every Parquet table of OUT_DIR (no file paths)."""
    out_dir = Path(out_dir).resolve()
    path = out_dir / DUCKDB_NAME
    tmp = out_dir / f".{DUCKDB_NAME}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    # one thread, capped memory: the copy streams (a store's tables outgrow memory); small row
    # groups, or a row group of 122,880 documents' texts is held before it is written
    con = capped_connection(out_dir / ".duckdb.tmp")
    try:
        con.execute(f"ATTACH {quote(tmp)} AS store (ROW_GROUP_SIZE {DUCKDB_ROW_GROUP}); USE store")
        for name in TABLES:
            pq_path = out_dir / f"{name}.parquet"
            if pq_path.exists():
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet({quote(pq_path)})')
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    shutil.rmtree(out_dir / ".duckdb.tmp", ignore_errors=True)
    return path
