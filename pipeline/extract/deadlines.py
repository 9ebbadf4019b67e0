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
from .locate import block_scopes, section_at, section_locator, task_locator
from .targets import phrase_alt, phrase_re, target_spans

__all__ = ["DeadlineAnnotation", "get_deadline_annotations", "find_deadlines", "plan_year"]

_MASK = "\x00"  # stands in for text an earlier pass took; no pattern matches it
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


@dataclass(frozen=True)
class _Grammar:
    window: re.Pattern
    due_day: re.Pattern
    due_month: re.Pattern
    event: re.Pattern
    periodic: re.Pattern
    report: re.Pattern
    every: re.Pattern
    freq_item: re.Pattern
    freq_names: tuple[str, ...]
    descriptive: re.Pattern
    period_range: re.Pattern
    period_year: re.Pattern
    period_op: re.Pattern
    horizon_before: re.Pattern
    date_line_before: re.Pattern
    # where a word that can open due_day, due_month, event, periodic, report or every stands
    # (None: a rule fragment too complex to read its first words; those passes scan all)
    heads: re.Pattern | None = None


_LITERAL_FRAGMENT = re.compile(r"[^\W\d_]+|[ ()?:|]")


def _first_words(fragment: str) -> list[str] | None:
    """The letters every match of a rules FRAGMENT starts with (`trước`, `chậm` for
    `trước|chậm nhất(?: là)?`), or None when the fragment is more than words, spaces,
    groups and `?`: then nothing is assumed about where it matches.

    >>> _first_words("trước|chậm nhất(?: là)?|thời hạn(?: hoàn thành| thực hiện)?:?")
    ['trước', 'chậm', 'thời']
    >>> _first_words("quý?|năm"), _first_words("(?:tính )?từ ngày"), _first_words("năm [0-9]")
    (['qu', 'năm'], None, None)
    """
    if not fragment or "".join(_LITERAL_FRAGMENT.findall(fragment)) != fragment:
        return None
    alts: list[str] = []
    depth, cur = 0, ""
    for ch in fragment:  # split on the top-level `|`
        if ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    alts.append(cur)
    out = []
    for a in alts:
        n = 0
        while n < len(a) and a[n].isalpha():
            n += 1
        if n < len(a) and a[n] == "?":  # `nhất?`: the last letter is optional
            n -= 1
        if n <= 0:
            return None
        out.append(a[:n])
    return out


def _heads(p: dict[str, str], flags: int) -> re.Pattern | None:
    words: list[str] = []
    for key in ("due_verb", "due", "due_in", "event_word", "periodic", "report", "every"):
        frag = p.get(key, "ngày" if key == "event_word" else None)
        if frag is None:  # not given: its pattern is `(?!)` and opens nothing
            continue
        w = _first_words(str(frag))
        if w is None:
            return None
        words += w
    if not words:
        return None
    alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?=(?:{alt}))", flags)


