"""Who must do each task: lead, coordinate, requested, standing.

The forms real plans mix, each read here:
- a `Phân công` block (`* Phân công:` then `- Cơ quan chủ trì: ...` / `- Cơ quan phối hợp:
  ...`, or inline `Phân công: Công an xã chủ trì; ...`) applies to the items before it in
  the same section, back to the previous block; one with no item before it in a section of
  its own (`III. PHÂN CÔNG TRÁCH NHIỆM`) applies to the whole plan;
- an item headed by bodies (`2. Công an xã`, `8. Đề nghị Ủy ban MTTQ ... xã`) or an intro
  line naming bodies (`Các sở, ngành, đoàn thể tỉnh, Ủy ban nhân dân xã, phường:`) applies
  to every item under it;
- in a sentence: its subject after any opening phrase (`Căn cứ Kế hoạch này, các sở ...`),
  `Giao X` -> lead; `Đề nghị X` -> requested (every body of the list it heads, even on a
  `chủ trì` line); `X chủ trì, phối hợp (với) Y, Z` -> Y, Z coordinate; `phối hợp (với) X`
  anywhere in a task -> coordinate;
- `cơ quan thường trực`, `đầu mối`, and the body that consolidates reports (`gửi về X để
  tổng hợp`) -> standing, scope plan, once per plan;
- a closing paragraph asking bodies to carry out the plan (`Đề nghị các cơ quan, đơn vị và
  các thôn ... triển khai thực hiện`) -> scope plan.
Bodies only directed (`chỉ đạo X`), advised (`tham mưu X`) or reported to get no row, nor
do vague actors (`Cấp ủy Đảng`, `chính quyền`, `Nhân dân`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..records import Assignment, PlanInfo, Section, Segmented, Task
from ..rules import Rules
from .agencies import AgencyMention, AgencyText, agency_text
from .locate import block_scopes
from .tasks import (
    TASK_KINDS,
    children_map,
    closing_start,
    find_blocks,
    is_agency_heading,
    own_place_of,
    strip_marker,
    task_region,
)
from .wordseg import fold

_REPORT_WINDOW = 40  # tokens between `về X` and `để tổng hợp`
_FOREIGN_WINDOW = 30  # characters after a body where its country may be named


class _Roles:
    """The role words of rules/agencies.yaml as token tuples."""

    def __init__(self, rules: Rules):
        roles = rules["agencies"].get("roles") or {}

        def words(key: str, default: list[str]) -> tuple[tuple[str, ...], ...]:
            out = [tuple(fold(w).replace(",", " ,").split()) for w in (roles.get(key) or default)]
            return tuple(sorted(out, key=len, reverse=True))

        self.lead = words("lead", ["chủ trì"])
        self.coordinate = words("coordinate", ["phối hợp với", "phối hợp"])
        self.standing = words("standing", ["cơ quan thường trực", "cơ quan đầu mối", "đầu mối"])
        self.report_to = words("report_to", ["về"])
        self.collect = words("report_collect", ["để tổng hợp"])
        self.openers = words("openers", ["căn cứ", "trên cơ sở"])
        self.foreign = tuple(fold(w) for w in (roles.get("foreign") or []))


def _roles(rules: Rules) -> _Roles:
    return rules.compiled("assignments.roles", _Roles)


class _Collector:
    """Rows in the making, without duplicates, in the order found."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.rows: list[Assignment] = []
        self.keys: set[tuple] = set()
        self.standing_done = False

    def add(self, m: AgencyMention, role: str, *, task: Task | None = None, path: str | None = None,
            scope: str = "task") -> None:
        if m.requested and role in ("lead", "coordinate"):
            role = "requested"
        if task is not None:
            path, scope = task.path, "task"
        key = (task.task_id if task else None, path, scope, fold(m.agency), role)
        if key in self.keys:
            return
        self.keys.add(key)
        self.rows.append(Assignment(
            doc_id=self.doc_id, task_id=task.task_id if task else None, path=path, scope=scope,
            agency=m.agency, agency_raw=m.raw, role=role, generic=m.generic,
            char_start=m.char_start, char_end=m.char_end,
        ))

    def standing(self, m: AgencyMention) -> None:
        if self.standing_done or fold(m.agency).startswith("ủy ban nhân dân"):
            return  # the issuer itself is not its own standing body
        self.standing_done = True
        self.add(m, "standing", path=None, scope="plan")


