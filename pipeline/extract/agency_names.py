"""Agencies, names: a body's name rendered from its tokens, and tidied to its canonical form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .agency_tokens import DASHES
from .wordseg import retone

__all__ = ["render", "tidy_name"]


def render(words: Sequence[str]) -> str:
    """The name WORDS (tokens as rendered) spell: words spaced, closing punctuation attached,
    dashes as `-`."""
    out = ""
    for w in words:
        if w in DASHES:
            w = "-"
        if not out:
            out = w
        elif w in (",", ";", ".", ":", ")"):
            out += w
        elif out.endswith("("):
            out += w
        else:
            out += " " + w
    return out


_LIEN_QUAN = re.compile(r"\bcó liên quan\b")


_DASH = re.compile(r"\s*[‐-―−–—-]\s*")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def tidy_name(name: str) -> str:
    name = retone(name)
    name = _DASH.sub(" - ", name)
    name = _SPACES.sub(" ", name).strip(" ,;:.")
    name = _LIEN_QUAN.sub("liên quan", name)
    return name[:1].upper() + name[1:]
