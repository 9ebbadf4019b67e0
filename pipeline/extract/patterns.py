"""Regex building blocks shared by the extractors (compiled once, from rules data)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def words_alternation(words: Iterable[str], flags: str = "") -> str:
    """An alternation of literal words, longest first, tolerant of wrapped spaces.

    >>> words_alternation(["Kế hoạch", "Kế"])
    '(?:Kế\\\\s+hoạch|Kế)'
    """
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"
