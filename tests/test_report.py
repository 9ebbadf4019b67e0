"""The report: built from a small hand-made store, opened in headless Chromium."""

import datetime as dt
import json
import re
import subprocess

import duckdb
import pytest

from pipeline.crossdoc import finish
from pipeline.report import CHROMIUM_FLAGS, find_chromium, page_url, render, report_data
from pipeline.schema import TABLES
from pipeline.write import write

HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"


def _doc(doc_id, lines):
    """A document's clean text and its tasks/sections, offsets computed from the lines."""
    text, tasks, sections = "", [], []
    for path, kind, line, theme in lines:
        start = len(text)
        text += line + "\n\n"
        parts = path.split("/")
        sections.append({"doc_id": doc_id, "section_id": f"{doc_id}:{path}",
                         "parent_section_id": f"{doc_id}:{'/'.join(parts[:-1])}" if len(parts) > 1 else None,
                         "path": path, "level": len(parts), "marker": parts[-1],
                         "marker_type": ["roman", "arabic", "letter"][len(parts) - 1],
                         "heading": line, "kind": kind, "char_start": start, "char_end": start + len(line)})
        if theme:
            tasks.append({"doc_id": doc_id, "task_id": f"{doc_id}:t:{path}", "section_id": f"{doc_id}:{path}",
                          "path": path, "text": line[3:], "theme": theme, "char_start": start,
                          "char_end": start + len(line)})
    return text, tasks, sections


def make_store(out_dir, extra=False):
    """Two commune plans of the 2026-2030 programme (parents not in hand); with EXTRA also a scan
    of the first (the same number, issuer and date) and two files that could not be read."""
    docs = {
        "nhanly0000000001": ("xã Nhân Lý", "68", dt.date(2026, 3, 27), [
            ("II", "tasks", "NHIỆM VỤ, GIẢI PHÁP", None),
            ("II/1", "tasks", "Công tác phòng ngừa xã hội", None),
            ("II/1/a", "tasks", "a) Tổ chức chiến dịch truyền thông hưởng ứng Ngày toàn dân phòng, chống mua "
             "bán người 30/7 hằng năm; tuyên truyền trên hệ thống truyền thanh cơ sở.", "prevention"),
            ("II/1/b", "tasks", "b) Phát huy hiệu quả Tổng đài điện thoại quốc gia 111; y tế cơ sở chăm sóc "
             "sức khỏe, tâm lý, phục hồi tinh thần cho nạn nhân.", "victim_support"),
            ("II/1/d", "tasks", "d) Định kỳ 6 tháng, hằng năm báo cáo kết quả gửi Công an xã tổng hợp.",
             "reporting"),
        ]),
        "hoaxa00000000002": ("xã Hòa Xá", None, None, [
            ("III", "tasks", "NHIỆM VỤ, GIẢI PHÁP", None),
            ("III/1", "tasks", "Công tác lãnh đạo, chỉ đạo", None),
            ("III/1/a", "tasks", "a) Quán triệt, triển khai các nghị quyết, chỉ thị của Đảng và Luật Phòng, "
             "chống mua bán người năm 2011.", "leadership"),
            ("III/1/b", "tasks", "b) Kịp thời giải cứu, tiếp nhận, xác minh, xác định nạn nhân, lấy nạn nhân "
             "làm trung tâm. Luật Phòng, chống mua bán người năm 2024.", "victim_support"),
        ]),
    }
    if extra:
        docs["nhanlyscan000003"] = ("xã Nhân Lý", "68", dt.date(2026, 3, 27), docs["nhanly0000000001"][3][:4])
    tables = {name: [] for name in TABLES}
    for doc_id, (locality, number, date, lines) in docs.items():
        text, tasks, sections = _doc(doc_id, lines)
        text = ("Số: /KH-UBND\n\n" if number is None else f"Số: {number}/KH-UBND\n\n") + text
        shift = len(text) - len(_doc(doc_id, lines)[0])
        for row in tasks + sections:
            row["char_start"] += shift
            row["char_end"] += shift
        scan = doc_id.startswith("nhanlyscan")
        tables["documents"].append({"doc_id": doc_id,
                                    "source_path": "nhanly-scan.pdf" if scan else f"{doc_id}.txt",
                                    "source_format": "pdf" if scan else "txt",
                                    "status": "ok", "error": None, "n_chars": len(text), "n_pages": None,
                                    "ocr_used": scan, "clean_text": text, "pipeline_version": "t",
                                    "schema_version": "1"})
        title = HOSTILE + " Thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030" \
            if doc_id.startswith("hoaxa") else \
            "Triển khai thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030"
        tables["plans"].append({
            "doc_id": doc_id, "doc_kind": "ke_hoach", "number": number, "symbol": "KH-UBND",
            "doc_ref": f"{number}/KH-UBND" if number else None, "issuer": f"Ủy ban nhân dân {locality}",
            "issuer_level": "commune", "locality": locality, "province": "Lạng Sơn", "issue_date": date,
            "issue_date_raw": "ngày    tháng    năm 2026" if date is None else "ngày 27 tháng 3 năm 2026",
            "title": title, "period_start": 2026, "period_end": 2030, "recipients": []})
        tables["references"].append({
            "doc_id": doc_id, "ref_id": f"{doc_id}:r1", "ref_kind": "ke_hoach", "number": "66",
            "symbol": "KH-UBND", "doc_ref": "66/KH-UBND", "ref_date": dt.date(2026, 3, 1),
            "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "role": "implements", "char_start": 0, "char_end": 5,
            "title": "triển khai thực hiện Chương trình phòng, chống mua bán người (MBN) giai đoạn "
                     "2026 - 2030"})
        tables["tasks"] += tasks
        tables["sections"] += sections
        tables["assignments"].append({"doc_id": doc_id, "task_id": None, "path": None, "scope": "plan",
                                      "agency": "Công an xã", "agency_raw": "Công an xã", "role": "lead",
                                      "generic": False, "char_start": 0, "char_end": 3})
    # a flag another stage wrote: kept across runs
    tables["flags"].append({"doc_id": "nhanly0000000001", "severity": "info", "code": "OCR_USED",
                            "message": "x", "path": None, "task_id": None, "char_start": None,
                            "char_end": None})
    if extra:
        for i, (name, status, error) in enumerate([
                ("ban-chup.png", "unsupported", "unsupported format .png"),
                ("quet-7-trang.pdf", "error", "timed out after 60 s")]):
            tables["documents"].append({"doc_id": f"failed{i:011d}", "source_path": f"/in/{name}",
                                        "source_format": name.rsplit(".", 1)[1], "status": status,
                                        "error": error, "n_chars": 0, "n_pages": None, "ocr_used": False,
                                        "clean_text": "", "pipeline_version": "t", "schema_version": "1"})
    write(tables, out_dir)
    return out_dir


