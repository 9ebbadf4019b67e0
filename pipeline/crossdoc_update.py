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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .compare.store import NO_MANDATES
from .compare.text import segmenter_of
from .compare.wordmemo import WordMemo, using
from .crossdoc_compare import CHUNK, Context, compare_chunks, staged, update_changes
from .crossdoc_io import StoreReader, release_memory
from .crossdoc_state import SCHEMAS, State, publish_tables
from .docflags import DOC_CODES
from .flags import CROSS_CODES
from .link import as_date, link, link_norms, normalize, ref_key
from .records import PlanLink
from .rules import Rules

__all__ = ["CrossDocStats", "update", "CHUNK", "OWN_CODES", "crossdoc_fingerprint"]

OWN_CODES = frozenset({NO_MANDATES, "AMBIGUOUS_PARENT"}) | CROSS_CODES  # replaced by each run
LINK_COLS = ("doc_id", "doc_ref", "number", "symbol", "issuer", "issue_date", "title")  # what link reads
REF_COLS = ("doc_id", "ref_id", "number", "symbol", "doc_ref", "ref_date", "issuer", "title", "role",
            "char_start", "char_end")
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


def update(out_dir: Path, *, rules: Rules | None = None, full: bool = False, mapper=map,
           mapper_shares_disk: bool = False) -> CrossDocStats:
    """Bring the cross-document tables of OUT_DIR up to date with its plans; see the module doc.

    MAPPER(fn, groups) compares the groups of plans (`crossdoc_compare.compare_group`: plain data
    in and out, picklable); the builtin map by default, an executor's lazy map to spread them.
    MAPPER_SHARES_DISK: its processes see OUT_DIR, so each reads its own group."""
    rules = Rules.resolve(rules)
    out_dir = Path(out_dir)
    reader = StoreReader(out_dir)
    try:
        state = State(out_dir, reader, crossdoc_fingerprint(rules), fresh=full, segmenter=segmenter_of(rules))
        try:
            with using(WordMemo()) as memo:
                ctx = Context(reader, state, rules, memo, CrossDocStats(full=not state.valid), mapper=mapper,
                              mapper_shares_disk=mapper_shares_disk)
                stats = _Run(ctx).run()
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


def _chunks(ids: Sequence[str], n: int = CHUNK) -> list[list[str]]:
    return [list(ids[i:i + n]) for i in range(0, len(ids), n)]


def _link_key(ln: dict | PlanLink) -> tuple:
    get = ln.get if isinstance(ln, dict) else (lambda k: getattr(ln, k))
    return (get("parent_ref"), get("parent_issuer"), as_date(get("parent_date")), get("parent_doc_id"),
            bool(get("resolved")), get("method"), tuple(get("candidates") or ()))


