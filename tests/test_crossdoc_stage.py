"""Staging rows by part: buckets of whole parts, each part's rows read back whole and in order."""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import crossdoc_stage
from pipeline.crossdoc_io import StoreReader
from pipeline.crossdoc_stage import buckets


def test_buckets_hold_whole_parts_up_to_the_limit():
    counts = [(0, 10), (1, 10), (2, 10), (3, 50), (4, 1), (7, 1)]
    assert buckets(counts, row_bytes=1.0, limit=25) == [0, 2, 3, 4]
    assert buckets(counts, row_bytes=1.0, limit=10**6) == [0]
    # a part heavier than the limit is still one bucket, never split
    assert buckets([(0, 100)], row_bytes=1.0, limit=5) == [0]


@pytest.fixture
def store(tmp_path):
    """A store whose `documents` rows are wide (texts) and whose `tasks` rows are many."""
    docs = [f"d{i:03d}" for i in range(60)]
    texts = [f"văn bản {d} " * (50 + i) for i, d in enumerate(docs)]
    pq.write_table(pa.table({"doc_id": docs, "clean_text": texts}), tmp_path / "documents.parquet",
                   row_group_size=7)
    tasks = [(d, f"{d}-t{k}") for k in range(5) for d in reversed(docs)]  # a document's rows apart
    pq.write_table(pa.table({"doc_id": [d for d, _ in tasks], "task_id": [t for _, t in tasks]}),
                   tmp_path / "tasks.parquet", row_group_size=11)
    return tmp_path, docs


@pytest.mark.parametrize("bucket_bytes, open_writers",
                         [(crossdoc_stage.BUCKET_BYTES, 128), (2_000, 128), (1, 128), (1, 2)])
def test_each_part_reads_back_the_rows_it_would_read_from_the_store(store, monkeypatch, bucket_bytes,
                                                                    open_writers):
    out, docs = store
    monkeypatch.setattr(crossdoc_stage, "BUCKET_BYTES", bucket_bytes)
    # with 2 streams open at most and a row at a time, buckets come back in several pieces
    monkeypatch.setattr(crossdoc_stage, "OPEN_WRITERS", open_writers)
    if open_writers == 2:
        monkeypatch.setattr(crossdoc_stage, "BATCH_BYTES", 1)
        opened = []
        real = crossdoc_stage.pa.ipc.new_stream
        monkeypatch.setattr(crossdoc_stage.pa.ipc, "new_stream", lambda *a: opened.append(a) or real(*a))
    # parts of 8 plans; d000 (a parent, say) is in every part as well
    parts = [(d, i // 8) for i, d in enumerate(docs)] + [("d000", k) for k in range(1, 8)]
    r = StoreReader(out)
    try:
        want = {k: {t: r.rows(t, [d for d, p in parts if p == k]) for t in ("documents", "tasks")}
                for k in range(8)}
        r.stage(parts, {"documents": ("clean_text",), "tasks": None})
        assert set(r.staged) == {"documents", "tasks"}
        if open_writers == 2:
            assert len(opened) > len(r.staged["documents"].files) + len(r.staged["tasks"].files)
        files = {f for s in r.staged.values() for f in s.files}
        if bucket_bytes == 1:
            assert len(r.staged["documents"].files) == 8  # one bucket per part
        for k in range(8):
            r.use_part(k)
            for t in ("documents", "tasks"):
                got = r.rows(t, docs)  # only the part's own documents come back
                assert got == want[k][t], (k, t)
        r.unstage()
        assert not any(os.path.exists(f) for f in files)
    finally:
        r.close()


def test_a_part_with_no_rows_in_a_table_reads_nothing(store):
    out, docs = store
    r = StoreReader(out)
    try:
        r.stage([(docs[0], 0), ("not-in-store", 1), (docs[1], 2)], {"tasks": None})
        r.use_part(1)
        assert r.rows("tasks", ["not-in-store"]) == {}
        r.use_part(2)
        got = r.rows("tasks", [docs[1]])[docs[1]]
        assert [x["task_id"] for x in got] == [f"{docs[1]}-t{k}" for k in range(5)]
    finally:
        r.close()


@pytest.mark.parametrize("bucket_bytes", [crossdoc_stage.BUCKET_BYTES, 1])
def test_rows_staged_under_every_part_are_read_with_each_part(store, monkeypatch, bucket_bytes):
    out, docs = store
    monkeypatch.setattr(crossdoc_stage, "BUCKET_BYTES", bucket_bytes)
    r = StoreReader(out)
    try:
        every = crossdoc_stage.EVERY_PART
        r.stage([(docs[0], 0), (docs[1], 1), (docs[2], 2), (docs[59], every)], {"tasks": None})
        for k in range(3):
            r.use_part(k)
            got = r.rows("tasks", docs)
            assert set(got) == {docs[k], docs[59]}, k
            assert [x["task_id"] for x in got[docs[59]]] == [f"{docs[59]}-t{j}" for j in range(5)]
    finally:
        r.close()
