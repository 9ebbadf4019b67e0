"""Who must do each task: lead, coordinate, requested, standing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..records import Assignment, PlanInfo, Segmented, Task
from ..rules import Rules


def find_assignments(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Assignment]:
    return iter(())
