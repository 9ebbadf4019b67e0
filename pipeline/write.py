"""Write stage: records to the contract's Parquet tables, atomically.

`write(tables, out_dir)` writes whole tables; a table appears under its final name only
once it is complete (temp file, then rename).

What a worker sends the runner is columnar (`Rows`: per table, a list of values per column of
its schema), made by `columns_of`; the runner builds each chunk's Arrow tables from them with
`chunk_tables` (see `pipeline.batch`). Columns pickle and unpickle for 60-75 % of what a dict
per row cost, and become Arrow arrays without a pass over dicts. `rows_of` gives the same rows
as dicts, for readers of one document.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .records import DocResult, RawDoc
from .schema import PIPELINE_VERSION, SCHEMA_VERSION, TABLES, arrow_schema


@cache
def _schema(name: str) -> pa.Schema:
    return arrow_schema(name)


@cache
def _empty(name: str) -> pa.Table:
    # an Arrow table is immutable: the empty one of each table is built once (a document has
    # no rows for several tables, and building even an empty table costs tens of microseconds)
    schema = _schema(name)
    return pa.Table.from_arrays([pa.array([], type=t) for t in schema.types], schema=schema)


def to_table(name: str, rows: Iterable[Mapping]) -> pa.Table:
    """Rows (dicts) to an Arrow table of the declared schema; undeclared keys fail."""
    schema = _schema(name)
    rows = list(rows)
    declared = set(schema.names)
    if not all(map(declared.issuperset, rows)):  # (C-level; the message is built on failure)
        for row in rows:
            extra = set(row) - declared
            if extra:
                raise ValueError(f"{name}: columns not in the contract: {sorted(extra)}")
    if not rows:
        return _empty(name)
    # (Arrow reads the columns from the rows itself, a missing optional key as null)
    return pa.Table.from_pylist(rows, schema=schema)


@cache
def _columns_of(cls: type, table: str) -> tuple[str, ...]:
    """The fields of record class CLS that are columns of TABLE, in field order."""
    cols = TABLES[table]
    return tuple(f.name for f in dataclasses.fields(cls) if f.name in cols)


_PLAIN = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime})


def _value(v):
    # rows are read from the fields directly (dataclasses.asdict deep-copies every record, a
    # sizeable share of the per-document time); only a nested record needs converting, and
    # most values are plain (checked first: is_dataclass on each cost ~4 % of a plan's time)
    if type(v) in _PLAIN:
        return v
    if isinstance(v, tuple | list):
        if any(dataclasses.is_dataclass(x) for x in v):
            return [dataclasses.asdict(x) if dataclasses.is_dataclass(x) else x for x in v]
        return list(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return dataclasses.asdict(v)
    return v


def _record_row(record, table: str) -> dict:
    return {k: _value(getattr(record, k)) for k in _columns_of(type(record), table)}


@cache
def _getter_of(cls: type, table: str) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """The columns of CLS in TABLE and a getter of their values as a tuple."""
    cols = _columns_of(cls, table)
    if len(cols) > 1:
        return cols, attrgetter(*cols)
    get = attrgetter(*cols) if cols else None  # (of one name it gives the value, not a tuple)
    return cols, (lambda r: (get(r),)) if get else (lambda r: ())


def _document_row(raw: RawDoc, text: str) -> dict:
    return {
        "doc_id": raw.doc_id, "source_path": raw.source_path,
        "source_format": raw.source_format, "status": raw.status, "error": raw.error,
        "n_chars": len(text), "n_pages": raw.n_pages, "ocr_used": raw.ocr_used,
        "ocr_confidence": raw.ocr_confidence,
        "clean_text": text, "pipeline_version": PIPELINE_VERSION,
        "schema_version": SCHEMA_VERSION,
    }


def rows_of(result: DocResult) -> dict[str, list[dict]]:
    """The rows one document contributes to each per-document table."""
    text = result.clean.text if result.clean else ""
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    out["documents"].append(_document_row(result.raw, text))
    for table, records in _record_tables(result):
        out[table] = records_to_rows(table, records)
    out["flags"] = records_to_rows("flags", result.flags)
    return out


def records_to_rows(table: str, records: Iterable) -> list[dict]:
    records = list(records)
    kinds = set(map(type, records))
    if len(kinds) != 1:
        return [_record_row(r, table) for r in records]
    # records of one class (the usual case): the values of every record by one attrgetter,
    # checked plain at once, and zipped into rows, all by C-level maps
    cols, get = _getter_of(kinds.pop(), table)
    values = list(map(get, records))
    if not _PLAIN.issuperset(map(type, chain.from_iterable(values))):
        values = [tuple(map(_value, v)) for v in values]
    return list(map(dict, map(zip, repeat(cols), values)))


# --- columnar rows: worker -> runner -----------------------------------------------------

Values = tuple[tuple[str, ...], list[tuple]]  # columns of a table, each record's values of them
Columns = dict[str, Sequence]  # one table's rows: every column of its schema, in order
Rows = dict[str, Columns]  # the tables one document fills (only those it has rows in)


def _record_tables(result: DocResult) -> Iterable[tuple[str, Sequence]]:
    """(table, records) of what the stages extracted (not documents, not flags)."""
    if result.segmented:
        yield "sections", result.segmented.sections
    ex = result.extracted
    if ex:
        yield "plans", (ex.plan,)
        yield from (("references", ex.references), ("tasks", ex.tasks),
                    ("assignments", ex.assignments), ("deadlines", ex.deadlines),
                    ("targets", ex.targets))


def record_values(table: str, records: Iterable) -> Values:
    """The columns of TABLE the records have, and each record's values of them as they are
    (a tuple stays a tuple: Arrow takes either). Records of one class (the usual case) are read
    by one C-level attrgetter; of mixed classes, each by its own fields (a column one lacks: None)."""
    records = records if isinstance(records, tuple | list) else list(records)
    kinds = set(map(type, records))
    if len(kinds) == 1:
        cols, get = _getter_of(kinds.pop(), table)
        return cols, list(map(get, records))
    cols = tuple(c for c in TABLES[table] if any(c in _columns_of(k, table) for k in kinds))
    return cols, [tuple(getattr(r, c, None) for c in cols) for r in records]


def extracted_values(result: DocResult) -> dict[str, Values]:
    """`record_values` of every table the stages extracted into (read once a document: the
    checks of one plan take them as dicts, `row_dicts`, and the runner as columns)."""
    return {table: record_values(table, records) for table, records in _record_tables(result)}


def row_dicts(values: Values) -> list[dict]:
    """VALUES as a dict a record (for the checks of one plan: values as the records hold them)."""
    cols, vals = values
    return list(map(dict, map(zip, repeat(cols), vals)))


def _columns(table: str, values: Values) -> Columns:
    cols, vals = values
    got = dict(zip(cols, zip(*vals, strict=True), strict=True)) if vals else {}
    nulls = (None,) * len(vals)
    return {c: got.get(c, nulls) for c in TABLES[table]}


def columns_of(result: DocResult, values: dict[str, Values] | None = None) -> Rows:
    """The rows RESULT contributes, columnar (`Rows`); VALUES: its `extracted_values`, if made."""
    if values is None:
        values = extracted_values(result)
    text = result.clean.text if result.clean else ""
    doc = _document_row(result.raw, text)  # (duplicate_of: the store's, when it consolidates)
    out: Rows = {"documents": {c: (doc.get(c),) for c in TABLES["documents"]}}
    for table in TABLES:  # (in the contract's order, as rows_of)
        v = values.get(table)
        if v is not None and v[1]:
            out[table] = _columns(table, v)
    if result.flags:
        out["flags"] = _columns("flags", record_values("flags", result.flags))
    return out


def chunk_tables(rows: Iterable[Rows]) -> dict[str, pa.Table]:
    """The Arrow tables of many documents' `Rows` (a chunk of the runner), in the contract's
    order, each with its declared schema; tables no document has rows in are left out."""
    rows = list(rows)
    out = {}
    for name in TABLES:
        parts = [r[name] for r in rows if name in r]
        if parts:
            out[name] = columns_table(name, parts)
    return out


def columns_table(name: str, parts: Sequence[Columns]) -> pa.Table:
    """The Arrow table of NAME from PARTS, columnar rows one after another."""
    schema = _schema(name)
    for cols in parts:
        if len(cols) != len(schema) or list(cols) != schema.names:
            extra = set(cols) - set(schema.names)
            if extra:
                raise ValueError(f"{name}: columns not in the contract: {sorted(extra)}")
            raise ValueError(f"{name}: columns not those of the contract: {list(cols)}")
    if len(parts) == 1:
        columns = [parts[0][f.name] for f in schema]
    else:
        columns = [list(chain.from_iterable(p[f.name] for p in parts)) for f in schema]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)],
                                schema=schema)


def column_rows(cols: Columns) -> list[dict]:
    """Columnar rows back to a dict a row, values as `rows_of` gives them."""
    return [{k: _value(v) for k, v in zip(cols, vals, strict=True)}
            for vals in zip(*cols.values(), strict=True)]


def _atomic_write(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write(tables: Mapping[str, Iterable[Mapping]], out_dir: Path) -> dict[str, Path]:
    """Write each named table to OUT_DIR/<name>.parquet; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, rows in tables.items():
        path = out_dir / f"{name}.parquet"
        _atomic_write(to_table(name, rows), path)
        written[name] = path
    return written
