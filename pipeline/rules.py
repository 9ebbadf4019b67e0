"""Loading the language and domain rules kept as YAML under rules/.

    rules = load_rules()            # the rules/ folder shipped with the package
    rules = Rules.resolve(path)     # at the CLI boundary: None, a folder, or Rules

Each file is checked on load against the top-level keys it must and may have; every
problem found is gathered into one ValueError naming the file and the key. Stages turn
the plain data into compiled matchers once per Rules object through `Rules.compiled`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
if not DEFAULT_RULES_DIR.is_dir():  # installed without the checkout: rules ship in the package
    DEFAULT_RULES_DIR = Path(__file__).resolve().parent / "rules"

# file stem -> (required top-level keys, optional top-level keys)
FILE_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "clean": ({"web_chrome"}, {"running_headers", "metadata_labels", "page_numbers", "decoration",
                               "join_after_words", "join_after_soft_words", "join_before_number"}),
    "headings": ({"section_kinds"}, {"default_kind", "assignment_block", "closing_markers",
                                     "closing_paragraph", "parts", "bullet_chars",
                                     "attached_titles"}),
    "frontmatter": ({"doc_kinds"}, {"signing_modes", "signer_titles", "issuer_patterns",
                                    "national_header", "labels", "issuer_bodies", "place_levels",
                                    "author_verbs", "author_heads", "preamble_openers",
                                    "authority_lines", "coverage_words"}),
    "references": ({"ref_kinds"}, {"roles", "vague", "titled", "title_stop", "comma_joins",
                                   "issuer_stop", "short_name_words"}),
    "agencies": ({"agencies"}, {"generic", "vague_actors", "drop_suffixes", "plural_words", "abbreviations",
                                "levels", "heads", "request_words", "order_words", "roles"}),
    "themes": ({"themes"}, {"default", "section_weight", "lead_weight"}),
    "deadlines": ({"recurrences"}, {"patterns", "descriptive", "window"}),
    "targets": ({"comparators"}, {"not_targets", "units", "lead_words", "year", "baseline_before",
                                  "frequency"}),
    "flags": ({"flags"}, {"letter_order", "outdated_law", "reporting_schedule"}),
    "compare": ({"thresholds"}, {"weights", "abbreviations", "stopwords", "level_agencies",
                                "level_mentions", "link"}),
    "language": ({"common_words"}, {"min_share", "min_words"}),
}

SEVERITIES = {"error", "warning", "info"}


@dataclass(frozen=True)
class Rules:
    """The parsed rule files, by file stem, plus a cache of what stages compile from them."""

    dir: Path
    data: Mapping[str, Any]
    mandates: Mapping[str, Any] = field(default_factory=dict)
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, stem: str) -> Any:
        try:
            return self.data[stem]
        except KeyError:
            raise KeyError(f"no rule file {stem}.yaml in {self.dir}") from None

    def compiled(self, key: str, build: Callable[[Rules], Any]) -> Any:
        """Build something from the rules once (regexes, matchers) and keep it."""
        if key not in self._compiled:
            self._compiled[key] = build(self)
        return self._compiled[key]

    @classmethod
    def resolve(cls, rules: None | str | Path | Rules) -> Rules:
        if isinstance(rules, Rules):
            return rules
        return load_rules(rules)


def _check_file(stem: str, data: Any, problems: list[str], path: Path) -> None:
    if stem not in FILE_KEYS:
        return
    if not isinstance(data, dict):
        problems.append(f"{path}: expected a mapping at the top, got {type(data).__name__}")
        return
    required, optional = FILE_KEYS[stem]
    for key in sorted(required - set(data)):
        problems.append(f"{path}: missing key {key!r}")
    for key in sorted(set(data) - required - optional):
        allowed = ", ".join(sorted(required | optional))
        problems.append(f"{path}: unknown key {key!r} (allowed: {allowed})")
    if stem == "flags" and isinstance(data.get("flags"), dict):
        for code, spec in data["flags"].items():
            if not isinstance(spec, dict) or not {"severity", "vi", "en"} <= set(spec):
                problems.append(f"{path}: flag {code!r} needs severity, vi and en")
            elif spec["severity"] not in SEVERITIES:
                problems.append(f"{path}: flag {code!r} severity {spec['severity']!r} "
                                f"not one of {sorted(SEVERITIES)}")


def load_rules(rules_dir: None | str | Path = None) -> Rules:
    """Read and check every rules/*.yaml (and rules/mandates/*.yaml)."""
    rules_dir = Path(rules_dir) if rules_dir else DEFAULT_RULES_DIR
    if not rules_dir.is_dir():
        raise ValueError(f"rules folder not found: {rules_dir}")
    problems: list[str] = []
    data: dict[str, Any] = {}
    for path in sorted(rules_dir.glob("*.yaml")):
        try:
            data[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {str(exc).splitlines()[0]}")
            continue
        _check_file(path.stem, data[path.stem], problems, path)
    for stem in sorted(set(FILE_KEYS) - set(data)):
        problems.append(f"{rules_dir}: missing rule file {stem}.yaml")
    mandates: dict[str, Any] = {}
    for path in sorted((rules_dir / "mandates").glob("*.yaml")):
        try:
            mandates[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {str(exc).splitlines()[0]}")
    if problems:
        raise ValueError("invalid rules:\n  " + "\n  ".join(problems))
    return Rules(dir=rules_dir, data=data, mandates=mandates)
