"""Compare stage: does a child plan carry out what its parent (or its programme) mandates?

The mandates of a child plan are the tasks of its resolved parent that concern the child's
level (assigned to `Ủy ban nhân dân xã, phường`, to all localities, or handed down by the
heading above them), plus one mandate per task group of the parent that has none of those;
when no parent is in hand, the key tasks of the programme's catalogue in `rules/mandates/`.

Each mandate is matched against the child's tasks with TF-IDF cosine over word-segmented text
(underthesea), blended with the share of the mandate's weight the task contains, plus a small
bonus when the themes agree. Document frequencies come from the mandate collection only, so a
child's score for one mandate does not move when another of its tasks is edited or deleted.

    >>> m = Mandate("m1", "Phát huy hiệu quả Tổng đài điện thoại quốc gia 111", "victim_support")
    >>> t = [{"task_id": "t1", "text": "Phát huy hiệu quả của Tổng đài 111 về phòng, chống MBN",
    ...       "theme": "victim_support"}]
    >>> [c.status for c in compare(t, [m], rules=load_rules())]
    ['covered']
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .link import _DASHES, _TONE_FIX, _TONE_RE, as_rows, normalize
from .records import Coverage, PlanLink
from .rules import Rules, load_rules

__all__ = ["Mandate", "compare", "mandates_for", "compare_store", "load_rules"]

METHOD = "tfidf-cosine+theme"
GROUP_METHOD = "group:" + METHOD  # a parent's task group matched as a whole
SECTION_METHOD = "section_kind"
TASK_SECTION_KINDS = {"tasks", "assignment"}


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


# --- text to terms ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    covered: float
    partial: float
    also: float
    w_lex: float
    w_theme: float
    abbr: tuple[tuple[re.Pattern, str], ...]
    stop: frozenset[str]
    level_agencies: Mapping[str, tuple[str, ...]]
    level_mentions: Mapping[str, tuple[re.Pattern, ...]]


def _build_config(rules: Rules) -> _Config:
    spec = rules["compare"]
    th = spec.get("thresholds") or {}
    w = spec.get("weights") or {}
    abbr = tuple(
        (re.compile(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])"), str(v))
        for k, v in sorted((spec.get("abbreviations") or {}).items(), key=lambda kv: -len(kv[0])))
    stop = frozenset(_fold(s) for s in spec.get("stopwords") or [])
    agencies = {lvl: tuple(pats) for lvl, pats in (spec.get("level_agencies") or {}).items()}
    mentions = {lvl: tuple(re.compile(p) for p in pats)
                for lvl, pats in (spec.get("level_mentions") or {}).items()}
    return _Config(float(th.get("covered", 0.4)), float(th.get("partial", 0.25)),
                   float(th.get("also", th.get("covered", 0.4))), float(w.get("lexical", 0.9)),
                   float(w.get("theme", 0.1)), abbr, stop, agencies, mentions)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).lower()
    return _TONE_RE.sub(lambda m: _TONE_FIX[m.group(1)], s)


@lru_cache(maxsize=1)
def _segmenter():
    try:
        from underthesea import word_tokenize
    except ImportError:  # fall back to syllables: matching still works, compounds are lost
        return None
    return word_tokenize


@lru_cache(maxsize=20000)
def _words(text: str) -> tuple[str, ...]:
    seg = _segmenter()
    if seg is None:
        return tuple(text.split())
    try:
        return tuple(seg(text))
    except Exception:  # the segmenter must never stop a run
        return tuple(text.split())


_LETTERS = re.compile(r"\w", re.UNICODE)
_PUNCT = re.compile(r"[^\w\s]+")


def _strip_marks(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# find the bracketed abbreviation first, then read the words before it: one regex that
# tried word runs at every position of the text was the slowest step of a whole run
_ABBR_PAREN = re.compile(r"\(\s*([A-ZĐ][A-ZĐ0-9]{1,7})\s*\)")
_WORDS_BEFORE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]+\s+){1,8}$")


def abbreviations_in(text: str) -> dict[str, str]:
    """Abbreviations a document defines for itself, checked by their initials.

    >>> abbreviations_in("Chương trình phòng, chống mua bán người (MBN) giai đoạn 2026")
    {'MBN': 'mua bán người'}
    """
    found: dict[str, str] = {}
    for m in _ABBR_PAREN.finditer(text or ""):
        before = _WORDS_BEFORE.search(text, max(0, m.start() - 160), m.start())
        if before is None:
            continue
        words, abbr = before.group(0).split(), m.group(1)
        n = len(abbr)
        if len(words) >= n:
            cand = words[-n:]
            if "".join(_strip_marks(w[0]).upper() for w in cand) == _strip_marks(abbr):
                found.setdefault(abbr, " ".join(cand).lower())
    return found


def _terms(text: str, cfg: _Config, extra_abbr: Mapping[str, str] = ()) -> Counter:
    """Weighted terms of a text: syllables, plus each multi-syllable word as one more term."""
    for k, v in dict(extra_abbr).items():
        text = re.sub(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])", v, text)
    for pat, v in cfg.abbr:
        text = pat.sub(v, text)
    text = _DASHES.sub("-", _fold(text))
    text = _PUNCT.sub(" ", text)
    out: Counter = Counter()
    for word in _words(" ".join(text.split())):
        syl = [s for s in word.split() if _LETTERS.search(s) and not s.isdigit()]
        if not syl:
            continue
        joined = "_".join(syl)
        if joined in cfg.stop:
            continue
        for s in syl:
            if s not in cfg.stop:
                out[s] += 1
        if len(syl) > 1:
            out[joined] += 1
    return out


class _Space:
    """TF-IDF weights learned from the mandate collection (sublinear tf, smoothed idf)."""

    def __init__(self, docs: Sequence[Counter]) -> None:
        df: Counter = Counter()
        for d in docs:
            df.update(set(d))
        self.n = len(docs)
        self.df = df

    def idf(self, term: str) -> float:
        # a term in every mandate weighs ~0: it says nothing about which mandate is met
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def vector(self, terms: Counter) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf(t) for t, c in terms.items()}
        vec = {t: w for t, w in vec.items() if w > 0}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}


def _pair(m: dict[str, float], t: dict[str, float]) -> tuple[float, list[str]]:
    """Lexical similarity of a mandate and a task, and the shared terms by weight."""
    shared = set(m) & set(t)
    if not shared:
        return 0.0, []
    cos = sum(m[w] * t[w] for w in shared)
    contained = sum(m[w] * m[w] for w in shared)  # share of the mandate found in the task
    order = sorted(shared, key=lambda w: (-m[w] * t[w], w))  # ties by word: same order every run
    return 0.5 * cos + 0.5 * contained, order


def _display_terms(shared: list[str], k: int = 8) -> list[str]:
    """The matched words a person reads: compounds first, no syllable already inside one."""
    words = [w for w in shared if "_" in w]
    inside = {s for w in words for s in w.split("_")}
    words += [w for w in shared if "_" not in w and w not in inside]
    rank = {w: i for i, w in enumerate(shared)}
    return [w.replace("_", " ") for w in sorted(words, key=rank.get)[:k]]


# --- compare one child ------------------------------------------------------------------


def compare(child_tasks: Iterable | Any, mandates: Sequence[Mandate], *, rules: Rules | None = None,
            child_doc_id: str | None = None, child_sections: Iterable | Any = (),
            child_text: str = "", idf_texts: Sequence[str] = ()) -> list[Coverage]:
    """One Coverage per mandate: covered / partial / missing, the child tasks that carry it out.

    `idf_texts` are the texts document frequencies are learned from (default: the mandates').
    """
    rules = Rules.resolve(rules)
    cfg = rules.compiled("compare.config", _build_config)
    tasks = [t for t in as_rows(child_tasks) if t.get("text")]
    if child_doc_id is None and tasks:
        child_doc_id = tasks[0].get("doc_id")
    section_kinds = {s.get("kind") for s in as_rows(child_sections)}
    own_abbr = abbreviations_in(child_text)
    m_texts = [tx for m in mandates for tx in (m.texts or (m.text,))]
    space = _Space([_terms(tx, cfg) for tx in (idf_texts or m_texts)])
    t_vecs = [space.vector(_terms(t["text"], cfg, own_abbr)) for t in tasks]
    out: list[Coverage] = []
    for m in mandates:
        if m.requires_section:
            ok = m.requires_section in section_kinds
            out.append(Coverage(
                child_doc_id=child_doc_id or "", mandate_id=m.mandate_id, mandate_text=m.text,
                theme=m.theme, status="covered" if ok else "missing", score=1.0 if ok else 0.0,
                method=SECTION_METHOD, parent_doc_id=m.parent_doc_id, mandate_group=m.group,
                matched_terms=(m.requires_section,) if ok else ()))
            continue
        m_vecs = [space.vector(_terms(tx, cfg)) for tx in (m.texts or (m.text,))]
        scored = []
        for task, tv in zip(tasks, t_vecs, strict=True):
            best, terms = 0.0, []
            for mv in m_vecs:
                lex, shared = _pair(mv, tv)
                if lex > best:
                    best, terms = lex, shared
            same_theme = bool(m.theme) and m.theme not in ("other", "") and task.get("theme") == m.theme
            # agreement of themes raises a lexical match; it never makes one out of nothing
            score = best * (cfg.w_lex + (cfg.w_theme if same_theme else 0.0))
            scored.append((min(score, 1.0), task, terms))
        scored.sort(key=lambda x: -x[0])
        top = scored[0][0] if scored else 0.0
        status = "covered" if top >= cfg.covered else "partial" if top >= cfg.partial else "missing"
        ids: list[str] = []
        if status != "missing":
            for s, t, _ in scored[:5]:
                if s >= cfg.also or not ids:
                    ids += [i for i in t.get("covers") or (t["task_id"],) if i not in ids]
        terms = _display_terms(scored[0][2]) if status != "missing" else []
        out.append(Coverage(
            child_doc_id=child_doc_id or "", mandate_id=m.mandate_id, mandate_text=m.text,
            theme=m.theme, status=status, score=round(top, 4),
            method=GROUP_METHOD if m.kind == "group" else METHOD,
            parent_doc_id=m.parent_doc_id, child_task_ids=tuple(ids), mandate_group=m.group,
            matched_terms=tuple(terms)))
    return out


# --- mandates ---------------------------------------------------------------------------


def _level_agency_res(cfg: _Config, level: str, locality: str | None) -> list[re.Pattern]:
    loc = normalize(locality) or "\x00"  # no locality: the {locality} pattern never matches
    return [re.compile(p.replace("{locality}", re.escape(loc)))
            for p in cfg.level_agencies.get(level, ())]


def _section_chain(sections_by_id: Mapping[str, dict], section_id: str | None) -> list[dict]:
    chain = []
    seen = set()
    while section_id and section_id in sections_by_id and section_id not in seen:
        seen.add(section_id)
        s = sections_by_id[section_id]
        chain.append(s)
        section_id = s.get("parent_section_id")
    return chain[::-1]


def _group_of(task: dict, sections_by_id: Mapping[str, dict]) -> tuple[str, str, bool]:
    """(group path, group heading, is the group under a task section) of a parent task."""
    chain = _section_chain(sections_by_id, task.get("section_id"))
    if not chain:
        parts = (task.get("path") or "").split("/")
        path = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
        return path, path, True
    if chain[0].get("kind") in TASK_SECTION_KINDS and len(chain) > 1:
        g = chain[1]
        return g["path"], g.get("heading") or g["path"], True
    g = chain[0]
    return g["path"], g.get("heading") or g["path"], chain[0].get("kind") in TASK_SECTION_KINDS


def parent_mandates(child: dict, parent_id: str, tasks: Sequence[dict], sections: Sequence[dict],
                    assignments: Sequence[dict], *, rules: Rules, text: str = "") -> list[Mandate]:
    """The parent's tasks that concern the child's level, and its other task groups.

    TEXT, the parent's clean text, lets the words above a task's items count as well (an intro
    line `Các sở, ngành, Ủy ban nhân dân xã, phường:` hands every item below to communes).
    """
    cfg = rules.compiled("compare.config", _build_config)
    level = child.get("issuer_level") or "unknown"
    agency_res = _level_agency_res(cfg, level, child.get("locality"))
    mention_res = cfg.level_mentions.get(level, ())
    p_tasks = [t for t in tasks if t.get("doc_id") == parent_id and t.get("text")]
    p_tasks.sort(key=lambda t: t.get("char_start") or 0)
    secs = {s["section_id"]: s for s in sections if s.get("doc_id") == parent_id}

    def for_level(agency: str) -> bool:
        a = normalize(agency)
        return any(r.search(a) for r in agency_res)

    concerned: set[str] = set()
    for a in assignments:
        if a.get("doc_id") != parent_id or not for_level(a.get("agency") or ""):
            continue
        if a.get("scope") == "plan":
            concerned.update(t["task_id"] for t in p_tasks)
        elif a.get("scope") == "section" and a.get("path"):
            pre = a["path"]
            concerned.update(t["task_id"] for t in p_tasks
                             if t.get("path") == pre or (t.get("path") or "").startswith(pre + "/"))
        elif a.get("task_id"):
            concerned.add(a["task_id"])
    first_child: dict[str, int] = {}
    for s in secs.values():
        pid = s.get("parent_section_id")
        if pid and s.get("char_start") is not None:
            first_child[pid] = min(first_child.get(pid, 1 << 60), int(s["char_start"]))

    def own_words(s: dict) -> str:
        if text and s["section_id"] in first_child:
            return text[int(s["char_start"]):first_child[s["section_id"]]]
        return s.get("heading") or ""

    for t in p_tasks:  # fallback: the task or the words above its items name the level
        heads = [own_words(s) for s in _section_chain(secs, t.get("section_id"))]
        if any(r.search(normalize(x)) for x in [t["text"], *heads] for r in mention_res):
            concerned.add(t["task_id"])

    mandates: list[Mandate] = []
    groups: dict[str, list[dict]] = {}
    group_head: dict[str, str] = {}
    for t in p_tasks:
        gpath, ghead, under_tasks = _group_of(t, secs)
        if t["task_id"] in concerned:
            theme = t.get("theme") or "other"
            # a duty to fund is met by a budget section, whose items are not tasks
            mandates.append(Mandate(t["task_id"], t["text"], theme, group=ghead, parent_doc_id=parent_id,
                                    requires_section="budget" if theme == "budget" else None))
        elif under_tasks:
            groups.setdefault(gpath, []).append(t)
            group_head[gpath] = ghead
    covered_groups = {m.group for m in mandates}
    for gpath, g_tasks in groups.items():
        head = group_head[gpath]
        if head in covered_groups:
            continue
        theme = Counter(t.get("theme") or "other" for t in g_tasks).most_common(1)[0][0]
        mandates.append(Mandate(f"{parent_id}:{gpath}", head, theme, group=head,
                                parent_doc_id=parent_id, texts=tuple(t["text"] for t in g_tasks),
                                kind="group"))
    return mandates


def _catalogues(rules: Rules) -> list[dict]:
    out = []
    for stem, spec in sorted(rules.mandates.items()):
        if not isinstance(spec, dict) or not isinstance(spec.get("groups"), list):
            raise ValueError(f"{rules.dir}/mandates/{stem}.yaml: needs a list under 'groups'")
        for g in spec["groups"]:
            for t in g.get("tasks") or []:
                if not {"id", "text"} <= set(t):
                    raise ValueError(f"{rules.dir}/mandates/{stem}.yaml: group {g.get('id')!r}: "
                                     "every task needs id and text")
        out.append({**spec, "id": spec.get("id", stem),
                    "_match": [re.compile(p) for p in spec.get("match") or []]})
    return out


LOCAL_LEVELS = ("province", "province_dept", "district", "commune")


def find_catalogue(child: dict, references: Sequence[dict], *, rules: Rules) -> dict | None:
    """The programme catalogue a plan names in its references or its title, if any."""
    texts = [normalize(child.get("title"))]
    texts += [normalize(r.get("title")) for r in references
              if r.get("doc_id") == child.get("doc_id") and r.get("role") in ("implements", "mentions")]
    for cat in rules.compiled("compare.catalogues", _catalogues):
        if any(p.search(tx) for p in cat["_match"] for tx in texts if tx):
            return cat
    return None


def catalogue_mandates(cat: dict, level: str | None) -> list[Mandate]:
    out = []
    for g in cat["groups"]:
        g_levels = g.get("levels")
        for t in g.get("tasks") or []:
            levels = t.get("levels", g_levels)
            if levels and level not in levels:
                continue
            out.append(Mandate(f"{cat['id']}:{t['id']}", " ".join(str(t["text"]).split()),
                               t.get("theme") or g.get("theme") or "other", group=g.get("title"),
                               requires_section=t.get("requires_section")))
    return out


def mandates_for(child: dict, links: Sequence[PlanLink], tables: Mapping[str, list[dict]], *,
                 rules: Rules) -> tuple[list[Mandate], list[str]]:
    """The mandates of one child plan and the texts to learn term weights from."""
    mandates: list[Mandate] = []
    idf_texts: list[str] = []
    for ln in links:
        if ln.child_doc_id != child["doc_id"] or not ln.resolved or not ln.parent_doc_id:
            continue
        p_text = next((d.get("clean_text") or "" for d in tables.get("documents") or []
                       if d.get("doc_id") == ln.parent_doc_id), "")
        ms = parent_mandates(child, ln.parent_doc_id, tables["tasks"], tables["sections"],
                             tables["assignments"], rules=rules, text=p_text)
        if ms:
            mandates += ms
            idf_texts += [t["text"] for t in tables["tasks"]
                          if t.get("doc_id") == ln.parent_doc_id and t.get("text")]
    if mandates:
        return mandates, idf_texts
    cat = find_catalogue(child, tables["references"], rules=rules)
    # the programme's own decision (or a plan of the level that issued it) is not its own child
    if cat is None or child.get("issuer_level") not in cat.get("applies_to", LOCAL_LEVELS):
        return [], []
    ms = catalogue_mandates(cat, child.get("issuer_level"))
    all_texts = [str(t["text"]) for g in cat["groups"] for t in g.get("tasks") or []]
    return ms, all_texts


def compare_store(tables: Mapping[str, Any], links: Sequence[PlanLink], *,
                  rules: Rules | None = None) -> list[Coverage]:
    """Coverage of every plan in the store that has a parent in hand or a programme catalogue."""
    rules = Rules.resolve(rules)
    rows = {k: as_rows(tables.get(k)) for k in
            ("plans", "tasks", "sections", "assignments", "references", "documents")}
    texts = {d["doc_id"]: d.get("clean_text") or "" for d in rows["documents"]}
    # grouped once: a scan of every task per plan made the step quadratic in the store's size
    tasks_of: dict[str, list[dict]] = defaultdict(list)
    for t in rows["tasks"]:
        tasks_of[t.get("doc_id")].append(t)
    sections_of: dict[str, list[dict]] = defaultdict(list)
    for sec in rows["sections"]:
        sections_of[sec.get("doc_id")].append(sec)
    out: list[Coverage] = []
    for child in rows["plans"]:
        mandates, idf_texts = mandates_for(child, links, rows, rules=rules)
        if not mandates:
            continue
        cid = child["doc_id"]
        tasks = tasks_of[cid]
        sections = sections_of[cid]
        units = tasks + item_units(tasks, sections, texts.get(cid, ""))
        out += compare(units, mandates, rules=rules, child_doc_id=cid, child_text=texts.get(cid, ""),
                       child_sections=sections, idf_texts=idf_texts)
    return out


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
    units = []
    for s in sections:
        kids = children.get(s["section_id"])
        chain = _section_chain(by_id, s["section_id"])
        if not kids or len(chain) < 3 or chain[0].get("kind") not in TASK_SECTION_KINDS:
            continue
        start, end = int(s["char_start"]), min(int(k["char_start"]) for k in kids)
        own = " ".join(text[start:end].split())
        under = [t for t in tasks if (t.get("path") or "").startswith(s["path"] + "/")]
        if len(own) < 40 or not under:
            continue
        theme = Counter(t.get("theme") or "other" for t in under).most_common(1)[0][0]
        units.append({"doc_id": s["doc_id"], "task_id": s["section_id"], "text": own, "theme": theme,
                      "covers": tuple(t["task_id"] for t in under)})
    return units
