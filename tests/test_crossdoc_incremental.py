"""crossdoc.update: a run does again only what new or gone plans touch (counted, never timed),
and a store built over several runs ends with the tables one run from scratch gives."""

import importlib.util
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from xdocstore import plan_rows, synthetic_plans, write_store

from pipeline.compare import compare_all
from pipeline.compare.changes import plan_changes
from pipeline.compare.store import Store
from pipeline.crossdoc import load_rows, update
from pipeline.crossdoc_update import OUT_TABLES
from pipeline.link import link
from pipeline.rules import DEFAULT_RULES_DIR, load_rules

_SPEC = importlib.util.spec_from_file_location(
    "tables_equal", Path(__file__).resolve().parent.parent / "scripts" / "tables_equal.py")
tables_equal = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tables_equal)

N = 1000


@pytest.fixture(scope="module")
def base(tmp_path_factory, rules):
    """A store of N plans, its cross-document tables computed once (copied by each test)."""
    out = write_store(tmp_path_factory.mktemp("xdoc") / "out", synthetic_plans(N))
    stats = update(out, rules=rules)
    assert stats.full and (stats.plans, stats.new, stats.compared, stats.reused) == (N, N, N, 0)
    return out


@pytest.fixture(scope="module")
def crf_rules(tmp_path_factory):
    """The rules with compare's terms from underthesea's words (kept in the state, see wordmemo)."""
    rules_dir = tmp_path_factory.mktemp("crf") / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "compare.yaml"
    text = path.read_text(encoding="utf-8")
    assert "segmenter: syllables" in text
    path.write_text(text.replace("segmenter: syllables", "segmenter: underthesea"), encoding="utf-8")
    return load_rules(rules_dir)


@pytest.fixture(scope="module")
def crf_base(tmp_path_factory, crf_rules):
    out = write_store(tmp_path_factory.mktemp("xdoc-crf") / "out", synthetic_plans(N))
    assert update(out, rules=crf_rules).segmented > 0
    return out


