"""The store a batch accumulates into: part files, commit records, consolidated tables.

    OUT/.kehoach.lock                       held by the one run that may write the store
    OUT/parts/<table>/part-NNNNNN.parquet   per-document rows, one file per committed chunk
    OUT/parts/commits/part-NNNNNN.json      the commit record of chunk NNNNNN
    OUT/<table>.parquet                     the consolidated tables of the contract

A chunk is committed by writing its part files (temp file, then rename) and then its commit
record, last: a chunk without its record did not happen, and its part files are deleted by
the next run. The record lists, for every path of the chunk, its doc_id, status, its place
in its run's input order and how its row came about:

    parsed  a worker read the file; the rows of every table are in the chunk's parts
    made    the batch wrote the row without parsing (FIFO, too large, unsupported, empty)
    dup     same bytes as a file parsed before by this build: no rows of its own

Identical bytes share a doc_id and are parsed once. At consolidation every path's latest
entry gives one `documents` row, in input order (runs in the order they ran, then the
order of the input): a parsed or dup path gets the documents row of the latest parse of
its doc_id under its own source_path; the first path of a doc_id in that order has
`duplicate_of` null and the others name it; the other tables hold the rows of the latest
parse of each doc_id once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .ingest import source_format
from .schema import PIPELINE_VERSION, TABLES, arrow_schema
from .write import Rows, chunk_tables, column_rows, to_table

# Tables the per-document stages fill are keyed by doc_id; plan_links and coverage come
# from the cross-document stages after consolidation.
DOC_KEY = {name: ("child_doc_id" if "child_doc_id" in cols else "doc_id")
           for name, cols in TABLES.items()}
LOCK_NAME = ".kehoach.lock"
# Consolidated tables are written in bounded row groups: readers (DuckDB in the
# cross-document stages) hold one row group's column chunk at a time.
ROW_GROUP = {"documents": 1000}
ROW_GROUP_DEFAULT = 20_000
PART_CACHE = 4  # parts kept open while runs interleave (workers finish out of order)
CONSOLIDATED = "parts/consolidated.json"  # what each OUT/<table>.parquet was made from
# Part files are read back whole, by this module only: no dictionary pages and no statistics
# (no reader filters on them). Same size with snappy; writing and reading cost ~20 % less.
PART_OPTIONS = {"use_dictionary": False, "write_statistics": False}


class StoreError(RuntimeError):
    """The output folder cannot be used (one line, for the command line)."""


@dataclass(frozen=True)
class Done:
    """One path's result, ready to commit."""

    seq: int  # position in this run's input
    source_path: str
    doc_id: str
    kind: str  # parsed, made, dup
    status: str
    rows: Rows | None = None  # parsed and made: the rows of every table it fills, columnar
    peak_rss_kb: int = 0


@dataclass(frozen=True)
class _PathEntry:
    part: int
    doc_id: str
    fp: str
    status: str
    run: int
    seq: int
    kind: str


