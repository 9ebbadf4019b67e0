"""What a format reader hands back to `ingest`."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import LineLayout


class IngestError(Exception):
    """A file that cannot be read, with a one-line reason fit for the documents table.

    n_pages: the pages counted before it failed (a scan that OCR could not read).
    """

    def __init__(self, message: str, *, n_pages: int | None = None) -> None:
        super().__init__(message)
        self.n_pages = n_pages


@dataclass
class Reading:
    text: str
    n_pages: int | None = None
    ocr_used: bool = False
    ocr_confidence: float | None = None
    encoding: str | None = None
    layout: tuple[LineLayout, ...] = ()
