"""What a run says on stderr after its progress bar: each cross-document step as it starts, and
the workbook and DuckDB file only when they are written again."""

from pathlib import Path

from conftest import CORPUS

from pipeline.batch import run


def _steps(err: str) -> list[str]:
    return [line.removeprefix("kehoach: ").removesuffix(" …") for line in err.splitlines()
            if line.startswith("kehoach: ")]


def test_a_run_names_its_steps_after_the_bar_and_skips_unchanged_exports(tmp_path, rules, capfd):
    files = sorted(Path(CORPUS).glob("*.txt"))[:2]
    out = tmp_path / "out"
    run(files, out, rules=rules, workers=0, progress=True)
    first = _steps(capfd.readouterr().err)
    assert first == ["linking plans to their parents and checking what they carry out",
                     f"writing {out / 'kehoach.duckdb'}", f"writing {out / 'kehoach.xlsx'}",
                     f"writing {out / 'report.html'}"]
    run(files, out, rules=rules, workers=0, progress=True)  # nothing changed: no export again
    assert _steps(capfd.readouterr().err) == [first[0], first[-1]]
    run(files, tmp_path / "quiet", rules=rules, workers=0, progress=False)
    assert _steps(capfd.readouterr().err) == []
