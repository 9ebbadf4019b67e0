"""A synthetic store for the cross-document stages: OUT/<table>.parquet written directly.

    plans = synthetic_plans(1000)          # rows of every table, per plan
    write_store(out_dir, plans)            # the consolidated tables of those plans

Plans 0..PARENTS-1 and 2*PARENTS..3*PARENTS-1 are province plans (three tasks each, for every
level; two cycles of the same subject, so plan_changes pairs them); every CHILD_EVERY-th plan
of the others is a commune plan citing province (i // CHILD_EVERY) % PARENTS's first cycle by
number and issuer (compared against it); the others cite a plan of a steering board that is not in the store
(`PARENT_NOT_FOUND`, no mandates: cheap). Tasks are short.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.schema import TABLES
from pipeline.write import write

PARENTS = 10
CHILD_EVERY = 10
_VERBS = ["Tuyên truyền", "Kiểm tra", "Tập huấn", "Rà soát", "Xây dựng"]
_OBJECTS = ["phòng chống thiên tai cho người dân", "an toàn thực phẩm tại chợ", "kỹ năng cứu hộ cứu nạn",
            "hộ nghèo và cận nghèo", "phương án sơ tán dân cư vùng ven biển"]


def _tasks(doc_id: str, n: int, salt: int) -> list[dict]:
    out, pos = [], 0
    for k in range(n):
        text = f"{_VERBS[(salt + k) % 5]} {_OBJECTS[(salt * 3 + k) % 5]} năm {2026 + k}"
        out.append({"doc_id": doc_id, "task_id": f"{doc_id}:t{k}", "section_id": f"{doc_id}:s1",
                    "path": f"II/{k + 1}", "text": text, "theme": "other", "char_start": pos,
                    "char_end": pos + len(text)})
        pos += len(text) + 1
    return out


def plan_rows(i: int, *, cites: tuple[str, str, str | None] | None = None, ref: tuple[str, str] | None = None,
              province: tuple[int, int] | None = None) -> dict[str, list[dict]]:
    """The rows of synthetic plan I. CITES: the (doc_ref, issuer, title) it implements; REF: its
    own (doc_ref, issuer); PROVINCE: (province, year) makes it a province plan of that cycle."""
    d = f"p{i:05d}"
    if province is None and (i < PARENTS or PARENTS * 2 <= i < PARENTS * 3):  # two cycles per province
        province = (i % PARENTS, 2025 if i < PARENTS else 2026)
    parent = province is not None
    if parent:
        prov, year = province
        issuer, level = f"Ủy ban nhân dân tỉnh Số {prov}", "province"
        title = f"Kế hoạch phòng chống thiên tai tỉnh Số {prov} năm {year}"
    else:
        issuer, level = f"Ủy ban nhân dân xã Số {i}", "commune"
        title, year = f"Kế hoạch thực hiện nhiệm vụ số {i} của xã", 2026
    doc_ref = f"{i}/KH-UBND"
    if ref is not None:
        doc_ref, issuer = ref
    tasks = _tasks(d, 3 if parent else 2, i)
    text = "\n".join(t["text"] for t in tasks)
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["documents"] = [{"doc_id": d, "source_path": f"/in/{d}.md", "source_format": "md", "status": "ok",
                          "error": None, "n_chars": len(text), "n_pages": None, "ocr_used": False,
                          "ocr_confidence": None, "clean_text": text, "pipeline_version": "t",
                          "schema_version": "1", "duplicate_of": None}]
    rows["plans"] = [{"doc_id": d, "doc_kind": "ke_hoach", "number": doc_ref.split("/")[0],
                      "symbol": doc_ref.split("/", 1)[1], "doc_ref": doc_ref, "issuer": issuer,
                      "issuer_level": level, "locality": None,
                      "province": None, "province_code": None, "locality_code": None, "place": None,
                      "issue_date": dt.date(year, 1 + i % 12, 1 + i % 28), "issue_date_raw": None,
                      "title": title, "period_start": year, "period_end": year, "horizon_year": None,
                      "signer_name": None, "signer_title": None, "signing_mode": None, "recipients": []}]
    rows["sections"] = [{"doc_id": d, "section_id": f"{d}:s1", "parent_section_id": None, "path": "II",
                         "level": 1, "marker": "II", "marker_type": "roman", "heading": "NHIỆM VỤ",
                         "kind": "tasks", "char_start": 0, "char_end": len(text)}]
    rows["tasks"] = tasks
    if cites is None and not parent:
        if i % CHILD_EVERY == 0:
            p = (i // CHILD_EVERY) % PARENTS
            cites = (f"{p}/KH-UBND", f"Ủy ban nhân dân tỉnh Số {p}", None)
        else:
            cites = (f"{5000 + i}/KH-BCĐ", "Ban Chỉ đạo tỉnh", None)
    if cites:
        rows["references"] = [{"doc_id": d, "ref_id": f"{d}:r1", "ref_kind": "ke_hoach", "number": None,
                               "symbol": None, "doc_ref": cites[0], "ref_date": None, "issuer": cites[1],
                               "title": cites[2], "role": "implements", "char_start": 0, "char_end": 5}]
    return rows


def synthetic_plans(n: int) -> list[dict[str, list[dict]]]:
    return [plan_rows(i) for i in range(n)]


def write_store(out_dir: Path, plans: list[dict[str, list[dict]]]) -> Path:
    """OUT_DIR/<table>.parquet holding PLANS (as consolidate() leaves a store)."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for rows in plans:
        for name, rs in rows.items():
            tables[name] += rs
    write(tables, out_dir)
    return out_dir
