"""The schema of every rule file under rules/: what keys it may have and what their values are.

One pydantic model per file (by file stem). A model forbids keys it does not know, checks
enumerated values (levels, severities, kinds) and compiles every regular expression when
the file loads, so a broken rule stops `kehoach run` before any document is read, with the
file, the key and what is wrong:

>>> problems_in("flags", {"flags": {"X": {"severity": "fatal", "vi": "", "en": ""}}}, "rules/flags.yaml")
["rules/flags.yaml: flags.X.severity: Input should be 'error', 'warning' or 'info' (got 'fatal')"]

The models say what the stages read; the stages keep reading the plain YAML data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from .rule_types import (
    Comparator,
    DocKind,
    IssuerLevel,
    Level,
    Recurrence,
    RefKind,
    Regex,
    SectionKind,
    Strict,
    Weight,
    Words,
)
from .ruleschema_compare import CompareFile, FlagsFile, MandateCatalogue

__all__ = ["SCHEMAS", "MandateCatalogue", "problems_in"]

# --- agencies.yaml ----------------------------------------------------------------------


class Agency(Strict):
    name: str
    level: Level
    aliases: Words = []


class GenericBodies(Strict):
    compounds: Words = []
    heads: Words = []
    weak: Words = []
    qualifiers: Words = []


class AgenciesFile(Strict):
    agencies: list[Agency]
    abbreviations: dict[str, str] = {}
    levels: Words = []
    generic: GenericBodies = GenericBodies()
    vague_actors: Words = []
    drop_suffixes: Words = []
    plural_words: Words = []
    heads: Words = []
    request_words: Words = []
    order_words: Words = []
    roles: dict[str, Words] = {}


# --- clean.yaml -------------------------------------------------------------------------


class CleanFile(Strict):
    web_chrome: list[Regex]
    running_headers: list[Regex] = []
    metadata_labels: Words = []
    page_numbers: list[Regex] = []
    decoration: Regex | None = None
    join_after_words: Words = []
    join_after_soft_words: Words = []
    join_before_number: Words = []
    date_line_words: Words = []


# --- deadlines.yaml ---------------------------------------------------------------------


class RecurrenceRule(Strict):
    match: Regex
    recurrence: Recurrence


class TimeValues(Strict):
    """A time written as a value, after a label or in a table's time column."""

    label: Regex
    none: Regex | None = None  # `Thường xuyên`, `khi có phát sinh`: no row
    words: dict[Literal["month", "quarter", "year", "from", "to", "day", "period", "open_tail"], Regex] = {}


class DeadlinesFile(Strict):
    recurrences: list[RecurrenceRule]
    patterns: dict[str, Regex] = {}
    descriptive: Words = []
    descriptive_after: Words = []
    window: Regex | None = None
    time_values: TimeValues | None = None
    untimed_section_kinds: list[SectionKind] = []  # a year there is a target's, not a deadline


# --- frontmatter.yaml -------------------------------------------------------------------


class KindWords(Strict):
    words: Words
    symbols: Words = []


class IssuerBody(Strict):
    aliases: Words = []
    level: IssuerLevel


class Labels(Strict):
    number: Words = []
    recipients: Words = []
    signer: Words = []
    issuer: Words = []


class AttachedPlan(Strict):
    wrappers: list[DocKind] = []  # a decision that issues ...
    attached: list[DocKind] = []  # ... the plan attached after its signature


class FrontmatterFile(Strict):
    doc_kinds: dict[DocKind, KindWords]
    attached_plan: AttachedPlan = AttachedPlan()
    title_cited_kinds: Words = []
    signing_modes: Words = []
    signer_titles: Words = []
    issuer_patterns: dict[IssuerLevel, Words] = {}
    national_header: Words = []
    labels: Labels = Labels()
    issuer_bodies: dict[str, IssuerBody] = {}
    place_levels: dict[str, IssuerLevel] = {}
    author_verbs: Words = []
    author_heads: Words = []
    preamble_openers: Words = []
    authority_lines: Words = []
    page_chrome: Words = []
    coverage_words: Words = []


# --- headings.yaml ----------------------------------------------------------------------


class SectionKindRule(Strict):
    kind: SectionKind
    words: Words
    child_words: Words = []


FieldKind = Literal["head", "lead", "coordinate", "any", "time", "content", "result", "budget"]


class MarkerWords(Strict):
    part_words: Words = []  # `Phần thứ hai`
    ordinal_words: Words = []
    appendix_words: Words = []  # `PHỤ LỤC`
    number_words: Words = []  # `Phụ lục số 2`
    article_words: Words = []  # `Điều 1`, `Chương II`


class HeadingsFile(Strict):
    section_kinds: list[SectionKindRule]
    default_kind: SectionKind = "other"
    # labelled lines after an item (`- Đơn vị chủ trì: ...`): fields of the item, by kind
    labelled_fields: dict[FieldKind, list[Regex]] = {}
    markers: MarkerWords = MarkerWords()
    sentence_openers: Words = []
    appendix_kind: SectionKind = "tasks"
    # a section with no kind words is `tasks` when this share of its items opens with one
    action_verbs: Words = []
    action_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    closing_markers: list[Regex] = []
    closing_paragraph: list[Regex] = []
    attached_titles: Words = []
    parts: Words = []
    bullet_chars: dict[str, Words] = {}


# --- references.yaml --------------------------------------------------------------------