def open_out_dir(out_dir: Path) -> Path:
    """Create OUT_DIR if needed and check that files can be written there."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"--out {out_dir} is a file, not a folder") from None
    except NotADirectoryError:
        raise StoreError(f"--out {out_dir} is below a file, not a folder") from None
    except OSError as exc:
        raise StoreError(f"cannot create --out {out_dir}: {exc.strerror or exc}") from None
    if not out_dir.is_dir():
        raise StoreError(f"--out {out_dir} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".kehoach-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StoreError(f"cannot write to --out {out_dir}: {exc.strerror or exc}") from None
    return out_dir


class Store:
    """The part files and commit records under OUT/parts (see the module docstring)."""

    def __init__(self, out_dir: Path, *, fresh: bool = False) -> None:
        self.out_dir = open_out_dir(Path(out_dir))
        self.parts = self.out_dir / "parts"
        # The lock lives beside parts/, not in it, and is taken before anything is touched:
        # --fresh empties parts/ only once this run is the store's one writer.
        self._lock = open(self.out_dir / LOCK_NAME, "a")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise StoreError(f"another kehoach run is writing to {self.out_dir}; "
                             "wait for it to finish, or use another --out") from None
        try:
            if fresh and self.parts.exists():
                shutil.rmtree(self.parts)
            (self.parts / "commits").mkdir(parents=True, exist_ok=True)
            self.commits = self._load_commits()
            self._drop_uncommitted()
        except OSError as exc:
            self._lock.close()
            raise StoreError(f"cannot use the store in {self.out_dir}: {exc.strerror or exc}") from None
        self.next_part = max(self.commits, default=0) + 1
        self.run_id = self.next_part  # orders this run's paths after those of earlier runs
        self.paths: dict[str, _PathEntry] = {}  # source_path -> its latest entry
        self.parses: dict[str, tuple[int, str, str, str]] = {}  # doc_id -> part, path, fp, status
        for part in sorted(self.commits):
            self._replay(part, self.commits[part])

    def _replay(self, part: int, rec: dict) -> None:
        fp, run = rec["fingerprint"], rec.get("run", part)
        for i, doc in enumerate(rec["docs"]):
            doc_id, source_path, status = doc[:3]
            seq, kind = (doc[3], doc[4]) if len(doc) >= 5 else (i, "parsed")  # older records
            self.paths[source_path] = _PathEntry(part, doc_id, fp, status, run, seq, kind)
            if kind == "parsed":
                self.parses[doc_id] = (part, source_path, fp, status)

    def _load_commits(self) -> dict[int, dict]:
        commits = {}
        for f in (self.parts / "commits").glob("part-*.json"):
            try:
                commits[int(f.stem.split("-")[1])] = json.loads(f.read_text(encoding="utf-8"))
            except (ValueError, IndexError, json.JSONDecodeError):
                f.unlink()  # a record is written atomically; anything else is debris
        return commits

    def _drop_uncommitted(self) -> None:
        """Part files of a chunk whose commit record was never written (a killed run)."""
        for d in self.parts.iterdir():
            if not d.is_dir():
                continue
            for f in d.iterdir():
                if f.name.startswith("."):  # a temp file of an interrupted write
                    f.unlink()
                elif d.name != "commits" and f.suffix == ".parquet":
                    try:
                        n = int(f.stem.split("-")[1])
                    except (ValueError, IndexError):
                        continue
                    if n not in self.commits:
                        f.unlink()

    def is_current(self, source_path: str, doc_id: str, fp: str) -> bool:
        """Is this path's latest entry these bytes, done by this build?"""
        e = self.paths.get(source_path)
        if e is None or e.doc_id != doc_id or e.fp != fp:
            return False
        return e.kind == "made" or self.parsed_status(doc_id, fp) is not None

    def parsed_status(self, doc_id: str, fp: str) -> str | None:
        """The status of the latest parse of DOC_ID if this build made it, else None."""
        p = self.parses.get(doc_id)
        return p[3] if p is not None and p[2] == fp else None

    def commit(self, done: list[Done], fp: str, unwritable) -> list[Done]:
        """Write a chunk; returns it as committed (rows that break the contract as errors).

        UNWRITABLE(done, what) gives the error Done of a document whose rows do not fit.
        """
        part = self.next_part
        name = f"part-{part:06d}"
        with_rows = [d for d in done if d.rows is not None]
        arrow = _to_arrow(with_rows)
        if arrow is None:
            # Some document's rows break the contract's types (a stage bug): that document
            # becomes an error row rather than the batch failing. Found one by one, rarely.
            done = [d if d.rows is None or _to_arrow([d]) is not None else unwritable(d, _what(d))
                    for d in done]
            arrow = _to_arrow([d for d in done if d.rows is not None]) or {}
        written = []
        for table, t in arrow.items():
            path = self.parts / table / f"{name}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            pq.write_table(t, tmp, **PART_OPTIONS)
            os.replace(tmp, path)
            written.append(table)
        docs = [[d.doc_id, d.source_path, d.status, d.seq, d.kind] for d in done]
        record = {"part": part, "fingerprint": fp, "run": self.run_id,
                  "pipeline_version": PIPELINE_VERSION,
                  "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "tables": written, "docs": docs}
        path = self.parts / "commits" / f"{name}.json"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # the commit point
        self.commits[part] = record
        self._replay(part, record)
        self.next_part += 1
        return done

    # --- consolidation -----------------------------------------------------------------

    def _live(self) -> list[tuple[str, _PathEntry]]:
        """Every path's latest entry in output order; dups whose parse is gone left out."""
        live = sorted(self.paths.items(), key=lambda kv: (kv[1].run, kv[1].seq, kv[0]))
        return [(sp, e) for sp, e in live if e.kind == "made" or e.doc_id in self.parses]

    def consolidate(self) -> dict[str, int]:
        """OUT/<table>.parquet from the parts; returns row counts.

        Streamed: a first pass reads only the key columns of the parts and sorts a small
        index (output rank, part, row); the second writes the rows part by part into row
        groups, so no table is ever held whole. A table whose index, parts and output file
        are those of the last consolidation is not written again.
        """
        live = self._live()
        done = _read_json(self.out_dir / CONSOLIDATED)
        counts = {"documents": self._write_documents(live, done)}
        rank: dict[str, int] = {}
        for i, (_sp, e) in enumerate(live):
            if e.kind != "made":
                rank.setdefault(e.doc_id, i)
        by_part: dict[int, set[str]] = {}
        for doc_id in rank:
            by_part.setdefault(self.parses[doc_id][0], set()).add(doc_id)
        for table in TABLES:
            if table == "documents":
                continue
            sig = _signature(table, [(p, sorted(by_part[p], key=rank.__getitem__))
                                     for p in sorted(by_part) if self._has_part(table, p)])
            if self._unchanged(table, sig, done):
                counts[table] = done[table]["rows"]
                continue
            order = self._part_order(table, by_part, rank)
            if order is not None:
                # the usual store: each part's rows are one stretch of the output, in the part's
                # order, so the parts are written whole one after the other (no index of the table)
                runs = ((part, rows if isinstance(rows, np.ndarray) else np.arange(rows, dtype=np.int32))
                        for part, rows in order)
                counts[table] = self._write_runs(table, runs)
            else:
                ranks, parts, rows = [], [], []
                for part in sorted(by_part):
                    kept = self._kept_rows(table, part, by_part[part], rank)
                    if kept is None:
                        continue
                    ranks.append(kept[0])
                    parts.append(np.full(len(kept[1]), part, np.int32))
                    rows.append(kept[1])
                # documents in output order, each keeping the order of its rows
                counts[table] = self._emit(table, ranks, parts, rows)
            self._mark(table, sig, counts[table], done)
        return counts

    def _kept_rows(self, table: str, part: int, ids_here: set[str],
                   rank: dict[str, int]) -> tuple[np.ndarray, np.ndarray] | None:
        """(output rank, row) of the rows of PART's file of TABLE that belong to a live parse."""
        keys = self._read_keys(table, part, [DOC_KEY[table]])
        if keys is None:
            return None
        ids = keys.column(0).to_numpy(zero_copy_only=False)
        # int32 index: 10⁵ plans make ~8M rows in sections; three int64 columns were 190 MB
        r = np.fromiter((rank.get(d, -1) if d in ids_here else -1 for d in ids), np.int32, len(ids))
        keep = np.nonzero(r >= 0)[0].astype(np.int32)
        return r[keep], keep

    def _part_order(self, table: str, by_part: dict[int, set[str]],
                    rank: dict[str, int]) -> list[tuple[int, np.ndarray | int]] | None:
        """[(part, its live rows: their indexes, or how many when all are)] in output order when
        each part's live rows of TABLE are in output order and the parts' stretches do not
        overlap (chunks of a run hold consecutive files, but finish in any order); else None.
        One part's keys in memory at a time (and the rows kept of parts that drop some)."""
        spans = []
        for part in sorted(by_part):
            kept = self._kept_rows(table, part, by_part[part], rank)
            if kept is None or not len(kept[0]):
                continue
            r, rows = kept
            if len(r) > 1 and bool((np.diff(r) < 0).any()):
                return None
            whole = rows[-1] == len(rows) - 1  # rows rise: the kept are the first len(rows) exactly then
            spans.append((int(r[0]), int(r[-1]), part, len(rows) if whole else rows))
        spans.sort(key=lambda s: s[0])
        if any(b[0] <= a[1] for a, b in zip(spans, spans[1:], strict=False)):
            return None
        return [(part, rows) for _, _, part, rows in spans]

    def _has_part(self, table: str, part: int) -> bool:
        return (self.parts / table / f"part-{part:06d}.parquet").exists()

    def _write_documents(self, live: list[tuple[str, _PathEntry]], done: dict) -> int:
        wanted: dict[int, list[tuple[str, str, int]]] = {}  # part -> (path in part, doc_id, out i)
        for i, (sp, e) in enumerate(live):
            part, src = (e.part, sp) if e.kind == "made" else self.parses[e.doc_id][:2]
            wanted.setdefault(part, []).append((src, e.doc_id, i))
        sig = _signature("documents", [(p, [list(w) for w in wanted[p]]) for p in sorted(wanted)]
                         + [[sp, e.kind] for sp, e in live])
        if self._unchanged("documents", sig, done):
            return done["documents"]["rows"]
        outs, parts, rows = [], [], []
        for part in sorted(wanted):
            t = self._read_keys("documents", part, ["source_path", "doc_id"])
            if t is None:
                continue
            where = {k: j for j, k in enumerate(zip(t.column("source_path").to_pylist(),
                                                   t.column("doc_id").to_pylist(), strict=True))}
            take = [(where[(src, d)], i) for src, d, i in wanted[part] if (src, d) in where]
            outs.append(np.array([i for _, i in take], np.int64))
            parts.append(np.full(len(take), part, np.int64))
            rows.append(np.array([j for j, _ in take], np.int64))
        order = np.sort(np.concatenate(outs)) if outs else np.zeros(0, np.int64)
        paths = [live[i][0] for i in order]
        first: dict[str, str] = {}
        dup_of = []
        for i in order:
            sp, e = live[i]
            if e.kind == "made":
                dup_of.append(None)
                continue
            dup_of.append(first.get(e.doc_id))  # None for the first path of its doc_id
            first.setdefault(e.doc_id, sp)
        columns = {"source_path": paths, "source_format": [source_format(p) for p in paths],
                   "duplicate_of": dup_of}

        def fix(t: pa.Table, at: int) -> pa.Table:
            for name, values in columns.items():
                k = t.schema.get_field_index(name)
                t = t.set_column(k, t.schema.field(k),
                                 pa.array(values[at:at + t.num_rows], t.schema.field(k).type))
            return t

        n = self._emit("documents", outs, parts, rows, fix)
        self._mark("documents", sig, n, done)
        return n

    def _emit(self, table: str, ranks, parts, rows, fix=None) -> int:
        """Write TABLE's rows sorted by (rank, part, row), reading parts as runs need them."""
        r, p, j = (np.concatenate(a) if a else np.zeros(0, np.int32) for a in (ranks, parts, rows))
        order = np.lexsort((j, p, r))
        del r
        p, j = p[order], j[order]
        del order
        cuts = np.flatnonzero(np.diff(p)) + 1  # runs of consecutive rows from one part
        runs = ((int(run_p[0]), run_j)
                for run_p, run_j in zip(np.split(p, cuts), np.split(j, cuts), strict=True) if len(run_p))
        return self._write_runs(table, runs, fix)

    def _write_runs(self, table: str, runs, fix=None) -> int:
        """Write TABLE from RUNS, (part, rows of its file), in order, into bounded row groups."""
        path = self.out_dir / f"{table}.parquet"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        schema = arrow_schema(table)
        size = ROW_GROUP.get(table, ROW_GROUP_DEFAULT)
        cache: OrderedDict[int, pa.Table] = OrderedDict()
        buf: list[pa.Table] = []
        held = written = 0
        with pq.ParquetWriter(tmp, schema) as w:
            def flush():
                nonlocal buf, held, written
                if held:
                    t = pa.concat_tables(buf)
                    w.write_table(fix(t, written) if fix else t, row_group_size=size)
                    written += t.num_rows
                buf, held = [], 0
            for part, run_j in runs:
                if not len(run_j):
                    continue
                t = cache.pop(part, None)
                if t is None:
                    t = self._read_part(table, part)
                    while len(cache) >= PART_CACHE:
                        cache.popitem(last=False)
                cache[part] = t
                piece = t if len(run_j) == t.num_rows and (run_j == np.arange(t.num_rows)).all() \
                    else t.take(pa.array(run_j))
                buf.append(piece)
                held += piece.num_rows
                if held >= size:
                    flush()
            flush()
        os.replace(tmp, path)  # readers see the old table or the new, never half
        return written

    def _read_keys(self, table: str, part: int, columns: list[str]) -> pa.Table | None:
        f = self.parts / table / f"part-{part:06d}.parquet"
        return pq.read_table(f, columns=columns) if f.exists() else None

    def _unchanged(self, table: str, sig: str, done: dict) -> bool:
        """Same index as last time and OUT/<table>.parquet untouched since we wrote it."""
        d = done.get(table)
        f = self.out_dir / f"{table}.parquet"
        if not d or d.get("sig") != sig or not f.exists():
            return False
        st = f.stat()
        return d.get("stamp") == [st.st_size, st.st_mtime_ns]

    def _mark(self, table: str, sig: str, rows: int, done: dict) -> None:
        st = (self.out_dir / f"{table}.parquet").stat()
        done[table] = {"sig": sig, "rows": rows, "stamp": [st.st_size, st.st_mtime_ns]}
        path = self.out_dir / CONSOLIDATED
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(done), encoding="utf-8")
        os.replace(tmp, path)

    def _read_part(self, table: str, part: int) -> pa.Table | None:
        """A part file conformed to the current schema (columns added since are null)."""
        f = self.parts / table / f"part-{part:06d}.parquet"
        if not f.exists():
            return None
        t = pq.read_table(f)
        schema = arrow_schema(table)
        cols = [t.column(fld.name).cast(fld.type) if fld.name in t.column_names
                else pa.nulls(t.num_rows, fld.type) for fld in schema]
        return pa.Table.from_arrays(cols, schema=schema)

    def close(self) -> None:
        self._lock.close()


def _signature(table: str, index) -> str:
    """What a consolidated table was made from: its index, the schema and the build."""
    blob = json.dumps([table, PIPELINE_VERSION, str(arrow_schema(table)), index])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _to_arrow(done: list[Done]) -> dict[str, pa.Table] | None:
    """The chunk's rows as Arrow tables of the contract (None if some row does not fit)."""
    try:
        tables = chunk_tables(d.rows for d in done if d.rows)
        for t in tables.values():
            _check_nulls(t)
        return tables
    except (ValueError, TypeError, pa.ArrowException):
        return None


def _check_nulls(t: pa.Table) -> None:
    """The non-null columns checked now (Parquet would refuse them later)."""
    for f in t.schema:
        if not f.nullable and t.column(f.name).null_count:
            raise ValueError(f"column {f.name!r} is declared non-nullable but contains nulls")


def _what(d: Done) -> str:
    """What breaks the contract in D's rows, as the dicts of `rows_of` show it."""
    for table, cols in (d.rows or {}).items():
        try:
            _check_nulls(to_table(table, column_rows(cols)))
        except (ValueError, TypeError, pa.ArrowException) as exc:
            return f"{table}: {str(exc).splitlines()[0]}"
    return "unknown"
