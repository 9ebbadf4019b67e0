"""Extract stage: the facts of one segmented plan, one module per kind of fact."""

from __future__ import annotations

from ..records import Extracted, Segmented
from ..rules import Rules
from .frontmatter import find_plan

__all__ = ["extract"]


def extract(seg: Segmented, *, rules: Rules) -> Extracted:
    plan = find_plan(seg, rules=rules)
    return Extracted(plan=plan)
