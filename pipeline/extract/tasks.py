"""Tasks: the leaf items of task, assignment, organization and reporting sections."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Segmented, Task
from ..rules import Rules


def find_tasks(seg: Segmented, *, rules: Rules) -> Iterator[Task]:
    return iter(())
