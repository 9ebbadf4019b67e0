"""Reflow: hard-wrapped lines joined back into paragraphs and headings.

A line joins the one before it when it continues it (starts lower case, or the line before
ends inside a phrase, or the document is hard-wrapped at a fixed width and the line before
fills it). Marker lines (``I.``, ``1.``, ``a)``, ``-``), closing lines (``Nơi nhận``, ``TM.``)
and lines after a sentence end never join, so headings stay on their own line. Where the
document separates its paragraphs by blank lines, a blank line always ends a paragraph and a
single line break inside one is a wrap.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import MutableSequence, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from .regex_union import either

_BULLET_RX = re.compile(r"[-+•–—]\s")
_FOOTNOTE_RX = re.compile(r"\[\d{1,3}\](?!\S)")  # `[1] Xã Phú Mỡ ...`: a footnote's text
_YEAR_RANGE_RX = re.compile(r"^[-–]\s*\d{4}\b")
_CLOSERS = "\"'”’)]*_"  # what may follow a sentence's or a clause's last stop
_LEADING_PUNCT = "\"'“”‘’([*_…"  # what may come before a line's first letter


@dataclass(frozen=True)
class ReflowRules:
    hard_words: frozenset[str]  # a line ending with one of these goes on
    soft_words: tuple[str, ...]  # ... unless the next line is a one-line heading
    number_words: tuple[str, ...]  # a line ending with one of these takes the number after it
    item_start: re.Pattern  # a line that starts an item (pipeline/markers.py)
    tight_marker: re.Pattern  # a marker glued to its text: `1.Tổ chức`
    bare_marker: re.Pattern  # a marker on a line of its own: `1.`
    closing_start: re.Pattern | None  # a line that opens the closing block (Nơi nhận, TM.)
    field_start: re.Pattern | None = None  # a labelled field line (pipeline/fields.py)
    sentence_start: re.Pattern | None = None  # `Căn cứ`, `Xét đề nghị`: a sentence begins
    date_line: re.Pattern | None = None  # a date line ("Hòa, ngày 17 tháng 08"): a place wrapped
    # before it ("Khánh") joins it
    # item_start or closing_start as one pattern (one match a line where _joins asks both), or
    # None where they cannot be joined
    opening: re.Pattern | None = field(init=False, default=None, compare=False, repr=False)
    # item_start, closing_start or tight_marker as one pattern (_opens_or_tight), the tight
    # marker's letter its group TIGHT_GROUP; None where they cannot be joined
    opening_tight: re.Pattern | None = field(init=False, default=None, compare=False, repr=False)
    tight_group: int = field(init=False, default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "opening", either(self.item_start, self.closing_start))
        if self.closing_start is not None and self.tight_marker.groups == 1:
            both = either(self.item_start, self.closing_start, self.tight_marker)
            object.__setattr__(self, "opening_tight", both)
            object.__setattr__(self, "tight_group", self.item_start.groups + self.closing_start.groups + 1)


def _bare(s: str, cr: ReflowRules) -> bool:
    """S is a marker and nothing else (`1.`, `a)`, `-`): one character, or one ending with
    `.` or `)`, as every match of the grammar's bare marker is, the pattern asked only then."""
    return (len(s) == 1 or s[-1:] in ".)") and cr.bare_marker.fullmatch(s) is not None


def _closing(cr: ReflowRules, s: str) -> bool:
    return cr.closing_start is not None and cr.closing_start.match(s) is not None


def _opens(s: str, cr: ReflowRules) -> bool:
    """S opens an item or the closing block: one match of the two patterns where they join."""
    if cr.opening is not None:
        return cr.opening.match(s) is not None
    return cr.item_start.match(s) is not None or _closing(cr, s)


def _opens_or_tight(s: str, cr: ReflowRules) -> bool:
    """`_opens(s, cr) or _tight_marker(s, cr)`, one match where the three patterns join: the
    tight marker's alternative comes last, so it gives the match only where the others fail."""
    rx = cr.opening_tight
    if rx is None:
        return _opens(s, cr) or _tight_marker(s, cr)
    m = rx.match(s)
    if m is None:
        return False
    letter = m.group(cr.tight_group)
    return letter is None or letter.isupper()


