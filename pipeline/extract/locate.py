"""Where a span stands: the task or section that contains an offset."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from ..records import Section, Task
from ..rules import Rules
from .tasks import Block, find_blocks


def task_at(tasks: Sequence[Task], pos: int) -> Task | None:
    """The innermost task whose span contains POS (tasks do not overlap)."""
    starts = [t.char_start for t in tasks]
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and tasks[i].char_start <= pos < tasks[i].char_end:
        return tasks[i]
    return None


def section_at(sections: Sequence[Section], pos: int) -> Section | None:
    """The deepest section whose span contains POS."""
    best = None
    for s in sections:
        if s.char_start <= pos < s.char_end and (best is None or s.level > best.level):
            best = s
    return best


def task_locator(tasks: Sequence[Task]) -> Callable[[int], Task | None]:
    """`task_at` for many offsets: the index is built once (per call it is quadratic)."""
    starts = [t.char_start for t in tasks]

    def at(pos: int) -> Task | None:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and tasks[i].char_start <= pos < tasks[i].char_end:
            return tasks[i]
        return None
    return at


def section_locator(sections: Sequence[Section]) -> Callable[[int], Section | None]:
    """`section_at` for many offsets: the last section starting at or before POS, or the
    nearest of its ancestors that contains POS (sections nest)."""
    ordered = sorted(sections, key=lambda s: s.char_start)
    starts = [s.char_start for s in ordered]
    by_id = {s.section_id: s for s in sections}

    def at(pos: int) -> Section | None:
        i = bisect.bisect_right(starts, pos) - 1
        s = ordered[i] if i >= 0 else None
        while s is not None and not s.char_start <= pos < s.char_end:
            s = by_id.get(s.parent_section_id) if s.parent_section_id else None
        return s
    return at


def block_scopes(text: str, sections: Sequence[Section], tasks: Sequence[Task], *,
                 rules: Rules) -> list[tuple[Section, Block, list[Task]]]:
    """Each `Phân công` block as (top section, block, the tasks it applies to): the items
    before it in the same section, back to the previous block of that section (CONTRACT).
    A block with no item before it gets no task (plan-wide in a section of its own)."""
    by_id = {s.section_id: s for s in sections}
    ordered = sorted(tasks, key=lambda t: t.char_start)
    starts = [t.char_start for t in ordered]  # the tasks before a block by bisection, not a scan
    out: list[tuple[Section, Block, list[Task]]] = []
    last_block_end: dict[str | None, int] = {}
    for top in [s for s in sections if s.parent_section_id is None]:
        lo = bisect.bisect_left(starts, top.char_start)
        for b in find_blocks(text, top.char_start, top.char_end, rules=rules):
            before = ordered[lo:max(lo, bisect.bisect_left(starts, b.start))]
            targets: list[Task] = []
            if before:
                parent = by_id[before[-1].section_id].parent_section_id
                floor = last_block_end.get(parent, -1)
                targets = [t for t in before if by_id[t.section_id].parent_section_id == parent
                           and t.char_start >= floor]
                last_block_end[parent] = b.end
            out.append((top, b, targets))
    return out
