"""What report.html shows, read from OUT_DIR's Parquet files without the documents' full text.

The page needs, per plan, its row, its flags, coverage and links, the number of its tasks and
short evidence passages. Those are read here column by column; the passages are cut out of
documents.clean_text by DuckDB (substring over the Parquet file), so the text of the store is
never loaded. Tasks come back only when a coverage row names them (counts come from a group-by).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .crossdoc_io import DUCKDB_MEMORY_MB, capped_connection, quote
from .schema import TABLES

__all__ = ["read_report_tables"]

# tables the page reads, and the columns it leaves out
READ = {"documents": {"clean_text"}, "plans": set(), "plan_links": set(), "coverage": set(),
        "flags": set(), "localization": set(), "plan_changes": set()}
TASK_COLUMNS = ("task_id", "doc_id", "path", "char_start", "char_end")
TASK_TEXT = 400  # a task's text kept when its span gives no evidence (the page shows 220)
TASKS_SHOWN = 3  # coverage rows name at most this many tasks on the page


def _path(out_dir: Path, table: str) -> Path | None:
    f = out_dir / f"{table}.parquet"
    return f if f.exists() else None


def read_report_tables(out_dir: Path, *, memory_mb: int = DUCKDB_MEMORY_MB,
                       doc_ids: Sequence[str] | None = None) -> tuple[dict, dict]:
    """(tables as lists of rows, {(doc_id, start, end): clean_text[start:end]} for the evidence).

    DOC_IDS, if given, keeps only those plans' rows (the page of a large store shows a few)."""
    con = capped_connection(out_dir / ".report.tmp", memory_mb=memory_mb)
    try:
        tables: dict[str, list[dict]] = {}
        if doc_ids is not None:
            con.register("shown", pa.table({"id": pa.array(sorted(set(doc_ids)), pa.string())}))
        for name, skip in READ.items():
            f = _path(out_dir, name)
            if f is None:
                tables[name] = []
                continue
            have = pq.ParquetFile(f).schema_arrow.names
            cols = [c for c in TABLES[name] if c in have and c not in skip]
            if doc_ids is None:
                tables[name] = pq.read_table(f, columns=cols).to_pylist()
                continue
            key = "child_doc_id" if name in ("plan_links", "coverage") else "doc_id"
            cur = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} "
                              f"FROM read_parquet({quote(f)}, file_row_number=true) "
                              f"WHERE {key} IN (SELECT id FROM shown) ORDER BY file_row_number")
            tables[name] = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        tasks_f, cov_f = _path(out_dir, "tasks"), _path(out_dir, "coverage")
        counts, tasks = {}, []
        if tasks_f is not None:
            only = " WHERE {} IN (SELECT id FROM shown)" if doc_ids is not None else ""
            counts = dict(con.execute(f"SELECT doc_id, count(*) FROM read_parquet({quote(tasks_f)})"
                                      f"{only.format('doc_id')} GROUP BY doc_id").fetchall())
            if cov_f is not None:
                cols = ", ".join(f"t.{c}" for c in TASK_COLUMNS)
                cur = con.execute(
                    f"SELECT DISTINCT {cols}, left(t.text, {TASK_TEXT}) AS text "
                    f"FROM read_parquet({quote(tasks_f)}) t JOIN (SELECT DISTINCT unnest("
                    f"child_task_ids[1:{TASKS_SHOWN}]) AS task_id FROM read_parquet({quote(cov_f)})"
                    f"{only.format('child_doc_id')}) c "
                    "USING (task_id)")
                names = [d[0] for d in cur.description]
                tasks = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        tables["tasks"] = tasks
        spans = _spans(con, out_dir, doc_ids is not None)
    finally:
        con.close()
    return tables, {"spans": spans, "n_tasks": counts}


def _spans(con, out_dir: Path, shown: bool = False) -> dict:
    """The passages the page quotes: flags' spans and the first task of partial coverage rows."""
    docs = _path(out_dir, "documents")
    if docs is None:
        return {}
    wanted = []
    if (f := _path(out_dir, "flags")) is not None:
        wanted.append(f"SELECT doc_id, char_start AS a, char_end AS b FROM read_parquet({quote(f)}) "
                      "WHERE char_start IS NOT NULL AND char_end IS NOT NULL"
                      + (" AND doc_id IN (SELECT id FROM shown)" if shown else ""))
    cov, tasks = _path(out_dir, "coverage"), _path(out_dir, "tasks")
    if cov is not None and tasks is not None:
        wanted.append(
            f"SELECT c.child_doc_id AS doc_id, t.char_start AS a, t.char_end AS b "
            f"FROM read_parquet({quote(cov)}) c JOIN read_parquet({quote(tasks)}) t "
            "ON t.task_id = c.child_task_ids[1] "
            "WHERE c.status = 'partial' AND t.char_start IS NOT NULL AND t.char_end IS NOT NULL"
            + (" AND c.child_doc_id IN (SELECT id FROM shown)" if shown else ""))
    if not wanted:
        return {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for d, a, b in con.execute(f"SELECT DISTINCT * FROM ({' UNION ALL '.join(wanted)})").fetchall():
        spans.setdefault(d, []).append((a, b))
    # the texts streamed a few at a time and cut here: a join would hold every text at once
    con.register("spanned", pa.table({"id": pa.array(sorted(spans), pa.string())}))
    out = {}
    reader = con.sql(f"SELECT doc_id, clean_text FROM read_parquet({quote(docs)}) "
                     "WHERE doc_id IN (SELECT id FROM spanned)").to_arrow_reader(64)
    for batch in reader:
        for d, text in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
            for a, b in spans.get(d, ()):
                out[(d, a, b)] = (text or "")[a:b]
    return out
