"""The labelled fields of each task: `- Đơn vị chủ trì: ...`, `Thời gian thực hiện: ...`.

A block of field lines after an item belongs to the items before it in the same section,
back to the previous block (CONTRACT, "Labelled fields": labels after a run of dash items
apply to all of them); a `Phân công` block is one such block. The lines themselves are found
by pipeline/fields.py from the labels in rules/headings.yaml.

    >>> # for t in tasks: for f in task_fields(text, sections, tasks, rules=rules).get(t.task_id, []):
    >>> #     f.kind ('lead', 'coordinate', 'any', 'time', ...), text[f.value_start:f.value_end]
"""

from __future__ import annotations

from collections.abc import Sequence

from ..fields import Field
from ..records import Section, Task
from ..rules import Rules
from .locate import block_scopes


def task_fields(text: str, sections: Sequence[Section], tasks: Sequence[Task], *,
                rules: Rules) -> dict[str, list[Field]]:
    """task_id -> the labelled field lines that describe that task, in text order."""
    out: dict[str, list[Field]] = {}
    for _top, block, targets in block_scopes(text, sections, tasks, rules=rules):
        for t in targets:
            out.setdefault(t.task_id, []).extend(block.fields)
    return out
