"""Where the per-document stages run: in this process, a local process pool, or Dask.

Every executor takes `Job`s (one input file each) and hands back `Outcome`s (the rows that
file contributes to each per-document table, columnar: `pipeline.write.Rows`). They share one small interface:

    submit(job)     start a job (at most `slots` are in flight)
    wait(timeout)   block until at least one job finishes or TIMEOUT seconds pass (None:
                    no limit); returns the finished outcomes, maybe none
    close()         stop the per-document workers
    map(fn, items)  FN over ITEMS, results in order, lazily: how the cross-document stage
                    spreads its groups of plans (in this process for --workers 0, over a
                    process pool of as many workers for the local pool, on the cluster for Dask)
    shutdown()      release what map still needed (the Dask client), after the run

and the batch commits outcomes in the order they finish (the store restores input order).

The local pool is our own rather than `concurrent.futures`: a per-file time limit needs
to kill the one worker that is stuck (a pathological regex, a PDF that never ends) without
breaking the pool, and a worker that dies (a crash in a C library) must turn into an error
row for its file, not a failed run. Each worker is a process with a pipe; the parent waits
on the pipes and the process sentinels with a deadline, kills a worker whose file is over
time, and starts a fresh one. Each worker runs under a memory limit (RLIMIT_AS): a file that
needs more gets an error row naming the limit, and its worker is replaced.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
import resource
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

from .ingest import source_format
from .process import parse_file
from .records import DocResult, RawDoc
from .rules import DEFAULT_RULES_DIR, Rules, load_rules
from .write import Rows, columns_of

Task = Callable[..., DocResult]  # task(path, *, rules, source_path) -> DocResult


@dataclass(frozen=True)
class Job:
    seq: int  # position among this run's jobs: the output order
    path: str  # where to read the file
    source_path: str  # the path as the user gave it (documents.source_path)
    doc_id: str  # sha256 prefix of the bytes, computed by the parent


@dataclass
class Outcome:
    seq: int
    rows: Rows
    status: str  # documents.status of the file
    peak_rss_kb: int = 0  # peak resident memory of the worker that ran it
    recycle: bool = False  # the worker ran out of memory: replace it rather than reuse it


def failed_outcome(job: Job, error: str, peak_rss_kb: int = 0) -> Outcome:
    """The documents row of a file whose processing did not finish (time limit, crash)."""
    raw = RawDoc(doc_id=job.doc_id, source_path=job.source_path,
                 source_format=source_format(job.path), status="error", error=error)
    return Outcome(job.seq, columns_of(DocResult(raw=raw)), "error", peak_rss_kb)


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


_memory_limit_mb: int | None = None  # set in a worker by _limit_memory


def memory_error(limit_mb: int | None) -> str:
    if limit_mb is None:
        return "out of memory"
    return f"over the memory limit of {limit_mb} MB per worker (--max-memory)"


def _limit_memory(limit_mb: int | None) -> None:
    """Cap this process's address space, so one huge file fails alone (MemoryError)."""
    global _memory_limit_mb
    if not limit_mb:
        return
    limit = limit_mb << 20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _memory_limit_mb = limit_mb


def run_job(job: Job, rules: Rules, task: Task | None = None, path: str | None = None) -> Outcome:
    """One file through the per-document stages, in whatever process this is called."""
    try:
        if task is None:  # the stages: the rows come with the result, read off its records once
            result, rows = parse_file(path or job.path, rules=rules, source_path=job.source_path)
        else:
            result = task(path or job.path, rules=rules, source_path=job.source_path)
            rows = columns_of(result)
        status = result.raw.status
    except MemoryError:
        outcome = failed_outcome(job, memory_error(_memory_limit_mb), _peak_rss_kb())
        outcome.recycle = True
        return outcome
    except Exception as exc:  # process_file catches stage errors; this is the last net
        return failed_outcome(job, f"{type(exc).__name__}: {exc}".splitlines()[0][:500], _peak_rss_kb())
    return Outcome(job.seq, rows, status, _peak_rss_kb())


