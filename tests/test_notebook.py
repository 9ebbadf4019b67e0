"""notebooks/coverage.ipynb runs top to bottom on a store (the hand-made one of test_report)."""

from pathlib import Path

import pytest

from pipeline.crossdoc import finish

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "coverage.ipynb"


def test_coverage_notebook_runs(tmp_path, rules, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="install the dev extras: pip install -e .[dev]")
    nbclient = pytest.importorskip("nbclient", reason="install the dev extras: pip install -e .[dev]")
    pytest.importorskip("ipykernel", reason="install the dev extras: pip install -e .[dev]")
    pytest.importorskip("matplotlib", reason="install the dev extras: pip install -e .[dev]")
    from test_report import make_store

    out = make_store(tmp_path / "out")
    finish(out, rules=rules)
    monkeypatch.setenv("KEHOACH_OUT", str(out))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert len(nb.cells) <= 8  # kept small
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "2 plans" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # per locality, per task group
    tables = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "xã Hòa Xá" in tables