def _span(ax: AgencyText, start: int, end: int) -> tuple[int, int]:
    return ax.index(start), ax.index(end)


def _find_words(ax: AgencyText, k: int, end: int, options) -> Iterator[tuple[int, int]]:
    """Positions in [k, end) where one of OPTIONS (token tuples) stands: (start, after)."""
    firsts = {w[0] for w in options}  # only where an option's first word stands is it tried
    s = ax.s
    k = max(k, 0)
    stop = min(end, len(s))
    while k < stop:
        if s[k].norm in firsts:
            n = ax.any_words(k, options)
            if n and k + n <= end:
                yield k, k + n
                k += n
                continue
        k += 1


def _after_coordinate_word(ax: AgencyText, k: int, end: int, roles: _Roles) -> int | None:
    n = ax.any_words(k, roles.coordinate)
    return k + n if n else None


def parse_sentence(ax: AgencyText, ks: int, ke: int, roles: _Roles
                   ) -> tuple[list[tuple[AgencyMention, str]], list[AgencyMention]]:
    """Roles named in one task or intro: [(mention, role)] and the subject mentions."""
    out: list[tuple[AgencyMention, str]] = []
    subject: list[AgencyMention] = []
    k = ks
    while k < ke and ax.norm(k) in ("-", "+", ".", ")", ":"):
        k += 1
    start = k
    # the subject: at the start, or after an opening phrase and its comma
    cands = [start]
    if ax.any_words(start, roles.openers):
        # the subject follows a comma of the opening phrase, before any predicate
        cands = []
        j = start + 1
        while j < ke and ax.norm(j) not in (".", ";", ":") and not ax.at(j, "PRED"):
            if ax.norm(j) == "," and ax.body_at(j + 1, ke) is not None:
                cands.append(j + 1)
            j += 1
    for c in cands:
        mentions, j, _ = ax.parse_list(c, ke, bounded=False)
        if mentions:
            subject = mentions
            for m in mentions:
                out.append((m, "lead"))
            # `X chủ trì, phối hợp (với) Y`
            n = ax.any_words(j, roles.lead)
            if n:
                j += n
                while ax.norm(j) == ",":
                    j += 1
            break
    # `phối hợp (với) X` anywhere
    for _, after in _find_words(ax, start, ke, roles.coordinate):
        mentions, _, _ = ax.parse_list(after, ke, bounded=False)
        for m in mentions:
            if not any(m.char_start == s.char_start for s in subject) and not _foreign(ax, m, roles):
                out.append((m, "coordinate"))
    return out, subject


def _foreign(ax: AgencyText, m: AgencyMention, roles: _Roles) -> bool:
    """A body of another country (`lực lượng chức năng tỉnh X (Campuchia)`): no row."""
    after = fold(ax.text[m.char_end:m.char_end + _FOREIGN_WINDOW])
    return any(f in after for f in roles.foreign)


def _standing_in(ax: AgencyText, ks: int, ke: int, roles: _Roles, subject: Sequence[AgencyMention],
                 heading_leads: Sequence[AgencyMention], col: _Collector) -> None:
    if col.standing_done:
        return
    for k, _ in _find_words(ax, ks, ke, roles.standing):
        pos = ax.s[k].start
        before = [m for m in subject if m.char_end <= pos]
        if before:
            col.standing(before[-1])
        elif heading_leads:
            col.standing(heading_leads[0])
        if col.standing_done:
            return


