"""Compliance of every plan in the store: its mandates (parent in hand, else a catalogue), matched.

The store's rows are grouped by document once (`Store`), so each plan costs the size of its own
rows and its parent's, never a scan of the whole store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..link import as_rows
from ..records import Coverage, Flag, PlanLink
from ..rules import Rules
from .catalogue import LOCAL_LEVELS, catalogue_mandates, chosen_catalogue, find_catalogue
from .localization import Localization, localize, shingles
from .mandates import TASK_SECTION_KINDS, Mandate, parent_mandates, section_chain, task_specs
from .match import compare

__all__ = ["Store", "CrossDoc", "compare_all", "compare_plan", "mandates_for", "compare_store",
           "coverage_and_reasons",
           "item_units", "NO_MANDATES"]

NO_MANDATES = "NO_MANDATES"  # flag code: a plan checked against nothing, and why


@dataclass
class Store:
    """The store's rows, grouped by document."""

    plans: list[dict]
    by_doc: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    specs: dict[str, dict] = field(default_factory=dict)  # a parent's task specs, once per parent

    @classmethod
    def of(cls, tables: Mapping[str, Any]) -> Store:
        by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for k in ("tasks", "sections", "assignments", "references"):
            for r in as_rows(tables.get(k)):
                by_doc[r.get("doc_id")][k].append(r)
        texts = {d["doc_id"]: d.get("clean_text") or "" for d in as_rows(tables.get("documents"))}
        return cls(as_rows(tables.get("plans")), by_doc, texts)

    def rows(self, doc_id: str, table: str) -> list[dict]:
        d = self.by_doc.get(doc_id)
        return d.get(table, []) if d else []


def mandates_for(child: dict, links: Sequence[PlanLink], tables: Mapping[str, Any] | Store, *,
                 rules: Rules) -> tuple[list[Mandate], list[str]]:
    """The mandates of one child plan and the texts to learn term weights from."""
    store = tables if isinstance(tables, Store) else Store.of(tables)
    mandates, idf_texts, _ = _mandates(child, links, store, rules)
    return mandates, idf_texts


@dataclass(frozen=True)
class Source:
    """What a plan was checked against: a parent in the store or a catalogue."""

    label: str  # the parent's doc_ref (or doc_id), or the catalogue id
    doc_id: str | None  # the parent's doc_id; None for a catalogue


def _mandates(child: dict, links: Sequence[PlanLink], store: Store,
              rules: Rules) -> tuple[list[Mandate], list[str], str]:
    """(mandates, idf texts, why there are none) of CHILD."""
    mandates, idf_texts, why, _ = _mandates_and_source(child, links, store, rules)
    return mandates, idf_texts, why


def _mandates_and_source(child: dict, links: Sequence[PlanLink], store: Store,
                         rules: Rules) -> tuple[list[Mandate], list[str], str, list[Source]]:
    mandates: list[Mandate] = []
    idf_texts: list[str] = []
    sources: list[Source] = []
    cid = child["doc_id"]
    parents = [ln for ln in links if ln.child_doc_id == cid]
    in_hand = [ln for ln in parents if ln.resolved and ln.parent_doc_id]
    for ln in in_hand:
        pid = ln.parent_doc_id
        p_tasks = store.rows(pid, "tasks")
        if pid not in store.specs:
            store.specs[pid] = task_specs([t for t in p_tasks if t.get("text")], store.rows(pid, "sections"),
                                          store.rows(pid, "assignments"), rules=rules)
        ms = parent_mandates(child, pid, p_tasks, store.rows(pid, "sections"), store.rows(pid, "assignments"),
                             rules=rules, text=store.texts.get(pid, ""), specs=store.specs[pid])
        if ms:
            mandates += ms
            idf_texts += [t["text"] for t in p_tasks if t.get("text")]
            sources.append(Source(ln.parent_ref or pid, pid))
    if mandates:
        return mandates, idf_texts, "", sources
    chosen = chosen_catalogue(rules)
    cat = chosen or find_catalogue(child, store.rows(cid, "references"), rules=rules)
    level = child.get("issuer_level")
    if cat is not None and (cat.get("source") or {}).get("doc_ref") and \
            (cat.get("source") or {}).get("doc_ref") == child.get("doc_ref") and \
            (cat.get("source") or {}).get("issuer") == child.get("issuer"):
        return [], [], "catalogue_source", []
    # the programme's own decision (or a plan of the level that issued it) is not its own child
    if cat is not None and level in cat.get("applies_to", LOCAL_LEVELS):
        ms = catalogue_mandates(cat, child)
        if ms:
            texts = [str(t["text"]) for g in cat["groups"] for t in g.get("tasks") or []]
            return ms, texts, "", [Source(cat["id"], None)]
        return [], [], "catalogue_none_for_level", []
    if in_hand:
        return [], [], "parent_none_for_level", []
    if cat is not None:
        return [], [], "catalogue_not_for_level", []
    if parents:
        return [], [], "parent_not_in_store", []
    return [], [], "no_parent", []


@dataclass
class CrossDoc:
    """What the compare stage adds to the store."""

    coverage: list[Coverage] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)  # NO_MANDATES: a plan checked against nothing
    localization: list[Localization] = field(default_factory=list)


