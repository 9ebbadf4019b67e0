"""report.html: what the provincial analyst opens — one self-contained file, no network.

The page is a template (pipeline/templates/report.html: its CSS and a small script) and the
store's facts as one embedded JSON document, which the script renders: a summary (plans read,
files not read, plans with gaps, the mandates most often missing), the plan table (sortable,
with a search box, level and province filters and "only plans with problems"), each plan's
detail on demand (gaps first, flags by severity), the files that were not read and why, and
duplicates grouped. Repeated strings (mandate texts, messages) are stored once, and evidence
is kept short, so 5,000 plans stay a few megabytes (benchmarks/report_size.py).

The page reads its state from the address: `report.html#q=Nhân Lý&problems=1&plan=<doc_id>`
(search, level, province, problems, sort, plan), so a filtered view or one plan's detail can
be linked to and screenshotted.

    python -m pipeline.report outputs/                               # re-render from the store
    python -m pipeline.report --screenshot outputs/report.png outputs/  # and a PNG (chromium)
    python -m pipeline.report --screenshot d.png --fragment "plan=ab12" outputs/
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .compare.report_section import localization_and_changes_html
from .flags import severity_rank
from .link import as_rows, normalize
from .rules import Rules
from .schema import PIPELINE_VERSION

__all__ = ["render", "render_from", "page_html", "report_data", "snippet", "duplicate_groups", "screenshot",
           "find_chromium"]

LEVEL_VI = {"national": "Trung ương", "ministry": "Bộ, ngành", "province": "Tỉnh",
            "province_dept": "Sở, ngành tỉnh", "district": "Huyện", "commune": "Xã, phường",
            "unknown": "Chưa rõ"}
STATUS_ORDER = ("missing", "partial", "covered")
# evidence kept per row, in characters: enough to recognise the passage, short enough for 5,000 plans
PARTIAL_EVIDENCE = 220
COVERED_EVIDENCE = 0
FLAG_EVIDENCE = 140
TEMPLATE = "templates/report.html"
DATA_MARK = "__KEHOACH_DATA__"


def _date(v: Any) -> str | None:
    if isinstance(v, dt.datetime):
        v = v.date()
    return v.isoformat() if isinstance(v, dt.date) else None


def snippet(text: str, start: Any, end: Any, n: int) -> str:
    """text[start:end] on one line, cut to N characters (an ellipsis ends a cut one)."""
    if n <= 0 or not text or start is None or end is None:
        return ""
    s = " ".join(text[int(start):int(end)].split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _name(path: str | None) -> str:
    return Path(str(path or "")).name or str(path or "")


def unread_row(d: dict) -> dict:
    """How the report lists a documents row that gave no plan: why, in Vietnamese."""
    dup = d.get("duplicate_of")  # the path whose bytes this file repeats: read once, for both
    reason = (f"trùng với {_name(dup)}" if dup
              else d.get("error") or ("không nhận ra là một văn bản kế hoạch" if d.get("status") == "ok"
                                      else ""))
    return {"f": _name(d.get("source_path")), "path": d.get("source_path") or "",
            "fmt": d.get("source_format") or "", "error": reason,
            "status": "duplicate" if dup else d.get("status") or ""}


class _Strings:
    """A table of the strings that repeat across plans (mandates, groups, messages): each once."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, s: Any) -> int:
        s = "" if s is None else str(s)
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i


def duplicate_groups(plans: Sequence[Mapping], documents: Sequence[Mapping]) -> list[list[str]]:
    """Doc_ids of plans that are one document arriving more than once (txt and docx, a scan of a
    text): the same number, issuer and date, the same cleaned text, or a `duplicate_of` the batch
    recorded. Groups of two or more, each in store order."""
    parent = {p["doc_id"]: p["doc_id"] for p in plans}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(b)] = find(a)

    first: dict[tuple, str] = {}
    docs = {d["doc_id"]: d for d in documents}
    for p in plans:
        did = p["doc_id"]
        keys = []
        if p.get("number") and p.get("issue_date") and p.get("issuer"):
            keys.append(("ref", normalize(p["number"]), normalize(p.get("symbol")),
                         normalize(p["issuer"]), _date(p["issue_date"])))
        text = " ".join(str((docs.get(did) or {}).get("clean_text") or "").split())
        if text:
            keys.append(("text", hashlib.sha256(text.encode("utf-8")).hexdigest()))
        for k in keys:
            if k in first:
                union(first[k], did)
            else:
                first[k] = did
        dup_of = (docs.get(did) or {}).get("duplicate_of")
        if dup_of:
            union(dup_of, did)
    groups: dict[str, list[str]] = defaultdict(list)
    for p in plans:
        groups[find(p["doc_id"])].append(p["doc_id"])
    return [g for g in groups.values() if len(g) > 1]


