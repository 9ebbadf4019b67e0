"""Ingest stage: one input file to a RawDoc (text, or the reason there is none).

Never raises on bad input: a corrupt, empty, mis-encoded or unsupported file becomes a
RawDoc whose `status` and one-line `error` say what happened.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .records import RawDoc

TEXT_FORMATS = {"txt", "md"}
SUPPORTED_FORMATS = TEXT_FORMATS | {"pdf", "docx", "html", "htm"}


def doc_id_of(data: bytes) -> str:
    """First 16 hex digits of the sha256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file to str and the encoding used."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258"), "cp1258"


def ingest(path: str | Path, *, source_path: str | None = None) -> RawDoc:
    """Read one file. `source_path` is the path as the user gave it (defaults to PATH)."""
    path = Path(path)
    shown = source_path if source_path is not None else str(path)
    fmt = path.suffix.lower().lstrip(".") or "none"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawDoc(doc_id=doc_id_of(shown.encode()), source_path=shown, source_format=fmt,
                      status="error", error=f"cannot read file: {exc.strerror or exc}")
    doc_id = doc_id_of(data)
    base = {"doc_id": doc_id, "source_path": shown, "source_format": fmt}
    if fmt not in SUPPORTED_FORMATS:
        return RawDoc(**base, status="unsupported", error=f"unsupported format .{fmt}")
    if not data.strip():
        return RawDoc(**base, status="empty", error="file is empty")
    try:
        text, enc = decode_text(data)
    except Exception as exc:  # one bad file must not stop a batch
        return RawDoc(**base, status="error", error=f"{type(exc).__name__}: {exc}".splitlines()[0])
    if not text.strip():
        return RawDoc(**base, status="empty", error="no text in file", encoding=enc)
    return RawDoc(**base, status="ok", text=text, encoding=enc)
