"""Role scopes: which tasks a label, a heading or an intro line speaks for.

- A label inside a sentence or in parentheses speaks for the task it stands in (or, in a
  heading with items under it, for those items).
- A label at the start of a line (a field after an item, a `Phân công` block) speaks for the
  items before it under the same parent, back to the previous label group (CONTRACT:
  "Labels after a run of dash items apply to all of them back to the previous label block").
  With no item before it in its top section, it speaks for the whole plan when that section
  assigns work (`III. PHÂN CÔNG TRÁCH NHIỆM` with `- Cơ quan chủ trì: ...`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Section, Task
from .role_labels import Label

PLAN_KINDS = frozenset({"assignment", "organization", "tasks"})


@dataclass(frozen=True, slots=True)
class LabelScope:
    label: Label
    tasks: tuple[Task, ...]  # empty with plan=True: the whole plan
    plan: bool


def _deepest(sections: Sequence[Section], pos: int) -> Section | None:
    best = None
    for s in sections:
        if s.char_start <= pos < s.char_end and (best is None or s.level > best.level):
            best = s
    return best


def _under(tasks: Sequence[Task], s: Section) -> list[Task]:
    return [t for t in tasks if t.path == s.path or t.path.startswith(s.path + "/")]


def label_scopes(labels: Sequence[Label], sections: Sequence[Section], tasks: Sequence[Task]
                 ) -> list[LabelScope]:
    """Each label with the tasks it applies to (labels in document order)."""
    ordered = sorted(tasks, key=lambda t: t.char_start)
    starts = [t.char_start for t in ordered]
    by_id = {s.section_id: s for s in sections}
    tops = [s for s in sections if s.parent_section_id is None]
    floor: dict[str | None, int] = {}  # parent section -> end of its last label group
    out: list[LabelScope] = []
    group: tuple[int, tuple[Task, ...], bool] | None = None  # (tasks before, targets, plan)
    for lab in sorted(labels, key=lambda x: x.char_start):
        pos = lab.char_start
        n_before = bisect.bisect_right(starts, pos)
        if not lab.line_start:
            t = ordered[n_before - 1] if n_before else None
            if t is not None and t.char_start <= pos < t.char_end:
                out.append(LabelScope(lab, (t,), False))
                continue
            s = _deepest(sections, pos)
            under = _under(ordered, s) if s is not None else []
            if under:
                out.append(LabelScope(lab, tuple(under), False))
            continue
        if group is not None and group[0] == n_before:  # the next line of the same group
            out.append(LabelScope(lab, group[1], group[2]))
            continue
        top = next((s for s in tops if s.char_start <= pos < s.char_end), None)
        if top is None:
            group = None
            continue
        before = [t for t in ordered[:n_before] if t.char_start >= top.char_start]
        targets: tuple[Task, ...] = ()
        plan = False
        if before:
            last = by_id.get(before[-1].section_id)
            parent = last.parent_section_id if last else None
            low = floor.get(parent, -1)
            targets = tuple(t for t in before if t.char_start >= low and (
                t.section_id not in by_id or by_id[t.section_id].parent_section_id == parent))
            floor[parent] = pos + 1
        elif top.kind in PLAN_KINDS:
            plan = True
        group = (n_before, targets, plan)
        out.append(LabelScope(lab, targets, plan))
    return out
