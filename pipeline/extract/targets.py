"""Measurable commitments: a number, a comparator, what it measures.

    get_target_annotations(text, rules)   # located targets in plain text
    find_targets(seg, tasks, rules=, plan=)  # the same, as Target rows on their task

A percentage is always a candidate (`100% ...` is `eq`); a bare number only with a
comparator before it (`ít nhất 02 lần`) and a unit that is not an age, a duration, a
place or money. Phone and document numbers never carry either, so they never match.
The vocabulary is `rules/targets.yaml`, compiled once per Rules object.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..memo import kept
from ..records import PlanInfo, Section, Segmented, Target, Task
from ..rules import Rules
from .locate import section_locator, task_locator
from .openings import openings_for, skipping

__all__ = [
    "TargetAnnotation", "get_target_annotations", "target_spans", "find_targets", "phrase_re", "phrase_alt",
]


def phrase_re(fragment: str) -> str:
    """A rules fragment as a regex: ` ?` is optional white space, a space any run of it."""
    return fragment.replace(" ?", r"\s*").replace(" ", r"\s+")


def phrase_alt(phrases: Iterable[str]) -> str:
    """Literal phrases as one alternation, longest first so `không dưới` wins over `dưới`."""
    items = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    return "|".join(phrase_re(re.escape(p).replace(r"\ ", " ")) for p in items) or r"(?!)"


# Where a clause ends: a sentence or clause mark, or a new line that opens an item or a heading.
# A bare new line is not a boundary: PDF text wraps lines (and leaves blank lines) mid-sentence.
# (Every alternative opens with one literal character and looks behind only after it — `**`
# then spaces and the line's end — so the engine skips to those characters instead of trying
# every position.)
_BOUNDARY = re.compile(
    r";|!|\?|…|\.(?![\d.])|:(?=\s)| (?<=\*\* )[ \t]*\n|\t(?<=\*\*\t)[ \t]*\n|\n(?<=\*\*\n)"
    r"|\n(?=[ \t]*(?:[-+•*]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|[IVXLC]+\.\s|#))"
)
_SENTENCE_END = re.compile(r";|!|\?|…|\.(?![\d.])|\n(?=[ \t]*(?:[-+•*]\s|\d+(?:\.\d+)*[.)]\s|#))")
_WINDOW = 400  # how far back a clause start is looked for
_SHORT = 2000  # characters of a text scanned whole rather than where a year's words stand


@dataclass(frozen=True, slots=True)
class TargetAnnotation:
    """One target found in text; `start`/`end` delimit `raw`."""

    start: int
    end: int
    subject: str
    comparator: str
    value: float
    unit: str
    year: int | None = None
    num_start: int = 0  # where the number (or its comparator) stands

    def raw(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class _Grammar:
    percent: re.Pattern  # the unit right after a number
    count: re.Pattern  # a comparator right before a number (`$`-anchored on the text before it)
    after: re.Pattern  # `trở lên` after the measure
    before_cmp: dict[str, str]
    after_cmp: dict[str, str]
    need_after: frozenset[str]
    not_unit: re.Pattern
    unit_word: re.Pattern
    stat_before: re.Pattern
    stat_after: re.Pattern
    link_end: re.Pattern
    lead: re.Pattern
    year: re.Pattern
    adjacent: re.Pattern  # what may stand between a bare `năm 2020` and its measure
    horizon: re.Pattern
    grade: re.Pattern  # `cấp độ` right before a number: a rank, not a quantity
    baseline: re.Pattern  # `so với` right before a year: the baseline, not the due year
    frequency: re.Pattern  # an after-part that only says how often
    # the last characters of the comparators (`count` needs one right before a number's white
    # space), and each character of a text asked whether it is one, by the engine, ignoring case
    cmp_last: re.Pattern
    last_seen: dict[str, bool] = field(default_factory=dict)


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _build(rules: Rules) -> _Grammar:
    data = rules["targets"]
    cmp = data.get("comparators") or {}
    before = {_norm(k): v for k, v in (cmp.get("before") or {}).items()}
    after = {_norm(k): v for k, v in (cmp.get("after") or {}).items()}
    units = data.get("units") or {}
    nt = data.get("not_targets") or {}
    pct = phrase_alt(units.get("percent") or ["%"])
    cmp_alt, after_alt = phrase_alt(before), phrase_alt(after)
    flags = re.IGNORECASE
    # numbers are found first (a cheap scan) and their comparator and unit read around them
    percent = re.compile(rf"\s*(?:{pct})", flags)
    # a sign (`≥ 30%`, `≥30%`) needs no space after it
    count = re.compile(rf"(?<!\w)(?P<cmp>{cmp_alt})(?:\s+|(?<=[^\w\s])\s*)$", flags)
    after_re = re.compile(rf"\s+(?P<after>{after_alt})(?!\w)", flags)
    links = cmp.get("links") or []
    link_alt, lead_alt = phrase_alt(links), phrase_alt(data.get("lead_words") or [])
    year = phrase_re(data.get("year") or r"(?!)")
    return _Grammar(
        percent=percent,
        count=count,
        after=after_re,
        before_cmp=before,
        after_cmp=after,
        need_after=frozenset(_norm(w) for w in cmp.get("need_after") or []),
        not_unit=re.compile(rf"\s+(?:{phrase_alt(nt.get('units') or [])})(?!\w)", flags),
        unit_word=re.compile(rf"\s+(?P<w>{phrase_alt(units.get('words') or [])})(?!\w)", flags),
        stat_before=re.compile(rf"(?<!\w)(?:{phrase_alt(nt.get('before') or [])})\s+(?:khoảng\s+)?$", flags),
        stat_after=re.compile(rf"\s*(?:{phrase_alt(nt.get('after') or [])})(?!\w)", flags),
        link_end=re.compile(rf"(?<!\w)(?:{link_alt})\s*$", flags),
        lead=re.compile(
            rf"^(?:[\s*_\-+•,;]|(?:và|hoặc|{lead_alt})(?!\w)|(?:{year})(?!\d))+",
            flags,
        ),
        year=re.compile(rf"(?<!\w)(?:{year})(?!\d)", flags),
        adjacent=re.compile(rf"^\s*,?\s*(?:(?:{link_alt})(?:\s+|$))?(?:(?:{cmp_alt})(?:\s+|$))?$", flags),
        horizon=re.compile(r"định\s+hướng\s+$", flags),
        grade=re.compile(rf"(?<!\w)(?:{phrase_alt(nt.get('grade_before') or [])})\s+$", flags),
        baseline=re.compile(rf"(?<!\w)(?:{phrase_alt(data.get('baseline_before') or [])})\s+$", flags),
        frequency=re.compile(rf"^(?:\s*(?:{phrase_alt(data.get('frequency') or [])})(?!\w))+\s*$", flags),
        cmp_last=re.compile("[" + "".join(sorted({re.escape(k[-1]) for k in before if k})) + "]", flags)
        if before else re.compile("(?!)"),
    )


def _grammar(rules: Rules) -> _Grammar:
    return rules.compiled("targets", _build)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# the numbers of _NUMBER that no letter, digit, `/`, `.` or `,` stands before and no `/`
# after (part of a word, a date, a document number or a phone number): its first digit found
# first, then the look-behind (the engine skips to digits; a pattern opening with the
# look-behind is tried at every place, ~2x slower), nothing given back (`1.5/2` is no `1`)
_FREE_NUMBER = re.compile(r"\d(?<!(?:[^\W_]|[/.,])\d)\d*+(?:[.,]\d+)*+(?!/)")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_DECIMAL = re.compile(r"\d+(?:,\d+)?")


def _value(s: str) -> float | None:
    """`90` → 90, `2,5` → 2.5, `1.000` → 1000; phone-like `0243.8252.111` is no value."""
    if _THOUSANDS.fullmatch(s):
        return float(s.replace(".", ""))
    if _DECIMAL.fullmatch(s):
        return float(s.replace(",", "."))
    return None


def _clause_start(text: str, pos: int, pattern: re.Pattern = _BOUNDARY) -> int:
    lo = max(0, pos - _WINDOW)
    start = lo
    for m in pattern.finditer(text, lo, pos):
        start = m.end()
    return start


def _clause_ends(text: str) -> Callable[[int], int]:
    """Where the clause from POS ends; the boundaries are found once for the whole text (a
    search per measure, in a long text without one, would scan it again each time), as far
    as the measures asked for need (a plan's targets mostly stand in its objectives, near
    the top)."""
    found = _BOUNDARY.finditer(text)
    starts: list[int] = []
    done = False

    def end(pos: int) -> int:
        nonlocal done
        while not done and (not starts or starts[-1] < pos):
            m = next(found, None)
            if m is None:
                done = True
            else:
                starts.append(m.start())
        i = bisect_left(starts, pos)
        return starts[i] if i < len(starts) else len(text)
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past white space, markup and dangling joiners at both ends."""
    while start < end and (text[start].isspace() or text[start] in "*_,-+•“”\"'("):
        start += 1
    while True:
        while end > start and (text[end - 1].isspace() or text[end - 1] in "*_,“”\"'"):
            end -= 1
        tail = re.search(r"(?<!\w)(?:và|hoặc|với)$", text[start:end])
        if not tail:
            return start, end
        end = start + tail.start()


