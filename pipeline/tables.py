"""Table blocks: tables found in text and kept as rows a reader can follow.

Plans carry their tasks in tables (`STT | Nội dung | Cơ quan chủ trì | ...`). Text inputs hold
them in two shapes:

- pipe tables, a row a line: ``| 1 | Tổ chức ... | Sở Tài chính |`` (markdown, and what the
  DOCX and PDF readers write for a real table; a cell's own line breaks as ``<br>``);
- flattened HTML tables (web exports): one cell per block of lines between lines holding
  only ``|``, rows separated by two such lines; merged cells are simply missing.

`format_tables` (called by the clean stage before markup removal) rewrites every table whose
header row names columns (rules/tables.yaml) as one line per row, ``| a | b | c |``, each
cell's lines joined by a space; other tables (the issuer | motto block above a plan, the
signature block) are left for clean to lay out one line per cell. While the rest of cleaning
runs the row's bars are `PIPE` characters, so clean's handling of layout tables leaves them
alone; `restore_pipes` puts the bars back. `find_tables` reads the rows and cell spans back
from the cleaned text: a cleaned text holds a line that starts and ends with ``|`` only
where it holds a table row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import MutableSequence, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add, itemgetter

from .memo import kept
from .rules import Rules, load_rules

__all__ = ["Cell", "Row", "Table", "TableRules", "table_rules", "format_tables", "restore_pipes",
           "find_tables", "header_kinds", "is_data_table", "PIPE"]

PIPE = "\x1e"  # a row's bar while the rest of cleaning runs (restored by restore_pipes)
EDGE = "\x1f"  # clean's cell edge: lines never join across it
_BR_RX = re.compile(r"<br\s*/?>", re.I)
_MARKUP_RX = re.compile(r"[*_#`\\]+")
_SEP_CELL_RX = re.compile(r":?-{3,}:?")
_ROW_LINE_RX = re.compile(r"^\|.*\|[ \t]*$", re.M)


@dataclass(frozen=True, slots=True)
class Cell:
    start: int  # offsets in the text the table was read from
    end: int

    def text(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass(frozen=True, slots=True)
class Row:
    start: int
    end: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TableRules:
    columns: tuple[tuple[str, tuple[str, ...]], ...]  # kind, header words (folded)
    word_rx: re.Pattern | None
    header_rows: int
    header_min_kinds: int
    header_share: float
    task_columns: frozenset[str]
    deadline_label: str
    year_word: str
    window_join: re.Pattern
    group_index: re.Pattern
    row_index: re.Pattern
    ditto: re.Pattern
    # _kind_of's answers by cell text: each cleaning pass and the table reader ask again
    kinds: dict = field(default_factory=dict, compare=False, repr=False)


def _fold(s: str) -> str:
    s = _MARKUP_RX.sub(" ", _BR_RX.sub(" ", s)).lower()
    return re.sub(r"\s+", " ", s).strip()


def _build(rules: Rules) -> TableRules:
    data = rules["tables"] or {}
    columns = tuple((kind, tuple(_fold(w) for w in words or []))
                    for kind, words in (data.get("columns") or {}).items())
    words = sorted({w for _, ws in columns for w in ws}, key=len, reverse=True)
    word_rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)") if words else None
    return TableRules(
        columns=columns,
        word_rx=word_rx,
        header_rows=int(data.get("header_rows", 3)),
        header_min_kinds=int(data.get("header_min_kinds", 2)),
        header_share=float(data.get("header_share", 0.6)),
        task_columns=frozenset(data.get("task_columns") or ()),
        deadline_label=str(data.get("deadline_label") or ""),
        year_word=str(data.get("year_word") or ""),
        window_join=re.compile(data.get("window_join") or r"(?!)", re.I),
        group_index=re.compile(rf"(?:{data.get('group_index') or '(?!)'})(?=\s|$)"),
        row_index=re.compile(rf"(?:{data.get('row_index') or '(?!)'})"),
        ditto=re.compile("|".join(re.escape(w) for w in data.get("ditto") or []) or "(?!)", re.I),
    )


def table_rules(rules: Rules) -> TableRules:
    return rules.compiled("tables", _build)


@lru_cache(maxsize=1)
def _default_rules() -> TableRules:
    return table_rules(load_rules())


# --- header words -----------------------------------------------------------------------


_KINDS_KEPT = 4096  # cell texts whose kind is kept (emptied when full)


def _kind_of(cell: str, tr: TableRules) -> str | None:
    """The column kind a header cell names: the word standing earliest, the longest on a tie."""
    return kept(tr.kinds, cell, _KINDS_KEPT, lambda: _kind_of_cell(cell, tr))


def _kind_of_cell(cell: str, tr: TableRules) -> str | None:
    if tr.word_rx is None:
        return None
    best: tuple[int, int, str] | None = None
    for m in tr.word_rx.finditer(_fold(cell)):
        w = m.group(1)
        for kind, words in tr.columns:
            if w in words:
                key = (m.start(), -len(w), kind)
                if best is None or key < best:
                    best = key
                break
    return best[2] if best else None


def header_kinds(cells: Sequence[str], tr: TableRules) -> list[str | None] | None:
    """The column kinds of a header row, or None when the row is not a header."""
    kinds = [_kind_of(c, tr) for c in cells]
    named = [k for k in kinds if k]
    if len(set(named)) < tr.header_min_kinds or len(named) < tr.header_share * len(cells):
        return None
    return kinds


def header_row(rows: Sequence[Sequence[str]], tr: TableRules) -> tuple[int, list[str | None]] | None:
    """(index, kinds) of the header among the first rows of a table, or None."""
    for i, cells in enumerate(rows[: tr.header_rows]):
        kinds = header_kinds(cells, tr)
        if kinds is not None:
            return i, kinds
    return None


def is_data_table(rows: Sequence[Sequence[str]], tr: TableRules | None = None) -> bool:
    """A table with a header row naming its columns (the DOCX and PDF readers ask too)."""
    return header_row(rows, tr or _default_rules()) is not None


# --- finding tables in raw text ---------------------------------------------------------

# a table as found: rows of cells, each cell a list of (start, end) spans of its lines
_Spans = list[tuple[int, int]]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, the line break left out."""
    lens = list(map(len, text.split("\n")))
    starts = [0, *accumulate(map((1).__add__, lens))]  # (map: no Python step per line)
    return list(zip(starts, map(add, starts, lens), strict=False))  # (starts has one more)


