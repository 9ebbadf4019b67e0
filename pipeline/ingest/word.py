"""Word .docx: paragraphs and table cells in order, with Word's list numbers put back.

Automatic list numbering is not in a paragraph's text: Word draws `I.`, `1.`, `a)` from the
numbering part. Without it the heading structure is lost, so the markers are rebuilt the
way Word renders them: the paragraph's `w:numPr` (or its style's) names a list (`numId`)
and a level; the list's abstract definition gives each level's format (`upperRoman`,
`decimal`, `lowerLetter`, `bullet`, ...), its text (`%1.`, `%1)`, `%1.%2.`) and start
value. Counters belong to the abstract list, a list instance with a start override restarts
it, and numbering a level restarts the levels below it. Bullets render as `-` (`+` stays).

Runs typed in legacy fonts (`.VnTime`, `.VnTimeH`: TCVN3; `VNI-Times`: VNI) are converted
by their font name; what has no telling font is left to the text-level detection.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..encodings import fix_legacy, from_vni, restore_case, tcvn3_chars
from ..markers import roman_numeral
from ..tables import is_data_table
from .base import IngestError, Reading
from .limits import MAX_LIST_VALUE, check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# elements whose runs are not the paragraph's own text (deleted text, text boxes, fallbacks)
_NOT_OWN = {f"{W}p", f"{W}del", f"{W}moveFrom", f"{W}txbxContent",
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def read_docx(path: Path, data: bytes) -> Reading:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data)  # a zip bomb is an error row, not a worker out of memory
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise IngestError(f"not a readable .docx file: {type(exc).__name__}: {exc}") from None
    except Exception as exc:  # zipfile.BadZipFile, lxml syntax errors
        raise IngestError(f"not a readable .docx file: {type(exc).__name__}: {exc}") from None
    reader = _DocxReader(document)
    lines: list[str] = []
    reader.block(document.element.body, lines)
    text, legacy = fix_legacy("\n".join(lines))
    encoding = "+".join(e for e in (reader.legacy_used, legacy) if e) or None
    return Reading(text=text, encoding=encoding)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False  # w:isLgl: show every level's number in decimal
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


def _val(el, tag: str) -> str | None:
    child = el.find(f"{W}{tag}") if el is not None else None
    return child.get(f"{W}val") if child is not None else None


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(el) -> _Level:
    return _Level(start=_int(_val(el, "start"), 1), fmt=_val(el, "numFmt") or "decimal",
                  text=_val(el, "lvlText") or "", restart=_int(_val(el, "lvlRestart")),
                  legal=el.find(f"{W}isLgl") is not None and _val(el, "isLgl") not in ("0", "false"),
                  style=_val(el, "pStyle"))


class _DocxReader:
    def __init__(self, document) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum -> style that holds the real list
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.legacy_used: str | None = None
        self._font_cache: dict[str, str | None] = {}
        self._style_num_cache: dict[str | None, tuple[str | None, int | None]] = {}
        self.styles: dict[str, object] = {}
        self.default_pstyle: str | None = None
        self.default_font: str | None = None
        self._load_styles(document)
        self._load_numbering(document)

    # --- definitions ------------------------------------------------------------------

    def _load_styles(self, document) -> None:
        try:
            root = document.part.styles.element
        except Exception:  # no styles part: plain defaults
            return
        for st in root.iter(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if sid:
                self.styles[sid] = st
                if st.get(f"{W}type") == "paragraph" and st.get(f"{W}default") in ("1", "true"):
                    self.default_pstyle = sid
        fonts = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if fonts is not None:
            self.default_font = fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")

    def _load_numbering(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        for an in root.iter(f"{W}abstractNum"):
            aid = an.get(f"{W}abstractNumId")
            self.abstract[aid] = {_int(lv.get(f"{W}ilvl"), 0): _level(lv) for lv in an.iter(f"{W}lvl")}
            link = _val(an, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in root.iter(f"{W}num"):
            nid = num.get(f"{W}numId")
            rec = _Num(abstract=_val(num, "abstractNumId") or "")
            for ov in num.iter(f"{W}lvlOverride"):
                ilvl = _int(ov.get(f"{W}ilvl"), 0)
                start = _int(_val(ov, "startOverride"))
                if start is not None:
                    rec.starts[ilvl] = start
                lv = ov.find(f"{W}lvl")
                if lv is not None:
                    rec.levels[ilvl] = _level(lv)
                    if start is None and lv.find(f"{W}start") is not None:
                        rec.starts[ilvl] = rec.levels[ilvl].start
            self.nums[nid] = rec

    def _style_chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            st = self.styles[sid]
            yield st
            sid = _val(st, "basedOn")

    # --- numbering --------------------------------------------------------------------

    def _num_of(self, p) -> tuple[str, int, str | None] | None:
        ppr = p.find(f"{W}pPr")
        num_id = ilvl = None
        if ppr is not None and (numpr := ppr.find(f"{W}numPr")) is not None:
            num_id, ilvl = _val(numpr, "numId"), _int(_val(numpr, "ilvl"))
        style = _val(ppr, "pStyle") or self.default_pstyle
        if num_id is None:  # numbering that comes with the paragraph style
            num_id, style_ilvl = self._style_num(style)
            if ilvl is None:
                ilvl = style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, ilvl if ilvl is not None else -1, style

    def _style_num(self, style: str | None) -> tuple[str | None, int | None]:
        if style not in self._style_num_cache:
            found: tuple[str | None, int | None] = (None, None)
            for st in self._style_chain(style):
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    found = (_val(numpr, "numId"), _int(_val(numpr, "ilvl")))
                    break
            self._style_num_cache[style] = found
        return self._style_num_cache[style]

    def _abstract_of(self, num_id: str) -> str:
        aid = self.nums[num_id].abstract
        link = self.style_link.get(aid)
        if link:  # the list is defined through a numbering style
            for st in self._style_chain(link):
                numpr = st.find(f"{W}pPr/{W}numPr")
                target = _val(numpr, "numId") if numpr is not None else None
                if target in self.nums and self.nums[target].abstract != aid:
                    return self.nums[target].abstract
        return aid

    def marker(self, p) -> str | None:
        found = self._num_of(p)
        if found is None:
            return None
        num_id, ilvl, style = found
        num = self.nums[num_id]
        aid = self._abstract_of(num_id)
        levels = {**self.abstract.get(aid, {}), **num.levels}
        if ilvl < 0:  # level from the style: the level that names the style, else the first
            ilvl = next((k for k, lv in levels.items() if style and lv.style == style), 0)
        level = levels.get(ilvl)
        if level is None:
            return None
        state = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for k, start in num.starts.items():  # a restarted list instance
                state[k] = start - 1
                for deeper in [d for d in state if d > k]:
                    del state[deeper]
        state[ilvl] = state[ilvl] + 1 if ilvl in state else level.start
        for deeper in [d for d in state if d > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart and ilvl < restart):
                del state[deeper]
        if level.fmt == "bullet":
            return "+" if level.text.strip() == "+" else "-"
        if level.fmt == "none":
            return level.text.strip() or None

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            value = state.get(k, lv.start)
            return _format(value, "decimal" if level.legal else lv.fmt)

        return re.sub(r"%([1-9])", number, level.text).strip() or None

    # --- text -------------------------------------------------------------------------

    def block(self, parent, lines: list[str]) -> None:
        """Paragraphs and tables under a body, cell or content control, in order."""
        for el in parent:
            tag = el.tag
            if tag == f"{W}p":
                text = self.paragraph(el)
                if text.strip():
                    lines.append(text)
            elif tag == f"{W}tbl":
                self.table(el, lines)
            elif tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    self.block(content, lines)

    def table(self, tbl, lines: list[str]) -> None:
        """A table whose header names its columns (a task table) as pipe rows, `| a | b |`,
        a cell's paragraphs joined by `<br>` (clean keeps such rows, pipeline/tables.py); any
        other table (the issuer | motto block) as one line per cell paragraph."""
        rows: list[list[list[str]]] = []
        merged: list[bool] = []  # per cell in reading order: the rest of a vertical merge
        origin: dict[int, list[str]] = {}  # grid column -> the text of the merge that starts there
        for row in tbl.iter(f"{W}tr"):
            if row.getparent() is not tbl:
                continue  # rows of a nested table come with their cell
            cells = []
            col = 0
            for cell in row.findall(f"{W}tc"):
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                own: list[str] = []
                rest = merge is not None and merge.get(f"{W}val") in (None, "continue")
                if rest:
                    own = list(origin.get(col, []))
                else:
                    self.block(cell, own)
                    origin[col] = own
                merged.append(rest)
                cells.append(own)
                col += _int(_val(cell.find(f"{W}tcPr"), "gridSpan"), 1) or 1
            rows.append(cells)
        if is_data_table([[" ".join(c) for c in r] for r in rows]):
            # a merged cell reads as it looks: its text in every row it covers
            for r in rows:
                lines.append("| " + " | ".join("<br>".join(c).replace("|", "/") for c in r) + " |")
        else:  # the rest of a merged cell is empty
            k = 0
            for r in rows:
                for c in r:
                    if not merged[k]:
                        lines.extend(c)
                    k += 1

    def paragraph(self, p) -> str:
        out: list[str] = []
        ambiguous: list[bool] = []
        for r in p.iter(f"{W}r"):
            if not self._own(r, p):
                continue
            text = "".join(_BREAKS.get(ch.tag, ch.text or "") if ch.tag != f"{W}t" else (ch.text or "")
                           for ch in r if ch.tag in _BREAKS or ch.tag == f"{W}t")
            if not text:
                continue
            kind, upper = _legacy_font(self._font(r, p))
            if kind == "tcvn3":
                self.legacy_used = "tcvn3"
                if upper:
                    text, flags = tcvn3_chars(text)[0].upper(), [False] * len(text)
                else:
                    text, flags = tcvn3_chars(text)
            elif kind == "vni":
                self.legacy_used = "vni"
                text = unicodedata.normalize("NFC", from_vni(text))
                flags = [False] * len(text)
            else:
                flags = [False] * len(text)
            out.append(text)
            ambiguous += flags
        text = "".join(out)
        if any(ambiguous):
            text = restore_case(text, ambiguous)
        text = text.strip()
        mark = self.marker(p)
        if mark and text:
            text = f"{mark} {text}"
        return unicodedata.normalize("NFC", text) if not text.isascii() else text

    @staticmethod
    def _own(r, p) -> bool:
        node = r.getparent()
        while node is not None and node is not p:
            if node.tag in _NOT_OWN:
                return False
            node = node.getparent()
        return True

    def _font(self, r, p) -> str | None:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        if fonts is not None and (name := fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")):
            return name
        rstyle = _val(r.find(f"{W}rPr"), "rStyle")
        pstyle = _val(p.find(f"{W}pPr"), "pStyle") or self.default_pstyle
        key = f"{rstyle}|{pstyle}"
        if key not in self._font_cache:
            self._font_cache[key] = self._style_font(rstyle) or self._style_font(pstyle) or self.default_font
        return self._font_cache[key]

    def _style_font(self, sid: str | None) -> str | None:
        for st in self._style_chain(sid):
            fonts = st.find(f"{W}rPr/{W}rFonts")
            if fonts is not None and (name := fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")):
                return name
        return None


def _legacy_font(name: str | None) -> tuple[str | None, bool]:
    """('tcvn3' | 'vni' | None, drawn in capitals) for a font name."""
    if not name:
        return None, False
    low = name.strip().lower()
    if low.startswith(".vn"):
        return "tcvn3", name.strip().endswith("H")  # .VnTimeH, .VnArialH: the capitals fonts
    if low.startswith("vni-") or low.startswith("vni "):
        return "vni", False
    return None, False




def _letter(n: int) -> str:
    # Word: a..z, then aa..zz, aaa.. (the letter repeated)
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if n > MAX_LIST_VALUE:  # `start` of 2,000,000,000 in letters would be a 77 MB marker
        return str(n)
    if fmt == "upperRoman":
        return roman_numeral(n)
    if fmt == "lowerRoman":
        return roman_numeral(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats a plan does not use