def _tight_marker(s: str, cr: ReflowRules) -> bool:
    """A marker glued to its text: "1.Tổ chức", "I.MỤC TIÊU"."""
    m = cr.tight_marker.match(s)
    return m is not None and m.group(1).isupper()


def _footnote(s: str) -> bool:
    """S opens a footnote's text (`[1] Xã Phú Mỡ ...`)."""
    return s[:1] == "[" and _FOOTNOTE_RX.match(s) is not None


def _first_letter(s: str) -> str:
    return s.lstrip(_LEADING_PUNCT)[:1]


def ends_with_stop(s: str, stops: tuple[str, ...]) -> bool:
    """S ends with one of STOPS, then only closing quotes, brackets and markup (a line break
    after them too, as a `$` would allow). A scan from the end: the pattern it stands for
    (`[.!?][closers]*$`) is tried at every place of the line by a search."""
    return s.rstrip(_CLOSERS).endswith(stops) or (
        s[-1:] == "\n" and s[:-1].rstrip(_CLOSERS).endswith(stops))


_SENTENCE_STOPS = (".", "!", "?")  # (`./.`, the closing of an official text, ends with `.`)
_CLAUSE_STOPS = (";", ":")
_STOPS = _SENTENCE_STOPS + _CLAUSE_STOPS


# (ends_with_stop for each set of stops, without the call through a partial: reflow asks
# these twice a line)
def _sentence_end(s: str) -> bool:
    return s.rstrip(_CLOSERS).endswith(_SENTENCE_STOPS) or (
        s[-1:] == "\n" and s[:-1].rstrip(_CLOSERS).endswith(_SENTENCE_STOPS))


def _clause_end(s: str) -> bool:
    return s.rstrip(_CLOSERS).endswith(_CLAUSE_STOPS) or (
        s[-1:] == "\n" and s[:-1].rstrip(_CLOSERS).endswith(_CLAUSE_STOPS))


# Latin letters, digits and signs (Vietnamese is in them), less the five letters with no case
# (ƻ ǀ ǁ ǂ ǃ): in such a text a character is a letter exactly when it has a case, so "every
# letter upper case, one at least" is str.isupper (tests/test_reflow_fast.py asks Unicode)
_CASED_LATIN_RX = re.compile("[\x00-\u01ba\u01bc-\u01bf\u01c4-\u024f\u1e00-\u1eff]*")


def _is_caps(s: str) -> bool:
    """The letters among S's first 40 characters are upper case (one at least)."""
    head = s[:40]
    if _CASED_LATIN_RX.fullmatch(head) is not None:
        return head.isupper()
    # (filter and map: the letters tested without a Python step per character)
    letters = list(filter(str.isalpha, head))
    return bool(letters) and all(map(str.isupper, letters))


def _wrap_width(lines: list[tuple[str, int, bool]]) -> int | None:
    """The fixed width a hard-wrapped (PDF) text is broken at, or None when it is not."""
    # (map and filter, and a count of the sorted lengths by bisection: no Python step per line)
    lens = sorted(filter((15).__le__, map(len, map(itemgetter(0), lines))))
    if len(lens) < 8:
        return None
    w = lens[int(0.8 * (len(lens) - 1))]
    if w > 200:
        return None
    near = bisect_right(lens, 1.1 * w) - bisect_left(lens, 0.75 * w)  # 0.75 w <= n <= 1.1 w
    return w if near >= 0.5 * len(lens) else None