def _report_collector(ax: AgencyText, ks: int, ke: int, roles: _Roles) -> AgencyMention | None:
    """`gửi / báo cáo ... về X (...) để tổng hợp` -> X."""
    for _, after in _find_words(ax, ks, ke, roles.report_to):
        mentions, j, _ = ax.parse_list(after, ke, bounded=False)
        if not mentions:
            continue
        for c, _ in _find_words(ax, j, min(ke, j + _REPORT_WINDOW), roles.collect):
            if not any(ax.norm(x) in (";",) for x in range(j, c)):
                return mentions[0]
            break
    return None


def find_assignments(
    seg: Segmented, tasks: Sequence[Task], *, rules: Rules, plan: PlanInfo
) -> Iterator[Assignment]:
    """Every assignment of the plan: block, heading, intro, sentence and closing forms."""
    text = seg.doc.text
    own = own_place_of(plan)
    ax = agency_text(text, rules, own)
    roles = _roles(rules)
    col = _Collector(seg.doc.doc_id)
    sections = seg.sections
    by_id = {s.section_id: s for s in sections}
    kids = children_map(sections)
    ordered = sorted(tasks, key=lambda t: t.char_start)

    def under(s: Section) -> list[Task]:
        return [t for t in ordered if t.path == s.path or t.path.startswith(s.path + "/")]

    # what each section says about the tasks under it: agency heading, intro line
    inherited: dict[str, list[tuple[AgencyMention, str]]] = {}
    heading_leads: dict[str, list[AgencyMention]] = {}
    for s in sections:
        if s.kind not in TASK_KINDS:
            continue
        children = kids.get(s.section_id) or []
        hs = strip_marker(text, s.char_start, s.char_end)
        he = max(min(s.heading_end, s.char_end), hs)
        found: list[tuple[AgencyMention, str]] = []
        if children:
            lead_in_end = min(c.char_start for c in children)
            blocks = find_blocks(text, hs, lead_in_end, rules=rules)
            if blocks:
                lead_in_end = min(lead_in_end, blocks[0].start)
            if s.marker_type not in ("roman", "part") or s.level > 1:
                found.extend(_lead_in(ax, text, hs, he, roles, rules, own))
            body_s = he
            if body_s < lead_in_end and text[body_s:lead_in_end].strip():
                found.extend(_lead_in(ax, text, body_s, lead_in_end, roles, rules, own))
        else:
            region = task_region(seg, s, kids, rules=rules, own_place=own)
            if region and region[2]:  # an agency heading over its paragraph
                ks, ke = _span(ax, hs, he)
                mentions, _, _ = ax.parse_list(ks, _trim_colon(ax, ks, ke), bounded=True)
                found.extend((m, "lead") for m in mentions)
        if found:
            inherited[s.section_id] = found

    # 1. headings and intro lines -> every task under them
    for s in sections:
        for m, role in inherited.get(s.section_id, ()):
            for t in under(s):
                col.add(m, role, task=t)

    # 2. each task's own sentence
    for t in ordered:
        ks, ke = _span(ax, t.char_start, t.char_end)
        found, subject = parse_sentence(ax, ks, ke, roles)
        for m, role in found:
            col.add(m, role, task=t)
        leads = _heading_leads(t, by_id, inherited)
        heading_leads[t.task_id] = leads
        _standing_in(ax, ks, ke, roles, subject or [m for m, r in found if r == "lead"], leads, col)

    # 3. assignment blocks: the items before them, back to the previous block
    for top, b, targets in block_scopes(text, sections, ordered, rules=rules):
        for m, role in _block_roles(ax, text, b, roles, rules):
            if targets:
                for t in targets:
                    col.add(m, role, task=t)
            elif top.kind in ("assignment", "organization", "tasks"):
                col.add(m, role, path=None, scope="plan")

    # 4. the closing paragraph: requests and orders for the whole plan
    cl = closing_start(text, seg.body_start, seg.body_end, rules=rules)
    if cl is not None:
        ks, ke = _span(ax, cl, seg.body_end)
        for k, _ in _find_words(ax, ks, ke, (*_request_words(ax), *_order_words(ax))):
            mentions, _, _ = ax.parse_list(k, ke, bounded=False)
            for m in mentions:
                col.add(m, "lead", path=None, scope="plan")

    # 5. the standing body: explicit first (above), then the one that consolidates reports
    # leaf items first: the item that says where reports go, before the heading above it
    in_tasks = [s for s in sections if s.kind in TASK_KINDS]
    leaves_first = ([s for s in in_tasks if not kids.get(s.section_id)]
                    + [s for s in in_tasks if kids.get(s.section_id)])
    for s in leaves_first:
        if col.standing_done:
            break
        ks, ke = _span(ax, s.char_start, s.char_end)
        m = _report_collector(ax, ks, ke, roles)
        if m is not None:
            col.standing(m)
    return iter(col.rows)


