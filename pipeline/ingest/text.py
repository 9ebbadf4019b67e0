"""Plain text files (.txt, .md): bytes to Unicode, whatever the encoding."""

from __future__ import annotations

import unicodedata

from ..encodings import decode_legacy_bytes, fix_legacy
from .base import IngestError, Reading

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no BOM shows as a NUL in every other byte (most text is ASCII)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file to NFC text and a name for how they were read.

    UTF-8 (with or without BOM) and UTF-16 are read as they say; bytes that are not UTF-8
    are Windows-1258, TCVN3 or VNI, whichever reads as Vietnamese. Text typed in a legacy
    font but saved as UTF-8 is converted too; the name then says both (`utf-8+tcvn3`).
    """
    enc = next((e for bom, e in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if enc is None:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = decode_legacy_bytes(data)
            return text, enc
    else:
        text = data.decode(enc, errors="replace")
    text, legacy = fix_legacy(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text, f"{enc}+{legacy}" if legacy else enc


def read_text(data: bytes) -> Reading:
    if _utf16_without_bom(data) is None and not data.startswith(tuple(b for b, _ in _BOMS)) \
            and b"\x00" in data[:8192]:
        raise IngestError("not a text file: binary data")
    text, enc = decode_text(data)
    return Reading(text=text, encoding=enc)
