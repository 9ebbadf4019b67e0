"""A bounded memo: answers kept by key in a plain dict, emptied when it reaches its limit."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["kept", "kept_by_id"]

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


def kept_by_id(memo: dict, obj: object, limit: int, make: Callable[[], V]) -> V:
    """`kept` with OBJ's identity for its key, for an object whose hash costs more than the
    answer's look-up (a long tuple asked for again and again). OBJ is kept beside its answer,
    so its id cannot pass to another object while the answer stands."""
    hit = memo.get(id(obj))
    if hit is None:
        hit = kept(memo, id(obj), limit, lambda: (obj, make()))
    return hit[1]
