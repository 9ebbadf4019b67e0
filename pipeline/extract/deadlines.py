"""When: due dates, recurring schedules, periods, annual days.

    get_deadline_annotations(text, rules, year=, period=)  # located deadlines in plain text
    find_deadlines(seg, tasks, rules=, plan=)               # the same, as rows on their task

The grammar is ours (`rules/deadlines.yaml`): no maintained library reads `trước ngày ...`,
`định kỳ 6 tháng` or `hằng năm`. Phrases are matched in a fixed order, each pass blanking
what it took so a later one cannot reread it: reporting windows (no row), due dates, annual
days, `định kỳ ...`, `Báo cáo 6 tháng`, `hằng năm`, then the plan's own period (one row,
path null) and periods an operator ties to a task (`trong năm 2027`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..records import Deadline, PlanInfo, Segmented, Task
from ..rules import Rules
from .deadline_grammar import Grammar, Scan, grammar
from .labelled import labelled_tasks
from .locate import block_scopes, section_at, section_locator, task_locator
from .targets import target_spans
from .timevalues import TimeValue, open_periods, read_time_value, states_no_time, time_fields

__all__ = ["DeadlineAnnotation", "get_deadline_annotations", "find_deadlines", "plan_year"]

_DATE_LINE_YEAR = re.compile(r"ngày[\s\d.…_]*tháng[\s\d.…_]*năm\s+(\d{4})", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True, slots=True)
class DeadlineAnnotation:
    """One deadline found in text; `start`/`end` delimit `raw`."""

    kind: str  # date, recurring, period, event
    start: int
    end: int
    due_date: dt.date | None = None
    recurrence: str | None = None
    year_start: int | None = None
    year_end: int | None = None
    plan_period: bool = False  # the plan's own period: plan-wide, path null

    def raw(self, text: str) -> str:
        return text[self.start : self.end]


def plan_year(plan: PlanInfo | None) -> int | None:
    """The year a date written without one takes: the plan's issue year, else its first year."""
    if plan is None:
        return None
    if plan.issue_date is not None:
        return plan.issue_date.year
    if plan.period_start is not None:
        return plan.period_start
    m = re.search(r"\d{4}", plan.issue_date_raw or "")
    return int(m.group()) if m else None


def _date(y: int | None, m: int, d: int) -> dt.date | None:
    if y is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:  # 31/2, 0/7: not a date
        return None


def _recurrence(g: Grammar, freq: str | None) -> str | None:
    if not freq:
        return None
    names: list[str] = []
    for m in g.freq_item.finditer(freq):
        name = g.freq_names[int(m.lastgroup[1:])]
        if name not in names:
            names.append(name)
    return "+".join(names) or None


def _period_key(m: re.Match) -> tuple[int, int]:
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2")) if "y2" in m.re.groupindex and m.group("y2") else y1
    return y1, y2


def _plan_period(scan: Scan, g: Grammar, period: tuple[int | None, int] | None) -> DeadlineAnnotation | None:
    """The first place the plan names its own period (`giai đoạn 2026 - 2030`, `năm 2026`)."""
    text = scan.masked
    if period is None:  # no front matter: the first range in the opening lines is the plan's
        m = g.period_range.search(text, 0, min(len(text), 3000))
        if not m:
            return None
        period = _period_key(m)
    if period == (None, None):  # the plan states no period
        return None
    if period[0] is None:  # `đến năm 2030`: a plan that runs up to a year
        patterns = [g.period_until]
    else:
        patterns = [g.period_range] + ([g.period_year] if period[0] == period[1] else [])
    for pat in patterns:
        for m in scan.finditer(pat):
            key = (None, int(m.group("y2"))) if pat is g.period_until else _period_key(m)
            if key != period:
                continue
            before = text[max(0, m.start() - 30) : m.start()]
            if g.horizon_before.search(before) or g.date_line_before.search(before) \
                    or g.horizon_word_before.search(before):
                continue
            return DeadlineAnnotation("period", m.start(), m.end(), year_start=period[0],
                                      year_end=period[1], plan_period=True)
    return None


_DAY_MONTH = re.compile(r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})")
_CLOSING_BRACKET = re.compile(r"\(([^()\n\x00]{4,40})\)(?=\s*(?:[.;]|\n|$))")

# how many days a year a schedule names -> its frequency
_PER_YEAR = {1: "annual", 2: "semiannual", 4: "quarterly", 12: "monthly"}


def _from_value(v: TimeValue) -> DeadlineAnnotation:
    return DeadlineAnnotation(v.kind, v.start, v.end, due_date=v.due_date,
                              recurrence=v.recurrence, year_start=v.year_start, year_end=v.year_end)


