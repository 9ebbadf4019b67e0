"""Flags: what a reviewer should look at in each plan.

Codes, severities and messages (Vietnamese in `message`, English in rules/flags.yaml) come from
rules/flags.yaml. The checks of one plan alone live in `doc_checks.py` and run in the worker
(`docflags.py`); this module holds the ones that need other plans (links, coverage) and
`find_flags`, every flag of a whole store at once (tests, small stores).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from .compare import GROUP_METHOD, SECTION_METHOD
from .docflags import document_flags
from .flagcodes import CODES, CROSS_CODES, SEVERITY_ORDER, make_flag, severity_rank
from .link import as_rows
from .records import Coverage, Flag, PlanLink
from .rules import Rules, load_rules

__all__ = ["find_flags", "CODES", "CROSS_CODES", "SEVERITY_ORDER", "make_flag", "severity_rank",
           "link_flags", "coverage_flags", "load_rules"]


# --- links and coverage -----------------------------------------------------------------


def link_flags(links: Sequence[PlanLink], rules: Rules) -> list[Flag]:
    out = []
    by_child: dict[str, list[PlanLink]] = defaultdict(list)
    for ln in links:
        by_child[ln.child_doc_id].append(ln)
    for child, lns in by_child.items():
        for ln in lns:
            # an ambiguous parent was found several times over: AMBIGUOUS_PARENT names the candidates
            if not ln.resolved and not ln.candidates:
                out.append(make_flag(rules, "PARENT_NOT_FOUND", child, parent=ln.parent_ref))
    return out


def coverage_flags(coverage: Sequence[Coverage], rules: Rules) -> list[Flag]:
    out = []
    for c in coverage:
        if c.status == "missing":
            code = "MISSING_TASK_GROUP" if c.method == GROUP_METHOD else "MISSING_MANDATED_TASK"
        elif c.status == "partial" and c.method != SECTION_METHOD:
            code = "PARTIAL_MANDATED_TASK"
        else:
            continue
        out.append(make_flag(rules, code, c.child_doc_id, mandate=_short(c.mandate_text)))
    return out


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


# --- all --------------------------------------------------------------------------------


def find_flags(tables: Mapping[str, Any], links: Sequence[PlanLink], coverage: Sequence[Coverage],
               *, rules: Rules | None = None) -> list[Flag]:
    """Every flag of every plan in the store: plan by plan, the most severe first."""
    rules = Rules.resolve(rules)
    rows = {k: as_rows(tables.get(k)) for k in
            ("plans", "tasks", "sections", "assignments", "deadlines", "documents")}
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for k in ("tasks", "sections", "assignments", "deadlines"):
        for r in rows[k]:
            by_doc[r["doc_id"]][k].append(r)
    texts = {d["doc_id"]: d.get("clean_text") or "" for d in rows["documents"]}
    out: list[Flag] = []
    for plan in rows["plans"]:
        d = by_doc[plan["doc_id"]]
        out += document_flags(plan, d["tasks"], d["sections"], d["assignments"], d["deadlines"],
                              texts.get(plan["doc_id"], ""), rules)
    out += link_flags(links, rules)
    out += coverage_flags(coverage, rules)
    order = {p["doc_id"]: i for i, p in enumerate(rows["plans"])}
    rank = severity_rank(rules)
    out.sort(key=lambda f: (order.get(f.doc_id, len(order)), rank(f.severity, f.code),
                            f.char_start if f.char_start is not None else 1 << 60))
    return out
