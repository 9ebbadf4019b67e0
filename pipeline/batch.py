"""The batch runner: files and folders in, the contract's tables out.

It only composes the stages: the per-document stages for every file (on an executor: a local
process pool by default, or Dask), then the stages that look across documents (link,
compare, flags, report), which read the consolidated tables.

The output folder is a store that accumulates across runs, laid out as

    OUT/parts/<table>/part-NNNNNN.parquet   per-document rows, one file per committed chunk
    OUT/parts/commits/part-NNNNNN.json      the commit record of chunk NNNNNN
    OUT/<table>.parquet                     the consolidated tables of the contract

How a run goes:
- Each input file is hashed (doc_id). A file whose doc_id is already in the store, parsed
  by the same build (a fingerprint of the package's code and the rules), is not parsed again;
  a changed file at a known path replaces the old version of that path; a change of code or
  rules re-parses the files named in the run.
- The other files go to the executor, which returns each file's rows; they are taken in input
  order (whatever order the workers finish in) and collected into chunks of `chunk_size`
  documents (or fewer, every `COMMIT_SECONDS`).
- A chunk is committed by writing its part files (temp file, then rename) and then its commit
  record, last: a chunk without its record did not happen, and its part files are deleted by
  the next run. Memory holds one chunk, never the batch.
- Once every file is done, the parts are consolidated into OUT/<table>.parquet, streamed one
  part (one row group) at a time, keeping for each doc_id only the rows of its latest commit.
  Each file is replaced atomically, so readers see the old table or the new, never half.

So a run that is killed loses at most the chunk in progress: what was committed stays, and
the next run (same command) skips those files and does the rest. One run at a time may write
to a store (a lock file); `fresh=True` empties the store first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .crossdoc import finish
from .executors import DaskExecutor, InProcess, Job, LocalPool, Outcome, Task, failed_outcome, ordered
from .ingest import doc_id_of
from .rules import Rules
from .schema import PIPELINE_VERSION, TABLES, arrow_schema
from .write import to_table

DEFAULT_CHUNK = 50  # documents per committed chunk
COMMIT_SECONDS = 30.0  # commit a partial chunk after this long, so slow files lose little
DEFAULT_TIMEOUT = 300.0  # seconds per file

# Tables the per-document stages fill; the others (plan_links, coverage) come from the
# cross-document stages after consolidation.
DOC_KEY = {name: ("child_doc_id" if "child_doc_id" in cols else "doc_id")
           for name, cols in TABLES.items()}


@dataclass
class RunSummary:
    out_dir: Path
    n_files: int = 0
    by_status: dict[str, int] = field(default_factory=dict)  # files parsed in this run
    n_unchanged: int = 0  # already in the store, not parsed again
    n_duplicates: int = 0  # same bytes as another input of this run
    n_documents: int = 0  # documents in the store after the run
    n_plans: int = 0  # plans in the store after the run
    seconds: float = 0.0
    seconds_crossdoc: float = 0.0  # of which link, compare, flags and the report
    peak_worker_rss_mb: float = 0.0
    report: Path | None = None

    def lines(self) -> list[str]:
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items())) or "none parsed"
        extra = [f"{label} {n}" for label, n in (("unchanged", self.n_unchanged),
                                                 ("duplicate", self.n_duplicates)) if n]
        out = [f"files read: {self.n_files} ({', '.join([status, *extra])})",
               f"plans found: {self.n_plans} (documents in store: {self.n_documents})",
               f"tables: {self.out_dir}"]
        if self.report:
            out.append(f"report: {self.report}")
        return out


def find_inputs(inputs: Iterable[str | Path], *, exclude: Path | None = None) -> list[Path]:
    """Files named, and every file below folders named, in a stable order.

    Hidden files and anything inside EXCLUDE (the output folder, when it sits inside an
    input folder) are left out.
    """
    skip = exclude.resolve() if exclude is not None else None
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if skip is not None and skip in f.resolve().parents:
                    continue
                found.append(f)
        else:
            found.append(p)
    return found


def fingerprint(rules: Rules, task: Task | None = None) -> str:
    """What parsed a document: the package's code, the rules, and a custom task's name."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    pkg = Path(__file__).resolve().parent
    for base, pattern in ((pkg, "*.py"), (Path(rules.dir), "*")):
        for f in sorted(base.rglob(pattern)):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(base)).encode())
                h.update(f.read_bytes())
    if task is not None:
        h.update(f"{task.__module__}.{task.__qualname__}".encode())
    return h.hexdigest()[:16]


# --- the store ---------------------------------------------------------------------------


