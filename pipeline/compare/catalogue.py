"""Programme catalogues (rules/mandates/NAME.yaml): a parent's tasks, kept for plans whose
parent is not in hand.

    kehoach catalogue PARENT_FILE --out rules/mandates/NAME.yaml   # write one from any plan
    kehoach run INPUT --mandate NAME        # check plans against it (or --against FILE)

A catalogue lists groups of tasks; a task (or its group) may say which issuer `levels` it is
for and which `agencies` it names (a department's plan is checked against its own tasks).
`levels` left out: every level; `levels: []`: only the bodies under `agencies`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..link import normalize, ref_key, title_norm
from ..rules import Rules
from .mandates import LEVELS, Mandate, TaskSpec, applies, task_specs

__all__ = ["catalogues", "find_catalogue", "catalogue_mandates", "build_catalogue", "dump_catalogue",
           "with_catalogue", "chosen_catalogue", "LOCAL_LEVELS"]

LOCAL_LEVELS = ("province", "province_dept", "district", "commune")
_BELOW = {"national": LOCAL_LEVELS, "ministry": LOCAL_LEVELS,
          "province": ("province_dept", "district", "commune"),
          "province_dept": ("district", "commune"), "district": ("commune",), "commune": ()}
CHOSEN_KEY = "chosen_catalogue"  # set by `run --mandate/--against`, never read from a file


def _check(stem: str, spec: Any, where: str) -> None:
    if not isinstance(spec, dict) or not isinstance(spec.get("groups"), list):
        raise ValueError(f"{where}/{stem}.yaml: needs a list under 'groups'")
    for g in spec["groups"]:
        for t in g.get("tasks") or []:
            if not {"id", "text"} <= set(t):
                raise ValueError(f"{where}/{stem}.yaml: group {g.get('id')!r}: every task needs id and text")


def _compile(stem: str, spec: dict) -> dict:
    return {**spec, "id": spec.get("id", stem), "_stem": stem,
            "_match": [re.compile(p) for p in spec.get("match") or []],
            "_refs": {ref_key(r) for r in spec.get("doc_refs") or [] if ref_key(r)}}


def catalogues(rules: Rules) -> list[dict]:
    out = []
    for stem, spec in sorted(rules.mandates.items()):
        _check(stem, spec, f"{rules.dir}/mandates")
        out.append(_compile(stem, spec))
    return out


def chosen_catalogue(rules: Rules) -> dict | None:
    """The catalogue named by `run --mandate` / `--against`, if any."""
    name = (rules.data.get("compare") or {}).get(CHOSEN_KEY)
    if not name:
        return None
    for cat in rules.compiled("compare.catalogues", catalogues):
        if name in (cat["id"], cat["_stem"]):
            return cat
    raise ValueError(f"no catalogue {name!r} in {rules.dir}/mandates")


def with_catalogue(rules: Rules, name_or_file: str) -> Rules:
    """RULES with a chosen catalogue: a name in rules/mandates, a catalogue YAML, or a plan file."""
    path = Path(name_or_file)
    mandates = dict(rules.mandates)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        _check(path.stem, spec, str(path.parent))
        name = spec.get("id", path.stem)
        mandates[name] = spec
    elif path.is_file():
        from ..process import process_file
        from ..write import rows_of

        result = process_file(path, rules=rules)
        if result.raw.status != "ok":
            raise ValueError(f"{path}: {result.raw.error or result.raw.status}")
        spec = build_catalogue(rows_of(result), rules=rules, name=path.stem, source=str(path))
        name = spec["id"]
        mandates[name] = spec
    elif name_or_file in mandates or any(s.get("id") == name_or_file for s in mandates.values()
                                         if isinstance(s, dict)):
        name = name_or_file
    else:
        known = ", ".join(sorted(mandates)) or "none"
        raise ValueError(f"no catalogue {name_or_file!r} (known: {known}) and no such file")
    data = {**rules.data, "compare": {**rules.data["compare"], CHOSEN_KEY: name}}
    return dataclasses.replace(rules, data=data, mandates=mandates, _compiled={})


def find_catalogue(child: dict, references: Sequence[dict], *, rules: Rules) -> dict | None:
    """The programme catalogue a plan names in its references (number or title) or its title."""
    refs = [r for r in references if r.get("doc_id") == child.get("doc_id")
            and r.get("role") in ("implements", "mentions")]
    texts = [normalize(child.get("title"))] + [normalize(r.get("title")) for r in refs]
    keys = {ref_key(r.get("doc_ref"), r.get("number"), r.get("symbol")) for r in refs
            if r.get("role") == "implements"} - {""}
    for cat in rules.compiled("compare.catalogues", catalogues):
        if keys & cat["_refs"] or any(p.search(tx) for p in cat["_match"] for tx in texts if tx):
            return cat
    return None


def _spec(item: Mapping, group: Mapping) -> TaskSpec:
    levels = item.get("levels", group.get("levels"))
    agencies = tuple(item.get("agencies", group.get("agencies")) or ())
    return TaskSpec(frozenset(levels or ()), agencies, open=levels is None and not agencies)


def catalogue_mandates(cat: dict, child: Mapping | str | None) -> list[Mandate]:
    """The items of CAT that apply to CHILD (a plans row, or just an issuer level)."""
    if not isinstance(child, Mapping):
        child = {"issuer_level": child}
    out = []
    for g in cat["groups"]:
        for t in g.get("tasks") or []:
            if not applies(_spec(t, g), child):
                continue
            out.append(Mandate(f"{cat['id']}:{t['id']}", " ".join(str(t["text"]).split()),
                               t.get("theme") or g.get("theme") or "other", group=g.get("title"),
                               requires_section=t.get("requires_section"), path=str(t["id"])))
    return out


def build_catalogue(rows: Mapping[str, list[dict]], *, rules: Rules, name: str,
                    source: str | None = None) -> dict:
    """A catalogue (plain data, the format of rules/mandates/) from one parent plan's rows."""
    plan = rows["plans"][0]
    tasks = sorted((t for t in rows["tasks"] if t.get("text")), key=lambda t: t.get("char_start") or 0)
    specs = task_specs(tasks, rows["sections"], rows["assignments"], rules=rules)
    norms = title_norm(rules)
    groups: dict[str, dict] = {}
    for t in tasks:
        spec = specs[t["task_id"]]
        g = groups.setdefault(spec.group or "", {"id": f"G{len(groups) + 1}", "title": spec.group or "",
                                                 "tasks": []})
        item: dict[str, Any] = {"id": t["path"], "theme": t.get("theme") or "other",
                                "text": " ".join(t["text"].split())}
        if not spec.open and "any" not in spec.levels:
            item["levels"] = sorted(spec.levels, key=LEVELS.index) if spec.levels else []
            item["agencies"] = list(spec.agencies)
        if item["theme"] == "budget":
            item["requires_section"] = "budget"
        g["tasks"].append(item)
    title = norms(plan.get("title"))
    return {
        "id": name,
        "programme": plan.get("title") or "",
        "source": {"file": source or "", "doc_ref": plan.get("doc_ref"), "issuer": plan.get("issuer"),
                   "issue_date": str(plan["issue_date"]) if plan.get("issue_date") else None},
        "applies_to": list(_BELOW.get(plan.get("issuer_level") or "", LOCAL_LEVELS)),
        "doc_refs": [plan["doc_ref"]] if plan.get("doc_ref") else [],
        "match": [re.escape(title).replace("\\ ", " ")] if len(title.split()) >= 4 else [],
        "groups": list(groups.values()),
    }


def dump_catalogue(cat: Mapping, path: Path) -> Path:
    """Write CAT as reviewable YAML (a header saying where it came from, one task per item)."""
    src = cat.get("source") or {}
    head = (f"# Catalogue written by `kehoach catalogue` from {src.get('file') or 'a plan'}\n"
            f"# ({src.get('issuer') or '?'}, {src.get('doc_ref') or 'no number'}, "
            f"{src.get('issue_date') or 'no date'}).\n"
            "# Review it: drop what is not a duty, merge what is one, fix `levels` / `agencies`.\n"
            "# levels left out: every level; levels: [] only the bodies under agencies.\n")
    body = yaml.safe_dump(dict(cat), allow_unicode=True, sort_keys=False, width=100)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + body, encoding="utf-8")
    return path
