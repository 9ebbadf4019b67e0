"""Change across cycles: a plan and its predecessor (same issuer, same subject, earlier period).

Two plans are successive cycles when their issuers are the same body, their subjects (titles
without the period, years and the words that open a title) share most of their words
(`subject_overlap`), and the earlier one's period ends before the later one's does (else its
issue date is earlier). Each plan is paired with its latest predecessor only. The earlier
plan's tasks are matched to the later's duty by duty (the matcher of `match.py`): `kept`
(covered), `changed` (partial), `dropped` (missing); the later plan's tasks that carry none of
the earlier's duties are `added`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..link import as_date, normalize, title_norm
from ..rules import Rules
from .mandates import Mandate
from .match import compare

__all__ = ["PlanChange", "successions", "plan_changes", "pair_changes", "SUBJECT_OVERLAP"]

SUBJECT_OVERLAP = 0.7  # share of the shorter subject's words the other has
LOOK_BACK = 200  # earlier plans of the same issuer searched for a predecessor
_NOT_SUBJECT = re.compile(r"\b(giai đoạn|định hướng|đến năm|năm|từ|đến|và|trên địa bàn)\b|\d+")


@dataclass(frozen=True, slots=True)
class PlanChange:
    doc_id: str  # the later plan
    prev_doc_id: str  # its predecessor
    change: str  # added, dropped, kept, changed
    text: str  # the task's text (the later plan's; the earlier's for dropped)
    score: float  # how well the duty is carried across (0 for added / dropped)
    task_id: str | None = None  # the later plan's task (null for dropped)
    path: str | None = None
    prev_task_id: str | None = None  # the earlier plan's task (null for added)
    prev_path: str | None = None


def _subject(plan: Mapping, rules: Rules) -> set[str]:
    title = title_norm(rules)(plan.get("title"))
    loc = normalize(plan.get("locality"))
    if loc:
        title = title.replace(loc, " ")
    return set(_NOT_SUBJECT.sub(" ", title).split())


def _order(plan: Mapping) -> tuple:
    d = as_date(plan.get("issue_date"))
    return (plan.get("period_end") or plan.get("period_start") or (d.year if d else 0), d or dt.date.min)


def successions(plans: Sequence[Mapping], *, rules: Rules) -> list[tuple[Mapping, Mapping]]:
    """(earlier, later) pairs of successive cycles, grouped by issuer first (never all pairs)."""
    by_issuer: dict[str, list[Mapping]] = defaultdict(list)
    for p in plans:
        if p.get("issuer"):
            by_issuer[normalize(p["issuer"])].append(p)
    out = []
    for group in by_issuer.values():
        if len(group) < 2:
            continue
        group = sorted(group, key=_order)
        subjects = [_subject(p, rules) for p in group]
        for i in range(len(group) - 1, 0, -1):
            later = group[i]
            # the latest LOOK_BACK plans of the issuer only: a province issues hundreds a year,
            # and a predecessor further back than that is not the previous cycle
            for j in range(i - 1, max(-1, i - 1 - LOOK_BACK), -1):
                a, b = subjects[i], subjects[j]
                if not a or not b or _order(group[j]) >= _order(later):
                    continue
                if len(a & b) >= SUBJECT_OVERLAP * min(len(a), len(b)):
                    out.append((group[j], later))
                    break
    return out


def plan_changes(plans: Sequence[Mapping], tasks_of: Mapping[str, Sequence[dict]], *,
                 rules: Rules) -> list[PlanChange]:
    """The added, dropped, kept and changed tasks of every plan that has a predecessor."""
    out: list[PlanChange] = []
    for prev, plan in successions(plans, rules=rules):
        out += pair_changes(prev, plan, tasks_of.get(prev["doc_id"], ()), tasks_of.get(plan["doc_id"], ()),
                            rules=rules)
    return out


def pair_changes(prev: Mapping, plan: Mapping, prev_tasks: Sequence[dict], tasks: Sequence[dict], *,
                 rules: Rules) -> list[PlanChange]:
    """The changes from PREV (its tasks PREV_TASKS) to its successor PLAN (TASKS)."""
    out: list[PlanChange] = []
    old = [t for t in prev_tasks if t.get("text")]
    new = [t for t in tasks if t.get("text")]
    if not old or not new:
        return out
    # term weights from each side's own tasks, as for any mandate collection
    # (parent_doc_id: whose words they are, for the word memo; not read from the coverage)
    forward = compare(new, [Mandate(t["task_id"], t["text"], t.get("theme") or "other",
                                    parent_doc_id=prev["doc_id"]) for t in old],
                      rules=rules, child_doc_id=plan["doc_id"])
    backward = compare(old, [Mandate(t["task_id"], t["text"], t.get("theme") or "other",
                                     parent_doc_id=plan["doc_id"]) for t in new],
                       rules=rules, child_doc_id=prev["doc_id"])
    by_id = {t["task_id"]: t for t in new}
    carried: set[str] = set()  # new tasks that carry an old one: never also `added`
    for t, c in zip(old, forward, strict=True):
        kind = {"covered": "kept", "partial": "changed"}.get(c.status, "dropped")
        nt = by_id.get(c.child_task_ids[0]) if c.child_task_ids and kind != "dropped" else None
        if nt:
            carried.add(nt["task_id"])
        out.append(PlanChange(plan["doc_id"], prev["doc_id"], kind,
                              (nt or t)["text"], c.score if kind != "dropped" else 0.0,
                              task_id=nt["task_id"] if nt else None, path=nt.get("path") if nt else None,
                              prev_task_id=t["task_id"], prev_path=t.get("path")))
    for t, c in zip(new, backward, strict=True):
        # the two directions weigh terms differently: a pair matched one way is not `added`
        if c.status == "missing" and t["task_id"] not in carried:
            out.append(PlanChange(plan["doc_id"], prev["doc_id"], "added", t["text"], 0.0,
                                  task_id=t["task_id"], path=t.get("path")))
    return out
