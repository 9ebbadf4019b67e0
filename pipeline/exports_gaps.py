"""The workbook's gaps sheet as one DuckDB query over OUT_DIR's Parquet files, streamed.

Same rows, in the same order, as exports.gap_rows over the loaded tables: per plan (by file
name, then doc_id), its missing and partial mandates, then its flags by severity. DuckDB joins
coverage, flags, tasks and plans; each batch's evidence passages are cut out of the texts of
that batch's plans only (documents.clean_text never goes through a join: under the memory cap
it would hold every text at once). Python tidies each passage's whitespace, batch by batch, so
no table is held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from .crossdoc_io import DUCKDB_MEMORY_MB, capped_connection, quote
from .report import LEVEL_VI, snippet

__all__ = ["gap_batches", "GAP_ORDER", "KIND_VI", "SNIPPET"]

BATCH = 5_000
SNIPPET = 300  # characters of evidence a row quotes
KIND_VI = {"missing": "Thiếu nhiệm vụ được giao", "partial": "Nhiệm vụ được giao mới có một phần",
           "error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
GAP_ORDER = ("missing", "partial", "error", "warning", "info")


def _sql(out: Path, coverage_codes) -> str | None:
    f = {t: out / f"{t}.parquet" for t in ("documents", "plans", "tasks", "coverage", "flags")}
    if not f["plans"].exists() or not f["documents"].exists():
        return None
    rank = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(GAP_ORDER))
    codes = ", ".join("'" + c.replace("'", "''") + "'" for c in sorted(coverage_codes)) or "''"
    items = []
    if f["coverage"].exists():
        tasks = (f"(SELECT task_id, path, char_start, char_end FROM read_parquet({quote(f['tasks'])}))"
                 if f["tasks"].exists() else
                 "(SELECT NULL::VARCHAR task_id, NULL::VARCHAR path, NULL::BIGINT char_start, "
                 "NULL::BIGINT char_end LIMIT 0)")
        items.append(f"""
        cov AS (SELECT file_row_number AS rn, child_doc_id AS doc_id, status, mandate_group, mandate_text,
                       child_task_ids
                FROM read_parquet({quote(f['coverage'])}, file_row_number=true)
                WHERE status IN ('missing', 'partial')),
        ct AS (SELECT rn, unnest(child_task_ids) AS task_id, generate_subscripts(child_task_ids, 1) AS pos
               FROM cov),
        kept AS (SELECT ct.rn, ct.pos, t.path, t.char_start, t.char_end,
                        row_number() OVER (PARTITION BY ct.rn ORDER BY ct.pos) AS k
                 FROM ct JOIN {tasks} t USING (task_id)),
        kagg AS (SELECT rn, string_agg(coalesce(CAST(path AS VARCHAR), 'None'), ', ' ORDER BY pos)
                            FILTER (WHERE k <= 3) AS path,
                        max(char_start) FILTER (WHERE k = 1) AS a, max(char_end) FILTER (WHERE k = 1) AS b
                 FROM kept GROUP BY rn),
        cov_items AS (
            SELECT cov.doc_id, CASE cov.status {rank} END AS rank, 0 AS src, cov.rn,
                   cov.status AS kind, '' AS code, coalesce(cov.mandate_group, '') AS grp,
                   cov.mandate_text AS content, coalesce(kagg.path, '') AS path, kagg.a, kagg.b
            FROM cov LEFT JOIN kagg USING (rn))""")
    if f["flags"].exists():
        items.append(f"""
        flag_items AS (
            SELECT doc_id, coalesce(CASE severity {rank} END, 4) AS rank, 1 AS src, file_row_number AS rn,
                   CASE WHEN severity IN ('error', 'warning', 'info') THEN severity ELSE 'info' END AS kind,
                   code, '' AS grp, message AS content, coalesce(path, '') AS path,
                   char_start AS a, char_end AS b
            FROM read_parquet({quote(f['flags'])}, file_row_number=true)
            WHERE code NOT IN ({codes}))""")
    if not items:
        return None
    union = " UNION ALL ".join(f"SELECT * FROM {n}" for n, ok in
                               (("cov_items", f["coverage"].exists()), ("flag_items", f["flags"].exists()))
                               if ok)
    return f"""
    WITH {','.join(items)},
    it AS ({union}),
    last AS (SELECT doc_id, max(file_row_number) AS r FROM read_parquet({quote(f['documents'])},
             file_row_number=true) GROUP BY doc_id),
    doc AS (SELECT d.doc_id, d.source_path
            FROM read_parquet({quote(f['documents'])}, file_row_number=true) d
            JOIN last ON last.doc_id = d.doc_id AND last.r = d.file_row_number),
    ev AS (SELECT it.*, it.a IS NOT NULL AND it.b IS NOT NULL AND it.b > it.a AS quoted
           FROM it)
    SELECT regexp_extract(coalesce(pd.sp, ''), '([^/]*)/*$', 1) AS name,
           p.locality, p.issuer, p.issuer_level, p.province, p.doc_ref, p.issue_date,
           ev.kind, ev.code, ev.grp, ev.content, ev.path, ev.quoted, ev.a, ev.b, p.doc_id
    FROM read_parquet({quote(f['plans'])}, file_row_number=true) p
    JOIN ev USING (doc_id)
    LEFT JOIN (SELECT doc_id, source_path AS sp FROM doc) pd USING (doc_id)
    ORDER BY name, p.doc_id, p.file_row_number, ev.rank, ev.src, ev.rn"""


def gap_batches(out_dir: Path, coverage_codes, *, memory_mb: int = DUCKDB_MEMORY_MB) -> Iterator[list[list]]:
    """The gaps sheet's rows (exports.GAP_COLUMNS), BATCH at a time."""
    out = Path(out_dir)
    sql = _sql(out, coverage_codes)
    if sql is None:
        return
    con = capped_connection(out / ".gaps.tmp", memory_mb=memory_mb)
    texts = con.cursor()  # a second result open beside the streamed one
    try:
        cur = con.execute(sql)
        while rows := cur.fetchmany(BATCH):
            text = _texts(texts, out / "documents.parquet", {r[-1] for r in rows if r[-4]})
            out_rows = []
            for *head, quoted, a, b, did in rows:
                name, loc, iss, lvl, prov, ref, date, kind, code, grp, content, path = head
                raw = text.get(did, "")[a:b] if quoted else None
                out_rows.append([name, loc or iss or "", LEVEL_VI.get(lvl, lvl or ""), prov or "", ref or "",
                                 date, KIND_VI[kind], code or "", grp, content, path,
                                 snippet(raw, 0, len(raw or ""), SNIPPET), "", did])
            yield out_rows
    finally:
        texts.close()
        con.close()


def _texts(con, documents: Path, ids: set[str]) -> dict[str, str]:
    """clean_text of IDS (of each one's last documents row, as the sheet names its file)."""
    if not ids:
        return {}
    con.register("quoted_ids", pa.table({"id": pa.array(sorted(ids), pa.string())}))
    rows = con.execute("SELECT doc_id, clean_text FROM "
                       f"read_parquet({quote(documents)}, file_row_number=true) "
                       "WHERE doc_id IN (SELECT id FROM quoted_ids) "
                       "QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY file_row_number DESC) = 1"
                       ).fetchall()
    con.unregister("quoted_ids")
    return {d: t or "" for d, t in rows}
