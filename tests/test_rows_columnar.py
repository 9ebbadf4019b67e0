"""Columnar rows (what a worker sends the runner) hold the rows of `rows_of`, and the runner's
Arrow tables made of them are those `to_table` makes of the dicts."""

import pyarrow as pa
import pytest
from conftest import ROOT

from pipeline.docflags import result_flags
from pipeline.process import parse_file, process_file
from pipeline.records import DocResult, Flag, RawDoc, Task
from pipeline.schema import TABLES
from pipeline.write import (
    chunk_tables,
    column_rows,
    columns_of,
    columns_table,
    extracted_values,
    record_values,
    rows_of,
    to_table,
)


def _plans():
    return sorted((ROOT / "corpus").glob("00*_*.txt"))[:4]


def _dicts_of(rows: dict) -> dict[str, list[dict]]:
    """Columnar rows as rows_of gives them (a missing optional key and None are one to Arrow)."""
    return {t: [{k: v for k, v in r.items() if v is not None} for r in column_rows(cols)]
            for t, cols in rows.items()}


def _no_nones(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {t: [{k: v for k, v in r.items() if v is not None} for r in rs] for t, rs in rows.items() if rs}


def test_columns_hold_the_rows_of_rows_of(rules):
    failed = DocResult(raw=RawDoc(doc_id="x", source_path="x.txt", source_format="txt", status="error",
                                  error="unreadable"))
    results = [process_file(p, rules=rules) for p in _plans()] + [failed]
    for result in results:
        rows = columns_of(result)
        assert _dicts_of(rows) == _no_nones(rows_of(result))
        for table, cols in rows.items():  # every column of the schema, in order, of one length
            assert list(cols) == list(TABLES[table])
            assert len({len(v) for v in cols.values()}) == 1
    assert list(columns_of(failed)) == ["documents"]  # tables without rows are left out


def test_parse_file_is_process_file_with_its_rows(rules):
    flagged = 0
    for path in _plans():
        result, rows = parse_file(path, rules=rules, source_path="a/b.txt")
        again = process_file(path, rules=rules, source_path="a/b.txt")
        assert result == again
        assert rows == columns_of(again)
        assert list(rows.get("flags", {}).get("code", ())) == [f.code for f in again.flags]
        flagged += bool(again.flags)
    assert flagged  # the document's flags ride along with its rows


def test_flags_from_values_made_once_are_those_made_afresh(rules):
    for path in _plans():
        result = process_file(path, rules=rules)
        assert result_flags(result, rules, extracted_values(result)) == result_flags(result, rules)
        assert result_flags(result, rules) == result.flags


def test_a_chunks_tables_are_to_tables_of_its_dicts(rules):
    results = [process_file(p, rules=rules) for p in _plans()]
    got = chunk_tables([columns_of(r) for r in results])
    want = {}
    for r in results:
        for table, rs in rows_of(r).items():
            want.setdefault(table, []).extend(rs)
    assert list(got) == [t for t in TABLES if want[t]]  # the contract's order, empty ones left out
    for table, t in got.items():
        assert t.equals(to_table(table, want[table]), check_metadata=True), table
    assert got["plans"].column("recipients").type == pa.list_(pa.string())


def test_records_of_mixed_classes_and_columns_they_lack():
    tasks = [Task(doc_id="d", task_id=f"d:t:{i}", section_id="d:s:1", path=str(i), text="Tập huấn",
                  theme="capacity", char_start=i, char_end=i + 5) for i in range(2)]
    sub = type("SubTask", (Task,), {})
    mixed = [tasks[0], sub(**{k: getattr(tasks[1], k) for k in TABLES["tasks"]})]
    assert record_values("tasks", mixed) == record_values("tasks", tasks)
    cols, values = record_values("flags", iter([Flag(doc_id="d", severity="info", code="X", message="m")]))
    assert cols[:4] == ("doc_id", "severity", "code", "message") and values[0][:4] == ("d", "info", "X", "m")


def test_columns_outside_the_contract_or_of_the_wrong_type_fail():
    flag = {"doc_id": ["a"], "severity": ["info"], "code": ["X"], "message": ["m"], "path": [None],
            "task_id": [None], "char_start": [None], "char_end": [None]}
    assert columns_table("flags", [flag, flag]).column("code").to_pylist() == ["X", "X"]
    with pytest.raises(ValueError, match="oops"):
        columns_table("flags", [{**flag, "oops": [1]}])
    with pytest.raises(ValueError, match="not those of the contract"):
        columns_table("flags", [{k: v for k, v in flag.items() if k != "path"}])
    with pytest.raises((TypeError, pa.ArrowException)):
        columns_table("flags", [{**flag, "char_start": ["2026-2030"]}])