def _subject(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].replace("*", " ").split())


def _candidates(text: str, g: _Grammar) -> list[tuple[int, int, int, str, float, str]]:
    """(comparator or number start, number start, end of the measure, comparator, value, unit)."""
    found = []
    # tried at each of 25 places before every number: skip to where a comparator can open
    count = skipping(g.count) or g.count
    for m in _FREE_NUMBER.finditer(text):  # (not part of a word, a date, a number: see there)
        s, e = m.span()
        # (the tests below only drop a number, so the rarest drop comes last: most numbers
        # have no comparator)
        cm = count.search(text, max(0, s - 25), s) if _may_close(text, s, g) else None
        cmp_word = _norm(cm.group("cmp")) if cm else ""
        pm = g.percent.match(text, e)
        end = pm.end() if pm else e
        am = g.after.match(text, end)
        after = _norm(am.group("after")) if am else ""
        end = am.end() if am else end
        if cmp_word in g.need_after and not after:
            cmp_word = ""  # `từ 12 tuổi`: a range, not a comparator
        lead = cm.start() if cmp_word else s
        if after:
            comparator = g.after_cmp[after]
        elif cmp_word:
            comparator = g.before_cmp[cmp_word]
        elif pm:
            comparator = "eq"
        else:
            continue  # a bare number is a target only with a comparator
        if pm:
            if g.stat_before.search(text, max(0, lead - 30), lead) or g.stat_after.match(text, end):
                continue
            unit = "%"
        else:
            if g.not_unit.match(text, e):
                continue
            w = g.unit_word.match(text, e)
            unit = _norm(w.group("w")) if w else "count"
            end = max(end, w.end()) if w else end
        value = _value(m.group())
        if value is None or g.grade.search(text, max(0, s - 15), s):
            continue
        found.append((lead, s, end, comparator, value, unit))
    return found


