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
- guards against false headings: a Roman numeral must be a valid one followed by a capital,
  an Arabic number at most two digits and followed by a capital (``2030 ...``, ``06 tháng``
  are text), ``a.`` counts only where the lettering runs in sequence;
- ``kind`` from the heading words in rules/headings.yaml.

>>> from pipeline.records import CleanDoc
>>> doc = CleanDoc("d", "KẾ HOẠCH\\nI. MỤC TIÊU\\n1. Mục tiêu chung\\n- Bảo đảm an ninh.\\n")
>>> [(s.path, s.kind) for s in segment(doc, rules=load_rules()).sections]
[('I', 'objectives'), ('I/1', 'objectives'), ('I/1/-1', 'objectives')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .records import CleanDoc, LineLayout, Section, Segmented
from .rules import Rules, load_rules

__all__ = ["segment"]

VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN_VALID_RX = re.compile(r"^(XC|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

# Ranks of the structured marker kinds (outermost first); bullets come after, by appearance.
RANK = {"part": 0, "roman": 1, "arabic": 2, "arabic_dotted": 3, "arabic_paren": 8, "letter": 9}
_BULLET_RANK0 = 20

_LINE_RX = re.compile(r"[^\n]+")
_PART_RX = re.compile(r"^Phần\s+(?:thứ\s+)?(\w+)\s*(?:[.:\-–]\s*)?(.*)$", re.I)
_ROMAN_RX = re.compile(r"^([IVXL]{1,7})\s*(?:[.):]|\s[-–])\s*(.*)$")
# the text after a marker: after a space, or straight after the stop when it opens with a
# capital ("1.Tổ chức"); _tight() checks the capital
_DOTTED_RX = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?:(\s+)|([.)])(\s*))(.*)$")
_ARABIC_RX = re.compile(r"^(\d{1,2})\s*([.)])(\s*)(.*)$")
_LETTER_RX = re.compile(r"^([a-zđ])\s*([).])(\s*)(.*)$")
_UPPER_START_RX = re.compile(r"^[\"'“‘(\[]*[^\W\d_]")


@dataclass(frozen=True)
class _SegRules:
    kinds: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # kind, words, child_words
    default_kind: str
    word_rx: re.Pattern | None
    intro_rx: re.Pattern | None
    item_rx: re.Pattern | None
    closing_rx: re.Pattern | None
    closing_par_rx: re.Pattern | None
    attached: tuple[str, ...]  # titles (lower case) that open an attached document
    parts: dict[str, int]
    bullets: dict[str, str]  # bullet char -> bullet kind
    bullet_rx: re.Pattern


def _any(patterns) -> re.Pattern | None:
    pats = [p for p in patterns or [] if p]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None