@pytest.fixture()
def store(tmp_path, rules):
    out = make_store(tmp_path / "out")
    report = finish(out, rules=rules)
    return out, report


def test_finish_writes_tables_duckdb_and_report(store):
    out, report = store
    assert report == out / "report.html" and report.exists()
    con = duckdb.connect(str(out / "kehoach.duckdb"), read_only=True)
    # the one-line fixture tasks meet 2 mandates and half-meet 2 (calibrated thresholds 0.70/0.60)
    n = con.execute("select count(*) from coverage where status in ('covered', 'partial')").fetchone()[0]
    by_code = dict(con.execute("select code, count(*) from flags group by code").fetchall())
    links = con.execute("select resolved, method from plan_links").fetchall()
    gaps = con.execute("select path from flags where code = 'NUMBERING_GAP' order by 1").fetchall()
    con.close()
    assert n >= 4
    assert by_code["OCR_USED"] == 1  # another stage's flag survives
    assert by_code["PARENT_NOT_FOUND"] == 2 and by_code["BLANK_DOC_NUMBER"] == 1
    # a, b, d in Nhân Lý; the fixtures' parts start at II and III, not at I
    assert gaps == [("II",), ("II/1/d",), ("III",)]
    assert by_code["OUTDATED_LEGAL_BASIS"] == 1  # Hòa Xá cites the 2011 law next to the 2024 one
    assert set(links) == {(False, "none")}


def test_finish_is_idempotent(store, rules):
    out, _ = store
    con = duckdb.connect(str(out / "kehoach.duckdb"), read_only=True)
    first = con.execute("select code, count(*) from flags group by code order by 1").fetchall()
    con.close()
    finish(out, rules=rules)
    con = duckdb.connect(str(out / "kehoach.duckdb"), read_only=True)
    assert con.execute("select code, count(*) from flags group by code order by 1").fetchall() == first
    con.close()


def test_render_escapes_and_declares_utf8(store):
    out, report = store
    page = report.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page
    assert HOSTILE not in page  # the title is data (JSON with "</" escaped), drawn as text
    data = json.loads(re.search(r'<script type="application/json" id="kehoach-data">(.*?)</script>',
                                page, re.S).group(1))
    assert any("<img src=x" in p["title"] for p in data["plans"])
    assert {p["loc"] for p in data["plans"]} == {"xã Nhân Lý", "xã Hòa Xá"}
    assert not re.search(r"(src|href)=\"https?://", page)  # nothing fetched from the network