def _copy(base: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(base, out)
    return out


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def test_adding_one_plan_compares_that_plan_only(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    new = plan_rows(N, cites=("3/KH-UBND", "Ủy ban nhân dân tỉnh Số 3", None))
    write_store(out, [*synthetic_plans(N), new])
    s = update(out, rules=rules)
    assert (s.full, s.plans, s.new, s.removed) == (False, N + 1, 1, 0)
    assert (s.relinked, s.compared, s.reused, s.changes_pairs) == (1, 1, N, 0)
    cov = [c for c in _rows(out, "coverage") if c["child_doc_id"] == "p01000"]
    assert cov and {c["parent_doc_id"] for c in cov} == {"p00003"}
    # the rows of every other plan were kept: the tables hold them once
    assert len(_rows(out, "coverage")) == len(_rows(base, "coverage")) + len(cov)
    s = update(out, rules=rules)  # nothing new: nothing done
    assert (s.new, s.relinked, s.compared, s.changes_pairs) == (0, 0, 0, 0)


def test_a_plan_others_cite_relinks_them_and_only_them(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    assert [ln["resolved"] for ln in _rows(out, "plan_links") if ln["child_doc_id"] == "p00031"] == [False]
    board = plan_rows(N, ref=("5031/KH-BCĐ", "Ban Chỉ đạo tỉnh"))  # what p00031 cites
    write_store(out, [*synthetic_plans(N), board])
    s = update(out, rules=rules)
    assert (s.new, s.relinked, s.compared, s.reused) == (1, 2, 2, N - 1)
    (ln,) = [ln for ln in _rows(out, "plan_links") if ln["child_doc_id"] == "p00031"]
    assert ln["resolved"] and ln["parent_doc_id"] == "p01000"
    codes = {f["code"] for f in _rows(out, "flags") if f["doc_id"] == "p00031"}
    assert "PARENT_NOT_FOUND" not in codes


def test_a_parent_gone_recompares_its_children_and_its_successor(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    children = {ln["child_doc_id"] for ln in _rows(out, "plan_links") if ln["parent_doc_id"] == "p00003"}
    assert len(children) == N // 100
    assert {c["doc_id"] for c in _rows(out, "plan_changes")} >= {"p00023"}  # 3 → 23, two cycles
    write_store(out, [p for i, p in enumerate(synthetic_plans(N)) if i != 3])
    s = update(out, rules=rules)
    assert (s.new, s.removed, s.relinked, s.compared) == (0, 1, len(children), len(children))
    assert not [c for c in _rows(out, "coverage") if c["parent_doc_id"] == "p00003"]
    assert "p00023" not in {c["doc_id"] for c in _rows(out, "plan_changes")}
    assert "p00003" not in {r["child_doc_id"] for r in _rows(out, "plan_links")}


def test_a_third_cycle_pairs_with_the_second_only(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    write_store(out, [*synthetic_plans(N), plan_rows(N, province=(5, 2027))])
    s = update(out, rules=rules)
    assert (s.new, s.compared, s.changes_pairs) == (1, 1, 1)
    pairs = {(c["doc_id"], c["prev_doc_id"]) for c in _rows(out, "plan_changes")}
    assert ("p01000", "p00025") in pairs and ("p00025", "p00005") in pairs


def test_two_runs_give_the_tables_of_one(tmp_path, rules, capsys):
    plans = synthetic_plans(300)
    extra = [plan_rows(300, cites=("4/KH-UBND", "Ủy ban nhân dân tỉnh Số 4", None)),
             plan_rows(301, ref=("5041/KH-BCĐ", "Ban Chỉ đạo tỉnh")), plan_rows(302, province=(1, 2027))]
    gone = {11, 4}  # an orphan, and a parent some plans implement
    final = [p for i, p in enumerate(plans) if i not in gone] + extra
    inc = write_store(tmp_path / "inc", plans[:150])
    update(inc, rules=rules)
    write_store(inc, plans)
    update(inc, rules=rules)
    write_store(inc, final)
    s = update(inc, rules=rules)
    assert not s.full and s.compared < len(final) // 2
    one = write_store(tmp_path / "one", final)
    update(one, rules=rules)
    for table in OUT_TABLES:
        (tmp_path / "a").mkdir(exist_ok=True)
        (tmp_path / "b").mkdir(exist_ok=True)
        shutil.copy(inc / f"{table}.parquet", tmp_path / "a")
        shutil.copy(one / f"{table}.parquet", tmp_path / "b")
    assert tables_equal.compare(tmp_path / "a", tmp_path / "b", set(), set()), capsys.readouterr().out
    # and the same as the whole-store functions give
    tables = load_rows(one)
    links = link(tables["plans"], tables["references"], rules=rules)
    store = Store.of(tables)
    cov = compare_all(store, links, rules=rules).coverage
    changes = plan_changes(store.plans, {p["doc_id"]: store.rows(p["doc_id"], "tasks") for p in store.plans},
                           rules=rules)
    assert sorted((x.child_doc_id, x.parent_ref, x.parent_doc_id, x.method) for x in links) == sorted(
        (r["child_doc_id"], r["parent_ref"], r["parent_doc_id"], r["method"])
        for r in _rows(inc, "plan_links"))
    assert sorted((c.child_doc_id, c.mandate_id, c.status, c.score) for c in cov) == sorted(
        (r["child_doc_id"], r["mandate_id"], r["status"], r["score"]) for r in _rows(inc, "coverage"))
    assert sorted((c.doc_id, c.prev_doc_id, c.change, c.task_id or "") for c in changes) == sorted(
        (r["doc_id"], r["prev_doc_id"], r["change"], r["task_id"] or "")
        for r in _rows(inc, "plan_changes"))


def test_other_rules_recompute_everything(base, tmp_path, rules):
    import dataclasses

    out = _copy(base, tmp_path)
    strict = {"covered": 0.9, "partial": 0.5}
    data = {**rules.data, "compare": {**rules.data["compare"], "thresholds": strict}}
    other = dataclasses.replace(rules, data=data, _compiled={})
    s = update(out, rules=other)
    assert s.full and s.compared == N
    assert s.segmented == 0  # every text's words were kept from the first run
    assert update(out, rules=rules).full  # and back


def test_syllable_terms_segment_nothing_and_keep_no_words(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    s = update(out, rules=rules, full=True)
    assert s.compared == N and s.segmented == 0
    assert pq.read_metadata(out / ".crossdoc" / "words.parquet").num_rows == 0


def test_words_are_segmented_once(crf_base, tmp_path, crf_rules):
    """A new child of a parent in the store: only the child's own texts are segmented."""
    new = plan_rows(N, cites=("3/KH-UBND", "Ủy ban nhân dân tỉnh Số 3", None))
    seg = {}
    for case in ("kept", "forgotten"):
        out = _copy(crf_base, tmp_path / case)
        if case == "forgotten":
            (out / ".crossdoc" / "words.parquet").unlink()
        write_store(out, [*synthetic_plans(N), new])
        s = update(out, rules=crf_rules)
        assert s.compared == 1
        seg[case] = s.segmented
    assert 0 < seg["kept"] < seg["forgotten"], seg
    assert seg["kept"] <= 2 * len(new["tasks"]), seg  # its tasks' clauses, never the parent's


def test_a_full_rerun_reads_each_groups_words_from_the_stage(crf_base, tmp_path, crf_rules, monkeypatch):
    """Recomputing everything: each chunk reads its plans' segmentations from the staged files
    (never a scan of all of them), segments nothing again, and gives the same tables."""
    from pipeline import crossdoc_state

    scans = []
    real = crossdoc_state.grouped_rows

    def counted(reader, name, *a, **k):
        scans.append(name)
        return real(reader, name, *a, **k)

    monkeypatch.setattr(crossdoc_state, "grouped_rows", counted)
    out = _copy(crf_base, tmp_path)
    s = update(out, rules=crf_rules, full=True)
    assert (s.compared, s.segmented) == (N, 0)
    # compare's five chunks read theirs from the stage; the pairing of successors, one chunk
    # (10 pairs, not staged), reads the state once
    assert scans.count("words") == 1
    for table in ("coverage", "localization", "flags"):
        assert sorted(map(repr, _rows(out, table))) == sorted(map(repr, _rows(crf_base, table))), table


def test_the_workers_flags_are_kept_and_crossdoc_flags_not_doubled(base, tmp_path, rules):
    out = _copy(base, tmp_path)
    flags = _rows(out, "flags")
    worker = {"doc_id": "p00001", "severity": "info", "code": "OCR_USED", "message": "x",
              "path": None, "task_id": None, "char_start": None, "char_end": None}
    write_store(out, synthetic_plans(N))  # consolidate() leaves the workers' flags only
    from pipeline.write import write

    write({"flags": [worker]}, out)
    update(out, rules=rules)
    again = _rows(out, "flags")
    assert worker in again
    assert len(again) == len(flags) + 1
    # one document's flags this stage found for plans written without them: once, not per run
    assert {"NO_REPORTING_SCHEDULE", "PARENT_NOT_FOUND", "NO_MANDATES"} <= {f["code"] for f in again}
    update(out, rules=rules)
    assert len(_rows(out, "flags")) == len(again)


def test_groups_are_plain_data_a_worker_could_compare(base, tmp_path, rules):
    """compare_group takes and gives picklable data: a mapper that ships every group through
    pickle (as an executor would) gives the same tables."""
    import pickle

    def shipped(fn, groups):
        for g in groups:
            yield pickle.loads(pickle.dumps(fn(pickle.loads(pickle.dumps(g)))))

    out = _copy(base, tmp_path / "a")
    update(out, rules=rules, full=True, mapper=shipped)
    for table in ("coverage", "localization", "flags"):
        assert sorted(map(repr, _rows(out, table))) == sorted(map(repr, _rows(base, table))), table


def test_the_local_pool_compares_groups_on_its_processes(base, tmp_path, rules, monkeypatch):
    """With --workers 2 the groups of plans are compared on two processes: same tables."""
    from pipeline import executors

    used = []
    real = executors._pool_map

    def counted(fn, items, slots, ctx):
        used.append(slots)
        yield from real(fn, items, slots, ctx)

    monkeypatch.setattr(executors, "_pool_map", counted)
    out = _copy(base, tmp_path / "a")
    update(out, rules=rules, full=True, mapper=executors.LocalPool(2, rules).map)
    assert used == [2]
    for table in ("coverage", "localization", "flags"):
        assert sorted(map(repr, _rows(out, table))) == sorted(map(repr, _rows(base, table))), table


def test_processes_on_the_same_disk_read_their_own_groups(base, tmp_path, rules):
    """With a mapper whose processes share the disk, each is handed where its chunk's rows are
    staged (a GroupQuery, a few ids and paths) and reads them itself: the same tables."""
    import pickle

    from pipeline.crossdoc_compare import GroupQuery

    handed = []

    def shipped(fn, items):
        for q in items:
            handed.append(q)
            yield pickle.loads(pickle.dumps(fn(pickle.loads(pickle.dumps(q)))))

    out = _copy(base, tmp_path / "a")
    stats = update(out, rules=rules, full=True, mapper=shipped, mapper_shares_disk=True)
    assert stats.compared == N
    assert stats.segmented == 0  # each group's segmentations read from the stage, none made again
    assert len(handed) > 1 and all(isinstance(q, GroupQuery) for q in handed)
    assert sum(len(q.ids) for q in handed) == N
    assert len(pickle.dumps(handed[0])) < 50_000  # ids and paths, never the rows
    for table in ("coverage", "localization", "flags", "plan_links"):
        assert sorted(map(repr, _rows(out, table))) == sorted(map(repr, _rows(base, table))), table


def test_the_local_pool_reads_groups_on_its_processes(base, tmp_path, rules):
    from pipeline import executors

    out = _copy(base, tmp_path / "a")
    pool = executors.LocalPool(2, rules)
    update(out, rules=rules, full=True, mapper=pool.map, mapper_shares_disk=pool.shares_disk)
    for table in ("coverage", "localization", "flags"):
        assert sorted(map(repr, _rows(out, table))) == sorted(map(repr, _rows(base, table))), table
    assert not (out / ".crossdoc.tmp").exists()  # the processes' spill folders are gone too


def test_the_local_pool_map_keeps_order_and_runs_one_item_here(rules):
    import operator

    from pipeline import executors

    pool = executors.LocalPool(2, rules)
    assert list(pool.map(operator.neg, range(9))) == [-i for i in range(9)]
    assert list(pool.map(operator.neg, [4])) == [-4]
    assert list(executors.LocalPool(1, rules).map(operator.neg, range(3))) == [0, -1, -2]


def test_a_title_every_commune_repeats_does_not_fetch_every_plan_of_it(tmp_path, rules, monkeypatch):
    """Communes copy their province's title: a reference that states a number and an issuer
    is resolved against plans whose number and issuer do not contradict it, not against every
    plan of its title (that grew with the square of the store)."""
    from pipeline import crossdoc_update

    title = "Kế hoạch phòng chống thiên tai năm 2026"
    plans = []
    for i in range(100, 400):
        rows = plan_rows(i, cites=("1/KH-UBND", "Ủy ban nhân dân tỉnh Số 1", title))
        rows["plans"][0]["title"] = title
        plans.append(rows)
    parent = plan_rows(1)
    parent["plans"][0]["title"] = title
    out = write_store(tmp_path / "out", [parent, *plans])
    fetched = []
    real = crossdoc_update.link
    monkeypatch.setattr(crossdoc_update, "link",
                        lambda ps, refs, **kw: fetched.append(len(ps)) or real(ps, refs, **kw))
    update(out, rules=rules)
    assert fetched and max(fetched) <= 2  # the parent (and nothing of the 300 namesakes)
    links = _rows(out, "plan_links")
    assert len(links) == 300 and {ln["parent_doc_id"] for ln in links} == {"p00001"}


def test_segmentations_of_no_plan_are_kept_once_each(tmp_path):
    """Each group of a run segments a catalogue's texts again (owner ''); the state keeps each
    text once, so what every group reads does not grow with the number of groups."""
    from pipeline.crossdoc_io import StoreReader
    from pipeline.crossdoc_state import State

    def merged(rounds):
        reader = StoreReader(tmp_path)
        try:
            state = State(tmp_path, reader, "f", segmenter="underthesea")  # (syllables keep no words)
            for rows in rounds:  # one piece per group, as compare_chunks adds them
                state.add("words", rows)
            state.merge()
            state.commit()
        finally:
            reader.close()
        return pq.read_table(tmp_path / ".crossdoc" / "words.parquet").to_pylist()

    cat = [{"owner": "", "key": k, "words": [k]} for k in ("k1", "k2")]
    groups = [[{"owner": f"p{g}", "key": f"t{g}", "words": ["a"]}, *cat] for g in range(3)]
    first = merged(groups)
    assert sorted(w["key"] for w in first if w["owner"] == "") == ["k1", "k2"]
    assert sorted(w["owner"] for w in first if w["owner"]) == ["p0", "p1", "p2"]  # no plans table: all kept
    second = merged([cat, cat])  # a later run: still once each
    assert sorted(w["key"] for w in second if w["owner"] == "") == ["k1", "k2"]
    assert len(second) == len(first)


def _tangled_plans(n: int) -> list[dict[str, list[dict]]]:
    """N plans citing plans 0-9 by number and symbol, by number with another symbol, and
    communes' plans by title alone, by title and an issuer, by title and a number; plans of
    those titles with and without a number or an issuer: every way `_link`'s query of the
    index takes a plan, each kind of reference with titles of its own."""
    t1, t2, t4, t6 = (f"Kế hoạch chung số {k}" for k in (1, 2, 4, 6))
    cites = [lambda i: (f"{i % 3}/KH-UBND", f"Ủy ban nhân dân tỉnh Số {i % 3}", None),
             lambda i: (None, None, t1),
             lambda i: (f"{3 + i % 3}/KH-UBND", f"Ủy ban nhân dân tỉnh Số {3 + i % 3}", t2),
             lambda i: (f"{6 + i % 2}/KH", None, None),
             lambda i: (None, f"Ủy ban nhân dân xã Số {i - 1}", t4),
             lambda i: (f"{8 + i % 2}/2025/KH-UBND", None, None),
             lambda i: (f"{i - 3}/KH-UBND", None, t6)]
    own = "Kế hoạch riêng của xã Số 11"  # one plan's title, cited once: a link by title
    plans = []
    for i in range(n):
        cited = (None, None, own) if i == 12 else cites[i % len(cites)](i) if i >= 10 else None
        rows = plan_rows(i, cites=cited)
        plan = rows["plans"][0]
        if i == 11:
            plan["title"] = own
        if i % 5 == 0 and i >= 10:
            plan["title"] = (t1, t2, t4, t6)[(i // 5) % 4]
        if i % 7 == 0 and i >= 10:
            plan["issuer"] = ""
        if i % 3 == 0 and i >= 10:
            plan.update(doc_ref=None, number=None, symbol=None)
        plans.append(rows)
    return plans


def test_each_chunks_staged_candidates_are_the_plans_its_own_query_finds(tmp_path, rules, monkeypatch):
    """A run over many chunks finds every chunk's candidate parents in one pass (staged by
    chunk); each chunk gets exactly the plans the query of the whole index for its references
    gives (`_candidates`), whichever way they were found."""
    from pipeline import crossdoc_update

    seen = []
    real = crossdoc_update._Run._link

    def checked(self, ids):
        rows = self.reader.rows("references", ids, crossdoc_update.REF_COLS, where="t.role = 'implements'")
        refs = [x for rs in rows.values() for x in rs]
        if refs and self.reader.part is not None:
            staged = self.reader.part_rows("candidates", crossdoc_update.LINK_COLS)
            alone = self._candidates(refs)
            seen.append(len(staged))
            assert sorted(map(repr, staged)) == sorted(map(repr, alone))
        return real(self, ids)

    monkeypatch.setattr(crossdoc_update._Run, "_link", checked)
    out = write_store(tmp_path / "out", _tangled_plans(3 * crossdoc_update.CHUNK))
    update(out, rules=rules)
    assert len(seen) == 3 and min(seen) > 0
    methods = {ln["method"] for ln in _rows(out, "plan_links")}
    assert {"doc_ref+issuer", "title", "ambiguous"} <= methods, methods


def test_streams_hand_over_bounded_batches(tmp_path):
    """Whole tables copied out of the state stream in batches of STREAM_ROWS rows at most (a
    larger batch made the copy's peak memory grow with the store)."""
    import pyarrow as pa

    from pipeline.crossdoc_io import STREAM_ROWS, StoreReader

    pq.write_table(pa.table({"x": list(range(3 * STREAM_ROWS + 5))}), tmp_path / "t.parquet")
    reader = StoreReader(tmp_path)
    try:
        sizes = [b.num_rows for b in reader.stream(f"SELECT x FROM read_parquet('{tmp_path / 't.parquet'}')")]
    finally:
        reader.close()
    assert sum(sizes) == 3 * STREAM_ROWS + 5 and max(sizes) <= STREAM_ROWS
