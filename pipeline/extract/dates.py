"""Vietnamese dates as written in plans: `08/4/2026`, `ngày 04 tháng 3 năm 2021`.

Shared by the front matter (the date line), references (`ngày ...` after a document
number) and anyone else who needs a date. Blank parts (`ngày    tháng    năm 2026`, the
number left for the clerk to fill in) give no date.

    >>> parse_date("ngày 04 tháng 3 năm 2021")
    datetime.date(2021, 3, 4)
    >>> parse_date("08/4/2026")
    datetime.date(2026, 4, 8)
    >>> parse_date("ngày   tháng 02 năm 2026") is None
    True
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DATE_WORDS", "DATE_NUMERIC", "DATE_ANY", "DATE_RE", "parse_date", "date_from_match"]

# White space the cleaner may have left inside a date (wrapped lines, markup spaces).
_WS = r"[\s*_]+"
_WS0 = r"[\s*_]*"

# `ngày 04 tháng 3 năm 2021`; day and month may be blank or dotted (`ngày ... tháng ...`).
# A scan's OCR may leave a letter or two in a day or month it could not read (`ngàyẠẠ
# tháng ĩ năm 2016`): the part is blank then.
_JUNK = r"(?:[^\s\d]{1,2}(?=\s))"
DATE_WORDS = (
    rf"(?:[Nn]gày{_WS0}(?:(?P<wd>\d{{1,2}})|{_JUNK})?[\s.…_*]*?)"
    rf"{_WS0}[Tt]háng{_WS0}(?:(?P<wm>\d{{1,2}})|{_JUNK})?[\s.…_*]*?"
    rf"{_WS0}[Nn]ăm{_WS}(?P<wy>\d{{4}})"
)
# `08/4/2026`, `17/03/2003`, `31-12-2015`, `07.01.2026`; a year typeset in two (`16/7/20 21`)
DATE_NUMERIC = (r"(?<![\d/])(?P<nd>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<nm>\d{1,2})\s*(?P=sep)\s*"
                r"(?P<ny>\d{4}|(?:19|20) \d\d)(?!\d)")
DATE_ANY = rf"(?:{DATE_WORDS}|{DATE_NUMERIC})"
DATE_RE = re.compile(DATE_ANY)


def _make(year: str | None, month: str | None, day: str | None) -> dt.date | None:
    if not (year and month and day):
        return None
    year = year.replace(" ", "")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 31/02, a typo: no date rather than a wrong one
        return None


def date_from_match(m: re.Match) -> dt.date | None:
    """The date of a match of DATE_ANY / DATE_RE (or of a pattern embedding them)."""
    g = m.groupdict()
    if g.get("wy"):
        return _make(g.get("wy"), g.get("wm"), g.get("wd"))
    return _make(g.get("ny"), g.get("nm"), g.get("nd"))


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, or None (also when its day or month is blank)."""
    m = DATE_RE.search(text)
    return date_from_match(m) if m else None
