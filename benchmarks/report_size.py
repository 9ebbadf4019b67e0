"""Size and opening time of report.html (and the time to write kehoach.xlsx) for a province's
worth of plans.

    .venv/bin/python benchmarks/report_size.py --n 5000

Runs the pipeline once over the plans in corpus/ (seeds and the real provincial plans), then
copies the store's rows N times under new doc_ids (every table: plans, tasks, coverage, flags,
links), renders the report over the copies and reports: bytes, seconds to render, and seconds
for headless Chromium to load the page and draw it (`--dump-dom`, so the script has run).
Copies share their mandate texts (as commune plans of one programme do) but every plan's
evidence, file name and flags are its own, so the size is what distinct plans would cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch import run  # noqa: E402
from pipeline.crossdoc import load_rows  # noqa: E402
from pipeline.exports import write_xlsx  # noqa: E402
from pipeline.report import CHROMIUM_FLAGS, find_chromium, page_url, render  # noqa: E402


def _swap(value, old: str, new: str):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_swap(v, old, new) for v in value]
    return value


def copies(tables: dict[str, list[dict]], n: int) -> dict[str, list[dict]]:
    """N plans made from the store's plans, each under its own doc_id and file name."""
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for name, rows in tables.items():
        for r in rows:
            did = r.get("doc_id") or r.get("child_doc_id")
            by_doc.setdefault(did, {}).setdefault(name, []).append(r)
    plan_ids = [p["doc_id"] for p in tables["plans"]]
    out: dict[str, list[dict]] = {name: [] for name in tables}
    for k in range(n):
        old = plan_ids[k % len(plan_ids)]
        new = f"{k:06d}{old[6:]}"
        for name, rows in by_doc[old].items():
            for r in rows:
                row = {c: _swap(v, old, new) for c, v in r.items()}
                if name == "documents":
                    row["source_path"] = f"/in/{k:05d}_{Path(str(r['source_path'])).name}"
                    row["clean_text"] = f"{row['clean_text']}\n(Bản số {k})"  # its own text
                if name == "plans":  # and its own number: no two copies are duplicates
                    row["number"] = f"{row['number'] or ''}{k}"
                    row["locality"] = f"{row['locality'] or ''} {k // len(plan_ids) + 1}"
                out[name].append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000, help="plans in the report (default 5000)")
    ap.add_argument("--keep", help="write the report here instead of a temporary folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kehoach-report-size-") as tmp:
        store = Path(tmp) / "store"
        run([str(ROOT / "corpus")], store, workers=0, progress=False)
        tables = copies(load_rows(store), args.n)
        t0 = time.perf_counter()
        page = render(tables)
        secs = time.perf_counter() - t0
        report = Path(args.keep) if args.keep else Path(tmp) / "report.html"
        report.write_text(page, encoding="utf-8")
        mb = report.stat().st_size / 1e6
        print(f"report of {args.n} plans: {mb:.1f} MB, rendered in {secs:.1f} s")
        t0 = time.perf_counter()
        xlsx = write_xlsx(tables, Path(tmp) / "kehoach.xlsx")
        print(f"kehoach.xlsx: {xlsx.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        exe = find_chromium()
        if exe is None:
            print("chromium not found: opening time not measured")
            return
        t0 = time.perf_counter()
        dom = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                              "--dump-dom", page_url(report)], capture_output=True, timeout=600,
                             check=True).stdout.decode("utf-8")
        secs = time.perf_counter() - t0
        rows = dom.count('<tr class="plan')
        print(f"headless Chromium: loaded and drew {rows} plan rows in {secs:.1f} s "
              f"(browser start included)")


if __name__ == "__main__":
    main()