def _may_close(text: str, s: int, g: _Grammar) -> bool:
    """Can a comparator end before the number at S (`count`'s window, its white space
    passed)? Most numbers follow `ngày`, `tháng`, `năm`: a search there costs ~5x this."""
    before = text[max(0, s - 25):s].rstrip()  # (`\s` and `str.isspace` agree)
    if not before:
        return False
    c = before[-1]
    ok = g.last_seen.get(c)
    if ok is None:
        ok = g.last_seen[c] = g.cmp_last.fullmatch(c) is not None
    return ok


def _year(text: str, g: _Grammar, sent_start: int, lead: int, end: int,
          years: Sequence[re.Match], first: int) -> int | None:
    """The year nearest before the measure in its sentence (`Đến năm 2030, 100% ...`,
    `năm 2020 đạt 100%`), else the first stated after it (`... 90% trong năm 2026`).
    YEARS: the year matches of the whole text, YEARS[FIRST] the first from LEAD on."""
    best = None
    for m in openings_for(text).finditer(g.year, text, sent_start, lead) if len(text) > _SHORT \
            else g.year.finditer(text, sent_start, lead):
        if g.horizon.search(text, max(0, m.start() - 20), m.start()):
            continue
        if g.baseline.search(text, max(0, m.start() - 20), m.start()):
            continue
        bare = m.group().lower().startswith("năm")
        if not bare or g.adjacent.match(text[m.end() : lead]):
            best = int(m.group("year"))
    if best is not None:
        return best
    # (found once for the text: scanning to the clause end per measure is quadratic where a
    # long text has no boundary)
    for k in range(first, len(years)):
        m = years[k]
        if m.end() > end:
            break
        if g.baseline.search(text, max(0, m.start() - 20), m.start()):
            continue
        if not m.group().lower().startswith("năm"):
            return int(m.group("year"))
    return None


def _trivial(text: str, g: _Grammar, start: int, end: int) -> bool:
    """An after-part that only joins two measures (`75% và năm 2020 đạt 100% ...`)."""
    rest = g.year.sub(" ", text[start:end])
    rest = re.sub(r"(?<!\w)(?:và|hoặc|,)(?!\w)", " ", rest)
    return g.adjacent.match(rest) is not None


def get_target_annotations(text: str, rules: Rules) -> Iterator[TargetAnnotation]:
    """Every target in TEXT, in order, each with the span of its evidence."""
    # targets and deadlines both ask for a plan's text: it is read once (the last few kept)
    cache: dict[str, tuple[TargetAnnotation, ...]] = rules.compiled("targets.texts", lambda _r: {})
    return iter(kept(cache, text, _TEXTS_KEPT, lambda: tuple(_annotate(text, rules))))


_TEXTS_KEPT = 8


