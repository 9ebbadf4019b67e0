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
