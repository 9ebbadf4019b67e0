"""The compare side of an incremental cross-document run (see crossdoc_update).

    compare_chunk(ctx, ids)          coverage, localization, flags of plans IDS (their links known)
    update_changes(ctx, issuers, gone)   plan_changes of the issuers a plan came to or left

Both read only the rows of the plans at hand (and their parents or predecessors) through
`ctx.reader`, and add what they find to `ctx.state`. The groups of plans are compared by
`ctx.mapper`; processes that share the disk are handed where their group is (`GroupQuery`) and
read it themselves, others get the rows (`Group`).
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .compare.changes import pair_changes, successions
from .compare.store import Store, compare_plan
from .compare.wordmemo import WordMemo, using
from .crossdoc_io import StoreReader
from .crossdoc_stage import EVERY_PART
from .crossdoc_state import SCHEMAS, State, grouped_rows
from .docflags import DOC_CODES, document_flags
from .flags import coverage_flags, link_flags, make_flag
from .link import AMBIGUOUS
from .records import PlanLink
from .rules import Rules
from .write import records_to_rows

__all__ = ["Context", "Group", "GroupResult", "GroupQuery", "compare_chunks", "read_group", "read_query",
           "compare_group", "compare_query", "update_changes", "staged", "TASK_COLS", "CHUNK"]

TASK_COLS = ("doc_id", "task_id", "path", "text", "theme", "char_start")
PAIR_PLANS = 4000  # plans of whole issuers paired at a time (their plans rows only)
CHUNK = 200  # plans whose rows are in memory at once
QUERY_MEMORY_MB = 128  # DuckDB's cap in a process that reads its own group (see GroupQuery)


@dataclass
class Context:
    """What one run's steps share."""

    reader: StoreReader
    state: State
    rules: Rules
    memo: WordMemo
    stats: object  # CrossDocStats
    new: set[str] = field(default_factory=set)  # plans new in this run
    index_now: str = ""  # the DuckDB view of the plan index after this run
    mapper: object = map  # how groups are compared (see compare_chunks)
    mapper_shares_disk: bool = False  # its processes can read the store's files themselves


def _add_seconds(ctx: Context, step: str, t0: float) -> None:
    ctx.stats.seconds[step] = ctx.stats.seconds.get(step, 0.0) + time.perf_counter() - t0


@dataclass
class Group:
    """Everything one chunk of plans needs to be compared, as plain data (it may be pickled to a
    worker: `compare_group` reads nothing else)."""

    store: Store  # the plans' rows and their parents'
    links: dict[str, list[PlanLink]]
    words: list[dict]  # segmentations of earlier runs (wordmemo rows) of these plans' texts
    flag_now: list[str]  # new plans whose one-document flags are still to find (see docflags)
    deadlines: dict[str, list[dict]]  # of those


@dataclass
class GroupResult:
    coverage: list[dict]
    localization: list[dict]
    flags: list[dict]  # cross-document flags
    doc_flags: list[dict]  # one document's flags of `flag_now`
    flag_now: list[str]
    words: list[dict]  # new segmentations to keep
    segmented: int
    compared: int


@dataclass(frozen=True)
class GroupQuery:
    """Where the rows of one staged chunk of plans are: a process on the same disk reads its
    group itself (`read_query`), so the parent neither reads nor holds nor pickles the rows."""

    out_dir: str
    staged: dict  # the run's StoreReader.staged: name -> StagedTable
    part: int
    ids: tuple[str, ...]
    new: tuple[str, ...]  # those new in this run
    words: str | None  # FROM clause of the state's segmentations (None: not usable)


def compare_chunks(ctx: Context, chunks: list[list[str]], mapper=map) -> int:
    """Compare every chunk of plans; how many plans. The groups are read one at a time, compared
    by MAPPER(compare_group, groups) (the builtin map; an executor's lazy map would spread them),
    and written as they come back. When the chunks are staged and MAPPER's processes share this
    disk (`ctx.mapper_shares_disk`), each process reads its own group (`compare_query`)."""

    def queries():
        words = ctx.state.scan("words") if ctx.state.ok("words") else None
        for k, ids in enumerate(chunks):
            yield GroupQuery(str(ctx.reader.out_dir), dict(ctx.reader.staged), k, tuple(ids),
                             tuple(i for i in ids if i in ctx.new), words)

    def groups():
        for k, ids in enumerate(chunks):
            ctx.reader.use_part(k if len(chunks) > 1 else None)
            t0 = time.perf_counter()
            group = read_group(ctx, ids)
            _add_seconds(ctx, "read", t0)
            yield group

    n = 0
    t0, read0 = time.perf_counter(), ctx.stats.seconds.get("read", 0.0)
    if ctx.mapper_shares_disk and len(chunks) > 1 and ctx.reader.staged:
        results = mapper(functools.partial(compare_query, rules=ctx.rules), queries())
    else:
        results = mapper(functools.partial(compare_group, rules=ctx.rules), groups())
    for ids, res in zip(chunks, results, strict=True):
        for name in ("coverage", "localization", "xflags"):
            ctx.state.drop(name, ids)
        ctx.state.add("coverage", res.coverage)
        ctx.state.add("localization", res.localization)
        ctx.state.add("xflags", res.flags)
        ctx.state.drop("docflags", res.flag_now)
        ctx.state.add("docflags", res.doc_flags)
        ctx.state.add("words", res.words)
        ctx.stats.segmented += res.segmented
        n += res.compared
    read = ctx.stats.seconds.get("read", 0.0) - read0  # the groups' reads, timed apart
    ctx.stats.seconds["compare"] = ctx.stats.seconds.get("compare", 0.0) + time.perf_counter() - t0 - read
    return n


