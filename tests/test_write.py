import datetime as dt

import pyarrow.parquet as pq
import pytest

from pipeline.schema import TABLES, arrow_schema
from pipeline.write import to_table, write


def test_every_contract_table_has_a_schema():
    for name in TABLES:
        schema = arrow_schema(name)
        assert schema.metadata[b"schema_version"] == b"1"


def test_undeclared_column_fails():
    with pytest.raises(ValueError, match="not in the contract"):
        to_table("flags", [{"doc_id": "a", "severity": "info", "code": "X", "message": "m", "oops": 1}])


def test_write_types_follow_the_contract(tmp_path):
    row = {"doc_id": "d", "task_id": None, "path": None, "kind": "date",
           "due_date": dt.date(2026, 3, 1), "raw": "trước ngày 01/3/2026", "char_start": 0, "char_end": 5}
    paths = write({"deadlines": [row]}, tmp_path)
    table = pq.read_table(paths["deadlines"])
    assert str(table.schema.field("due_date").type) == "date32[day]"
    assert table.column("due_date")[0].as_py() == dt.date(2026, 3, 1)
    assert not list(tmp_path.glob(".*tmp*"))


def test_record_rows_are_read_from_the_fields():
    import dataclasses

    from pipeline.records import PlanInfo, Task
    from pipeline.write import records_to_rows

    task = Task(doc_id="d", task_id="d:t:1", section_id="d:s:1", path="1", text="Tập huấn",
                theme="capacity", char_start=3, char_end=11)
    plan = PlanInfo(doc_id="d", doc_kind="ke_hoach", issuer="UBND", issuer_level="province",
                    title="Kế hoạch", recipients=("A", "B"))
    # the same rows dataclasses.asdict gave: columns of the table only, tuples as lists
    for table, rec in (("tasks", task), ("plans", plan)):
        want = {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(rec).items() if k in TABLES[table]}
        assert records_to_rows(table, [rec]) == [want]
    assert records_to_rows("plans", [plan])[0]["recipients"] == ["A", "B"]


def test_rows_of_one_class_and_of_mixed_classes_are_the_same():
    from pipeline.records import Flag, Task
    from pipeline.write import _record_row, records_to_rows

    tasks = [Task(doc_id="d", task_id=f"d:t:{i}", section_id="d:s:1", path=str(i), text="Tập huấn",
                  theme="capacity", char_start=i, char_end=i + 5) for i in range(3)]
    rows = records_to_rows("tasks", tasks)
    assert rows == [_record_row(t, "tasks") for t in tasks]
    assert list(rows[0]) == list(TABLES["tasks"])  # the columns in the contract's order
    assert rows[2]["char_start"] == 2 and rows[0] is not rows[1]
    # records of two classes (a subclass among them): each read by its own fields
    sub = type("SubTask", (Task,), {})
    mixed = [tasks[0], sub(**{k: getattr(tasks[1], k) for k in TABLES["tasks"]})]
    assert records_to_rows("tasks", mixed) == rows[:2]
    assert records_to_rows("flags", iter([])) == []
    flag = Flag(doc_id="d", severity="info", code="X", message="m")
    assert records_to_rows("flags", (flag,)) == [_record_row(flag, "flags")]


def test_to_table_empty_and_from_any_mapping():
    from collections import UserDict

    empty = to_table("coverage", [])
    assert empty.num_rows == 0 and empty.schema.equals(arrow_schema("coverage"), check_metadata=True)
    assert to_table("coverage", iter(())) is empty  # (immutable: built once)
    row = {"doc_id": "a", "severity": "info", "code": "X", "message": "m"}
    t = to_table("flags", [row, UserDict(row)])
    assert t.schema.equals(arrow_schema("flags"), check_metadata=True)
    assert t.column("code").to_pylist() == ["X", "X"]
    assert t.column("task_id").to_pylist() == [None, None]  # a missing optional column is null
    with pytest.raises(ValueError, match="oops"):
        to_table("flags", [row, UserDict(row, oops=1)])
