"""Who must do each task: lead, coordinate, requested, standing.

The forms real plans mix, each read here (the clause patterns in role_patterns.py, which
tasks each applies to in role_scopes.py):
- labels: a field after an item or a run of items (`- Cơ quan chủ trì: ...`, `*Đơn vị chủ trì
  thực hiện: *...`, a `Phân công:` block) applies to the items before it back to the previous
  label group; a label in parentheses or inside a sentence (`(Cơ quan chủ trì: ...; cơ quan
  phối hợp: ...)`, `(Trách nhiệm: ...)`) to the task it stands in; one with no item before it
  in a section of its own (`III. PHÂN CÔNG TRÁCH NHIỆM`) to the whole plan;
- an item headed by bodies (`2. Công an xã`, `8. Đề nghị Ủy ban MTTQ ... xã`, `1. Sở Tài chính
  (cơ quan chủ trì)`) or an intro line naming bodies applies to every item under it;
- in a sentence: its subject, `Giao X`, `X chủ trì` -> lead; `Đề nghị X` -> requested;
  `phối hợp (với) X` -> coordinate;
- `cơ quan thường trực`, `đầu mối`, and the body that consolidates reports (`gửi về X để
  tổng hợp`) -> standing, scope plan, once per plan;
- a closing paragraph asking bodies to carry out the plan -> scope plan.
Bodies only directed (`chỉ đạo X`), advised (`tham mưu X`) or reported to get no row, nor
do vague actors (`Cấp ủy Đảng`, `chính quyền`, `Nhân dân`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..records import Assignment, PlanInfo, Section, Segmented, Task
from ..rules import Rules
from .agencies import AgencyMention, AgencyText, document_agencies
from .role_labels import Label, at_line_start, find_labels, read_label
from .role_patterns import (
    RoleWords,
    find_words,
    read_clauses,
    report_collector,
    report_via,
    role_after,
    role_words,
    standing_in,
)
from .role_scopes import label_scopes
from .tasks import TASK_KINDS, children_map, closing_start, is_agency_heading, own_place_of, strip_marker
from .wordseg import fold

_REPORT_WINDOW = 40  # tokens between `về X` and `để tổng hợp`
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING_MAX = 40  # tokens of a heading that lists bodies up to its colon


class _Collector:
    """Rows in the making, without duplicates, in the order found."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.rows: list[Assignment] = []
        self.keys: set[tuple] = set()
        self.standing_done = False
        # bodies' names folded, each once: a plan folds its few bodies' names ~80 times, and
        # most names are longer than the words wordseg.fold remembers
        self._folded: dict[str, str] = {}

    def folded(self, name: str) -> str:
        got = self._folded.get(name)
        if got is None:
            got = self._folded[name] = fold(name)
        return got

    def add(self, m: AgencyMention, role: str, *, task: Task | None = None, path: str | None = None,
            scope: str = "task") -> None:
        if m.requested and role in ("lead", "coordinate"):
            role = "requested"
        if task is not None:
            path, scope = task.path, "task"
        key = (task.task_id if task else None, path, scope, self.folded(m.agency), role)
        if key in self.keys:
            return
        self.keys.add(key)
        self.rows.append(Assignment(
            doc_id=self.doc_id, task_id=task.task_id if task else None, path=path, scope=scope,
            agency=m.agency, agency_raw=m.raw, role=role, generic=m.generic,
            char_start=m.char_start, char_end=m.char_end,
        ))

    def standing(self, ms: Sequence[AgencyMention]) -> None:
        """The standing body, once per plan (the bodies of the one list that names it)."""
        if self.standing_done:
            return
        for m in ms:
            if m.generic or self.folded(m.agency).startswith("ủy ban nhân dân"):
                continue  # the issuer itself is not its own standing body
            self.standing_done = True
            self.add(m, "standing", path=None, scope="plan")


def _span(ax: AgencyText, start: int, end: int) -> tuple[int, int]:
    return ax.index(start), ax.index(end)


def _trim_colon(ax: AgencyText, ks: int, ke: int) -> int:
    while ke > ks and ax.norm(ke - 1) in (":", ".", ";"):
        ke -= 1
    return ke


def _first_label(labels: Sequence[Label], ks: int, ke: int) -> int:
    """Where a task's own sentences end: at the first label inside it."""
    for lab in labels:
        if ks <= lab.start < ke:
            return lab.start - (1 if lab.start > ks and not lab.line_start else 0)
    return ke