def test_report_data_groups_duplicates_and_lists_failures(tmp_path, rules):
    out = make_store(tmp_path / "out", extra=True)
    finish(out, rules=rules)
    from pipeline.crossdoc import load_rows

    data = report_data(load_rows(out), rules=rules)
    by_file = {p["f"]: p for p in data["plans"]}
    assert by_file["nhanly-scan.pdf"]["ocr"] and not by_file["nhanly0000000001.txt"]["ocr"]
    (group,) = data["dups"]  # same number, issuer and date as Nhân Lý's text
    assert sorted(group) == ["nhanly0000000001", "nhanlyscan000003"]
    assert by_file["nhanly-scan.pdf"]["dup"] == by_file["nhanly0000000001.txt"]["dup"] == 0
    assert [(f["f"], f["status"]) for f in data["failed"]] == [("quet-7-trang.pdf", "error"),
                                                              ("ban-chup.png", "unsupported")]
    # gaps first, then partial, then covered; flags by severity
    cv = by_file["nhanly0000000001.txt"]["cv"]
    order = [c[2] for c in cv]
    assert order == sorted(order, key=["missing", "partial", "covered"].index)
    sevs = [f[1] for f in by_file["hoaxa00000000002.txt"]["fl"]]
    assert sevs == sorted(sevs, key=["error", "warning", "info"].index) and "info" in sevs
    # the most often missing mandates count a plan that arrived twice once
    for m, _, n in data["top"]:
        plans = {p["dup"] if p["dup"] >= 0 else p["id"] for p in data["plans"]
                 if any(data["strings"][c[0]] == m and c[2] == "missing" for c in p["cv"])}
        assert n == len(plans)
    assert any(n < sum(any(data["strings"][c[0]] == m and c[2] == "missing" for c in p["cv"])
                       for p in data["plans"]) for m, _, n in data["top"])
    # a mandate's text is stored once however many plans it is checked in
    texts = [c[0] for p in data["plans"] for c in p["cv"]]
    assert len(set(texts)) < len(texts) and len(data["strings"]) == len(set(data["strings"]))


def test_render_empty_store():
    page = render({name: [] for name in TABLES})
    assert "Chưa có kế hoạch nào được đối chiếu" in page


def _chromium_or_skip():
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium is not installed (scripts/ensure-system-deps.sh installs it)")
    return exe


def _dom(exe, report, tmp_path, fragment=""):
    cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
           "--dump-dom", page_url(report, fragment)]
    dom = subprocess.run(cmd, capture_output=True, timeout=120, check=True).stdout.decode("utf-8")
    return re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)  # what is drawn, not the code


def _rows(dom):
    return re.findall(r'<tr class="plan[^"]*" id="plan-([0-9a-z]+)"', dom)


@pytest.fixture()
def big_store(tmp_path, rules):
    out = make_store(tmp_path / "out", extra=True)
    return out, finish(out, rules=rules)


def test_report_in_headless_chromium(big_store, tmp_path):
    exe = _chromium_or_skip()
    _, report = big_store
    dom = _dom(exe, report, tmp_path)
    # what a person sees: the summary, every plan, Vietnamese intact, no injected markup
    assert "<title>Báo cáo rà soát kế hoạch</title>" in dom  # the hostile title did not run
    assert "<img" not in dom.split("<body", 1)[1]
    assert sorted(_rows(dom)) == ["hoaxa00000000002", "nhanly0000000001", "nhanlyscan000003"]
    summary = re.search(r'<section id="summary">(.*?)</section>', dom, re.S).group(1)
    assert re.search(r"<b>2</b>tệp không đọc được", summary)
    assert "Nhiệm vụ được giao thường bị thiếu nhất" in summary
    # the files that were not read, with the reason
    failed = re.search(r'<table id="failed-files">(.*?)</table>', dom, re.S).group(1)
    assert "quet-7-trang.pdf" in failed and "timed out after 60 s" in failed and "ban-chup.png" in failed
    assert dom.count("Trùng #1") == 2 and "OCR" in dom
    # details are closed until asked for
    assert '<tr class="detail">' not in dom
    heat = re.search(r'<table class="heat" id="heatmap">(.*?)</table>', dom, re.S)
    assert heat and "Công tác phòng ngừa xã hội" in heat.group(1)
    assert re.search(r"background:\s*hsl\(|background-color:\s*rgb\(", heat.group(1))


