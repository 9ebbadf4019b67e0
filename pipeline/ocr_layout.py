"""Reading order of an OCR'd official page from Tesseract's word boxes.

Tesseract in single-column mode (`--psm 4`) reads the two columns of an official letterhead
as one line (`ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`) and so the signature
block (`Nơi nhận:   TM. ỦY BAN NHÂN DÂN`). Its TSV output keeps every word's box, so the
columns can be told apart: a line whose words leave a wide gap across the middle of the
page is two cells, and the lines around it that stay within one half belong to the same
two-column region. Such a region is written one column after the other, row group by row
group (a vertical gap where both columns are blank starts a new row group), the way a
website flattens the same table: issuer, motto, number, date; recipients, signature.

    >>> words = [Word(1, 1, 1, 100, 50, 200, 30, 95, "ỦY"), Word(1, 1, 1, 1000, 50, 300, 30, 95, "CỘNG"),
    ...          Word(1, 1, 2, 100, 90, 200, 30, 95, "XÃ"), Word(1, 1, 2, 1000, 90, 300, 30, 95, "Độc")]
    >>> page_text(words, page_width=2000)
    'ỦY\\nXÃ\\n\\nCỘNG\\nĐộc'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from statistics import median

COLUMN_GAP = 0.05  # a gap this wide (share of the page width) between two words splits a line
MIDDLE = (0.42, 0.58)  # ... when it spans this band around the middle of the page
NOISE_CONFIDENCE = 30  # a line none of whose words Tesseract trusts this much is a stamp or a scribble
JUNK_CONFIDENCE = 10  # a word Tesseract trusts less than this is a mark, not a word


@dataclass(frozen=True, slots=True)
class Word:
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str

    @property
    def right(self) -> int:
        return self.left + self.width


@dataclass(frozen=True, slots=True)
class Line:
    key: tuple[int, int]  # (block, paragraph): a change starts a new paragraph
    words: tuple[Word, ...]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def parse_tsv(tsv: str) -> list[Word]:
    """The words (level 5 rows) of `tesseract ... tsv` output."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append(Word(int(row["block_num"]), int(row["par_num"]), int(row["line_num"]),
                          int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]),
                          float(row["conf"]), text))
    return words


def lines_of(words: list[Word]) -> list[Line]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        if w.conf < JUNK_CONFIDENCE and w.conf >= 0:
            continue
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    out = []
    for key, ws in lines.items():
        ws.sort(key=lambda w: w.left)
        # Tesseract joins words far apart in height into one line when a blank band and a
        # slight skew lie between them (a title and the name under a signature): split there
        start = 0
        for i in range(1, len(ws) + 1):
            if i == len(ws) or abs(ws[i].top - ws[i - 1].top) > 0.8 * max(ws[i].height, ws[i - 1].height):
                part = ws[start:i]
                if max(w.conf for w in part) >= NOISE_CONFIDENCE:
                    out.append(Line(key[:2], tuple(part)))
                start = i
    return out


def _split(line: Line, width: int) -> tuple[Line, Line] | None:
    """(left cell, right cell) when a wide gap across the middle of the page cuts LINE."""
    ws = line.words
    for i in range(1, len(ws)):
        gap_start, gap_end = ws[i - 1].right, ws[i].left
        if (gap_end - gap_start >= COLUMN_GAP * width
                and gap_start <= MIDDLE[1] * width and gap_end >= MIDDLE[0] * width):
            return Line(line.key, ws[:i]), Line(line.key, ws[i:])
    return None


def _side(line: Line, width: int) -> str | None:
    """'left' or 'right' when LINE stays within one half of the page."""
    if line.right <= MIDDLE[1] * width:
        return "left"
    if line.left >= MIDDLE[0] * width:
        return "right"
    return None


def _region_text(rows: list[tuple[Line | None, Line | None]], line_height: float) -> list[str]:
    """A two-column region: row groups split at blank bands, each column after the other."""
    groups: list[list[tuple[Line | None, Line | None]]] = [[]]
    bottom = None
    for left, right in rows:
        top = min(x.top for x in (left, right) if x)
        if bottom is not None and top - bottom > 1.2 * line_height and groups[-1]:
            groups.append([])
        groups[-1].append((left, right))
        bottom = max(x.bottom for x in (left, right) if x)
    out: list[str] = []
    for group in groups:
        for column in (0, 1):
            cells = [row[column] for row in group if row[column]]
            for k, cell in enumerate(cells):
                if k and cell.top - cells[k - 1].bottom > 1.2 * line_height:
                    out.append("")  # a blank band within the column: the space for a signature
                out.append(cell.text)
            if cells:
                out.append("")
    return out


def page_text(words: list[Word], *, page_width: int) -> str:
    """The text of one page in reading order, two-column regions one column at a time."""
    lines = lines_of(words)
    if not lines:
        return ""
    line_height = median(ln.bottom - ln.top for ln in lines)
    # each line: its two cells, or the half it stays in, or neither (it crosses the middle)
    rows: list[tuple[Line | None, Line | None] | None] = []
    for line in lines:
        cells = _split(line, page_width)
        side = _side(line, page_width)
        rows.append(cells or ((line, None) if side == "left" else (None, line) if side else None))
    out: list[str] = []
    i, prev_key = 0, None
    while i < len(lines):
        j = i
        while j < len(lines) and rows[j] is not None:
            j += 1
        # a run of one-half lines is a region when one of its lines has both cells
        if j > i and any(rows[k][0] and rows[k][1] for k in range(i, j)):
            if out and out[-1] != "":
                out.append("")
            out.extend(_region_text(rows[i:j], line_height))
            i, prev_key = j, None
            continue
        line = lines[i]
        if prev_key is not None and line.key != prev_key and out and out[-1] != "":
            out.append("")  # a new paragraph, as Tesseract's text output has it
        out.append(line.text)
        i, prev_key = i + 1, line.key
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def mean_confidence(words: list[Word]) -> float | None:
    """Tesseract's mean word confidence (0-100), weighted by word length."""
    scored = [(w.conf, len(w.text)) for w in words if w.conf >= 0]
    total = sum(n for _, n in scored)
    return sum(c * n for c, n in scored) / total if total else None
