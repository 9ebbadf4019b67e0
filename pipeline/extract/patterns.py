"""Regex building blocks shared by the extractors (compiled once, from rules data)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def words_alternation(words: Iterable[str], flags: str = "") -> str:
    """An alternation of literal words, longest first, tolerant of wrapped spaces; with no
    words, a pattern that never matches (an empty alternation would match everywhere).

    >>> words_alternation(["Kế hoạch", "Kế"])
    '(?:Kế\\\\s+hoạch|Kế)'
    >>> words_alternation([])
    '(?!)'
    """
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    if not parts:
        return "(?!)"
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def anchored_finditer(pattern, anchor, lead_in_end, text: str, pos: int = 0,
                      endpos: int | None = None) -> Iterator:
    """The matches of `PATTERN.finditer(TEXT, POS, ENDPOS)`, found without trying PATTERN at
    every position: for patterns each of whose matches holds a match of ANCHOR, with nothing
    between the match's start and that anchor that LEAD_IN_END (a reverse `(?r)` pattern)
    finds. Then no match starts before the last such character ahead of the next anchor, and
    PATTERN is searched from there. A long unanchored pattern (a citation: optional kind words,
    `số`, then the number) costs its full alternation at every character otherwise."""
    endpos = len(text) if endpos is None else min(endpos, len(text))
    while pos < endpos:
        a = anchor.search(text, pos, endpos)
        if a is None:
            return
        barrier = lead_in_end.search(text, pos, a.start())
        m = pattern.search(text, barrier.end() if barrier else pos, endpos)
        if m is None:
            return
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1
