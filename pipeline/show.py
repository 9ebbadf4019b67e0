"""Plain-text view of one processed document, for `kehoach show`: what was understood of it
and, when the document is in the store, the flags and the coverage a run recorded for it."""

from __future__ import annotations

from pathlib import Path

from .records import DocResult

STATUS_ORDER = ("missing", "partial", "covered")
SEVERITY_ORDER = ("error", "warning", "info")


def render(result: DocResult) -> str:
    raw = result.raw
    lines = [f"{raw.source_path}  [{raw.source_format}, {raw.status}]"]
    if raw.error:
        lines.append(f"error: {raw.error}")
    ex = result.extracted
    if ex:
        p = ex.plan
        lines.append("")
        for name in ("doc_kind", "doc_ref", "issuer", "issuer_level", "locality", "province",
                     "province_code", "locality_code", "place", "issue_date", "issue_date_raw",
                     "title", "period_start", "period_end", "horizon_year", "signing_mode",
                     "signer_title", "signer_name"):
            lines.append(f"{name:>15}: {getattr(p, name)}")
        if p.recipients:
            lines.append(f"{'recipients':>15}: " + "; ".join(p.recipients))
        for a in ex.assignments:
            if a.scope == "plan":
                lines.append(f"{'whole plan':>15}: {a.role}: {a.agency}")
        for d in ex.deadlines:
            if d.task_id is None and d.path is None:
                lines.append(f"{'whole plan':>15}: deadline [{d.kind}] «{d.raw}»")
        for r in ex.references:
            lines.append(f"{'reference':>15}: [{r.role}] {r.ref_kind} {r.doc_ref or ''} "
                         f"{r.ref_date or ''} {r.issuer or ''} {r.title or ''}".rstrip())
    if result.segmented:
        tasks_by_section: dict[str, list] = {}
        if ex:
            for t in ex.tasks:
                tasks_by_section.setdefault(t.section_id, []).append(t)
        lines.append("")
        lines.append("sections:")
        for s in result.segmented.sections:
            indent = "  " * s.level
            heading = s.heading if len(s.heading) <= 90 else s.heading[:87] + "..."
            lines.append(f"{indent}{s.marker} [{s.marker_type}, {s.kind}] {heading}")
            if ex:
                for a in ex.assignments:
                    if a.scope == "section" and a.path == s.path:
                        lines.append(f"{indent}    {a.role} (section): {a.agency}")
            for t in tasks_by_section.get(s.section_id, []):
                lines.extend(_task_lines(t, ex, indent + "    "))
    return "\n".join(lines)


def _task_lines(task, ex, indent: str) -> list[str]:
    out = [f"{indent}task ({task.theme})"]
    for a in ex.assignments:
        if a.task_id == task.task_id:
            out.append(f"{indent}  {a.role}: {a.agency}")
    for d in ex.deadlines:
        if d.task_id == task.task_id:
            value = d.due_date or d.recurrence or (f"{d.year_start}-{d.year_end}" if d.year_start else "")
            out.append(f"{indent}  deadline [{d.kind}] {value} «{d.raw}»")
    for t in ex.targets:
        if t.task_id == task.task_id:
            out.append(f"{indent}  target {t.comparator} {t.value:g}{t.unit} «{t.raw}»")
    return out


def _store_rows(out_dir: Path, table: str, column: str, doc_id: str) -> list[dict]:
    import pyarrow.parquet as pq

    path = Path(out_dir) / f"{table}.parquet"
    if not path.exists():
        return []
    return pq.read_table(path, filters=[(column, "=", doc_id)]).to_pylist()


def store_lines(out_dir: Path, doc_id: str) -> list[str] | None:
    """Flags (most severe first) and coverage (gaps first) of DOC_ID in the store OUT_DIR;
    None when the document is not in it."""
    docs = _store_rows(out_dir, "documents", "doc_id", doc_id)
    if not docs:
        return None
    lines = ["", f"in the store {out_dir} (pipeline {docs[0].get('pipeline_version')}):"]
    flags = _store_rows(out_dir, "flags", "doc_id", doc_id)
    flags.sort(key=lambda f: (SEVERITY_ORDER.index(f["severity"]) if f["severity"] in SEVERITY_ORDER
                              else len(SEVERITY_ORDER), f.get("char_start") or 0))
    lines.append(f"flags ({len(flags)}):")
    for f in flags:
        where = f" [{f['path']}]" if f.get("path") else ""
        lines.append(f"  {f['severity']:<7} {f['code']}{where}: {f['message']}")
    cov = _store_rows(out_dir, "coverage", "child_doc_id", doc_id)
    counts = {s: sum(c["status"] == s for c in cov) for s in STATUS_ORDER}
    lines.append(f"coverage ({len(cov)}: {counts['missing']} missing, {counts['partial']} partial, "
                 f"{counts['covered']} covered):")
    cov.sort(key=lambda c: (STATUS_ORDER.index(c["status"]) if c["status"] in STATUS_ORDER else 3,
                            c.get("mandate_group") or ""))
    for c in cov:
        text = " ".join(str(c["mandate_text"]).split())
        text = text if len(text) <= 110 else text[:109] + "…"
        lines.append(f"  {c['status']:<8} {float(c.get('score') or 0):.2f} {text}")
    return lines
