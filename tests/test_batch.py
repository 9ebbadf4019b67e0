"""The batch runner: order, the accumulating store, resume after a kill, time limit, crashes."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, ROOT

from pipeline.batch import run
from pipeline.clean import clean
from pipeline.cli import main
from pipeline.ingest import ingest
from pipeline.records import DocResult, Extracted, PlanInfo
from pipeline.schema import TABLES

PLAN = """ỦY BAN NHÂN DÂN
XÃ {name}
Số: {n}/KH-UBND
KẾ HOẠCH
Phòng, chống mua bán người năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của Nhân dân.
II. NHIỆM VỤ
1. Công an xã chủ trì tuyên truyền.
{extra}
"""


def plan(i: int, extra: str = "") -> str:
    return PLAN.format(name=f"THỬ {i}", n=i, extra=extra)


def make_folder(folder: Path, n: int, extra: dict[int, str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"{i:03d}.txt"
        p.write_text(plan(i, (extra or {}).get(i, "")), encoding="utf-8")
        paths.append(p)
    return paths


# Tasks run in worker processes: module-level so that they can be pickled by name. Most
# tests are about the runner, not the stages: they read and clean only, which is fast.

def light(path, *, rules, source_path):
    raw = ingest(path, source_path=source_path)
    return DocResult(raw=raw, clean=clean(raw, rules=rules) if raw.status == "ok" else None)


def log_task(path, *, rules, source_path):
    """process_file, and a line in parsed.log next to the folder, to count the parses."""
    with open(Path(path).parent.parent / "parsed.log", "a", encoding="utf-8") as fh:
        fh.write(Path(path).name + "\n")
    return light(path, rules=rules, source_path=source_path)


def slow_task(path, *, rules, source_path):
    """Sleeps as the file says: `NGỦ 30` for 3 s (tenths of a second), `SẬP` exits."""
    text = Path(path).read_text(encoding="utf-8")
    if "SẬP" in text:
        os._exit(3)
    for line in text.splitlines():
        if line.startswith("NGỦ "):
            time.sleep(int(line.split()[1]) / 10)
    return light(path, rules=rules, source_path=source_path)


def bad_rows_task(path, *, rules, source_path):
    """A stage bug: a year that is not an int32, for files that say `HỎNG`."""
    result = light(path, rules=rules, source_path=source_path)
    if "HỎNG" not in Path(path).read_text(encoding="utf-8"):
        return result
    plan = PlanInfo(doc_id=result.raw.doc_id, doc_kind="ke_hoach", issuer="Ủy ban nhân dân xã",
                    issuer_level="commune", title="x", period_start="2026-2030")
    return DocResult(raw=result.raw, clean=result.clean, extracted=Extracted(plan=plan))


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pandas() for name in TABLES}


def test_two_workers_keep_input_order_and_give_the_same_tables(tmp_path, rules):
    # The first files are the slowest, so workers finish them last.
    folder = tmp_path / "in"
    make_folder(folder, 6, extra={0: "NGỦ 3", 1: "NGỦ 2", 2: "NGỦ 1"})
    (folder / "006.txt").write_bytes(b"")  # empty
    (folder / "007.xlsx").write_bytes(b"PK\x03\x04")  # unsupported
    s2 = run([folder], tmp_path / "w2", rules=rules, workers=2, chunk_size=3, progress=False,
             task=slow_task)
    s1 = run([folder], tmp_path / "w1", rules=rules, workers=1, chunk_size=3, progress=False,
             task=slow_task)
    assert s2.by_status == s1.by_status == {"ok": 6, "empty": 1, "unsupported": 1}
    t1, t2 = tables(tmp_path / "w1"), tables(tmp_path / "w2")
    expected = [str(folder / f"{i:03d}.txt") for i in range(7)] + [str(folder / "007.xlsx")]
    assert list(t2["documents"]["source_path"]) == expected
    for name in TABLES:
        pd.testing.assert_frame_equal(t1[name], t2[name], obj=name)


def test_real_stages_same_tables_with_one_and_two_workers(tmp_path, rules):
    files = sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)[:3]  # the short ones
    run(files, tmp_path / "a", rules=rules, workers=1, progress=False)
    run(files, tmp_path / "b", rules=rules, workers=2, chunk_size=2, progress=False)
    ta, tb = tables(tmp_path / "a"), tables(tmp_path / "b")
    assert len(ta["documents"]) == len(files)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


def test_store_accumulates_and_skips_unchanged_files(tmp_path, rules):
    folder = tmp_path / "in"
    out = tmp_path / "out"
    paths = make_folder(folder, 2)
    first = run([folder], out, rules=rules, workers=0, task=log_task, progress=False)
    assert first.by_status == {"ok": 2} and first.n_documents == 2

    make_folder(folder, 3)  # same two files (same bytes) and a new one
    second = run([folder], out, rules=rules, workers=0, task=log_task, progress=False)
    assert second.n_unchanged == 2 and second.by_status == {"ok": 1}
    assert (tmp_path / "parsed.log").read_text().split() == ["000.txt", "001.txt", "002.txt"]
    docs = tables(out)["documents"]
    assert list(docs["source_path"]) == [str(folder / f"{i:03d}.txt") for i in range(3)]

    # A file edited in place replaces its old version; a copy of a file is parsed once but
    # has its own row, which names the first path with those bytes.
    paths[0].write_text(plan(0, "2. Đoàn Thanh niên phối hợp."), encoding="utf-8")
    (folder / "copy.txt").write_bytes(paths[1].read_bytes())
    third = run([folder], out, rules=rules, workers=0, task=log_task, progress=False)
    assert (third.by_status, third.n_unchanged, third.n_duplicates) == ({"ok": 1}, 2, 1)
    assert (tmp_path / "parsed.log").read_text().split().count("copy.txt") == 0
    docs = tables(out)["documents"].set_index("source_path")
    assert len(docs) == 4 and docs["doc_id"].nunique() == 3
    copy = docs.loc[str(folder / "copy.txt")]
    assert copy["duplicate_of"] == str(paths[1]) and copy["doc_id"] == docs.loc[str(paths[1]), "doc_id"]
    assert copy["clean_text"] == docs.loc[str(paths[1]), "clean_text"] and copy["status"] == "ok"
    assert docs["duplicate_of"].isna().sum() == 3
    assert "Đoàn Thanh niên" in docs.loc[str(paths[0]), "clean_text"]


def test_time_limit_and_crash_become_error_rows(tmp_path, rules):
    folder = tmp_path / "in"
    make_folder(folder, 3, extra={1: "NGỦ 300"})
    (folder / "003.txt").write_text(plan(3, "SẬP"), encoding="utf-8")
    t0 = time.monotonic()
    summary = run([folder], tmp_path / "out", rules=rules, workers=1, timeout=2, progress=False,
                  task=slow_task)
    assert time.monotonic() - t0 < 20
    docs = tables(tmp_path / "out")["documents"].set_index("source_path")
    assert summary.by_status == {"ok": 2, "error": 2}
    slow, crashed = docs.loc[str(folder / "001.txt")], docs.loc[str(folder / "003.txt")]
    assert (slow["status"], slow["error"]) == ("error", "timed out after 2 s")
    assert crashed["status"] == "error" and crashed["error"].startswith("worker crashed")
    assert docs.loc[str(folder / "002.txt"), "status"] == "ok"  # the pool went on after the kill


def test_rows_that_break_the_contract_make_an_error_row_not_a_failed_run(tmp_path, rules):
    folder = tmp_path / "in"
    make_folder(folder, 3, extra={1: "HỎNG"})
    summary = run([folder], tmp_path / "out", rules=rules, workers=0, progress=False,
                  task=bad_rows_task)
    assert summary.by_status == {"ok": 2, "error": 1}
    docs = tables(tmp_path / "out")["documents"].set_index("source_path")
    bad = docs.loc[str(folder / "001.txt")]
    assert bad["status"] == "error" and bad["error"].startswith("rows do not fit the contract (plans: ")
    assert tables(tmp_path / "out")["plans"].empty  # none of the bad document's rows are kept


DRIVER = """
import json, sys
from pipeline.batch import run
from slowtask import task
if __name__ == "__main__":  # workers start by importing this script, as with spawn
    s = run([sys.argv[1]], sys.argv[2], workers=1, chunk_size=2, progress=False, task=task)
    print(json.dumps({"unchanged": s.n_unchanged, "parsed": s.by_status, "docs": s.n_documents}))
