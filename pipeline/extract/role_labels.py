"""Role labels: `Cơ quan chủ trì:`, `Đơn vị chủ trì tham mưu thực hiện:`, `(Trách nhiệm: ...)`,
`Phân công:`, read back from each colon with the label patterns of role_patterns.RoleWords
(made from the `roles: labels:` words of rules/agencies.yaml) wherever a label may stand: at the start of a
line, after `(`, `;`, `,` or a full stop. What a label names runs to the next label, the
closing parenthesis, the end of its paragraph or a new item.
"""

from __future__ import annotations

from dataclasses import dataclass

from .agencies import AgencyMention, AgencyText
from .role_patterns import RoleWords, find_words, within, word_places

_FIELD_MAX = 7  # words of a field label before its colon (`Thời gian thực hiện:`)
_ITEM_MARK = frozenset("-+•–—*")

@dataclass(frozen=True, slots=True)
class Label:
    """A role label and the span (stream positions) of what it names."""

    kind: str  # lead / coordinate / any / head
    start: int  # stream position of the label's first word
    body: int  # stream position after its colon
    end: int  # where what it names ends
    char_start: int
    line_start: bool  # at the start of a line (a field), else inside a sentence or parentheses


def at_line_start(ax: AgencyText, k: int) -> bool:
    """K opens a line (only markup and an item dash before it on its line)."""
    if k >= ax.n:
        return False
    f = ax.full[k]
    toks = ax.toks
    while f > 0:
        if ax.text.find("\n", toks.ends[f - 1], toks.starts[f]) >= 0:
            return True
        if toks.texts[f - 1] in _ITEM_MARK and f - 1 == ax.full[k] - 1:
            f -= 1
            continue
        return False
    return True


def _paragraph_break(ax: AgencyText, k: int) -> bool:
    """A new paragraph or item begins at stream position K."""
    if k <= 0 or k >= ax.n:
        return False
    f = ax.full[k]
    toks = ax.toks
    gap = ax.text[toks.ends[f - 1]:toks.starts[f]]
    if "\n" not in gap:
        if toks.texts[f - 1] in _ITEM_MARK:  # a dash item: `\n- Xyz`
            pf = f - 1
            return pf > 0 and "\n" in ax.text[toks.ends[pf - 1]:toks.starts[pf]]
        return False
    if gap.count("\n") >= 2:
        return True
    norm = ax.norms[k]
    nxt = ax.norm(k + 1)
    # a numbered or lettered item: `2.`, `b)`
    return (norm.isdigit() or len(norm) == 1) and nxt in (".", ")")


def _field_at(ax: AgencyText, k: int, end: int) -> bool:
    """A field label (`Thời gian thực hiện:`) opens the line at K."""
    if not at_line_start(ax, k):
        return False
    for j in range(k, min(end, k + _FIELD_MAX + 1)):
        n = ax.norm(j)
        if n == ":":
            return j > k
        if not n.isalpha():
            return False
    return False


def _label_matches(ax: AgencyText, ks: int, ke: int, words: RoleWords) -> dict[int, tuple[int, str]]:
    """{label start: (after its colon, kind)}: [head] word, up to LABEL_FILLER alphabetic words,
    `:`, read back from each colon in [ks, ke) (the first colon after the label words wins)."""
    norms = ax.norms
    best: dict[int, tuple[int, str]] = {}
    ends = words.label_ends
    for c in within(word_places(ax, ":"), ks, ke):  # the colons
        e = c
        while True:
            for pat, kind in ends.get(norms[e - 1], ()) if e - 1 >= ks else ():
                a = e - len(pat)
                if a >= ks and all(norms[a + i] == w for i, w in enumerate(pat)):
                    if a not in best or c + 1 < best[a][0]:
                        best[a] = (c + 1, kind)
            if c - e >= words.label_filler or e - 1 < ks or not norms[e - 1].isalpha():
                break
            e -= 1
    return best


def find_labels(ax: AgencyText, ks: int, ke: int, words: RoleWords) -> list[Label]:
    """The role labels between stream positions KS and KE, each with the span it names."""
    if ks >= ke:
        return []
    best = _label_matches(ax, ks, ke, words)
    found = []
    for a in sorted(best):
        b, kind = best[a]
        prev = ax.norm(a - 1) if a > 0 else ""
        line = at_line_start(ax, a)
        if not (line or prev in ("(", ";", ",", ".")):
            continue
        if found and a < found[-1][1]:
            continue
        found.append((a, b, kind, line))
    out = []
    for i, (a, b, kind, line) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else ke
        in_paren = ax.norm(a - 1) == "("
        j = b
        depth = 0
        while j < stop:
            n = ax.norm(j)
            if n == "(":
                depth += 1
            elif n == ")":
                if depth == 0:
                    break
                depth -= 1
            if j > b and (_paragraph_break(ax, j) or _field_at(ax, j, stop)):
                break
            if n == "." and j + 1 < ax.n and "\n" in ax.text[ax.end(j):ax.starts[j + 1]]:
                break
            j += 1
        out.append(Label(kind, a, b, j, ax.starts[a], line and not in_paren))
    return out


def read_label(ax: AgencyText, lab: Label, words: RoleWords) -> list[tuple[AgencyMention, str]]:
    """The bodies a label names, with their roles."""
    ks, ke = lab.body, lab.end
    while ke > ks and ax.norm(ke - 1) in (".", ";", ",", ":"):
        ke -= 1
    if ks >= ke:
        return []
    if _has_role_words(ax, ks, ke, words):  # `Công an xã chủ trì; các thôn phối hợp`
        return inline_roles(ax, ks, ke, words)
    role = words.label_role[lab.kind]
    mentions, _, _ = ax.parse_list(ks, ke, bounded=True)
    return [(m, role) for m in mentions]


def _has_role_words(ax: AgencyText, ks: int, ke: int, words: RoleWords) -> bool:
    return any(True for _ in find_words(ax, ks, ke, words.lead_coordinate))


def inline_roles(ax: AgencyText, ks: int, ke: int, words: RoleWords) -> list[tuple[AgencyMention, str]]:
    """`X chủ trì; Y, Z và đề nghị W thực hiện`: the parts split on `;`, each with its role word;
    a part without one coordinates when another part leads."""
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
        if ax.any_words(j, words.lead):
            role, saw_lead = "lead", True
        elif ax.any_words(j, words.coordinate):
            role = "coordinate"
        parsed.append((mentions, role))
    out = []
    for mentions, role in parsed:
        r = role or ("coordinate" if saw_lead else "lead")
        out.extend((m, r) for m in mentions)
    return out


def label_spans(text: str, start: int, end: int, *, rules) -> list[tuple[str, int, int, bool]]:
    """The role labels of text[start:end] as (kind, label start, end of what it names, at the
    start of a line), for stages that keep labelled lines out of task text."""
    from .agencies import agency_text
    from .role_patterns import role_words

    ax = agency_text(text, rules)
    ks, ke = ax.index(start), ax.index(end)
    out = []
    for lab in find_labels(ax, ks, ke, role_words(rules)):
        stop = ax.end(lab.end - 1) if lab.end > lab.body else ax.end(lab.body - 1)
        out.append((lab.kind, lab.char_start, stop, lab.line_start))
    return out
