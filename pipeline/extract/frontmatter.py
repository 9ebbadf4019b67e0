"""The plans row: kind, number, issuer, date line, title, period, signer, recipients."""

from __future__ import annotations

from ..records import PlanInfo, Segmented
from ..rules import Rules


def find_plan(seg: Segmented, *, rules: Rules) -> PlanInfo:
    return PlanInfo(doc_id=seg.doc.doc_id, doc_kind="other", issuer="", issuer_level="unknown",
                    title="")
