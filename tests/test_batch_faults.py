"""Batch faults: --fresh racing another run, Ctrl-C, a slow first file, an unusable --out."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from test_batch import make_folder

from pipeline.cli import main

# A driver script run as a subprocess: `driver.py FOLDER OUT [fresh]`; files that say
# `NGỦ n` sleep n tenths of a second in the worker (unless a file `fast` stands beside the folder).
DRIVER = """
import json, sys
from pipeline.batch import Interrupted, StoreError, run
from slowtask import task
if __name__ == "__main__":
    try:
        s = run([sys.argv[1]], sys.argv[2], workers=int(sys.argv[4]) if len(sys.argv) > 4 else 1,
                chunk_size=1, progress=False, task=task, fresh=sys.argv[3:4] == ["fresh"])
    except StoreError as exc:
        print("refused:", exc)
        sys.exit(2)
    except Interrupted as exc:
        print("interrupted:", exc)
        sys.exit(130)
    print(json.dumps({"parsed": s.by_status, "unchanged": s.n_unchanged, "docs": s.n_documents}))
"""

SLOWTASK = """
import time
from pathlib import Path
from pipeline.clean import clean
from pipeline.ingest import ingest
from pipeline.records import DocResult

def task(path, *, rules, source_path):
    raw = ingest(path, source_path=source_path)
    for line in raw.text.splitlines():
        if line.startswith("NGỦ ") and not (Path(path).parent.parent / "fast").exists():
            time.sleep(int(line.split()[1]) / 10)
    with open(Path(path).parent.parent / "parsed.log", "a") as fh:
        fh.write(Path(path).name + "\\n")
    return DocResult(raw=raw, clean=clean(raw, rules=rules))
"""


@pytest.fixture
def driver(tmp_path):
    (tmp_path / "driver.py").write_text(DRIVER)
    (tmp_path / "slowtask.py").write_text(textwrap.dedent(SLOWTASK))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}

    def start(folder: Path, out: Path, *extra: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(tmp_path / "driver.py"), str(folder),
                                 str(out), *extra], env=env, stdout=subprocess.PIPE, text=True,
                                start_new_session=True)
    return start


def committed(out: Path) -> list[str]:
    return [Path(d[1]).name for f in sorted((out / "parts" / "commits").glob("part-*.json"))
            for d in json.loads(f.read_text())["docs"]]


def wait_for(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.05)


def test_fresh_while_another_run_writes_is_refused_and_nothing_is_lost(tmp_path, driver):
    folder, out = tmp_path / "in", tmp_path / "out"
    make_folder(folder, 8, extra={i: "NGỦ 3" for i in range(8)})
    first = driver(folder, out)
    wait_for(lambda: (out / "parts" / "commits").exists() and len(committed(out)) >= 2)
    fresh = driver(folder, out, "fresh")
    assert fresh.wait(60) == 2 and "another kehoach run is writing" in fresh.stdout.read()
    assert first.wait(120) == 0
    result = json.loads(first.stdout.read())
    assert result == {"parsed": {"ok": 8}, "unchanged": 0, "docs": 8}
    docs = pq.read_table(out / "documents.parquet").to_pandas()
    assert len(docs) == 8 and len(committed(out)) == 8

    # --- and the other way round: a fresh run holds the store, an ordinary run is refused
    (tmp_path / "parsed.log").unlink()
    fresh = driver(folder, out, "fresh")
    wait_for(lambda: (tmp_path / "parsed.log").exists())
    second = driver(folder, out)
    assert second.wait(60) == 2
    assert fresh.wait(120) == 0 and json.loads(fresh.stdout.read())["docs"] == 8
    assert len(pq.read_table(out / "documents.parquet")) == 8 and len(committed(out)) == 8


def test_a_slow_first_file_holds_no_commit_back(tmp_path, driver):
    folder, out = tmp_path / "in", tmp_path / "out"
    make_folder(folder, 6, extra={0: "NGỦ 600"})  # a minute: killed long before
    proc = driver(folder, out, "", "2")
    wait_for(lambda: (out / "parts" / "commits").exists() and len(committed(out)) >= 5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sorted(committed(out)) == [f"{i:03d}.txt" for i in range(1, 6)]


def test_ctrl_c_keeps_what_was_committed_and_says_how_to_resume(tmp_path, driver):
    folder, out = tmp_path / "in", tmp_path / "out"
    # two seconds a file: Ctrl-C lands mid-run even when the machine is busy (0.4 s, and once
    # 1 s on a slow shared host, let the run finish before the signal was sent, under a full
    # test suite); the run is interrupted after 3 commits, so this costs no more than ~3 s
    make_folder(folder, 12, extra={i: "NGỦ 20" for i in range(12)})
    proc = driver(folder, out)
    wait_for(lambda: (out / "parts" / "commits").exists() and len(committed(out)) >= 3)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group
    assert proc.wait(60) == 130
    said = proc.stdout.read()
    assert "run the same command again" in said and "Traceback" not in said
    kept = committed(out)
    assert 3 <= len(kept) < 12
    (tmp_path / "fast").touch()  # the resumed run need not sleep
    again = driver(folder, out)
    assert again.wait(120) == 0
    result = json.loads(again.stdout.read())
    assert result["unchanged"] == len(kept) and result["docs"] == 12


@pytest.mark.parametrize("case", ["file", "under-file", "read-only"])
def test_unusable_out_is_one_line_not_a_traceback(tmp_path, capsys, case):
    folder = tmp_path / "in"
    make_folder(folder, 1)
    (tmp_path / "f").write_text("x")
    out = {"file": tmp_path / "f", "under-file": tmp_path / "f" / "out",
           "read-only": tmp_path / "ro"}[case]
    if case == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes to read-only folders")
        out.mkdir()
        out.chmod(0o555)
    rc = main(["run", str(folder), "--out", str(out), "--workers", "0", "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("kehoach: ") and "Traceback" not in err
    assert {"file": "is a file", "under-file": "below a file", "read-only": "cannot write"}[case] in err


def test_cli_missing_path_is_a_row_and_sizes_parse(tmp_path, capsys):
    folder = tmp_path / "in"
    make_folder(folder, 1)
    rc = main(["run", str(folder), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"),
               "--workers", "0", "--no-progress", "--max-bytes", "1M", "--max-memory", "2G"])
    assert rc == 0
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pandas().set_index("source_path")
    assert docs.loc[str(tmp_path / "nope.txt"), "error"] == "no such file or folder"
    assert "files read: 2 (error 1, ok 1)" in capsys.readouterr().out
