"""End to end on real plans the rules were not written from (tests/data/unseen, see SOURCES.md).

Each file is the opening of a real plan or decision as a legal-document site shows it (about
2,000 characters, site chrome included, often cut mid-word). The checks are the sanity every
document must pass, plus facts verified by reading each text.
"""

import datetime as dt
from pathlib import Path

import pytest

from pipeline.process import process_file

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
FILES = sorted(UNSEEN.glob("*.txt"))

# sections a reader counts in each opening (006 is a decision: `Điều` articles are not sections)
MIN_SECTIONS = {"001": 2, "002": 4, "003": 6, "004": 2, "005": 3, "006": 0, "007": 4, "008": 6,
                "009": 1, "010": 2, "011": 2, "012": 12, "013": 12, "014": 12, "015": 12}


@pytest.fixture(scope="module")
def results(rules):
    return {p.stem: process_file(p, rules=rules) for p in FILES}


def _squash(s):
    return " ".join(s.split())


def test_the_files_are_there():
    assert len(FILES) >= 6 and set(MIN_SECTIONS) == {p.stem for p in FILES}


@pytest.mark.parametrize("name", sorted(MIN_SECTIONS))
def test_sanity(results, name):
    r = results[name]
    assert r.raw.status == "ok", r.raw.error
    text = r.clean.text
    x = r.extracted
    plan = x.plan
    assert plan.doc_kind in ("ke_hoach", "quyet_dinh", "chuong_trinh")
    assert plan.issuer and plan.issuer_level != "unknown"
    assert plan.doc_ref and plan.issue_date and plan.title
    assert not plan.title.upper().startswith("KẾ HOẠCH ")
    assert len(r.segmented.sections) >= MIN_SECTIONS[name]
    for s in r.segmented.sections:
        assert 0 <= s.char_start < s.char_end <= len(text) and s.heading.strip()
    for ref in x.references:
        ev = text[ref.char_start:ref.char_end]
        assert ev.strip()
        if ref.doc_ref:  # the number is in its evidence, as written
            assert ref.doc_ref.split("/")[-1] in ev.replace(" ", "")
        assert ref.title is None or "viết tắt" not in ref.title
    for t in x.tasks:
        assert t.text.strip() and text[t.char_start:t.char_end].strip()
    for a in x.assignments:
        assert text[a.char_start:a.char_end].strip() and a.agency
    for d in x.deadlines:
        assert _squash(text[d.char_start:d.char_end]) == _squash(d.raw)
    for t in x.targets:
        assert _squash(t.raw) in _squash(text[t.char_start:t.char_end])


def _refs(r):
    return {ref.doc_ref or ref.title: ref for ref in r.extracted.references}


# --- facts verified by reading ------------------------------------------------------------


def test_001_ninh_thuan(results):
    r = results["001"]
    p = r.extracted.plan
    assert (p.doc_ref, p.issue_date) == ("5971/KH-UBND", dt.date(2021, 11, 1))
    assert (p.issuer, p.issuer_level) == ("Ủy ban nhân dân tỉnh Ninh Thuận", "province")
    assert p.province == "Khánh Hòa"  # Ninh Thuận joined Khánh Hòa in the 2025 reform
    assert (p.period_start, p.period_end) == (2021, 2025)
    q = _refs(r)["1629/QĐ-TTg"]
    assert (q.role, q.ref_date) == ("implements", dt.date(2021, 9, 28))


def test_002_hue_signer_from_the_site_info(results):
    r = results["002"]
    p = r.extracted.plan
    assert p.signer_name == "Trần Hữu Thùy Giang"
    assert (p.issuer, p.issuer_level) == ("Ủy ban nhân dân thành phố Huế", "province")
    assert p.title.startswith("THỰC HIỆN CÔNG TÁC HỖ TRỢ NẠN NHÂN")
    assert _refs(r)["3888/QĐ-UBND"].ref_date == dt.date(2025, 12, 20)