def rules_dir_arg(rules: Rules) -> str | None:
    """What to send a worker so it loads the same rules (None: the shipped ones)."""
    return None if Path(rules.dir).resolve() == DEFAULT_RULES_DIR.resolve() else str(rules.dir)


# --- in this process ---------------------------------------------------------------------


class InProcess:
    """No workers: run each job here (`--workers 0`; no time limit). For debugging."""

    slots = 1
    shares_disk = False  # map runs here: the parent reads the groups as it always does

    def __init__(self, rules: Rules, task: Task | None = None) -> None:
        self.rules, self.task = rules, task
        self._done: list[Outcome] = []

    def submit(self, job: Job) -> None:
        self._done.append(run_job(job, self.rules, self.task))

    def wait(self, timeout: float | None = None) -> list[Outcome]:
        done, self._done = self._done, []
        return done

    def close(self) -> None:
        pass

    map = staticmethod(map)  # the parent compares; its workers are gone by then

    def shutdown(self) -> None:
        pass


# --- local process pool ------------------------------------------------------------------

_worker_rules: dict[str | None, Rules] = {}


def _rules_for(rules_dir: str | None) -> Rules:
    if rules_dir not in _worker_rules:
        _worker_rules[rules_dir] = load_rules(rules_dir)
    return _worker_rules[rules_dir]


_WARM_UP = ("ỦY BAN NHÂN DÂN XÃ A\nSố: 1/KH-UBND\nA, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
            "Phòng, chống mua bán người năm 2026\nI. MỤC ĐÍCH\n1. Công an xã chủ trì, phối hợp với "
            "Đoàn Thanh niên tuyên truyền trước ngày 01/3/2026, đạt 100%.\n")


def _warm_up(rules: Rules) -> None:
    """Build what the stages compile lazily (matchers, models) before the clock runs."""
    from .process import process_raw

    try:
        process_raw(RawDoc(doc_id="warm-up", source_path="warm-up.txt", source_format="txt",
                           status="ok", text=_WARM_UP), rules=rules)
    except Exception:  # a failure here shows up again, properly, on a real file
        pass