def get_deadline_annotations(
    text: str,
    rules: Rules,
    *,
    year: int | None = None,
    period: tuple[int | None, int | None] | None = None,
) -> Iterator[DeadlineAnnotation]:
    """Every deadline in TEXT, in order of position.

    YEAR completes dates written without one (`gửi trước ngày 17/6`); PERIOD is the plan's
    own (first, last) year, found once ((None, last) for `đến năm 2030`, (None, None) for a
    plan that states none); without it the first range near the top is taken.
    """
    g = grammar(rules)
    scan = Scan(text)
    found: list[DeadlineAnnotation] = []

    # `Thời gian thực hiện: Tháng 11 - 12/2025`: the label says the value is a time
    taken = []
    for _label, lo, hi in time_fields(text, rules):
        none = states_no_time(text[lo:hi], rules)
        if none:
            taken.append((lo, lo + none))  # `Thường xuyên`: understood, no row
            continue
        for v in read_time_value(text, rules, year=year, start=lo, end=hi):
            found.append(_from_value(v))
            taken.append((v.start, v.end))
    scan.take(taken)

    # `... tiến tới thí điểm (2025 - 2026).`: a time in brackets that closes an item
    taken = []
    for m in _CLOSING_BRACKET.finditer(scan.masked):
        vals = read_time_value(text, rules, year=year, start=m.start(1), end=m.end(1))
        if len(vals) == 1 and not text[vals[0].end:m.end(1)].strip():
            found.append(_from_value(vals[0]))
            taken.append((vals[0].start, vals[0].end))
    scan.take(taken)

    # reporting windows say what a report covers: understood, and never a deadline
    scan.take([m.span() for m in scan.finditer(g.window)])

    # `định kỳ trước ngày 01/6 và 15/11 hằng năm`: one schedule, as often as it has days
    taken = []
    for m in scan.finditer(g.periodic_dates):
        days = list(_DAY_MONTH.finditer(text, m.start("dates"), m.end("dates")))
        found.append(DeadlineAnnotation("recurring", m.start(), m.end(),
                                        recurrence=_PER_YEAR.get(len(days))))
        for d in days:  # each day is also a due date in the plan's year (gold-real)
            due = _date(year, int(d.group(2)), int(d.group(1)))
            found.append(DeadlineAnnotation("date", d.start(), d.end(), due_date=due))
        taken.append(m.span())
    scan.take(taken)

    taken = []
    for m in scan.finditer(g.due_day):
        d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (
            m.group("d2"), m.group("m2"), m.group("y2"))
        if not (m.group("ngay") or y):  # `trước 17/6` alone is too loose; `trước 30/6/2026` is a date
            continue
        due = _date(int(y) if y else year, int(mo), int(d))
        if due is None and (y or year):  # an impossible day: not a date at all
            continue
        found.append(DeadlineAnnotation("date", m.start(), m.end(), due_date=due))
        taken.append(m.span())
    scan.take(taken)

    taken = []
    for m in scan.finditer(g.due_month):
        before_start = re.match(r"trước", m.group("op"), re.IGNORECASE) is not None
        if m.group("mm"):
            y = int(m.group("my")) if m.group("my") else year
            first_month = last_month = int(m.group("mm"))
        else:
            q = m.group("q").lower()
            qn = _ROMAN.get(q) or int(q)
            y = int(m.group("qy")) if m.group("qy") else year
            first_month, last_month = 3 * qn - 2, 3 * qn
        if not 1 <= first_month <= 12:
            continue
        due = None
        if y is not None:
            if before_start:  # `trước tháng 6`: the day before June begins
                due = dt.date(y, first_month, 1) - dt.timedelta(days=1)
            else:  # `trong tháng 6/2026`: by its last day
                due = dt.date(y, last_month, calendar.monthrange(y, last_month)[1])
        found.append(DeadlineAnnotation("date", m.start(), m.end(), due_date=due))
        taken.append(m.span())
    scan.take(taken)

    taken = []
    event_ends: list[int] = []
    for m in scan.finditer(g.event):
        d, mo = (m.group("d"), m.group("m")) if m.group("d") else (m.group("d3"), m.group("m3"))
        if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
            continue
        end = m.end()
        while end > m.start() and text[end - 1] in " \t\n*_":
            end -= 1
        found.append(DeadlineAnnotation("event", m.start(), end))
        taken.append((m.start(), end))
        event_ends.append(end)
    scan.take(taken)

    for pat in (g.periodic, g.report, g.times_per):
        taken = []
        for m in scan.finditer(pat):
            found.append(DeadlineAnnotation("recurring", m.start(), m.end(),
                                            recurrence=_recurrence(g, m.group("freq"))))
            taken.append(m.span())
        scan.take(taken)

    targets = None  # read when a schedule word is found (most cells hold none)
    taken = []
    for m in scan.finditer(g.every):
        s = m.start()
        # `“Ngày ... 30/7” hằng năm`: the annual day already says it is yearly
        if any(0 <= s - e <= 6 and not text[e:s].strip(" \t\n”\"’)*_") for e in event_ends):
            continue
        # `95% số vụ án ... hàng năm được giải quyết`: a rate inside a target, not a schedule
        if targets is None:
            targets = target_spans(text, rules)
        if any(ts <= s < te for ts, te in targets):
            continue
        # `dự toán ngân sách hằng năm`, `kế hoạch hằng năm`: describes a thing
        clause = re.split(r"[,;:.()“”\"\x00]", text[max(0, s - 60) : s])[-1]
        if g.descriptive.search(clause) or g.descriptive_after.match(text, m.end()):
            continue
        found.append(DeadlineAnnotation("recurring", s, m.end(),
                                        recurrence=_recurrence(g, m.group("freq"))))
        taken.append(m.span())
    scan.take(taken)

    # `năm 2025 và các năm tiếp theo`, `2026 trở đi`, `từ 01/7/2025`: open at the end
    taken = []
    for v in sorted(open_periods(scan.masked, rules, scan.openings), key=lambda v: v.start):
        if taken and v.start < taken[-1][1]:
            continue  # `từ năm 2026 trở đi`: read once
        found.append(_from_value(v))
        taken.append((v.start, v.end))
    scan.take(taken)

    own = _plan_period(scan, g, period)
    if own is not None:
        found.append(own)
        period = (own.year_start, own.year_end)
    for pat in (g.period_range, g.period_year):
        taken = []
        for m in scan.finditer(pat):
            before = scan.masked[max(0, m.start() - 40) : m.start()]
            if not g.period_op.search(before) or g.horizon_before.search(before):
                continue
            key = _period_key(m)
            if key == period:  # the plan's own period: one row however often repeated
                continue
            op = g.period_op.search(before)
            start = m.start() - (len(before) - op.start())
            found.append(DeadlineAnnotation("period", start, m.end(), year_start=key[0], year_end=key[1]))
            taken.append((start, m.end()))
        scan.take(taken)

    found.sort(key=lambda a: (a.start, a.end))
    yield from found


