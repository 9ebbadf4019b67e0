"""Patterns asked as one: where a line is tested against several patterns and most lines
match none, one match of their alternation answers for most of them."""

from __future__ import annotations

import re

__all__ = ["either"]

_INLINE_FLAGS = ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))
_GROUP_REF_RX = re.compile(r"\\\d|\(\?P=|\(\?\(")  # \1, (?P=name), (?(1)...)


def either(*patterns: re.Pattern | None) -> re.Pattern | None:
    """One pattern matching where one of PATTERNS (those not None) does, each under its own
    flags, the first that matches giving the match (their groups numbered on, in order);
    None for fewer than two, or when it cannot be written (a flag with no inline form, a
    back-reference whose group would move, a group name twice)."""
    given = [p for p in patterns if p is not None]
    if len(given) < 2:
        return None
    parts = []
    for p in given:
        flags = p.flags & ~re.UNICODE
        letters = "".join(c for f, c in _INLINE_FLAGS if flags & f)
        if flags & ~(re.I | re.M | re.S | re.X) or _GROUP_REF_RX.search(p.pattern):
            return None
        parts.append(f"(?{letters}:{p.pattern}\n)" if "x" in letters else f"(?{letters}:{p.pattern})")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None
