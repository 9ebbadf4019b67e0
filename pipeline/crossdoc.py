"""The stages that look across documents, run over the whole store after each batch.

    report = finish(Path("outputs"), rules=rules)

reads the per-document tables the batch wrote into OUT_DIR (the store, which accumulates
across runs), links every plan to its parent (`plan_links`), checks each plan against its
mandates (`coverage`), computes the reviewer's flags (`flags`, keeping flags other stages
wrote under other codes), writes them, a DuckDB file holding every table (`kehoach.duckdb`),
an Excel workbook (`kehoach.xlsx`) and the self-contained `report.html`, whose path it returns.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyarrow.parquet as pq

from .compare import compare_store
from .exports import DUCKDB_NAME, XLSX_NAME, write_duckdb, write_xlsx
from .flags import CODES, find_flags
from .link import link
from .report import render
from .rules import Rules
from .schema import TABLES
from .write import records_to_rows, write

__all__ = ["finish", "load_rows", "write_duckdb"]

REPORT_NAME = "report.html"


def load_rows(out_dir: Path) -> dict[str, list[dict]]:
    """Every contract table in OUT_DIR as plain rows, read straight from Arrow (no DataFrame)."""
    rows = {}
    for name in TABLES:
        path = Path(out_dir) / f"{name}.parquet"
        rows[name] = pq.read_table(path).to_pylist() if path.exists() else []
    return rows


def finish(out_dir: Path, *, rules: Rules | None = None) -> Path:
    """Link, compare, flag, then write the tables, the DuckDB file, the workbook and the report."""
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    tables = load_rows(out_dir)
    links = link(tables["plans"], tables["references"], rules=rules)
    coverage = compare_store(tables, links, rules=rules)
    flags = find_flags(tables, links, coverage, rules=rules)
    kept = [r for r in tables["flags"] if r.get("code") not in CODES]
    flag_rows = [{k: r.get(k) for k in TABLES["flags"]} for r in kept] + records_to_rows("flags", flags)
    new = {"plan_links": records_to_rows("plan_links", links),
           "coverage": records_to_rows("coverage", coverage),
           "flags": flag_rows}
    write(new, out_dir)
    tables.update(new)  # the report reads what was just written, without reading the store again
    try:
        write_duckdb(out_dir)
    except Exception as exc:  # a locked database must not cost the run its report
        print(f"kehoach: could not write {out_dir / DUCKDB_NAME}: {exc}", file=sys.stderr)
    try:
        write_xlsx(tables, out_dir / XLSX_NAME)
    except Exception as exc:  # nor a workbook open in Excel (locked on Windows)
        print(f"kehoach: could not write {out_dir / XLSX_NAME}: {exc}", file=sys.stderr)
    report = out_dir / REPORT_NAME
    tmp = report.with_name(f".{report.name}.tmp-{os.getpid()}")
    tmp.write_text(render(tables, rules=rules), encoding="utf-8")
    os.replace(tmp, report)
    return report
