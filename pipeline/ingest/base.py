"""What a format reader hands back to `ingest`."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import LineLayout


class IngestError(Exception):
    """A file that cannot be read, with a one-line reason fit for the documents table."""


@dataclass
class Reading:
    text: str
    n_pages: int | None = None
    ocr_used: bool = False
    ocr_confidence: float | None = None
    encoding: str | None = None
    layout: tuple[LineLayout, ...] = ()
