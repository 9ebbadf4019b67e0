"""Store scale: consolidation, the cross-document stages and an incremental run at 10^2..10^5 plans.

The per-document stages run once, over corpus/ (seeds and real plans, ~17 documents); their part
files are then replicated at the Arrow level into synthetic stores of N plans: every copy gets new
doc_ids (in every id column), new document numbers (a copy's plans cite the copy's own plans by
their new numbers, so each replicated commune plan cites a replicated provincial plan of its copy
and link keys stay unique), its own source paths and a commit record, so `pipeline.store.Store`
accepts the store as if a batch had written it. Each measured step runs in a child process of its
own (peak RSS = that child's ru_maxrss):

    consolidate   Store(OUT).consolidate()                       (OUT/<table>.parquet from the parts)
    crossdoc      crossdoc.finish(OUT)                           (link, compare, flags, DuckDB, xlsx, report)
    +1 plan       one more copy committed, consolidate + finish  (the incremental run)
    again         consolidate + finish with nothing new          (a run that changes nothing)

    python benchmarks/store_scale.py                    # 100 1000 10000
    python benchmarks/store_scale.py --sizes 100 1000 --code /work/main   # another checkout's pipeline

Run on demand; figures, never a test. `--code` runs the children on another checkout's pipeline
(for before/after); the store is built by this file either way.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.schema import PIPELINE_VERSION, TABLES  # noqa: E402

MARK = "\x00K\x00"  # stands for a copy's number inside every id (never in real ids)
PER_PART = 200  # documents per committed part, as a batch's chunks would hold
ID_COLUMNS = {t: [c for c in cols if c.endswith("_id") or c.endswith("_ids")]
              for t, cols in TABLES.items()}


def build_base(base: Path, corpus: Path) -> None:
    """The real pipeline once over CORPUS (its part files are what gets replicated)."""
    from pipeline.batch import run
    if (base / "parts" / "commits").exists() and any((base / "parts" / "commits").iterdir()):
        return
    run([corpus], base, workers=0, progress=False)


def load_template(base: Path) -> tuple[dict[str, pa.Table], list[tuple[str, str, str]], str]:
    """The base parts as one table each, every doc_id turned into MARK + its tail."""
    commits = [json.loads(f.read_text(encoding="utf-8"))
               for f in sorted((base / "parts" / "commits").glob("part-*.json"))]
    fp = commits[-1]["fingerprint"]
    docs = {}
    for rec in commits:
        for d in rec["docs"]:
            docs[d[1]] = (d[0], d[2])  # latest entry per path
    ids = sorted({d for d, _ in docs.values()})
    tables = {}
    for table in TABLES:
        files = sorted((base / "parts" / table).glob("part-*.parquet"))
        if not files:
            continue
        t = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
        for col in ID_COLUMNS[table]:
            if col in t.column_names:
                t = t.set_column(t.schema.get_field_index(col), col, _mark(t.column(col), ids))
        if table == "documents":  # a copy's paths are /synthetic/<copy>/<name>
            t = t.set_column(t.schema.get_field_index("source_path"), "source_path",
                             pa.array([Path(p).name for p in t.column("source_path").to_pylist()]))
        tables[table] = t
    if "references" in tables and "plans" in tables:
        tables["references"] = _cite_parents(tables["references"], tables["plans"])
    numbers = _numbers(tables)
    for table in ("plans", "references"):
        if table in tables:
            tables[table] = _renumber_template(tables[table], numbers)
    names = [(Path(sp).name, d, status) for sp, (d, status) in docs.items()]
    return tables, names, fp


def _mark(col: pa.ChunkedArray, ids: list[str]) -> pa.ChunkedArray:
    """Each doc_id inside COL's strings becomes MARK + the doc_id's tail (copy k fills in k)."""
    flat = pa.types.is_list(col.type)
    arr = col.combine_chunks()
    values = arr.flatten() if flat else arr
    for d in ids:
        values = pc.replace_substring(values, d, MARK + d[7:])
    if flat:
        values = pa.ListArray.from_arrays(arr.offsets, values, mask=arr.is_null())
    return pa.chunked_array([values])


def _cite_parents(refs: pa.Table, plans: pa.Table) -> pa.Table:
    """Each commune or district plan's first 'implements' reference cites a provincial plan of its
    province (of the same copy once numbered), so the synthetic store has families to link."""
    rows = plans.to_pylist()
    prov = {}
    for p in rows:
        if p["issuer_level"] == "province" and p["number"]:
            prov.setdefault(p["province"], p)
    fallback = next(iter(prov.values()), None)
    parent = {p["doc_id"]: prov.get(p["province"], fallback) for p in rows
              if p["issuer_level"] in ("commune", "district")}
    out, done = refs.to_pylist(), set()
    for r in out:
        par = parent.get(r["doc_id"])
        if par is None or r["doc_id"] in done or r["role"] != "implements":
            continue
        done.add(r["doc_id"])
        r.update(number=par["number"], symbol=par["symbol"], doc_ref=par["doc_ref"],
                 ref_date=par["issue_date"], issuer=par["issuer"])
    return pa.Table.from_pylist(out, schema=refs.schema)


def _numbers(tables: dict[str, pa.Table]) -> set[str]:
    p = tables.get("plans")
    return {n for n in p.column("number").to_pylist() if n} if p is not None else set()


def _renumber_template(t: pa.Table, numbers: set[str]) -> pa.Table:
    """Numbers of the base's own plans (as plans and as cited) carry MARK: each copy its own."""
    num = t.column("number").to_pylist()
    ref = t.column("doc_ref").to_pylist()
    new_num = [f"{n}{MARK}" if n in numbers else n for n in num]
    new_ref = [r.replace(f"{n}/", f"{n}{MARK}/", 1) if r and n in numbers else r
               for n, r in zip(num, ref, strict=True)]
    t = t.set_column(t.schema.get_field_index("number"), "number", pa.array(new_num, pa.string()))
    return t.set_column(t.schema.get_field_index("doc_ref"), "doc_ref", pa.array(new_ref, pa.string()))


