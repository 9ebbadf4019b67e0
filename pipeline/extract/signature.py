"""The closing block: the signer (mode, title, name) and the recipients under `Nơi nhận`."""

from __future__ import annotations

from itertools import islice

import regex as re

from .fm_rules import LINE_STRIP, FrontmatterRules
from .headerblock import is_upper, text_lines

# (compiled once: the regex module's own cache costs ~10 µs a call)
_LOST_BREAK = re.compile(r"[;.]\s*[-+•]\s+")

__all__ = ['signature', 'last_match', 'closing_recipients']

# a title in capitals and a name glued together when a copy lost the line break between them
_GLUED = re.compile(r"^(?P<title>[\p{Lu} ]+?)(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,5})$")


def signature(text: str, flat: str, front_end: int, close: int | None, c: FrontmatterRules):
    """(signing_mode, signer_title, signer_name) from the signature block."""
    modes = _mode_lines(text, front_end, c)
    if not modes:
        return None, None, None
    later = [ln for ln in modes if close is not None and ln[0] >= close - 300]
    first = later[0] if later else modes[0]
    mode = c.mode_line.match(first[2])["mode"] + "."
    one = _one_line(" ".join(first[2].split()), c)
    if one is not None:
        return one
    block: list[str] = []
    name = None
    nl = text.find("\n", first[1])  # (the lines after the first's)
    for _lo, _hi, line in islice(text_lines(text, nl + 1, len(text)), 11) if nl >= 0 else ():
        line = " ".join(line.split())
        if line.startswith(("-", "+", "•")):
            continue  # a recipient interleaved by a two-column layout
        m = c.mode_line.match(line)
        if m:
            mode = m["mode"] + "."
            block.append(m["rest"])
            continue
        pm = c.person.match(line)
        if pm:
            name = pm["name"]
            break
        if is_upper(line):
            block.append(line)
            continue
        gm = _GLUED.match(line)
        if gm and is_upper(gm["title"]):  # `PHÓ CHỦ TỊCHSơn Thị Ánh Hồng`: a lost line break
            block.append(_own_title(gm["title"].strip(), c))
            name = gm["name"]
            break
        if line.strip("()[]").lower() in ("đã ký", "ký", "đã ký và đóng dấu", "ký, đóng dấu"):
            continue
        break
    title = block[-1] if (name and block) else None
    return mode, title, name


def _mode_lines(text: str, start: int, c: FrontmatterRules) -> list[tuple[int, int, str]]:
    """The lines of `text_lines(TEXT, START, len(TEXT))` that `c.mode_line` matches, the lines
    after the first read only where `c.mode_at` finds a line that may be one."""
    nl = text.find("\n", start)
    found = [ln for ln in text_lines(text, start, len(text) if nl < 0 else nl) if c.mode_line.match(ln[2])]
    if nl < 0:
        return found
    if c.mode_at is None:
        return found + [ln for ln in text_lines(text, nl + 1, len(text)) if c.mode_line.match(ln[2])]
    for m in c.mode_at.finditer(text, nl + 1):
        lo = text.rfind("\n", 0, m.start()) + 1  # the line's, when only markup and spaces precede
        if text[lo:m.start()].strip(LINE_STRIP):
            continue
        hi = text.find("\n", m.end())
        found += [ln for ln in text_lines(text, lo, len(text) if hi < 0 else hi) if c.mode_line.match(ln[2])]
    return found


# a whole signature block on one line, as a table cell holds it: `KT. CHỦ TỊCH PHÓ CHỦ TỊCH
# (Đã ký) Nguyễn Văn An`
_ONE_LINE = re.compile(r"^(?P<run>[\p{Lu}\s.]+?)\s*(?:\([^)]{0,30}\)\s*)?"
                       r"(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,5})$")


def _one_line(line: str, c: FrontmatterRules):
    """(mode, title, name) of a signature block flattened into its mode line, or None."""
    m = _ONE_LINE.match(line)
    if not m or not is_upper(m["run"]):
        return None
    modes = list(c.inline_mode.finditer(m["run"]))
    if not modes:
        return None
    title = _own_title(m["run"][modes[-1].end():].strip(), c)
    return modes[-1]["mode"] + ".", title or None, m["name"]


def _own_title(run: str, c: FrontmatterRules) -> str:
    """The signer's own title at the end of a run of capitals whose line breaks were lost
    (`CHỦ TỊCH PHÓ CHỦ TỊCH` → `PHÓ CHỦ TỊCH`): the longest known title it ends with."""
    m = c.title_at_end.search(run) if c.title_at_end is not None else None
    return m.group().strip() if m else run


def last_match(it):
    last = None
    for last in it:  # noqa: B007 - only the last one is wanted
        pass
    return last


def closing_recipients(text: str, flat: str, start: int,
                       c: FrontmatterRules) -> tuple[int | None, tuple[str, ...]]:
    m = last_match(c.recipients_label.finditer(flat, start))
    if m is None:
        return None, ()
    out: list[str] = []
    beside = False  # the signature block interleaved with the list (two table columns read row by row)
    for _lo, _hi, line in text_lines(text, m.end(), len(text)):
        line = " ".join(line.split())
        if not line.startswith(("-", "+", "•")):
            if c.mode_line.match(line) and not out:
                beside = True
                continue
            if beside and c.person.match(line):
                break  # the signer's name closes the block
            if beside and is_upper(line):
                continue
            if out or c.mode_line.match(line):
                break
            continue
        # one entry per line; a copy that lost the line breaks keeps them as `; -`
        for part in _LOST_BREAK.split(line):
            item = part.lstrip("-+• ").rstrip(" ;.,").strip(" *")
            if item:
                out.append(item)
    return m.start(), tuple(out)
