"""Part files: the chunk's columnar rows as Parquet without dictionary pages or statistics,
consolidated alongside part files of older builds (written with Parquet's defaults)."""

import pyarrow.parquet as pq

from pipeline.records import DocResult, RawDoc
from pipeline.store import Done, Store
from pipeline.write import columns_of


def _done(seq: int, status: str = "error") -> Done:
    raw = RawDoc(doc_id=f"d{seq}", source_path=f"in/{seq}.txt", source_format="txt", status=status,
                 error="unreadable")
    return Done(seq, raw.source_path, raw.doc_id, "made", status, columns_of(DocResult(raw=raw)))


def _unwritable(d, what):
    raise AssertionError(f"{d.source_path}: {what}")


def test_parts_are_plain_and_old_parts_still_consolidate(tmp_path):
    store = Store(tmp_path / "out")
    store.commit([_done(0), _done(1)], "fp", _unwritable)
    part = tmp_path / "out" / "parts" / "documents" / "part-000001.parquet"
    meta = pq.ParquetFile(part).metadata.row_group(0)
    for i in range(meta.num_columns):
        col = meta.column(i)
        assert not col.is_stats_set and not col.has_dictionary_page, col.path_in_schema
    # a part as an older build wrote it (dictionary pages, statistics): read the same way
    store.commit([_done(2)], "fp", _unwritable)
    old = tmp_path / "out" / "parts" / "documents" / "part-000002.parquet"
    pq.write_table(pq.read_table(old), old)
    assert pq.ParquetFile(old).metadata.row_group(0).column(0).is_stats_set
    assert store.consolidate()["documents"] == 3
    store.close()
    docs = pq.read_table(tmp_path / "out" / "documents.parquet")
    assert docs.column("doc_id").to_pylist() == ["d0", "d1", "d2"]
    assert docs.column("error").to_pylist() == ["unreadable"] * 3
