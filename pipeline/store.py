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
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .ingest import source_format
from .schema import PIPELINE_VERSION, TABLES, arrow_schema
from .write import to_table

# Tables the per-document stages fill are keyed by doc_id; plan_links and coverage come
# from the cross-document stages after consolidation.
DOC_KEY = {name: ("child_doc_id" if "child_doc_id" in cols else "doc_id")
           for name, cols in TABLES.items()}
LOCK_NAME = ".kehoach.lock"
# Rows per row group of a consolidated table: small for documents (clean_text is most of the
# store's bytes), larger for the narrow tables. Readers hold one row group's column at a time.
ROW_GROUP_ROWS = {"documents": 512, None: 32_768}
PARTS_HELD = 8  # part files kept open while copying rows into output order


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
    rows: dict[str, list[dict]] | None = None  # parsed and made: the rows of every table
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
            pq.write_table(t, tmp)
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

        Streamed: an index of where each document's rows are (part, offset, length) is sorted
        into output order, then the rows are copied a few parts at a time into row groups of
        bounded size, so memory does not grow with the store (readers such as DuckDB hold one
        row group's column at a time)."""
        live = self._live()
        counts = {"documents": self._write_documents(live)}
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
            runs = []  # (output rank, part, offset, length): one run of a document's rows
            for part in sorted(by_part):
                f = self.parts / table / f"part-{part:06d}.parquet"
                if not f.exists():
                    continue
                keys = pq.read_table(f, columns=[DOC_KEY[table]]).column(0).to_pylist()
                start = 0
                for i in range(1, len(keys) + 1):
                    if i == len(keys) or keys[i] != keys[start]:
                        if keys[start] in by_part[part]:
                            runs.append((rank[keys[start]], part, start, i - start))
                        start = i
            runs.sort()  # documents in output order, each keeping the order of its rows
            counts[table] = self._stream(table, [(part, off, n) for _r, part, off, n in runs])
        return counts

    def _write_documents(self, live: list[tuple[str, _PathEntry]]) -> int:
        wanted: dict[int, list[tuple[str, str, int]]] = {}  # part -> (path in part, doc_id, out i)
        for i, (sp, e) in enumerate(live):
            part, src = (e.part, sp) if e.kind == "made" else self.parses[e.doc_id][:2]
            wanted.setdefault(part, []).append((src, e.doc_id, i))
        picks = []  # (output i, part, row in part)
        for part in sorted(wanted):
            f = self.parts / "documents" / f"part-{part:06d}.parquet"
            if not f.exists():
                continue
            keys = pq.read_table(f, columns=["source_path", "doc_id"])
            where = {k: j for j, k in enumerate(zip(keys.column("source_path").to_pylist(),
                                                   keys.column("doc_id").to_pylist(), strict=True))}
            picks.extend((i, part, where[(src, d)]) for src, d, i in wanted[part] if (src, d) in where)
        picks.sort()
        paths = [live[i][0] for i, _p, _j in picks]
        first: dict[str, str] = {}
        dup_of = []
        for i, _p, _j in picks:
            sp, e = live[i]
            if e.kind == "made":
                dup_of.append(None)
                continue
            dup_of.append(first.get(e.doc_id))  # None for the first path of its doc_id
            first.setdefault(e.doc_id, sp)
        columns = {"source_path": paths, "source_format": [source_format(p) for p in paths],
                   "duplicate_of": dup_of}

        def fix(t: pa.Table, at: int) -> pa.Table:
            """The path columns of the output rows AT.. (a path's own name, not its parse's)."""
            for name, values in columns.items():
                k = t.schema.get_field_index(name)
                field = t.schema.field(k)
                t = t.set_column(k, field, pa.array(values[at:at + t.num_rows], field.type))
            return t

        return self._stream("documents", [(part, j, 1) for _i, part, j in picks], fix=fix)

    def _stream(self, table: str, runs: list[tuple[int, int, int]], *, fix=None) -> int:
        """Write OUT/<table>.parquet from RUNS (part, offset, length) in that order."""
        size = ROW_GROUP_ROWS.get(table, ROW_GROUP_ROWS[None])
        path = self.out_dir / f"{table}.parquet"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        cache: dict[int, pa.Table] = {}  # the few parts being copied (runs come mostly in part order)
        buf: list[pa.Table] = []
        held = written = 0
        with pq.ParquetWriter(tmp, arrow_schema(table)) as writer:
            def flush() -> None:
                nonlocal held, written
                if buf:
                    t = pa.concat_tables(buf)
                    if fix is not None:
                        t = fix(t, written)
                    writer.write_table(t, row_group_size=size)
                    written += t.num_rows
                    buf.clear()
                    held = 0

            for part, off, n in _coalesced(runs):
                t = cache.get(part)
                if t is None:
                    if len(cache) >= PARTS_HELD:
                        cache.pop(next(iter(cache)))
                    t = cache[part] = self._read_part(table, part)
                buf.append(t.slice(off, n))
                held += n
                if held >= size:
                    flush()
            flush()
        os.replace(tmp, path)  # readers see the old table or the new, never half
        return written

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


def _coalesced(runs: list[tuple[int, int, int]]):
    """Adjacent runs of one part as one slice."""
    cur = None
    for part, off, n in runs:
        if cur is not None and cur[0] == part and cur[1] + cur[2] == off:
            cur = (part, cur[1], cur[2] + n)
            continue
        if cur is not None:
            yield cur
        cur = (part, off, n)
    if cur is not None:
        yield cur


def _to_arrow(done: list[Done]) -> dict[str, pa.Table] | None:
    """The chunk's rows as Arrow tables of the contract (None if some row does not fit)."""
    rows: dict[str, list[dict]] = {}
    for d in done:
        for table, table_rows in (d.rows or {}).items():
            rows.setdefault(table, []).extend(table_rows)
    try:
        return {table: _checked(table, r) for table, r in rows.items() if r}
    except (ValueError, TypeError, pa.ArrowException):
        return None


def _checked(table: str, rows: list[dict]) -> pa.Table:
    """to_table, plus the non-null columns checked now (Parquet would refuse them later)."""
    t = to_table(table, rows)
    for f in t.schema:
        if not f.nullable and t.column(f.name).null_count:
            raise ValueError(f"column {f.name!r} is declared non-nullable but contains nulls")
    return t


def _what(d: Done) -> str:
    for table, rows in (d.rows or {}).items():
        if rows:
            try:
                _checked(table, rows)
            except (ValueError, TypeError, pa.ArrowException) as exc:
                return f"{table}: {str(exc).splitlines()[0]}"
    return "unknown"
