"""Throughput of `kehoach run`: documents/s, MB/s, pages/s and peak memory per worker.

    .venv/bin/python benchmarks/throughput.py --n 2000 --workers 1,2     (or: make bench)
    .venv/bin/python benchmarks/throughput.py --warm 200 --crossdoc 100,1000 --n 0 --pdfs 20

Every copy is NEW text: each body line of each copy carries words made for that copy, so no
cache (segmenter, fold, agency tokens) can answer from an earlier copy. Run on demand only,
never as a timed test.

--warm K: K new plans through the per-document stages (ingest → clean → segment → extract
→ rows, pickled as a worker sends them; Arrow tables as the runner makes them, once per chunk
of plans) in this one warm process, CPU time, as plans/s per core, side by side with
a floor pass over the same files (read + NFC + one regex scan); the ratio says how far the
stages are from the least any reader must do.
--crossdoc 100,1000: a store of that many new plans through the runner with every stage;
the cross-document stages (link, compare, flags, report) in seconds and ms per plan.

Builds N copies of corpus/ (new text as above), then for 100 documents and for N, with each
worker count:
- the pipeline: every stage, through the batch runner into a fresh store;
- the floor: the same runner with read + clean only, so pipeline/floor shows what the
  stages after cleaning cost (the runner, hashing and Parquet are in both).
Then PDFs with a text layer, typeset from the corpus with fpdf2: pages/s of the pipeline,
and of pypdfium2 and pdfplumber reading the text alone, for scale.

Peak memory per worker is the largest resident set any worker reached (getrusage in the
worker, reported with each document); "flat" means it does not grow from 100 to N.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch import run  # noqa: E402
from pipeline.clean import clean  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.records import DocResult  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def floor_task(path, *, rules, source_path):
    """Read + clean only: the least any run must do."""
    raw = ingest(path, source_path=source_path)
    if raw.status != "ok":
        return DocResult(raw=raw)
    return DocResult(raw=raw, clean=clean(raw, rules=rules))


_ONSETS = ["b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t", "th",
           "tr", "v", "x", "kh", "gi", "ch", "r"]
_RHYMES = ["a", "á", "à", "ả", "ã", "ạ", "an", "ang", "anh", "ao", "ai", "ắc", "ăm", "âu", "ân", "e",
           "ê", "ênh", "i", "im", "inh", "o", "ô", "ơ", "oa", "oan", "ong", "ôi", "u", "ư", "ương",
           "uyên", "iêu", "ơn", "ục", "ưng", "ót", "ầm", "ép", "ủy"]


def _new_words(rng, k: int) -> str:
    """K made-up syllables: Vietnamese in shape, new to every cache."""
    return " ".join(rng.choice(_ONSETS) + rng.choice(_RHYMES) for _ in range(k))


def seed_plans() -> list[Path]:
    """The plans copies are made from: corpus/ and corpus/real/."""
    out = []
    for folder in (ROOT / "corpus", ROOT / "corpus" / "real"):
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    return out


def new_plan(seed: Path, copy: int) -> str:
    """SEED's text with new words in each body line (after its fifth word), so every line of
    every copy is text no cache has seen; headings and short lines keep their shape."""
    import random

    rng = random.Random(f"{seed.name}:{copy}")
    lines = []
    for line in seed.read_text(encoding="utf-8").splitlines():
        words = line.split(" ")
        if len(line) > 60 and len(words) > 8:
            line = " ".join(words[:5] + [_new_words(rng, 3)] + words[5:])
        lines.append(line)
    return "\n".join(lines) + f"\n(Bản số {copy})\n"


def build_corpus(folder: Path, n: int, offset: int = 0) -> int:
    """N new text plans (see new_plan); returns total bytes."""
    seeds = seed_plans()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(offset, offset + n):
        seed = seeds[i % len(seeds)]
        data = new_plan(seed, i).encode()
        (folder / f"{i:05d}_{seed.name}").write_bytes(data)
        total += len(data)
    return total


def floor_pass(path: Path) -> int:
    """The floor: read, NFC, one regex scan."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8"))
    return len(re.findall(r"\w+", text))


