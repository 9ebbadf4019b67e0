"""`--executor dask`: the same stages on a Dask cluster write the same tables."""

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS

from pipeline.batch import run
from pipeline.schema import TABLES

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def cluster():
    # In-process workers (threads) keep the test fast; the tasks still go through the
    # scheduler, serialized, as on a real cluster.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as c:
        yield c


def test_dask_writes_the_same_tables_as_the_local_pool(tmp_path, rules, cluster):
    files = sorted(CORPUS.glob("*.txt"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "empty.txt").write_bytes(b"")
    inputs = [*files, tmp_path / "broken.pdf", tmp_path / "empty.txt"]
    local = run(inputs, tmp_path / "local", rules=rules, workers=0, progress=False)
    dask = run(inputs, tmp_path / "dask", rules=rules, executor="dask",
               scheduler=cluster.scheduler_address, chunk_size=3, progress=False)
    assert dask.by_status == local.by_status
    assert dask.n_documents == len(inputs)
    for name in TABLES:
        a = pq.read_table(tmp_path / "local" / f"{name}.parquet").to_pandas()
        b = pq.read_table(tmp_path / "dask" / f"{name}.parquet").to_pandas()
        pd.testing.assert_frame_equal(a, b, obj=name)
    # the per-chunk parts form a partitioned dataset of the same rows
    parts = pq.read_table(tmp_path / "dask" / "parts" / "documents").to_pandas()
    docs = pq.read_table(tmp_path / "dask" / "documents.parquet").to_pandas()
    assert len(parts) == len(inputs) and set(parts["doc_id"]) == set(docs["doc_id"])


def test_dask_run_needs_a_scheduler(tmp_path, rules):
    with pytest.raises(ValueError, match="scheduler"):
        run([CORPUS], tmp_path / "out", rules=rules, executor="dask", progress=False)


def test_cross_document_groups_run_on_the_cluster(tmp_path, rules, cluster, monkeypatch):
    """The comparison of plans is mapped over the cluster, and gives the local tables."""
    from pipeline import crossdoc_compare, executors

    shipped = []
    real_map = executors.DaskExecutor.map

    def counting_map(self, fn, items):
        for result in real_map(self, fn, items):
            shipped.append(result)
            yield result

    monkeypatch.setattr(executors.DaskExecutor, "map", counting_map)
    files = sorted(CORPUS.glob("*.txt"))
    local = tmp_path / "local"
    run(files, local, rules=rules, workers=0, progress=False)
    run(files, tmp_path / "dask", rules=rules, executor="dask", scheduler=cluster.scheduler_address,
        progress=False)
    assert shipped and all(isinstance(r, crossdoc_compare.GroupResult) for r in shipped)
    for name in ("coverage", "plan_links", "localization", "flags"):
        a = pq.read_table(local / f"{name}.parquet").to_pandas()
        b = pq.read_table(tmp_path / "dask" / f"{name}.parquet").to_pandas()
        pd.testing.assert_frame_equal(a, b, obj=name)
