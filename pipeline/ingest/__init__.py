"""Ingest stage: one input file to a RawDoc (text, or the reason there is none).

Never raises on bad input: a corrupt, empty, mis-encoded or unsupported file becomes a
RawDoc whose `status` and one-line `error` say what happened. One module per format:
`text` (.txt, .md), `pdf`, `word` (.docx), `web` (.html, .htm).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..records import RawDoc
from .base import IngestError, Reading
from .text import decode_text

__all__ = ["SUPPORTED_FORMATS", "IngestError", "Reading", "decode_text", "doc_id_of", "ingest",
           "source_format", "unsupported_reason"]


def _read_text(path: Path, data: bytes) -> Reading:
    from .text import read_text

    return read_text(data)


def _read_pdf(path: Path, data: bytes) -> Reading:
    from .pdf import read_pdf

    return read_pdf(path, data)


def _read_docx(path: Path, data: bytes) -> Reading:
    from .word import read_docx

    return read_docx(path, data)


def _read_html(path: Path, data: bytes) -> Reading:
    from .web import read_html

    return read_html(data)


# format readers are imported on first use: a text-only run never loads pdfium or lxml
READERS: dict[str, Callable[[Path, bytes], Reading]] = {
    "txt": _read_text, "md": _read_text, "pdf": _read_pdf, "docx": _read_docx,
    "html": _read_html, "htm": _read_html,
}
SUPPORTED_FORMATS = frozenset(READERS)
_HINTS = {"doc": " (old Word format: save it as .docx)", "rtf": " (save it as .docx)"}


def doc_id_of(data: bytes) -> str:
    """First 16 hex digits of the sha256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def source_format(path: str | Path) -> str:
    """The documents.source_format of a file: its suffix, lower case (`none` without one)."""
    return Path(path).suffix.lower().lstrip(".") or "none"


def unsupported_reason(fmt: str) -> str:
    return f"unsupported format .{fmt}{_HINTS.get(fmt, '')}"


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file; anything else (a FIFO, a device) is refused unopened."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(0, "not a regular file")
        return fh.read()


def one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def ingest(path: str | Path, *, source_path: str | None = None) -> RawDoc:
    """Read one file. `source_path` is the path as the user gave it (defaults to PATH)."""
    path = Path(path)
    shown = source_path if source_path is not None else str(path)
    fmt = source_format(path)
    try:
        data = _read_regular(path)
    except OSError as exc:
        return RawDoc(doc_id=doc_id_of(shown.encode()), source_path=shown, source_format=fmt,
                      status="error", error=one_line(f"cannot read file: {exc.strerror or exc}"))
    base = {"doc_id": doc_id_of(data), "source_path": shown, "source_format": fmt}
    if fmt not in READERS:
        return RawDoc(**base, status="unsupported", error=unsupported_reason(fmt))
    if not data.strip():
        return RawDoc(**base, status="empty", error="file is empty")
    try:
        got = READERS[fmt](path, data)
    except IngestError as exc:
        return RawDoc(**base, status="error", error=one_line(str(exc)), n_pages=exc.n_pages)
    except MemoryError:  # the worker's memory limit: the runner names it
        raise
    except Exception as exc:  # one bad file must not stop a batch
        error = one_line(f"cannot read .{fmt}: {type(exc).__name__}: {exc}")
        return RawDoc(**base, status="error", error=error)
    fields = {"n_pages": got.n_pages, "ocr_used": got.ocr_used, "ocr_confidence": got.ocr_confidence,
              "encoding": got.encoding}
    if not got.text.strip():
        return RawDoc(**base, **fields, status="empty", error="no text in file")
    return RawDoc(**base, **fields, status="ok", text=got.text, layout=got.layout)