def _flattened(text: str, lines, i: int) -> tuple[int, list[list[_Spans]]] | None:
    """The flattened table whose first `|` line is line I: (index of its last line, rows)."""
    n = len(lines)
    rows: list[list[_Spans]] = [[]]
    last = i
    k = i + 1
    while k < n:
        s = text[lines[k][0]:lines[k][1]].strip()
        if s == "|":  # two bars in a row: the next row starts
            rows.append([])
            last = k
            k += 1
            continue
        if not s:
            break
        m = k
        cell: _Spans = []
        while m < n and text[lines[m][0]:lines[m][1]].strip() not in ("|", ""):
            cell.append(lines[m])
            m += 1
        if m >= n or text[lines[m][0]:lines[m][1]].strip() != "|":
            break  # text after the last bar: not a cell
        rows[-1].append(cell)
        last = m
        k = m + 1
    rows = [r for r in rows if r]
    return (last, rows) if rows else None


def _pipe_line(s: str) -> bool:
    t = s.strip()
    return len(t) > 1 and t.startswith("|") and t.endswith("|") and t.count("|") >= 2


def _pipe_cells(text: str, a: int, b: int) -> list[_Spans] | None:
    """The cells of one pipe row line; None for a separator row (`|---|---|`)."""
    s = text[a:b]
    lead = len(s) - len(s.lstrip())
    inner_a = a + lead + 1
    inner_b = a + len(s.rstrip()) - 1
    cells: list[_Spans] = []
    pos = inner_a
    for part in text[inner_a:inner_b].split("|"):
        cells.append([(pos, pos + len(part))])
        pos += len(part) + 1
    if all(_SEP_CELL_RX.fullmatch(text[x:y].strip()) for [(x, y)] in cells):
        return None
    return cells


def _pipe_table(text: str, lines, i: int) -> tuple[int, list[list[_Spans]]]:
    """Consecutive pipe row lines from line I (blank lines between rows allowed: a page break)."""
    rows: list[list[_Spans]] = []
    last = i
    k = i
    while k < len(lines):
        s = text[lines[k][0]:lines[k][1]]
        if _pipe_line(s):
            cells = _pipe_cells(text, *lines[k])
            if cells is not None:
                rows.append(cells)
            last = k
            k += 1
        elif not s.strip() and k + 1 < len(lines):
            k += 1
        else:
            break
    return last, rows


def _cell_text(text: str, spans: _Spans) -> str:
    # (a `<br>` holds a `<`: most cells have none, and go without the pattern)
    return " ".join((_BR_RX.sub(" ", t) if "<" in t else t).strip() for t in (text[a:b] for a, b in spans))


# --- rewriting --------------------------------------------------------------------------