def _trim_colon(ax: AgencyText, ks: int, ke: int) -> int:
    while ke > ks and ax.norm(ke - 1) in (":", ".", ";"):
        ke -= 1
    return ke


def _request_words(ax: AgencyText):
    return ax.g.request


def _order_words(ax: AgencyText):
    return ax.g.order


def _heading_leads(t: Task, by_id: dict, inherited: dict) -> list[AgencyMention]:
    s = by_id.get(t.section_id)
    while s is not None:
        leads = [m for m, r in inherited.get(s.section_id, ()) if r == "lead"]
        if leads:
            return leads
        s = by_id.get(s.parent_section_id) if s.parent_section_id else None
    return []


def _lead_in(ax: AgencyText, text: str, start: int, end: int, roles: _Roles, rules: Rules,
             own: str | None) -> list[tuple[AgencyMention, str]]:
    """A heading or intro line: a list of bodies (lead) or a sentence naming roles."""
    ks, ke = _span(ax, start, end)
    if is_agency_heading(text, start, end, rules=rules, own_place=own):
        mentions, _, _ = ax.parse_list(ks, _trim_colon(ax, ks, ke), bounded=True)
        return [(m, "lead") for m in mentions]
    found, _ = parse_sentence(ax, ks, ke, roles)
    return found


def _block_roles(ax: AgencyText, text: str, b, roles: _Roles, rules: Rules
                 ) -> list[tuple[AgencyMention, str]]:
    out: list[tuple[AgencyMention, str]] = []
    for kind, ls, le in b.lines:
        colon = text.find(":", ls, le)
        if colon < 0:
            continue
        ks, ke = _span(ax, colon + 1, le)
        if ks >= ke:
            continue
        if kind == "head":  # inline: `Công an xã chủ trì; các cơ quan ... và đề nghị ...`
            out.extend(_inline_block(ax, ks, ke, roles))
            continue
        role = {"lead": "lead", "coordinate": "coordinate"}.get(kind, "lead")
        mentions, _, _ = ax.parse_list(ks, ke, bounded=True)
        out.extend((m, role) for m in mentions)
    return out


def _inline_block(ax: AgencyText, ks: int, ke: int, roles: _Roles) -> list[tuple[AgencyMention, str]]:
    segs: list[tuple[int, int]] = []
    a = ks
    for k in range(ks, ke):
        if ax.norm(k) == ";":
            segs.append((a, k))
            a = k + 1
    segs.append((a, ke))
    parsed = []
    saw_lead = False
    for a, b in segs:
        mentions, j, _ = ax.parse_list(a, b, bounded=True)
        role = None
        if ax.any_words(j, roles.lead):
            role, saw_lead = "lead", True
        elif ax.any_words(j, roles.coordinate):
            role = "coordinate"
        parsed.append((mentions, role))
    out = []
    for mentions, role in parsed:
        r = role or ("coordinate" if saw_lead else "lead")
        out.extend((m, r) for m in mentions)
    return out
