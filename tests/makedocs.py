"""Test fixtures built from seed text: .docx with Word's automatic numbering, text-layer PDFs.

Nothing binary is committed: every file is made in the test's tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


class DocxBuilder:
    """A .docx made paragraph by paragraph, with list definitions written into numbering.xml."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.numbering = self.doc.part.numbering_part.element
        self._next_abstract = 100
        self._next_num = 100

    def abstract(self, levels: list[tuple[str, str]], *, starts: dict[int, int] | None = None,
                 restart: dict[int, int] | None = None) -> int:
        """A list definition: (numFmt, lvlText) per level."""
        aid = self._next_abstract
        self._next_abstract += 1
        parts = []
        for i, (fmt, text) in enumerate(levels):
            extra = f'<w:lvlRestart w:val="{restart[i]}"/>' if restart and i in restart else ""
            parts.append(f'<w:lvl w:ilvl="{i}"><w:start w:val="{(starts or {}).get(i, 1)}"/>'
                         f'<w:numFmt w:val="{fmt}"/>{extra}<w:lvlText w:val="{text}"/>'
                         f'<w:lvlJc w:val="left"/></w:lvl>')
        el = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                       f'<w:multiLevelType w:val="multilevel"/>{"".join(parts)}</w:abstractNum>')
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:  # abstractNum elements come before num elements
            first_num.addprevious(el)
        else:
            self.numbering.append(el)
        return aid

    def num(self, abstract_id: int, *, start_override: dict[int, int] | None = None) -> int:
        nid = self._next_num
        self._next_num += 1
        overrides = "".join(f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                            for lvl, v in (start_override or {}).items())
        self.numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}">'
                                        f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'))
        return nid

    def para(self, text: str, *, num: int | None = None, level: int = 0, font: str | None = None,
             style: str | None = None, runs: list[tuple[str, str | None]] | None = None):
        p = self.doc.add_paragraph(style=style)
        for run_text, run_font in runs or [(text, font)]:
            run = p.add_run(run_text)
            if run_font:
                run.font.name = run_font
        if num is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                                 f'<w:numId w:val="{num}"/></w:numPr>'))
        return p

    def table(self, rows: list[list[str]]) -> None:
        t = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = t.cell(r, c)
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path


# --- a plan's text to a .docx with automatic numbering -----------------------------------

_MARKERS = (
    ("roman", re.compile(r"([IVXLC]+)\.\s+(.*)")),
    ("dotted", re.compile(r"(\d+)\.(\d+)\.\s+(.*)")),
    ("arabic", re.compile(r"(\d+)\.\s+(.*)")),
    ("letter", re.compile(r"([a-zđ])\)\s+(.*)")),
    ("dash", re.compile(r"-\s+(.*)")),
    ("plus", re.compile(r"\+\s+(.*)")),
)
_LEVEL = {"roman": 0, "arabic": 1, "dotted": 2, "letter": 3}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(s: str) -> int:
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def plan_to_docx(text: str, path: Path) -> Path:
    """Each non-blank line a paragraph; item markers become Word list numbering (not text).

    Where Word's counters would not give the marker the text has (a gap such as I, II, IV),
    the list is restarted at that value, as a person fixing the numbers in Word would.
    A marker Word cannot draw (`đ)`) stays in the text.
    """
    b = DocxBuilder()
    heads = b.abstract([("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3."),
                        ("lowerLetter", "%4)")])
    bullets = b.abstract([("bullet", "-"), ("bullet", "+")])
    num, bullet_num = b.num(heads), b.num(bullets)
    state: dict[int, int] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        kind, m = next(((k, rx.fullmatch(line)) for k, rx in _MARKERS if rx.fullmatch(line)), (None, None))
        if kind in ("dash", "plus"):
            b.para(m.group(1), num=bullet_num, level=0 if kind == "dash" else 1)
            continue
        if kind is None or (kind == "letter" and m.group(1) == "đ"):
            b.para(line)
            continue
        level = _LEVEL[kind]
        if kind == "roman":
            value, body = _roman_value(m.group(1)), m.group(2)
        elif kind == "dotted":
            if state.get(1) != int(m.group(1)):
                b.para(line)
                continue
            value, body = int(m.group(2)), m.group(3)
        elif kind == "arabic":
            value, body = int(m.group(1)), m.group(2)
        else:
            value, body = ord(m.group(1)) - ord("a") + 1, m.group(2)
        expected = state[level] + 1 if level in state else 1
        if value != expected:
            num = b.num(heads, start_override={level: value})
        b.para(body, num=num, level=level)
        state[level] = value
        for deeper in [k for k in state if k > level]:
            del state[deeper]
    return b.save(path)


def plan_to_pdf(text: str, path: Path, *, page_numbers: bool = True) -> Path:
    """A text-layer PDF: hard-wrapped lines, headings in bold, the title centred."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            if page_numbers:
                self.set_y(-15)
                self.set_font("DV", "", 9)
                self.cell(0, 10, str(self.page_no()), align="C")

    pdf = _Pdf(format="A4")
    pdf.add_font("DV", "", str(FONT))
    pdf.add_font("DV", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    heading = re.compile(r"([IVXLC]+|\d+(\.\d+)*)\.\s")
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bold = bool(heading.match(line)) or (line.isupper() and len(line) < 80)
        pdf.set_font("DV", "B" if bold else "", 11)
        centered = line.isupper() and len(line) < 40 and not heading.match(line)
        pdf.multi_cell(0, 6, line, align="C" if centered else "L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def have_pdf_font() -> bool:
    return FONT.exists() and FONT_BOLD.exists()
