"""The cross-document stages, incrementally: only the plans a run touches are done again.

    stats = update(out_dir, rules=rules)       # OUT/plan_links, coverage, localization,
                                               # plan_changes and flags written from the state

What a plan's cross-document rows depend on, and so what a run does again:
- its links: its own `implements` references and the plans that share a number, title or
  issuer+number+date with one of them. Relinked: new plans, and the plans whose references
  cite a key of a plan added or gone (`ref_index` joined to those keys, in DuckDB).
- its coverage, localization and its cross-document flags: itself, its links (the parents'
  doc_ids: a changed parent is a new doc_id) and the rules. Compared again: new plans and
  plans whose links came out different.
- plan_changes: the plans of the same issuer (`successions`). The issuers of the plans added
  or gone are paired again; pairs that did not change keep their rows.
Everything else is kept from OUT/.crossdoc (see `crossdoc_state`). The code and rules make
a fingerprint: another fingerprint (or `full=True`) recomputes every plan.

Rows are read out of core (`crossdoc_io`): columns needed, documents needed, CHUNK plans at a
time; `clean_text` only of the plans compared and their parents.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .compare.changes import pair_changes, successions
from .compare.store import NO_MANDATES, Store, compare_plan
from .compare.wordmemo import WordMemo, using
from .crossdoc_io import StoreReader
from .crossdoc_state import SCHEMAS, State, publish_tables
from .docflags import DOC_CODES, document_flags
from .flags import CROSS_CODES, coverage_flags, link_flags, make_flag
from .link import AMBIGUOUS, as_date, link, link_norms, normalize, ref_key
from .records import PlanLink
from .rules import Rules
from .write import records_to_rows

__all__ = ["CrossDocStats", "update", "CHUNK", "OWN_CODES", "crossdoc_fingerprint"]

CHUNK = 200  # plans whose rows are in memory at once
OWN_CODES = frozenset({NO_MANDATES, "AMBIGUOUS_PARENT"}) | CROSS_CODES  # replaced by each run
PLAN_COLS = ("doc_id", "doc_kind", "number", "symbol", "doc_ref", "issuer", "issuer_level", "locality",
             "province", "issue_date", "title", "period_start", "period_end")
REF_COLS = ("doc_id", "ref_id", "number", "symbol", "doc_ref", "ref_date", "issuer", "title", "role",
            "char_start", "char_end")
TASK_COLS = ("doc_id", "task_id", "path", "text", "theme", "char_start")
OUT_TABLES = ("plan_links", "coverage", "localization", "plan_changes", "flags")


@dataclass
class CrossDocStats:
    """What a run of the cross-document stages did (counts of plans), and how long each step took."""

    plans: int = 0  # plans in the store
    new: int = 0  # plans not in the state (all of them when `full`)
    removed: int = 0  # plans in the state no longer in the store
    relinked: int = 0  # plans whose references were resolved again
    compared: int = 0  # plans whose coverage, localization and flags were computed again
    reused: int = 0  # plans whose rows were kept from the state
    changes_pairs: int = 0  # (earlier, later) pairs compared for plan_changes
    full: bool = False  # no usable state: everything computed
    segmented: int = 0  # texts word-segmented (the others were segmented in an earlier run)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    def line(self) -> str:
        secs = " ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        return (f"crossdoc: {self.plans} plans, {self.new} new, {self.removed} gone, "
                f"{self.relinked} relinked, "
                f"{self.compared} compared, {self.reused} reused, {self.changes_pairs} pairs, "
                f"{self.segmented} texts segmented"
                f"{' (full)' if self.full else ''}; {secs}")


def crossdoc_fingerprint(rules: Rules) -> str:
    """The code and the rules (with a catalogue chosen by `run --mandate`) the state was made with."""
    from .batch import fingerprint  # the runner's: package code + rules folder

    h = hashlib.sha256(fingerprint(rules).encode())
    h.update(json.dumps(rules.data, sort_keys=True, default=str, ensure_ascii=False).encode())
    h.update(json.dumps(rules.mandates, sort_keys=True, default=str, ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def update(out_dir: Path, *, rules: Rules | None = None, full: bool = False) -> CrossDocStats:
    """Bring the cross-document tables of OUT_DIR up to date with its plans; see the module doc."""
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    reader = StoreReader(out_dir)
    try:
        state = State(out_dir, reader, crossdoc_fingerprint(rules), fresh=full)
        try:
            with using(WordMemo()) as memo:
                stats = _Run(reader, state, rules, memo).run()
        except BaseException:
            state.abandon()
            raise
        _timed(stats, "write", lambda: (state.merge(), state.commit(),
                                        publish_tables(out_dir, reader, state, OWN_CODES, DOC_CODES)))
    finally:
        reader.close()
    stats.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return stats


def _timed(stats: CrossDocStats, step: str, fn):
    t = time.perf_counter()
    try:
        return fn()
    finally:
        stats.seconds[step] = stats.seconds.get(step, 0.0) + time.perf_counter() - t


def _chunks(ids: Sequence[str], n: int = CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(ids), n):
        yield list(ids[i:i + n])


def _link_key(ln: dict | PlanLink) -> tuple:
    get = ln.get if isinstance(ln, dict) else (lambda k: getattr(ln, k))
    return (get("parent_ref"), get("parent_issuer"), as_date(get("parent_date")), get("parent_doc_id"),
            bool(get("resolved")), get("method"), tuple(get("candidates") or ()))


class _Run:
    def __init__(self, reader: StoreReader, state: State, rules: Rules, memo: WordMemo) -> None:
        self.reader, self.state, self.rules, self.memo = reader, state, rules, memo
        self.norms = link_norms(rules)
        self.stats = CrossDocStats(full=not state.valid)
        self.runs: dict[str, frozenset] = {}  # word runs of each source, across chunks

    def run(self) -> CrossDocStats:
        st, r = self.stats, self.reader
        if not r.has("plans"):
            self._diff([], [])
            return st
        plans, old = r.scan("plans"), self.state.scan("plan_index")
        new = _timed(st, "read", lambda: r.scalar_list(
            f"SELECT p.doc_id FROM {plans} p ANTI JOIN {old} o ON p.doc_id = o.doc_id "
            "ORDER BY p.file_row_number"))
        gone = _timed(st, "read", lambda: r.scalar_list(
            f"SELECT o.doc_id FROM {old} o ANTI JOIN {plans} p ON p.doc_id = o.doc_id"))
        st.plans = r.scalar_list(f"SELECT count(*) FROM {plans}")[0]
        self._diff(new, gone)
        return st

    # --- what changed -------------------------------------------------------------------

    def _diff(self, new: list[str], gone: list[str]) -> None:
        st, state = self.stats, self.state
        st.new, st.removed = len(new), len(gone)
        new_index, new_refs = _timed(st, "read", lambda: self._index(new))
        gone_index = [x for rs in state.rows("plan_index", gone).values() for x in rs]
        for name in ("plan_index", "ref_index", "links", "coverage", "localization", "xflags", "docflags"):
            state.drop(name, gone)
        self.new = set(new)
        state.add("plan_index", new_index)
        state.add("ref_index", new_refs)
        self._register_index(new_index, gone)
        citing = _timed(st, "link", lambda: self._citing(new_index + gone_index, gone))
        relink = list(dict.fromkeys([*new, *sorted(citing - set(new))]))
        st.relinked = len(relink)
        redo: list[tuple[str, str]] = []  # (its first parent, plan) of each plan to compare again
        for ids in _chunks(relink):
            redo += self._relink(ids, set(new))
        redo.sort()  # siblings side by side: a parent's rows and terms serve a whole chunk
        compared = 0
        for ids in _chunks([d for _, d in redo]):
            compared += self._compare(ids)
        st.compared = compared
        st.reused = st.plans - compared
        _timed(st, "changes", lambda: self._changes(new_index + gone_index, gone))

    def _index(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        """plan_index rows of IDS (the keys others cite them by), ref_index rows of their references."""
        plans, refs = [], []
        for chunk in _chunks(ids):
            for rows in self.reader.rows("plans", chunk, PLAN_COLS).values():
                plans += [self._plan_keys(p) for p in rows]
            refs += [self._ref_keys(x) for x in self._implements(chunk)]
        return plans, refs

    def _plan_keys(self, p: dict) -> dict:
        key = ref_key(p.get("doc_ref"), p.get("number"), p.get("symbol"))
        return {"doc_id": p["doc_id"], "key": key, "number": key.split("/", 1)[0] if key else "",
                "title_n": self.norms.title(p.get("title")), "issuer_n": self.norms.issuer(p.get("issuer")),
                "date": as_date(p.get("issue_date")),
                "issuer_g": normalize(p["issuer"]) if p.get("issuer") else ""}

    def _ref_keys(self, r: dict) -> dict:
        key = ref_key(r.get("doc_ref"), r.get("number"), r.get("symbol"))
        return {"doc_id": r["doc_id"], "key": key, "number": key.split("/", 1)[0] if key else "",
                "title_n": self.norms.title(r.get("title")), "issuer_n": self.norms.issuer(r.get("issuer")),
                "date": as_date(r.get("ref_date"))}

    def _register_index(self, new_index: list[dict], gone: list[str]) -> None:
        """`index_now`: the plan index after this run (the state's, less plans gone, plus new)."""
        import pyarrow as pa

        con = self.reader.con
        con.register("new_index", pa.Table.from_pylist(new_index, schema=SCHEMAS["plan_index"]))
        gone_reg = self.reader.register(gone, "gone_ids")
        cols = ", ".join(SCHEMAS["plan_index"].names)
        con.execute("CREATE OR REPLACE TEMP VIEW index_now AS "
                    f"SELECT {cols} FROM {self.state.scan('plan_index')} "
                    f"WHERE doc_id NOT IN (SELECT id FROM {gone_reg}) UNION ALL SELECT {cols} FROM new_index")
        self.index_now = "index_now"

    def _citing(self, changed: list[dict], gone: list[str]) -> set[str]:
        """Plans of the state whose references may resolve otherwise now that CHANGED came or went.

        A plan's key counts only with its issuer or date (`_resolve` never takes a bare number),
        a loose number with both, a title alone."""
        if not changed or not self.state.valid:
            return set()
        import pyarrow as pa

        self.reader.con.register("changed", pa.Table.from_pylist(changed, schema=SCHEMAS["plan_index"]))
        refs = self.state.scan("ref_index")
        ids = self.reader.scalar_list(
            f"SELECT r.doc_id FROM {refs} r JOIN changed c ON r.key = c.key WHERE r.key <> '' "
            "AND ((r.issuer_n <> '' AND r.issuer_n = c.issuer_n) OR r.date = c.date) "
            f"UNION SELECT r.doc_id FROM {refs} r JOIN changed c ON r.number = c.number AND r.date = c.date "
            "AND r.issuer_n = c.issuer_n WHERE r.number <> '' AND r.issuer_n <> '' "
            f"UNION SELECT r.doc_id FROM {refs} r JOIN changed c ON r.title_n = c.title_n "
            "WHERE r.title_n <> ''")
        return set(ids) - set(gone)

    # --- link and compare, a chunk of plans at a time -----------------------------------

    def _relink(self, ids: list[str], new: set[str]) -> list[tuple[str, str]]:
        """Link IDS again; (first parent, plan) of those new or whose links came out different."""
        links = _timed(self.stats, "link", lambda: self._link(ids))
        old = self.state.rows("links", [i for i in ids if i not in new])
        self.state.drop("links", ids)
        self.state.add("links", [_link_row(ln) for i in ids for ln in links.get(i, [])])
        def same(i: str) -> bool:
            return sorted(map(_link_key, old.get(i, []))) == sorted(map(_link_key, links.get(i, [])))

        return [(min((ln.parent_doc_id or "" for ln in links.get(i, [])), default=""), i) for i in ids
                if i in new or not same(i)]

    def _compare(self, ids: list[str]) -> int:
        """Coverage, localization and cross-document flags of IDS (links: this run's)."""
        st = self.stats
        links: dict[str, list[PlanLink]] = {}
        for d, rows in self.state.added("links", ids).items():
            links[d] = [_as_link(r) for r in rows]
        for name in ("coverage", "localization", "xflags"):
            self.state.drop(name, ids)
        parents = {ln.parent_doc_id for i in ids for ln in links.get(i, [])
                   if ln.resolved and ln.parent_doc_id}
        store = _timed(st, "read", lambda: self._store(ids, set(ids) | parents))
        self._recall(set(ids) | parents)
        self.runs.clear()  # the word runs of this chunk's sources only: memory stays flat
        cov, loc, flags = [], [], []
        t = time.perf_counter()
        for child in store.plans:
            lns = links.get(child["doc_id"], [])
            one = compare_plan(child, lns, store, rules=self.rules, runs=self.runs)
            cov += one.coverage
            loc += one.localization
            flags += one.flags + link_flags(lns, self.rules) + coverage_flags(one.coverage, self.rules)
            flags += [make_flag(self.rules, "AMBIGUOUS_PARENT", ln.child_doc_id, parent=ln.parent_ref,
                                candidates=", ".join(ln.candidates)) for ln in lns if ln.method == AMBIGUOUS]
        st.seconds["compare"] = st.seconds.get("compare", 0.0) + time.perf_counter() - t
        self.state.add("coverage", records_to_rows("coverage", cov))
        self.state.add("localization", records_to_rows("localization", loc))
        self.state.add("xflags", records_to_rows("flags", flags))
        self._keep_words()
        self._doc_flags(store, [i for i in ids if i in self.new])
        return len(store.plans)

    def _doc_flags(self, store: Store, new: list[str]) -> None:
        """One document's flags of NEW plans whose rows came without any (a store that was not
        written by the workers, which find them: see docflags); once, when the plan is new."""
        if not new or not self.reader.has("flags"):
            have: set[str] = set()
        else:
            have = set(self.reader.rows("flags", new, ["doc_id"], where="t.code IN ("
                                        + ", ".join(f"'{c}'" for c in sorted(DOC_CODES)) + ")"))
        todo = [p for p in store.plans if p["doc_id"] in set(new) - have]
        if not todo:
            return
        deadlines = self.reader.rows("deadlines", [p["doc_id"] for p in todo])
        flags = []
        for p in todo:
            d = p["doc_id"]
            flags += document_flags(p, store.rows(d, "tasks"), store.rows(d, "sections"),
                                    store.rows(d, "assignments"), deadlines.get(d, []),
                                    store.texts.get(d, ""), self.rules)
        self.state.drop("docflags", [p["doc_id"] for p in todo])
        self.state.add("docflags", records_to_rows("flags", flags))

    def _recall(self, docs: set[str]) -> None:
        """The segmentations made in earlier runs of the texts of DOCS (and of the catalogues)."""
        rows = _timed(self.stats, "read", lambda: self.state.rows("words", docs | {""}))
        self.memo.load(r for rs in rows.values() for r in rs)

    def _keep_words(self) -> None:
        self.stats.segmented, self.memo.misses = self.stats.segmented + self.memo.misses, 0
        self.state.add("words", self.memo.take())

    def _link(self, ids: list[str]) -> dict[str, list[PlanLink]]:
        """The links of IDS, resolved against the plans that share a key with their references."""
        refs = self._implements(ids)
        if not refs:
            return {}
        import pyarrow as pa

        keys = [self._ref_keys(x) for x in refs]
        self.reader.con.register("ref_keys", pa.Table.from_pylist(keys, schema=SCHEMAS["ref_index"]))
        cands = self.reader.scalar_list(
            f"SELECT doc_id FROM {self.index_now} WHERE key IN (SELECT key FROM ref_keys WHERE key <> '') "
            "OR number IN (SELECT number FROM ref_keys WHERE number <> '') "
            "OR title_n IN (SELECT title_n FROM ref_keys WHERE title_n <> '')")
        plans = [p for rs in self.reader.rows("plans", cands, PLAN_COLS).values() for p in rs]
        out: dict[str, list[PlanLink]] = {}
        for ln in link(plans, refs, rules=self.rules):
            out.setdefault(ln.child_doc_id, []).append(ln)
        return out

    def _implements(self, ids: list[str]) -> list[dict]:
        """The `implements` references of IDS."""
        rows = self.reader.rows("references", ids, REF_COLS, where="t.role = 'implements'")
        return [x for rs in rows.values() for x in rs]

    def _store(self, children: list[str], docs: set[str]) -> Store:
        """The rows compare needs: the children's and their parents' (clean_text of those only)."""
        r = self.reader
        plans = r.rows("plans", children)
        by_doc: dict[str, dict[str, list[dict]]] = {}
        for table in ("tasks", "sections", "assignments", "references"):
            for d, rows in r.rows(table, docs if table != "references" else children).items():
                by_doc.setdefault(d, {})[table] = rows
        docs_rows = r.rows("documents", docs, ["clean_text"])
        texts = {d: rs[0].get("clean_text") or "" for d, rs in docs_rows.items()}
        order = {d: i for i, d in enumerate(children)}
        return Store(sorted((p for rs in plans.values() for p in rs), key=lambda p: order[p["doc_id"]]),
                     by_doc, texts)

    # --- plan_changes -------------------------------------------------------------------

    def _changes(self, changed: list[dict], gone: list[str]) -> None:
        """Pair the plans of every issuer a plan came to or left; compare the pairs that are new."""
        issuers = sorted({c["issuer_g"] for c in changed if c.get("issuer_g")})
        self.state.drop("pairs", gone)
        self.state.drop("plan_changes", gone)
        if not issuers:
            return
        reg = self.reader.register(issuers)
        groups = self.reader.con.execute(
            f"SELECT issuer_g, list(doc_id) FROM {self.index_now} WHERE issuer_g IN (SELECT id FROM {reg}) "
            "GROUP BY issuer_g ORDER BY issuer_g").fetchall()
        ids: list[str] = []
        for _, members in groups:  # whole issuers at a time: successions never cross them
            ids += members
            if len(ids) >= 20 * CHUNK:
                self._pair(ids)
                ids = []
        if ids:
            self._pair(ids)

    def _pair(self, ids: list[str]) -> None:
        cols = ("doc_id", "issuer", "title", "locality", "period_start", "period_end", "issue_date")
        plans = {p["doc_id"]: p for rs in self.reader.rows("plans", ids, cols).values() for p in rs}
        pairs = {later["doc_id"]: prev["doc_id"]
                 for prev, later in successions(list(plans.values()), rules=self.rules)}
        old = {d: rs[0]["prev_doc_id"] for d, rs in self.state.rows("pairs", ids).items()}
        redo = [d for d in ids if d in pairs and old.get(d) != pairs[d]]
        stale = [d for d in ids if d in old and old[d] != pairs.get(d)]
        self.state.drop("pairs", stale + redo)
        self.state.drop("plan_changes", stale + redo)
        self.state.add("pairs", [{"doc_id": d, "prev_doc_id": pairs[d]} for d in redo])
        self.stats.changes_pairs += len(redo)
        for chunk in _chunks(redo):
            need = set(chunk) | {pairs[d] for d in chunk}
            tasks = self.reader.rows("tasks", need, TASK_COLS)
            self._recall(need)
            rows = []
            for d in chunk:
                prev = pairs[d]
                rows += pair_changes(plans[prev], plans[d], tasks.get(prev, ()), tasks.get(d, ()),
                                     rules=self.rules)
            self.state.add("plan_changes", records_to_rows("plan_changes", rows))
            self._keep_words()


def _link_row(ln: PlanLink) -> dict:
    return {"child_doc_id": ln.child_doc_id, "parent_ref": ln.parent_ref, "parent_issuer": ln.parent_issuer,
            "parent_date": ln.parent_date, "parent_doc_id": ln.parent_doc_id, "resolved": ln.resolved,
            "method": ln.method, "candidates": list(ln.candidates)}


def _as_link(r: dict) -> PlanLink:
    return PlanLink(child_doc_id=r["child_doc_id"], parent_ref=r["parent_ref"], resolved=bool(r["resolved"]),
                    method=r["method"], parent_issuer=r["parent_issuer"], parent_date=r["parent_date"],
                    parent_doc_id=r["parent_doc_id"], candidates=tuple(r["candidates"] or ()))