def _build(rules: Rules) -> _Grammar:
    data = rules["deadlines"]
    p = {k: phrase_re(v) for k, v in (data.get("patterns") or {}).items()}
    recs = data.get("recurrences") or []
    flags = re.IGNORECASE
    freq_alt = "|".join(f"(?P<f{i}>{phrase_re(r['match'])})" for i, r in enumerate(recs)) or "(?!)"
    plain_freq = "|".join(f"(?:{phrase_re(r['match'])})" for r in recs) or "(?!)"
    every = p.get("every", "(?!)")
    not_after = p.get("not_after", "(?!)")
    # one frequency, maybe after `hằng`, not followed by a year or `nay` (`năm 2026`, `năm nay`)
    item = rf"(?:(?:{every})\s+)?(?:{plain_freq})(?!\w)(?!\s*(?:{not_after}))"
    # the next frequency may repeat the report word: `sơ kết 6 tháng, tổng kết năm`
    again = rf"(?:(?:{p['report']})\s+)?" if "report" in p else ""
    freq_list = rf"{item}(?:\s*(?:{p.get('list_join', ',')})\s*{again}{item})*"
    day = (
        r"(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?"
        r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?)(?![\d/])"
    )
    verb = rf"(?:(?:{p.get('due_verb', '(?!)')})\s+)?"
    month = (
        r"(?:tháng\s+(?P<mm>\d{1,2})(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<my>\d{4}))?"
        r"|quý\s+(?P<q>IV|III|II|I|[1-4])(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<qy>\d{4}))?)(?![\w/])"
    )
    # an annual day: `Ngày <name> 30/7`, `Ngày <name> (30/7)`, `Ngày <name> - 30/7`; the name has
    # no digit, no clause mark and no other `ngày` / `từ` / `đến` (those start windows and dates)
    name_char = rf"(?:(?!(?:ngày|từ|đến|trước)(?!\w))[^\d.;:!?()“”\"{_MASK}])"
    event = (
        rf"(?<!\w)(?:{p.get('event_word', 'ngày')})\s+(?P<name>[^\W\d_]{name_char}{{1,90}}?)"
        r"\s*[”\"’*_]*\s*[-–(]?\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?!\s*/\s*\d|\d)(?:\s*\))?"
    )
    # a day named only by its date, made annual by what follows: `ngày 30/7 hằng năm`
    event = (
        rf"{event}|(?<!\w)(?:{p.get('event_word', 'ngày')})\s+(?P<d3>\d{{1,2}})\s*/\s*(?P<m3>\d{{1,2}})"
        rf"(?!\s*/\s*\d|\d)(?=\s+(?:{every})\s+năm(?!\w))"
    )
    return _Grammar(
        window=re.compile(phrase_re(data.get("window") or "(?!)"), flags),
        due_day=re.compile(rf"(?<!\w){verb}(?:{p.get('due', '(?!)')})\s+(?P<ngay>ngày\s+)?{day}", flags),
        due_month=re.compile(
            rf"(?<!\w){verb}(?P<op>{p.get('due', '(?!)')}|{p.get('due_in', '(?!)')})\s+{month}", flags
        ),
        event=re.compile(event, flags),
        # `định kỳ báo cáo 6 tháng, 01 năm`: one schedule, not a bare `định kỳ` and a report
        periodic=re.compile(rf"(?<!\w)(?:{p.get('periodic', '(?!)')})(?!\w)"
                            rf"(?:\s+{again}(?P<freq>{freq_list}))?",
                            flags),
        report=re.compile(rf"(?<!\w)(?:{p.get('report', '(?!)')})\s+(?P<freq>{freq_list})", flags),
        every=re.compile(rf"(?<!\w)(?:{every})\s+(?P<freq>{freq_list})", flags),
        freq_item=re.compile(rf"(?:{freq_alt})(?!\w)", flags),
        freq_names=tuple(r["recurrence"] for r in recs),
        descriptive=re.compile(rf"(?<!\w)(?:{phrase_alt(data.get('descriptive') or [])})(?!\w)", flags),
        period_range=re.compile(rf"(?<!\w)(?:{p.get('period_range', '(?!)')})(?!\d)", flags),
        period_year=re.compile(rf"(?<!\w)(?:{p.get('period_year', '(?!)')})(?!\d)", flags),
        period_op=re.compile(rf"(?<!\w)(?:{p.get('period_op', '(?!)')})\s+$", flags),
        horizon_before=re.compile(rf"(?<!\w)(?:{p.get('horizon', '(?!)')})\s+$", flags),
        date_line_before=re.compile(r"(?<!\w)(?:ngày|tháng)[\s\d]*$", flags),
        heads=_heads(data.get("patterns") or {}, flags),
    )


def _grammar(rules: Rules) -> _Grammar:
    return rules.compiled("deadlines", _build)


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


def _recurrence(g: _Grammar, freq: str | None) -> str | None:
    if not freq:
        return None
    names: list[str] = []
    for m in g.freq_item.finditer(freq):
        name = g.freq_names[int(m.lastgroup[1:])]
        if name not in names:
            names.append(name)
    return "+".join(names) or None