def _skip_marker(ax: AgencyText, ks: int, ke: int) -> int:
    """Past an item marker left in front of a heading (`1.`, `2.1.`, `b)`), markup aside."""
    k = ks
    while k + 1 < ke and ax.norm(k + 1) in (".", ")") and (ax.norm(k).isdigit() or len(ax.norm(k)) == 1
                                                           or set(ax.word(k)) <= set("IVXLC")):
        k += 2
    return k


def _after_list(ax: AgencyText, last: AgencyMention, ke: int) -> int:
    k = ax.index(last.char_end)
    if ax.norm(k) == "(":
        k = next((x + 1 for x in range(k, ke) if ax.norm(x) == ")"), k)
    while k < ke and ax.norm(k) in (":", "."):
        k += 1
    return k


def _find(norms: list[str], word: str, start: int, stop: int) -> int | None:
    """The first position of WORD in norms[start:stop], or None."""
    try:
        return norms.index(word, start, stop) if 0 <= start < stop else None
    except ValueError:
        return None


class _MarkerEnds:
    """strip_marker over one text, each (start, end) read once: a section's heading is read
    for its own list and again for the intro under it. With the plan's rules, as the segmenter
    and the tasks read the same lines (their marker grammar keeps each line's answer)."""

    def __init__(self, text: str, rules: Rules):
        self.text = text
        self.rules = rules
        self._known: dict[tuple[int, int], int] = {}

    def after(self, start: int, end: int) -> int:
        got = self._known.get((start, end))
        if got is None:
            got = self._known[(start, end)] = strip_marker(self.text, start, end, rules=self.rules)
        return got


def _agency_heading(ax: AgencyText, text: str, s: Section, end: int, words: RoleWords, rules: Rules,
                    own: str | None, placeless: AgencyText, markers: _MarkerEnds
                    ) -> tuple[list[tuple[AgencyMention, str]], bool]:
    """A heading that names bodies: `2. Công an xã`, `1. Sở Tài chính (cơ quan chủ trì):`,
    also when the heading line was wrapped inside the name (`5. Sở\\nKhoa học và Công nghệ:`)."""
    hs = markers.after(s.char_start, end)
    he = max(min(s.heading_end, end), hs)
    ks, ke = _span(ax, hs, he)
    ks = _skip_marker(ax, ks, ke)
    hs = ax.starts[ks] if ks < ax.n else hs
    if ax.names_no_item(ks):  # (most headings are sentences: `1. Tổ chức tuyên truyền ...`)
        return [], False  # every list below, is_agency_heading's too, is read from KS
    # read on past the heading's end: the list must close with a colon or a role in parentheses
    mentions, j, clean = ax.parse_list(ks, ax.index(end), bounded=False)
    if mentions and clean and ax.norm(j) == "(":
        role = role_after(ax, j, words)
        k = j
        while k < ax.n and ax.norm(k) != ")":
            k += 1
        if role is not None and (ax.norm(k + 1) in (":", ".", "") or at_line_start(ax, k + 1)):
            return [(m, "lead" if role == "standing" else role) for m in mentions], role == "lead"
    # (a heading from whose start the list names no body is none: is_agency_heading's list is
    # read from there too, up to the heading's end, and would open with no body)
    if mentions and is_agency_heading(text, hs, he, rules=rules, own_place=own, agencies=placeless):
        mentions, _, _ = ax.parse_list(ks, _trim_colon(ax, ks, ke), bounded=True)
        return [(m, "lead") for m in mentions], False
    if mentions and not clean:
        return [], False
    if not mentions or ax.norm(j) not in (":", "("):
        # a list with unknown bodies, up to a colon that closes the heading's first lines
        colon = _find(ax.norms, ":", ks, min(ax.index(end), ks + _HEADING_MAX))
        if colon is None:
            return [], False
        # its first body first, as the list is read up to an unknown item: a list that does
        # not open with a known body is not read whole (its unknown items are the costly part)
        first, _, _ = ax.parse_list(ks, colon, bounded=True, clean_only=True)
        if not (first and first[0].known):
            return [], False
        listed, k, _ = ax.parse_list(ks, colon, bounded=True)
        if listed and listed[0].known and k >= colon:
            return [(m, "lead") for m in listed], False
        return [], False
    if ax.norm(j) == ":" and ax.end(j) <= end:
        return [(m, "lead") for m in mentions], False
    return [], False


