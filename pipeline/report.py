"""report.html: what the provincial analyst opens — one self-contained file, no network.

A table of plans (locality, level, parent, date, counts of tasks and flags), a heat map of
coverage (localities × task groups), then per plan its flags and its coverage with the
evidence text. Every text is HTML-escaped; the page declares UTF-8.

    python -m pipeline.report outputs/                               # re-render from the store
    python -m pipeline.report --screenshot outputs/report.png outputs/  # and a PNG (chromium)
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .compare.report_section import localization_and_changes_html
from .link import as_rows
from .rules import Rules

__all__ = ["render", "screenshot", "find_chromium"]

LEVEL_VI = {"national": "Trung ương", "ministry": "Bộ, ngành", "province": "Tỉnh",
            "province_dept": "Sở, ngành tỉnh", "district": "Huyện", "commune": "Xã, phường",
            "unknown": "Chưa rõ"}
STATUS_VI = {"covered": "Đã có", "partial": "Một phần", "missing": "Thiếu"}
SEV_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
STATUS_WEIGHT = {"covered": 1.0, "partial": 0.5, "missing": 0.0}

CSS = """
body{font-family:"Noto Sans","DejaVu Sans","Segoe UI",Arial,sans-serif;margin:24px;color:#1d2733;
 font-size:14px;line-height:1.45}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #d5dde6}