def _annotate(text: str, rules: Rules) -> Iterator[TargetAnnotation]:
    g = _grammar(rules)
    cands = _candidates(text, g)
    if not cands:
        return  # (the clause ends and years below are read only for a measure)
    clause_end = _clause_ends(text)
    years = list(openings_for(text).finditer(g.year) if len(text) > _SHORT else g.year.finditer(text))
    year_starts = [m.start() for m in years]
    found: list[list] = []
    prev_end = 0
    for i, (lead, _num_start, mend, comparator, value, unit) in enumerate(cands):
        cs = max(_clause_start(text, lead), prev_end if prev_end <= lead else 0)
        ce = clause_end(mend)
        nxt = cands[i + 1][0] if i + 1 < len(cands) else len(text)
        after_s, after_e = _trim(text, mend, min(ce, nxt))
        before_s, before_e = _trim(text, cs, lead)
        lm = g.lead.match(text[before_s:before_e])
        if lm:
            before_s, before_e = _trim(text, before_s + lm.end(), before_e)
        link = g.link_end.search(text[before_s:before_e])
        subj_e = before_s + link.start() if link else before_e
        subj_s, subj_e = _trim(text, before_s, subj_e)
        after_ok = after_e > after_s and not _trivial(text, g, after_s, after_e)
        if after_ok and before_e > before_s and g.frequency.match(text[after_s:after_e]):
            after_ok = False  # `ít nhất 02 lần mỗi tháng`: the measure is named before
        if subj_e > subj_s and (link or not after_ok):
            start, end = subj_s, max(mend, after_e)
        elif after_ok:
            subj_s, subj_e = after_s, after_e
            start, end = lead, after_e
        else:  # no words of its own: shares the next measure's subject (filled below)
            subj_s = subj_e = -1
            start, end = lead, mend
        start, end = _trim(text, start, end)
        if end <= start:
            continue
        year = _year(text, g, _clause_start(text, lead, _SENTENCE_END), lead, ce, years,
                     bisect_left(year_starts, lead))
        subject = _subject(text, subj_s, subj_e) if subj_s >= 0 else None
        found.append([start, end, subject, comparator, value, unit, year, lead, ce])
        prev_end = end
    for i in range(len(found) - 2, -1, -1):
        if found[i][2] is None and found[i + 1][7] < found[i][8]:  # the next measure, same clause
            found[i][2] = found[i + 1][2]
    for start, end, subject, comparator, value, unit, year, lead, _ce in found:
        yield TargetAnnotation(start=start, end=end, subject=subject or "", comparator=comparator,
                               value=value, unit=unit, year=year, num_start=lead)


def target_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where targets stand (for deadlines: `số vụ án hàng năm` inside a target is no schedule)."""
    return [(a.start, a.end) for a in get_target_annotations(text, rules)]


def _heading_year(section: Section | None, by_id: Mapping[str, Section], g: _Grammar,
                  memo: dict[str, int | None]) -> int | None:
    """`Mục tiêu cụ thể đến năm 2030`: a year stated on a heading above the target: SECTION
    (the deepest that holds it) or an ancestor, nearest first. MEMO: each heading's year,
    by section_id, read once."""
    s = section
    while s is not None:
        if s.section_id not in memo:
            memo[s.section_id] = _year_of_heading(s.heading, g)
        if memo[s.section_id] is not None:
            return memo[s.section_id]
        s = by_id.get(s.parent_section_id) if s.parent_section_id else None
    return None


def _year_of_heading(heading: str, g: _Grammar) -> int | None:
    for m in g.year.finditer(heading):
        if not (g.horizon.search(heading[: m.start()]) or g.baseline.search(heading[: m.start()])):
            return int(m.group("year"))
    return None


def find_targets(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Target]:
    text = seg.doc.text
    g = _grammar(rules)
    body = (seg.body_start, seg.body_end) if seg.body_start < seg.body_end else (0, len(text))
    # in a plan whose headings say where it commits (objectives, tasks), a section of another
    # kind (`ĐÁNH GIÁ TÌNH HÌNH THIỆT HẠI`, background) states facts, not commitments
    facts = set(rules["targets"].get("fact_section_kinds") or [])
    committing = {s.kind for s in seg.sections} - facts
    # located with indexes built once, each heading's year read once: per target, both
    # are quadratic in a long text with many targets
    at_task, at_section = task_locator(tasks), section_locator(seg.sections)
    by_id = {s.section_id: s for s in seg.sections}
    heading_years: dict[str, int | None] = {}
    for a in get_target_annotations(text, rules):
        if not body[0] <= a.num_start < body[1]:
            continue  # a parent's targets quoted in the preamble are not this plan's
        task = at_task(a.num_start)
        inner = at_section(a.num_start)
        section = None if task else inner
        if section is not None and section.kind in facts and committing:
            continue
        year = a.year if a.year is not None else _heading_year(inner, by_id, g, heading_years)
        yield Target(
            doc_id=seg.doc.doc_id,
            task_id=task.task_id if task else None,
            subject=a.subject,
            comparator=a.comparator,
            value=a.value,
            unit=a.unit,
            raw=text[a.start : a.end],
            char_start=a.start,
            char_end=a.end,
            year=year,
            path=task.path if task else (section.path if section else None),
        )