def read_group(ctx: Context, ids: list[str]) -> Group:
    """The rows compare needs for IDS: theirs and their parents' (clean_text of those only)."""
    r = ctx.reader
    staged = r.part is not None and "links" in r.staged
    rows = r.rows("links", ids, key="child_doc_id") if staged else ctx.state.added("links", ids)
    return _read(r, ids, {i for i in ids if i in ctx.new}, rows,
                 _words_reader(r, lambda docs: ctx.state.rows("words", docs)))


def _words_reader(r: StoreReader, otherwise):
    """docs -> their segmentations of earlier runs: from the part R reads when they are staged
    (a scan of all of them for every group grew with the store), else OTHERWISE(docs)."""
    if r.part is not None and "words" in r.staged:
        return lambda docs: r.rows("words", docs, SCHEMAS["words"].names, key="owner")
    return otherwise


def read_query(q: GroupQuery) -> Group:
    """The group of Q read by this process, from the files the run staged (see GroupQuery)."""
    out = Path(q.out_dir)
    r = StoreReader(out, memory_mb=QUERY_MEMORY_MB, spill_dir=out / ".crossdoc.tmp" / f"query-{os.getpid()}")
    try:
        r.attach(q.staged, q.part)
        rows = r.rows("links", q.ids, key="child_doc_id") if "links" in q.staged else {}

        def words(docs: set[str]) -> dict[str, list[dict]]:
            return grouped_rows(r, "words", q.words, "file_row_number", docs) if q.words else {}

        return _read(r, list(q.ids), set(q.new), rows, _words_reader(r, words))
    finally:
        r.close()


def compare_query(q: GroupQuery, rules: Rules) -> GroupResult:
    return compare_group(read_query(q), rules)


def _read(r: StoreReader, ids: list[str], new_ids: set[str], rows: dict[str, list[dict]], words) -> Group:
    """The Group of IDS from READER R, their LINKS rows, and WORDS(docs): their segmentations."""
    links = {d: [_as_link(x) for x in rs] for d, rs in rows.items()}
    parents = {ln.parent_doc_id for i in ids for ln in links.get(i, []) if ln.resolved and ln.parent_doc_id}
    docs = set(ids) | parents
    plans = r.rows("plans", ids)
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for table in ("tasks", "sections", "assignments", "references"):
        for d, rs in r.rows(table, docs if table != "references" else ids).items():
            by_doc.setdefault(d, {})[table] = rs
    texts = {d: rs[0].get("clean_text") or "" for d, rs in r.rows("documents", docs, ["clean_text"]).items()}
    order = {d: i for i, d in enumerate(ids)}
    store = Store(sorted((p for rs in plans.values() for p in rs), key=lambda p: order[p["doc_id"]]),
                  by_doc, texts)
    new = [i for i in ids if i in new_ids]
    flag_now: list[str] = []
    if new:  # plans whose rows came without one document's flags (a store not written by workers)
        codes = ", ".join(f"'{c}'" for c in sorted(DOC_CODES))
        have = set(r.rows("flags", new, ["doc_id", "code"], where=f"t.code IN ({codes})"))
        flag_now = [i for i in new if i not in have and i in plans]
    return Group(store, links, [x for rs in words(docs | {""}).values() for x in rs], flag_now,
                 r.rows("deadlines", flag_now))


def compare_group(group: Group, rules: Rules) -> GroupResult:
    """Compare one group of plans (see Group); a pure function of its input and the rules."""
    memo = WordMemo()
    memo.load(group.words)
    store, runs = group.store, {}
    cov, loc, flags = [], [], []
    with using(memo):
        for child in store.plans:
            lns = group.links.get(child["doc_id"], [])
            one = compare_plan(child, lns, store, rules=rules, runs=runs)
            cov += one.coverage
            loc += one.localization
            flags += one.flags + link_flags(lns, rules) + coverage_flags(one.coverage, rules)
            flags += [make_flag(rules, "AMBIGUOUS_PARENT", ln.child_doc_id, parent=ln.parent_ref,
                                candidates=", ".join(ln.candidates)) for ln in lns if ln.method == AMBIGUOUS]
    doc_flags = []
    plans = {p["doc_id"]: p for p in store.plans}
    for d in group.flag_now:  # once, when the plan is new
        p = plans[d]
        doc_flags += document_flags(p, store.rows(d, "tasks"), store.rows(d, "sections"),
                                    store.rows(d, "assignments"), group.deadlines.get(d, []),
                                    store.texts.get(d, ""), rules)
    return GroupResult(records_to_rows("coverage", cov), records_to_rows("localization", loc),
                       records_to_rows("flags", flags), records_to_rows("flags", doc_flags), group.flag_now,
                       memo.take(), memo.misses, len(store.plans))


