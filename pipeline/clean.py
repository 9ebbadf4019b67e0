"""Clean stage: raw text to the NFC text all offsets refer to.

What cleaning does, in order (each step keeps a map from every output character back to
the raw character it came from):

1. line breaks unified, NFC, odd spaces (NBSP, thin, ideographic, tabs) to plain spaces,
   zero-width characters dropped;
2. old-style tone placement normalized: ``hoá`` → ``hóa``, ``Uỷ`` → ``Ủy``, ``thuỷ`` →
   ``thủy`` (``quý``, ``già``, ``hoài`` are left alone);
3. markdown and converter markup removed: ``#`` heading prefixes, ``**``, ``*emphasis*``,
   ``^{...}`` (a footnote call goes, superscript letters stay); ``\\*`` becomes ``*``.
   A bullet line ``* Phân công:`` keeps its leading ``* ``, so segment still sees a bullet
   marker there;
4. web-site chrome dropped (rules/clean.yaml): navigation and login lines, the metadata table
   ``| Số hiệu | ... |`` with the page title above it; header tables drawn with ``|`` become
   one plain line per cell (``Số: 07/KH-UBND``, ``ỦY BAN NHÂN DÂN``);
5. page numbers, running headers and decoration lines (``-------``) dropped;
6. hard-wrapped lines reflowed into paragraphs: a line joins the one before it when it
   continues it (starts lower case, or the line before ends inside a phrase, or the document
   is hard-wrapped at a fixed width and the line before fills it). Marker lines (``I.``,
   ``1.``, ``a)``, ``-``), closing lines (``Nơi nhận``, ``TM.``) and lines after a sentence end
   never join, so headings stay on their own line;
7. spaces collapsed; at most one blank line between paragraphs.

Cleaning is idempotent: ``clean_text(clean_text(x)[0])[0] == clean_text(x)[0]``.

>>> clean_text("## **I. MỤC TIÊU**\\n\\nCụ thể hoá các nhiệm vụ của Uỷ ban")[0]
'I. MỤC TIÊU\\n\\nCụ thể hóa các nhiệm vụ của Ủy ban'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .records import CleanDoc, RawDoc
from .rules import Rules, load_rules

# A piece of output text with the raw offset of each of its characters.
Piece = tuple[str, Sequence[int]]

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER_RX = re.compile(f"[^{_COMBINING}][{_COMBINING}]+")
_ODD_SPACE_RX = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u000b]")
_ZERO_WIDTH_RX = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

# --- tone placement -------------------------------------------------------------------
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
# a syllable ending in o+toned a/e or u+toned y (no final consonant): the old style
_OLD_TONE_RX = re.compile(
    r"(?<![\w])(\w*?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![\w])"
)
# the end of such a syllable, `quý` / `quỳ` (left alone) excepted: found without trying every word
_OLD_TONE_END_RX = re.compile(
    r"[uUoO](?<![qQ][uU])[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![\w])"  # the vowel first: a fast scan
)
_WORD_CHAR_RX = re.compile(r"\w")


class _OldTones:
    """The matches of _OLD_TONE_RX that change the text, in order (for `_sub`)."""

    @staticmethod
    def finditer(text: str) -> Iterator[re.Match]:
        for end in _OLD_TONE_END_RX.finditer(text):
            start = end.start()
            while start > 0 and _WORD_CHAR_RX.match(text, start - 1):
                start -= 1
            m = _OLD_TONE_RX.match(text, start)
            if m is not None:  # always: the word ends in the syllable end found
                yield m

# --- markup ---------------------------------------------------------------------------
_MD_HEADING_RX = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MD_HEADING_ONLY_RX = re.compile(r"^[ \t]*#{1,6}[ \t]*$", re.M)
# (each pattern below starts with its literal character and looks behind it afterwards: the
# same matches as a leading look-behind, found by a fast scan for that character)
_STRONG_RX = re.compile(r"\*(?<!\\\*)\*+|_(?<!\\_)_+(?=\S)|_(?<!\\_)(?<=\S_)_+")
_SUPERSCRIPT_RX = re.compile(r"\^\{([^{}\n]*)\}")
_ESCAPE_RX = re.compile(r"\\([\\*_#\[\](){}.+!`>|~^-])")
_EMPHASIS_RX = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![\w*])")
_UNDERSCORE_EM_RX = re.compile(r"_(?<![\w_\\]_)(?=[^\s_])([^_\n]*?[^\s_\\])_(?![\w_])")
_TABLE_SEP_ROW_RX = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
_PIPE_RX = re.compile(r"[ \t]*\|[ \t]*")
_MULTI_SPACE_RX = re.compile(r" {2,}")
_PAGE_BREAK_RX = re.compile(r"[ \t]*\f[ \t]*")
_CELL_EDGE = "\x1f"  # stands for a table cell edge between passes: lines never join across it
_TRAIL_SPACE_RX = re.compile(r" +$|^ +", re.M)

# --- reflow ---------------------------------------------------------------------------
# A line that starts a new item: never joined to the line before it.
_MARKER_START_RX = re.compile(
    r"""^(?:
        (?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)](?:\s|$)   # I.  1.  2.1.  a)  a.
      | [-+•*–—](?:\s|$)                                      # bullets
      | (?i:phần\s+thứ\s)                                     # Phần thứ hai
      | (?i:điều\s+\d+)                                       # Điều 1
      | (?i:chương\s+[IVXLC\d]+\b)                            # Chương II
    )""",
    re.X,
)
# A line that opens the closing block: never joined.
_TIGHT_MARKER_RX = re.compile(r"^(?:(?:[IVXL]+|\d{1,2}(?:\.\d{1,2})*)[.)]|[a-zđ]\))(\w)")
_BULLET_RX = re.compile(r"[-+•–—]\s")
_BARE_MARKER_RX = re.compile(r"(?:[IVXL]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]|[-+•]")
_CLOSING_START_RX = re.compile(r"^(?:Nơi\s+nhận|(?:TM|KT|TL|TUQ|Q)\.\s|Trên\s+đây\s+là)", re.I)
_SENTENCE_END_RX = re.compile(r"(?:[.!?]|\./\.)[\"'”’)\]*_]*$")
_CLAUSE_END_RX = re.compile(r"[;:][\"'”’)\]*_]*$")
_YEAR_RANGE_RX = re.compile(r"^[-–]\s*\d{4}\b")
_LEADING_PUNCT_RX = re.compile(r"^[\"'“”‘’(\[*_…]+")
# a date line ("Hòa, ngày 17 tháng 08"): a place wrapped before it ("Khánh") joins it
_DATE_LINE_START_RX = re.compile(r"^\w+(?: \w+){0,3},\s*ngày\b")


@dataclass(frozen=True)
class _CleanRules:
    chrome: re.Pattern | None
    metadata_row: re.Pattern | None
    running: re.Pattern | None
    page_number: re.Pattern
    decoration: re.Pattern
    hard_words: frozenset[str]
    soft_words: tuple[str, ...]
    number_words: tuple[str, ...]


def _full_line(patterns: Sequence[str]) -> re.Pattern | None:
    pats = [p for p in patterns if p]
    if not pats:
        return None
    # a leading (?i) applies to its own pattern only
    return re.compile("|".join(f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in pats))


def _build(rules: Rules) -> _CleanRules:
    data = rules["clean"] or {}
    labels = sorted(data.get("metadata_labels") or [], key=len, reverse=True)
    metadata = (
        re.compile(r"^[ \t]*\|?[ \t]*(?:" + "|".join(re.escape(x) for x in labels) + r")[ \t]*\|.*$", re.M)
        if labels else None
    )
    return _CleanRules(
        chrome=_full_line(data.get("web_chrome") or []),
        metadata_row=metadata,
        running=_full_line(data.get("running_headers") or []),
        page_number=_full_line(data.get("page_numbers") or [r"\d{1,3}"]),
        decoration=re.compile(data.get("decoration") or r"[-–—_=]{3,}"),
        hard_words=frozenset(w.lower() for w in data.get("join_after_words") or []),
        soft_words=tuple(sorted((w.lower() for w in data.get("join_after_soft_words") or []),
                                key=len, reverse=True)),
        number_words=tuple(w.lower() for w in data.get("join_before_number") or []),
    )


# --- substitution that keeps the offset map -------------------------------------------


def _sub(rx: re.Pattern, repl: Callable[[re.Match, Sequence[int]], list[Piece]] | str,
         text: str, offs: list[int]) -> tuple[str, list[int]]:
    """re.sub that also rewrites the per-character offset list.

    `repl` is a literal (every inserted character maps to the match start) or a function
    returning pieces (text, offsets).
    """
    out: list[str] = []
    oo: list[int] = []
    pos = 0
    for m in rx.finditer(text):
        s, e = m.span()
        out.append(text[pos:s])
        oo.extend(offs[pos:s])
        if isinstance(repl, str):
            if repl:
                at = offs[s] if s < len(offs) else (offs[-1] if offs else 0)
                out.append(repl)
                oo.extend([at] * len(repl))
        else:
            for piece, po in repl(m, offs):
                out.append(piece)
                oo.extend(po)
        pos = e
    if pos == 0 and not out:
        return text, offs
    out.append(text[pos:])
    oo.extend(offs[pos:])
    return "".join(out), oo


def _keep(group: int) -> Callable[[re.Match, Sequence[int]], list[Piece]]:
    def repl(m: re.Match, offs: Sequence[int]) -> list[Piece]:
        a, b = m.span(group)
        return [(m.string[a:b], offs[a:b])]
    return repl


def _nfc(text: str, offs: list[int]) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFC", text):
        return text, offs

    def repl(m: re.Match, o: Sequence[int]) -> list[Piece]:
        s = unicodedata.normalize("NFC", m.group())
        return [(s, [o[m.start()]] * len(s))]

    text, offs = _sub(_CLUSTER_RX, repl, text, offs)
    if not unicodedata.is_normalized("NFC", text):  # singletons (Ω, Å): one char at a time
        out: list[str] = []
        oo: list[int] = []
        for ch, o in zip(text, offs, strict=True):
            n = unicodedata.normalize("NFC", ch)
            out.append(n)
            oo.extend([o] * len(n))
        text, offs = "".join(out), oo
        if not unicodedata.is_normalized("NFC", text):  # a composition across characters
            text = unicodedata.normalize("NFC", text)
            offs = [offs[min(i, len(offs) - 1)] for i in range(len(text))] if offs else []
    return text, offs


def _retone_match(m: re.Match, offs: Sequence[int]) -> list[Piece]:
    head, first, toned = m.group(1), m.group(2), m.group(3)
    if first in "uU" and head[-1:] in ("q", "Q"):  # quý, quỳ: the tone belongs on y
        return [(m.group(), offs[m.start():m.end()])]
    d = unicodedata.normalize("NFD", toned)
    tone = "".join(c for c in d if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    new_first = unicodedata.normalize("NFC", first + tone)
    return [(head + new_first + base, offs[m.start():m.end()])]


# --- line-level passes ----------------------------------------------------------------


def _split_lines(text: str, offs: list[int]) -> list[tuple[str, list[int]]]:
    lines = []
    pos = 0
    for part in text.split("\n"):
        lines.append((part, offs[pos:pos + len(part)]))
        pos += len(part) + 1
    return lines


def _strip_line(s: str, o: list[int]) -> tuple[str, list[int]]:
    a = len(s) - len(s.lstrip(" "))
    b = len(s.rstrip(" "))
    if b <= a:
        return "", []
    return s[a:b], o[a:b]


def _superscript(m: re.Match, offs: Sequence[int]) -> list[Piece]:
    """`^{1}` (a footnote call) goes; `^{Tường}` (initials) keeps its letters."""
    inner = m.group(1)
    if not any(c.isalpha() for c in inner):
        return []
    a, b = m.span(1)
    return [(inner, offs[a:b])]


def _markup(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """Markdown and converter markup out; repeated until nothing changes (idempotence)."""
    for _ in range(5):
        before = text
        # (a pass that cannot match is skipped: cleaning runs each pass several times)
        if "#" in text:
            text, offs = _sub(_MD_HEADING_ONLY_RX, "", text, offs)
            text, offs = _sub(_MD_HEADING_RX, "", text, offs)
        if "^{" in text:
            text, offs = _sub(_SUPERSCRIPT_RX, _superscript, text, offs)
        text, offs = _sub(_STRONG_RX, "", text, offs)
        if "\\" in text:
            text, offs = _sub(_ESCAPE_RX, _keep(1), text, offs)
        text, offs = _sub(_EMPHASIS_RX, _keep(1), text, offs)
        text, offs = _sub(_UNDERSCORE_EM_RX, _keep(1), text, offs)
        if text == before:
            break
    return text, offs


def _drop_chrome(lines: list[tuple[str, list[int]]], cr: _CleanRules) -> list[tuple[str, list[int], bool]]:
    """Drop chrome, page numbers, decoration; returns (line, offsets, hard_break_before)."""
    out: list[tuple[str, list[int], bool]] = []
    hard = False
    for s, o in lines:
        s, o = _strip_line(s, o)
        if not s:
            out.append(("", [], False))
            continue
        if s == _CELL_EDGE:
            hard = True
            continue
        if (
            s == "\f"
            or (len(s) <= 200 and cr.chrome is not None and cr.chrome.fullmatch(s))
            or cr.page_number.fullmatch(s)
            or cr.decoration.fullmatch(s)
            or (cr.running is not None and cr.running.fullmatch(s))
        ):
            continue
        out.append((s, o, hard))
        hard = False
    return out


def _tables(text: str, offs: list[int], cr: _CleanRules) -> tuple[str, list[int]]:
    """Metadata tables out; header tables drawn with `|` become one line per cell."""
    if "|" not in text:
        return text, offs
    if cr.metadata_row is not None:
        first = cr.metadata_row.search(text)
        if first:
            # the site's page title sits right above the metadata table, under nothing but
            # chrome: drop it too
            before = text[: first.start()].rstrip("\n")
            start = before.rfind("\n") + 1
            above = [ln.strip() for ln in before[:start].split("\n") if ln.strip()]
            if before[start:].strip() and all(
                cr.chrome is not None and cr.chrome.fullmatch(ln) for ln in above
            ):
                text, offs = text[:start] + text[first.start():], offs[:start] + offs[first.start():]
            text, offs = _sub(cr.metadata_row, "", text, offs)
    text, offs = _sub(_TABLE_SEP_ROW_RX, "", text, offs)
    return _sub(_PIPE_RX, f"\n{_CELL_EDGE}\n", text, offs)


# --- reflow ---------------------------------------------------------------------------


def _tight_marker(s: str) -> bool:
    """A marker glued to its text: "1.Tổ chức", "I.MỤC TIÊU"."""
    m = _TIGHT_MARKER_RX.match(s)
    return m is not None and m.group(1).isupper()


def _first_letter(s: str) -> str:
    s = _LEADING_PUNCT_RX.sub("", s)
    return s[:1]


def _is_caps(s: str) -> bool:
    letters = [c for c in s[:40] if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _wrap_width(lines: list[tuple[str, list[int], bool]]) -> int | None:
    """The fixed width a hard-wrapped (PDF) text is broken at, or None when it is not."""
    lens = sorted(len(s) for s, _, _ in lines if len(s) >= 15)
    if len(lens) < 8:
        return None
    w = lens[int(0.8 * (len(lens) - 1))]
    if w > 200:
        return None
    near = sum(1 for n in lens if 0.75 * w <= n <= 1.1 * w)
    return w if near >= 0.5 * len(lens) else None


def _joins(buf: str, buf_lines: int, last: str, nxt: str, width: int | None, cr: _CleanRules) -> bool:
    """Does line `nxt` continue the paragraph `buf` (whose last visual line is `last`)?"""
    if _BARE_MARKER_RX.fullmatch(buf) and not (_MARKER_START_RX.match(nxt) or _tight_marker(nxt)):
        return True  # a marker on a line of its own ("1." / "Mục tiêu:"): its text follows
    if nxt[:1].isdigit() and _ends_with_word(buf.lower(), cr.number_words):
        return True  # "Điều" / "1. Phê duyệt": the number belongs to the word
    if _MARKER_START_RX.match(nxt) or _CLOSING_START_RX.match(nxt) or _tight_marker(nxt):
        return _YEAR_RANGE_RX.match(nxt) is not None and buf[-1:].isdigit()
    full = buf
    if len(buf) > _TAIL:  # only the paragraph's ends matter: keeps reflow linear
        buf = buf[:_TAIL] + " " + buf[-_TAIL:]
    if _SENTENCE_END_RX.search(buf):
        return False
    first = _first_letter(nxt)
    if not first:
        return False
    if nxt.startswith("(") and _is_caps(buf):
        return False  # "PHÓ CHỦ TỊCH" / "(đã ký)"
    # a one-line numbered heading ("2. Công an xã") is not continued by a capitalised line;
    # a bullet line is a paragraph, and goes on where the text says so
    heading_line = buf_lines == 1 and _MARKER_START_RX.match(buf) is not None and not _BULLET_RX.match(buf)
    clause_end = _CLAUSE_END_RX.search(buf) is not None
    if first.islower():
        return True
    if first.isdigit():
        return not clause_end
    if clause_end:
        return False
    words = buf.rstrip("*_”\"')").split()
    last_word = words[-1].lower() if words else ""
    if buf.endswith(",") or last_word in cr.hard_words:
        return True
    # a lone capitalised word split off its name: "ỦY" / "BAN NHÂN DÂN", "CỘNG" / "HÒA XÃ HỘI"
    if len(words) == 1 and _is_caps(buf) and _is_caps(nxt) and len(buf) <= 6:
        return True
    # a place name wrapped before its date line: "Khánh" / "Hòa, ngày 17 tháng 08"
    if len(words) <= 2 and buf[:1].isupper() and full.replace(" ", "").isalpha() \
            and not _is_caps(buf) and _DATE_LINE_START_RX.match(nxt):
        return True
    # an upper-case heading wrapped before its last word: "I. MỤC TIÊU, CHỈ" / "TIÊU"
    if heading_line and _is_caps(buf) and nxt.isalpha() and nxt.isupper():
        return True
    if heading_line or _is_caps(nxt):
        return False
    if _is_caps(last):
        return False  # an upper-case title line is not continued by a sentence ("... TỈNH" / "Thực hiện")
    if _ends_with_word(buf.lower(), cr.soft_words):
        return True
    # a fixed-width text: a line that fills the width goes on
    return width is not None and 0.8 * width <= len(last) <= 1.15 * width and not _is_caps(buf)


_TAIL = 200  # characters at each end of a paragraph that _joins looks at


def _ends_with_word(low: str, words: Sequence[str]) -> bool:
    return any(low.endswith(" " + w) or low == w for w in words)


def _reflow(lines: list[tuple[str, list[int], bool]], cr: _CleanRules) -> tuple[str, list[int]]:
    width = _wrap_width(lines)
    out: list[str] = []
    oo: list[int] = []
    buf: list[str] = []
    bo: list[int] = []
    para = ""  # "".join(buf), kept up to date (joining it again per line is quadratic)
    buf_lines = 0
    last = ""
    blank = False  # a blank line since the last text line
    nl_at = 0  # raw offset of the line break before the current line

    def flush() -> None:
        out.append("".join(buf))
        oo.extend(bo)

    for s, o, hard in lines:
        if not s:
            blank = True
            continue
        if buf and not hard and _joins(para, buf_lines, last, s, width, cr):
            buf.append(" ")
            bo.append(nl_at)
            buf.append(s)
            bo.extend(o)
            para += " " + s
            buf_lines += 1
        else:
            if buf:
                flush()
                sep = "\n\n" if blank else "\n"
                out.append(sep)
                oo.extend([nl_at] * len(sep))
            buf, bo, buf_lines, para = [s], list(o), 1, s
        last = s
        blank = False
        nl_at = o[-1] if o else nl_at
    if buf:
        flush()
    return "".join(out), oo


# --- public API -----------------------------------------------------------------------


def _clean_once(text: str, offs: list[int], cr: _CleanRules) -> tuple[str, list[int]]:
    # (a pass that cannot match is skipped: the second run over a clean text costs little)
    if "\r" in text:
        text, offs = _sub(re.compile(r"\r\n?"), "\n", text, offs)
    text, offs = _nfc(text, offs)
    text, offs = _sub(_ZERO_WIDTH_RX, "", text, offs)
    text, offs = _sub(_ODD_SPACE_RX, " ", text, offs)
    text, offs = _sub(_OldTones, _retone_match, text, offs)
    if "\f" in text:
        text, offs = _sub(_PAGE_BREAK_RX, "\n\f\n", text, offs)
    if _CELL_EDGE in text:
        text, offs = _sub(re.compile(_CELL_EDGE), "", text, offs)
    text, offs = _tables(text, offs, cr)
    text, offs = _markup(text, offs)
    lines = _drop_chrome(_split_lines(text, offs), cr)
    text, offs = _reflow(lines, cr)
    text, offs = _markup(text, offs)  # emphasis that spanned a line break
    if "  " in text:
        text, offs = _sub(_MULTI_SPACE_RX, " ", text, offs)
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        text, offs = _sub(_TRAIL_SPACE_RX, "", text, offs)
    text, offs = _nfc(text, offs)
    return text, offs


def clean_text(text: str, *, rules: Rules | None = None) -> tuple[str, tuple[int, ...]]:
    """Cleaned text and, for each of its characters, the raw index it came from.

    >>> clean_text("**\\\\* Phân công:**\\n\\n- Cơ quan chủ trì: Công an xã.")[0]
    '* Phân công:\\n\\n- Cơ quan chủ trì: Công an xã.'
    """
    cr = (rules or load_rules()).compiled("clean", _build)
    offs = list(range(len(text)))
    out, offs = _clean_once(text, offs, cr)
    # Reflow can open new joins once markup is gone: run to a fixed point so that cleaning
    # a cleaned text changes nothing.
    for _ in range(3):
        again, offs2 = _clean_once(out, list(range(len(out))), cr)
        if again == out:
            break
        out, offs = again, [offs[i] for i in offs2]
    return out, tuple(offs)


def clean(raw: RawDoc, *, rules: Rules) -> CleanDoc:
    text, offsets = clean_text(raw.text, rules=rules)
    return CleanDoc(doc_id=raw.doc_id, text=text, raw_offsets=offsets)
