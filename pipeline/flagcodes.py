"""Flag records: their codes, how one is made from rules/flags.yaml, and how they are ordered.

Shared by the per-document checks (`doc_checks.py`, run by the worker) and the cross-document
ones (`flags.py`), so neither imports the other.
"""

from __future__ import annotations

from typing import Any

from .records import Flag
from .rules import Rules

__all__ = ["CODES", "CROSS_CODES", "SEVERITY_ORDER", "make_flag", "severity_rank"]

# The codes of kehoach's own checks (rules/flags.yaml may name more).
CODES = frozenset({
    "MISSING_MANDATED_TASK", "PARTIAL_MANDATED_TASK", "MISSING_TASK_GROUP", "TASK_WITHOUT_LEAD",
    "NUMBERING_GAP", "BLANK_DOC_NUMBER", "BLANK_ISSUE_DATE", "PARENT_NOT_FOUND",
    "NO_REPORTING_SCHEDULE", "UNKNOWN_AGENCY", "OUTDATED_LEGAL_BASIS",
})
# Of those, the codes that need other plans (links, coverage); the others are one document's
# and are found by the worker (pipeline/docflags.py), once, when the document is parsed.
CROSS_CODES = frozenset({"MISSING_MANDATED_TASK", "PARTIAL_MANDATED_TASK", "MISSING_TASK_GROUP",
                         "PARENT_NOT_FOUND"})
LEAD_ROLES = {"lead", "requested"}
AREA_SCORE = 2.0  # theme score of a led task's text that names an area (one strong phrase)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make_flag(rules: Rules, code: str, doc_id: str, *, path: str | None = None,
              task_id: str | None = None, span: tuple[int, int] | None = None, **fields: Any) -> Flag:
    spec = rules["flags"]["flags"][code]
    fields = {"path": path or "", **fields}
    message = str(spec["vi"]).format_map(_Blank({k: "" if v is None else v for k, v in fields.items()}))
    return Flag(doc_id=doc_id, severity=spec["severity"], code=code, message=message, path=path,
                task_id=task_id, char_start=span[0] if span else None,
                char_end=span[1] if span else None)


SEVERITY_ORDER = ("error", "warning", "info")


def severity_rank(rules: Rules):
    """Sort key of a flag within its plan: severity first, then the order of the codes in
    rules/flags.yaml (written most important first); codes of other stages after known ones."""
    codes = {c: i for i, c in enumerate(rules["flags"].get("flags") or {})}

    def rank(severity: str, code: str) -> tuple[int, int]:
        sev = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
        return sev, codes.get(code, len(codes))
    return rank
