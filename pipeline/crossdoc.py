"""The stages that look across documents, run over the store after each batch.

    report = finish(Path("outputs"), rules=rules)
    stats = update(Path("outputs"), rules=rules)     # the tables only: a CrossDocStats

reads the per-document tables the batch wrote into OUT_DIR (the store, which accumulates
across runs), links every plan to its parent (`plan_links`), checks each plan against its
mandates (`coverage`), measures how much of it is its own (`localization`) and what changed
from its predecessor (`plan_changes`), adds the flags that need other plans to the ones the
workers found (`flags`), writes them, a DuckDB file holding every table (`kehoach.duckdb`),
an Excel workbook (`kehoach.xlsx`) and the self-contained `report.html`, whose path it returns.

`update` does the first part incrementally and out of core (`crossdoc_update`): only plans
that are new, gone, or whose links or predecessor change are done again; the rest is kept
in OUT/.crossdoc. `publish` does the second.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyarrow.parquet as pq

from .compare import NO_MANDATES
from .crossdoc_update import CrossDocStats, update
from .exports import DUCKDB_NAME, XLSX_NAME, write_duckdb, write_xlsx_from
from .flags import make_flag
from .link import AMBIGUOUS
from .report import render_from
from .rules import Rules
from .schema import TABLES

__all__ = ["finish", "update", "publish", "CrossDocStats", "load_rows", "write_duckdb"]

REPORT_NAME = "report.html"
OWN_CODES = frozenset({NO_MANDATES, "AMBIGUOUS_PARENT"})  # computed here, replaced on every run


def load_rows(out_dir: Path) -> dict[str, list[dict]]:
    """Every contract table in OUT_DIR as plain rows, read straight from Arrow (no DataFrame)."""
    rows = {}
    for name in TABLES:
        path = Path(out_dir) / f"{name}.parquet"
        rows[name] = pq.read_table(path).to_pylist() if path.exists() else []
    return rows


def ambiguous_flags(links, rules: Rules) -> list:
    """A parent cited so that several plans of the store fit: named, for a person to settle."""
    return [make_flag(rules, "AMBIGUOUS_PARENT", ln.child_doc_id, parent=ln.parent_ref,
                      candidates=", ".join(ln.candidates))
            for ln in links if ln.method == AMBIGUOUS]


def finish(out_dir: Path, *, rules: Rules | None = None, mapper=map) -> Path:
    """Link, compare, flag (incrementally), then write the DuckDB file, the workbook and the report.

    MAPPER spreads the comparison of groups of plans (an executor's `map`; see executors)."""
    rules = Rules.resolve(rules)
    update(out_dir, rules=rules, mapper=mapper)
    return publish(out_dir, rules=rules)


def publish(out_dir: Path, *, rules: Rules | None = None) -> Path:
    """The DuckDB file, the workbook and report.html from the tables in OUT_DIR; the report's path."""
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    try:
        write_duckdb(out_dir)
    except Exception as exc:  # a locked database must not cost the run its report
        print(f"kehoach: could not write {out_dir / DUCKDB_NAME}: {exc}", file=sys.stderr)
    try:  # both read OUT_DIR's Parquet files in bounded memory (no clean_text loaded)
        write_xlsx_from(out_dir, out_dir / XLSX_NAME)
    except Exception as exc:  # nor a workbook open in Excel (locked on Windows)
        print(f"kehoach: could not write {out_dir / XLSX_NAME}: {exc}", file=sys.stderr)
    report = out_dir / REPORT_NAME
    tmp = report.with_name(f".{report.name}.tmp-{os.getpid()}")
    tmp.write_text(render_from(out_dir, rules=rules), encoding="utf-8")
    os.replace(tmp, report)
    return report