def warm(tmp: Path, k: int, profile: bool) -> None:
    """K new plans through the per-document stages in this process, CPU time, vs the floor."""
    import pickle

    from pipeline.batch import DEFAULT_CHUNK
    from pipeline.executors import settle_collector
    from pipeline.process import parse_file
    from pipeline.rules import load_rules
    from pipeline.write import chunk_tables

    rules = load_rules()
    folder = tmp / "warm"
    build_corpus(folder, k + 20, offset=10_000)
    files = sorted(folder.iterdir())
    chunk: list = []

    def stages(f: Path) -> None:
        # what a worker does (the rows, pickled for the pipe to the runner) and the runner's
        # Arrow tables, made as it makes them: once per chunk of DEFAULT_CHUNK plans
        _, rows = parse_file(f, rules=rules)
        pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        chunk.append(rows)
        if len(chunk) == DEFAULT_CHUNK:
            flush()

    def flush() -> None:
        chunk_tables(chunk)
        chunk.clear()

    for f in files[:20]:  # warm up: models, matchers and imports (Arrow's too) load here, not in the figures
        stages(f)
    files = files[20:]
    flush()
    settle_collector()  # as a worker does after its warm-up

    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.process_time()
    for f in files:
        stages(f)
    flush()
    cpu = time.process_time() - t0
    if prof:
        prof.disable()
    t0 = time.process_time()
    for _ in range(5):
        for f in files:
            floor_pass(f)
    floor = (time.process_time() - t0) / 5
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"\nper-document stages, one warm process, {len(files)} new plans ({mb:.1f} MB), CPU time:")
    per = len(files)
    print(f"  stages {cpu:7.2f} s  {per / cpu:7.1f} plans/s per core  {1000 * cpu / per:6.1f} ms/plan")
    print(f"  floor  {floor:7.3f} s  {per / floor:7.0f} plans/s per core  (read + NFC + one regex scan)")
    print(f"  stages / floor: {cpu / floor:.0f}x")
    if prof:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(35)
        saved = Path(tempfile.gettempdir()) / "kehoach-warm.prof"
        prof.dump_stats(str(saved))
        print(out.getvalue())
        print(f"the whole profile: {saved} (python -m pstats)")


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def crossdoc(tmp: Path, sizes: list[int], workers: int) -> None:
    """Stores of new plans through every stage; the cross-document part per plan."""
    print(f"\ncross-document stages (link, compare, flags, report), {workers} worker(s):")
    print(f"{'plans':>7} {'run s':>8} {'crossdoc s':>11} {'ms/plan':>8} {'per-doc plans/s':>16}"
          f" {'parent MB':>10} {'worker MB':>10} {'runner CPU ms/plan':>19}")
    for size in sizes:
        folder = tmp / f"cross-{size}"
        build_corpus(folder, size, offset=20_000)
        cpu0 = _cpu_self()
        secs, s = timed_run(folder, tmp / f"out-cross-{size}", workers)
        # the runner's own CPU (its workers and pool processes are not its children): on a
        # machine with as many workers as cores, what it spends the workers do not get
        runner_cpu = _cpu_self() - cpu0
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cross = s.seconds_crossdoc
        print(f"{size:>7} {secs:>8.1f} {cross:>11.2f} {1000 * cross / size:>8.2f}"
              f" {size / max(1e-9, secs - cross):>16.1f} {parent:>10.0f} {s.peak_worker_rss_mb:>10.0f}"
              f" {1000 * runner_cpu / size:>19.2f}")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(tmp / f"out-cross-{size}", ignore_errors=True)


def build_pdfs(folder: Path, n: int) -> tuple[int, int]:
    """N text-layer PDFs typeset from new plans (see new_plan); returns (pages, bytes)."""
    import re

    import pypdfium2 as pdfium
    from fpdf import FPDF

    seeds = seed_plans()
    folder.mkdir(parents=True, exist_ok=True)
    pages = size = 0
    for i in range(n):
        seed = seeds[i % len(seeds)]
        pdf = FPDF(format="A4")
        pdf.set_margins(20, 15, 15)
        pdf.add_font("dv", fname=str(FONT))
        pdf.set_font("dv", size=12)
        pdf.add_page()
        for line in new_plan(seed, 30_000 + i).splitlines():
            line = re.sub(r"^#+\s*|\*\*", "", line).strip()
            if line:
                pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
        path = folder / f"{i:04d}_{seed.stem}.pdf"
        pdf.output(str(path))
        pages += len(pdfium.PdfDocument(str(path)))
        size += path.stat().st_size
    return pages, size


def timed_run(folder: Path, out: Path, workers: int, task=None) -> tuple[float, object]:
    t0 = time.perf_counter()
    summary = run([folder], out, workers=workers, progress=False, fresh=True, task=task,
                  timeout=600)
    return time.perf_counter() - t0, summary


