"""Segment stage: the heading tree of a cleaned plan.

Headings are found line by line from their markers, and nested from the text, not from
markdown ``#`` levels:

- kinds of marker, outermost first: ``Phần thứ nhất`` (part, ``P1``), Roman ``I.``, Arabic
  ``1.``, dotted ``2.1.`` (a child of ``2`` when that is open), ``1)``, letters ``a)`` in
  Vietnamese order, then bullets (``-``, ``+``, ``•``, ``*``) ranked among themselves by their
  first appearance. A new heading closes every open section of its rank or deeper, so dash
  items after a lettered item belong to it (``II/4/a/-1``), and dash items straight under
  ``4.`` are its children (``III/4/-1``);
- bullets are numbered ``-1``, ``-2`` among their siblings; numbering gaps (I, II, IV) stay;
- not sections: the front matter (everything before the first numbered heading), the
  ``Phân công`` block (``* Phân công:`` and its ``- Cơ quan chủ trì: ...`` lines), the closing
  paragraph (``Trên đây là ...``), ``Nơi nhận`` and the signature;
- upper-case lettered parts (``A.``, ``B.`` above Roman sections) are parts (marker ``B``);
  an appendix (``PHỤ LỤC``, after the signature too) is a part with path ``PL`` (``PL1``,
  ``PL2`` when there are several) whose heading is its title; what is inside it is a table
  (rows are the tables extractor's), not sections;
- repeated markers (two parts ``IV.``) are kept as written: their paths repeat;
- labelled fields (``- Đơn vị chủ trì: ...``, ``Thời gian thực hiện: ...``) are not sections
  (pipeline/fields.py);
- guards against false headings (pipeline/markers.py): a Roman numeral must be a valid one
  followed by a capital, an Arabic number at most two digits and followed by a capital
  (``2030 ...``, ``06 tháng`` are text), ``a.`` counts only where the lettering runs in
  sequence, a part letter only in sequence from ``A``;
- ``kind`` from the heading words in rules/headings.yaml, or from the items
  (pipeline/section_kinds.py).

>>> from pipeline.records import CleanDoc
>>> doc = CleanDoc("d", "KẾ HOẠCH\\nI. MỤC TIÊU\\n1. Mục tiêu chung\\n- Bảo đảm an ninh.\\n")
>>> [(s.path, s.kind) for s in segment(doc, rules=load_rules()).sections]
[('I', 'objectives'), ('I/1', 'objectives'), ('I/1/-1', 'objectives')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from . import markers as mk_
from .fields import field_kind
from .markers import VI_LETTERS, Grammar, Marker, grammar, roman_value
from .records import CleanDoc, LineLayout, Section, Segmented
from .regex_union import either
from .rules import Rules, load_rules
from .section_kinds import KindRules, acts, kind_of, kind_rules, names_other, norm

__all__ = ["segment"]

# Ranks of the structured marker kinds (outermost first); bullets come after, by appearance.
RANK = {"part": 0, "part_letter": 0, "roman": 1, "arabic": 2, "arabic_dotted": 3, "arabic_paren": 8,
        "letter": 9}
_BULLET_RANK0 = 20

_LINE_RX = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class _SegRules:
    closing_rx: re.Pattern | None
    closing_par_rx: re.Pattern | None
    attached: tuple[str, ...]  # titles (lower case) that open an attached document
    # one match for a line that is neither (most lines): None when they cannot be joined
    closing_either: re.Pattern | None = None


def _any(patterns) -> re.Pattern | None:
    pats = [p for p in patterns or [] if p]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None


def _build(rules: Rules) -> _SegRules:
    data = rules["headings"] or {}
    closing_rx = _any(data.get("closing_markers"))
    closing_par_rx = _any(data.get("closing_paragraph"))
    return _SegRules(
        closing_rx=closing_rx,
        closing_par_rx=closing_par_rx,
        attached=tuple(norm(t) for t in data.get("attached_titles") or []),
        closing_either=either(closing_rx, closing_par_rx),
    )


@dataclass
class _Node:
    kind: str
    rank: int
    marker: str
    marker_type: str
    path: str
    level: int
    parent: _Node | None
    heading: str
    start: int
    heading_end: int
    kind_label: str = "other"
    sid: str = ""
    children: list[_Node] = field(default_factory=list)


def _bold_lines(layout: tuple[LineLayout, ...]) -> set[str]:
    return {norm(ln.text)[:40] for ln in layout if ln.bold and ln.text.strip()}


def segment(doc: CleanDoc, *, rules: Rules, layout: tuple[LineLayout, ...] = ()) -> Segmented:
    """The section tree of `doc` (see the module docstring for the conventions)."""
    sr: _SegRules = rules.compiled("segment", _build)
    g = grammar(rules)
    kr = kind_rules(rules)
    text = doc.text
    bold = _bold_lines(layout) if layout else set()

    roots: list[_Node] = []
    stack: list[_Node] = []
    nodes: list[_Node] = []
    stops: list[int] = []  # where a closing paragraph or a closing block starts
    bullet_ranks: dict[str, int] = {}
    bullets_under: dict[int, int] = {}  # id of a parent (0: the top) -> bullet children so far
    started = False  # past the front matter
    closed = False  # inside a closing block (Nơi nhận, signature) or after a closing paragraph
    in_appendix = False  # inside a Phụ lục: a table, not sections

    lines = list(_LINE_RX.finditer(text))
    appendices = [i for i, m in enumerate(lines) if mk_.appendix(m.group().strip(), g) is not None]
    appendix_lines = set(appendices)
    for i, m in enumerate(lines):
        raw_line = m.group()
        line = raw_line.strip()
        start = m.start() + len(raw_line) - len(raw_line.lstrip())
        if i in appendix_lines and (started or closed):
            node = _appendix_node(lines, i, appendices, start, g)
            node.kind_label = kr.appendix_kind
            roots.append(node)
            nodes.append(node)
            stack = [node]
            in_appendix, closed = True, False
            continue
        if in_appendix:
            continue
        if closed:
            # a plan attached to a Quyết định starts after its signature: a body of its own
            if _is_attached_title(line, sr):
                closed, started, stack = False, False, []
            continue
        if started and (sr.closing_either is None or sr.closing_either.match(line)) and (
            (sr.closing_rx is not None and sr.closing_rx.match(line))
            or (sr.closing_par_rx is not None and sr.closing_par_rx.match(line)
                and not _headings_follow(lines, i + 1, sr, g))
        ):
            stops.append(start)
            closed = True
            continue
        mk = mk_.parse(line, g)
        if mk is None or _field_line(mk, line, rules) or not _accept(mk, stack, line, bold):
            continue
        if mk.marker_type == "bullet":
            if not started:  # bullets in the front matter (a "- Căn cứ ..." list): not sections
                continue
            rank = bullet_ranks.setdefault(mk.kind, _BULLET_RANK0 + len(bullet_ranks))
        elif mk.kind == "arabic_dotted":
            rank = RANK["arabic_dotted"] + mk.marker.count(".")
        else:
            rank = RANK[mk.kind]
        started = True

        # nesting: a dotted marker goes under its prefix when that is open; otherwise a
        # heading closes every open section of its rank or deeper
        parent_found = False
        if mk.kind == "arabic_dotted":
            prefix = mk.marker.rsplit(".", 1)[0]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k].marker == prefix and stack[k].kind in ("arabic", "arabic_dotted"):
                    del stack[k + 1:]
                    parent_found = True
                    break
        if not parent_found:
            while stack and stack[-1].rank >= rank:
                stack.pop()
        parent = stack[-1] if stack else None

        marker = mk.marker
        if mk.marker_type == "bullet":  # counted as they come, not recounted per item
            key = id(parent) if parent else 0
            bullets_under[key] = bullets_under.get(key, 0) + 1
            marker = f"-{bullets_under[key]}"
        heading = line[mk.text_start:].strip()
        node = _Node(
            kind=mk.kind, rank=rank, marker=marker, marker_type=mk.marker_type,
            path=f"{parent.path}/{marker}" if parent else marker,
            level=(parent.level + 1) if parent else 1, parent=parent, heading=heading,
            start=start, heading_end=m.end(),
        )
        node.kind_label = kind_of(heading, parent.kind_label if parent else None,
                                  parent is not None and parent.marker_type == "part",
                                  mk.marker_type == "bullet", kr)
        (parent.children if parent else roots).append(node)
        nodes.append(node)
        stack.append(node)

    _kinds_from_items(roots, kr)
    sections = _finish(doc, nodes, text, stops)
    body = [s for s in sections if s.kind != kr.appendix_kind or not s.path.startswith("PL")]
    body_start = sections[0].char_start if sections else 0
    return Segmented(doc=doc, sections=tuple(sections), body_start=body_start,
                     body_end=_body_end(text, body or sections, sr))


def _appendix_node(lines: list[re.Match], i: int, appendices: list[int], start: int, g: Grammar) -> _Node:
    """The section of the appendix whose first line is lines[i]: `PL`, or `PL1`, `PL2` ..."""
    number, title = mk_.appendix(lines[i].group().strip(), g) or (None, "")
    if len(appendices) == 1:
        marker = "PL"
    elif number is not None:
        marker = f"PL{roman_value(number) or number}" if not number.isdigit() else f"PL{int(number)}"
    else:
        marker = f"PL{appendices.index(i) + 1}"
    heading_end = lines[i].end()
    if not title:  # the title is the upper-case line(s) under `PHỤ LỤC`, wrapped or not
        parts: list[str] = []
        for m in lines[i + 1:i + 5]:
            t = m.group().strip()
            wrapped = "\n\n" not in m.string[heading_end:m.start()]
            if not mk_.mostly_caps(t) or (parts and not wrapped):
                break
            parts.append(t)
            heading_end = m.end()
        title = " ".join(parts) or lines[i].group().strip()  # no title: the line itself
    return _Node(kind="appendix", rank=RANK["part"], marker=marker, marker_type="part", path=marker,
                 level=1, parent=None, heading=title, start=start, heading_end=heading_end)


def _kinds_from_items(nodes: list[_Node], kr: KindRules) -> None:
    """A section whose heading words gave no kind takes `tasks` when most of its items act."""
    for node in nodes:
        if not node.children:
            continue  # (nothing below it to take a kind from, whatever its words)
        if names_other(node.heading, kr):
            continue  # named a description (`Phương pháp`): neither it nor its items act
        if node.kind_label != kr.default_kind or not node.children:
            _kinds_from_items(node.children, kr)
            continue
        if acts([leaf.heading for leaf in _leaves(node)], kr):
            _set_kind(node, "tasks")
        else:
            _kinds_from_items(node.children, kr)


def _leaves(node: _Node) -> list[_Node]:
    if not node.children:
        return [node]
    return [leaf for c in node.children for leaf in _leaves(c)]


def _set_kind(node: _Node, kind: str) -> None:
    node.kind_label = kind
    for c in node.children:
        _set_kind(c, kind)



def _body_end(text: str, sections: list[Section], sr: _SegRules) -> int:
    """Where Nơi nhận / the signature starts after the last section (len(text) if nowhere)."""
    if sr.closing_rx is None:
        return len(text)
    after = sections[-1].char_end if sections else 0
    for m in _LINE_RX.finditer(text, after):
        line = m.group().strip().lstrip("|*#_ ")
        if sr.closing_rx.match(line):
            return m.start() + len(m.group()) - len(m.group().lstrip())
    return len(text)


def _headings_follow(lines: list[re.Match], i: int, sr: _SegRules, g: Grammar) -> bool:
    """A numbered heading comes before the closing block: "Trên đây là ..." was no ending."""
    for m in lines[i:]:
        line = m.group().strip()
        if sr.closing_rx is not None and sr.closing_rx.match(line):
            return False
        mk = mk_.parse(line, g)
        if mk is not None and mk.marker_type != "bullet":
            return True
    return False


def _is_attached_title(line: str, sr: _SegRules) -> bool:
    """An all-capitals title line (`KẾ HOẠCH`, `CHƯƠNG TRÌNH ...`) after a signature."""
    letters = list(filter(str.isalpha, line))  # (no Python step per character)
    if not letters or not all(map(str.isupper, letters)):
        return False
    low = norm(line)
    return any(low == t or low.startswith(t + " ") for t in sr.attached)


def _field_line(mk: Marker, line: str, rules: Rules) -> bool:
    """A labelled field (`- Đơn vị chủ trì: ...`, `* Phân công:`): part of an item, not a section."""
    return mk.marker_type == "bullet" and field_kind(line, rules=rules) is not None


def _accept(mk: Marker, stack: list[_Node], line: str, bold: set[str]) -> bool:
    """Guards against text that only looks like a heading."""
    if mk.kind == "part_letter":
        # `A.` opens the lettering of parts; a later letter must follow the last one
        last = next((n.marker for n in reversed(stack) if n.kind == "part_letter"), None)
        return mk.marker == "A" or (last is not None and ord(mk.marker) == ord(last) + 1)
    if mk.kind == "letter":
        # the letter must continue the lettering of the open list, or start one
        last = None
        for node in reversed(stack):
            if node.kind == "letter":
                last = node.marker
                break
        expected_next = VI_LETTERS[VI_LETTERS.index(last) + 1] if last and last != "y" else None
        in_sequence = mk.marker == "a" or mk.marker == expected_next or (
            last is not None and VI_LETTERS.index(mk.marker) > VI_LETTERS.index(last)
        )
        if not mk.strict and not in_sequence:
            return bool(bold) and norm(line)[:40] in bold
        return True
    return True


def _end_scan(nodes: list[_Node], idx: int, stops: list[int], n: int) -> int:
    """Where node IDX ends: at the first stop after its start or at the first later node at
    its level or above, whichever comes first."""
    node = nodes[idx]
    end = next((p for p in stops if p > node.start), n)
    for later in nodes[idx + 1:]:
        if later.level <= node.level or later.start >= end:
            end = min(end, later.start)
            break
    return end


def _section_ends(nodes: list[_Node], stops: list[int], n: int) -> list[int]:
    """_end_scan of every node. With the nodes in text order (as segment makes them), the
    later node that ends one is the first at its level or above (a node past the stop starts
    after it): found for all nodes at once with a stack, not by a scan from each."""
    if any(a.start >= b.start for a, b in zip(nodes, nodes[1:], strict=False)):
        return [_end_scan(nodes, i, stops, n) for i in range(len(nodes))]
    if not stops:  # (most plans: no generator per node)
        ends = [n] * len(nodes)
    elif all(a <= b for a, b in zip(stops, stops[1:], strict=False)):  # (as segment finds them)
        ends = [stops[i] if (i := bisect_right(stops, node.start)) < len(stops) else n for node in nodes]
    else:
        ends = [next((p for p in stops if p > node.start), n) for node in nodes]
    waiting: list[int] = []  # nodes whose closer is not found yet, levels increasing upwards
    for j, later in enumerate(nodes):
        while waiting and later.level <= nodes[waiting[-1]].level:
            i = waiting.pop()
            ends[i] = min(ends[i], later.start)
        waiting.append(j)
    return ends


_SECTION_FIELDS = ("doc_id", "section_id", "parent_section_id", "path", "level", "marker",
                   "marker_type", "heading", "kind", "char_start", "char_end", "heading_end")


def _finish(doc: CleanDoc, nodes: list[_Node], text: str, stops: list[int]) -> list[Section]:
    sections: list[Section] = []
    seen: dict[str, int] = {}
    ends = _section_ends(nodes, stops, len(text))
    for idx, node in enumerate(nodes):
        end = max(node.start, ends[idx])
        while end > node.start and text[end - 1].isspace():
            end -= 1
        heading_end = min(node.heading_end, end) if end > node.start else node.heading_end
        sid = f"{doc.doc_id}:{node.path}"
        if sid in seen:  # the same path twice (a restarted list): keep ids unique
            seen[sid] += 1
            sid = f"{sid}~{seen[sid]}"
        else:
            seen[sid] = 1
        node.sid = sid
        parent_id = node.parent.sid if node.parent is not None else None
        # (by position, in _SECTION_FIELDS' order: a frozen record takes keywords ~1.4x slower)
        sections.append(Section(
            doc.doc_id, sid, parent_id, node.path, node.level, node.marker, node.marker_type,
            node.heading, node.kind_label, node.start, end, heading_end,
        ))
    return sections


if __name__ == "__main__":  # pragma: no cover
    import sys

    from .clean import clean_text

    r = load_rules()
    for f in sys.argv[1:]:
        t, _ = clean_text(open(f, encoding="utf-8").read(), rules=r)
        seg = segment(CleanDoc("x", t), rules=r)
        for s in seg.sections:
            print("  " * s.level + f"{s.path} [{s.kind}] {s.heading[:70]}")
