"""Mandates: what a parent plan asks of a child plan of a given level.

One mandate per task of the parent that applies to the child: a task applies when a body
answerable for it (`mandate_roles`: lead, requested, standing) is of the child's level
(`Ủy ban nhân dân xã, phường` for a commune), is the child's issuer itself (`Sở Y tế` for
`Sở Y tế tỉnh Bắc Ninh`), or is a generic body of no level of its own (`các cơ quan, đơn vị`);
a task that names no answerable body applies to every level. Tasks given only to bodies of
other levels (`Công an tỉnh`, `Bộ Chỉ huy Quân sự tỉnh phối hợp với ... Ủy ban nhân dân các xã
ven biển`) are not the child's. A group heading is never a mandate; a group whose text holds
no task is one mandate with its text. Each mandate keeps its parent path and group.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..link import normalize
from ..rules import Rules

__all__ = ["Mandate", "TaskSpec", "task_specs", "applies", "parent_mandates", "section_chain",
           "TASK_SECTION_KINDS", "LEVELS"]

TASK_SECTION_KINDS = {"tasks", "assignment"}
LEVELS = ("national", "ministry", "province", "province_dept", "district", "commune")


@dataclass(frozen=True)
class Mandate:
    """One thing a child plan is expected to do."""

    mandate_id: str
    text: str
    theme: str
    group: str | None = None
    parent_doc_id: str | None = None
    texts: tuple[str, ...] = ()  # what is matched; (text,) when empty
    requires_section: str | None = None  # met by a child section of this kind
    kind: str = "task"  # task, group
    path: str | None = None  # the parent's path of the task (or the catalogue item id)


@dataclass(frozen=True)
class TaskSpec:
    """Who a parent task is for: levels (`any` for everyone) and the bodies named for it."""

    levels: frozenset[str] = frozenset()
    agencies: tuple[str, ...] = ()
    open: bool = False  # no answerable body named: the task is for every level
    group: str | None = None


@dataclass(frozen=True)
class _LevelConfig:
    patterns: Mapping[str, tuple[re.Pattern, ...]]
    roles: frozenset[str]
    other_level: re.Pattern | None
    self_evident: tuple[re.Pattern, ...] = field(default=())


def level_config(rules: Rules) -> _LevelConfig:
    spec = rules["compare"]
    pats = {lvl: tuple(re.compile(p) for p in ps if "{locality}" not in p)
            for lvl, ps in (spec.get("level_agencies") or {}).items()}
    other = spec.get("generic_other_level")
    return _LevelConfig(pats, frozenset(spec.get("mandate_roles") or ("lead", "requested", "standing")),
                        re.compile(other) if other else None,
                        tuple(re.compile(p) for p in spec.get("self_evident") or ()))


def _levels_of(agency: str, generic: bool, cfg: _LevelConfig) -> set[str]:
    a = normalize(agency)
    found = {lvl for lvl, ps in cfg.patterns.items() if any(p.search(a) for p in ps)}
    if not found and generic and not (cfg.other_level and cfg.other_level.search(a)):
        found.add("any")
    return found


def section_chain(sections_by_id: Mapping[str, dict], section_id: str | None) -> list[dict]:
    chain = []
    seen = set()
    while section_id and section_id in sections_by_id and section_id not in seen:
        seen.add(section_id)
        s = sections_by_id[section_id]
        chain.append(s)
        section_id = s.get("parent_section_id")
    return chain[::-1]


def group_of(chain: Sequence[dict], path: str | None) -> str:
    """The heading of the task group a task or section belongs to."""
    if not chain:
        return (path or "").split("/")[0]
    if chain[0].get("kind") in TASK_SECTION_KINDS and len(chain) > 1:
        return chain[1].get("heading") or chain[1]["path"]
    return chain[0].get("heading") or chain[0]["path"]


def task_specs(tasks: Sequence[dict], sections: Sequence[dict], assignments: Sequence[dict], *,
               rules: Rules) -> dict[str, TaskSpec]:
    """For each task of ONE parent plan, the levels and bodies it is given to."""
    cfg = rules.compiled("compare.levels", level_config)
    secs = {s["section_id"]: s for s in sections}
    by_task: dict[str, list[dict]] = defaultdict(list)
    by_path: dict[str, list[dict]] = defaultdict(list)
    plan_wide: list[dict] = []
    for a in assignments:
        if a.get("role") not in cfg.roles:
            continue
        if a.get("scope") == "plan":
            if a.get("role") != "standing":  # the body that consolidates reports does no task
                plan_wide.append(a)
        elif a.get("task_id"):
            by_task[a["task_id"]].append(a)
        elif a.get("path"):
            by_path[a["path"]].append(a)
    out = {}
    for t in tasks:
        path = t.get("path") or ""
        bodies = list(by_task.get(t["task_id"], ()))
        parts = path.split("/")
        for i in range(len(parts), 0, -1):  # section blocks above the task
            bodies += by_path.get("/".join(parts[:i]), ())
        bodies = bodies or plan_wide
        levels: set[str] = set()
        for a in bodies:
            levels |= _levels_of(a.get("agency") or "", bool(a.get("generic")), cfg)
        names = tuple(dict.fromkeys(a.get("agency") or "" for a in bodies if a.get("agency")))
        chain = section_chain(secs, t.get("section_id"))
        out[t["task_id"]] = TaskSpec(frozenset(levels), names, open=not bodies,
                                     group=group_of(chain, path))
    return out


def applies(spec: TaskSpec, child: Mapping) -> bool:
    """Whether a parent task (or catalogue item) is a mandate of CHILD (a plans row)."""
    if spec.open or "any" in spec.levels or (child.get("issuer_level") in spec.levels):
        return True
    issuer = normalize(child.get("issuer"))
    for a in spec.agencies:
        a = normalize(a)
        if len(a.split()) >= 2 and (issuer == a or issuer.startswith(a + " ")):
            return True
    return False


def is_self_evident(text: str, rules: Rules) -> bool:
    """A mandate met by the child plan existing (`xây dựng kế hoạch thực hiện`)."""
    cfg = rules.compiled("compare.levels", level_config)
    t = normalize(text)
    return any(p.search(t) for p in cfg.self_evident)


def parent_mandates(child: Mapping, parent_id: str, tasks: Sequence[dict], sections: Sequence[dict],
                    assignments: Sequence[dict], *, rules: Rules, text: str = "",
                    specs: Mapping[str, TaskSpec] | None = None) -> list[Mandate]:
    """The mandates of CHILD from the parent PARENT_ID, given the parent's own rows (and, when a
    parent has many children, its SPECS computed once by `task_specs`)."""
    p_tasks = sorted((t for t in tasks if t.get("text")), key=lambda t: t.get("char_start") or 0)
    if specs is None:
        specs = task_specs(p_tasks, sections, assignments, rules=rules)
    mandates = []
    for t in p_tasks:
        spec = specs[t["task_id"]]
        if not applies(spec, child):
            continue
        theme = t.get("theme") or "other"
        # a duty to fund is met by a budget section, whose items are not tasks
        mandates.append(Mandate(t["task_id"], t["text"], theme, group=spec.group, parent_doc_id=parent_id,
                                requires_section="budget" if theme == "budget" else None, path=t.get("path")))
    mandates += _taskless_groups(child, parent_id, p_tasks, sections, assignments, text, rules)
    return mandates


def _taskless_groups(child: Mapping, parent_id: str, tasks: Sequence[dict], sections: Sequence[dict],
                     assignments: Sequence[dict], text: str, rules: Rules) -> list[Mandate]:
    """A section of the tasks part whose own text holds no task: one mandate with that text."""
    if not text:
        return []
    secs = {s["section_id"]: s for s in sections}
    with_tasks = {t.get("section_id") for t in tasks}
    has_kids = {s.get("parent_section_id") for s in sections}
    # a section with sub-sections of its own is a heading over them, never a mandate
    out = []
    for s in sections:
        chain = section_chain(secs, s["section_id"])
        if (len(chain) < 2 or chain[0].get("kind") not in TASK_SECTION_KINDS
                or s["section_id"] in with_tasks or s["section_id"] in has_kids):
            continue
        body = text[int(s["char_start"]):int(s["char_end"])].split("\n", 1)
        own = " ".join(body[1].split()) if len(body) > 1 else ""
        if len(own) < 40:
            continue
        spec = task_specs([{"task_id": s["section_id"], "path": s["path"], "section_id": s["section_id"]}],
                          sections, assignments, rules=rules)[s["section_id"]]
        if not applies(spec, child):
            continue
        out.append(Mandate(f"{parent_id}:{s['path']}", own, "other", group=group_of(chain, s["path"]),
                           parent_doc_id=parent_id, kind="group", path=s["path"]))
    return out