def line(label: str, n: int, mb: float, secs: float, workers: int, peak: float, extra: str = "") -> str:
    return (f"{label:<10} {n:>6} {workers:>3} {secs:>8.2f} {n / secs:>9.1f} {n / secs / workers:>9.1f}"
            f" {mb / secs:>7.2f} {peak:>9.0f}  {extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="documents (up to 2000; default 500)")
    ap.add_argument("--workers", default="1,2", help="worker counts to try (default 1,2)")
    ap.add_argument("--pdfs", type=int, default=40, help="text-layer PDFs for the PDF case (0: skip)")
    ap.add_argument("--tmp", default=None, help="scratch folder (default: a temp dir, removed)")
    ap.add_argument("--warm", type=int, default=100,
                    help="new plans through the stages in one warm process (0: skip)")
    ap.add_argument("--profile", action="store_true",
                    help="with --warm: the cProfile of the warm pass "
                         "(also saved to TMPDIR/kehoach-warm.prof)")
    ap.add_argument("--crossdoc", default="", help="store sizes for the cross-document stages, e.g. 100,1000")
    args = ap.parse_args()
    n = max(0, min(args.n, 2000))
    worker_counts = [int(w) for w in args.workers.split(",")]
    tmp = Path(args.tmp) if args.tmp else Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    try:
        print(f"cores: {os.cpu_count()}   python: {sys.version.split()[0]}")
        if args.crossdoc:  # first: the parent's peak memory is this process's, a running maximum
            crossdoc(tmp, sorted(int(x) for x in args.crossdoc.split(",")), worker_counts[-1])
        if args.warm:
            warm(tmp, args.warm, args.profile)
        print(f"\n{'case':<10} {'docs':>6} {'wrk':>3} {'seconds':>8} {'docs/s':>9} {'/s/core':>9}"
              f" {'MB/s':>7} {'peak MB':>9}")
        sizes = sorted({min(100, n), n}) if n else []
        results = {}
        for size in sizes:
            folder = tmp / f"text-{size}"
            nbytes = build_corpus(folder, size)
            mb = nbytes / 1e6
            for w in worker_counts:
                secs_p, s_p = timed_run(folder, tmp / "out", w)
                secs_f, s_f = timed_run(folder, tmp / "out-floor", w, task=floor_task)
                results[size, w] = s_p.peak_worker_rss_mb
                ok = s_p.by_status.get("ok", 0)
                print(line("pipeline", size, mb, secs_p, w, s_p.peak_worker_rss_mb,
                           f"ok {ok}; cross-document stages {s_p.seconds_crossdoc:.1f} s"))
                per_doc = secs_p - s_p.seconds_crossdoc
                print(line("  per-doc", size, mb, per_doc, w, s_p.peak_worker_rss_mb,
                           "the same run without link, compare, flags and report"))
                print(line("floor", size, mb, secs_f, w, s_f.peak_worker_rss_mb,
                           f"pipeline/floor time {secs_p / secs_f:.1f}x"))
        for w in worker_counts if sizes else []:
            if (sizes[0], w) in results and (sizes[-1], w) in results:
                print(f"peak memory per worker, {w} worker(s): {results[sizes[0], w]:.0f} MB at "
                      f"{sizes[0]} docs -> {results[sizes[-1], w]:.0f} MB at {sizes[-1]} docs")

        if args.pdfs and FONT.exists():
            folder = tmp / "pdf"
            pages, nbytes = build_pdfs(folder, args.pdfs)
            print(f"\nPDF with a text layer: {args.pdfs} files, {pages} pages")
            print(f"{'case':<10} {'pages':>6} {'wrk':>3} {'seconds':>8} {'pages/s':>9} {'/s/core':>9}"
                  f" {'MB/s':>7} {'peak MB':>9}")
            for w in worker_counts:
                secs, s = timed_run(folder, tmp / "out-pdf", w)
                print(line("pipeline", pages, nbytes / 1e6, secs, w, s.peak_worker_rss_mb,
                           f"status {dict(sorted(s.by_status.items()))}"))
            import pdfplumber
            import pypdfium2 as pdfium

            files = sorted(folder.glob("*.pdf"))
            t0 = time.perf_counter()
            for f in files:
                doc = pdfium.PdfDocument(str(f))
                for i in range(len(doc)):
                    doc[i].get_textpage().get_text_range()
                doc.close()
            secs = time.perf_counter() - t0
            print(line("pdfium", pages, nbytes / 1e6, secs, 1, 0, "text layer only, in one process"))
            t0 = time.process_time()
            for f in files:
                ingest(f, source_path=str(f))
            secs = time.process_time() - t0
            print(line("ingest", pages, nbytes / 1e6, secs, 1, 0,
                       "kehoach's reading (text layer with layout), CPU time in one process"))
            from pipeline.process import process_file
            from pipeline.rules import load_rules

            rules = load_rules()
            process_file(files[0], rules=rules)  # warm: models load here
            t0 = time.process_time()
            for f in files:
                process_file(f, rules=rules)
            secs = time.process_time() - t0
            print(line("stages", pages, nbytes / 1e6, secs, 1, 0,
                       "reading + the per-document stages, CPU time in one warm process"))
            sub = files[: max(1, len(files) // 4)]
            t0 = time.perf_counter()
            for f in sub:
                with pdfplumber.open(f) as pdf:
                    for p in pdf.pages:
                        p.extract_words(extra_attrs=["fontname", "size"])
            secs = time.perf_counter() - t0
            sub_pages = sum(len(pdfium.PdfDocument(str(f))) for f in sub)
            print(line("plumber", sub_pages, sum(f.stat().st_size for f in sub) / 1e6, secs, 1, 0,
                       "words with fonts, in one process"))
        peak_parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak memory of the parent (runner) process: {peak_parent:.0f} MB")
    finally:
        if not args.tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":  # workers start by importing this script (forkserver)
    main()
