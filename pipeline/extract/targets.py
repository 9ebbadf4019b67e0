"""Measurable commitments: a number, a comparator, what it measures."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..records import PlanInfo, Segmented, Target, Task
from ..rules import Rules


def find_targets(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Target]:
    return iter(())
