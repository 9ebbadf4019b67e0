"""Extract stage: the facts of one segmented plan, one module per kind of fact.

Front matter first (the plan's year and place are context for the rest), then the tasks,
then what hangs on tasks: who, by when, to what level.
"""

from __future__ import annotations

from ..records import Extracted, Segmented
from ..rules import Rules
from .agencies import AgencyText
from .assignments import find_assignments
from .deadlines import find_deadlines
from .frontmatter import read_plan
from .references import find_references
from .tables import beside_tables, find_table_facts
from .targets import find_targets
from .tasks import find_tasks

__all__ = ["extract"]


def extract(seg: Segmented, *, rules: Rules) -> Extracted:
    plan, spans = read_plan(seg, rules=rules)
    # task tables: their rows are the tasks (a section holding one is not a task itself) and
    # their columns say who and by when; the text finders leave the table's cells alone
    table = find_table_facts(seg, rules=rules, plan=plan)
    covered = table.covers
    # the document's agency index, built once: task regions and assignments both read it (the
    # body and after: the sections begin there)
    agencies = AgencyText(seg.doc.text, rules, start=seg.body_start)
    tasks = tuple(sorted(beside_tables(list(find_tasks(seg, rules=rules, agencies=agencies)), table,
                                       seg.doc.text, rules=rules)
                         + list(table.tasks), key=lambda t: t.char_start))
    return Extracted(
        plan=plan,
        references=tuple(find_references(seg, rules=rules, plan=plan, spans=spans)),
        tasks=tasks,
        assignments=tuple(
            [a for a in find_assignments(seg, tasks, rules=rules, plan=plan, agencies=agencies)
             if not covered(a.char_start)]
            + list(table.assignments)),
        deadlines=tuple(
            [d for d in find_deadlines(seg, tasks, rules=rules, plan=plan) if not covered(d.char_start)]
            + list(table.deadlines)),
        targets=tuple(find_targets(seg, tasks, rules=rules, plan=plan)),
    )