def report_data(tables: Mapping[str, Any], *, rules: Rules | None = None,
                generated: dt.datetime | None = None, spans: Mapping | None = None,
                n_tasks: Mapping[str, int] | None = None) -> dict:
    """What the page shows, as plain JSON-ready data (see the template's script for its use).

    SPANS, if given, maps (doc_id, char_start, char_end) to clean_text[start:end] for the
    evidence shown, so documents may come without their text (render_from reads it so);
    N_TASKS, tasks per doc_id, so tasks may come only when a coverage row names them."""
    rows = {k: as_rows(tables.get(k)) for k in ("documents", "plans", "tasks", "plan_links",
                                                 "coverage", "flags")}
    rules = Rules.resolve(rules)
    spec = (rules.data.get("flags") or {}).get("flags") or {}
    rank = severity_rank(rules)
    # copies share their doc_id: the document is the path that is no one's duplicate
    docs = {d["doc_id"]: d for d in rows["documents"] if d.get("duplicate_of")}
    docs.update({d["doc_id"]: d for d in rows["documents"] if not d.get("duplicate_of")})
    texts = {k: d.get("clean_text") or "" for k, d in docs.items()}
    tasks = {t["task_id"]: t for t in rows["tasks"]}
    if n_tasks is None:
        n_tasks = Counter(t["doc_id"] for t in rows["tasks"])
    by: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for f in rows["flags"]:
        by[f["doc_id"]]["flags"].append(f)
    for c in rows["coverage"]:
        by[c["child_doc_id"]]["coverage"].append(c)
    for ln in rows["plan_links"]:
        by[ln["child_doc_id"]]["links"].append(ln)
    plans = sorted(rows["plans"], key=lambda p: (_name(docs.get(p["doc_id"], {}).get("source_path")),
                                                 p["doc_id"]))
    index = {p["doc_id"]: i for i, p in enumerate(plans)}
    dups = duplicate_groups(plans, rows["documents"])
    dup_of = {did: gi for gi, g in enumerate(dups) for did in g}
    S = _Strings()
    missing_by: dict[tuple[str, str], set] = defaultdict(set)
    out_plans = []
    for p in plans:
        did = p["doc_id"]
        doc = docs.get(did, {})
        text = texts.get(did, "")
        if spans is not None:
            def snip(_text, a, b, n, did=did):
                return snippet(spans.get((did, a, b)) or "", 0 if a is not None else None,
                                None if b is None or a is None else b - a, n)
        else:
            snip = snippet
        flags = sorted(by[did]["flags"], key=lambda f: (rank(f["severity"], f["code"]),
                                                        f.get("char_start") or 0))
        fl = [[S(f["code"]), f["severity"], S(f["message"]), f.get("path") or "",
               snip(text, f.get("char_start"), f.get("char_end"), FLAG_EVIDENCE)] for f in flags]
        cov = sorted(by[did]["coverage"], key=lambda c: (STATUS_ORDER.index(c["status"])
                                                         if c["status"] in STATUS_ORDER else 3,
                                                         -float(c.get("score") or 0)))
        cv = []
        for c in cov:
            tids = list(c.get("child_task_ids") or [])
            paths = ", ".join(str(tasks[t].get("path")) for t in tids[:3] if t in tasks)
            n = PARTIAL_EVIDENCE if c["status"] == "partial" else COVERED_EVIDENCE
            ev = ""
            if n and tids and tids[0] in tasks:
                t = tasks[tids[0]]
                ev = snip(text, t.get("char_start"), t.get("char_end"), n) or str(t.get("text") or "")[:n]
            cv.append([S(c["mandate_text"]), S(c.get("mandate_group") or ""), c["status"],
                       round(float(c.get("score") or 0), 2), paths, ev,
                       S(", ".join(list(c.get("matched_terms") or [])[:8]))])
            if c["status"] == "missing":  # a plan that arrived twice counts once
                missing_by[(c["mandate_text"], c.get("mandate_group") or "")].add(dup_of.get(did, did))
        parents = [[ln["parent_ref"], index.get(ln.get("parent_doc_id"), -1) if ln.get("resolved") else -1]
                   for ln in by[did]["links"]]
        st = Counter(c["status"] for c in cov)
        sev = Counter(f["severity"] for f in flags)
        out_plans.append({
            "id": did, "f": _name(doc.get("source_path")), "fmt": doc.get("source_format") or "",
            "loc": p.get("locality") or p.get("issuer") or "", "lvl": p.get("issuer_level") or "unknown",
            "prov": p.get("province") or "", "ref": p.get("doc_ref") or (
                f"Số: /{p['symbol']}" if p.get("symbol") else ""),
            "date": _date(p.get("issue_date")), "draw": p.get("issue_date_raw") or "",
            "title": p.get("title") or "", "iss": p.get("issuer") or "", "kind": p.get("doc_kind") or "",
            "par": parents, "nt": n_tasks.get(did, 0), "ocr": bool(doc.get("ocr_used")),
            "dup": dup_of.get(did, -1), "fl": fl, "cv": cv,
            "n": [st.get("missing", 0), st.get("partial", 0), st.get("covered", 0),
                  sev.get("error", 0), sev.get("warning", 0), sev.get("info", 0)],
        })
    planned = set(index)
    failed = []
    for d in rows["documents"]:
        dup = d.get("duplicate_of")  # the path whose bytes this file repeats: read once, for both
        if d.get("status") == "ok" and d["doc_id"] in planned and not dup:
            continue
        failed.append(unread_row(d))
    failed.sort(key=lambda d: (d["status"], d["f"]))
    top = sorted(([m, g, len(ids)] for (m, g), ids in missing_by.items()), key=lambda x: -x[2])[:10]
    groups: list[str] = []
    for c in rows["coverage"]:
        g = c.get("mandate_group") or "Khác"
        if g not in groups:
            groups.append(g)
    return {
        "generated": (generated or dt.datetime.now()).strftime("%H:%M %d/%m/%Y"),
        "version": PIPELINE_VERSION, "levels": LEVEL_VI,
        "codes": {code: {"en": s.get("en", ""), "sev": s.get("severity", "")} for code, s in spec.items()},
        "strings": S.items, "plans": out_plans, "failed": failed, "dups": dups, "top": top,
        "groups": groups, "n_docs": len(rows["documents"]),
    }


