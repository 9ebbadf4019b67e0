"""Characters asked of a regex engine once: every character there is, the basic plane, and
the characters a class matches ignoring case (what a fast path's first-character test must
let through to find all the matches a pattern finds)."""

from __future__ import annotations

import array
import re
import sys
from functools import cache

__all__ = ["any_case", "basic_plane", "every_character"]


@cache
def every_character() -> str:
    """Every code point but the surrogates, in order."""
    codes = array.array("I", range(0xD800))
    codes.extend(range(0xE000, 0x110000))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


@cache
def basic_plane() -> str:
    """The characters of the basic plane (U+0000–U+FFFF), the surrogates left out."""
    return every_character()[:0x10000 - 0x800]


@cache
def any_case(letters: str, engine=re) -> frozenset[str]:
    """The characters of the basic plane `(?i:[LETTERS])` matches, read by ENGINE (`re` or
    `regex`: they fold case apart on a few characters)."""
    if not letters:
        return frozenset()
    return frozenset(engine.findall(f"(?i:[{engine.escape(letters)}])", basic_plane()))