def _joins(buf: str, buf_lines: int, last: str, nxt: str, width: int | None, cr: ReflowRules,
           blank: bool = False) -> bool:
    """Does line `nxt` continue the paragraph `buf` (whose last visual line is `last`)?"""
    if _bare(buf, cr) and not (cr.item_start.match(nxt) or _tight_marker(nxt, cr)):
        return True  # a marker on a line of its own ("1." / "Mục tiêu:"): its text follows
    if nxt[:1].isdigit() and not blank and not _is_caps(buf) \
            and _ends_with_word(buf.lower(), cr.number_words):
        return True  # "Điều" / "1. Phê duyệt": the number belongs to the word
    if _footnote(nxt):
        return False  # not a number going on (`Hồ Thị Nguyên Thảo` / `[1] Xã`)
    # (the sentence's end before the three patterns below: the one join they allow, a year
    # range, needs a digit at BUF's end, which a sentence's end is not)
    if _sentence_end(buf):
        return False
    if _opens_or_tight(nxt, cr):
        return buf[-1:].isdigit() and _YEAR_RANGE_RX.match(nxt) is not None
    first = _first_letter(nxt)
    if not first:
        return False
    if nxt.startswith("(") and _is_caps(buf):
        return False  # "PHÓ CHỦ TỊCH" / "(đã ký)"
    if first.islower():
        return True
    if first.isdigit():
        return not _clause_end(buf)
    if _clause_end(buf):
        return False
    # a one-line numbered heading ("2. Công an xã") is not continued by a capitalised line;
    # a bullet line is a paragraph, and goes on where the text says so
    heading_line = buf_lines == 1 and cr.item_start.match(buf) is not None and not _BULLET_RX.match(buf)
    words = buf.rstrip("*_”\"')").split()
    last_word = words[-1].lower() if words else ""
    if buf.endswith(",") or last_word in cr.hard_words:
        return True
    # a lone capitalised word split off its name: "ỦY" / "BAN NHÂN DÂN", "CỘNG" / "HÒA XÃ HỘI"
    if len(words) == 1 and _is_caps(buf) and _is_caps(nxt) and len(buf) <= 6:
        return True
    # a place name wrapped before its date line: "Khánh" / "Hòa, ngày 17 tháng 08"
    if len(words) <= 2 and buf[:1].isupper() and buf.replace(" ", "").isalpha() \
            and not _is_caps(buf) and cr.date_line is not None and cr.date_line.match(nxt):
        return True
    # an upper-case heading wrapped before its last word: "I. MỤC TIÊU, CHỈ" / "TIÊU"
    if heading_line and _is_caps(buf) and nxt.isalpha() and nxt.isupper():
        return True
    # (a marker line that fills a fixed-width text's line is a wrapped sentence, not a heading)
    fills = width is not None and 0.8 * width <= len(last) <= 1.15 * width
    if (heading_line and not fills) or _is_caps(nxt):
        return False
    if _is_caps(last):
        return False  # an upper-case title line is not continued by a sentence ("... TỈNH" / "Thực hiện")
    if _ends_with_word(buf.lower(), cr.soft_words):
        return True
    # a fixed-width text: a line that fills the width goes on
    return width is not None and 0.8 * width <= len(last) <= 1.15 * width and not _is_caps(buf)


def _ends_with_word(low: str, words: Sequence[str]) -> bool:
    return any(low.endswith(" " + w) or low == w for w in words)


def _blank_separated(lines: list[tuple[str, int, bool]]) -> bool:
    """Paragraphs are separated by blank lines and wrapped inside (a converted web page):
    most lines that end a sentence are followed by a blank line, most that do not are not."""
    ends = ends_blank = wraps = wraps_blank = 0
    for (s, _, _), (nxt, _, hard) in zip(lines, lines[1:], strict=False):
        if not s or hard:
            continue
        if ends_with_stop(s, _STOPS):  # a sentence's or a clause's end
            ends += 1
            ends_blank += not nxt
        else:
            wraps += 1
            wraps_blank += not nxt
    return ends >= 5 and wraps >= 5 and ends_blank >= 0.6 * ends and wraps_blank <= 0.5 * wraps


_TAIL = 200  # characters at each end of a paragraph that a join looks at
_NUMBER_MARKER_RX = re.compile(r"\d{1,2}(?:\.\d{1,2})*[.)]\s")