class _Run:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.reader, self.state, self.stats = ctx.reader, ctx.state, ctx.stats
        self.norms = link_norms(ctx.rules)

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
        st, state, ctx = self.stats, self.state, self.ctx
        st.new, st.removed = len(new), len(gone)
        _timed(st, "read", lambda: self._index(new))
        gone_index = self.reader.arrow(
            f"SELECT * EXCLUDE (file_row_number) FROM {state.scan('plan_index')} "
            f"WHERE doc_id IN (SELECT id FROM {self.reader.register(gone)})")
        for name in ("plan_index", "ref_index", "links", "coverage", "localization", "xflags", "docflags"):
            state.drop(name, gone)
        ctx.new = set(new)
        changed = self._register_index(gone_index.cast(SCHEMAS["plan_index"]), gone)
        citing = _timed(st, "link", lambda: self._citing(changed, gone))
        relink = list(dict.fromkeys([*new, *sorted(citing - ctx.new)]))
        st.relinked = len(relink)
        redo: list[tuple[str, str, tuple[str, ...]]] = []  # (first parent, plan, parents) to compare
        chunks = _chunks(relink)
        relink_parts = [(d, k) for k, ids in enumerate(chunks) for d in ids]
        del relink
        with staged(ctx, relink_parts, {"references": REF_COLS}):
            if self.reader.staged:
                _timed(st, "link", lambda parts=relink_parts: self._stage_candidates(parts, gone))
            del relink_parts
            for k, ids in enumerate(chunks):
                self.reader.use_part(k if len(chunks) > 1 else None)
                redo += self._relink(ids)
        redo.sort()  # siblings side by side: a parent's rows and terms serve a whole chunk
        chunks = _chunks([d for _, d, _ in redo])
        parents = {d: ps for _, d, ps in redo}
        del redo
        links_src = state.pieces_source("links")
        parts = [(d, k) for k, ids in enumerate(chunks)
                 for d in {*ids, *(p for i in ids for p in parents[i])}]
        del parents
        release_memory()  # what link and its staging freed
        with staged(ctx, parts,
                     {"plans": None, "tasks": None, "sections": None, "assignments": None, "references": None,
                      "documents": ("clean_text",), "deadlines": None, "flags": ("code",)},
                     {"links": (links_src, "child_doc_id", SCHEMAS["links"].names)} if links_src else None,
                     words=True):
            del parts  # (staged: its rows are on disk)
            st.compared += compare_chunks(ctx, chunks, ctx.mapper)
        release_memory()
        st.reused = st.plans - st.compared
        issuers = self.reader.scalar_list(f"SELECT DISTINCT issuer_g FROM {changed} WHERE issuer_g <> '' "
                                          "ORDER BY issuer_g")
        _timed(st, "changes", lambda: update_changes(ctx, issuers, gone))

    def _index(self, ids: list[str]) -> None:
        """plan_index rows of IDS (the keys others cite them by, what link reads), kept in the
        state with the ref_index rows of their references; one pass over plans and references.
        They go to the state's pieces only: held here, they grew with the store (the view
        `index_now` reads them from there)."""
        reg = self.reader.register(ids)
        cols = ", ".join(f't."{c}"' for c in LINK_COLS)
        for b in self.reader.stream(f"SELECT {cols} FROM {self.reader.scan('plans')} t "
                                    f"WHERE t.doc_id IN (SELECT id FROM {reg})", CHUNK * 10):
            rows = [self._plan_keys(p) for p in b.to_pylist()]
            self.state.add_table("plan_index", pa.Table.from_pylist(rows, schema=SCHEMAS["plan_index"]))
        if self.reader.has("references"):
            cols = ", ".join(f't."{c}"' for c in REF_COLS)
            for b in self.reader.stream(f"SELECT {cols} FROM {self.reader.scan('references')} t "
                                        f"WHERE t.doc_id IN (SELECT id FROM {reg}) AND t.role = 'implements'",
                                        CHUNK * 10):
                self.state.add("ref_index", [self._ref_keys(x) for x in b.to_pylist()])
        self.reader.con.unregister(reg)

    def _plan_keys(self, p: dict) -> dict:
        key = ref_key(p.get("doc_ref"), p.get("number"), p.get("symbol"))
        return {"doc_id": p["doc_id"], "key": key, "number": key.split("/", 1)[0] if key else "",
                "title_n": self.norms.title(p.get("title")), "issuer_n": self.norms.issuer(p.get("issuer")),
                "date": as_date(p.get("issue_date")),
                "issuer_g": normalize(p["issuer"]) if p.get("issuer") else "",
                **{f"p_{c}": p.get(c) for c in LINK_COLS if c != "doc_id"}}

    def _ref_keys(self, r: dict) -> dict:
        key = ref_key(r.get("doc_ref"), r.get("number"), r.get("symbol"))
        return {"doc_id": r["doc_id"], "key": key, "number": key.split("/", 1)[0] if key else "",
                "title_n": self.norms.title(r.get("title")), "issuer_n": self.norms.issuer(r.get("issuer")),
                "date": as_date(r.get("ref_date"))}

    def _register_index(self, gone_index: pa.Table, gone: list[str]) -> str:
        """`index_now`: the plan index after this run (the state's, less plans gone, plus the new
        plans' rows, read from the state's pieces); returns the view of the rows that changed
        (the new plans' and GONE_INDEX, those of the plans gone)."""
        con = self.reader.con
        gone_reg = self.reader.register(gone, "gone_ids")
        con.register("gone_index", gone_index)
        cols = ", ".join(SCHEMAS["plan_index"].names)
        added = self.state.pieces_source("plan_index")
        new_rows = f" UNION ALL SELECT {cols} FROM {added}" if added else ""
        con.execute("CREATE OR REPLACE TEMP VIEW index_now AS "
                    f"SELECT {cols} FROM {self.state.scan('plan_index')} "
                    f"WHERE doc_id NOT IN (SELECT id FROM {gone_reg}){new_rows}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW index_changed AS SELECT {cols} FROM gone_index{new_rows}")
        self.ctx.index_now = "index_now"
        return "index_changed"

    def _citing(self, changed: str, gone: list[str]) -> set[str]:
        """Plans of the state whose references may resolve otherwise now that CHANGED (a view of
        plan_index rows) came or went.

        A plan's key counts only with its issuer or date (`_resolve` never takes a bare number),
        a loose number with both, a title alone."""
        if not self.state.valid:
            return set()
        refs = self.state.scan("ref_index")
        ids = self.reader.scalar_list(
            f"SELECT r.doc_id FROM {refs} r JOIN {changed} c ON r.key = c.key WHERE r.key <> '' "
            "AND ((r.issuer_n <> '' AND r.issuer_n = c.issuer_n) OR r.date = c.date) "
            f"UNION SELECT r.doc_id FROM {refs} r JOIN {changed} c ON r.number = c.number "
            "AND r.date = c.date AND r.issuer_n = c.issuer_n WHERE r.number <> '' AND r.issuer_n <> '' "
            f"UNION SELECT r.doc_id FROM {refs} r JOIN {changed} c ON r.title_n = c.title_n "
            "WHERE r.title_n <> ''")
        return set(ids) - set(gone)

    def _stage_candidates(self, parts: list[tuple[str, int]], gone: list[str]) -> None:
        """The plans each chunk's references may resolve to (what `_link` asks `index_now` for,
        chunk by chunk), for every chunk in one pass, staged by chunk as "candidates": a query of
        the whole index per chunk grew with the store (link's time per plan doubled from 10^4 to
        10^5). The references' keys are the state's ref_index (old rows and this run's).

        Each join is made on the keys of a chunk made distinct first (a title by its issuer), so
        a title that thousands of plans share is fetched once per chunk, as the chunk's query did."""
        con = self.reader.con
        con.register("relink_parts", pa.table({"id": pa.array([d for d, _ in parts], pa.string()),
                                               "part": pa.array([k for _, k in parts], pa.int32())}))
        cols = ", ".join(SCHEMAS["ref_index"].names)
        added = self.state.pieces_source("ref_index")
        gone_reg = self.reader.register(gone)
        refs = (f"SELECT {cols} FROM {self.state.scan('ref_index')} "
                f"WHERE doc_id NOT IN (SELECT id FROM {gone_reg})"
                + (f" UNION ALL SELECT {cols} FROM {added}" if added else ""))
        out = ", ".join(f"i.p_{c} AS {c}" for c in LINK_COLS if c != "doc_id")
        joined = f"""(
            WITH r AS (SELECT p.part, x.key, x.number, x.title_n, x.issuer_n
                       FROM ({refs}) x JOIN relink_parts p ON x.doc_id = p.id),
            c AS (SELECT DISTINCT part, doc_id FROM (
                SELECT k.part, i.doc_id FROM (SELECT DISTINCT part, key FROM r WHERE key <> '') k
                    JOIN {self.ctx.index_now} i ON i.key = k.key
                UNION ALL
                SELECT k.part, i.doc_id FROM (SELECT DISTINCT part, number FROM r WHERE number <> '') k
                    JOIN {self.ctx.index_now} i ON i.number = k.number
                UNION ALL
                SELECT v.part, i.doc_id
                FROM (SELECT part, title_n, issuer_n, bool_or(key = '') AS keyless FROM r
                      WHERE title_n <> '' GROUP BY part, title_n, issuer_n) v
                    JOIN {self.ctx.index_now} i ON i.title_n = v.title_n
                WHERE (v.issuer_n = '' OR i.issuer_n = '' OR i.issuer_n = v.issuer_n)
                  AND (v.keyless OR i.key = '')))
            SELECT i.doc_id, {out}, i.doc_id AS frn, c.part
            FROM c JOIN {self.ctx.index_now} i ON i.doc_id = c.doc_id)"""
        try:
            self.reader.stage_query("candidates", joined, LINK_COLS)
        finally:
            con.unregister("relink_parts")
            con.unregister(gone_reg)

    # --- link, a chunk of plans at a time -----------------------------------------------

    def _relink(self, ids: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
        """Link IDS again; (first parent, plan, parents) of those new or whose links changed."""
        links = _timed(self.stats, "link", lambda: self._link(ids))
        new = self.ctx.new
        old = self.state.rows("links", [i for i in ids if i not in new])
        self.state.drop("links", ids)
        self.state.add("links", [_link_row(ln) for i in ids for ln in links.get(i, [])])

        def same(i: str) -> bool:
            return sorted(map(_link_key, old.get(i, []))) == sorted(map(_link_key, links.get(i, [])))

        out = []
        for i in ids:
            if i in new or not same(i):
                parents = tuple(sorted({ln.parent_doc_id for ln in links.get(i, [])
                                        if ln.resolved and ln.parent_doc_id}))
                out.append((parents[0] if parents else "", i, parents))
        return out

    def _link(self, ids: list[str]) -> dict[str, list[PlanLink]]:
        """The links of IDS, resolved against the plans that share a key with their references."""
        rows = self.reader.rows("references", ids, REF_COLS, where="t.role = 'implements'")
        refs = [x for rs in rows.values() for x in rs]
        if not refs:
            return {}
        if self.reader.part is not None and "candidates" in self.reader.staged:
            plans = self.reader.part_rows("candidates", LINK_COLS)
        else:
            plans = self._candidates(refs)
        out: dict[str, list[PlanLink]] = {}
        for ln in link(plans, refs, rules=self.ctx.rules):
            out.setdefault(ln.child_doc_id, []).append(ln)
        return out

    def _candidates(self, refs: list[dict]) -> list[dict]:
        """The plans of `index_now` that share a key with REFS (see `_stage_candidates`)."""
        keys = pa.Table.from_pylist([self._ref_keys(x) for x in refs], schema=SCHEMAS["ref_index"])
        self.reader.con.register("ref_keys", keys)
        cols = ", ".join(f"p_{c} AS {c}" for c in LINK_COLS if c != "doc_id")
        # a title matches only plans whose number and issuer do not contradict the reference's
        # (link's own test, done here too: communes' plans repeat their province's title, and
        # every plan of a title fetched for every reference to it grows with the square of the store)
        try:
            return self.reader.arrow(
                f"SELECT doc_id, {cols} FROM {self.ctx.index_now} i "
                "WHERE key IN (SELECT key FROM ref_keys WHERE key <> '') "
                "OR number IN (SELECT number FROM ref_keys WHERE number <> '') "
                "OR EXISTS (SELECT 1 FROM ref_keys r WHERE r.title_n <> '' AND r.title_n = i.title_n "
                "AND (r.key = '' OR i.key = '' OR r.key = i.key) "
                "AND (r.issuer_n = '' OR i.issuer_n = '' OR r.issuer_n = i.issuer_n))").to_pylist()
        finally:
            self.reader.con.unregister("ref_keys")


def _link_row(ln: PlanLink) -> dict:
    return {"child_doc_id": ln.child_doc_id, "parent_ref": ln.parent_ref, "parent_issuer": ln.parent_issuer,
            "parent_date": ln.parent_date, "parent_doc_id": ln.parent_doc_id, "resolved": ln.resolved,
            "method": ln.method, "candidates": list(ln.candidates)}