def _recall(ctx: Context, docs: set[str]) -> None:
    """The segmentations made in earlier runs of the texts of DOCS (and of the catalogues)."""
    rows = _words_reader(ctx.reader, lambda d: ctx.state.rows("words", d))(docs | {""})
    ctx.memo.load(x for rs in rows.values() for x in rs)


def _keep_words(ctx: Context) -> None:
    ctx.stats.segmented, ctx.memo.misses = ctx.stats.segmented + ctx.memo.misses, 0
    ctx.state.add("words", ctx.memo.take())


def _as_link(r: dict) -> PlanLink:
    return PlanLink(child_doc_id=r["child_doc_id"], parent_ref=r["parent_ref"], resolved=bool(r["resolved"]),
                    method=r["method"], parent_issuer=r["parent_issuer"], parent_date=r["parent_date"],
                    parent_doc_id=r["parent_doc_id"], candidates=tuple(r["candidates"] or ()))


# --- plan_changes -----------------------------------------------------------------------


def update_changes(ctx: Context, issuers: list[str], gone: list[str]) -> None:
    """Pair the plans of every issuer a plan came to or left; compare the pairs that are new."""
    ctx.state.drop("pairs", gone)
    ctx.state.drop("plan_changes", gone)
    if not issuers:
        return
    reg = ctx.reader.register(issuers)
    groups = ctx.reader.con.execute(
        f"SELECT issuer_g, list(doc_id) FROM {ctx.index_now} WHERE issuer_g IN (SELECT id FROM {reg}) "
        "GROUP BY issuer_g ORDER BY issuer_g").fetchall()
    ids: list[str] = []
    for _, members in groups:  # whole issuers at a time: successions never cross them
        ids += members
        if len(ids) >= PAIR_PLANS:
            _pair(ctx, ids)
            ids = []
    if ids:
        _pair(ctx, ids)


def _pair(ctx: Context, ids: list[str]) -> None:
    cols = ("doc_id", "issuer", "title", "locality", "period_start", "period_end", "issue_date")
    plans = {p["doc_id"]: p for rs in ctx.reader.rows("plans", ids, cols).values() for p in rs}
    pairs = {later["doc_id"]: prev["doc_id"]
             for prev, later in successions(list(plans.values()), rules=ctx.rules)}
    old = {d: rs[0]["prev_doc_id"] for d, rs in ctx.state.rows("pairs", ids).items()}
    redo = [d for d in ids if d in pairs and old.get(d) != pairs[d]]
    stale = [d for d in ids if d in old and old[d] != pairs.get(d)]
    ctx.state.drop("pairs", stale + redo)
    ctx.state.drop("plan_changes", stale + redo)
    ctx.state.add("pairs", [{"doc_id": d, "prev_doc_id": pairs[d]} for d in redo])
    ctx.stats.changes_pairs += len(redo)
    if not redo:
        return
    chunks = [redo[i:i + CHUNK] for i in range(0, len(redo), CHUNK)]
    with staged(ctx, [(d, k) for k, ch in enumerate(chunks) for d in {*ch, *(pairs[x] for x in ch)}],
                {"tasks": TASK_COLS}, words=True):
        for k, chunk in enumerate(chunks):
            ctx.reader.use_part(k if len(chunks) > 1 else None)
            need = set(chunk) | {pairs[d] for d in chunk}
            tasks = ctx.reader.rows("tasks", need, TASK_COLS)
            _recall(ctx, need)
            rows = []
            for d in chunk:
                prev = pairs[d]
                rows += pair_changes(plans[prev], plans[d], tasks.get(prev, ()), tasks.get(d, ()),
                                     rules=ctx.rules)
            ctx.state.add("plan_changes", records_to_rows("plan_changes", rows))
            _keep_words(ctx)


class staged:
    """Within: the rows of many chunks staged by part, one scan per table (when there are many)."""

    def __init__(self, ctx: Context, parts: list[tuple[str, int]], tables: dict, extra: dict | None = None,
                 *, words: bool = False):
        self.ctx, self.parts, self.tables, self.extra = ctx, parts, tables, dict(extra or {})
        if words and ctx.state.ok("words"):  # the segmentations of each part's plans, and of no plan's
            self.extra["words"] = (ctx.state.scan("words"), "owner", SCHEMAS["words"].names)
            self.parts = [*parts, ("", EVERY_PART)]

    def __enter__(self) -> None:
        if self.parts and max(k for _, k in self.parts) > 0:
            t0 = time.perf_counter()
            self.ctx.reader.stage(self.parts, self.tables, self.extra)
            _add_seconds(self.ctx, "read", t0)
        self.parts = []  # staged: a list of 10^5 (id, part) held through the run weighed ~10 MB

    def __exit__(self, *exc) -> None:
        self.ctx.reader.unstage()
