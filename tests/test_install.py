"""The package as a user installs it: a wheel (not editable) carries its rules and runs from anywhere."""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pandas as pd
from conftest import CORPUS, ROOT


def test_wheel_installs_and_runs_from_another_folder(tmp_path):
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools would ship stale modules left there
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = wheels.glob("kehoach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pipeline/ruledata/headings.yaml" in names
    assert any(n.startswith("pipeline/ruledata/mandates/") for n in names)
    # every module of the source tree is in the wheel (pyproject lists the packages by name)
    for module in (ROOT / "pipeline").rglob("*.py"):
        assert module.relative_to(ROOT).as_posix() in names, module

    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # a fresh venv holding only the wheel; its dependencies come from this interpreter's
    # site-packages through a .pth line (no editable finder, no checkout on the path)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = str(bin_dir / "python")
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    # --ignore-installed: the editable kehoach seen through deps.pth is not this install
    subprocess.run([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--ignore-installed",
                    "-q", str(wheel)], check=True, capture_output=True, env=clean_env)

    work = tmp_path / "elsewhere"
    work.mkdir()
    plan = sorted(CORPUS.glob("*.txt"))[1]
    (work / plan.name).write_bytes(plan.read_bytes())
    probe = "import pipeline, pipeline.rules as r; print(pipeline.__file__); print(r.DEFAULT_RULES_DIR)"
    where = subprocess.run([py, "-c", probe], cwd=work, env=clean_env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr[-2000:]
    where = where.stdout.split("\n")
    assert str(env_dir) in where[0] and str(ROOT) not in where[0]
    assert where[1].endswith(os.path.join("pipeline", "ruledata"))  # the packaged rules
    cmd = [str(bin_dir / "kehoach"), "run", plan.name, "--out", "out", "--workers", "0", "--no-progress"]
    run = subprocess.run(cmd, cwd=work, env=clean_env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(pd.read_parquet(work / "out" / "tasks.parquet")) > 10
