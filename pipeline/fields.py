"""Labelled fields: the lines that describe an item rather than being one.

Real plans follow a task with lines such as ``- Đơn vị chủ trì: Sở Tư pháp.``, ``Thời gian
thực hiện: Hằng năm.``, ``- Nội dung thực hiện: ...``; a ``Phân công`` block (``* Phân công:``
then ``- Cơ quan chủ trì: ...``) is made of them too. They are not sections and not tasks
(CONTRACT, "Labelled fields"): segment skips them, the task extractor ends a task's text
before them, and the roles and deadline extractors read them. The labels are in
rules/headings.yaml (``labelled_fields``), by kind:

- ``head``: the ``Phân công`` line that opens a block;
- ``lead``, ``coordinate``, ``any``: who carries the item out (chủ trì, phối hợp, thực hiện);
- ``time``, ``content``, ``result``, ``budget``: when, what, the product, the money.

A field is a plain or bullet line (``-``, ``+``, ``*``) that opens with a label and a colon; a
numbered line (``2. Thời gian thực hiện: ...``) is a heading, not a field.

>>> from pipeline.rules import load_rules
>>> t = "- Tổ chức tập huấn.\\nĐơn vị chủ trì thực hiện: Sở Tư pháp.\\n"
>>> [(f.kind, t[f.value_start:f.value_end]) for f in labelled_fields(t, 0, len(t), rules=load_rules())]
[('lead', 'Sở Tư pháp.')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .rules import Rules

ROLE_KINDS = ("head", "lead", "coordinate", "any")


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled line: its kind, the whole line, and the value after the colon."""

    kind: str  # head, lead, coordinate, any, time, content, result, budget
    start: int  # the line (bullet and label included)
    end: int
    value_start: int  # after the colon and its spaces; text[value_start:value_end] is the value
    value_end: int


def _build(rules: Rules) -> tuple[tuple[str, re.Pattern], ...]:
    data = (rules["headings"] or {}).get("labelled_fields") or {}
    out = []
    for kind, patterns in data.items():
        pats = [p for p in patterns or [] if p]
        if pats:
            body = "|".join(f"(?:{p})" for p in pats)
            # a bullet, and markup a text that was not cleaned keeps (`**\\* Phân công:**`)
            out.append((kind, re.compile(rf"^[\s*#>\\\-+•–—]*(?:{body})[\s*\\]*:", re.I)))
    return tuple(out)


def field_start_rx(rules: Rules) -> re.Pattern | None:
    """One pattern for a line that opens with any label."""
    def build(r: Rules) -> re.Pattern | None:
        pats = [rx.pattern for _, rx in _build(r)]
        return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None
    return rules.compiled("fields.any", build)


def field_kind(line: str, *, rules: Rules) -> tuple[str, int] | None:
    """(kind, offset after the colon) when LINE is a labelled field, else None."""
    # every label pattern ends with its colon (_build), and most lines hold none
    if ":" not in line:
        return None
    for kind, rx in rules.compiled("fields", _build):
        m = rx.match(line)
        if m:
            return kind, m.end()
    return None


def line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of TEXT between START and END, the line break left out."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def labelled_fields(text: str, start: int, end: int, *, rules: Rules) -> list[Field]:
    """Every labelled field line between START and END, in order."""
    out: list[Field] = []
    # only a line with a colon can be a field (field_kind): go from colon to colon
    find, rfind = text.find, text.rfind
    c = find(":", start, end)
    while c >= 0:
        ls = rfind("\n", start, c) + 1 or start
        le = find("\n", c, end)
        if le < 0:
            le = end
        c = find(":", le + 1, end)
        found = field_kind(text[ls:le], rules=rules)
        if found is None:
            continue
        kind, after = found
        vs = ls + after
        while vs < le and text[vs] in " \t":
            vs += 1
        ve = le
        while ve > vs and text[ve - 1] in " \t":
            ve -= 1
        out.append(Field(kind, ls, le, vs, ve))
    return out
