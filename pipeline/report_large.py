"""report.html for a store too large for one page: the store's figures, a few plans in full.

Above FULL_PLANS plans the page would hold every plan's rows (10⁵ plans: hundreds of MB of
JSON, built in memory). Instead the page shows the store's totals and the mandates most often
missing (DuckDB group-bys), the TOP_PLANS plans with most problems in full detail, the first
FAILED_SHOWN files that were not read, and points to OUT/report_plans.parquet, one row per plan
with the figures the plan table shows (written by DuckDB, never held in Python).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .report import page_html, report_data, unread_row
from .report_io import read_report_tables
from .report_plans import SUMMARY_NAME, PlanFigures
from .rules import Rules

__all__ = ["render_large", "FULL_PLANS", "TOP_PLANS"]

FULL_PLANS = 5_000  # up to this many plans the page lists every plan (a few MB)
TOP_PLANS = 500  # plans shown in full on a larger store's page
FAILED_SHOWN = 500
XLSX_HINT = "kehoach export xlsx --out <thư mục kết quả> (tệp DuckDB: kehoach export duckdb)"


def render_large(out_dir: Path, *, rules: Rules | None = None, generated: dt.datetime | None = None,
                 top: int | None = None) -> str:
    """The bounded page (see the module's docstring); writes OUT/report_plans.parquet too."""
    out_dir = Path(out_dir)
    with PlanFigures(out_dir) as pf:
        pf.write_summary(out_dir / SUMMARY_NAME)
        ids = pf.top_plans(TOP_PLANS if top is None else top)
        totals = pf.totals()
        missing = pf.top_missing()
        groups = pf.groups()
        n_listed, n_unread, unread = pf.unread(FAILED_SHOWN)
        n_docs = pf.count("documents")
    tables, extra = read_report_tables(out_dir, doc_ids=ids)
    data = report_data(tables, rules=rules, generated=generated, **extra)
    data.update(top=missing, groups=groups, n_docs=n_docs, failed=[unread_row(d) for d in unread],
                totals={"read": totals["plans"], "gaps": totals["gaps"], "warned": totals["warned"],
                        "ocr": totals["ocr"], "unread": n_unread},
                bounded={"shown": len(data["plans"]), "total": totals["plans"], "file": SUMMARY_NAME,
                         "failed": n_listed,
                         "xlsx": XLSX_HINT})
    return page_html(data, tables)
