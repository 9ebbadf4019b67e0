"""The report's per-plan figures as DuckDB group-bys over OUT_DIR's Parquet files.

A store of 10⁵ plans does not fit one HTML page, nor its rows Python's memory: each plan's
counts (tasks, missing / partial / covered mandates, flags by severity) and the store's totals
are computed by DuckDB (1 thread, memory capped, only the columns needed), the per-plan table is
written by DuckDB straight to OUT/report_plans.parquet, and Python only sees the few rows the
page shows (the plans with most problems, the top missing mandates, the first unread files).

    with PlanFigures(out_dir) as pf:
        pf.write_summary(out_dir / "report_plans.parquet")
        ids = pf.top_plans(500)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .crossdoc_io import DUCKDB_MEMORY_MB, capped_connection, quote

__all__ = ["PlanFigures", "SUMMARY_NAME", "SUMMARY_COLUMNS"]

SUMMARY_NAME = "report_plans.parquet"
# columns of report_plans.parquet (the page's plan table, one row per plan, in the page's order)
SUMMARY_COLUMNS = ("doc_id", "file", "locality", "issuer_level", "province", "doc_ref", "issue_date",
                   "n_tasks", "missing", "partial", "covered", "errors", "warnings", "infos", "ocr")


# a path's file name as report._name gives it (Path(p).name, or p when that is empty)
_NAME = "coalesce(nullif(regexp_extract(coalesce({0}, ''), '([^/]*)/*$', 1), ''), coalesce({0}, ''))"


class PlanFigures:
    """One capped DuckDB connection over the tables the report counts."""

    def __init__(self, out_dir: Path, *, memory_mb: int = DUCKDB_MEMORY_MB) -> None:
        self.out_dir = Path(out_dir)
        self._tmp = self.out_dir / ".report.tmp"
        self.con = capped_connection(self._tmp, memory_mb=memory_mb)

    def __enter__(self) -> PlanFigures:
        return self

    def __exit__(self, *exc) -> None:
        self.con.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _src(self, table: str, columns: str) -> str:
        """A table's rows (only COLUMNS), or no rows of those columns when the file is missing."""
        f = self.out_dir / f"{table}.parquet"
        if f.exists():
            return f"(SELECT {columns}, file_row_number FROM read_parquet({quote(f)}, file_row_number=true))"
        cols = ", ".join(f"NULL::VARCHAR AS {c.strip()}" for c in columns.split(","))
        return f"(SELECT {cols}, 0::BIGINT AS file_row_number LIMIT 0)"

    def summary_sql(self) -> str:
        """One row per plan: SUMMARY_COLUMNS, ordered as the page orders plans (file name, doc_id).

        A document that arrived twice has one doc_id; its row is the copy that is no one's
        duplicate (the last such in the store), as report.report_data chooses it."""
        docs = self._src("documents", "doc_id, source_path, duplicate_of, ocr_used")
        plans = self._src("plans", "doc_id, locality, issuer, issuer_level, province, doc_ref, symbol, "
                                   "issue_date")
        tasks = self._src("tasks", "doc_id")
        cov = self._src("coverage", "child_doc_id, status")
        flags = self._src("flags", "doc_id, severity")
        return f"""
        WITH d AS (
            SELECT doc_id,
                   arg_max(source_path, (duplicate_of IS NULL)::BIGINT * 1e15 + file_row_number) AS sp,
                   arg_max(ocr_used, (duplicate_of IS NULL)::BIGINT * 1e15 + file_row_number) AS ocr
            FROM {docs} GROUP BY doc_id),
        t AS (SELECT doc_id, count(*) AS n FROM {tasks} GROUP BY doc_id),
        c AS (SELECT child_doc_id AS doc_id, count(*) FILTER (status = 'missing') AS missing,
                     count(*) FILTER (status = 'partial') AS partial,
                     count(*) FILTER (status = 'covered') AS covered
              FROM {cov} GROUP BY child_doc_id),
        f AS (SELECT doc_id, count(*) FILTER (severity = 'error') AS errors,
                     count(*) FILTER (severity = 'warning') AS warnings,
                     count(*) FILTER (severity = 'info') AS infos
              FROM {flags} GROUP BY doc_id)
        SELECT p.doc_id,
               {_NAME.format('d.sp')} AS file,
               coalesce(nullif(p.locality, ''), nullif(p.issuer, ''), '') AS locality,
               coalesce(nullif(p.issuer_level, ''), 'unknown') AS issuer_level,
               coalesce(p.province, '') AS province,
               coalesce(nullif(p.doc_ref, ''), CASE WHEN coalesce(p.symbol, '') <> ''
                        THEN 'Số: /' || p.symbol ELSE '' END) AS doc_ref,
               p.issue_date,
               coalesce(t.n, 0) AS n_tasks, coalesce(c.missing, 0) AS missing,
               coalesce(c.partial, 0) AS partial, coalesce(c.covered, 0) AS covered,
               coalesce(f.errors, 0) AS errors, coalesce(f.warnings, 0) AS warnings,
               coalesce(f.infos, 0) AS infos, coalesce(d.ocr, false) AS ocr
        FROM {plans} p LEFT JOIN d USING (doc_id) LEFT JOIN t USING (doc_id)
             LEFT JOIN c USING (doc_id) LEFT JOIN f USING (doc_id)
        ORDER BY file, p.doc_id, p.file_row_number"""

    def write_summary(self, path: Path) -> Path:
        """report_plans.parquet written by DuckDB (no row passes through Python); its path."""
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        self.con.execute(f"COPY ({self.summary_sql()}) TO {quote(tmp)} (FORMAT parquet)")
        tmp.replace(path)
        return path

    def rows(self, sql: str) -> list[dict]:
        cur = self.con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def top_plans(self, n: int) -> list[str]:
        """The N plans with most problems: missing + partial mandates, then errors, then warnings."""
        return [r["doc_id"] for r in self.rows(
            f"SELECT doc_id FROM ({self.summary_sql()}) ORDER BY missing + partial DESC, errors DESC, "
            f"warnings DESC, file, doc_id LIMIT {int(n)}")]

    def totals(self) -> dict:
        """The summary cards of the page for the whole store (a plan counted once per doc_id)."""
        return self.rows(
            f"SELECT count(*) AS plans, count(*) FILTER (missing + partial > 0) AS gaps, "
            f"count(*) FILTER (errors + warnings > 0) AS warned, count(*) FILTER (ocr) AS ocr "
            f"FROM ({self.summary_sql()})")[0]

    def top_missing(self, n: int = 10) -> list[list]:
        """[mandate, group, plans] of the mandates most often missing."""
        cov = self._src("coverage", "child_doc_id, status, mandate_text, mandate_group")
        return [[r["m"], r["g"], r["n"]] for r in self.rows(
            f"SELECT mandate_text AS m, coalesce(mandate_group, '') AS g, "
            f"count(DISTINCT child_doc_id) AS n FROM {cov} WHERE status = 'missing' "
            f"GROUP BY ALL ORDER BY n DESC, min(file_row_number) LIMIT {int(n)}")]

    def groups(self) -> list[str]:
        """Mandate groups in the order they first appear in coverage."""
        cov = self._src("coverage", "mandate_group")
        return [r["g"] for r in self.rows(
            f"SELECT coalesce(nullif(mandate_group, ''), 'Khác') AS g FROM {cov} "
            f"GROUP BY g ORDER BY min(file_row_number)")]

    def unread(self, n: int) -> tuple[int, int, list[dict]]:
        """(files listed as not read as plans, how many of them are not duplicates, the first N
        of them as the page lists them)."""
        docs = self._src("documents", "doc_id, source_path, source_format, status, error, duplicate_of")
        plans = self._src("plans", "doc_id")
        where = (f"FROM {docs} d WHERE NOT (d.status = 'ok' AND d.duplicate_of IS NULL "
                 f"AND d.doc_id IN (SELECT doc_id FROM {plans}))")
        n_all, n_unread = self.con.execute(
            f"SELECT count(*), count(*) FILTER (duplicate_of IS NULL) {where}").fetchone()
        rows = self.rows(f"SELECT source_path, source_format, status, error, duplicate_of {where} "
                         f"ORDER BY CASE WHEN duplicate_of IS NOT NULL THEN 'duplicate' "
                         f"ELSE coalesce(status, '') END, {_NAME.format('source_path')}, file_row_number "
                         f"LIMIT {int(n)}")
        return n_all, n_unread, rows

    def count(self, table: str) -> int:
        return self.rows(f"SELECT count(*) AS n FROM {self._src(table, 'doc_id')}")[0]["n"]