class Store:
    """The part files and commit records under OUT/parts (see the module docstring)."""

    def __init__(self, out_dir: Path, *, fresh: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.parts = self.out_dir / "parts"
        if fresh and self.parts.exists():
            shutil.rmtree(self.parts)
        (self.parts / "commits").mkdir(parents=True, exist_ok=True)
        self._lock = open(self.parts / ".lock", "w")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise RuntimeError(f"another kehoach run is writing to {self.out_dir}") from None
        self.commits = self._load_commits()
        self._drop_uncommitted()
        self.next_part = max(self.commits, default=0) + 1
        # doc_id -> (part, fingerprint, source_path) of its latest commit;
        # source_path -> (part, doc_id) of the latest version of that path
        self.by_doc: dict[str, tuple[int, str, str]] = {}
        self.by_path: dict[str, tuple[int, str]] = {}
        for part in sorted(self.commits):
            rec = self.commits[part]
            for doc_id, source_path, _status in rec["docs"]:
                self.by_doc[doc_id] = (part, rec["fingerprint"], source_path)
                self.by_path[source_path] = (part, doc_id)

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

    def is_current(self, doc_id: str, source_path: str, fp: str) -> bool:
        """Parsed before by this build, and still the latest version of its path?"""
        known = self.by_doc.get(doc_id)
        if known is None or known[1] != fp:
            return False
        latest = self.by_path.get(source_path)
        return latest is None or latest[1] == doc_id

    def commit(self, outcomes: list[Outcome], fp: str) -> list[Outcome]:
        """Write a chunk; returns its outcomes as committed (unwritable ones as errors)."""
        part = self.next_part
        name = f"part-{part:06d}"
        arrow = _to_arrow(outcomes)
        if arrow is None:
            # Some document's rows break the contract's types (a stage bug): that document
            # becomes an error row rather than the batch failing. Found one by one, rarely.
            outcomes = [o if _to_arrow([o]) is not None else _unwritable(o) for o in outcomes]
            arrow = _to_arrow(outcomes)
        written = []
        for table, t in arrow.items():
            path = self.parts / table / f"{name}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            pq.write_table(t, tmp)
            os.replace(tmp, path)
            written.append(table)
        docs = [[d["doc_id"], d["source_path"], d["status"]]
                for o in outcomes for d in o.rows["documents"]]
        record = {"part": part, "fingerprint": fp, "pipeline_version": PIPELINE_VERSION,
                  "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "tables": written, "docs": docs}
        path = self.parts / "commits" / f"{name}.json"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # the commit point
        self.commits[part] = record
        for doc_id, source_path, _status in docs:
            self.by_doc[doc_id] = (part, fp, source_path)
            self.by_path[source_path] = (part, doc_id)
        self.next_part += 1
        return outcomes

    def live(self) -> dict[int, set[str]]:
        """For each part, the doc_ids whose rows are to be kept from it."""
        keep: dict[int, set[str]] = {}
        for doc_id, (part, _fp, source_path) in self.by_doc.items():
            if self.by_path[source_path][1] != doc_id:
                continue  # a newer version of this path replaced it
            keep.setdefault(part, set()).add(doc_id)
        return keep

    def consolidate(self) -> dict[str, int]:
        """OUT/<table>.parquet from the parts, one part at a time; returns row counts."""
        keep = self.live()
        counts = {}
        for table in TABLES:
            schema = arrow_schema(table)
            path = self.out_dir / f"{table}.parquet"
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            n = 0
            with pq.ParquetWriter(tmp, schema) as writer:
                for part in sorted(keep):
                    f = self.parts / table / f"part-{part:06d}.parquet"
                    if not f.exists():
                        continue
                    t = pq.read_table(f, schema=schema)
                    ids = pa.array(sorted(keep[part]), pa.string())
                    t = t.filter(pc.is_in(t.column(DOC_KEY[table]), value_set=ids))
                    if t.num_rows:
                        writer.write_table(t)
                        n += t.num_rows
                if n == 0:
                    writer.write_table(schema.empty_table())
            os.replace(tmp, path)
            counts[table] = n
        return counts

    def close(self) -> None:
        self._lock.close()


def _to_arrow(outcomes: list[Outcome]) -> dict[str, pa.Table] | None:
    """The chunk's rows as Arrow tables of the contract (None if some row does not fit)."""
    rows: dict[str, list[dict]] = {}
    for outcome in outcomes:
        for table, table_rows in outcome.rows.items():
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


def _unwritable(outcome: Outcome) -> Outcome:
    doc = outcome.rows["documents"][0]
    what = next((f"{t}: {e}" for t, r in outcome.rows.items() if r for e in [_error_of(t, r)] if e),
                "unknown")
    job = Job(seq=outcome.seq, path=doc["source_path"], source_path=doc["source_path"],
              doc_id=doc["doc_id"])
    return failed_outcome(job, f"rows do not fit the contract ({what})"[:500], outcome.peak_rss_kb)


def _error_of(table: str, rows: list[dict]) -> str | None:
    try:
        _checked(table, rows)
    except (ValueError, TypeError, pa.ArrowException) as exc:
        return str(exc).splitlines()[0]
    return None


# --- the run -----------------------------------------------------------------------------


def _make_executor(executor: str, *, workers: int, rules: Rules, timeout: float | None,
                   task: Task | None, scheduler) -> object:
    if executor == "dask":
        if scheduler is None:
            raise ValueError("--executor dask needs --scheduler ADDRESS")
        return DaskExecutor(scheduler, rules, timeout=timeout, task=task)
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r} (local, dask)")
    if workers <= 0:
        return InProcess(rules, task)
    return LocalPool(workers, rules, timeout=timeout, task=task)


def run(inputs: Iterable[str | Path], out_dir: str | Path, *, rules: None | Path | Rules = None,
        progress: bool = True, workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
        executor: str = "local", scheduler=None, chunk_size: int = DEFAULT_CHUNK,
        fresh: bool = False, task: Task | None = None) -> RunSummary:
    """Parse INPUTS into the store OUT_DIR and consolidate its tables.

    workers: processes of the local pool (default: the machine's cores; 0 runs in this
    process, without a time limit). timeout: seconds per file (None: no limit).
    executor: "local" or "dask" (then scheduler: an address or a distributed.Client).
    task: what runs on one file (default `process_file`; a module-level function).
    Workers are started the multiprocessing way (forkserver), so a script that calls run()
    keeps it under `if __name__ == "__main__":`.
    """
    started = time.monotonic()
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    files = find_inputs(inputs, exclude=out_dir)
    summary = RunSummary(out_dir=out_dir, n_files=len(files))
    fp = fingerprint(rules, task)
    store = Store(out_dir, fresh=fresh)
    bar = _Progress(len(files)) if progress else None
    try:
        jobs = _jobs(files, store, fp, summary, bar)
        if workers is None:
            workers = os.cpu_count() or 1
        workers = min(workers, len(files)) if workers > 0 else 0
        if executor == "local" and not files:
            workers = 0
        ex = _make_executor(executor, workers=workers, rules=rules, timeout=timeout, task=task,
                            scheduler=scheduler)
        try:
            chunk: list[Outcome] = []
            last_commit = time.monotonic()
            for outcome in ordered(ex, jobs, window=max(4 * ex.slots, chunk_size)):
                if bar:
                    bar.done(outcome.status)
                chunk.append(outcome)
                if len(chunk) >= chunk_size or time.monotonic() - last_commit >= COMMIT_SECONDS:
                    _count(summary, store.commit(chunk, fp))
                    chunk, last_commit = [], time.monotonic()
            if chunk:
                _count(summary, store.commit(chunk, fp))
        finally:
            ex.close()
        if bar:
            bar.close()
            bar = None
        counts = store.consolidate()
    finally:
        if bar:
            bar.close()
        store.close()
    summary.n_documents = counts["documents"]
    summary.n_plans = counts["plans"]

    # --- cross-document stages: the per-document tables are complete in OUT_DIR here. ------
    # link, compare, the cross-document flags and the report read them and write plan_links,
    # coverage, flags and report.html; set summary.report to where the report is.
    crossdoc_started = time.monotonic()
    summary.report = finish(out_dir, rules=rules)
    summary.seconds_crossdoc = time.monotonic() - crossdoc_started

    summary.seconds = time.monotonic() - started
    return summary


def _count(summary: RunSummary, outcomes: list[Outcome]) -> None:
    for o in outcomes:
        summary.by_status[o.status] = summary.by_status.get(o.status, 0) + 1
        summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, o.peak_rss_kb / 1024)


