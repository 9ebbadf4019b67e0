"""Large stores: the report's per-plan figures from DuckDB, the bounded page, and the workbook and
DuckDB file written only when their tables changed (counted, never timed)."""

import json
import re

import pyarrow.parquet as pq
import pytest
from test_report import make_store

from pipeline import exports_publish, report_large
from pipeline.cli import main as cli_main
from pipeline.crossdoc import finish, load_rows, publish
from pipeline.report import render_from, report_data
from pipeline.report_plans import SUMMARY_NAME, PlanFigures


@pytest.fixture()
def out(tmp_path, rules):
    out = make_store(tmp_path / "out", extra=True)
    finish(out, rules=rules)
    return out


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kehoach-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_plan_figures_equal_the_python_report(out, rules):
    data = report_data(load_rows(out), rules=rules)
    old = [(p["id"], p["f"], p["loc"], p["lvl"], p["prov"], p["ref"], p["date"], p["nt"], *p["n"], p["ocr"])
           for p in data["plans"]]
    with PlanFigures(out) as pf:
        rows = pf.rows(pf.summary_sql())
        totals, groups = pf.totals(), pf.groups()
    new = [(r["doc_id"], r["file"], r["locality"], r["issuer_level"], r["province"], r["doc_ref"],
            r["issue_date"].isoformat() if r["issue_date"] else None, r["n_tasks"], r["missing"],
            r["partial"], r["covered"], r["errors"], r["warnings"], r["infos"], r["ocr"]) for r in rows]
    assert len(old) == 3 and new == old
    assert any(p["n"][0] for p in data["plans"]) and any(p["nt"] for p in data["plans"])
    assert groups == data["groups"]
    assert totals == {"plans": 3, "gaps": sum(p["n"][0] + p["n"][1] > 0 for p in data["plans"]),
                      "warned": sum(p["n"][3] + p["n"][4] > 0 for p in data["plans"]),
                      "ocr": sum(p["ocr"] for p in data["plans"])}


def test_large_store_page_shows_the_worst_plans_and_points_to_parquet(out, rules, monkeypatch):
    monkeypatch.setattr(report_large, "FULL_PLANS", 2)
    monkeypatch.setattr(report_large, "TOP_PLANS", 1)
    full = report_data(load_rows(out), rules=rules)
    page = render_from(out, rules=rules)
    data = _page_data(page)
    worst = max(full["plans"], key=lambda p: (p["n"][0] + p["n"][1], p["n"][3], p["n"][4]))
    assert [p["id"] for p in data["plans"]] == [worst["id"]]
    # the shown plan's detail is what the full page shows for it
    shown = data["plans"][0]
    strings = data["strings"]
    assert [strings[c[0]] for c in shown["cv"]] == [full["strings"][c[0]] for c in worst["cv"]]
    assert shown["n"] == worst["n"] and shown["nt"] == worst["nt"]
    assert data["totals"]["read"] == 3 and data["bounded"]["total"] == 3
    assert data["bounded"]["file"] == SUMMARY_NAME and "kehoach export xlsx" in data["bounded"]["xlsx"]
    assert data["n_docs"] == full["n_docs"] and data["failed"] == full["failed"]
    summary = pq.read_table(out / SUMMARY_NAME).to_pylist()
    assert [r["doc_id"] for r in summary] == [p["id"] for p in full["plans"]]
    assert [r["missing"] for r in summary] == [p["n"][0] for p in full["plans"]]


def test_small_store_page_is_unchanged_by_the_threshold(out, rules):
    page = render_from(out, rules=rules)
    data = _page_data(page)
    assert "bounded" not in data and len(data["plans"]) == 3
    assert not (out / SUMMARY_NAME).exists()


def _count_writes(monkeypatch):
    calls = {"xlsx": 0, "duckdb": 0}
    real_x, real_d = exports_publish.write_xlsx_from, exports_publish.write_duckdb

    def xlsx(*a, **k):
        calls["xlsx"] += 1
        return real_x(*a, **k)

    def duck(*a, **k):
        calls["duckdb"] += 1
        return real_d(*a, **k)

    monkeypatch.setattr(exports_publish, "write_xlsx_from", xlsx)
    monkeypatch.setattr(exports_publish, "write_duckdb", duck)
    return calls


def test_exports_written_only_when_their_tables_changed(out, rules, monkeypatch):
    calls = _count_writes(monkeypatch)
    xlsx = out / "kehoach.xlsx"
    before = xlsx.read_bytes()
    finish(out, rules=rules)  # nothing new: the cross-document tables come out the same
    assert calls == {"xlsx": 0, "duckdb": 0}
    assert xlsx.read_bytes() == before
    # a table that changes: both written again, once
    t = pq.read_table(out / "plans.parquet")
    pq.write_table(t.slice(0, t.num_rows - 1), out / "plans.parquet")
    publish(out, rules=rules)
    assert calls == {"xlsx": 1, "duckdb": 1}
    publish(out, rules=rules)
    assert calls == {"xlsx": 1, "duckdb": 1}
    (out / "kehoach.xlsx").unlink()  # a workbook deleted by hand comes back
    publish(out, rules=rules)
    assert calls == {"xlsx": 2, "duckdb": 1} and xlsx.exists()


def test_large_store_gets_its_workbook_on_request(out, rules, monkeypatch, capsys):
    calls = _count_writes(monkeypatch)
    monkeypatch.setattr(exports_publish, "XLSX_AUTO_PLANS", 2)
    assert (out / "kehoach.xlsx").exists()
    publish(out, rules=rules)
    assert calls["xlsx"] == 0
    assert not (out / "kehoach.xlsx").exists()  # the smaller store's workbook is not left stale
    assert cli_main(["export", "xlsx", "--out", str(out)]) == 0
    assert calls["xlsx"] == 1 and (out / "kehoach.xlsx").exists()
    assert capsys.readouterr().out.strip().endswith("kehoach.xlsx")


def test_gaps_sheet_query_equals_the_python_gap_rows(out):
    from pipeline.exports import COVERAGE_CODES, gap_rows
    from pipeline.exports_gaps import gap_batches

    old = gap_rows(load_rows(out))
    new = [r for batch in gap_batches(out, COVERAGE_CODES) for r in batch]
    assert len(old) > 10 and new == old
    assert any(r[11] for r in new) and any(r[10] for r in new)  # evidence cut by DuckDB, task paths


def test_large_store_gets_its_duckdb_file_on_request(out, rules, monkeypatch):
    calls = _count_writes(monkeypatch)
    monkeypatch.setattr(exports_publish, "DUCKDB_AUTO_PLANS", 2)
    publish(out, rules=rules)
    assert calls["duckdb"] == 0 and not (out / "kehoach.duckdb").exists()
    assert cli_main(["export", "duckdb", "--out", str(out)]) == 0
    assert calls["duckdb"] == 1 and (out / "kehoach.duckdb").exists()
