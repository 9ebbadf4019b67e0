"""The running-text grammar of deadlines, compiled from `rules/deadlines.yaml`, and the scan
that blanks what each pass took so a later pass cannot reread it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..rules import Rules
from .openings import openings_for
from .targets import phrase_alt, phrase_re

__all__ = ["Grammar", "grammar", "Scan", "MASK"]

MASK = "\x00"  # stands in for text an earlier pass took; no pattern matches it
_SHORT = 2000  # characters of a text scanned whole rather than by its opening words


@dataclass(frozen=True)
class Grammar:
    periodic_dates: re.Pattern  # `định kỳ trước ngày 01/6 và 15/11 hằng năm`: one schedule
    times_per: re.Pattern  # `02 lần/ngày`
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
    descriptive_after: re.Pattern  # `(công việc) hàng ngày của các đơn vị`: a frequency naming a thing
    period_range: re.Pattern
    period_year: re.Pattern
    period_until: re.Pattern  # `đến năm 2030`: a plan's period with no first year
    horizon_word_before: re.Pattern  # `định hướng` / `tầm nhìn` right before `đến năm`
    period_op: re.Pattern
    horizon_before: re.Pattern
    date_line_before: re.Pattern


def _build(rules: Rules) -> Grammar:
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
    # a month or quarter, or a window of them due at its end (`tháng 11 - 12/2025`, `Quí IV-2025`)
    month = (
        r"(?:tháng\s+(?:\d{1,2}\s*[-–]\s*(?:tháng\s+)?(?=\d{1,2}(?:\s*[/-]\s*|\s+năm\s+)\d{4}))?"
        r"(?P<mm>\d{1,2})(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<my>\d{4}))?"
        r"|qu[ýí]\s+(?:(?:IV|III|II|I|[1-4])\s*[-–]\s*(?:qu[ýí]\s+)?(?=(?:IV|III|II|I|[1-4])"
        r"(?:\s*[/-]\s*|\s+năm\s+)\d{4}))?"
        r"(?P<q>IV|III|II|I|[1-4])(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<qy>\d{4}))?)(?![\w/])"
    )
    # an annual day: `Ngày <name> 30/7`, `Ngày <name> (30/7)`, `Ngày <name> - 30/7`; the name has
    # no digit, no clause mark and no other `ngày` / `từ` / `đến` (those start windows and dates)
    name_char = rf"(?:(?!(?:ngày|từ|đến|trước)(?!\w))[^\d.;:!?()“”\"{MASK}])"
    event = (
        rf"(?<!\w)(?:{p.get('event_word', 'ngày')})\s+(?P<name>[^\W\d_]{name_char}{{1,90}}?)"
        r"\s*[”\"’*_]*\s*[-–(]?\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?!\s*/\s*\d|\d)(?:\s*\))?"
    )
    # a day named only by its date, made annual by what follows: `ngày 30/7 hằng năm`
    event = (
        rf"{event}|(?<!\w)(?:{p.get('event_word', 'ngày')})\s+(?P<d3>\d{{1,2}})\s*/\s*(?P<m3>\d{{1,2}})"
        rf"(?!\s*/\s*\d|\d)(?=\s+(?:{every})\s+năm(?!\w))"
    )
    dm = r"\d{1,2}\s*/\s*\d{1,2}(?!\s*/\s*\d)|\d{1,2}\s+tháng\s+\d{1,2}(?!\s+năm\s+\d)"
    periodic_dates = (
        rf"(?<!\w)(?:{p.get('periodic', '(?!)')})\s+(?:(?:{p.get('due', '(?!)')}|vào)\s+)?(?:ngày\s+)?"
        rf"(?P<dates>(?:{dm})(?:\s*(?:,|và)\s*(?:ngày\s+)?(?:{dm}))*)\s+(?:{every})\s+năm(?!\w)"
    )
    return Grammar(
        periodic_dates=re.compile(periodic_dates, flags),
        times_per=re.compile(rf"(?<!\w)(?:{p['times_per']})\s*(?P<freq>{plain_freq})(?!\w)", flags)
        if "times_per" in p else re.compile("(?!)"),
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
        descriptive_after=re.compile(rf"\s+(?:{phrase_alt(data.get('descriptive_after') or [])})(?!\w)",
                                     flags),
        period_range=re.compile(rf"(?<!\w)(?:{p.get('period_range', '(?!)')})(?!\d)", flags),
        period_year=re.compile(rf"(?<!\w)(?:{p.get('period_year', '(?!)')})(?!\d)", flags),
        period_until=re.compile(rf"(?<!\w)(?:{p.get('period_until', '(?!)')})(?!\d)", flags),
        horizon_word_before=re.compile(rf"(?<!\w)(?:{p.get('horizon_words', '(?!)')})\s+$", flags),
        period_op=re.compile(rf"(?<!\w)(?:{p.get('period_op', '(?!)')})\s+$", flags),
        horizon_before=re.compile(rf"(?<!\w)(?:{p.get('horizon', '(?!)')})\s+$", flags),
        date_line_before=re.compile(r"(?<!\w)(?:ngày|tháng)[\s\d]*$", flags),
    )


def grammar(rules: Rules) -> Grammar:
    return rules.compiled("deadlines", _build)


class Scan:
    """The text with what earlier passes took blanked out."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = text
        # a plan's text: each pass is tried only where its opening words stand (a cell's
        # few words are scanned whole)
        self.openings = openings_for(text) if len(text) > _SHORT else None

    def finditer(self, pat: re.Pattern) -> Iterator[re.Match]:
        """`pat.finditer(self.masked)`."""
        if self.openings is None:
            return pat.finditer(self.masked)
        return self.openings.finditer(pat, self.masked)

    def take(self, spans: list[tuple[int, int]]) -> None:
        if not spans:
            return
        if len(spans) <= 8:  # a few: slicing the string beats a list of every character
            masked = self.masked
            for s, e in spans:
                if s < e:
                    masked = masked[:s] + MASK * (e - s) + masked[e:]
            self.masked = masked
            return
        # many: the text between the spans joined with their masks (not a list of every character)
        masked = self.masked
        parts: list[str] = []
        pos = 0
        for s, e in sorted(spans):
            s = max(s, pos)
            if s >= e:
                continue
            parts.append(masked[pos:s])
            parts.append(MASK * (e - s))
            pos = e
        parts.append(masked[pos:])
        self.masked = "".join(parts)

    def free(self, s: int, e: int) -> bool:
        return MASK not in self.masked[s:e]
