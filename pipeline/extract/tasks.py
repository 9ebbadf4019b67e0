"""Tasks: the leaf items of task, assignment, organization and reporting sections.

A task is a leaf section (an item with no children, or a numbered paragraph) of one of those
kinds. Its text is the item without its marker, as one line, markup removed, and without
what is not the task: the `Phân công` block that follows it, the closing paragraph (`Trên đây
là Kế hoạch ...`). An item headed by an agency (`2. Công an xã`) with a paragraph under it is
one task whose text is the paragraph. A section whose only content is an assignment block
(`III. PHÂN CÔNG TRÁCH NHIỆM` with `- Cơ quan chủ trì: ...` lines) makes no task.

    >>> # 'a) Tổ chức quán triệt ...\\n* Phân công:\\n- Cơ quan chủ trì: Công an xã.'
    >>> # -> one task, text 'Tổ chức quán triệt ...', theme 'leadership'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..fields import ROLE_KINDS, Field, field_kind, labelled_fields, line_spans
from ..markers import grammar, is_appendix, text_start
from ..records import Section, Segmented, Task
from ..rules import Rules, load_rules
from .agencies import AgencyText, document_agencies
from .openings import openings_for
from .themes import theme_of
from .wordseg import fold

TASK_KINDS = frozenset({"tasks", "assignment", "organization", "reporting"})

_MARKUP = re.compile(r"[*#`\\]+|(?<!\w)_+|_+(?!\w)")
_UNKNOWN_HEADING_WORDS = 10  # an unknown body's name in a heading: `Đồn Biên phòng Cầu Muống`
_TERMINAL = re.compile(r"[.;:!?…)\"”]\s*$")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of labelled field lines after an item: a `Phân công` block, `- Cơ quan chủ trì:
    ...`, `Thời gian thực hiện: ...` (pipeline/fields.py)."""

    start: int
    end: int
    lines: tuple[tuple[str, int, int], ...]  # the role lines: (head/lead/coordinate/any, start, end)
    fields: tuple[Field, ...] = ()  # every field line of the block, role lines included


def _dangling(rules: Rules) -> frozenset[str]:
    """Words a line cannot end a title with: the sentence goes on (`... sự phối hợp của`)."""
    return rules.compiled("tasks.dangling", lambda r: frozenset(
        fold(w) for w in ((r["agencies"].get("roles") or {}).get("dangling") or [])))


def find_blocks(text: str, start: int, end: int, *, rules: Rules) -> list[Block]:
    """The blocks of labelled field lines between START and END, in order. A `Phân công` line
    opens a new block; any other line that is not a field ends the current one."""
    blocks: list[Block] = []
    cur: list[Field] = []

    def close() -> None:
        if cur:
            roles = tuple((f.kind, f.start, f.end) for f in cur if f.kind in ROLE_KINDS)
            blocks.append(Block(cur[0].start, cur[-1].end, roles, tuple(cur)))
            cur.clear()

    # field to field: a line between two that is not blank (the text between them not all
    # white space) is not a field, and ends the block
    last = start
    for f in labelled_fields(text, start, end, rules=rules):
        if cur and (f.kind == "head" or not _blank(text, last, f.start)):
            close()
        cur.append(f)
        last = f.end
    close()
    return blocks


def _blank(text: str, start: int, end: int) -> bool:
    """Is text[START:END] empty or only white space? (as every line of it `strip()`s empty)"""
    return start >= end or text[start:end].isspace()


def _closing_rx(rules: Rules) -> re.Pattern | None:
    def build(r: Rules) -> re.Pattern | None:
        pats = [p for p in (r["headings"] or {}).get("closing_paragraph") or [] if p]
        return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None
    return rules.compiled("tasks.closing", build)


