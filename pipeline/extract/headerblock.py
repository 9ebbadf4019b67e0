"""The layout of the front matter: where the document proper starts (after site chrome), where
its front matter ends, the kind line and the title under it (the attached plan's under a
decision that issues one), and the period and horizon the title states."""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from ..records import Segmented
from ..rules import Rules
from .fm_rules import LINE_STRIP, FrontmatterRules, flatten, fm_rules, loose_key, squash

__all__ = ['Header', 'text_lines', 'front_bounds', 'find_title', 'is_upper', 'plan_period', 'title_span']


_HEADING = re.compile(r"^\s*[#*\s]*(?:[IVXLC]+\s*[.)]|Điều\s+1\b|Phần\s+(?:thứ\s+)?(?:nhất|I)\b)")


def text_lines(text: str, start: int, end: int):
    """(start, end, content) of each non-blank line in text[start:end], markup stripped."""
    pos = start
    for raw in text[start:end].split("\n"):
        content = raw.strip(LINE_STRIP)  # (str.strip: no Python step per character)
        if content:
            lo = pos + len(raw) - len(raw.lstrip(LINE_STRIP))
            yield lo, lo + len(content), content
        pos += len(raw) + 1


def front_bounds(seg: Segmented, rules: Rules, flat: str | None = None) -> tuple[int, int]:
    """(doc_start, front_end): the first character of the document proper (after any site
    chrome) and the end of its front matter (the first section, or the first heading).
    FLAT: the text flattened, when the caller has it."""
    text = seg.doc.text
    c = fm_rules(rules)
    flat = flatten(text) if flat is None else flat
    doc_start = 0
    m = c.motto.search(flat) or c.number.search(flat)
    if m:
        # back over the issuer block above the motto (upper-case lines)
        doc_start = m.start()
        line_start = text.rfind("\n", 0, doc_start) + 1
        doc_start = line_start
        for _ in range(6):
            if line_start == 0:
                break
            prev = text.rfind("\n", 0, line_start - 1) + 1
            content = text[prev:line_start].strip(" \t\n*#|-")
            # the number line may sit between the issuer block and the motto
            if content and not content.isupper() and not c.number.match(flatten(content)) \
                    and not c.number_label.match(content):
                break
            line_start = prev
            if content:
                doc_start = prev
    if seg.sections and doc_start < seg.body_start <= len(text):
        return doc_start, seg.body_start
    lines = list(text_lines(text, doc_start, len(text)))
    # a decision's articles are front matter when a plan is attached after them: its first
    # heading comes after the attached plan's kind line
    floor = next((lo for lo, _hi, line in lines if _kind_of(line, c) in c.attached_kinds), doc_start)
    for lo, _hi, line in lines:
        if _HEADING.match(line) and lo > floor:
            return doc_start, lo
    return doc_start, len(text)


@dataclass
class Header:
    kind: str | None = None
    kind_end: int | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None
    preamble_start: int | None = None
    # a decision that issues a plan: where the decision's own text starts and where the
    # attached plan's kind line stands (the decision's signature lies between them)
    wrapper_preamble: int | None = None
    wrapper_title: str | None = None  # the decision's own title (`BAN HÀNH KẾ HOẠCH X ...`)
    attached_at: int | None = None


def _kind_of(line: str, c: FrontmatterRules) -> str | None:
    return c.kind_by_word.get(loose_key(line)) if c.kind_line.match(line) else None


def find_title(text: str, doc_start: int, front_end: int, c: FrontmatterRules, after: int) -> Header:
    h = Header()
    lines = list(text_lines(text, doc_start, front_end))
    start_idx = None
    for i, (lo, hi, line) in enumerate(lines):
        if c.opener.match(line) and h.kind is None:
            h.preamble_start = lo
            break
        if c.kind_line.match(line):
            h.kind = _kind_of(line, c)
            h.kind_end = hi
            start_idx = i + 1
            break
    if h.kind in c.wrapper_kinds:
        # `QUYẾT ĐỊNH ... Ban hành Kế hoạch ...` with the plan attached after the signature:
        # the title is the attached plan's, under its own kind line
        attached = next((j for j in range(start_idx, len(lines))
                         if _kind_of(lines[j][2], c) in c.attached_kinds), None)
        if attached is not None:
            first = find_title(text, doc_start, lines[attached][0], c, after)
            h.wrapper_preamble = first.preamble_start
            h.wrapper_title = first.title
            h.attached_at = lines[attached][0]
            start_idx = attached + 1
    if start_idx is None:  # no kind line: an upper-case title right after the date line
        for i, (lo, _hi, line) in enumerate(lines):
            if lo >= after and is_upper(line) and not c.authority.match(line) \
                    and not c.motto.match(line) and not (c.chrome and c.chrome.match(line)):
                start_idx = i
                break
            if c.opener.match(line):
                h.preamble_start = lo
                break
        if start_idx is None:
            return _inline_title(text, doc_start, front_end, c, h)
    picked: list[tuple[int, int, str]] = []
    upper = None
    for lo, hi, line in lines[start_idx:]:
        if set(line) <= set("-–—_=*. "):  # a rule line under the title
            if picked:
                break
            continue
        if not picked:
            upper = is_upper(line)
            if c.opener.match(line) and not upper and h.kind is None:
                break
            picked.append((lo, hi, line))
            continue
        if upper:
            if not is_upper(line) or c.authority.match(line):
                break
        else:
            prev = picked[-1][2]
            gap = text[picked[-1][1]:lo].count("\n") > 1
            if prev.rstrip().endswith((".", ":", ";", ")")):
                break
            # a wrapped title may go on with a capital (`... ngày 06/9/2023` / `Của Ban Thường vụ
            # ...` / `Đến năm 2025, định hướng đến năm 2030`) when no blank line, opener, heading
            # or body line comes between
            if not line[:1].islower() and (gap or len(picked) >= 3 or c.opener.match(line)
                                           or c.authority.match(line) or c.kind_line.match(line)
                                           or _HEADING.match(line) or is_upper(line)
                                           or line.rstrip().endswith((":", ";"))):
                break
        picked.append((lo, hi, line))
    if picked:
        h.title = squash(" ".join(p[2] for p in picked)) or None
        h.title_span = (picked[0][0], picked[-1][1])
        rest = [lo for lo, _hi, _l in lines if lo > picked[-1][1]]
        h.preamble_start = rest[0] if rest else picked[-1][1]
    return h