def test_report_filters_in_headless_chromium(big_store, tmp_path):
    exe = _chromium_or_skip()
    _, report = big_store
    dom = _dom(exe, report, tmp_path, "q=hoa xa")  # diacritics optional
    assert _rows(dom) == ["hoaxa00000000002"] and "Hiển thị 1 / 3 kế hoạch" in dom
    up = _rows(_dom(exe, report, tmp_path, "q=Nhân Lý&sort=nt"))  # by number of tasks
    assert up == ["nhanlyscan000003", "nhanly0000000001"]  # the scan lost a task
    assert _rows(_dom(exe, report, tmp_path, "q=Nhân Lý&sort=-nt")) == up[::-1]
    dom = _dom(exe, report, tmp_path, "level=district")
    assert _rows(dom) == [] and "Không có kế hoạch nào khớp bộ lọc" in dom
    dom = _dom(exe, report, tmp_path, "problems=1&prov=Lạng Sơn")
    assert sorted(_rows(dom)) == ["hoaxa00000000002", "nhanly0000000001", "nhanlyscan000003"]


def test_report_plan_detail_in_headless_chromium(big_store, tmp_path):
    exe = _chromium_or_skip()
    _, report = big_store
    dom = _dom(exe, report, tmp_path, "plan=hoaxa00000000002")
    assert _rows(dom) == ["hoaxa00000000002"]  # the table narrowed to the plan, its detail open
    detail = re.search(r'<tr class="detail">(.*)</table>\s*<button id="more"', dom, re.S).group(1)
    assert "Đối chiếu nhiệm vụ được giao" in detail and "<details><summary>Đã có (" in detail
    assert "&lt;img src=x" in detail and "<img" not in dom.split("<body", 1)[1]  # the title, as text
    # gaps before what is covered; the blank number (warning) before the missing parent (info)
    assert detail.index("BLANK_DOC_NUMBER") < detail.index("PARENT_NOT_FOUND")
    if "Thiếu</span>" in detail:
        assert detail.index("Thiếu</span>") < detail.index("<details>")


def test_screenshot_command(store, tmp_path):
    _chromium_or_skip()
    from pipeline.report import main

    out, _ = store
    png = tmp_path / "report.png"
    assert main(["--screenshot", str(png), "--size", "1200x900", "--fragment", "problems=1", str(out)]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_report_draws_a_page_of_rows_at_a_time(tmp_path):
    """A province's thousands of plans: 300 rows drawn, the rest behind "Hiện thêm"; a link to a
    plan further down still opens it."""
    exe = _chromium_or_skip()
    tables = {name: [] for name in TABLES}
    for i in range(340):
        did = f"{i:016d}"
        tables["documents"].append({"doc_id": did, "source_path": f"/in/{i:04d}.txt", "status": "ok",
                                    "clean_text": f"Kế hoạch {i}"})
        tables["plans"].append({"doc_id": did, "locality": f"xã Số {i}", "issuer_level": "commune",
                                "province": "Lạng Sơn", "issuer": f"Ủy ban nhân dân xã Số {i}"})
    report = tmp_path / "report.html"
    report.write_text(render(tables), encoding="utf-8")
    dom = _dom(exe, report, tmp_path)
    assert len(_rows(dom)) == 300 and "Hiển thị 340 / 340 kế hoạch" in dom
    assert re.search(r'<button id="more">Hiện thêm 40 \(còn 40 kế hoạch\)</button>', dom)
    assert _rows(_dom(exe, report, tmp_path, "q=xa so 339")) == [f"{339:016d}"]  # every word, any field
    dom = _dom(exe, report, tmp_path, f"plan={339:016d}")
    assert _rows(dom) == [f"{339:016d}"] and '<tr class="detail">' in dom


def test_report_data_uses_the_batch_duplicate_of(rules):
    """A path whose bytes repeat another's (documents.duplicate_of names the first path; both
    share one doc_id): listed as a copy, not as unreadable; the plan shows the first path.
    The same plan in another format (same number, issuer and date) is grouped with it."""
    import datetime as dt

    tables = {name: [] for name in TABLES}
    for did, name, dup in [("a" * 16, "kh.txt", None), ("a" * 16, "kh (1).txt", "/in/kh.txt"),
                           ("b" * 16, "kh.docx", None)]:
        tables["documents"].append({"doc_id": did, "source_path": f"/in/{name}", "status": "ok",
                                    "clean_text": f"Kế hoạch {name}", "duplicate_of": dup})
    for did in ("a" * 16, "b" * 16):
        tables["plans"].append({"doc_id": did, "locality": "xã A", "issuer_level": "commune", "number": "5",
                                "symbol": "KH-UBND", "issuer": "Ủy ban nhân dân xã A",
                                "issue_date": dt.date(2026, 3, 1)})
    data = report_data(tables, rules=rules)
    assert [sorted(g) for g in data["dups"]] == [["a" * 16, "b" * 16]]
    assert sorted(p["f"] for p in data["plans"]) == ["kh.docx", "kh.txt"]
    assert data["failed"] == [{"f": "kh (1).txt", "path": "/in/kh (1).txt", "fmt": "",
                               "error": "trùng với kh.txt", "status": "duplicate"}]
