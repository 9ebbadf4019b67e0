"""The flags of one document alone, computed where the document is read (the worker).

Front matter, numbering, tasks without a lead, unknown bodies, no reporting schedule and
outdated laws depend on nothing but the document's own rows and text, so they are found
once, when the document is parsed, and travel with its rows (`flags` table). The stages that
look across documents then never read `clean_text` of the store again (issue 11).

    flags = result_flags(result, rules)   # a DocResult fresh from the per-document stages
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .doc_checks import (
    front_matter_flags,
    no_reporting_schedule,
    numbering_gaps,
    outdated_laws,
    tasks_without_lead,
    unknown_agencies,
)
from .flagcodes import severity_rank
from .records import DocResult, Flag
from .rules import Rules
from .write import Values, extracted_values, row_dicts

__all__ = ["DOC_CODES", "document_flags", "result_flags"]

# the codes found here; every other code of rules/flags.yaml is the cross-document stages'
DOC_CODES = frozenset({
    "NUMBERING_GAP", "BLANK_DOC_NUMBER", "BLANK_ISSUE_DATE", "TASK_WITHOUT_LEAD",
    "NO_REPORTING_SCHEDULE", "UNKNOWN_AGENCY", "OUTDATED_LEGAL_BASIS",
})


def document_flags(plan: dict, tasks: Sequence[dict], sections: Sequence[dict], assignments: Sequence[dict],
                   deadlines: Sequence[dict], text: str, rules: Rules) -> list[Flag]:
    """Every per-document flag of one plan, the most severe first (as `find_flags` orders them)."""
    out: list[Flag] = []
    out += front_matter_flags(plan, text, rules)
    out += numbering_gaps(sections, rules)
    out += tasks_without_lead(tasks, assignments, rules, sections)
    out += unknown_agencies(assignments, rules)
    out += no_reporting_schedule(plan, tasks, sections, deadlines, text, rules)
    out += outdated_laws(plan, text, rules)
    rank = severity_rank(rules)
    out.sort(key=lambda f: (rank(f.severity, f.code), f.char_start if f.char_start is not None else 1 << 60))
    return out


def result_flags(result: DocResult, rules: Rules,
                 values: Mapping[str, Values] | None = None) -> tuple[Flag, ...]:
    """The per-document flags of a parsed plan (none when nothing was extracted). VALUES: the
    result's `extracted_values` when the caller has them (the worker makes them once, for its
    rows too)."""
    if result.extracted is None:
        return ()
    if values is None:
        values = extracted_values(result)

    def rows(table: str) -> list[dict]:
        return row_dicts(values[table]) if table in values else []

    (plan,) = rows("plans")
    return tuple(document_flags(plan, rows("tasks"), rows("sections"), rows("assignments"),
                                rows("deadlines"), result.clean.text if result.clean else "", rules))