def settle_collector() -> None:
    """After the models and matchers are loaded (they live as long as the process): keep the
    cycle collector off them, and let it run less often. A plan makes ~10⁵ short-lived objects,
    few of them in cycles; with the defaults, collections took ~12 % of a worker's time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _worker_main(conn, rules_dir: str | None, task: Task | None, max_memory_mb: int | None) -> None:
    # Ctrl-C reaches the whole process group: the parent decides what stops, and kills us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    rules = _rules_for(rules_dir)
    if task is None:
        _warm_up(rules)
    _limit_memory(max_memory_mb)  # after the warm-up: loading the models is not a file's cost
    settle_collector()
    try:
        conn.send("ready")  # the time limit of the first job starts now, not at the fork
    except OSError:
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone (killed): stop quietly
            return
        if job is None:
            return
        outcome = run_job(job, rules, task)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return
        if outcome.recycle:
            return


class _Worker:
    def __init__(self, ctx, rules_dir: str | None, task: Task | None,
                 max_memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, rules_dir, task, max_memory_mb),
                                daemon=True)
        self.proc.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0
        self.ready = False

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(timeout=None if kill else 5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _mp_context():
    # forkserver: workers fork from a clean server process that has imported the stages
    # once, so starting (and restarting after a kill) is cheap, and no thread of the parent
    # (the progress bar's, Dask's) is forked.
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.process", "pipeline.executors"])
        return ctx
    return mp.get_context("spawn")


class LocalPool:
    """N worker processes; a file over `timeout` seconds gets its worker killed."""

    shares_disk = True  # map's processes read the store's files themselves

    def __init__(self, workers: int, rules: Rules, *, timeout: float | None = None,
                 task: Task | None = None, max_memory_mb: int | None = None) -> None:
        self.slots = max(1, workers)
        self.timeout = timeout if timeout and timeout > 0 else None
        self._ctx = _mp_context()
        self._args = (rules_dir_arg(rules), task, max_memory_mb)
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self._n_started = 0

    def submit(self, job: Job) -> None:
        worker = self._idle.pop() if self._idle else self._start()
        worker.job, worker.started = job, time.monotonic()
        worker.conn.send(job)
        self._busy.append(worker)

    def _start(self) -> _Worker:
        self._n_started += 1
        return _Worker(self._ctx, *self._args)

    def wait(self, timeout: float | None = None) -> list[Outcome]:
        until = None if timeout is None else time.monotonic() + timeout
        while True:
            wait_for = None if until is None else max(0.0, until - time.monotonic())
            if self.timeout is not None:
                clocks = [w.started for w in self._busy if w.ready]
                if clocks:
                    left = max(0.0, min(clocks) + self.timeout - time.monotonic())
                    wait_for = left if wait_for is None else min(wait_for, left)
            handles = [w.conn for w in self._busy] + [w.proc.sentinel for w in self._busy]
            ready = set(mp_wait(handles, timeout=wait_for))
            done: list[Outcome] = []
            now = time.monotonic()
            for worker in list(self._busy):
                job = worker.job
                outcome = None
                if worker.conn in ready or worker.proc.sentinel in ready:
                    outcome = self._receive(worker)
                elif (self.timeout is not None and worker.ready
                      and now - worker.started >= self.timeout):
                    worker.stop(kill=True)
                    self._busy.remove(worker)
                    outcome = failed_outcome(job, f"timed out after {self.timeout:g} s")
                if outcome is not None:
                    done.append(outcome)
            if done or (until is not None and time.monotonic() >= until):
                return done

    def _receive(self, worker: _Worker) -> Outcome | None:
        job = worker.job
        try:
            if worker.conn.poll():
                outcome = worker.conn.recv()
                if outcome == "ready":  # warmed up: the job's clock starts now
                    worker.ready, worker.started = True, time.monotonic()
                    return None
                self._busy.remove(worker)
                worker.job = None
                if outcome.recycle:  # it stops by itself after sending
                    worker.stop(kill=False)
                else:
                    self._idle.append(worker)
                return outcome
        except (EOFError, OSError):
            pass
        # The process ended without an answer: a crash in native code, or out of memory.
        worker.proc.join(timeout=5)
        code = worker.proc.exitcode
        worker.stop(kill=True)
        self._busy.remove(worker)
        why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return failed_outcome(job, f"worker crashed ({why})")

    def close(self) -> None:
        for worker in self._idle:
            worker.stop()
        for worker in self._busy:  # interrupted: nothing they do now can be kept
            worker.stop(kill=True)
        self._idle, self._busy = [], []

    def map(self, fn, items):
        """FN over ITEMS in order on `slots` processes (one item: here). Items are read lazily
        and at most 2 × slots wait or run at once, so the parent holds a bounded window."""
        items = iter(items)
        first = next(items, _NONE)
        if first is _NONE:
            return
        second = next(items, _NONE)
        if second is _NONE or self.slots < 2:  # a small store: not worth starting processes
            yield fn(first)
            if second is not _NONE:
                yield fn(second)
            yield from map(fn, items)
            return
        yield from _pool_map(fn, itertools.chain((first, second), items), self.slots, self._ctx)

    def shutdown(self) -> None:
        pass


_NONE = object()


def _pool_map(fn, items, slots: int, ctx):
    """FN over ITEMS on a pool of SLOTS processes, in order, a window of 2 × SLOTS at a time.
    A pool that breaks (a process killed) leaves the items not yet done to this process."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    window: deque = deque()
    with ProcessPoolExecutor(max_workers=slots, mp_context=ctx) as pool:
        broken = False
        for item in items:
            window.append((item, None if broken else pool.submit(fn, item)))
            while len(window) >= 2 * slots:
                broken = yield from _take(window, fn, BrokenProcessPool) or broken
        while window:
            broken = yield from _take(window, fn, BrokenProcessPool) or broken


