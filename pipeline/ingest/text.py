"""Plain text files (.txt, .md): bytes to Unicode, whatever the encoding."""

from __future__ import annotations

import unicodedata

from ..encodings import decode_legacy_bytes, fix_legacy
from .base import IngestError, Reading

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no BOM: NULs on one side of the byte pairs only (spaces, digits, ASCII
    letters), and a sample that decodes to text, not to control characters.

    Vietnamese has many letters beyond Latin-1 (U+1Exx), so the NULs can be fewer than
    half: a tenth of the pairs is enough when the other side has none.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for enc, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls > 0.1 * half and other < 0.02 * half:
            text = sample.decode(enc, errors="replace")
            printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
            if printable > 0.95 * len(text):
                return enc
    return None


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few bad bytes (a stray byte, a cut last character, a cp1252 quote):
    the text with U+FFFD for them, and how many. None when the bytes are another encoding,
    where nearly every byte above 0x7F is invalid UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for c in text if c > "\x7f") - bad - data.count(b"\xef\xbf\xbd")
    if good > 0 and bad <= max(1, good // 20):
        return text, bad
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file to NFC text and a name for how they were read.

    UTF-8 (with or without BOM) and UTF-16 are read as they say; UTF-8 with a few bad bytes
    stays UTF-8 (U+FFFD for each, counted in the name); bytes that are not UTF-8 are
    Windows-1258, TCVN3 or VNI, whichever reads as Vietnamese. Text typed in a legacy
    font but saved as UTF-8 is converted too; the name then says both (`utf-8+tcvn3`).
    """
    enc = next((e for bom, e in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if enc is None:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            mostly = _mostly_utf8(data)
            if mostly is None:
                return decode_legacy_bytes(data)
            text, bad = mostly
            enc = f"utf-8 ({bad} bad byte{'s' if bad > 1 else ''} replaced)"
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
