"""Documents a plan cites: number, symbol, date, issuer, title, role."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import PlanInfo, Reference, Segmented
from ..rules import Rules


def find_references(seg: Segmented, *, rules: Rules, plan: PlanInfo) -> Iterator[Reference]:
    return iter(())