def compare_all(tables: Mapping[str, Any] | Store, links: Sequence[PlanLink], *,
                rules: Rules | None = None) -> CrossDoc:
    """Coverage and localization of every plan that has mandates; NO_MANDATES and why for the others."""
    rules = Rules.resolve(rules)
    store = tables if isinstance(tables, Store) else Store.of(tables)
    by_child: dict[str, list[PlanLink]] = defaultdict(list)
    for ln in links:
        by_child[ln.child_doc_id].append(ln)
    runs: dict[str, frozenset] = {}  # a parent's (or catalogue's) word runs, once each
    out = CrossDoc()
    for child in store.plans:
        one = compare_plan(child, by_child.get(child["doc_id"], []), store, rules=rules, runs=runs)
        out.coverage += one.coverage
        out.flags += one.flags
        out.localization += one.localization
    return out


def compare_plan(child: dict, links: Sequence[PlanLink], store: Store, *, rules: Rules,
                 runs: dict[str, frozenset] | None = None) -> CrossDoc:
    """Coverage and localization of one plan (LINKS: its own); NO_MANDATES and why if it has none.

    STORE needs the rows of the plan and of its parents in hand only; RUNS caches the word
    runs of each source across calls.
    """
    runs = {} if runs is None else runs
    out = CrossDoc()
    cid = child["doc_id"]
    mandates, idf_texts, why, sources = _mandates_and_source(child, links, store, rules)
    if not mandates:
        reasons_vi = rules["compare"].get("no_mandate_reasons") or {}
        parent = ", ".join(ln.parent_ref for ln in links) or "—"
        level = child.get("issuer_level") or "?"
        reason = str(reasons_vi.get(why, why)).format(parent=parent, level=level)
        spec = ((rules.data.get("flags") or {}).get("flags") or {}).get(NO_MANDATES) or {}
        msg = str(spec.get("vi", "{reason}")).replace("{reason}", reason)
        out.flags.append(Flag(doc_id=cid, severity=spec.get("severity", "info"), code=NO_MANDATES,
                              message=msg))
        return out
    tasks = store.rows(cid, "tasks")
    sections = store.rows(cid, "sections")
    text = store.texts.get(cid, "")
    units = tasks + item_units(tasks, sections, text)
    own = {tx for m in mandates for tx in (m.texts or (m.text,))}
    out.coverage += compare(units, mandates, rules=rules, child_doc_id=cid, child_text=text,
                            child_sections=sections, idf_texts=idf_texts,
                            rivals=list(dict.fromkeys(t for t in idf_texts if t not in own)))
    key = "|".join(s.label for s in sources)
    if key not in runs:
        runs[key] = shingles(idf_texts)
    out.localization += localize(cid, tasks, runs[key], source=key,
                                 source_doc_id=sources[0].doc_id if len(sources) == 1 else None)
    return out


def coverage_and_reasons(tables: Mapping[str, Any] | Store, links: Sequence[PlanLink], *,
                         rules: Rules | None = None) -> tuple[list[Coverage], list[Flag]]:
    """Coverage of every plan that has mandates; a NO_MANDATES flag saying why for the others."""
    res = compare_all(tables, links, rules=rules)
    return res.coverage, res.flags


def compare_store(tables: Mapping[str, Any] | Store, links: Sequence[PlanLink], *,
                  rules: Rules | None = None) -> list[Coverage]:
    """Coverage of every plan in the store that has a parent in hand or a programme catalogue."""
    return coverage_and_reasons(tables, links, rules=rules)[0]


def item_units(tasks: Sequence[dict], sections: Sequence[dict], text: str) -> list[dict]:
    """The own words of items that have sub-items, as extra units to match.

    A task is a leaf, so in `a) Chủ động nắm chắc tình hình ...` followed by `- ...` items the
    sentence of `a)` is in no task; it is matched here and credited to the tasks below it.
    Task groups (the numbered headings right under the tasks part) are not items.
    """
    if not text:
        return []
    by_id = {s["section_id"]: s for s in sections}
    children: dict[str, list[dict]] = {}
    for s in sections:
        if s.get("parent_section_id"):
            children.setdefault(s["parent_section_id"], []).append(s)
    under_of: dict[str, list[dict]] = defaultdict(list)
    for t in tasks:
        parts = (t.get("path") or "").split("/")
        for i in range(1, len(parts)):
            under_of["/".join(parts[:i])].append(t)
    units = []
    for s in sections:
        kids = children.get(s["section_id"])
        if not kids:
            continue
        chain = section_chain(by_id, s["section_id"])
        if len(chain) < 3 or chain[0].get("kind") not in TASK_SECTION_KINDS:
            continue
        start, end = int(s["char_start"]), min(int(k["char_start"]) for k in kids)
        own = " ".join(text[start:end].split())
        under = under_of.get(s["path"])
        if len(own) < 40 or not under:
            continue
        theme = Counter(t.get("theme") or "other" for t in under).most_common(1)[0][0]
        units.append({"doc_id": s["doc_id"], "task_id": s["section_id"], "text": own, "theme": theme,
                      "covers": tuple(t["task_id"] for t in under)})
    return units