class Titled(Strict):
    kind: RefKind
    needs_period: bool


class RefRoles(Strict):
    implements: Words = []
    legal_basis: Words = []
    mentions: Words = []
    approves: Words = []
    programme_words: Words = []
    basis_cues: Words = []
    mention_cues: Words = []
    norm_kinds: list[RefKind] = []
    not_parents: KindWords | None = None  # dispatches and notices: never a plan's parent
    negations: Words = []  # `chưa ban hành` approves nothing
    amends: Words = []  # `sửa đổi, bổ sung ... Thông tư số X`: X is basis too
    carried_out_as_basis: list[RefKind] = []  # `Thực hiện Thông tư ...`: basis, not a parent
    instruments: list[RefKind] = []  # beside a parent the title names, carried out = basis
    topic_lead: Words = []  # words before a programme's topic
    topic_ends: Words = []  # words that end it (place, period)
    topic_tail: Words = []  # words it does not end on
    programme_title_match: Annotated[float, Field(ge=0, le=1)] = 0.5
    alias_share: Annotated[float, Field(ge=0, le=1)] = 0.7  # a titled programme = an approved one
    alias_min_pairs: Annotated[int, Field(ge=1)] = 3


class ReferencesFile(Strict):
    ref_kinds: dict[RefKind, KindWords]
    amendment_cues: Words = []
    own_committees: dict[str, str] = {}  # `UBND tỉnh` → the province's `Tỉnh ủy`
    issuer_heads: Words = []
    roles: RefRoles = RefRoles()
    vague: Words = []
    titled: dict[str, Titled] = {}
    title_stop: Words = []
    comma_joins: Words = []
    issuer_stop: Words = []
    issuer_terms: Words = []  # `khóa XX` after a body: its term, not its name
    short_name_words: Words = []


# --- targets.yaml -----------------------------------------------------------------------


class Comparators(Strict):
    before: dict[str, Comparator] = {}
    after: dict[str, Comparator] = {}
    links: Words = []
    need_after: Words = []


class NotTargets(Strict):
    units: Words = []
    before: Words = []
    after: Words = []
    grade_before: Words = []


class Units(Strict):
    words: Words = []
    percent: Words = []


class TargetsFile(Strict):
    comparators: Comparators
    fact_section_kinds: list[SectionKind] = []  # reports of facts, not commitments
    not_targets: NotTargets = NotTargets()
    units: Units = Units()
    lead_words: Words = []
    year: Regex | None = None
    baseline_before: Words = []
    frequency: Words = []


# --- ocr.yaml ---------------------------------------------------------------------------


class OcrFile(Strict):
    heading_words: Words = []
    symbols: Words = []


# --- language.yaml (pipeline.language: NOT_A_PLAN) -------------------------------------


class LanguageFile(Strict):
    common_words: Words
    min_share: Annotated[float, Field(ge=0, le=1)] = 0.05
    min_words: Annotated[int, Field(ge=0)] = 3


# --- tables.yaml ------------------------------------------------------------------------

ColumnKind = Literal["index", "content", "target", "lead", "coordinate", "deadline", "result", "budget",
                     "note"]


class TablesFile(Strict):
    columns: dict[ColumnKind, Words]
    header_rows: Annotated[int, Field(ge=1)] = 3
    header_min_kinds: Annotated[int, Field(ge=1)] = 2
    header_share: Annotated[float, Field(ge=0, le=1)] = 0.6
    task_columns: list[ColumnKind] = []
    deadline_label: str = ""
    year_word: str = ""
    window_join: Regex | None = None
    group_index: Regex | None = None
    row_index: Regex | None = None
    ditto: Words = []


# --- themes.yaml ------------------------------------------------------------------------


class ThemesFile(Strict):
    # theme -> phrases, each a plain phrase (weight 1) or {phrase: weight}
    themes: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], list[str | dict[str, Weight]]]
    default: str = "other"
    section_weight: Weight = 1.0
    lead_weight: Weight = 1.0


SCHEMAS: dict[str, type[Strict]] = {
    "agencies": AgenciesFile,
    "clean": CleanFile,
    "compare": CompareFile,
    "deadlines": DeadlinesFile,
    "flags": FlagsFile,
    "frontmatter": FrontmatterFile,
    "headings": HeadingsFile,
    "language": LanguageFile,
    "ocr": OcrFile,
    "references": ReferencesFile,
    "tables": TablesFile,
    "targets": TargetsFile,
    "themes": ThemesFile,
}


def problems_in(stem: str, data: Any, path: object, schema: type[Strict] | None = None) -> list[str]:
    """What is wrong with the data of one rule file, one line per problem (empty when fine)."""
    schema = schema or SCHEMAS.get(stem)
    if schema is None:
        known = ", ".join(sorted(SCHEMAS))
        return [f"{path}: unknown rule file {stem!r} (known: {known})"]
    if not isinstance(data, dict):
        return [f"{path}: expected a mapping at the top, got {type(data).__name__}"]
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        return [_describe(path, err) for err in exc.errors()]
    return []


def _describe(path: object, err: dict) -> str:
    where = ".".join(str(x) for x in err["loc"]) or "(top)"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "missing key"
    elif err["type"] != "value_error" and "input" in err and not isinstance(err["input"], dict | list):
        msg += f" (got {err['input']!r})"
    return f"{path}: {where}: {msg}"
