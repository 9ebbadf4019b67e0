"""Where a span stands: the task or section that contains an offset."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..records import Section, Task


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