def find_assignments(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo, agencies: AgencyText | None = None
) -> Iterator[Assignment]:
    """Every assignment of the plan: label, heading, intro, sentence and closing forms.
    AGENCIES: the document's agency index without a place name (the extract step's, shared
    with the tasks; built here when not given)."""
    text = seg.doc.text
    own = own_place_of(plan)
    placeless = document_agencies(text, rules, agencies)
    ax = placeless.with_place(own)
    words = role_words(rules)
    col = _Collector(seg.doc.doc_id)
    sections = seg.sections
    by_id = {s.section_id: s for s in sections}
    kids = children_map(sections)
    ordered = sorted(tasks, key=lambda t: t.char_start)
    bs, be = _span(ax, seg.body_start, seg.body_end)
    labels = find_labels(ax, bs, be, words)
    markers = _MarkerEnds(text, rules)

    # what each section says about the tasks under it: agency heading, intro line
    inherited: dict[str, list[tuple[AgencyMention, str]]] = {}
    plan_leads: set[tuple[str, int]] = set()
    for s in sections:
        if s.kind not in TASK_KINDS:
            continue
        children = kids.get(s.section_id) or []
        end = min(c.char_start for c in children) if children else s.char_end
        top = s.marker_type in ("roman", "part") and s.level == 1
        found, plan_lead = [], False
        if not (top and children):
            found, plan_lead = _agency_heading(ax, text, s, end, words, rules, own, placeless, markers)
        if plan_lead:  # `1. Sở Tài chính (cơ quan chủ trì)`: the lead of the whole plan too
            plan_leads.update((s.section_id, m.char_start) for m, r in found if r == "lead")
        if children:
            hs = markers.after(s.char_start, end)
            he = max(min(s.heading_end, end), hs)
            if not found and not top:  # a heading that is a sentence: `1. Giao Sở Y tế chủ trì ...`
                ks, ke = _span(ax, hs, he)
                found = read_clauses(ax, ks, _first_label(labels, ks, ke), words)[0]
            # an intro line over the items: `Các sở, ngành, đoàn thể tỉnh ... :`
            ks, ke = _span(ax, he, end)
            if found:  # after the heading's own list, its role in parentheses and its colon
                ks = max(ks, _after_list(ax, found[-1][0], ke))
            if ks < ke:
                found = found + read_clauses(ax, ks, _first_label(labels, ks, ke), words)[0]
        if found:
            inherited[s.section_id] = found

    # the closing paragraph speaks for the plan, not for the item it follows
    cl = closing_start(text, seg.body_start, seg.body_end, rules=rules)
    last = None if cl is not None else _last_paragraph(text, seg, ordered, words)
    close = cl if cl is not None else last
    own_roles: set[tuple[str, str]] = set()
    own_lead: set[str] = set()  # tasks whose own sentence names their lead
    # 1. each task's own sentences (up to its first label)
    for t in ordered:
        ks, ke = _span(ax, t.char_start, t.char_end)
        ke = _first_label(labels, ks, ke)
        if close is not None and t.char_start < close:
            ke = min(ke, ax.index(close))
        found, subject = read_clauses(ax, ks, ke, words)
        if any(not m.requested and not m.generic for m in subject):
            own_lead.add(t.task_id)
        s = by_id.get(t.section_id)
        if s is not None and s.path == t.path and t.section_id not in inherited:
            # also from the item's marker: a heading line wrapped mid-sentence belongs to it
            ms = ax.index(markers.after(s.char_start, t.char_end))
            if ms < ks:
                found += read_clauses(ax, ms, ke, words)[0]
        for m, role in found:
            col.add(m, role, task=t)
            if role != "lead":
                own_roles.add((t.task_id, col.folded(m.agency)))
        # (once found, no later sentence's standing body is kept; standing_in names none where
        # no standing word stands: most tasks, whose heading's leads are then not looked up)
        if not col.standing_done and find_words(ax, ks, ke, words.standing):
            leads = [(m, r) for m, r in found if r == "lead"]
            col.standing(standing_in(ax, ks, ke, words, leads, _heading_leads(t, by_id, inherited)))

    # 2. headings and intro lines -> every task under them; the nearest one that names bodies
    # (`+ Sở Xây dựng: ...` under `1.3. Các Sở: ...`), unless the task's own sentence gives
    # that body another role (`2. Sở KH&CN, Sở Nội vụ` over `Sở KH&CN chủ trì, phối hợp với
    # Sở Nội vụ ...`: Sở Nội vụ coordinates)
    for t in ordered:
        s = by_id.get(t.section_id)
        while s is not None and s.section_id not in inherited:
            s = by_id.get(s.parent_section_id) if s.parent_section_id else None
        for m, role in inherited.get(s.section_id, ()) if s is not None else ():
            if role == "lead" and ((t.task_id, col.folded(m.agency)) in own_roles or t.task_id in own_lead):
                continue
            col.add(m, role, task=t)
    for s in sections:
        for m, role in inherited.get(s.section_id, ()):
            if (s.section_id, m.char_start) in plan_leads:
                col.add(m, role, path=None, scope="plan")

    # 3. labels: the task they stand in, or the items before them
    for sc in label_scopes(labels, sections, ordered):
        for m, role in read_label(ax, sc.label, words):
            if sc.plan:
                col.add(m, role, path=None, scope="plan")
            for t in sc.tasks:
                col.add(m, role, task=t)

    # 4. the closing paragraph: requests and orders for the whole plan
    if cl is not None:
        ks, ke = _span(ax, cl, seg.body_end)
        for k, _ in find_words(ax, ks, ke, words.request_order):
            mentions, _, _ = ax.parse_list(k, ke, bounded=False)
            for m in mentions:
                col.add(m, "lead", path=None, scope="plan")
    elif last is not None:  # `Các cơ quan, đơn vị ... triển khai thực hiện Kế hoạch này ... ./.`
        ks, ke = _span(ax, last, seg.body_end)
        ordered_bodies = []
        for k, _ in find_words(ax, ks, ke, words.request_order):
            if _conditional(ax, ks, k, words):
                continue
            ordered_bodies += ax.parse_list(k, ke, bounded=False)[0]
        found, subject = read_clauses(ax, ks, ke, words)
        issuer = fold(plan.issuer or "") if plan is not None else ""
        for m, role in found:
            if m in subject and (ordered_bodies or fold(m.agency) == issuer):
                continue  # `Ủy ban nhân dân Thành phố yêu cầu các sở, ...`: the issuer asks
            col.add(m, role, path=None, scope="plan")
        for m in ordered_bodies:
            col.add(m, "lead", path=None, scope="plan")

    # 5. the standing body: explicit first (above), then the one that consolidates reports,
    # leaf items first: the item that says where reports go, before the heading above it
    in_tasks = [s for s in sections if s.kind in TASK_KINDS]
    leaves_first = ([s for s in in_tasks if not kids.get(s.section_id)]
                    + [s for s in in_tasks if kids.get(s.section_id)])
    for find in (report_collector, report_via):  # `về X để tổng hợp`, then `(qua X)`
        for s in leaves_first:
            if col.standing_done:
                break
            ks, ke = _span(ax, s.char_start, s.char_end)
            m = find(ax, ks, ke, words, _REPORT_WINDOW)
            col.standing([m] if m else [])
    return iter(col.rows)