def find_deadlines(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Deadline]:
    text = seg.doc.text
    period = None
    if plan is not None and plan.period_start is not None:
        period = (plan.period_start, plan.period_end if plan.period_end is not None else plan.period_start)
    elif plan is not None and plan.period_end is not None:
        period = (None, plan.period_end)
    elif plan is not None and (plan.title or plan.doc_ref):
        # front matter read, no period in it: a range near the top is a cited programme's
        period = (None, None)
    year = plan_year(plan)
    if year is None:  # no front matter found: the year on the date line near the top
        m = _DATE_LINE_YEAR.search(text, 0, min(len(text), 3000))
        year = int(m.group(1)) if m else None
    body = (seg.body_start, seg.body_end) if seg.body_start < seg.body_end else (0, len(text))
    scopes = None
    untimed = set(rules["deadlines"].get("untimed_section_kinds") or [])
    at_task, at_section = task_locator(tasks), section_locator(seg.sections)  # indexed once
    for a in get_deadline_annotations(text, rules, year=year, period=period):
        if not a.plan_period and not body[0] <= a.start < body[1]:
            continue  # the preamble cites others' schedules; the signature block has none
        task = None if a.plan_period else at_task(a.start)
        section = None if a.plan_period or task else at_section(a.start)
        covered: list[Task | None] = [task]
        if task is not None:  # a time label line inside the last item of a run times the run
            home = at_section(a.start)
            covered = (labelled_tasks(a.start, text, home, tasks, rules) if home else []) or covered
        if task is None and section is not None:
            if section.kind in untimed and a.kind in ("date", "period"):
                continue  # `Đến hết năm 2025: ...` in the objectives is a target's year
            if scopes is None:
                scopes = block_scopes(text, seg.sections, tasks, rules=rules)
            # `- Thời gian hoàn thành: ...` in a `Phân công` block: the block's tasks, one row each
            covered = (_block_tasks(a.start, section, scopes, seg.sections, tasks)
                       or labelled_tasks(a.start, text, section, tasks, rules) or [None])
        for t in covered:
            yield Deadline(
                doc_id=seg.doc.doc_id,
                task_id=t.task_id if t else None,
                kind=a.kind,
                raw=text[a.start : a.end],
                char_start=a.start,
                char_end=a.end,
                due_date=a.due_date,
                recurrence=a.recurrence,
                year_start=a.year_start,
                year_end=a.year_end,
                path=t.path if t else (section.path if section else None),
            )


def _block_tasks(pos: int, section, scopes, sections, tasks: Sequence[Task]) -> list[Task]:
    """The tasks of the `Phân công` block POS stands in or right after (same section, no task
    in between): the block's deadline line times what its assignments cover."""
    for _top, b, targets in reversed(scopes):
        if b.start > pos:
            continue
        if not targets or section_at(sections, b.start) is not section:
            return []
        if any(b.start <= t.char_start < pos for t in tasks):
            return []
        return targets
    return []
