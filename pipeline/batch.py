"""The batch runner: files and folders in, the contract's tables out.

It only composes the stages: per-document stages for every file, then the stages that
look across documents (link, compare, flags), then write and the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .process import process_file
from .records import DocResult
from .rules import Rules
from .schema import TABLES
from .write import rows_of, write


@dataclass
class RunSummary:
    out_dir: Path
    n_files: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    n_plans: int = 0
    report: Path | None = None

    def lines(self) -> list[str]:
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items())) or "none"
        out = [f"files read: {self.n_files} ({status})", f"plans found: {self.n_plans}",
               f"tables: {self.out_dir}"]
        if self.report:
            out.append(f"report: {self.report}")
        return out


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and every file below folders named, in a stable order."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            found.append(p)
    return found


def iter_results(files: list[Path], *, rules: Rules) -> Iterator[DocResult]:
    for path in files:
        yield process_file(path, rules=rules, source_path=str(path))


def run(inputs: Iterable[str | Path], out_dir: str | Path, *, rules: None | Path | Rules = None,
        progress: bool = True) -> RunSummary:
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    files = find_inputs(inputs)
    summary = RunSummary(out_dir=out_dir, n_files=len(files))
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    results = iter_results(files, rules=rules)
    if progress:
        results = _with_progress(results, len(files))
    for result in results:
        summary.by_status[result.raw.status] = summary.by_status.get(result.raw.status, 0) + 1
        for name, rows in rows_of(result).items():
            tables[name].extend(rows)
    summary.n_plans = len(tables["plans"])
    write(tables, out_dir)
    return summary


def _with_progress(results: Iterator[DocResult], total: int) -> Iterator[DocResult]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    counts = {"ok": 0, "failed": 0}
    columns = (TextColumn("[bold]kehoach"), BarColumn(), MofNCompleteColumn(),
               TextColumn("ok {task.fields[ok]} · failed {task.fields[failed]}"))
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("run", total=total, ok=0, failed=0)
        for result in results:
            counts["ok" if result.raw.status == "ok" else "failed"] += 1
            bar.update(task, advance=1, **counts)
            yield result
