"""benchmarks/store_scale.py kept working: a tiny synthetic store, every step runs (no timings asserted)."""

import shutil
import sys

import pyarrow.parquet as pq
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import store_scale  # noqa: E402


def test_store_scale_builds_a_store_the_pipeline_accepts(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted((ROOT / "corpus").glob("*.txt"))[:2]:
        shutil.copy(f, corpus / f.name)
    assert store_scale.main(["--sizes", "20", "--corpus", str(corpus), "--base", str(tmp_path / "base"),
                             "--work", str(tmp_path / "work"), "--keep"]) == 0
    out = capsys.readouterr().out
    names = ("consolidate", "crossdoc", "plus1", "again")
    steps = [ln.split() for ln in out.splitlines()
             if ln.split()[:1] and ln.split()[0].isdigit() and ln.split()[1:2] and ln.split()[1] in names]
    assert [s[1] for s in steps] == ["consolidate", "crossdoc", "plus1", "again"]
    assert all(s[2] != "nan" and len(s) == 5 for s in steps), out  # no step failed
    store = tmp_path / "work" / "store-20"
    plans = pq.read_table(store / "plans.parquet", columns=["doc_id"]).column(0).to_pylist()
    assert len(plans) == len(set(plans)) == 22  # 10 copies of 2, then one more copy
    assert (store / "report.html").exists()
