"""Staging: the rows of many chunks ("parts") of plans copied out of a table in one scan.

A run over many chunks would otherwise scan every table once per chunk. The staged rows of a
part must be cheap to find, so each staged file is sorted by part, in small row groups found by
their statistics. Sorting the joined rows in DuckDB did not keep to its memory cap: with 10^5
plans it overshot it by some 300 MB on narrow tables and gave up on `clean_text` (2 GB), which
then fell back to a scan of the store for every chunk. So DuckDB only streams the rows, and they
are sorted here a bucket at a time:

1. count the rows of each part, and weigh a row from a sample;
2. stream the rows (no order), each to the bucket of its part: buckets are runs of consecutive
   parts of at most BUCKET_BYTES each (a part is never split);
3. sort each bucket by (part, row in its file) in memory and write it in row groups of about
   ROW_GROUP_BYTES.

Memory stays about two buckets whatever the store's size, and every step is linear in the rows.
"""

from __future__ import annotations

import bisect
import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["StagedTable", "stage_table", "BUCKET_BYTES", "ROW_GROUP_BYTES", "EVERY_PART"]

BUCKET_BYTES = 16 << 20  # one bucket is sorted at a time, in memory
ROW_GROUP_BYTES = 1 << 20  # a part's rows are read a row group at a time
BATCH_BYTES = 2 << 20  # rows streamed from DuckDB at a time (it reads ahead of them: 8 MB cost ~70 MB more)
SAMPLE_ROWS = 2048
OPEN_WRITERS = 128  # unsorted streams open at once (a bucket's stream may come in several pieces)
EVERY_PART = -1  # rows staged under this part are read with every part


@dataclass(frozen=True)
class StagedTable:
    """Where a table's staged rows are: FILES[i] holds the parts from FIRST_PARTS[i] on. Rows
    staged under part EVERY_PART (-1) are read with every part."""

    files: tuple[str, ...]
    first_parts: tuple[int, ...]
    columns: frozenset[str]

    def file_of(self, part: int) -> str | None:
        i = bisect.bisect_right(self.first_parts, part) - 1
        return (self.files[i] or None) if i >= 0 else None

    def sources(self, part: int) -> list[tuple[str, int]]:
        """(file, part) of PART's rows and of the rows every part reads, where there are any."""
        out = [(self.file_of(part), part)]
        if self.first_parts and self.first_parts[0] == EVERY_PART and part != EVERY_PART:
            out.insert(0, (self.file_of(EVERY_PART), EVERY_PART))
        return [(f, p) for f, p in out if f]


def buckets(counts: Sequence[tuple[int, int]], row_bytes: float, limit: int | None = None) -> list[int]:
    """First part of each bucket: consecutive parts (COUNTS: (part, rows), sorted by part) while
    their rows weigh at most LIMIT; a part heavier than LIMIT is a bucket of its own."""
    limit = BUCKET_BYTES if limit is None else limit
    firsts: list[int] = []
    size = 0.0
    for part, n in counts:
        weight = n * row_bytes
        if not firsts or size + weight > limit:
            firsts.append(part)
            size = 0.0
        size += weight
    return firsts


def _read_stream(path: Path) -> pa.Table:
    with pa.OSFile(str(path)) as f:
        return pa.ipc.open_stream(f).read_all()


def stage_table(con, joined: str, folder: Path, columns: Sequence[str]) -> StagedTable:
    """Stage the rows of JOINED (a FROM clause whose rows carry `part` and `frn`, their row in
    the table's file) into FOLDER, through CON (DuckDB). COLUMNS: the table's columns staged."""
    counts = [(int(p), int(n)) for p, n in
              con.execute(f"SELECT part, count(*) FROM {joined} GROUP BY part ORDER BY part").fetchall()]
    cols = frozenset(columns)
    if not counts:
        return StagedTable((), (), cols)
    sample = con.sql(f"SELECT * FROM {joined} LIMIT {SAMPLE_ROWS}").to_arrow_table()
    row_bytes = max(1.0, sample.nbytes / max(1, sample.num_rows))
    del sample
    firsts = buckets(counts, row_bytes)
    folder.mkdir(parents=True, exist_ok=True)
    # the unsorted rows go to Arrow IPC streams: a Parquet writer open per bucket kept every row
    # group's metadata until closed (one row group per batch and bucket), which grew with the
    # store's buckets (sections at 10^5 plans: 250 buckets, ~180 MB over the start)
    # (at most OPEN_WRITERS open at a time: 250 buckets at 10^5 plans would be 2,500 open files at
    # 10^6, past a common limit of 1,024; a bucket whose stream was closed goes on in a new piece)
    pieces: list[list[Path]] = [[] for _ in firsts]
    writers: OrderedDict[int, pa.ipc.RecordBatchStreamWriter] = OrderedDict()
    starts = np.asarray(firsts, dtype=np.int64)
    try:
        reader = con.sql(f"SELECT * FROM {joined}").to_arrow_reader(
            max(1, int(BATCH_BYTES / row_bytes)))
        for batch in reader:
            which = np.searchsorted(starts, batch.column("part").to_numpy(), side="right") - 1
            for b in np.unique(which):
                rows = batch.take(pa.array(np.flatnonzero(which == b)))
                if b in writers:
                    writers.move_to_end(b)
                else:
                    if len(writers) >= OPEN_WRITERS:
                        writers.popitem(last=False)[1].close()
                    path = folder / f".b{b}.{len(pieces[b])}.unsorted"
                    pieces[b].append(path)
                    writers[b] = pa.ipc.new_stream(str(path), rows.schema)
                writers[b].write_batch(rows)
    finally:
        for w in writers.values():
            w.close()
    # each bucket sorted in memory (a bucket is about BUCKET_BYTES), written in small row groups
    per_group = max(16, min(2048, int(ROW_GROUP_BYTES / row_bytes)))
    files = []
    for i, paths in enumerate(pieces):
        final = folder / f"b{i}.parquet"
        if paths:
            rows = pa.concat_tables([_read_stream(p) for p in paths])
            rows = rows.sort_by([("part", "ascending"), ("frn", "ascending")])
            pq.write_table(rows, final, row_group_size=per_group)
            del rows
            for p in paths:
                os.remove(p)
            files.append(str(final))
        else:  # no row of its parts came (the count said otherwise): nothing to read
            files.append("")
    return StagedTable(tuple(files), tuple(firsts), cols)