def _jobs(files: list[Path], store: Store, fp: str, summary: RunSummary,
          bar: _Progress | None) -> Iterator[Job]:
    """Jobs for the files that need parsing, hashed lazily so that work starts at once."""
    seen: set[str] = set()
    seq = 0
    for path in files:
        source_path = str(path)
        try:
            doc_id = doc_id_of(path.read_bytes())
        except OSError:
            doc_id = doc_id_of(source_path.encode())  # as ingest names an unreadable file
        if doc_id in seen:
            summary.n_duplicates += 1
            if bar:
                bar.done("duplicate")
            continue
        seen.add(doc_id)
        if store.is_current(doc_id, source_path, fp):
            summary.n_unchanged += 1
            if bar:
                bar.done("unchanged")
            continue
        yield Job(seq=seq, path=str(path), source_path=source_path, doc_id=doc_id)
        seq += 1


class _Progress:
    """A rich progress bar on stderr with counts of ok / failed / unchanged files."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.counts = {"ok": 0, "failed": 0, "unchanged": 0}
        columns = (TextColumn("[bold]kehoach"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("ok {task.fields[ok]} · failed {task.fields[failed]}"
                              " · unchanged {task.fields[unchanged]}"), TimeRemainingColumn())
        self._bar = Progress(*columns, console=Console(file=sys.stderr), transient=False)
        self._bar.start()
        self._task = self._bar.add_task("run", total=total, **self.counts)

    def done(self, status: str) -> None:
        key = status if status in ("ok", "unchanged") else "failed"
        if status == "duplicate":
            key = "unchanged"
        self.counts[key] += 1
        self._bar.update(self._task, advance=1, **self.counts)

    def close(self) -> None:
        self._bar.stop()

