"""Typed records passed between the stages.

Every record is a frozen dataclass. Field names of the extracted facts are the column
names of ../shared/CONTRACT.md, so `write` turns them into rows without renaming.
Offsets (`char_start`, `char_end`) index `CleanDoc.text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

# --- ingest -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineLayout:
    """What a paged format tells about one line beyond its text (used by segment)."""

    text: str
    page: int
    x0: float = 0.0
    bold: bool = False
    centered: bool = False


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input file as read: text (or the reason there is none)."""

    doc_id: str
    source_path: str
    source_format: str
    status: str  # ok, error, empty, unsupported
    text: str = ""
    error: str | None = None
    n_pages: int | None = None
    ocr_used: bool = False
    ocr_confidence: float | None = None  # Tesseract's mean word confidence, 0-100
    encoding: str | None = None
    layout: tuple[LineLayout, ...] = ()


# --- clean ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanDoc:
    """The cleaned text that all offsets refer to, with a map back to the raw text.

    `raw_offsets[i]` is the index in `RawDoc.text` of the character `text[i]` came from
    (characters inserted by cleaning map to the raw character they stand next to). An
    `array` of machine ints as `clean` makes it; any sequence of ints will do.
    """

    doc_id: str
    text: str
    raw_offsets: Sequence[int] = ()


# --- segment ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    doc_id: str
    section_id: str
    parent_section_id: str | None
    path: str
    level: int
    marker: str
    marker_type: str  # roman, arabic, arabic_dotted, letter, bullet, part
    heading: str
    kind: str
    char_start: int  # the whole section, heading included
    char_end: int
    heading_end: int  # end of the heading line (the body, if any, starts after it)


@dataclass(frozen=True, slots=True)
class Segmented:
    """The document split into front matter, the section tree and the closing block."""

    doc: CleanDoc
    sections: tuple[Section, ...]
    body_start: int  # where the first section starts (end of the front matter)
    body_end: int  # where Nơi nhận / the signature starts (len(text) if none)


# --- extract ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanInfo:
    doc_id: str
    doc_kind: str
    issuer: str
    issuer_level: str
    title: str
    number: str | None = None
    symbol: str | None = None
    doc_ref: str | None = None
    locality: str | None = None
    province: str | None = None
    province_code: int | None = None
    locality_code: int | None = None
    place: str | None = None
    issue_date: dt.date | None = None
    issue_date_raw: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    horizon_year: int | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signing_mode: str | None = None
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    doc_id: str
    ref_id: str
    ref_kind: str
    role: str  # implements, legal_basis, mentions
    char_start: int
    char_end: int
    number: str | None = None
    symbol: str | None = None
    doc_ref: str | None = None
    ref_date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    doc_id: str
    task_id: str
    section_id: str
    path: str
    text: str
    theme: str
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Assignment:
    doc_id: str
    task_id: str | None
    path: str | None
    scope: str  # task, section, plan
    agency: str
    agency_raw: str
    role: str  # lead, coordinate, requested, standing
    generic: bool
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Deadline:
    doc_id: str
    task_id: str | None
    kind: str  # date, recurring, period, event
    raw: str
    char_start: int
    char_end: int
    due_date: dt.date | None = None
    recurrence: str | None = None
    year_start: int | None = None
    year_end: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    doc_id: str
    task_id: str | None
    subject: str
    comparator: str  # eq, gt, ge, lt, le
    value: float
    unit: str
    raw: str
    char_start: int
    char_end: int
    year: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    doc_id: str
    severity: str  # error, warning, info
    code: str
    message: str
    path: str | None = None
    task_id: str | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True, slots=True)
class Extracted:
    """Everything found in one document."""

    plan: PlanInfo
    references: tuple[Reference, ...] = ()
    tasks: tuple[Task, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    targets: tuple[Target, ...] = ()


# --- link / compare ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanLink:
    child_doc_id: str
    parent_ref: str
    resolved: bool
    method: str  # doc_ref+issuer, doc_ref+date, number+date+issuer, title, ambiguous, none
    parent_issuer: str | None = None
    parent_date: dt.date | None = None
    parent_doc_id: str | None = None
    candidates: tuple[str, ...] = ()  # the plans that fit when the link is ambiguous


@dataclass(frozen=True, slots=True)
class Coverage:
    child_doc_id: str
    mandate_id: str
    mandate_text: str
    theme: str
    status: str  # covered, partial, missing
    score: float
    method: str
    parent_doc_id: str | None = None
    child_task_ids: tuple[str, ...] = ()
    mandate_group: str | None = None  # the task group the mandate belongs to (report matrix)
    matched_terms: tuple[str, ...] = ()  # the words shared with the best child task
    mandate_path: str | None = None  # the mandate's path in its parent (or catalogue item id)


# --- one document through the stages ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocResult:
    """What the per-document stages produce for one input file."""

    raw: RawDoc
    clean: CleanDoc | None = None
    segmented: Segmented | None = None
    extracted: Extracted | None = None
    flags: tuple[Flag, ...] = field(default_factory=tuple)
