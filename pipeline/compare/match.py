"""Matching a child plan's tasks to its mandates, duty by duty.

Each mandate is split into duties (`duties.py`). A duty is met by the child clause that does
the same action to the most of its object: object containment (TF-IDF weights learned from
the mandate collection, so a child's score for one mandate does not move when another of its
tasks is edited or deleted) times an action factor (1 when the action classes agree). The
mandate scores the mean of its duties' best scores weighted by their content, times a small
bonus when the themes agree; every duty keeps its own evidence (the child task, the words).

A child clause that carries out a rival (a parent task given to other bodies, not the child)
clearly better than the mandate is that rival's copy, not the mandate's evidence: a commune
plan restating a department's duty to "carry out the Party's policies" has not met its own
duty worded the same way, so deleting the commune's own group still leaves it missing.

    >>> m = Mandate("m1", "Phát huy hiệu quả Tổng đài điện thoại quốc gia 111", "victim_support")
    >>> t = [{"task_id": "t1", "text": "Phát huy hiệu quả của Tổng đài 111 về phòng, chống MBN",
    ...       "theme": "victim_support"}]
    >>> [c.status for c in compare(t, [m], rules=load_rules())]
    ['covered']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..link import as_rows
from ..records import Coverage
from ..rules import Rules, load_rules
from .duties import Duty, DutyLexicon, duties
from .mandates import Mandate, is_self_evident
from .text import TextConfig, abbreviations_in, phrases, prepare, terms, text_config
from .wordmemo import owner

__all__ = ["compare", "Config", "build_config", "METHOD", "GROUP_METHOD", "SECTION_METHOD",
           "SELF_METHOD", "load_rules"]

METHOD = "duty:action+object"
GROUP_METHOD = "group:" + METHOD  # a parent's group with no task of its own, matched on its text
SECTION_METHOD = "section_kind"
SELF_METHOD = "plan_exists"  # `xây dựng kế hoạch thực hiện`: met by the child plan itself


@dataclass(frozen=True)
class Config:
    covered: float
    partial: float
    also: float
    w_lex: float
    w_theme: float
    act_mismatch: float
    act_missing: float
    rival_margin: float  # a clause fits a rival this much better than the mandate: a rival's copy
    rival_factor: float  # what such a clause's score for the mandate is multiplied by
    text: TextConfig
    lex: DutyLexicon

    @property
    def abbr(self):  # older callers read the abbreviations off the config
        return self.text.abbr


def build_config(rules: Rules) -> Config:
    spec = rules["compare"]
    th = spec.get("thresholds") or {}
    w = spec.get("weights") or {}
    return Config(float(th.get("covered", 0.4)), float(th.get("partial", 0.25)),
                  float(th.get("also", th.get("covered", 0.4))), float(w.get("lexical", 1.0)),
                  float(w.get("theme", 0.1)), float(w.get("action_mismatch", 0.55)),
                  float(w.get("action_missing", 0.75)), float(w.get("rival_margin", 1.0)),
                  float(w.get("rival_factor", 1.0)), text_config(rules), DutyLexicon.from_spec(spec))


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

    def weights(self, tf: Counter) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf(t) for t, c in tf.items()}
        return {t: w * w for t, w in vec.items() if w > 0}


@dataclass(frozen=True)
class _MDuty:
    duty: Duty
    w: dict[str, float]  # squared term weights of its object
    mass: float


@dataclass(frozen=True)
class _CDuty:
    duty: Duty
    terms: frozenset[str]
    task: dict


def _act(m: Duty, c: Duty, cfg: Config) -> float:
    if not m.actions or m.actions & c.done():
        return 1.0
    return cfg.act_mismatch if c.done() else cfg.act_missing


class _Rivals:
    """How well each child clause carries out a rival duty (computed for a clause when asked)."""

    def __init__(self, duties: Sequence[_MDuty], child: Sequence[_CDuty], cfg: Config) -> None:
        self.duties, self.child, self.cfg = duties, child, cfg
        self.index: dict[str, list[int]] = {}
        for j, rd in enumerate(duties):
            for t in rd.w:
                self.index.setdefault(t, []).append(j)
        self.fits: dict[int, float] = {}

    def fit(self, i: int) -> float:
        if i not in self.fits:
            cd, acc = self.child[i], {}
            for t in cd.terms:
                for j in self.index.get(t, ()):
                    acc[j] = acc.get(j, 0.0) + self.duties[j].w[t]
            self.fits[i] = max((a / self.duties[j].mass * _act(self.duties[j].duty, cd.duty, self.cfg)
                                for j, a in acc.items()), default=0.0)
        return self.fits[i]


def _best(md: _MDuty, child: Sequence[_CDuty], index: Mapping[str, list[int]],
          cfg: Config, k: int = 5, rivals: _Rivals | None = None) -> list[tuple[float, _CDuty, list[str]]]:
    """The K child clauses that best carry out duty MD, with the words they share with it."""
    acc: dict[int, float] = {}
    for t, w in md.w.items():  # through the inverted index: only clauses sharing a word
        for i in index.get(t, ()):
            acc[i] = acc.get(i, 0.0) + w
    scored = [(a / md.mass * _act(md.duty, child[i].duty, cfg), i) for i, a in acc.items()]
    if rivals is not None and rivals.duties:
        scored = [(s * cfg.rival_factor if s >= cfg.partial and rivals.fit(i) >= s + cfg.rival_margin
                   else s, i) for s, i in scored]
    scored.sort(key=lambda x: (-x[0], child[x[1]].task["task_id"], x[1]))
    out = []
    for s, i in scored[:k]:
        cd = child[i]
        out.append((s, cd, sorted((t for t in md.w if t in cd.terms), key=lambda t: (-md.w[t], t))))
    return out


def _display(shared: list[str], verbs: Iterable[str], k: int = 8) -> list[str]:
    """The matched words a person reads: verbs, compounds, then syllables not inside them."""
    words = [w for w in shared if "_" in w]
    inside = {s for w in words for s in w.split("_")}
    words += [w for w in shared if "_" not in w and w not in inside]
    rank = {w: i for i, w in enumerate(shared)}
    out = [*verbs, *(w.replace("_", " ") for w in sorted(words, key=rank.get))]
    return list(dict.fromkeys(out))[:k]


def compare(child_tasks: Iterable | Any, mandates: Sequence[Mandate], *, rules: Rules | None = None,
            child_doc_id: str | None = None, child_sections: Iterable | Any = (),
            child_text: str = "", idf_texts: Sequence[str] = (),
            rivals: Sequence[str] = ()) -> list[Coverage]:
    """One Coverage per mandate: covered / partial / missing, the child tasks that carry it out.

    `idf_texts` are the texts term weights are learned from (default: the mandates');
    `rivals` the parent's tasks given to other bodies (see the module's note).
    """
    rules = Rules.resolve(rules)
    cfg: Config = rules.compiled("compare.config", build_config)
    tasks = [t for t in as_rows(child_tasks) if t.get("text")]
    if child_doc_id is None and tasks:
        child_doc_id = tasks[0].get("doc_id")
    section_kinds = {s.get("kind") for s in as_rows(child_sections)}
    own_abbr = abbreviations_in(child_text)
    def duty_terms(text: str, abbr: Mapping[str, str] = ()) -> list[tuple[Duty, Counter]]:
        return [(d, terms(d.obj, cfg.text)) for d in duties(prepare(text, cfg.text, abbr), cfg.lex)]

    m_texts = [tx for m in mandates for tx in (m.texts or (m.text,))]
    # the words of a text are kept under the plan it comes from (wordmemo): a parent's under the
    # parent, whichever child is compared, so the next run finds them with the parent's
    owners = {m.parent_doc_id for m in mandates}
    m_owner = owners.pop() if len(owners) == 1 else None
    with owner(m_owner):
        space = _Space([tf for tx in (idf_texts or m_texts) for _, tf in duty_terms(tx)])
    child = []
    with owner(child_doc_id):
        for t in tasks:
            ds = duty_terms(t["text"], own_abbr)
            child += [_CDuty(d, frozenset(tf), t) for d, tf in ds]
            if len(ds) > 1:  # the whole task as well: a mandate may cut its clauses elsewhere
                whole = Duty(frozenset().union(*(d.actions for d, _ in ds)),
                             tuple(v for d, _ in ds for v in d.verbs), "",
                             frozenset().union(*(d.inner for d, _ in ds)))
                child.append(_CDuty(whole, frozenset().union(*(tf for _, tf in ds)), t))
    index: dict[str, list[int]] = {}
    for i, cd in enumerate(child):
        for t in cd.terms:
            index.setdefault(t, []).append(i)
    with owner(m_owner):
        rival = _Rivals([md for tx in rivals for md in _duties_of(tx, duty_terms, space)], child, cfg)
    out: list[Coverage] = []
    for m in mandates:
        base = dict(child_doc_id=child_doc_id or "", mandate_id=m.mandate_id, mandate_text=m.text,
                    theme=m.theme, parent_doc_id=m.parent_doc_id, mandate_group=m.group, mandate_path=m.path)
        if m.requires_section:
            ok = m.requires_section in section_kinds
            out.append(Coverage(**base, status="covered" if ok else "missing", score=1.0 if ok else 0.0,
                                method=SECTION_METHOD, matched_terms=(m.requires_section,) if ok else ()))
            continue
        if is_self_evident(m.text, rules):
            out.append(Coverage(**base, status="covered", score=1.0, method=SELF_METHOD))
            continue
        with owner(m.parent_doc_id):
            out.append(_cover(m, base, duty_terms, space, child, index, cfg, rival))
    return out


def _duties_of(text: str, duty_terms, space: _Space) -> list[_MDuty]:
    out = []
    for d, tf in duty_terms(text):
        w = space.weights(tf)
        if w:
            out.append(_MDuty(d, w, sum(w.values())))
    return out


def _cover(m: Mandate, base: dict, duty_terms, space: _Space, child: Sequence[_CDuty],
           index: Mapping[str, list[int]], cfg: Config, rivals: _Rivals | None = None) -> Coverage:
    best_score, best_cov = -1.0, None
    for tx in m.texts or (m.text,):  # a group mandate: the best of its texts
        mds = _duties_of(tx, duty_terms, space)
        total = sum(md.mass for md in mds)
        if not mds or total <= 0:
            continue
        score, verbs, shown, themes = 0.0, [], [], Counter()
        weight: Counter = Counter()  # what each child task contributes: the main evidence first
        for md in mds:
            scored = _best(md, child, index, cfg, rivals=rivals)
            if not scored:
                continue
            top, cd, shared = scored[0]
            score += top * md.mass / total
            for s, c, _ in scored[:5]:
                if (c is cd and s >= cfg.partial) or s >= cfg.also:
                    for i in c.task.get("covers") or (c.task["task_id"],):
                        weight[i] = max(weight[i], 0.0) + s * md.mass
            if md.duty.actions & cd.duty.done():
                verbs += cd.duty.verbs
            if cfg.text.segmenter == "syllables":  # pairs read as the phrases they join
                shared = phrases(md.duty.obj, shared)
            shown += [t for t in shared if t not in shown]
            themes[cd.task.get("theme")] += md.mass
        same_theme = bool(m.theme) and m.theme not in ("other", "") and themes and \
            themes.most_common(1)[0][0] == m.theme
        score = min(score * (cfg.w_lex + (cfg.w_theme if same_theme else 0.0)), 1.0)
        if score > best_score:
            ids = sorted(weight, key=lambda i: (-weight[i], i))
            best_score, best_cov = score, (ids, _display(shown, verbs))
    if best_cov is None:
        best_score, best_cov = 0.0, ([], [])
    status = "covered" if best_score >= cfg.covered else "partial" if best_score >= cfg.partial else "missing"
    ids, shown = best_cov if status != "missing" else ([], [])
    return Coverage(**base, status=status, score=round(max(best_score, 0.0), 4),
                    method=GROUP_METHOD if m.kind == "group" else METHOD, child_task_ids=tuple(ids),
                    matched_terms=tuple(shown))
