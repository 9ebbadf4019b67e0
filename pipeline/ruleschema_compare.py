"""Schemas of the rule files of the cross-document stages: compare.yaml, flags.yaml and the
mandate catalogues under rules/mandates/ (see `pipeline.ruleschema`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .rule_types import Level, Regex, SectionKind, Severity, Strict, Weight, Words

# --- compare.yaml -----------------------------------------------------------------------


class Thresholds(Strict):
    covered: Annotated[float, Field(ge=0, le=1)]
    partial: Annotated[float, Field(ge=0, le=1)]
    also: Annotated[float, Field(ge=0, le=1)] | None = None


class LinkRules(Strict):
    title_prefixes: Words = []
    issuer_abbreviations: dict[str, str] = {}


class Calibration(BaseModel):
    # where the thresholds come from: free notes and figures, for a reader
    model_config = ConfigDict(extra="allow", frozen=True)
    set: str


Role = Literal["lead", "coordinate", "requested", "standing"]


class CompareFile(Strict):
    thresholds: Thresholds
    weights: dict[str, Weight] = {}
    calibration: Calibration | None = None
    field_labels: list[Regex] = []  # labelled lines stripped from a task before matching
    mandate_roles: list[Role] = []  # the roles that make a parent's task a body's mandate
    generic_other_level: Regex | None = None
    self_evident: list[Regex] = []  # mandates a plan meets by existing (`xây dựng kế hoạch`)
    actions: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], Words] = {}  # verb classes of duties
    light_words: Words = []
    nominalizers: Words = []
    head_nouns: Words = []
    synonyms: list[Words] = []
    abbreviations: dict[str, str] = {}
    stopwords: Words = []
    segmenter: Literal["syllables", "underthesea"] = "syllables"  # how task texts are cut into words
    level_agencies: dict[Level, list[Regex]] = {}
    level_mentions: dict[Level, list[Regex]] = {}
    link: LinkRules = LinkRules()
    no_mandate_reasons: dict[Literal["no_parent", "parent_not_in_store", "parent_none_for_level",
                                     "catalogue_none_for_level", "catalogue_not_for_level",
                                     "catalogue_source"], str] = {}


# --- flags.yaml -------------------------------------------------------------------------


class FlagSpec(Strict):
    severity: Severity
    vi: str
    en: str


class OutdatedLaw(Strict):
    pattern: Regex
    replaced_words: Words = []
    window: Annotated[int, Field(ge=0)] = 60


class FlagsFile(Strict):
    flags: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")], FlagSpec]
    letter_order: list[Words] = []
    outdated_law: OutdatedLaw | None = None
    reporting_schedule: list[Regex] = []
    reporting_rule: list[Regex] = []  # items that set the reporting rule: not tasks to lead


# --- mandates/*.yaml --------------------------------------------------------------------


class MandateTask(Strict):
    id: str
    text: str
    theme: str | None = None
    levels: list[Level] | None = None  # the issuer levels it applies to (default: the group's)
    agencies: Words = []  # the bodies the parent gave it to (`kehoach catalogue`)
    requires_section: SectionKind | None = None  # met by a child section of this kind
    source_path: str | None = None


class MandateGroup(Strict):
    id: str
    title: str
    tasks: list[MandateTask]
    levels: list[Level] | None = None  # default: every level
    source_path: str | None = None


class CatalogueSource(Strict):
    file: str = ""
    doc_ref: str | None = None
    issuer: str | None = None
    issue_date: str | None = None


class MandateCatalogue(Strict):
    id: str
    programme: str
    applies_to: list[Level] = []
    match: list[Regex] = []
    doc_refs: Words = []  # the parent's numbers: a child citing one is checked against it
    groups: list[MandateGroup]
    source: CatalogueSource | str | None = None