class _Scan:
    """The text with what earlier passes took blanked out."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = text
        self._heads: list[int] | None = None
        self._ends: set[int] = set()  # where a taken span ends

    def finditer(self, pat: re.Pattern, heads: re.Pattern | None) -> Iterator[re.Match]:
        """`pat.finditer(self.masked)`, for a PAT that opens with "no word character before"
        and then a word that HEADS finds: PAT is tried only where such a word stands (a few
        hundred places) instead of at every character. Blanking never makes a word appear,
        and it only frees the "no word character before" right after a taken span, so those
        ends are tried too."""
        if heads is None:
            yield from pat.finditer(self.masked)
            return
        if self._heads is None:
            self._heads = [m.start() for m in heads.finditer(self.text)]
        starts = sorted(self._ends.union(self._heads)) if self._ends else self._heads
        masked = self.masked
        match = pat.match
        cur = 0
        for p in starts:
            if p < cur:
                continue
            m = match(masked, p)
            if m is not None and m.end() > p:
                yield m
                cur = m.end()

    def take(self, spans: list[tuple[int, int]]) -> None:
        if not spans:
            return
        self._ends.update(e for s, e in spans if s < e)
        if len(spans) <= 8:  # a few: slicing the string beats a list of every character
            masked = self.masked
            for s, e in spans:
                if s < e:
                    masked = masked[:s] + _MASK * (e - s) + masked[e:]
            self.masked = masked
            return
        chars = list(self.masked)
        for s, e in spans:
            chars[s:e] = _MASK * (e - s)
        self.masked = "".join(chars)

    def free(self, s: int, e: int) -> bool:
        return _MASK not in self.masked[s:e]


def _period_key(m: re.Match) -> tuple[int, int]:
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2")) if "y2" in m.re.groupindex and m.group("y2") else y1
    return y1, y2


def _plan_period(scan: _Scan, g: _Grammar, period: tuple[int, int] | None) -> DeadlineAnnotation | None:
    """The first place the plan names its own period (`giai đoạn 2026 - 2030`, `năm 2026`)."""
    text = scan.masked
    if period is None:  # no front matter: the first range in the opening lines is the plan's
        m = g.period_range.search(text, 0, min(len(text), 3000))
        if not m:
            return None
        period = _period_key(m)
    patterns = [g.period_range] + ([g.period_year] if period[0] == period[1] else [])
    for pat in patterns:
        for m in pat.finditer(text):
            if _period_key(m) != period:
                continue
            before = text[max(0, m.start() - 30) : m.start()]
            if g.horizon_before.search(before) or g.date_line_before.search(before):
                continue
            return DeadlineAnnotation("period", m.start(), m.end(), year_start=period[0],
                                      year_end=period[1], plan_period=True)
    return None


def get_deadline_annotations(
    text: str,
    rules: Rules,
    *,
    year: int | None = None,
    period: tuple[int, int] | None = None,
) -> Iterator[DeadlineAnnotation]:
    """Every deadline in TEXT, in order of position.

    YEAR completes dates written without one (`gửi trước ngày 17/6`); PERIOD is the plan's
    own (first, last) year, found once; without it the first range near the top is taken.
    """
    g = _grammar(rules)
    scan = _Scan(text)
    found: list[DeadlineAnnotation] = []

    # reporting windows say what a report covers: understood, and never a deadline
    scan.take([m.span() for m in g.window.finditer(scan.masked)])

    taken = []
    for m in scan.finditer(g.due_day, g.heads):
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
    for m in scan.finditer(g.due_month, g.heads):
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
    for m in scan.finditer(g.event, g.heads):
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

    for pat in (g.periodic, g.report):
        taken = []
        for m in scan.finditer(pat, g.heads):
            found.append(DeadlineAnnotation("recurring", m.start(), m.end(),
                                            recurrence=_recurrence(g, m.group("freq"))))
            taken.append(m.span())
        scan.take(taken)

    targets = target_spans(text, rules)
    taken = []
    for m in scan.finditer(g.every, g.heads):
        s = m.start()
        # `“Ngày ... 30/7” hằng năm`: the annual day already says it is yearly
        if any(0 <= s - e <= 6 and not text[e:s].strip(" \t\n”\"’)*_") for e in event_ends):
            continue
        # `95% số vụ án ... hàng năm được giải quyết`: a rate inside a target, not a schedule
        if any(ts <= s < te for ts, te in targets):
            continue
        # `dự toán ngân sách hằng năm`, `kế hoạch hằng năm`: describes a thing
        clause = re.split(r"[,;:.()“”\"\x00]", text[max(0, s - 60) : s])[-1]
        if g.descriptive.search(clause):
            continue
        found.append(DeadlineAnnotation("recurring", s, m.end(),
                                        recurrence=_recurrence(g, m.group("freq"))))
        taken.append(m.span())
    scan.take(taken)

    own = _plan_period(scan, g, period)
    if own is not None:
        found.append(own)
        period = (own.year_start, own.year_end)
    for pat in (g.period_range, g.period_year):
        taken = []
        for m in pat.finditer(scan.masked):
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
    year = plan_year(plan)
    if year is None:  # no front matter found: the year on the date line near the top
        m = _DATE_LINE_YEAR.search(text, 0, min(len(text), 3000))
        year = int(m.group(1)) if m else None
    body = (seg.body_start, seg.body_end) if seg.body_start < seg.body_end else (0, len(text))
    scopes = None
    at_task, at_section = task_locator(tasks), section_locator(seg.sections)  # indexed once
    for a in get_deadline_annotations(text, rules, year=year, period=period):
        if not a.plan_period and not body[0] <= a.start < body[1]:
            continue  # the preamble cites others' schedules; the signature block has none
        task = None if a.plan_period else at_task(a.start)
        section = None if a.plan_period or task else at_section(a.start)
        covered: list[Task | None] = [task]
        if task is None and section is not None:
            if scopes is None:
                scopes = block_scopes(text, seg.sections, tasks, rules=rules)
            # `- Thời gian hoàn thành: ...` in a `Phân công` block: the block's tasks, one row each
            covered = _block_tasks(a.start, section, scopes, seg.sections, tasks) or [None]
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