def test_003_gia_lai(results):
    r = results["003"]
    refs = _refs(r)
    assert refs["172/KH-BCĐ"].role == "implements"
    assert (refs["368/CTr-UBND"].role, refs["368/CTr-UBND"].ref_date) == ("mentions", dt.date(2021, 3, 30))
    assert [t.path for t in r.extracted.tasks] == ["II/1/-1"]


def test_004_nghe_an(results):
    r = results["004"]
    assert r.extracted.plan.signer_name == "Bùi Thanh An"
    q = _refs(r)["7619/QĐ-BCA"]
    assert (q.role, q.ref_date, q.ref_kind) == ("implements", dt.date(2025, 9, 8), "quyet_dinh")


def test_005_dak_lak(results):
    r = results["005"]
    p = r.extracted.plan
    assert (p.number, p.doc_ref) == ("048", "048/KH-UBND")
    assert (p.period_start, p.period_end, p.horizon_year) == (2025, 2030, None)
    k = _refs(r)["292/KH-BCA-V01"]
    assert (k.ref_kind, k.ref_date, k.role) == ("ke_hoach", dt.date(2025, 5, 20), "implements")


def test_006_vinh_long_decision(results):
    r = results["006"]
    p = r.extracted.plan
    assert (p.doc_kind, p.doc_ref) == ("quyet_dinh", "745/QĐ-UBND")
    assert (p.signing_mode, p.signer_title, p.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Văn Thanh")
    assert (p.period_start, p.period_end) == (2013, 2015)
    q = _refs(r)["1203/QĐ-TTg"]
    assert (q.role, q.ref_date) == ("implements", dt.date(2012, 8, 31))


def test_007_khanh_hoa_hard_wrapped(results):
    r = results["007"]
    p = r.extracted.plan
    assert (p.place, p.issue_date) == ("Khánh Hòa", dt.date(2017, 8, 17))
    assert p.title.endswith("TRÊN ĐỊA BÀN TỈNH")  # the preamble is not part of it
    refs = _refs(r)
    assert refs["1960/QĐ-BCA-C41"].role == "implements"
    assert refs["823/PV11(CS)"].ref_date == dt.date(2017, 7, 18)
    assert r.segmented.sections[0].heading == "MỤC TIÊU, CHỈ TIÊU"
    assert sorted((t.comparator, t.value) for t in r.extracted.targets) == [("ge", 60.0), ("ge", 85.0)]


def test_008_bac_ninh_target(results):
    r = results["008"]
    assert [(t.path, t.comparator, t.value, t.unit) for t in r.extracted.targets] == [
        ("I/2/2.1/-1", "eq", 60.0, "%")]
    assert _refs(r)["112/QĐ-TTg"].role == "implements"


def test_009_national_programme(results):
    r = results["009"]
    p = r.extracted.plan
    assert (p.issuer, p.issuer_level, p.doc_kind) == ("Thủ tướng Chính phủ", "national", "quyet_dinh")
    assert (p.period_start, p.period_end, p.horizon_year) == (2026, 2030, 2035)
    assert _refs(r)["162/2025/NĐ-CP"].role == "legal_basis"


def test_010_hung_yen_short_names(results):
    refs = _refs(results["010"])
    assert refs["93/NQ-CP"].title.endswith("kiểm soát ma túy")
    assert "Công văn" not in refs["50/NQ-CP"].title
    assert refs["3524/BCA-C04"].ref_date == dt.date(2025, 8, 6)


def test_011_national_steering_committee(results):
    p = results["011"].extracted.plan
    assert (p.issuer, p.issuer_level) == ("Ban Chỉ đạo 138/CP", "national")
    assert (p.period_start, p.period_end, p.horizon_year) == (2023, 2023, None)


# --- 012-015: whole plans written for this test (SOURCES.md): the body extractors -----------


def _rows(r):
    tp = {t.task_id: t.path for t in r.extracted.tasks}
    a = {(x.path, x.role, x.agency) for x in r.extracted.assignments}
    d = {(tp.get(x.task_id), x.kind, x.due_date, x.recurrence) for x in r.extracted.deadlines}
    t = {(tp.get(x.task_id), x.comparator, x.value, x.unit, x.year) for x in r.extracted.targets}
    return a, d, t


def test_012_commune_agency_headed_items(results):
    a, d, t = _rows(results["012"])
    assert ("IV/1/-2", "coordinate", "Ban Chỉ huy Quân sự xã") in a  # level word kept
    assert ("IV/1/-2", "lead", "Công an xã") in a
    assert (None, "standing", "Công an xã") in a
    assert ("IV/5", "requested", "Ủy ban Mặt trận Tổ quốc Việt Nam xã") in a
    assert ("IV/3/-2", "date", dt.date(2026, 9, 15), None) in d
    assert ("IV/1/-3", "recurring", None, "quarterly") in d
    assert (None, "ge", 5.0, "%", None) in t  # `so với năm 2025` is the baseline, not the due year


def test_013_province_phan_cong_blocks(results):
    a, d, t = _rows(results["013"])
    assert ("II/1/a", "lead", "Văn phòng Ủy ban nhân dân tỉnh") in a
    assert ("II/1/a", "coordinate", "Sở Nội vụ") in a
    assert ("II/2/a", "coordinate", "Viễn thông Quảng Trị") in a
    assert ("II/2/b", "coordinate", "Viettel Quảng Trị") in a
    assert ("IV/3", "requested", "Tỉnh đoàn") in a
    assert ("IV/3", "requested", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh") in a
    assert (None, "standing", "Sở Khoa học và Công nghệ") in a
    assert not any(x[0] == "II/3" for x in t)  # `cấp độ 3 trở lên` is a grade
    assert (None, "gt", 80.0, "%", None) in t
    assert ("IV/1", "date", dt.date(2026, 12, 15), None) in d
    # `- Thời gian hoàn thành:` lines of a `Phân công` block time the block's task
    assert ("II/1/a", "date", dt.date(2026, 6, 30), None) in d
    assert ("II/1/b", "date", dt.date(2026, 9, 30), None) in d


def test_014_ward_hard_wrapped(results):
    a, d, t = _rows(results["014"])
    assert ("III/1/a", "coordinate", "Hội Liên hiệp Phụ nữ phường") in a
    assert ("III/2/-2", "lead", "Phòng Văn hóa - Xã hội") in a  # `Giao X`
    assert ("IV/3/-1", "requested", "Hội Liên hiệp Phụ nữ phường") in a
    assert (None, "standing", "Phòng Văn hóa - Xã hội") in a
    assert ("III/3", "date", dt.date(2026, 9, 30), None) in d
    assert (None, "ge", 30.0, "%", None) in t


def test_015_agency_colon_items(results):
    a, d, t = _rows(results["015"])
    p = results["015"].extracted.plan  # `Số:` above the motto, two-line issuer header
    assert p.doc_ref == "12/KH-BCĐ"
    assert (p.issuer, p.issuer_level) == ("Ban Chỉ đạo phòng, chống tội phạm tỉnh Đồng Tháp",
                                          "province_dept")
    assert ("III/1", "coordinate", "Bộ đội Biên phòng tỉnh") in a
    assert ("III/1", "coordinate", "Viện kiểm sát nhân dân tỉnh") in a
    assert ("III/2", "lead", "Bộ đội Biên phòng tỉnh") in a
    assert not any(x[0] == "III/2" and x[1] == "coordinate" for x in a)  # foreign force
    assert ("III/6", "requested", "Tòa án nhân dân tỉnh") in a
    assert ("III/3/b", "date", dt.date(2026, 4, 30), None) in d
    assert ("III/6", "ge", 2.0, "count", None) in t
