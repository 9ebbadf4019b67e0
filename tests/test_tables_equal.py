"""scripts/tables_equal.py: two runs' tables compared as tables (row order free)."""

import importlib.util
from pathlib import Path

from pipeline.write import write

_SPEC = importlib.util.spec_from_file_location(
    "tables_equal", Path(__file__).resolve().parent.parent / "scripts" / "tables_equal.py")
tables_equal = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tables_equal)


def _task(path: str, theme: str) -> dict:
    return {"doc_id": "d", "task_id": f"d:t:{path}", "section_id": "d:s:1", "path": path,
            "text": "Tập huấn", "theme": theme, "char_start": 0, "char_end": 8}


def test_row_order_does_not_matter_but_values_do(tmp_path):
    write({"tasks": [_task("1", "capacity"), _task("2", "other")]}, tmp_path / "a")
    write({"tasks": [_task("2", "other"), _task("1", "capacity")]}, tmp_path / "b")
    write({"tasks": [_task("2", "other"), _task("1", "budget")]}, tmp_path / "c")
    assert tables_equal.compare(tmp_path / "a", tmp_path / "b", set(), set())
    assert not tables_equal.compare(tmp_path / "a", tmp_path / "c", set(), set())
    # a column allowed to differ: the rows must still agree on every other column
    assert tables_equal.compare(tmp_path / "a", tmp_path / "c", set(), {"tasks.theme"})
    assert tables_equal.compare(tmp_path / "a", tmp_path / "c", {"theme"}, set())
