"""Loading the language and domain rules kept as YAML under rules/.

    rules = load_rules()            # the rules/ folder shipped with the package
    rules = Rules.resolve(path)     # at the CLI boundary: None, a folder, or Rules

Each file is checked on load against its schema in `pipeline.ruleschema` (unknown keys,
wrong values, regexes that do not compile); every problem found is gathered into one
ValueError naming the file and the key. Stages turn
the plain data into compiled matchers once per Rules object through `Rules.compiled`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .ruleschema import SCHEMAS, MandateCatalogue, problems_in


def default_rules_dir() -> Path:
    """The rules/ folder of a source checkout, else the copy installed with the package."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "rules" / "headings.yaml").is_file():
        return checkout / "rules"
    # a wheel carries rules/ as the package data `pipeline.ruledata` (see pyproject.toml)
    return Path(str(resources.files("pipeline") / "ruledata"))


DEFAULT_RULES_DIR = default_rules_dir()


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

    def __reduce__(self):
        # Sent to another process (a Dask worker) without what was compiled here: phrase
        # tables and regexes are rebuilt there, on first use.
        return (Rules, (self.dir, self.data, self.mandates))

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


# libyaml's parser when PyYAML has it: the same data, about 8x faster to read (start-up)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader


def load_rules(rules_dir: None | str | Path = None) -> Rules:
    """Read and check every rules/*.yaml (and rules/mandates/*.yaml)."""
    rules_dir = Path(rules_dir) if rules_dir else default_rules_dir()
    if not rules_dir.is_dir():
        raise ValueError(f"rules folder not found: {rules_dir}")
    problems: list[str] = []
    data: dict[str, Any] = {}
    for path in sorted(rules_dir.glob("*.yaml")):
        try:
            data[path.stem] = _read_yaml(path)
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {str(exc).splitlines()[0]}")
            continue
        problems += problems_in(path.stem, data[path.stem], path)
    for stem in sorted(set(SCHEMAS) - set(data)):
        problems.append(f"{rules_dir}: missing rule file {stem}.yaml")
    mandates: dict[str, Any] = {}
    for path in sorted((rules_dir / "mandates").glob("*.yaml")):
        try:
            mandates[path.stem] = _read_yaml(path)
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {str(exc).splitlines()[0]}")
            continue
        problems += problems_in(path.stem, mandates[path.stem], path, schema=MandateCatalogue)
    if problems:
        raise ValueError("invalid rules:\n  " + "\n  ".join(problems))
    return Rules(dir=rules_dir, data=data, mandates=mandates)
