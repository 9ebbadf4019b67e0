"""Consolidation streams the parts into bounded row groups, in output order."""

import pyarrow.parquet as pq
from conftest import CORPUS

from pipeline import store as store_mod
from pipeline.batch import run
from pipeline.schema import TABLES


def test_small_row_groups_hold_the_same_rows_in_the_same_order(tmp_path, rules, monkeypatch):
    files = sorted(CORPUS.glob("*.txt"))
    run(files, tmp_path / "one", rules=rules, workers=0, progress=False)
    monkeypatch.setattr(store_mod, "ROW_GROUP_ROWS", {"documents": 2, None: 50})
    monkeypatch.setattr(store_mod, "PARTS_HELD", 1)  # every part re-read when its turn comes
    run(files, tmp_path / "small", rules=rules, workers=0, progress=False, chunk_size=2)
    for name in TABLES:
        a = pq.read_table(tmp_path / "one" / f"{name}.parquet")
        b = pq.read_table(tmp_path / "small" / f"{name}.parquet")
        assert a.to_pylist() == b.to_pylist(), name
    docs = pq.ParquetFile(tmp_path / "small" / "documents.parquet").metadata
    assert docs.num_row_groups == -(-docs.num_rows // 2)
    sections = pq.ParquetFile(tmp_path / "small" / "sections.parquet").metadata
    assert sections.num_row_groups >= sections.num_rows // 50