def _template() -> str:
    return resources.files("pipeline").joinpath(TEMPLATE).read_text(encoding="utf-8")


def render(tables: Mapping[str, Any], *, rules: Rules | None = None,
           generated: dt.datetime | None = None, spans: Mapping | None = None,
           n_tasks: Mapping[str, int] | None = None) -> str:
    """The report page for the tables of a store (DataFrames or lists of rows)."""
    return page_html(report_data(tables, rules=rules, generated=generated, spans=spans,
                                 n_tasks=n_tasks), tables)


def page_html(data: dict, tables: Mapping[str, Any]) -> str:
    """The page: the template with DATA embedded, and the localization / change tables of TABLES."""
    data = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    # inside <script>, "</script" would end the element: no "<" at all (JSON reads \u003c as "<")
    data = data.replace("<", "\\u003c")
    page = _template()
    assert page.count(DATA_MARK) == 1, "the report template must hold the data mark once"
    page = page.replace(DATA_MARK, data)
    # localization and change across cycles: static tables after the plans (few rows per plan)
    extra = "\n".join(localization_and_changes_html(tables))
    if extra:
        page = page.replace("</body></html>", f'<section class="wrap">{extra}</section>\n</body></html>', 1)
    return page


def render_from(out_dir: Path, *, rules: Rules | None = None,
                generated: dt.datetime | None = None) -> str:
    """The report page read from OUT_DIR's Parquet files: the columns the page shows, never the
    documents' full text (the evidence passages are cut out of it by DuckDB). A store of more
    than report_large.FULL_PLANS plans gets the bounded page (report_large.render_large)."""
    from .crossdoc_io import plan_count
    from .report_io import read_report_tables
    from .report_large import FULL_PLANS, render_large

    if plan_count(Path(out_dir)) > FULL_PLANS:
        return render_large(Path(out_dir), rules=rules, generated=generated)
    tables, extra = read_report_tables(Path(out_dir))
    return render(tables, rules=rules, generated=generated, **extra)


# --- screenshot -------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--hide-scrollbars"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def page_url(report: Path, fragment: str = "") -> str:
    """The file URL of REPORT with a state fragment (`q=...&problems=1`), safely quoted."""
    url = Path(report).resolve().as_uri()
    return url + ("#" + quote(fragment, safe="=&") if fragment else "")


def screenshot(report: Path, png: Path, *, width: int = 1400, height: int = 2400,
               timeout: float = 120, fragment: str = "") -> Path:
    """A PNG of the report as headless Chromium draws it (FRAGMENT: the page state to show)."""
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("chromium not found (install it: apt-get install chromium)")
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kehoach-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               "--virtual-time-budget=5000", f"--screenshot={png}", page_url(report, fragment)]
        subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="the output folder (the store) of `kehoach run`")
    ap.add_argument("--screenshot", metavar="PNG", help="also save a screenshot of the report")
    ap.add_argument("--fragment", default="", help="page state for the screenshot: q=..., plan=DOC_ID")
    ap.add_argument("--size", default="1400x2400", help="screenshot WIDTHxHEIGHT (default 1400x2400)")
    ap.add_argument("--rules", default=None)
    ap.add_argument("--no-refresh", action="store_true",
                    help="use the report.html already there instead of rendering it again")
    args = ap.parse_args(argv)
    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        print(f"report: no such folder: {out_dir}", file=sys.stderr)
        return 2
    report = out_dir / "report.html"
    if not args.no_refresh or not report.exists():
        rules = Rules.resolve(args.rules)
        tmp = report.with_name(f".{report.name}.tmp-{os.getpid()}")
        tmp.write_text(render_from(out_dir, rules=rules), encoding="utf-8")
        os.replace(tmp, report)
    print(report)
    if args.screenshot:
        width, height = (int(x) for x in args.size.lower().split("x"))
        try:
            print(screenshot(report, Path(args.screenshot), width=width, height=height,
                             fragment=args.fragment))
        except (RuntimeError, subprocess.SubprocessError) as exc:
            print(f"report: screenshot failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
