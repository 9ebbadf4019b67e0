"""`kehoach --version` and `kehoach show FILE --out STORE` (flags and coverage from the store)."""

import shutil

import pytest
from conftest import CORPUS

from pipeline.batch import run
from pipeline.cli import main
from pipeline.schema import PIPELINE_VERSION


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"kehoach {PIPELINE_VERSION}"


def test_show_prints_flags_and_coverage_from_the_store(tmp_path, capsys, rules):
    (seed,) = CORPUS.glob("001_*.txt")
    plan = shutil.copy(seed, tmp_path / seed.name)
    store = tmp_path / "store"
    assert main(["show", str(plan), "--out", str(store)]) == 0
    out = capsys.readouterr().out
    assert "not in the store" in out and "flags (" not in out
    run([plan], store, rules=rules, workers=0, progress=False)
    assert main(["show", str(plan), "--out", str(store)]) == 0
    out = capsys.readouterr().out
    assert "sections:" in out  # what was understood, as before
    flags = out.split("\nflags (", 1)[1].split("\ncoverage (", 1)[0]
    severities = [line.split()[0] for line in flags.splitlines()[1:]]
    assert severities and severities == sorted(severities, key=["error", "warning", "info"].index)
    coverage = out.split("\ncoverage (", 1)[1].splitlines()
    assert "missing" in coverage[0] and "covered" in coverage[0]
    statuses = [line.split()[0] for line in coverage[1:]]
    assert statuses == sorted(statuses, key=["missing", "partial", "covered"].index) and "covered" in statuses