def _inline_title(text: str, doc_start: int, front_end: int, c: FrontmatterRules, h: Header) -> Header:
    """A header flattened into one line (`ỦY BAN NHÂN DÂN ... KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI NĂM
    2014 Căn cứ Luật ...`): the kind word, then the title in capitals up to the preamble's opener."""
    m = c.inline_title.search(text, doc_start, front_end)
    if m is None or (h.preamble_start is not None and m.start() > h.preamble_start):
        return h
    h.kind = c.kind_by_word.get(loose_key(m["kind"]))
    h.kind_end = m.end("kind")
    h.title = squash(m["title"]) or None
    h.title_span = (m.start("title"), m.end("title"))
    h.preamble_start = m.end()
    return h


def is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


_RANGE = re.compile(r"(?i:giai\s+đoạn|từ\s+năm)\s*(?P<a>(?:19|20)\d\d)\s*(?:[-–—]|đến(?:\s+năm)?)\s*"
                    r"(?P<b>(?:19|20)\d\d)")


_HORIZON = re.compile(r"(?i:(?:định\s+hướng|tầm\s+nhìn)\s*(?:đến|tới)\s+năm)\s*(?P<y>(?:19|20)\d\d)")


# a lone year, not the year of a date (`ngày 02 tháng 01 năm 2025` in a cited document's name)
_YEAR = re.compile(r"(?<!(?i:đến|tới|tháng\s+\d{1,2})\s+)(?i:năm)\s+(?P<y>(?:19|20)\d\d)")


# `đến năm 2030` in a title: the plan runs up to that year (a horizon says `định hướng` first)
_UNTIL = re.compile(r"(?<!(?i:định\s+hướng|tầm\s+nhìn)\s+)(?i:(?:đến|tới)\s+năm)\s+(?P<y>(?:19|20)\d\d)")


# a quoted name inside a title is a cited document's (`Đề án “... đến năm 2030”`)
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")


def plan_period(*texts: str | None, single_from: int = 1,
                cited: re.Pattern | None = None) -> tuple[int | None, int | None, int | None]:
    """Period and horizon from the first text that states them; a lone `năm 2026` counts
    only in the first `single_from` texts (the title), where it is the plan's year. Past
    those, a horizon counts only in the text the period came from: the rest of a preamble
    names cited programmes (`Chương trình ... định hướng đến năm 2030`), not this plan."""
    start = end = horizon = None
    for i, t in enumerate(texts):
        if not t:
            continue
        t = " ".join(t.split())
        if i == 0:
            t = _QUOTED.sub(" ", t)
        from_here = False
        if start is None and end is None:
            m = _RANGE.search(t)
            if m:
                start, end = int(m["a"]), int(m["b"])
                from_here = True
            elif i < single_from:
                ys = [int(y["y"]) for y in _YEAR.finditer(t)]
                until = _UNTIL.search(t) if i == 0 else None
                if until and cited is not None and cited.search(t, 0, until.start()):
                    until = None  # `THỰC HIỆN CHIẾN LƯỢC X ĐẾN NĂM 2020`: the strategy's year
                if ys:
                    start = end = ys[0]
                elif until:
                    end = int(until["y"])
        if horizon is None and (i < single_from or from_here):
            m = _HORIZON.search(t)
            if m:
                horizon = int(m["y"])
        if (start is not None or end is not None) and horizon is not None:
            break
    return start, end, horizon


def title_span(seg: Segmented, rules: Rules) -> tuple[int, int] | None:
    """Where the plan's title stands in the cleaned text (the attached plan's under a
    decision that issues one), or None."""
    text = seg.doc.text
    c = fm_rules(rules)
    doc_start, front_end = front_bounds(seg, rules)
    flat = flatten(text)
    num_m = c.number.search(flat, doc_start, front_end)
    date_m = c.date_line.search(text, doc_start, front_end)
    after = max(num_m.end() if num_m else doc_start, date_m.end() if date_m else doc_start)
    return find_title(text, doc_start, front_end, c, after).title_span