h3{font-size:16px;margin:22px 0 6px}
table{border-collapse:collapse;margin:6px 0 14px;width:100%}
th,td{border:1px solid #d5dde6;padding:4px 7px;vertical-align:top;text-align:left}
th{background:#eef2f6;font-weight:600}
.num{text-align:right;white-space:nowrap}.muted{color:#66727f}.small{font-size:12px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;white-space:nowrap}
.covered{background:#d8f0dc;color:#14532d}.partial{background:#fdf0c8;color:#6b4f00}
.missing{background:#f9d6d5;color:#7f1d1d}.error{background:#f9d6d5;color:#7f1d1d}
.warning{background:#fdf0c8;color:#6b4f00}.info{background:#dde8f7;color:#1e3a5f}
.heat td.cell{text-align:center;font-weight:600;min-width:70px}
.heat td.na{background:#f4f6f8;color:#9aa5b1;text-align:center}
.evidence{font-size:12px;color:#36424f;background:#f7f9fb;border-left:3px solid #c5d0db;padding:2px 6px;
 margin:2px 0}
.terms{font-size:12px;color:#1e3a5f}
details{margin:4px 0 12px}summary{cursor:pointer;font-weight:600}
.plan{border:1px solid #d5dde6;border-radius:6px;padding:4px 14px 10px;margin:14px 0}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _date(v: Any) -> str:
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return f"{v.day:02d}/{v.month:02d}/{v.year}"
    return ""


def _heat_colour(share: float) -> str:
    """Red (0) through amber to green (1), light enough to read dark text on."""
    hue = int(round(120 * max(0.0, min(1.0, share))))
    return f"hsl({hue},70%,78%)"


def _snippet(text: str, start: Any, end: Any, n: int = 300) -> str:
    if not text or start is None or end is None:
        return ""
    s = " ".join(text[int(start):int(end)].split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _plan_label(p: Mapping) -> str:
    return p.get("locality") or p.get("issuer") or p.get("doc_id")


def render(tables: Mapping[str, Any], *, rules: Rules | None = None,
           generated: dt.datetime | None = None) -> str:
    """The report page for the tables of a store (DataFrames or lists of rows)."""
    rows = {k: as_rows(tables.get(k)) for k in ("documents", "plans", "tasks", "plan_links",
                                                 "coverage", "flags")}
    rules_flags = {}
    if rules is not None:
        rules_flags = (rules.data.get("flags") or {}).get("flags") or {}
    texts = {d["doc_id"]: d.get("clean_text") or "" for d in rows["documents"]}
    sources = {d["doc_id"]: d.get("source_path") or "" for d in rows["documents"]}
    tasks = {t["task_id"]: t for t in rows["tasks"]}
    n_tasks = Counter(t["doc_id"] for t in rows["tasks"])
    flags_by: dict[str, list[dict]] = defaultdict(list)
    for f in rows["flags"]:
        flags_by[f["doc_id"]].append(f)
    cov_by: dict[str, list[dict]] = defaultdict(list)
    for c in rows["coverage"]:
        cov_by[c["child_doc_id"]].append(c)
    links_by: dict[str, list[dict]] = defaultdict(list)
    for ln in rows["plan_links"]:
        links_by[ln["child_doc_id"]].append(ln)
    plans = sorted(rows["plans"], key=lambda p: (p.get("province") or "", _plan_label(p) or ""))
    plan_ids = {p["doc_id"] for p in plans}
    generated = generated or dt.datetime.now()

    out = ['<!DOCTYPE html>', '<html lang="vi"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<title>Báo cáo rà soát kế hoạch</title>', f"<style>{CSS}</style></head><body>",
           "<h1>Báo cáo rà soát kế hoạch</h1>",
           f'<p class="muted">Plan compliance report · {len(plans)} kế hoạch · '
           f'{len(rows["coverage"])} nhiệm vụ được giao đã đối chiếu · lập lúc '
           f'{_e(generated.strftime("%H:%M %d/%m/%Y"))}</p>']

    # --- plans table
    out.append("<h2>Danh sách kế hoạch</h2>")
    out.append('<table id="plans"><thead><tr><th>Địa bàn</th><th>Cấp</th><th>Số, ký hiệu</th>'
               "<th>Ngày ban hành</th><th>Tên kế hoạch</th><th>Văn bản cấp trên</th>"
               '<th class="num">Nhiệm vụ</th><th class="num">Cảnh báo</th><th>Đối chiếu</th>'
               "</tr></thead><tbody>")
    for p in plans:
        did = p["doc_id"]
        parents = []
        for ln in links_by.get(did, []):
            if ln.get("resolved") and ln.get("parent_doc_id") in plan_ids:
                parents.append(f'<a href="#plan-{_e(ln["parent_doc_id"])}">{_e(ln["parent_ref"])}</a>')
            else:
                parents.append(f'{_e(ln["parent_ref"])} <span class="muted small">(chưa có)</span>')
        sev = Counter(f["severity"] for f in flags_by.get(did, []))
        sev_html = " ".join(f'<span class="badge {s}">{_e(SEV_VI.get(s, s))} {sev[s]}</span>'
                            for s in ("error", "warning", "info") if sev.get(s))
        st = Counter(c["status"] for c in cov_by.get(did, []))
        st_html = " ".join(f'<span class="badge {s}">{_e(STATUS_VI[s])} {st[s]}</span>'
                           for s in ("covered", "partial", "missing") if st.get(s)) or \
            '<span class="muted">—</span>'
        number = p.get("doc_ref") or (f"Số: /{p['symbol']}" if p.get("symbol") else "")
        out.append(
            f'<tr><td><a href="#plan-{_e(did)}">{_e(_plan_label(p))}</a></td>'
            f'<td>{_e(LEVEL_VI.get(p.get("issuer_level"), p.get("issuer_level")))}</td>'
            f"<td>{_e(number)}</td><td>{_e(_date(p.get('issue_date')) or p.get('issue_date_raw') or '')}</td>"
            f"<td>{_e(p.get('title'))}</td><td>{'<br>'.join(parents) or '—'}</td>"
            f'<td class="num">{n_tasks.get(did, 0)}</td><td>{sev_html or "0"}</td><td>{st_html}</td></tr>')
    out.append("</tbody></table>")

    # --- heat map
    out.append("<h2>Mức độ cụ thể hóa theo nhóm nhiệm vụ</h2>")
    groups: list[str] = []
    for c in rows["coverage"]:
        g = c.get("mandate_group") or "Khác"
        if g not in groups:
            groups.append(g)
    covered_plans = [p for p in plans if cov_by.get(p["doc_id"])]
    if not covered_plans:
        out.append('<p class="muted">Chưa có kế hoạch nào được đối chiếu với văn bản cấp trên '
                   "hoặc danh mục chương trình.</p>")
    else:
        out.append('<table class="heat" id="heatmap"><thead><tr><th>Địa bàn</th>')
        out += [f"<th>{_e(g)}</th>" for g in groups]
        out.append("</tr></thead><tbody>")
        for p in covered_plans:
            cells = defaultdict(list)
            for c in cov_by[p["doc_id"]]:
                cells[c.get("mandate_group") or "Khác"].append(c["status"])
            out.append(f'<tr><th><a href="#plan-{_e(p["doc_id"])}">{_e(_plan_label(p))}</a></th>')
            for g in groups:
                sts = cells.get(g)
                if not sts:
                    out.append('<td class="na">—</td>')
                    continue
                share = sum(STATUS_WEIGHT[s] for s in sts) / len(sts)
                n_ok = sum(s == "covered" for s in sts)
                out.append(f'<td class="cell" style="background:{_heat_colour(share)}" '
                           f'title="{_e(g)}: {n_ok}/{len(sts)} đã có">{n_ok}/{len(sts)}</td>')
            out.append("</tr>")
        out.append("</tbody></table>")
        out.append('<p class="small muted">Ô: số nhiệm vụ được giao đã có / tổng số; màu từ đỏ '
                   "(thiếu) đến xanh (đầy đủ), “một phần” tính một nửa.</p>")

    # --- per plan
    out.append("<h2>Chi tiết từng kế hoạch</h2>")
    for p in plans:
        did = p["doc_id"]
        text = texts.get(did, "")
        out.append(f'<section class="plan" id="plan-{_e(did)}"><h3>{_e(_plan_label(p))} — '
                   f'{_e(p.get("doc_ref") or "")} {_e(p.get("title"))}</h3>')
        out.append(f'<p class="small muted">{_e(p.get("issuer"))} · {_e(sources.get(did, ""))} · '
                   f"doc_id {_e(did)}</p>")
        fl = flags_by.get(did, [])
        out.append(f"<details open><summary>Cảnh báo ({len(fl)})</summary>")
        if fl:
            out.append('<table class="flags"><thead><tr><th>Mức</th><th>Mã</th><th>Nội dung</th>'
                       "<th>Vị trí</th></tr></thead><tbody>")
            for f in fl:
                en = (rules_flags.get(f["code"]) or {}).get("en", "")
                ev = _snippet(text, f.get("char_start"), f.get("char_end"))
                sev_vi = SEV_VI.get(f["severity"], f["severity"])
                out.append(
                    f'<tr><td><span class="badge {_e(f["severity"])}">{_e(sev_vi)}'
                    f'</span></td><td class="small" title="{_e(en)}">{_e(f["code"])}</td>'
                    f"<td>{_e(f['message'])}"
                    + (f'<div class="evidence">{_e(ev)}</div>' if ev else "")
                    + f"</td><td>{_e(f.get('path') or '')}</td></tr>")
            out.append("</tbody></table>")
        else:
            out.append('<p class="muted">Không có cảnh báo.</p>')
        out.append("</details>")
        cov = cov_by.get(did, [])
        if cov:
            src = "văn bản cấp trên" if any(c.get("parent_doc_id") for c in cov) else \
                "danh mục nhiệm vụ của chương trình"
            out.append(f"<details open><summary>Đối chiếu nhiệm vụ được giao ({len(cov)}, theo {src})"
                       "</summary>")
            out.append('<table class="coverage"><thead><tr><th>Nhóm</th><th>Nhiệm vụ được giao</th>'
                       '<th>Kết quả</th><th class="num">Điểm</th><th>Nhiệm vụ của kế hoạch (căn cứ)</th>'
                       "</tr></thead><tbody>")
            for c in cov:
                ev = []
                for tid in list(c.get("child_task_ids") or [])[:3]:
                    t = tasks.get(tid)
                    if t:
                        body = _snippet(text, t.get("char_start"), t.get("char_end")) or t.get("text")
                        ev.append(f'<div class="evidence"><b>{_e(t.get("path"))}</b> {_e(body)}</div>')
                terms = list(c.get("matched_terms") or [])
                if terms:
                    ev.append(f'<div class="terms">Từ khớp: {_e(", ".join(terms))}</div>')
                out.append(
                    f"<tr><td class='small'>{_e(c.get('mandate_group') or '')}</td>"
                    f"<td>{_e(c['mandate_text'])}</td>"
                    f'<td><span class="badge {_e(c["status"])}">{_e(STATUS_VI.get(c["status"], c["status"]))}'
                    f'</span></td><td class="num">{float(c.get("score") or 0):.2f}</td>'
                    f"<td>{''.join(ev) or '<span class=muted>—</span>'}</td></tr>")
            out.append("</tbody></table></details>")
        out.append("</section>")
    out += localization_and_changes_html(tables)  # compare helper's minimal section, to be placed
    out.append("</body></html>")
    return "\n".join(out)


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


def screenshot(report: Path, png: Path, *, width: int = 1400, height: int = 2400,
               timeout: float = 120) -> Path:
    """A PNG of the report as headless Chromium draws it."""
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("chromium not found (install it: apt-get install chromium)")
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kehoach-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--screenshot={png}", Path(report).resolve().as_uri()]
        subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="the output folder (the store) of `kehoach run`")
    ap.add_argument("--screenshot", metavar="PNG", help="also save a screenshot of the report")
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
        from .crossdoc import load_rows

        rules = Rules.resolve(args.rules)
        tmp = report.with_name(f".{report.name}.tmp-{os.getpid()}")
        tmp.write_text(render(load_rows(out_dir), rules=rules), encoding="utf-8")
        os.replace(tmp, report)
    print(report)
    if args.screenshot:
        try:
            print(screenshot(report, Path(args.screenshot)))
        except (RuntimeError, subprocess.SubprocessError) as exc:
            print(f"report: screenshot failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
