"""A time written as a value: the text after a label (`Thời gian thực hiện: Quý IV/2025`) or
in a table's time column (`Tháng 11 - 12/2025`, `Năm 2025 - 2026`, `2026 trở đi`).

A value needs no operator word before it (the label or the column says it is a time), so it
reads forms that running text would leave alone (CONTRACT, "Conventions for real layouts"):
a month or quarter is a `date` due on its last day; a window is due at its end; an open
period (`từ 01/7/2025`, `năm 2025 và các năm tiếp theo`, `2026 trở đi`) is a `period` with
`year_end` null; `Năm 2026` is the period 2026-2026; `Thường xuyên`, `khi có phát sinh` give
no row. Words come from `rules/deadlines.yaml` (`time_values`).

    >>> from pipeline.rules import load_rules
    >>> r = load_rules()
    >>> [(v.kind, str(v.due_date)) for v in read_time_value("Quí IV-2025", r)]
    [('date', '2025-12-31')]
    >>> [(v.kind, v.year_start, v.year_end) for v in read_time_value("2026 trở đi", r)]
    [('period', 2026, None)]
    >>> read_time_value("Thường xuyên.", r)
    []
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..rules import Rules
from .openings import Openings, openings_for
from .targets import phrase_re

__all__ = ["TimeValue", "read_time_value", "time_fields", "states_no_time", "open_periods"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SHORT = 2000  # characters of a text scanned whole rather than by its opening words


@dataclass(frozen=True, slots=True)
class TimeValue:
    """What a time value says; `start`/`end` index the text it was read from."""

    kind: str  # date, period, recurring
    start: int
    end: int
    due_date: dt.date | None = None
    year_start: int | None = None
    year_end: int | None = None
    recurrence: str | None = None


@dataclass(frozen=True)
class _Values:
    label: re.Pattern  # a time label line: `Thời gian thực hiện:` and the value after it
    none: re.Pattern  # values that time nothing (`Thường xuyên`, `khi có phát sinh`)
    forms: tuple[tuple[str, re.Pattern], ...]  # (form name, pattern), tried in order


def _build(rules: Rules) -> _Values:
    data = (rules["deadlines"].get("time_values") or {})
    w = {k: phrase_re(v) for k, v in (data.get("words") or {}).items()}
    month, quarter, year_w = w.get("month", "tháng"), w.get("quarter", "quý"), w.get("year", "năm")
    frm, to, day = w.get("from", "từ"), w.get("to", "đến|tới"), w.get("day", "ngày")
    period_w = w.get("period", "giai đoạn")
    open_tail = w.get("open_tail", "trở đi")
    sep = rf"\s*(?:[-–—]|{to})\s*"  # between the two ends of a window
    yr = r"(?:19|20)\d\d"
    q = r"IV|III|II|I|[1-4]"
    of_year = rf"(?:\s*[/-]\s*|\s+{year_w}\s+)"  # `12/2025`, `IV-2025`, `III Năm 2026`
    date_ = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*" + yr
    forms = (
        # `Từ ngày 01/01/2026 đến ngày 31/3/2026`: due at its end
        ("day_window", rf"(?:{frm}\s+)?(?:{day}\s+)?{date_}{sep}(?:hết\s+)?(?:{day}\s+)?"
                       rf"(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})\s*/\s*(?P<y>{yr})"),
        # `Quý IV/2025 - Quý II/2026`, `Quý III - IV/2026`
        ("quarter_window", rf"(?:{frm}\s+)?(?:{quarter})\s+(?:{q})(?:{of_year}{yr})?{sep}"
                           rf"(?:(?:{quarter})\s+)?(?P<q>{q}){of_year}(?P<y>{yr})"),
        # `Tháng 11 - 12/2025`, `Từ tháng 11/2025 đến tháng 02/2026`
        ("month_window", rf"(?:{frm}\s+)?(?:{month})\s+\d{{1,2}}(?:{of_year}{yr})?{sep}"
                         rf"(?:(?:{month})\s+)?(?P<m>\d{{1,2}}){of_year}(?P<y>{yr})"),
        # `Giai đoạn 2026-2030 và những năm tiếp theo`, `năm 2025 và các năm tiếp theo`, `2026 trở đi`
        ("open_years", rf"(?:(?:{period_w}|{frm}\s+{year_w}|{year_w})\s+)?(?P<y>{yr})(?:{sep}{yr})?"
                       rf"\s*,?\s*(?:{open_tail})"),
        # `Từ 01/7/2025`, `Từ tháng 11/2025 đến khi ...`, `từ năm 2026`: open at the end
        ("open_from", rf"{frm}\s+(?:(?:{day}\s+)?\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*|(?:{month})\s+\d{{1,2}}"
                      rf"{of_year}|{year_w}\s+)(?P<y>{yr})(?!\s*(?:[-–—]|(?:{to})\s+(?:hết\s+)?"
                      rf"(?:{day}|{month}|{year_w}|{quarter}|\d)))"),
        # `Năm 2025 - 2026`, `2025 - 2030`, `Giai đoạn 2026-2030`
        ("year_range", rf"(?:(?:{period_w}|{frm}\s+{year_w}|{year_w})\s+)?(?P<y1>{yr}){sep}"
                       rf"(?:{year_w}\s+)?(?P<y2>{yr})"),
        # `Quý IV/2025`, `Quí IV-2025`, `Quý III Năm 2026`, `Quý II` (the plan's year)
        ("quarter", rf"(?:(?:trong|trước|cuối)\s+)?(?:{quarter})\s+(?P<q>{q})(?:{of_year}(?P<y>{yr}))?"),
        # `Tháng 12/2025`, `tháng 11` (the plan's year)
        ("month", rf"(?:(?:trong|trước|cuối)\s+)?(?:{month})\s+(?P<m>\d{{1,2}})(?:{of_year}(?P<y>{yr}))?"),
        # `Năm 2026`: the period of that one year
        ("year", rf"(?:(?:trong|cuối)\s+)?{year_w}\s+(?P<y>{yr})"),
    )
    end = r"(?=\s*(?:[.;,)(\n]|$|\s(?:và|hoặc)\s))"
    label = data.get("label", "thời gian")
    return _Values(
        label=re.compile(rf"(?<!\w)(?:{phrase_re(label)})[\s*_]*:[\s*_]*(?P<value>[^\n;]*)",
                         re.IGNORECASE),
        none=re.compile(rf"(?:{phrase_re(data.get('none', '(?!)'))})(?!\w)", re.IGNORECASE),
        # an open form runs on (`từ tháng 11/2025 đến khi ...`); the others end with the value
        forms=tuple((name, re.compile(rf"(?<!\w){pat}(?!\w)" + ("" if name.startswith("open") else end),
                                      re.IGNORECASE))
                    for name, pat in forms),
    )


def _values(rules: Rules) -> _Values:
    return rules.compiled("deadlines.time_values", _build)


def _last_day(y: int, m: int) -> dt.date | None:
    if not 1 <= m <= 12:
        return None
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _value(name: str, m: re.Match, year: int | None, offset: int) -> TimeValue | None:
    s, e = m.start() + offset, m.end() + offset
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else year
    if name in ("open_years", "open_from"):
        return TimeValue("period", s, e, year_start=y)
    if name == "year_range":
        return TimeValue("period", s, e, year_start=int(g["y1"]), year_end=int(g["y2"]))
    if name == "year":
        return TimeValue("period", s, e, year_start=y, year_end=y)
    if y is None:
        return TimeValue("date", s, e)
    if name == "day_window":
        try:
            return TimeValue("date", s, e, due_date=dt.date(y, int(g["m"]), int(g["d"])))
        except ValueError:
            return None
    if name in ("quarter", "quarter_window"):
        qn = _ROMAN.get(g["q"].lower()) or int(g["q"])
        return TimeValue("date", s, e, due_date=_last_day(y, 3 * qn))
    due = _last_day(y, int(g["m"]))
    return TimeValue("date", s, e, due_date=due) if due else None


def read_time_value(text: str, rules: Rules, *, year: int | None = None, start: int = 0,
                    end: int | None = None) -> list[TimeValue]:
    """The time TEXT[start:end] states as a value (a labelled field's or a table cell's):
    one row, none for `Thường xuyên` and the like, and none when the value is a form left
    to the running-text grammar (`Trước ngày 31/5/2026`, `Hằng năm`). YEAR completes a
    month or quarter written without one. Offsets index TEXT."""
    v = _values(rules)
    end = len(text) if end is None else end
    lead = len(text[start:end]) - len(text[start:end].lstrip(" \t\n*_-+•"))
    pos = start + lead
    value = text[pos:end]
    if v.none.match(value):
        return []
    for name, pat in v.forms:
        m = pat.match(value)
        if m:
            found = _value(name, m, year, pos)
            return [found] if found else []
    return []


def time_fields(text: str, rules: Rules, start: int = 0, end: int | None = None):
    """(label start, value start, value end) of each time label line in TEXT[start:end]
    (`- Thời gian thực hiện: Tháng 12/2025.`); the value runs to the end of its line."""
    v = _values(rules)
    end = len(text) if end is None else end
    # a plan's text is asked often (each task's label lines): read where a label word stands
    found = openings_for(text).finditer(v.label, text, start, end) if len(text) > _SHORT \
        else v.label.finditer(text, start, end)
    for m in found:
        yield m.start(), m.start("value"), m.end("value")


def states_no_time(value: str, rules: Rules) -> int:
    """How many characters at the start of VALUE say it times nothing (`Thường xuyên`, `khi
    có phát sinh`); 0 when none do. What follows may still time it (`Thường xuyên, hằng năm`)."""
    lead = len(value) - len(value.lstrip(" \t\n*_-+•"))
    m = _values(rules).none.match(value, lead)
    return m.end() if m else 0


def open_periods(text: str, rules: Rules, openings: Openings | None = None):
    """Open periods in running text (`năm 2025 và các năm tiếp theo`, `2026 trở đi`, `từ
    01/7/2025`): the two open forms of a value, found anywhere. OPENINGS: those of the
    text TEXT is (or is a masked copy of), to try only where a form can open."""
    forms = dict(_values(rules).forms)
    for name in ("open_years", "open_from"):
        for m in (openings.finditer(forms[name], text) if openings else forms[name].finditer(text)):
            found = _value(name, m, None, 0)
            if found:
                yield found
