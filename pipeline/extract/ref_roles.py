"""Roles of cited documents settled over the whole preamble, after each citation got the
role its own clause gives (`references._cites`):

- a numbered list under a heading that opens with a basis trigger (`I. CĂN CỨ XÂY DỰNG KẾ
  HOẠCH` / `1. Quyết định số ...`) is a `Căn cứ` clause;
- laws, decrees and circulars a plan carries out (`Thực hiện Thông tư số ...`) are its legal
  basis, not its parent (contract: `legal_basis` ... laws whose provisions it carries out);
- beside a parent the plan's title names, a decision that only sets duties (`Thực hiện
  Quyết định số 2582/QĐ-UBND ... phân công, phân cấp`) is basis;
- a programme approved by a decision under `Căn cứ` is the plan's parent only when the plan
  is about it: the title names it (`THỰC HIỆN CHƯƠNG TRÌNH X`), or, with no programme named,
  the title shares its topic. Topic = word pairs of the name, cut before the place and the
  period (`... tỉnh Tiền Giang giai đoạn 2022-2025`).
"""

from __future__ import annotations

import unicodedata

import regex as re

from ..records import PlanInfo, Segmented
from .ref_rules import RefRules

# (compiled once: the regex module's own cache costs ~10 µs a call)
_LIST_GOES_ON = re.compile(r"(?:^|;)[\s*_]*(?:và\s+)?$")

__all__ = ["settle_roles", "topic_words", "topic_pairs", "pair_overlap"]


_WORD = re.compile(r"[\p{L}\p{M}]+")


def _words(s: str) -> list[str]:
    return [unicodedata.normalize("NFC", w.lower()) for w in _WORD.findall(s)]


def topic_words(name: str, c: RefRules) -> list[str]:
    """The words of a name's topic: the programme word, approving verbs and clause openers in
    front dropped, the place and period after it cut off."""
    s = " ".join(name.split())
    for _ in range(4):  # `BAN HÀNH KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH X`: every lead-in word
        m = c.topic_lead.match(s)
        if not m or not m.group().strip():
            break
        s = s[m.end():]
    cut = c.topic_end.search(s)
    if cut:
        s = s[:cut.start()]
    w = _words(s)
    while w and w[-1] in c.topic_tail:  # `... đến` left by a name cut before its year
        w.pop()
    return w


def topic_pairs(name: str, c: RefRules) -> set[tuple[str, str]]:
    """The word pairs of a name's topic (`topic_words`)."""
    w = topic_words(name, c)
    return set(zip(w, w[1:], strict=False))


def pair_overlap(a: set, b: set) -> float:
    """Shared pairs over the larger set (1.0: the same topic)."""
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def _approved_name(cite, flat: str, c: RefRules) -> str:
    """What the cited decision approves (`phê duyệt Chương trình X` → `Chương trình X`), or
    for a cited plan / programme, what it is about."""
    desc = flat[cite.desc_span[0]:cite.desc_span[1]]
    m = c.approves_in.search(desc)
    return desc[m.end():] if m else desc


def _basis_sections(seg: Segmented, c: RefRules) -> list[tuple[int, int, str]]:
    """(start, end, role) of sections whose heading opens with a clause trigger."""
    out = []
    for s in seg.sections:
        m = c.heading_trigger.match(s.heading)
        if m:
            role = c.trigger_role.get(" ".join(m["trig"].lower().split()))
            if role:
                out.append((s.heading_end, s.char_end, role))
    return out


def settle_roles(cites: list, seg: Segmented, flat: str, front_end: int, plan: PlanInfo,
                 c: RefRules) -> None:
    """Adjust the roles of CITES in place (see the module's doc); FRONT_END: where the front
    matter ends (headerblock.front_bounds)."""
    text = seg.doc.text
    for x in cites:
        # `Căn cứ Luật A ngày ...; Luật B ...; Luật C năm 2018;`: a law further down the list
        # is governed by the paragraph's opener, as the first one is
        if x.key[0] == "title" and x.kind in c.carried_out_as_basis and x.role == "mentions" \
                and x.start < front_end:
            line = text[text.rfind("\n", 0, x.start) + 1:x.start]
            m = c.line_trigger.match(line)
            if not _LIST_GOES_ON.search(line):
                continue  # inside another citation's words (`... chưa ban hành Luật X`)
            if m and c.trigger_role.get(" ".join(m["trig"].lower().split())) in ("legal_basis", "implements"):
                x.role = "legal_basis"
    for x in cites:
        # `Thông tư số 68/2025 ... sửa đổi, bổ sung một số điều của Thông tư số 148/2018 ...`:
        # the basis is the amended circular as amended, so the amended one is basis too
        if x.role != "mentions" or x.kind not in c.carried_out_as_basis:
            continue
        if any(y.role == "legal_basis" and y.desc_span[0] <= x.start < y.desc_span[1]
               and c.amends_cue.search(flat, y.desc_span[0], x.start) for y in cites):
            x.role = "legal_basis"
    # (the sections are read only when a numbered document is still a mention: the others
    # are left as they are)
    waiting = any(x.role == "mentions" and x.key[0] == "num" for x in cites)
    for lo, hi, role in _basis_sections(seg, c) if waiting else ():
        for x in cites:
            if not lo <= x.start < hi or x.role != "mentions" or x.key[0] != "num":
                continue
            line = text[text.rfind("\n", 0, x.start) + 1:x.start]
            if not c.item_lead.fullmatch(line):
                continue  # only a document that opens its item is the item's citation
            x.role = role
            if role == "legal_basis" and (x.kind in c.programme_kinds
                                          or c.approves_after.match(flat[x.desc_span[0]:x.desc_span[1]])):
                x.role, x.promoted = "implements", True
    for x in cites:
        if x.role == "implements" and x.kind in c.carried_out_as_basis:
            x.role = "legal_basis"
    parents = {x.key for x in cites if x.in_title and x.role == "implements"}
    if parents:
        parent_at = [x.start for x in cites if x.key in parents]
        for x in cites:
            if (x.role == "implements" and not x.promoted and x.key not in parents
                    and x.kind in c.instruments
                    and not c.approves_after.match(flat[x.desc_span[0]:x.desc_span[1]])
                    and not any(x.desc_span[0] <= s < x.desc_span[1] for s in parent_at)):
                x.role = "legal_basis"
        return
    title = plan.title
    promoted = [x for x in cites if x.promoted and x.role == "implements"]
    if not title or not promoted:
        return
    named = c.title_programme.search(title)
    if named:
        want = topic_pairs(named["name"], c)
        scores = {id(x): pair_overlap(topic_pairs(_approved_name(x, flat, c), c), want) for x in promoted}
        if max(scores.values()) >= c.title_match:
            for x in promoted:
                if scores[id(x)] < c.title_match:
                    x.role = "legal_basis"
            return
    own = topic_pairs(title, c)
    if not own:
        return
    for x in promoted:
        # a decision approving a programme the plan is not about is basis (a cited plan keeps
        # its promotion: plans carry out plans of other topics, `Kế hoạch số 283/KH-UBND về ...`)
        if c.approves_in.search(flat, x.desc_span[0], x.desc_span[1]) \
                and not topic_pairs(_approved_name(x, flat, c), c) & own:
            x.role = "legal_basis"
