"""Extract stage: the facts of one segmented plan, one module per kind of fact.

Front matter first (the plan's year and place are context for the rest), then the tasks,
then what hangs on tasks: who, by when, to what level.
"""

from __future__ import annotations

from ..records import Extracted, Segmented
from ..rules import Rules
from .assignments import find_assignments
from .deadlines import find_deadlines
from .frontmatter import find_plan
from .references import find_references
from .targets import find_targets
from .tasks import find_tasks

__all__ = ["extract"]


def extract(seg: Segmented, *, rules: Rules) -> Extracted:
    plan = find_plan(seg, rules=rules)
    tasks = tuple(find_tasks(seg, rules=rules))
    return Extracted(
        plan=plan,
        references=tuple(find_references(seg, rules=rules, plan=plan)),
        tasks=tasks,
        assignments=tuple(find_assignments(seg, tasks, rules=rules, plan=plan)),
        deadlines=tuple(find_deadlines(seg, tasks, rules=rules, plan=plan)),
        targets=tuple(find_targets(seg, tasks, rules=rules, plan=plan)),
    )
