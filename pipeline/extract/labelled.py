"""The tasks a labelled time line belongs to (`- Thời gian thực hiện: Quý IV/2025` after an
item): the items before it in its section, back to the previous time label (CONTRACT,
"Labelled fields": labels after a run of items apply to all of them).

A stand-in until the segmenter exposes labelled fields as parts of their task; kept small so
it is easy to swap."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Section, Task
from ..rules import Rules
from .timevalues import time_fields

__all__ = ["labelled_tasks"]


def labelled_tasks(pos: int, text: str, section: Section, tasks: Sequence[Task],
                   rules: Rules) -> list[Task]:
    """The tasks the time label line at POS times; [] when POS is not on such a line."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    here = [f for f in time_fields(text, rules, line_start, line_end) if f[1] <= pos <= f[2]]
    if not here:
        return []
    label = here[0][0]
    floor = section.char_start
    for _lo, _vlo, vhi in time_fields(text, rules, section.char_start, label):
        floor = max(floor, vhi)  # the previous label block of this section
    # the line may be the tail of the last item's span (the segmenter kept it there) or stand
    # after it: either way every item of the run since the previous label block
    before = [t for t in tasks if floor <= t.char_start < label
              and section.char_start <= t.char_start < section.char_end]
    if not before:
        return []
    last = before[-1].section_id
    return [t for t in before if t.section_id == last]
