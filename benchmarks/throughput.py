"""Throughput of `kehoach run`: documents/s, MB/s, pages/s and peak memory per worker.

    .venv/bin/python benchmarks/throughput.py --n 2000 --workers 1,2     (or: make bench)

Builds N copies of corpus/ (each with a small variation so that every doc_id differs),
then for 100 documents and for N, with each worker count:
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


def build_corpus(folder: Path, n: int) -> int:
    """N text plans from corpus/, each copy varied by a closing line; returns total bytes."""
    seeds = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        seed = seeds[i % len(seeds)]
        data = seed.read_bytes() + f"\n(Bản số {i // len(seeds) + 1})\n".encode()
        (folder / f"{i:05d}_{seed.name}").write_bytes(data)
        total += len(data)
    return total


def build_pdfs(folder: Path, n: int) -> tuple[int, int]:
    """N text-layer PDFs typeset from the corpus; returns (pages, bytes)."""
    import re

    import pypdfium2 as pdfium
    from fpdf import FPDF

    seeds = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))
    folder.mkdir(parents=True, exist_ok=True)
    pages = size = 0
    for i in range(n):
        seed = seeds[i % len(seeds)]
        pdf = FPDF(format="A4")
        pdf.set_margins(20, 15, 15)
        pdf.add_font("dv", fname=str(FONT))
        pdf.set_font("dv", size=12)
        pdf.add_page()
        for line in seed.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^#+\s*|\*\*", "", line).strip()
            if line:
                pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6.5, f"(Bản số {i + 1})", new_x="LMARGIN", new_y="NEXT")
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
    args = ap.parse_args()
    n = max(1, min(args.n, 2000))
    worker_counts = [int(w) for w in args.workers.split(",")]
    tmp = Path(args.tmp) if args.tmp else Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    try:
        print(f"cores: {os.cpu_count()}   python: {sys.version.split()[0]}")
        print(f"{'case':<10} {'docs':>6} {'wrk':>3} {'seconds':>8} {'docs/s':>9} {'/s/core':>9}"
              f" {'MB/s':>7} {'peak MB':>9}")
        sizes = sorted({min(100, n), n})
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
        for w in worker_counts:
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
