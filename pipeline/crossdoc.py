"""The stages that look across documents, run over the store after each batch.

    report = finish(Path("outputs"), rules=rules)
    stats = update(Path("outputs"), rules=rules)     # the tables only: a CrossDocStats

reads the per-document tables the batch wrote into OUT_DIR (the store, which accumulates
across runs), links every plan to its parent (`plan_links`), checks each plan against its
mandates (`coverage`), measures how much of it is its own (`localization`) and what changed
from its predecessor (`plan_changes`), adds the flags that need other plans to the ones the
workers found (`flags`), writes them, a DuckDB file holding every table (`kehoach.duckdb`),
an Excel workbook (`kehoach.xlsx`, up to exports_publish.XLSX_AUTO_PLANS plans) and the
self-contained `report.html`, whose path it returns.

`update` does the first part incrementally and out of core (`crossdoc_update`): only plans
that are new, gone, or whose links or predecessor change are done again; the rest is kept
in OUT/.crossdoc. `publish` does the second.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq

from .compare import NO_MANDATES
from .crossdoc_update import CrossDocStats, update
from .exports import write_duckdb
from .exports_publish import publish_exports
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


def finish(out_dir: Path, *, rules: Rules | None = None, mapper=map,
           mapper_shares_disk: bool = False, say=None) -> Path:
    """Link, compare, flag (incrementally), then write the DuckDB file, the workbook and the report.

    MAPPER spreads the comparison of groups of plans (an executor's `map`; see executors), on
    processes that see OUT_DIR when MAPPER_SHARES_DISK (they then read their groups themselves).
    SAY(message), if given, hears each step as it starts: after the files' progress bar, a large
    store's steps take minutes, and a person waiting should see which one runs."""
    rules = Rules.resolve(rules)
    if say is not None:
        say("linking plans to their parents and checking what they carry out")
    update(out_dir, rules=rules, mapper=mapper, mapper_shares_disk=mapper_shares_disk)
    return publish(out_dir, rules=rules, say=say)


def publish(out_dir: Path, *, rules: Rules | None = None, say=None) -> Path:
    """The DuckDB file, the workbook and report.html from the tables in OUT_DIR; the report's path.
    SAY: as in finish."""
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    # each written only when its tables changed; the workbook only up to a size (exports_publish)
    publish_exports(out_dir, say=say)
    report = out_dir / REPORT_NAME
    if say is not None:
        say(f"writing {report}")
    tmp = report.with_name(f".{report.name}.tmp-{os.getpid()}")
    tmp.write_text(render_from(out_dir, rules=rules), encoding="utf-8")
    os.replace(tmp, report)
    return report