def _fill(t: pa.Table, k: int, table: str) -> pa.Table:
    """Copy K of a template table: MARK replaced in ids (hex) and numbers (decimal)."""
    for col in [*ID_COLUMNS[table], *(("number", "doc_ref") if table in ("plans", "references") else ())]:
        if col not in t.column_names:
            continue
        c = t.column(col).combine_chunks()
        repl = f"{k:07x}" if col not in ("number", "doc_ref") else f"{k:05d}"
        flat = pa.types.is_list(c.type)
        v = pc.replace_substring(c.flatten() if flat else c, MARK, repl)
        if flat:
            v = pa.ListArray.from_arrays(c.offsets, v, mask=c.is_null())
        t = t.set_column(t.schema.get_field_index(col), col, v)
    if table == "documents":
        sp = pc.binary_join_element_wise(f"/synthetic/{k:06d}", t.column("source_path"), "/")
        t = t.set_column(t.schema.get_field_index("source_path"), "source_path", sp)
    return t


def add_copies(out: Path, template, names, fp: str, first: int, copies: int, part: int) -> int:
    """Copies FIRST..FIRST+COPIES-1 committed as parts from PART on; returns the next part."""
    tables, per = template, max(1, PER_PART // max(1, len(names)))
    for start in range(first, first + copies, per):
        ks = range(start, min(first + copies, start + per))
        written = []
        for table, t in tables.items():
            piece = pa.concat_tables([_fill(t, k, table) for k in ks])
            d = out / "parts" / table
            d.mkdir(parents=True, exist_ok=True)
            pq.write_table(piece, d / f"part-{part:06d}.parquet")
            written.append(table)
        docs = [[f"{k:07x}{d[7:]}", f"/synthetic/{k:06d}/{name}", status, i * len(names) + j, "parsed"]
                for i, k in enumerate(ks) for j, (name, d, status) in enumerate(names)]
        rec = {"part": part, "fingerprint": fp, "run": part, "pipeline_version": PIPELINE_VERSION,
               "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "tables": written, "docs": docs}
        (out / "parts" / "commits").mkdir(parents=True, exist_ok=True)
        (out / "parts" / "commits" / f"part-{part:06d}.json").write_text(json.dumps(rec), encoding="utf-8")
        part += 1
    return part


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
out, step = Path(sys.argv[1]), sys.argv[2]
t0 = time.monotonic()
from pipeline.store import Store
if step in ("consolidate", "plus1", "again"):
    s = Store(out)
    try:
        s.consolidate()
    finally:
        s.close()
parts = {}
if step in ("crossdoc", "plus1", "again"):
    from pipeline.crossdoc import publish, update
    t1 = time.monotonic()
    parts["update"] = update(out).line()
    t2 = time.monotonic()
    publish(out)
    parts["split"] = f"consolidate {t1 - t0:.1f}s update {t2 - t1:.1f}s publish {time.monotonic() - t2:.1f}s"
print(json.dumps({"s": time.monotonic() - t0,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **parts}))
"""


def measure(out: Path, step: str, code: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    r = subprocess.run([sys.executable, "-c", CHILD, str(out), step], env=env, capture_output=True,
                       text=True, check=False)
    if r.returncode:
        return {"s": float("nan"), "mb": float("nan"), "error": r.stderr.strip().splitlines()[-1:]}
    out = json.loads(r.stdout.strip().splitlines()[-1])
    if r.stderr.strip():  # an export that could not be written, say
        out["stderr"] = r.stderr.strip().splitlines()[-3:]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "kehoach-store-scale-base",
                    help="where the one real run is kept between invocations")
    ap.add_argument("--work", type=Path, default=None, help="where the synthetic stores are built")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose pipeline the steps run")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic stores")
    args = ap.parse_args(argv)
    build_base(args.base, args.corpus)
    template, names, fp = load_template(args.base)
    work = args.work or Path(tempfile.mkdtemp(prefix="kehoach-store-scale-"))
    print(f"base: {len(names)} documents from {args.corpus}; code: {args.code}")
    print(f"{'plans':>8} {'step':>12} {'seconds':>9} {'ms/plan':>9} {'peak MB':>9}")
    peaks: dict[str, list[float]] = {}
    for n in args.sizes:
        out = work / f"store-{n}"
        shutil.rmtree(out, ignore_errors=True)
        copies = math.ceil(n / len(names))
        t0 = time.monotonic()
        part = add_copies(out, template, names, fp, 0, copies, 1)
        plans = copies * len(names)
        print(f"{plans:>8} {'(build)':>12} {time.monotonic() - t0:>9.1f}")
        for step in ("consolidate", "crossdoc", "plus1", "again"):
            if step == "plus1":
                add_copies(out, template, names, fp, copies, 1, part)
            r = measure(out, step, args.code)
            per = len(names) if step in ("plus1", "again") else plans
            print(f"{plans:>8} {step:>12} {r['s']:>9.2f} {1000 * r['s'] / per:>9.2f} {r['mb']:>9.0f}"
                  + (f"  {r['error']}" if "error" in r else ""), flush=True)
            for key in ("split", "update", "stderr"):
                if key in r:
                    print(f"{'':>22}{key}: {r[key]}", flush=True)
            peaks.setdefault(step, []).append(r["mb"])
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    for step, mbs in peaks.items():
        if len(mbs) > 1:
            flat = mbs[-1] <= 1.5 * mbs[0]
            print(f"{step}: peak {mbs[0]:.0f} -> {mbs[-1]:.0f} MB: {'flat' if flat else 'NOT flat'}")
    if args.work is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
