"""A bounded memo: answers kept by key in a plain dict, emptied when it reaches its limit."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["kept"]

V = TypeVar("V")


def kept(memo: dict, key: Hashable, limit: int, make: Callable[[], V]) -> V:
    """MEMO[KEY], made by MAKE() the first time (None is an answer too); the memo is emptied
    when it holds LIMIT answers, so it never grows past that."""
    hit = memo.get(key, memo)
    if hit is memo:
        if len(memo) >= limit:
            memo.clear()
        hit = memo[key] = make()
    return hit