def _joins_paragraph(buf: str, buf_lines: int, last: str, nxt: str, width: int | None,
                     cr: ReflowRules, blank: bool) -> bool:
    """`_joins` where blank lines separate paragraphs: a blank line always ends one; without
    one, a line also goes on where a wrapped sentence put a number first (`... cấp độ` /
    `1. Cấp ngay ...`) and where an upper-case heading wraps (`II. MỤC TIÊU` / `CHỦ YẾU`)."""
    if blank:
        return _bare(buf, cr) and not (
            cr.item_start.match(nxt) or _tight_marker(nxt, cr))
    if _joins(buf, buf_lines, last, nxt, width, cr):
        return True
    if _sentence_end(buf) or _closing(cr, nxt) or _closing(cr, buf) or _footnote(nxt):
        return False
    if _clause_end(buf):  # `- Giai đoạn 48-72 giờ:` / `Tổ chức bếp ăn ...`: a label and its text
        return buf.rstrip("*_ ").endswith(":") and not (
            cr.item_start.match(nxt) or _tight_marker(nxt, cr) or _is_caps(nxt))
    heading_line = buf_lines == 1 and cr.item_start.match(buf) is not None and not _BULLET_RX.match(buf)
    if _is_caps(last):
        return heading_line and _is_caps(nxt) and not cr.item_start.match(nxt)
    if _BULLET_RX.match(nxt) and _first_letter(nxt[2:].lstrip()).islower():
        return True  # `... sản xuất` / `- quản lý - tiêu thụ`: a dash inside a wrapped sentence
    if cr.item_start.match(nxt) or _tight_marker(nxt, cr):
        long_line = len(last) >= (0.8 * width if width else 50)
        return long_line and _NUMBER_MARKER_RX.match(nxt) is not None and not cr.bare_marker.fullmatch(buf)
    # a line break inside a paragraph: `1. Giao Sở` / `Nông nghiệp và Môi trường là ...`; not
    # before a sentence's opening words (`Căn cứ ...` after a preamble line without its `;`)
    return not _is_caps(nxt) and not (cr.field_start is not None and cr.field_start.match(nxt)) \
        and not (cr.sentence_start is not None and cr.sentence_start.match(nxt))


def reflow(lines: list[tuple[str, int, bool]], offs: MutableSequence[int],
           cr: ReflowRules) -> tuple[str, MutableSequence[int]]:
    """LINES (text, index of its first character in OFFS, hard break before) as paragraphs;
    the offsets come back as the kind OFFS is (a list, an array)."""
    width = _wrap_width(lines)
    paragraphs = _blank_separated(lines)
    joins = _joins_paragraph if paragraphs else _joins
    out: list[str] = []
    # The output's offsets: where a line follows the one before it in OFFS, the break between
    # them (one or two characters) kept, OFFS is copied as one run, and the break's places,
    # FIX, are given the offset before them afterwards (what a break written out maps to); a
    # slice and an extend for each line cost more. PIECES holds the runs closed so far.
    pieces: list = []
    fix: list[int] = []
    run_a = run_b = -1  # the open run, OFFS[run_a:run_b] (none before the first line)
    olen = 0  # characters in OUT
    # Only the open paragraph's ends matter to a join: looking at them keeps reflow linear.
    # The paragraph P is kept as PARA = P while it has at most 2 * _TAIL characters, then as
    # PARA = P[:_TAIL] and TAIL = P[-_TAIL:] (the view a join is asked about: P, or its two
    # ends with a space between; nothing copies a long P for each line that joins it)
    para = ""
    tail: str | None = None
    buf_lines = 0
    last = ""
    blank = False  # a blank line since the last text line
    # (a paragraph goes straight to OUT: nothing changes it once a line is in)
    for s, a, hard in lines:
        if not s:
            blank = True
            continue
        b = a + len(s)
        k = 0  # the break's characters before the line
        if buf_lines and not hard and joins(para if tail is None else para + " " + tail,
                                            buf_lines, last, s, width, cr, blank):
            out.append(" ")
            k = 1
            if tail is None:
                para += " " + s
                if len(para) > 2 * _TAIL:
                    para, tail = para[:_TAIL], para[-_TAIL:]
            else:
                tail = (tail + " " + s)[-_TAIL:]
            buf_lines += 1
        else:
            if buf_lines:
                k = 1 + blank
                out.append("\n\n" if blank else "\n")
            buf_lines, para, tail = 1, s, None
            if len(s) > 2 * _TAIL:
                para, tail = s[:_TAIL], s[-_TAIL:]
        out.append(s)
        if k and a == run_b + k:  # the line follows the run with the break between
            fix.append(olen)
            if k == 2:
                fix.append(olen + 1)
            run_b = b
        else:
            if run_a >= 0:
                pieces.append(offs[run_a:run_b])
            if k:  # (each break character maps to the offset of the character before it)
                pieces.append(offs[run_b - 1:run_b] * k)
            run_a, run_b = a, b
        olen += k + b - a
        last = s
        blank = False
    oo = offs[:0]
    if run_a >= 0:
        pieces.append(offs[run_a:run_b])
    for piece in pieces:
        oo += piece
    for i in fix:
        oo[i] = oo[i - 1]
    return "".join(out), oo