def format_tables(text: str, offs: MutableSequence[int], tr: TableRules) -> tuple[str, MutableSequence[int]]:
    """Every table with a header as one line per row (`PIPE a PIPE b PIPE`); other pipe
    tables keep their bars with `<br>` turned back into line breaks; offsets kept (as the
    kind OFFS is: a list, an array)."""
    if "|" not in text:
        return text, offs
    if PIPE in text:  # a stray control character would read as a bar
        keep = [i for i, c in enumerate(text) if c != PIPE]
        kept = offs[:0]
        kept.extend([offs[i] for i in keep])
        text, offs = "".join(text[i] for i in keep), kept
    lines = _lines(text)
    starts = list(map(itemgetter(0), lines))
    out: list[str] = []
    oo = offs[:0]
    pos = 0  # text before this offset is already in out
    i = 0
    while i < len(lines):
        bar = text.find("|", lines[i][0])  # (a table starts on a line with a bar: go to the next)
        if bar < 0:
            break
        i = bisect_right(starts, bar) - 1
        a, b = lines[i]
        s = text[a:b]
        found = None
        if s.strip() == "|":
            found = _flattened(text, lines, i)
        elif _pipe_line(s):
            found = _pipe_table(text, lines, i)
        if not found:
            i += 1
            continue
        last, rows = found
        t_start, t_end = a, lines[last][1]
        # (header_row reads the first header_rows rows only: the others' cells are not read)
        cells_text = [[_cell_text(text, c) for c in r] for r in rows[: tr.header_rows]]
        out.append(text[pos:t_start])
        oo.extend(offs[pos:t_start])
        if header_row(cells_text, tr) is not None:
            _emit_rows(text, offs, rows, t_start, out, oo)
        else:  # a layout table: clean lays it out one line per cell
            region = text[t_start:t_end]
            for m_start, piece in _split_br(region):
                out.append(piece)
                oo.extend([offs[t_start + m_start]] * len(piece) if piece == "\n"
                          else offs[t_start + m_start:t_start + m_start + len(piece)])
        pos = t_end
        i = last + 1
    if not out:  # no table rewritten: the text as it is (not copied)
        return text, offs
    out.append(text[pos:])
    oo.extend(offs[pos:])
    return "".join(out), oo


def _split_br(region: str) -> list[tuple[int, str]]:
    """REGION in pieces, each `<br>` replaced by a line break: (offset in region, piece)."""
    pieces, pos = [], 0
    for m in _BR_RX.finditer(region):
        pieces.append((pos, region[pos:m.start()]))
        pieces.append((m.start(), "\n"))
        pos = m.end()
    pieces.append((pos, region[pos:]))
    return [(p, s) for p, s in pieces if s]


def _piece(text: str, offs: MutableSequence[int], a: int, b: int) -> tuple[str, MutableSequence[int]]:
    """TEXT[a:b] stripped, each `<br>` a space and a stray `|` a slash, with its offsets."""
    # (str.strip takes off what isspace calls a space: the stripped piece's bounds, without a
    # Python step per space)
    t = text[a:b]
    kept = t.lstrip()
    a += len(t) - len(kept)
    kept = kept.rstrip()
    b = a + len(kept)
    if "<" not in kept:  # (no `<br>`: most cells, taken whole)
        return kept.replace("|", "/"), offs[a:b]
    chars: list[str] = []
    oo = offs[:0]
    pos = a
    for m in _BR_RX.finditer(text, a, b):
        chars.append(text[pos:m.start()])
        oo.extend(offs[pos:m.start()])
        chars.append(" ")
        oo.append(offs[m.start()])
        pos = m.end()
    chars.append(text[pos:b])
    oo.extend(offs[pos:b])
    return "".join(chars).replace("|", "/"), oo


def _emit_rows(text: str, offs: MutableSequence[int], rows: list[list[_Spans]], t_start: int,
               out: list[str], oo: MutableSequence[int]) -> None:
    at = offs[t_start] if t_start < len(offs) else (offs[-1] if offs else 0)

    # (each piece of markup written with its offsets at once: a cell is a few appends)
    for row in rows:
        first = row[0][0][0] if row[0] else t_start
        o = offs[first] if first < len(offs) else at
        out.append(_ROW_OPEN)
        oo.extend((o,) * len(_ROW_OPEN))
        for cell in row:
            out.append(" ")
            oo.append(o)
            parts = [_piece(text, offs, a, b) for a, b in cell]
            for j, (s, po) in enumerate(p for p in parts if p[0]):
                if j:
                    out.append(" ")
                    oo.append(po[0])
                out.append(s)
                oo.extend(po)
                o = po[-1]
            out.append(_CELL_CLOSE)
            oo.extend((o, o))
    out.append(_TABLE_CLOSE)
    oo.extend((at,) * len(_TABLE_CLOSE))


_ROW_OPEN = f"\n{EDGE}\n{PIPE}"
_CELL_CLOSE = f" {PIPE}"
_TABLE_CLOSE = f"\n{EDGE}\n"


def restore_pipes(text: str) -> str:
    return text.replace(PIPE, "|") if PIPE in text else text


# --- reading tables back from cleaned text -----------------------------------------------


def find_tables(text: str) -> list[Table]:
    """The tables of a cleaned text: consecutive lines that start and end with `|`."""
    tables: list[Table] = []
    rows: list[Row] = []
    prev_end = -2
    for m in _ROW_LINE_RX.finditer(text):
        line = m.group().rstrip()
        if line.count("|") < 2:
            continue
        if rows and m.start() != prev_end + 1:
            tables.append(Table(rows[0].start, rows[-1].end, tuple(rows)))
            rows = []
        cells = []
        pos = m.start() + 1
        for part in line[1:-1].split("|"):
            a = pos + len(part) - len(part.lstrip())
            b = pos + len(part.rstrip())
            cells.append(Cell(a, max(a, b)))
            pos += len(part) + 1
        rows.append(Row(m.start(), m.start() + len(line), tuple(cells)))
        prev_end = m.start() + len(m.group())
    if rows:
        tables.append(Table(rows[0].start, rows[-1].end, tuple(rows)))
    return tables
