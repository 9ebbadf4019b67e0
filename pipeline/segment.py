"""Segment stage: the heading tree of a cleaned plan."""

from __future__ import annotations

from .records import CleanDoc, LineLayout, Segmented
from .rules import Rules


def segment(doc: CleanDoc, *, rules: Rules, layout: tuple[LineLayout, ...] = ()) -> Segmented:
    return Segmented(doc=doc, sections=(), body_start=0, body_end=len(doc.text))
