"""Reading the store out of core for the cross-document stages, and writing tables in pieces.

The store's tables can outgrow memory (10⁵ plans; `documents.clean_text` alone is tens of
GB), so the cross-document stages never load a table whole: DuckDB scans the Parquet files
and hands back only the columns asked for, of only the documents asked for, in file order.

    reader = StoreReader(out_dir)
    rows = reader.rows("tasks", ["d1", "d2"])            # {doc_id: [row, ...]}
    reader.scalar_list("SELECT doc_id FROM {plans}")     # any query over the store's tables
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from .crossdoc_stage import StagedTable

__all__ = ["StoreReader", "source", "write_batches", "quote", "plan_count", "capped_connection",
           "DUCKDB_MEMORY_MB", "STREAM_ROWS", "release_memory"]

# DuckDB's memory cap in every process that queries the store: sorts, joins and group-bys spill
# to disk beyond it, so a process's peak does not grow with the store (at 10^4 plans, 512 MB and
# 128 MB took the same time; 256 keeps room for the larger group-bys)
DUCKDB_MEMORY_MB = 256
# rows a streamed result hands over at a time: 50,000 held 140 MB more at 10^5 plans than at
# 10^4 while coverage (~0.6 KB a row) was copied out (DuckDB reads ahead of such batches)
STREAM_ROWS = 8192


def release_memory() -> None:
    """Hand memory freed by Arrow and by malloc back to the system after a step that used much:
    both keep it for later use, so a process's size only ever grew, step after step."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:  # glibc's; elsewhere there is nothing to call
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def source(out_dir: Path, table: str) -> Path:
    """Where a consolidated contract table of the store is (one Parquet file per table)."""
    return Path(out_dir) / f"{table}.parquet"


def plan_count(out_dir: Path) -> int:
    """Plans in the store, from the Parquet footer (no row read)."""
    f = source(out_dir, "plans")
    return pq.ParquetFile(f).metadata.num_rows if f.exists() else 0


def quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def capped_connection(spill_dir: Path, *, memory_mb: int = DUCKDB_MEMORY_MB, threads: int = 1,
                      **config) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection on THREADS threads under MEMORY_MB, spilling what does not
    fit to SPILL_DIR, without a progress bar: how every reader of the store queries it."""
    con = duckdb.connect(config={"threads": threads, "memory_limit": f"{memory_mb}MB",
                                 "temp_directory": str(spill_dir), **config})
    con.execute("SET enable_progress_bar = false")
    return con


class StoreReader:
    """One DuckDB connection over OUT_DIR's Parquet tables (and any Parquet file named)."""

    def __init__(self, out_dir: Path, *, threads: int = 1, memory_mb: int = DUCKDB_MEMORY_MB,
                 spill_dir: Path | None = None) -> None:
        self.out_dir = Path(out_dir)
        # what does not fit in MEMORY_MB spills to SPILL_DIR, by default OUT/.crossdoc.tmp (a
        # second reader of the same store at once needs its own)
        self.spill_dir = Path(spill_dir) if spill_dir is not None else self.out_dir / ".crossdoc.tmp"
        self.con = capped_connection(self.spill_dir, memory_mb=memory_mb, threads=threads,
                                     preserve_insertion_order=False)  # rows carry their order
        self._n = 0
        self._cols: dict[str, set[str]] = {}
        self.staged: dict[str, StagedTable] = {}
        self.part: int | None = None
        self._stage_dir: Path | None = None

    def close(self) -> None:
        self.unstage()
        self.con.close()
        shutil.rmtree(self.spill_dir, ignore_errors=True)  # DuckDB's spill, if any

    def has(self, table: str) -> bool:
        return source(self.out_dir, table).exists()

    def columns(self, table: str) -> set[str]:
        if table not in self._cols:
            path = source(self.out_dir, table)
            self._cols[table] = set(pq.read_schema(path).names) if path.exists() else set()
        return self._cols[table]

    def scan(self, table: str) -> str:
        """The FROM clause of a table of the store, with each row's place in its file."""
        return f"read_parquet({quote(source(self.out_dir, table))}, file_row_number=true)"

    def register(self, values: Iterable[str], name: str | None = None) -> str:
        """A one-column table `id` of VALUES, for joins; returns its name."""
        self._n += 1
        name = name or f"ids_{self._n}"
        self.con.register(name, pa.table({"id": pa.array(sorted(set(values)), pa.string())}))
        return name

    def arrow(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def stream(self, sql: str, batch: int = STREAM_ROWS) -> Iterator[pa.RecordBatch]:
        """The batches of SQL's result, the query run only when the first one is asked for (one
        result is open on a connection at a time: streams are read one after the other)."""
        yield from self.con.sql(sql).to_arrow_reader(batch)

    def scalar_list(self, sql: str) -> list:
        return [r[0] for r in self.con.execute(sql).fetchall()]

    # --- staging: many chunks' rows in one scan per table ---------------------------------

    def stage(self, parts: Sequence[tuple[str, int]], tables: dict[str, Sequence[str] | None],
              extra: dict[str, tuple[str, str, Sequence[str]]] | None = None) -> None:
        """Copy the rows of each (doc_id, part) of TABLES (only the columns named; None: all)
        into files sorted by part, scanning each table once (crossdoc_stage); `rows` then reads
        the part set by `use_part`, with the rows of part -1, which every part reads. Without
        it, a run over many chunks would scan every table once per chunk (quadratic in the store
        when everything is recomputed). EXTRA: other sources staged the same way, name ->
        (FROM clause with file_row_number, key column, columns)."""
        self.unstage()
        self._n += 1
        base = self.out_dir / ".crossdoc.tmp" / f"stage-{os.getpid()}-{self._n}"
        base.mkdir(parents=True, exist_ok=True)
        self.con.register("stage_parts", pa.table({"id": pa.array([d for d, _ in parts], pa.string()),
                                                   "part": pa.array([k for _, k in parts], pa.int32())}))
        sources = {}
        for table, columns in tables.items():
            if self.has(table):
                present = self.columns(table)
                sources[table] = (self.scan(table), "doc_id",
                                  [c for c in (columns or sorted(present)) if c in present])
        sources.update(extra or {})
        from .crossdoc_stage import stage_table  # it reads with this module's helpers

        for name, (src, key, cols) in sources.items():
            sel = ", ".join(f't."{c}"' for c in dict.fromkeys([key, *cols]))
            joined = (f"(SELECT {sel}, t.file_row_number AS frn, s.part FROM {src} t "
                      f'JOIN stage_parts s ON t."{key}" = s.id)')
            try:
                self.staged[name] = stage_table(self.con, joined, base / name, [key, *cols])
            except duckdb.OutOfMemoryException:  # read chunk by chunk from the store instead: slower
                if name not in tables:
                    raise
            release_memory()  # each table's transient, before the next one's
        self.con.unregister("stage_parts")
        self._stage_dir = base

    def stage_query(self, name: str, joined: str, columns: Sequence[str]) -> None:
        """Stage the rows of JOINED (a FROM clause whose rows carry `part` and `frn`, the order
        within a part) as NAME beside what `stage` staged; `part_rows(NAME)` reads a part's."""
        if self._stage_dir is None:
            raise RuntimeError("stage_query needs a stage (StoreReader.stage) to add to")
        from .crossdoc_stage import stage_table

        self.staged[name] = stage_table(self.con, joined, self._stage_dir / name, list(columns))
        release_memory()

    def part_rows(self, name: str, columns: Sequence[str]) -> list[dict]:
        """Every row of the part `use_part` set in the staged NAME (only COLUMNS), in order."""
        src, order = self._source(name)
        if src is None or self.part is None or name not in self.staged:
            return []
        sel = ", ".join(f't."{c}"' for c in columns)
        return self.arrow(f"SELECT {sel} FROM {src} t ORDER BY t.{order}").to_pylist()

    def use_part(self, part: int | None) -> None:
        self.part = part

    def attach(self, staged: dict[str, StagedTable], part: int) -> None:
        """Read part PART of files another reader of this store staged (its `staged`): a process
        on the same disk reads its own chunk. They stay the staging reader's to remove."""
        self.unstage()
        self.staged, self.part = dict(staged), part

    def unstage(self) -> None:
        if self._stage_dir is not None:
            shutil.rmtree(self._stage_dir, ignore_errors=True)
        self.staged, self.part, self._stage_dir = {}, None, None

    def _source(self, table: str) -> tuple[str | None, str]:
        """(FROM clause, order column) of TABLE's rows: the staged part's when there is one."""
        if self.part is not None and table in self.staged:
            # one equality per file: each is pruned to the part's row groups by their statistics
            parts = [f"SELECT * FROM read_parquet({quote(f)}) WHERE part = {int(p)}"
                     for f, p in self.staged[table].sources(self.part)]
            return (f"({' UNION ALL '.join(parts)})" if parts else None), "frn"
        return self.scan(table), "file_row_number"

    def rows(self, table: str, doc_ids: Iterable[str], columns: Sequence[str] | None = None, *,
             key: str = "doc_id", where: str = "") -> dict[str, list[dict]]:
        """The rows of DOC_IDS in TABLE (only COLUMNS), grouped by document, in file order."""
        ids = set(doc_ids)
        staged = self.part is not None and table in self.staged
        if not ids or not (staged or self.has(table)):
            return {}
        present = self.staged[table].columns if staged else self.columns(table)
        cols = [c for c in (columns or sorted(present)) if c in present]
        if key not in cols:
            cols = [key, *cols]
        src, order = self._source(table)
        if src is None:
            return {}
        name = self.register(ids)
        sel = ", ".join(f't."{c}"' for c in cols)
        cond = f" AND ({where})" if where else ""
        t = self.arrow(f'SELECT {sel} FROM {src} t WHERE t."{key}" IN (SELECT id FROM {name})'
                       f"{cond} ORDER BY t.{order}")
        self.con.unregister(name)
        out: dict[str, list[dict]] = defaultdict(list)
        for r in t.to_pylist():
            out[r[key]].append(r)
        # a column added to the contract after this store was written reads as null
        missing = [c for c in (columns or ()) if c not in present]
        if missing:
            for rs in out.values():
                for r in rs:
                    for c in missing:
                        r.setdefault(c, None)
        return dict(out)


def write_batches(path: Path, schema: pa.Schema, pieces: Iterable[pa.Table | pa.RecordBatch]) -> int:
    """Write PIECES (tables or batches of SCHEMA's columns) to PATH atomically; returns rows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    n = 0
    with pq.ParquetWriter(tmp, schema) as w:
        for p in pieces:
            if p.num_rows:
                t = pa.Table.from_batches([p]) if isinstance(p, pa.RecordBatch) else p
                w.write_table(t.select(schema.names).cast(schema))
                n += p.num_rows
    os.replace(tmp, path)
    return n