def _conditional(ax, start: int, k: int, words: RoleWords) -> bool:
    """The request at token K is made on a condition stated earlier in its sentence."""
    sentence = start
    for j in range(k - 1, start - 1, -1):
        if ax.norm(j) in (".", "!", "?"):
            sentence = j + 1
            break
    return any(True for _ in find_words(ax, sentence, k, words.conditions))


def _last_paragraph(text: str, seg: Segmented, tasks: Sequence[Task], words: RoleWords) -> int | None:
    """Where the body's last paragraph begins when it closes the plan (it ends with the end
    mark `/.`) and it is not an item of its own."""
    pos = max((text.rfind(mk, seg.body_start, seg.body_end) for mk in words.closing_marks), default=-1)
    if pos < 0:
        return None
    breaks = list(_BLANK_LINE.finditer(text, seg.body_start, pos))
    if not breaks:
        return None
    start = breaks[-1].end()
    if not text[seg.body_start:breaks[-1].start()].rstrip(" *_").endswith((".", ";", ":", "!", "?", ")")):
        return None  # a sentence wrapped over a blank line goes on here
    while start < pos and text[start].isspace():
        start += 1
    nl = text.find("\n", start, pos)
    first_line = pos if nl < 0 else nl
    if any(start <= x.char_start < first_line for x in (*tasks, *seg.sections)):
        return None  # an item (`3. Giao Công an huyện ...`), not a closing paragraph
    return start


def _heading_leads(t: Task, by_id: dict, inherited: dict) -> list[AgencyMention]:
    s = by_id.get(t.section_id)
    while s is not None:
        leads = [m for m, r in inherited.get(s.section_id, ()) if r == "lead"]
        if leads:
            return leads
        s = by_id.get(s.parent_section_id) if s.parent_section_id else None
    return []