def _build(rules: Rules) -> _SegRules:
    data = rules["headings"] or {}
    kinds = tuple(
        (k["kind"], tuple(_norm(w) for w in k.get("words") or []),
         tuple(_norm(w) for w in k.get("child_words") or []))
        for k in data.get("section_kinds") or []
    )
    words = sorted({w for _, ws, _ in kinds for w in ws}, key=len, reverse=True)
    word_rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)") if words else None
    block = data.get("assignment_block") or {}
    bullets: dict[str, str] = {}
    for kind, chars in (data.get("bullet_chars") or {"dash": ["-"], "plus": ["+"]}).items():
        for ch in chars:
            bullets[ch] = kind
    chars = "".join(re.escape(c) for c in sorted(bullets, key=len, reverse=True))
    return _SegRules(
        kinds=kinds,
        default_kind=data.get("default_kind") or "other",
        word_rx=word_rx,
        intro_rx=_any(block.get("intro")),
        item_rx=_any(block.get("items")),
        closing_rx=_any(data.get("closing_markers")),
        closing_par_rx=_any(data.get("closing_paragraph")),
        attached=tuple(_norm(t) for t in data.get("attached_titles") or []),
        parts={w.lower(): i + 1 for i, w in enumerate(data.get("parts") or [])},
        bullets=bullets,
        bullet_rx=re.compile(rf"^([{chars}])\s*(?=\S)(.*)$"),
    )


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).lower()
    s = re.sub(r"[*#_`\\]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _roman_value(s: str) -> int | None:
    if not _ROMAN_VALID_RX.match(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


@dataclass
class _Marker:
    kind: str  # roman, arabic, arabic_dotted, arabic_paren, letter, part, or a bullet kind
    marker: str
    marker_type: str
    text_start: int  # offset of the heading text within the line
    strict: bool = True  # False: accept only where the sequence makes sense (a. b.)


def _parse(line: str, sr: _SegRules) -> _Marker | None:
    m = _PART_RX.match(line)
    if m:
        word = m.group(1).lower()
        n = sr.parts.get(word) or (_roman_value(word.upper()) if word.isalpha() else None)
        if n is None and word.isdigit():
            n = int(word)
        if n:
            return _Marker("part", f"P{n}", "part", m.start(2))
    m = _ROMAN_RX.match(line)
    if m and _roman_value(m.group(1)) and _UPPER_START_RX.match(m.group(2)) and _caps_word(m.group(2)):
        return _Marker("roman", m.group(1), "roman", m.start(2))
    m = _DOTTED_RX.match(line)
    if m and _UPPER_START_RX.match(m.group(5)) and _capital(m.group(5)) and (
        m.group(2) or m.group(4) or _tight(m.group(5))
    ):
        return _Marker("arabic_dotted", m.group(1), "arabic_dotted", m.start(5))
    m = _ARABIC_RX.match(line)
    if m and int(m.group(1)) >= 1 and _capital(m.group(4)) and (m.group(3) or _tight(m.group(4))):
        kind = "arabic" if m.group(2) == "." else "arabic_paren"
        return _Marker(kind, str(int(m.group(1))), "arabic", m.start(4))
    m = _letter(line)
    if m:
        return _Marker("letter", m.group(1), "letter", m.start(4), strict=m.group(2) == ")")
    m = sr.bullet_rx.match(line)
    if m:
        inner = _letter(m.group(2))
        if inner and inner.group(2) == ")":  # "- đ) ...": the dash is a converter's
            return _Marker("letter", inner.group(1), "letter", m.start(2) + inner.start(4))
        return _Marker(sr.bullets[m.group(1)], "-", "bullet", m.start(2))
    return None


def _letter(line: str) -> re.Match | None:
    m = _LETTER_RX.match(line)
    glued_ok = m is not None and m.group(2) == ")" and _tight(m.group(4))
    if m and m.group(1) in VI_LETTERS and m.group(4) and (m.group(3) or glued_ok):
        return m
    return None


def _tight(text: str) -> bool:
    """Text glued to its marker ("1.Tổ chức") counts only when it opens with a capital letter."""
    return bool(text) and text[0].isalpha() and text[0].isupper()


def _capital(text: str) -> bool:
    """The heading text starts like a heading: a capital letter (or a quote / bracket first)."""
    t = text.lstrip("\"'“‘([")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def _caps_word(text: str) -> bool:
    """A Roman heading: its first word is a capitalised word, not a stray letter run."""
    t = text.lstrip("\"'“‘([")
    return bool(t) and t[0].isupper()


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


def _kind_of(heading: str, parent: _Node | None, sr: _SegRules) -> str:
    h = _norm(heading)
    if parent is None or parent.marker_type == "part":
        if sr.word_rx is None:
            return sr.default_kind
        best: tuple[int, int, str] | None = None
        for m in sr.word_rx.finditer(h):
            w = m.group(1)
            for kind, words, _ in sr.kinds:
                if w in words:
                    key = (m.start(), -len(w), kind)
                    if best is None or key < best:
                        best = key
                    break
        return best[2] if best else sr.default_kind
    for kind, _, child_words in sr.kinds:
        for w in child_words:
            if h.startswith(w) and (len(h) == len(w) or not h[len(w)].isalnum()):
                return kind
    return parent.kind_label


def _bold_lines(layout: tuple[LineLayout, ...]) -> set[str]:
    return {_norm(ln.text)[:40] for ln in layout if ln.bold and ln.text.strip()}


def segment(doc: CleanDoc, *, rules: Rules, layout: tuple[LineLayout, ...] = ()) -> Segmented:
    """The section tree of `doc` (see the module docstring for the conventions)."""
    sr: _SegRules = rules.compiled("segment", _build)
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

    lines = list(_LINE_RX.finditer(text))
    for i, m in enumerate(lines):
        raw_line = m.group()
        line = raw_line.strip()
        start = m.start() + len(raw_line) - len(raw_line.lstrip())
        if closed:
            # a plan attached to a Quyết định starts after its signature: a body of its own
            if _is_attached_title(line, sr):
                closed, started, stack = False, False, []
            continue
        if started and (
            (sr.closing_rx is not None and sr.closing_rx.match(line))
            or (sr.closing_par_rx is not None and sr.closing_par_rx.match(line)
                and not _headings_follow(lines, i + 1, sr))
        ):
            stops.append(start)
            closed = True
            continue
        mk = _parse(line, sr)
        if mk is None or _assignment_line(mk, line, sr) or not _accept(mk, stack, line, bold):
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
        node.kind_label = _kind_of(heading, parent, sr)
        (parent.children if parent else roots).append(node)
        nodes.append(node)
        stack.append(node)

    sections = _finish(doc, nodes, text, stops)
    body_start = sections[0].char_start if sections else 0
    return Segmented(doc=doc, sections=tuple(sections), body_start=body_start,
                     body_end=_body_end(text, sections, sr))


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


def _headings_follow(lines: list[re.Match], i: int, sr: _SegRules) -> bool:
    """A numbered heading comes before the closing block: "Trên đây là ..." was no ending."""
    for m in lines[i:]:
        line = m.group().strip()
        if sr.closing_rx is not None and sr.closing_rx.match(line):
            return False
        mk = _parse(line, sr)
        if mk is not None and mk.marker_type != "bullet":
            return True
    return False


def _is_attached_title(line: str, sr: _SegRules) -> bool:
    """An all-capitals title line (`KẾ HOẠCH`, `CHƯƠNG TRÌNH ...`) after a signature."""
    letters = [c for c in line if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    low = _norm(line)
    return any(low == t or low.startswith(t + " ") for t in sr.attached)


def _assignment_line(mk: _Marker, line: str, sr: _SegRules) -> bool:
    """A line of a Phân công block (`* Phân công:`, `- Cơ quan chủ trì: ...`): not a section."""
    if mk.marker_type != "bullet":
        return False
    body = line[mk.text_start:]
    return bool(
        (sr.intro_rx is not None and sr.intro_rx.match(body))
        or (sr.item_rx is not None and sr.item_rx.match(body))
    )


def _accept(mk: _Marker, stack: list[_Node], line: str, bold: set[str]) -> bool:
    """Guards against text that only looks like a heading."""
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
            return bool(bold) and _norm(line)[:40] in bold
        return True
    return True


def _finish(doc: CleanDoc, nodes: list[_Node], text: str, stops: list[int]) -> list[Section]:
    sections: list[Section] = []
    seen: dict[str, int] = {}
    for idx, node in enumerate(nodes):
        end = next((p for p in stops if p > node.start), len(text))
        for later in nodes[idx + 1:]:
            if later.level <= node.level or later.start >= end:
                end = min(end, later.start)
                break
        end = max(node.start, end)
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
        sections.append(Section(
            doc_id=doc.doc_id, section_id=sid, parent_section_id=parent_id, path=node.path,
            level=node.level, marker=node.marker, marker_type=node.marker_type,
            heading=node.heading, kind=node.kind_label, char_start=node.start, char_end=end,
            heading_end=heading_end,
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
