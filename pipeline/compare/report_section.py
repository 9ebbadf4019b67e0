"""A minimal report section for the `localization` and `plan_changes` tables.

The report (pipeline/report.py) appends these lines after its plan table; links open a plan
the way the report's own links do (`#plan=DOC_ID`).
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from ..link import as_rows

__all__ = ["localization_and_changes_html"]

CHANGE_VI = {"added": "thêm mới", "kept": "giữ lại", "changed": "điều chỉnh", "dropped": "bỏ đi"}


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def localization_and_changes_html(tables: Mapping[str, Any]) -> list[str]:
    plans = {p["doc_id"]: p for p in as_rows(tables.get("plans"))}
    loc = [r for r in as_rows(tables.get("localization")) if r.get("scope") == "plan"]
    changes = as_rows(tables.get("plan_changes"))
    if not loc and not changes:
        return []
    out = ['<h2 id="localization">Mức độ cụ thể hóa riêng và thay đổi giữa các kỳ</h2>']
    if loc:
        out.append('<table class="localization"><thead><tr><th>Kế hoạch</th><th>Đối chiếu với</th>'
                   '<th class="num">Phần tự xây dựng</th><th class="num">Số chữ chép lại</th>'
                   '<th class="num">Đoạn chép dài nhất</th></tr></thead><tbody>')
        for r in sorted(loc, key=lambda r: r.get("own_share") or 0):
            p = plans.get(r["doc_id"], {})
            out.append(f'<tr><td><a href="#plan={_e(r["doc_id"])}">{_e(p.get("locality") or p.get("issuer"))}'
                       f'</a></td><td>{_e(r.get("source"))}</td>'
                       f'<td class="num">{100 * float(r.get("own_share") or 0):.0f}%</td>'
                       f'<td class="num">{_e(r.get("copied_words"))}/{_e(r.get("n_words"))}</td>'
                       f'<td class="num">{_e(r.get("longest_copied"))}</td></tr>')
        out.append("</tbody></table>")
        out.append('<p class="small muted">Phần tự xây dựng: tỷ lệ chữ trong nhiệm vụ của kế hoạch không '
                   "nằm trong đoạn chép nguyên văn (từ 8 tiếng liền nhau) từ văn bản cấp trên hoặc danh mục "
                   "(own share of the plan's task text).</p>")
    if changes:
        by_pair: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for c in changes:
            by_pair[(c["doc_id"], c["prev_doc_id"])][c["change"]] += 1
        out.append('<table class="plan-changes"><thead><tr><th>Kế hoạch</th><th>Kỳ trước</th>'
                   + "".join(f'<th class="num">{_e(v)}</th>' for v in CHANGE_VI.values())
                   + "</tr></thead><tbody>")
        for (did, prev), n in by_pair.items():
            p, q = plans.get(did, {}), plans.get(prev, {})
            out.append(f'<tr><td><a href="#plan={_e(did)}">{_e(p.get("doc_ref") or did)} '
                       f'{_e(p.get("title"))}</a>'
                       f'</td><td>{_e(q.get("doc_ref") or prev)} ({_e(q.get("period_start"))}–'
                       f'{_e(q.get("period_end"))})</td>'
                       + "".join(f'<td class="num">{n.get(k, 0)}</td>' for k in CHANGE_VI) + "</tr>")
        out.append("</tbody></table>")
    return out