def _take(window: deque, fn, broken_error):
    item, future = window.popleft()
    if future is not None:
        try:
            yield future.result()
            return False
        except broken_error:
            pass
    yield fn(item)
    return True


# --- Dask --------------------------------------------------------------------------------


def _dask_job(job: Job, data: bytes, rules_dir: str | None, task: Task | None) -> Outcome:
    """Runs on a Dask worker. The bytes travel with the job so workers need no shared disk."""
    rules = _rules_for(rules_dir)
    suffix = Path(job.path).suffix
    fd, tmp = tempfile.mkstemp(prefix="kehoach-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return run_job(job, rules, task, path=tmp)
    finally:
        os.unlink(tmp)


class DaskExecutor:
    """The same per-document stages as tasks on a Dask cluster (`--scheduler ADDRESS`).

    Workers need kehoach installed. The time limit is enforced by abandoning the task
    (Dask cannot kill a running task): its file gets the timed-out error row either way.
    """

    shares_disk = False  # no shared disk: everything a task needs travels with it

    def __init__(self, scheduler, rules: Rules, *, timeout: float | None = None,
                 task: Task | None = None) -> None:
        from distributed import Client

        if isinstance(scheduler, Client):
            self.client, self._own_client = scheduler, False
        else:
            self.client, self._own_client = Client(scheduler), True
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = 2 * threads  # one queued behind each running task keeps workers fed
        self.timeout = timeout if timeout and timeout > 0 else None
        self._args = (rules_dir_arg(rules), task)
        self._futures: dict = {}  # future -> (job, submitted at)

    def submit(self, job: Job) -> None:
        try:
            data = Path(job.path).read_bytes()
        except OSError:
            data = b""  # ingest on the worker reports the file as unreadable/empty
        fut = self.client.submit(_dask_job, job, data, *self._args, pure=False,
                                 key=f"kehoach-{job.doc_id}-{job.seq}")
        self._futures[fut] = (job, time.monotonic())

    def wait(self, timeout: float | None = None) -> list[Outcome]:
        from distributed import wait as dask_wait

        until = None if timeout is None else time.monotonic() + timeout
        while True:
            wait_for = None if until is None else max(0.05, until - time.monotonic())
            if self.timeout is not None:
                first = min(t for _, t in self._futures.values())
                left = max(0.05, first + self.timeout - time.monotonic())
                wait_for = left if wait_for is None else min(wait_for, left)
            try:
                dask_wait(list(self._futures), timeout=wait_for, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            done: list[Outcome] = []
            now = time.monotonic()
            for fut, (job, started) in list(self._futures.items()):
                if fut.done():
                    del self._futures[fut]
                    try:
                        done.append(fut.result())
                    except Exception as exc:  # the worker died or the task raised
                        done.append(failed_outcome(job, f"dask: {type(exc).__name__}: {exc}"[:500]))
                elif self.timeout is not None and now - started >= self.timeout:
                    del self._futures[fut]
                    fut.cancel()
                    done.append(failed_outcome(job, f"timed out after {self.timeout:g} s"))
            if done or (until is not None and time.monotonic() >= until):
                return done

    def close(self) -> None:
        for fut in self._futures:
            fut.cancel()
        self._futures.clear()

    def map(self, fn, items):
        """FN over ITEMS on the cluster, in order, at most `slots` in flight (items are read
        lazily: each is a group of plans' rows, and the parent holds only the window)."""
        window: deque = deque()
        for item in items:
            window.append(self.client.submit(fn, item, pure=False))
            if len(window) >= self.slots:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def shutdown(self) -> None:
        if self._own_client:
            self.client.close()
