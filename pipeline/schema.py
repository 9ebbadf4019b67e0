"""The output tables of ../shared/CONTRACT.md, declared once as data.

Arrow schemas are built from these declarations, never inferred from the rows, so a
column that is missing, misspelt or of the wrong type fails when written.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import pyarrow as pa

SCHEMA_VERSION = "1"

try:
    PIPELINE_VERSION = version("kehoach")
except PackageNotFoundError:  # running from a checkout that was not installed
    PIPELINE_VERSION = "0.0.0+local"

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "list<string>": pa.list_(pa.string()),
}

# column -> (type, nullable)
_S, _S0 = ("string", False), ("string", True)
_I64 = ("int64", False)
_SPAN = {"char_start": _I64, "char_end": _I64}

TABLES: dict[str, dict[str, tuple[str, bool]]] = {
    "documents": {
        "doc_id": _S, "source_path": _S, "source_format": _S, "status": _S, "error": _S0,
        "n_chars": _I64, "n_pages": ("int32", True), "ocr_used": ("bool", False),
        "ocr_confidence": ("float64", True),
        "clean_text": _S, "pipeline_version": _S, "schema_version": _S,
        # added column (contract allows): the first path with the same bytes, null for that
        # one; rows with the same doc_id share one parse (the other tables hold it once)
        "duplicate_of": _S0,
    },
    "plans": {
        "doc_id": _S, "doc_kind": _S, "number": _S0, "symbol": _S0, "doc_ref": _S0,
        "issuer": _S, "issuer_level": _S, "locality": _S0, "province": _S0,
        "province_code": ("int32", True), "locality_code": ("int32", True), "place": _S0,
        "issue_date": ("date", True), "issue_date_raw": _S0, "title": _S0,
        "period_start": ("int32", True), "period_end": ("int32", True),
        "horizon_year": ("int32", True), "signer_name": _S0, "signer_title": _S0,
        "signing_mode": _S0, "recipients": ("list<string>", False),
    },
    "references": {
        "doc_id": _S, "ref_id": _S, "ref_kind": _S, "number": _S0, "symbol": _S0,
        "doc_ref": _S0, "ref_date": ("date", True), "issuer": _S0, "title": _S0, "role": _S,
        **_SPAN,
    },
    "plan_links": {
        "child_doc_id": _S, "parent_ref": _S, "parent_issuer": _S0,
        "parent_date": ("date", True), "parent_doc_id": _S0, "resolved": ("bool", False),
        "method": _S,
    },
    "sections": {
        "doc_id": _S, "section_id": _S, "parent_section_id": _S0, "path": _S,
        "level": ("int32", False), "marker": _S, "marker_type": _S, "heading": _S, "kind": _S,
        **_SPAN,
    },
    "tasks": {
        "doc_id": _S, "task_id": _S, "section_id": _S, "path": _S, "text": _S, "theme": _S,
        **_SPAN,
    },
    "assignments": {
        "doc_id": _S, "task_id": _S0, "path": _S0, "scope": _S, "agency": _S,
        "agency_raw": _S, "role": _S, "generic": ("bool", False), **_SPAN,
    },
    "deadlines": {
        "doc_id": _S, "task_id": _S0, "path": _S0, "kind": _S, "due_date": ("date", True),
        "recurrence": _S0, "year_start": ("int32", True), "year_end": ("int32", True),
        "raw": _S, **_SPAN,
    },
    "targets": {
        "doc_id": _S, "task_id": _S0, "path": _S0, "subject": _S, "comparator": _S,
        "value": ("float64", False), "unit": _S, "year": ("int32", True), "raw": _S, **_SPAN,
    },
    "coverage": {
        "child_doc_id": _S, "parent_doc_id": _S0, "mandate_id": _S, "mandate_text": _S,
        "theme": _S, "status": _S, "child_task_ids": ("list<string>", False),
        "score": ("float64", False), "method": _S,
        # added columns (contract allows): the mandate's task group, the words that matched
        "mandate_group": _S0, "matched_terms": ("list<string>", False), "mandate_path": _S0,
    },
    # share of each child plan's task text that is its own, not copied from its parent / catalogue
    "localization": {
        "doc_id": _S, "scope": _S, "task_id": _S0, "path": _S0, "source": _S, "source_doc_id": _S0,
        "n_words": _I64, "copied_words": _I64, "own_share": ("float64", False),
        "longest_copied": _I64,
    },
    # tasks added, dropped, kept, changed between a plan and its predecessor (same issuer, subject)
    "plan_changes": {
        "doc_id": _S, "prev_doc_id": _S, "change": _S, "task_id": _S0, "path": _S0,
        "prev_task_id": _S0, "prev_path": _S0, "text": _S, "score": ("float64", False),
    },
    "flags": {
        "doc_id": _S, "severity": _S, "code": _S, "message": _S, "path": _S0, "task_id": _S0,
        "char_start": ("int64", True), "char_end": ("int64", True),
    },
}

TABLE_NAMES = tuple(TABLES)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a contract table, versions in its metadata."""
    try:
        columns = TABLES[table]
    except KeyError:
        raise ValueError(f"unknown table {table!r}; known: {', '.join(TABLES)}") from None
    fields = [pa.field(name, ARROW_TYPES[kind], nullable=nullable)
              for name, (kind, nullable) in columns.items()]
    return pa.schema(fields, metadata={"schema_version": SCHEMA_VERSION,
                                       "pipeline_version": PIPELINE_VERSION})