def closing_start(text: str, start: int, end: int, *, rules: Rules) -> int | None:
    """Where a closing paragraph (`Trên đây là Kế hoạch ...`) begins, if one does."""
    closing = _closing_rx(rules)
    if closing is None:
        return None
    # a line can open one only where the pattern's opening words stand (found once a plan)
    # first on the line: only those lines are tried (most items hold none; `trên` stands
    # inside many lines, and the assignments ask of the whole body)
    places = openings_for(text).starts(closing)
    if places is None:
        for ls, le in line_spans(text, start, end):
            if closing.match(text[ls:le].lstrip()):
                return ls
        return None
    # (each character looked at once, as the lines were: a text of one long line stays linear)
    ls = prev = start  # the line of the place before (the range's first line starts at START)
    tried = -1  # the line whose first place was tried: a later place on it opens no line
    for i in range(bisect_left(places, start), len(places)):
        p = places[i]
        if p >= end:
            break
        nl = text.rfind("\n", prev, p)
        prev = p
        if nl >= 0:
            ls = nl + 1
        if ls == tried:
            continue
        tried = ls
        if ls < p and not text[ls:p].isspace():
            continue  # not the line's first word (`lstrip` and `isspace` agree)
        le = text.find("\n", p, end)
        if closing.match(text[p:end if le < 0 else le]):
            return ls
    return None


def strip_marker(text: str, start: int, end: int, *, rules: Rules | None = None) -> int:
    """The offset after the item marker (`a)`, `2.1.`, `-`, `III.`) at START."""
    return text_start(text, start, end, grammar(rules) if rules is not None else None)


def one_line(s: str) -> str:
    # _MARKUP needs one of these characters: without them its pass would change nothing
    if "*" in s or "_" in s or "#" in s or "`" in s or "\\" in s:
        s = _MARKUP.sub(" ", s)
    # most are one line already: the only white space a printable string can hold is ` `
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())  # split() and \s agree on what is white space


def children_map(sections: Sequence[Section]) -> dict[str | None, list[Section]]:
    out: dict[str | None, list[Section]] = {}
    for s in sections:
        out.setdefault(s.parent_section_id, []).append(s)
    return out


def is_agency_heading(text: str, start: int, end: int, *, rules: Rules, own_place: str | None = None,
                      agencies: AgencyText | None = None) -> bool:
    """True when text[start:end] names bodies and nothing else (`2. Công an xã`). AGENCIES:
    the document's agency index (AgencyText of TEXT, no place name: place names do not matter
    here), built here when not given."""
    seg = text[start:end].strip().rstrip(":").strip()
    if not seg or len(seg) > 200:
        return False
    ax = document_agencies(text, rules, agencies)
    ks, ke = ax.index(start), ax.index(end)
    while ke > ks and ax.norm(ke - 1) in (":", ".", ";"):
        ke -= 1
    if ks >= ke:
        return False
    mentions, k, clean = ax.parse_list(ks, ke, bounded=True, clean_only=True)
    # every item opens with a body, and a name not in the gazetteer stays short
    return (bool(mentions) and clean and k >= ke
            and all(m.known or len(m.agency.split()) <= _UNKNOWN_HEADING_WORDS for m in mentions))


