"""When: due dates, recurring schedules, periods, annual days."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..records import Deadline, PlanInfo, Segmented, Task
from ..rules import Rules


def find_deadlines(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Deadline]:
    return iter(())
