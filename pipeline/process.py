"""One document through the per-document stages: ingest → clean → segment → extract."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .clean import clean
from .docflags import result_flags
from .extract import extract
from .ingest import ingest
from .language import not_plan_text
from .records import DocResult, RawDoc
from .rules import Rules
from .segment import segment
from .write import Rows, Values, columns_of, extracted_values


def process_raw(raw: RawDoc, *, rules: Rules) -> DocResult:
    """Run the text stages on an ingested document; a failure becomes an error row."""
    return _stages(raw, rules)[0]


def parse_raw(raw: RawDoc, *, rules: Rules) -> tuple[DocResult, Rows]:
    """`process_raw`, and the rows it gives the tables, columnar (what a worker sends the
    runner): read off the records once, for the document's flags and its rows alike."""
    result, values = _stages(raw, rules)
    return result, columns_of(result, values)


def _stages(raw: RawDoc, rules: Rules) -> tuple[DocResult, dict[str, Values] | None]:
    """The result, and its `extracted_values` when the stages made them."""
    if raw.status != "ok":
        return DocResult(raw=raw), None
    try:
        doc = clean(raw, rules=rules)
        if not doc.text.strip():
            return DocResult(raw=_failed(raw, "empty", "no text left after cleaning")), None
        why = not_plan_text(doc.text, rules)
        if why is not None:  # read, but not a plan: nothing to extract, nothing invented
            from .flags import make_flag

            return DocResult(raw=raw, clean=doc,
                             flags=(make_flag(rules, "NOT_A_PLAN", raw.doc_id, why=why),)), None
        seg = segment(doc, rules=rules, layout=raw.layout)
        result = DocResult(raw=raw, clean=doc, segmented=seg, extracted=extract(seg, rules=rules))
        # the flags of this document alone, found here once (never again over the store)
        values = extracted_values(result)
        return dataclasses.replace(result, flags=result_flags(result, rules, values)), values
    except MemoryError:  # the worker's memory limit: the runner names it
        raise
    except Exception as exc:  # one bad file must never stop a batch
        return DocResult(raw=_failed(raw, "error", f"{type(exc).__name__}: {exc}")), None


def process_file(path: str | Path, *, rules: Rules, source_path: str | None = None) -> DocResult:
    return process_raw(ingest(path, source_path=source_path), rules=rules)


def parse_file(path: str | Path, *, rules: Rules, source_path: str | None = None) -> tuple[DocResult, Rows]:
    """`process_file` and its columnar rows (see `parse_raw`)."""
    return parse_raw(ingest(path, source_path=source_path), rules=rules)


def _failed(raw: RawDoc, status: str, error: str) -> RawDoc:
    return dataclasses.replace(raw, status=status, error=(error.splitlines() or [""])[0][:500], text="")
