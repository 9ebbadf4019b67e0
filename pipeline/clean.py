"""Clean stage: raw text to the NFC text all offsets refer to."""

from __future__ import annotations

import unicodedata

from .records import CleanDoc, RawDoc
from .rules import Rules


def clean_text(text: str, *, rules: Rules | None = None) -> tuple[str, tuple[int, ...]]:
    """Cleaned text and, for each of its characters, the raw index it came from."""
    out = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return out, tuple(range(len(out)))


def clean(raw: RawDoc, *, rules: Rules) -> CleanDoc:
    text, offsets = clean_text(raw.text, rules=rules)
    return CleanDoc(doc_id=raw.doc_id, text=text, raw_offsets=offsets)
