"""Task tables: each row a task, its lead / coordinating columns its assignments, its time
column its deadline (CONTRACT, "Task tables").

A table belongs to the deepest numbered section it stands in (an appendix is the part `PL`);
its task rows get paths `<section>/r1`, `/r2`, ... in row order. Columns are mapped by the
words of the header row (rules/tables.yaml). Group rows (`I. NÂNG CAO NHẬN THỨC`, `II |
Xây dựng ...`) are neither tasks nor sections; their title is the context the rows' theme is
read in. A row split from merged cells (fewer cells than the header, no index) takes the
missing cells from the row above: the cells it has fill the columns from the first one
after the index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..memo import kept
from ..records import Assignment, Deadline, PlanInfo, Section, Segmented, Task
from ..rules import Rules
from ..tables import Cell, Table, TableRules, find_tables, header_kinds, header_row, table_rules
from .agencies import AgencyMention, split_agencies
from .deadlines import DeadlineAnnotation, get_deadline_annotations, plan_year
from .tasks import one_line, own_place_of
from .themes import theme_of

__all__ = ["TableFacts", "find_table_facts", "beside_tables"]

_ROLES = {"lead": "lead", "coordinate": "coordinate"}
_NO_PERIOD = (0, 0)
_BARE_YEAR = re.compile(r"\d{4}(?!\d)")  # the plan's own period is never read from a table cell


@dataclass(frozen=True, slots=True)
class TableFacts:
    tasks: tuple[Task, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # the task tables: other extractors leave them
    other_spans: tuple[tuple[int, int], ...] = ()  # tables of other rows (indicators, budgets)

    def covers(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.spans)


def _section_of(sections: Sequence[Section], pos: int) -> Section | None:
    """The deepest section around POS that is not a bullet item (a table is not an item's)."""
    best = None
    for s in sections:
        if s.marker_type != "bullet" and s.char_start <= pos < s.char_end and (
                best is None or s.level > best.level):
            best = s
    return best


def _is_group(cells: list[str], kinds: list[str | None], tr: TableRules) -> bool:
    if not cells:
        return False
    first = cells[0].strip("*_ ")
    if kinds[0] == "index" and len(cells) > 1:
        return tr.group_index.fullmatch(first) is not None
    if len(cells) == 1 and len(kinds) > 1:  # one cell across the row: a group title
        letters = [c for c in first if c.isalpha()]
        return tr.group_index.match(first) is not None or (
            bool(letters) and all(c.isupper() for c in letters))
    return False


def _aligned(cells: list[Cell], texts: list[str], kinds: list[str | None], above: list[Cell | None],
             tr: TableRules) -> list[Cell | None]:
    """The row's cells by column: a short row (merged cells above) fills the columns from
    the first after the index unless it has an index; the columns it lacks, and cells that
    say `như trên`, come from the row above (an empty cell is empty)."""
    n = len(kinds)
    idx = kinds.index("index") if "index" in kinds else None
    start = 0
    if len(cells) < n and idx == 0 and not tr.row_index.fullmatch(texts[0].strip("*_ ")):
        start = 1
    row: list[Cell | None] = [None] * n
    stated = [False] * n
    for j, (c, t) in enumerate(zip(cells[: n - start], texts[: n - start], strict=True)):
        ditto = tr.ditto.fullmatch(t.strip()) is not None
        row[start + j] = None if ditto or c.end <= c.start else c
        stated[start + j] = not ditto  # an empty cell says nothing; `nt` says "as above"
    for j in range(n):
        if row[j] is None and not stated[j] and j < len(above) and kinds[j] != "index":
            row[j] = above[j]
    return row


def _run_starts(rules: Rules) -> re.Pattern:
    """Where a body's name can start inside a run of two cells' lists (`Sở Khoa học và Công
    nghệ Sở Công Thương`): a capitalised head, plural word or abbreviation of rules/agencies.yaml
    right after a word, with no separator."""
    def build(r: Rules) -> re.Pattern:
        data = r["agencies"] or {}
        words = [*(data.get("heads") or []), *(data.get("plural_words") or []),
                 *(data.get("abbreviations") or {})]
        alt = "|".join(re.escape(w[:1].upper() + w[1:]) for w in sorted(set(words), key=len, reverse=True))
        return re.compile(rf"(?<=\w )(?:{alt or '(?!)'})(?!\w)")
    return rules.compiled("tables.run_starts", build)


def _agencies(raw: str, rules: Rules, own: str | None) -> list[AgencyMention]:
    """The bodies of a lead / coordinate cell; a list that runs into the next cell's list
    without a separator (a flattened table) is cut where both sides are known bodies."""
    found = split_agencies(raw, rules=rules, own_place=own)
    if all(m.known for m in found):
        return found
    for m in _run_starts(rules).finditer(raw):
        left = split_agencies(raw[: m.start()].rstrip(), rules=rules, own_place=own)
        if not left or not all(x.known for x in left):
            continue
        right = _agencies(raw[m.start():], rules, own)
        if right and all(x.known for x in right):
            return left + [replace(x, char_start=x.char_start + m.start(), char_end=x.char_end + m.start())
                           for x in right]
    return found


def _deadlines(text: str, cell: Cell, rules: Rules, tr: TableRules, year: int | None
               ) -> list[tuple[DeadlineAnnotation, int, int]]:
    """The deadlines one time cell names, as (annotation, start, end) in TEXT."""
    body = text[cell.start:cell.end]
    label = tr.deadline_label + " " if tr.deadline_label else ""

    def read(s: str) -> list[tuple[DeadlineAnnotation, int, int]]:
        lead = label + (tr.year_word + " " if tr.year_word and _BARE_YEAR.match(s) else "")
        out = []
        for a in _cell_annotations(lead + s, rules, year):
            if a.plan_period:
                continue
            out.append((a, max(a.start - len(lead), 0), max(a.end - len(lead), 0)))
        return [x for x in out if x[2] > x[1]]

    found = read(body)
    # overlapping readings (`Năm 2025` inside `Năm 2025 - 2026`): the longest
    found.sort(key=lambda x: (x[1], -(x[2] - x[1])))
    chosen: list[tuple[DeadlineAnnotation, int, int]] = []
    for x in found:
        if chosen and x[1] < chosen[-1][2]:
            if x[2] - x[1] > chosen[-1][2] - chosen[-1][1]:
                chosen[-1] = x
            continue
        chosen.append(x)
    # a window in one cell (`Quý IV/2025 - Quý II/2026`): due at its end
    for i, (a, s, e) in enumerate(chosen):
        if a.kind != "date":
            continue
        j = tr.window_join.match(body, e)
        if j is None or j.end() >= len(body):
            continue
        rest = read(body[j.end():])
        if rest and rest[0][0].kind == "date" and rest[0][1] == 0:
            new = (rest[0][0], s, j.end() + rest[0][2])
            chosen = chosen[:i] + [new] + [k for k in chosen[i + 1:] if k[1] >= new[2]]
            break
    return [(a, cell.start + s, cell.start + e) for a, s, e in chosen]


def _cell_annotations(cell: str, rules: Rules, year: int | None) -> tuple[DeadlineAnnotation, ...]:
    """get_deadline_annotations of a time cell's text, kept: the same few cells (`Thường
    xuyên`, `Quý IV/2025`, `Năm 2025`) stand in row after row, plan after plan, and the
    grammar's fifteen passes cost ~0.1 ms a cell."""
    def read() -> tuple[DeadlineAnnotation, ...]:
        return tuple(get_deadline_annotations(cell, rules, year=year, period=_NO_PERIOD))
    if len(cell) > _CELL_KEPT_CHARS:
        return read()
    return kept(rules.compiled("tables.cell_deadlines", lambda _r: {}), (cell, year), _CELLS_KEPT, read)


_CELLS_KEPT = 4096
_CELL_KEPT_CHARS = 200  # longer cells are read each time (they seldom repeat)


def _table_facts(seg: Segmented, table: Table, section: Section, rules: Rules, tr: TableRules,
                 plan: PlanInfo | None, counter: dict[str, int]):
    text = seg.doc.text
    texts = [[c.text(text) for c in r.cells] for r in table.rows]
    head = header_row(texts, tr)
    if head is None:
        return None
    hi, kinds = head
    if "content" not in kinds or not tr.task_columns & set(kinds):
        return None
    own = own_place_of(plan)
    year = plan_year(plan)
    doc_id = seg.doc.doc_id
    tasks, assignments, deadlines = [], [], []
    above: list[Cell | None] = []
    group = ""
    content = kinds.index("content")
    for r, cells in zip(table.rows[hi + 1:], texts[hi + 1:], strict=True):
        if header_kinds(cells, tr) is not None:  # the header repeated (a new page)
            continue
        if _is_group(cells, kinds, tr):
            group = one_line(cells[-1])
            above = []
            continue
        row = _aligned(list(r.cells), cells, kinds, above, tr)
        above = row
        body = row[content]
        if body is None:
            continue
        n = counter[section.path] = counter.get(section.path, 0) + 1
        path = f"{section.path}/r{n}"
        task_text = one_line(body.text(text))
        task = Task(doc_id=doc_id, task_id=f"{doc_id}:t:{path}", section_id=section.section_id,
                    path=path, text=task_text,
                    theme=theme_of(task_text, rules=rules, context=group or section.heading),
                    char_start=r.start, char_end=r.end)
        tasks.append(task)
        seen: set[tuple[str, str]] = set()
        for kind, cell in zip(kinds, row, strict=True):
            if cell is None:
                continue
            if kind in _ROLES:
                for m in _agencies(cell.text(text), rules, own):
                    role = "requested" if m.requested else _ROLES[kind]
                    if (m.agency, role) in seen:
                        continue
                    seen.add((m.agency, role))
                    assignments.append(Assignment(
                        doc_id=doc_id, task_id=task.task_id, path=path, scope="task",
                        agency=m.agency, agency_raw=m.raw, role=role, generic=m.generic,
                        char_start=cell.start + m.char_start, char_end=cell.start + m.char_end))
            elif kind == "deadline":
                for a, s, e in _deadlines(text, cell, rules, tr, year):
                    deadlines.append(Deadline(
                        doc_id=doc_id, task_id=task.task_id, kind=a.kind, raw=text[s:e],
                        char_start=s, char_end=e, due_date=a.due_date, recurrence=a.recurrence,
                        year_start=a.year_start, year_end=a.year_end, path=path))
    return tasks, assignments, deadlines


def find_table_facts(seg: Segmented, *, rules: Rules, plan: PlanInfo | None = None) -> TableFacts:
    """The tasks, assignments and deadlines of every task table in the plan."""
    text = seg.doc.text
    if "|" not in text:
        return TableFacts()
    tr = table_rules(rules)
    tasks: list[Task] = []
    assignments: list[Assignment] = []
    deadlines: list[Deadline] = []
    spans: list[tuple[int, int]] = []
    counter: dict[str, int] = {}
    other: list[tuple[int, int]] = []
    for table in find_tables(text):
        section = _section_of(seg.sections, table.start)
        if section is None:
            continue
        found = _table_facts(seg, table, section, rules, tr, plan, counter)
        if found is None:
            other.append((table.start, table.end))
            continue
        tasks.extend(found[0])
        assignments.extend(found[1])
        deadlines.extend(found[2])
        spans.append((table.start, table.end))
    return TableFacts(tuple(tasks), tuple(assignments), tuple(deadlines), tuple(spans), tuple(other))


def beside_tables(tasks: Sequence[Task], facts: TableFacts, text: str, *, rules: Rules) -> list[Task]:
    """The text tasks with the tables taken out: a section that holds a task table is not a
    task (its rows are); a task that runs into another table ends before it, and one that is
    only a table is none."""
    out = []
    for t in tasks:
        if any(t.char_start < b and a < t.char_end for a, b in facts.spans):
            continue
        cut = min((a for a, b in facts.other_spans if t.char_start < b and a < t.char_end), default=None)
        if cut is not None:
            end = cut
            while end > t.char_start and text[end - 1].isspace():
                end -= 1
            if end <= t.char_start:
                continue
            body = one_line(text[t.char_start:end])
            t = replace(t, text=body, theme=theme_of(body, rules=rules), char_end=end)
        out.append(t)
    return out
