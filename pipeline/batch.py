"""The batch runner: files and folders in, the contract's tables out.

It only composes the stages: the per-document stages for every file (on an executor: a local
process pool by default, or Dask), then the stages that look across documents (link,
compare, flags, report), which read the consolidated tables. The store it writes into is
described in `pipeline.store`.

How a run goes:
- The store's lock is taken first (one writer at a time; `fresh` empties the store under it).
- The inputs are listed and classified without being read (`pipeline.inputs`): FIFOs,
  devices, sockets, broken or looping links, missing paths, files over `max_bytes`,
  unsupported formats and empty files get their row from the parent, which never opens
  anything but regular files. Regular files are hashed (doc_id), streaming.
- A path whose bytes are already in the store, parsed by the same build (a fingerprint of
  the package's code and the rules), is not parsed again; bytes seen before under another
  path (in this run or the store) are parsed once and the other paths get rows that point
  to the first (`duplicate_of`). A change of code or rules re-parses the files named.
- The other files go to the executor. Results are committed in the order they finish, in
  chunks of `chunk_size` documents or whatever finished within `COMMIT_SECONDS`, so a slow
  file holds nothing back and a kill loses only what was in flight or not yet committed;
  the store puts the rows back in input order when it consolidates.
- Ctrl-C stops the workers, commits what had finished and raises `Interrupted`; the same
  command resumes.

Memory: the parent holds the list of paths and one chunk of results; each worker runs
under `max_memory_mb`. Consolidation holds one table of the store at a time.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .crossdoc import finish
from .executors import DaskExecutor, InProcess, Job, LocalPool, Outcome, Task
from .ingest import SUPPORTED_FORMATS, source_format, unsupported_reason
from .inputs import Entry, hash_file, list_inputs, path_id, too_large
from .records import DocResult, RawDoc
from .rules import Rules
from .schema import PIPELINE_VERSION
from .store import Done, Store, StoreError
from .write import columns_of

__all__ = ["DEFAULT_CHUNK", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_MEMORY_MB", "DEFAULT_TIMEOUT",
           "Interrupted", "RunSummary", "StoreError", "fingerprint", "run"]

DEFAULT_CHUNK = 50  # documents per committed chunk
COMMIT_SECONDS = 10.0  # commit what has finished at least this often
DEFAULT_TIMEOUT = 300.0  # seconds per file
DEFAULT_MAX_BYTES = 200 << 20  # larger files get an error row without being read
DEFAULT_MAX_MEMORY_MB = 4096  # address space of one worker


@dataclass
class RunSummary:
    out_dir: Path
    n_files: int = 0
    by_status: dict[str, int] = field(default_factory=dict)  # rows written in this run
    n_unchanged: int = 0  # already in the store, not parsed again
    n_duplicates: int = 0  # same bytes as another file, parsed once for both
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


class Interrupted(Exception):
    """Ctrl-C: the workers were stopped and what had finished was committed."""

    def __init__(self, summary: RunSummary) -> None:
        n = sum(summary.by_status.values()) + summary.n_duplicates
        super().__init__(f"interrupted: {n} files of this run were committed to {summary.out_dir} "
                         "and are kept; run the same command again to do the rest")
        self.summary = summary


def find_inputs(inputs: Iterable[str | Path], *, exclude: Path | None = None) -> list[Path]:
    """The regular files named or found below folders named, in a stable order."""
    return [e.path for e in list_inputs(inputs, exclude=exclude) if e.status is None]


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


def _make_executor(executor: str, *, workers: int, rules: Rules, timeout: float | None,
                   task: Task | None, scheduler, max_memory_mb: int | None) -> object:
    if executor == "dask":
        if scheduler is None:
            raise ValueError("--executor dask needs --scheduler ADDRESS")
        return DaskExecutor(scheduler, rules, timeout=timeout, task=task)
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r} (local, dask)")
    if workers <= 0:
        return InProcess(rules, task)
    return LocalPool(workers, rules, timeout=timeout, task=task, max_memory_mb=max_memory_mb)


def run(inputs: Iterable[str | Path], out_dir: str | Path, *, rules: None | Path | Rules = None,
        progress: bool = True, workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
        executor: str = "local", scheduler=None, chunk_size: int = DEFAULT_CHUNK,
        fresh: bool = False, task: Task | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB) -> RunSummary:
    """Parse INPUTS into the store OUT_DIR and consolidate its tables.

    workers: processes of the local pool (default: the machine's cores; 0 runs in this
    process, without a time or memory limit). timeout: seconds per file (None: no limit).
    max_bytes: files larger than this get an error row unread. max_memory_mb: address space
    of each local worker (None: no limit). executor: "local" or "dask" (then scheduler: an
    address or a distributed.Client). task: what runs on one file (default `process_file`;
    a module-level function). Workers are started the multiprocessing way (forkserver), so
    a script that calls run() keeps it under `if __name__ == "__main__":`.
    Raises StoreError when OUT_DIR cannot be used or another run holds it, Interrupted on
    Ctrl-C.
    """
    started = time.monotonic()
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    store = Store(out_dir, fresh=fresh)  # the lock, before anything is read or removed
    ex = None
    try:
        entries = list_inputs(inputs, exclude=out_dir)
        summary = RunSummary(out_dir=out_dir, n_files=len(entries))
        fp = fingerprint(rules, task)
        if workers is None:
            workers = os.cpu_count() or 1
        workers = min(workers, len(entries)) if workers > 0 else 0
        if executor == "local" and not entries:
            workers = 0
        batch = _Batch(store, fp, summary, max_bytes=max_bytes, chunk_size=chunk_size,
                       bar=_Progress(len(entries)) if progress else None)
        ex = _make_executor(executor, workers=workers, rules=rules, timeout=timeout, task=task,
                            scheduler=scheduler, max_memory_mb=max_memory_mb)
        batch.run(ex, entries)
        counts = store.consolidate()
        summary.n_documents = counts["documents"]
        summary.n_plans = counts["plans"]
        # --- cross-document stages: the per-document tables are complete in OUT_DIR. ------
        # link, compare, the cross-document flags and the report read them and write
        # plan_links, coverage, flags and report.html (still under the store's lock).
        crossdoc_started = time.monotonic()
        summary.report = finish(out_dir, rules=rules, mapper=ex.map, mapper_shares_disk=ex.shares_disk,
                                say=_say if progress else None)
        summary.seconds_crossdoc = time.monotonic() - crossdoc_started
    finally:
        if ex is not None:
            ex.shutdown()  # the Dask client, kept for the cross-document groups
        store.close()
    summary.seconds = time.monotonic() - started
    return summary


class _Batch:
    """One run's loop: entries to jobs and parent-made rows, results to commits."""

    def __init__(self, store: Store, fp: str, summary: RunSummary, *, max_bytes: int,
                 chunk_size: int, bar: _Progress | None) -> None:
        self.store, self.fp, self.summary, self.bar = store, fp, summary, bar
        self.max_bytes, self.chunk_size = max_bytes, max(1, chunk_size)
        self.chunk: list[Done] = []
        self.chunk_since = 0.0  # when the oldest uncommitted result came in
        self.in_flight: dict[int, Job] = {}
        self.dups: dict[str, list[tuple[int, str]]] = {}  # doc_id in flight -> its copies
        self.parsed: dict[str, tuple[str, str]] = {}  # doc_id parsed in this run -> row's, status

    def run(self, ex, entries: list[Entry]) -> None:
        jobs = self._jobs(entries)
        exhausted = False
        try:
            while True:
                while not exhausted and len(self.in_flight) < ex.slots:
                    job = next(jobs, None)
                    if job is None:
                        exhausted = True
                        break
                    self.in_flight[job.seq] = job
                    ex.submit(job)
                    self._maybe_commit()
                if not self.in_flight:
                    break
                for outcome in ex.wait(timeout=COMMIT_SECONDS):
                    self._finished(outcome)
                self._maybe_commit()
            self._commit()
        except KeyboardInterrupt:
            ex.close()  # kill the workers first: nothing they would finish now is waited for
            self._commit()
            self._close_bar()
            raise Interrupted(self.summary) from None
        finally:
            ex.close()
            self._close_bar()

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _jobs(self, entries: list[Entry]) -> Iterator[Job]:
        """Jobs for the files to parse; rows for the others go straight into the chunk."""
        for seq, e in enumerate(entries):
            sp = e.source_path
            if e.status is not None:
                self._made(seq, sp, path_id(sp, e.reason), e.status, e.reason)
                continue
            if e.size > self.max_bytes:
                why = too_large(self.max_bytes)
                self._made(seq, sp, path_id(sp, why), "error", why)
                continue
            doc_id, why = hash_file(e.path, self.max_bytes)
            if doc_id is None:
                self._made(seq, sp, path_id(sp, why), "error", why)
                continue
            fmt = source_format(e.path)
            if fmt not in SUPPORTED_FORMATS:
                self._made(seq, sp, doc_id, "unsupported", unsupported_reason(fmt))
                continue
            if e.size == 0:
                self._made(seq, sp, doc_id, "empty", "file is empty")
                continue
            if self.store.is_current(sp, doc_id, self.fp):
                self._unchanged()
                continue
            if doc_id in self.dups:  # same bytes as a file in flight: wait for its rows
                self.dups[doc_id].append((seq, sp))
                continue
            if doc_id in self.parsed:  # parsed earlier in this run (maybe not committed yet)
                row_id, status = self.parsed[doc_id]
                self._add(Done(seq, sp, row_id, "dup", status))
                continue
            status = self.store.parsed_status(doc_id, self.fp)
            if status is not None:  # parsed before under another path
                self._add(Done(seq, sp, doc_id, "dup", status))
                continue
            self.dups[doc_id] = []
            yield Job(seq=seq, path=str(e.path), source_path=sp, doc_id=doc_id)

    def _made(self, seq: int, sp: str, doc_id: str, status: str, why: str) -> None:
        if self.store.is_current(sp, doc_id, self.fp):
            self._unchanged()
            return
        raw = RawDoc(doc_id=doc_id, source_path=sp, source_format=source_format(sp),
                     status=status, error=why)
        self._add(Done(seq, sp, doc_id, "made", status, columns_of(DocResult(raw=raw))))

    def _unchanged(self) -> None:
        self.summary.n_unchanged += 1
        if self.bar:
            self.bar.done("unchanged")

    def _finished(self, outcome: Outcome) -> None:
        job = self.in_flight.pop(outcome.seq)
        doc_id = outcome.rows["documents"]["doc_id"][0]  # what the worker read
        self._add(Done(job.seq, job.source_path, doc_id, "parsed", outcome.status, outcome.rows,
                       outcome.peak_rss_kb))
        self.parsed[job.doc_id] = (doc_id, outcome.status)
        for seq, sp in self.dups.pop(job.doc_id, []):
            self._add(Done(seq, sp, doc_id, "dup", outcome.status))

    def _add(self, done: Done) -> None:
        if not self.chunk:
            self.chunk_since = time.monotonic()
        self.chunk.append(done)

    def _maybe_commit(self) -> None:
        if len(self.chunk) >= self.chunk_size or (
                self.chunk and time.monotonic() - self.chunk_since >= COMMIT_SECONDS):
            self._commit()

    def _commit(self) -> None:
        if not self.chunk:
            return
        chunk, self.chunk = self.chunk, []
        for d in self.store.commit(chunk, self.fp, _unwritable):
            if d.kind == "dup":
                self.summary.n_duplicates += 1
            else:
                self.summary.by_status[d.status] = self.summary.by_status.get(d.status, 0) + 1
                self.summary.peak_worker_rss_mb = max(self.summary.peak_worker_rss_mb,
                                                      d.peak_rss_kb / 1024)
            if self.bar:
                self.bar.done("duplicate" if d.kind == "dup" else d.status)


def _unwritable(d: Done, what: str) -> Done:
    raw = RawDoc(doc_id=d.doc_id, source_path=d.source_path,
                 source_format=source_format(d.source_path), status="error",
                 error=f"rows do not fit the contract ({what})"[:500])
    return replace(d, status="error", rows=columns_of(DocResult(raw=raw)))


def _say(message: str) -> None:
    """A step of the run after the progress bar, on stderr beside it."""
    print(f"kehoach: {message} …", file=sys.stderr, flush=True)


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