"""

SLOWTASK = """
import time
from pathlib import Path
from pipeline.clean import clean
from pipeline.ingest import ingest
from pipeline.records import DocResult, Extracted, PlanInfo

def task(path, *, rules, source_path):
    with open(Path(path).parent.parent / "parsed.log", "a") as fh:
        fh.write(Path(path).name + "\\n")
    time.sleep(0.1)
    return process_file(path, rules=rules, source_path=source_path)
"""


def test_resume_after_sigkill_loses_nothing_and_redoes_nothing(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    make_folder(folder, 16)
    (tmp_path / "driver.py").write_text(DRIVER)
    (tmp_path / "slowtask.py").write_text(textwrap.dedent(SLOWTASK))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    cmd = [sys.executable, str(tmp_path / "driver.py"), str(folder), str(out)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, start_new_session=True)
    commits = out / "parts" / "commits"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(commits.glob("part-*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its worker, mid-way
    proc.wait()
    records = [json.loads(f.read_text()) for f in sorted(commits.glob("part-*.json"))]
    committed = [Path(d[1]).name for r in records for d in r["docs"]]
    assert 6 <= len(committed) < 16, "the kill should land mid-way"
    done = {f"part-{r['part']:06d}" for r in records}  # parts of a chunk cut short are not kept
    mtimes = {f: f.stat().st_mtime_ns for f in (out / "parts").rglob("part-*") if f.stem in done}

    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(again.stdout)
    assert result["unchanged"] == len(committed) and result["docs"] == 16
    parses = (tmp_path / "parsed.log").read_text().split()
    assert all(parses.count(name) == 1 for name in committed)  # not redone
    assert sorted(set(parses)) == [f"{i:03d}.txt" for i in range(16)]
    assert all(f.stat().st_mtime_ns == m for f, m in mtimes.items())  # committed parts untouched
    docs = pq.read_table(out / "documents.parquet").to_pandas()
    assert list(docs["source_path"]) == [str(folder / f"{i:03d}.txt") for i in range(16)]
    assert not list(out.rglob(".*tmp*"))


def test_cli_run_prints_the_summary(tmp_path, capsys):
    folder = tmp_path / "in"
    make_folder(folder, 2)
    rc = main(["run", str(folder), "--out", str(tmp_path / "out"), "--workers", "0", "--no-progress"])
    printed = capsys.readouterr().out
    assert rc == 0
    assert "files read: 2 (ok 2)" in printed and f"tables: {tmp_path / 'out'}" in printed
    rc = main(["run", str(folder), "--out", str(tmp_path / "out"), "--executor", "dask"])
    assert rc == 2  # no scheduler given


@pytest.mark.parametrize("inside", [True])
def test_output_folder_inside_input_is_not_read(tmp_path, rules, inside):
    make_folder(tmp_path, 1)
    run([tmp_path], tmp_path / "out", rules=rules, workers=0, progress=False)
    again = run([tmp_path], tmp_path / "out", rules=rules, workers=0, progress=False)
    assert again.n_files == 1 and again.n_unchanged == 1