def task_region(seg: Segmented, s: Section, *, rules: Rules, own_place: str | None = None,
                agencies: AgencyText | None = None) -> tuple[int, int, bool, str] | None:
    """(start, end, agency_headed, text) of the task text of leaf section S: its span, whether
    an agency heading opens it, and the text as one line (read here to tell an empty region);
    None if it has none. AGENCIES: the document's agency index (see is_agency_heading)."""
    text = seg.doc.text
    agencies = document_agencies(text, rules, agencies)
    end = s.char_end
    blocks = find_blocks(text, s.char_start, end, rules=rules)
    if blocks:
        end = min(end, blocks[0].start)
    cl = closing_start(text, s.char_start, end, rules=rules)
    if cl is not None:
        end = cl
    start = strip_marker(text, s.char_start, end, rules=rules)
    h_end = min(max(s.heading_end, start), end)
    body_start = h_end
    while body_start < end and text[body_start].isspace():
        body_start += 1
    heading = text[start:h_end]
    body = text[body_start:end]
    agency_headed = False
    flat = one_line(body)  # (asked three times below: read once)
    if flat:
        if is_agency_heading(text, start, h_end, rules=rules, own_place=own_place, agencies=agencies):
            start, agency_headed = body_start, True
        elif s.marker_type in ("roman", "part"):
            start = body_start
        else:
            first = flat[:1]
            h = one_line(heading)
            fh = " " + fold(h).replace(",", " ,")
            dangling = any(fh.endswith(" " + w) for w in _dangling(rules))
            if h and not _TERMINAL.search(h) and first.isupper() and not dangling \
                    and not fold(h).startswith(_sentence_openers(rules)):
                start = body_start  # a title over its paragraph (not a line wrapped mid-sentence)
    elif s.marker_type in ("roman", "part"):
        return None  # a bare top-level heading (or one with only an assignment block)
    elif is_agency_heading(text, start, h_end, rules=rules, own_place=own_place, agencies=agencies):
        return None  # an agency heading with nothing under it
    while end > start and text[end - 1].isspace():
        end -= 1
    flat = one_line(text[start:end])
    if not flat:
        return None
    return start, end, agency_headed, flat


def own_place_of(plan, *, rules: Rules | None = None) -> str | None:
    """The issuer's own place name (`Nhân Lý`), dropped from agency names inside its plan."""
    if plan is None:
        return None
    if getattr(plan, "place", None):
        return plan.place
    loc = getattr(plan, "locality", None)
    if loc:
        levels = _place_levels(rules or _default_rules())
        words = loc.split()
        for n in (2, 1):  # `thành phố Hà Nội`, `xã Nhân Lý`
            if len(words) > n and fold(" ".join(words[:n])) in levels:
                return " ".join(words[n:])
    return None


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return load_rules()


def _place_levels(rules: Rules) -> frozenset[str]:
    """The words that name a level of place (`xã`, `thành phố`): rules/frontmatter.yaml."""
    return rules.compiled("tasks.place_levels", lambda r: frozenset(
        fold(w) for w in ((r["frontmatter"] or {}).get("place_levels") or {})))


def _sentence_openers(rules: Rules) -> tuple[str, ...]:
    """Words that open a sentence, never a title (`Giao ...`, `Đề nghị ...`): rules/headings.yaml."""
    return rules.compiled("tasks.sentence_openers", lambda r: tuple(
        fold(w) + " " for w in ((r["headings"] or {}).get("sentence_openers") or [])))


def find_tasks(seg: Segmented, *, rules: Rules, plan=None, agencies: AgencyText | None = None
               ) -> Iterator[Task]:
    """Every task of the plan, in document order. AGENCIES: the document's agency index (the
    extract step's, shared with the assignments; built here when not given)."""
    kids = children_map(seg.sections)
    text = seg.doc.text
    agencies = document_agencies(text, rules, agencies)
    own = own_place_of(plan, rules=rules)
    by_id = {x.section_id: x for x in seg.sections}
    for s in seg.sections:
        if s.kind not in TASK_KINDS or kids.get(s.section_id) or is_appendix(s) \
                or field_kind(s.heading, rules=rules) is not None:
            continue  # (an appendix's rows are the tables extractor's; `2. Thời gian thực hiện: ...`
            # describes the plan, it is no task)
        region = task_region(seg, s, rules=rules, own_place=own, agencies=agencies)
        if region is None:
            continue
        start, end, _, body = region
        parent = by_id.get(s.parent_section_id) if s.parent_section_id else None
        heading = parent.heading if parent else ""
        yield Task(
            doc_id=seg.doc.doc_id,
            task_id=f"{seg.doc.doc_id}:t:{s.path}",
            section_id=s.section_id,
            path=s.path,
            text=body,
            theme=theme_of(body, rules=rules, context=heading),
            char_start=start,
            char_end=end,
        )
