"""The same plan as .txt, .docx (automatic numbering) and text-layer .pdf gives the same tree;
a folder of bad inputs still gives one documents row per file."""

import re
import unicodedata

import pyarrow.parquet as pq
import pytest
from conftest import CORPUS
from makedocs import have_pdf_font, plan_to_docx, plan_to_pdf

from pipeline.encodings import to_cp1258
from pipeline.ingest import ingest
from pipeline.process import process_file

SEED = sorted(CORPUS.glob("*.txt"))[2]  # a plain-text plan: I, II, IV (a gap), 2.1 under 2, dashes
MARKER = re.compile(r"([IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s")


def seed_text() -> str:
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    text = seed_text()
    (d / "plan.txt").write_text(text, encoding="utf-8")
    out = {"txt": d / "plan.txt", "docx": plan_to_docx(text, d / "plan.docx")}
    if have_pdf_font():
        out["pdf"] = plan_to_pdf(text, d / "plan.pdf")
    return out


def _formats(files):
    if "pdf" not in files:
        pytest.skip("no DejaVu TTF font on this machine to draw Vietnamese text into a PDF")
    return files


def test_docx_numbering_is_not_in_the_paragraph_text(files):
    import docx

    paras = docx.Document(str(files["docx"])).paragraphs
    numbered = [p for p in paras if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) > 50
    assert not any(MARKER.match(p.text) for p in numbered)


def test_every_format_reads_the_same_item_markers(files):
    files = _formats(files)
    markers = {}
    for fmt, path in files.items():
        raw = ingest(path)
        assert raw.status == "ok", (fmt, raw.error)
        markers[fmt] = [m.group(1) for line in raw.text.splitlines() if (m := MARKER.match(line.strip()))]
    assert len(markers["txt"]) > 30
    assert markers["docx"] == markers["txt"]
    assert markers["pdf"] == markers["txt"]


def test_every_format_gives_the_same_section_paths(files, rules):
    files = _formats(files)
    paths = {}
    for fmt, path in files.items():
        result = process_file(path, rules=rules)
        assert result.raw.status == "ok", (fmt, result.raw.error)
        paths[fmt] = [s.path for s in result.segmented.sections]
    assert len(paths["txt"]) > 20, "the segmenter found no tree in the text version"
    assert "IV" in paths["txt"] and "II/2/2.1" in paths["txt"]
    assert paths["docx"] == paths["txt"]
    assert paths["pdf"] == paths["txt"]


# --- a folder of bad inputs ------------------------------------------------------------------


def test_bad_inputs_each_get_their_row(tmp_path):
    from pipeline.batch import run

    folder = tmp_path / "in"
    folder.mkdir()
    good = seed_text()
    (folder / "good.txt").write_text(good, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(to_cp1258(good))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_bytes(b"some other format")
    out = tmp_path / "out"
    run([folder], out, progress=False, workers=0)
    rows = pq.read_table(out / "documents.parquet").to_pylist()
    by_name = {r["source_path"].rsplit("/", 1)[-1]: r for r in rows}
    assert sorted(by_name) == ["corrupt.pdf", "empty.txt", "good.txt", "legacy.txt", "notes.xyz"]
    assert len(rows) == 5
    want = {"good.txt": ("ok", None), "legacy.txt": ("ok", None), "empty.txt": ("empty", "file is empty"),
            "notes.xyz": ("unsupported", "unsupported format .xyz")}
    for name, (status, error) in want.items():
        assert (by_name[name]["status"], by_name[name]["error"]) == (status, error), name
    bad = by_name["corrupt.pdf"]
    assert bad["status"] == "error" and bad["error"].startswith("corrupt or unreadable PDF")
    assert "\n" not in bad["error"]
    # the Windows-1258 copy reads as the same plan
    assert by_name["legacy.txt"]["clean_text"] == by_name["good.txt"]["clean_text"]
    assert "Ủy ban nhân dân tỉnh Hưng Yên" in by_name["legacy.txt"]["clean_text"]


# --- a real plan with its task table: markdown, DOCX with a Word table, PDF with a ruled table --

REAL = CORPUS / "real" / "302.md"  # Phụ lục after the signature: STT | Tên nhiệm vụ | chủ trì | ...


def _blocks(text: str):
    """The cleaned text as ('line', text) and ('table', rows of cell texts), in order."""
    from pipeline.tables import find_tables

    tables = {t.start: t for t in find_tables(text)}
    pos = 0
    for m in re.finditer(r"[^\n]+", text):
        if m.start() < pos:
            continue
        t = tables.get(m.start())
        if t is not None:
            yield "table", [[c.text(text) for c in r.cells] for r in t.rows]
            pos = t.end
        else:
            yield "line", m.group()


def _real_docx(text: str, path):
    from makedocs import DocxBuilder

    b = DocxBuilder()
    for kind, value in _blocks(text):
        if kind == "line":
            b.para(value)
            continue
        width = max(len(r) for r in value)
        t = b.doc.add_table(rows=len(value), cols=width)
        t.style = "Table Grid"
        for r, cells in enumerate(value):
            if len(cells) == 1 and width > 1:  # a group row: one cell across the table
                t.cell(r, 0).merge(t.cell(r, width - 1))
            for c, cell in enumerate(cells):
                t.cell(r, c).paragraphs[0].text = cell
    b.doc.save(str(path))
    return path


def _real_pdf(text: str, path):
    from fpdf import FPDF
    from makedocs import FONT, FONT_BOLD

    pdf = FPDF(format="A4")
    pdf.add_font("DV", "", str(FONT))
    pdf.add_font("DV", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DV", "", 10)
    for kind, value in _blocks(text):
        if kind == "line":
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
            continue
        width = max(len(r) for r in value)
        with pdf.table(col_widths=(12, 60, 30, 58, 30)[:width] if width == 5 else None,
                       line_height=5) as table:
            for cells in value:
                row = table.row()
                for cell in cells:
                    row.cell(cell, colspan=width if len(cells) == 1 else 1)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def real_files(tmp_path_factory, rules):
    from pipeline.clean import clean_text

    d = tmp_path_factory.mktemp("real")
    md = d / "plan.md"
    md.write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    text, _ = clean_text(md.read_text(encoding="utf-8"), rules=rules)
    out = {"md": md, "docx": _real_docx(text, d / "plan.docx")}
    if have_pdf_font():
        out["pdf"] = _real_pdf(text, d / "plan.pdf")
    return out


def _facts(path, rules):
    result = process_file(path, rules=rules)
    assert result.raw.status == "ok", result.raw.error
    ex = result.extracted
    text = result.clean.text
    for a in ex.assignments:  # evidence: every span is the text it stands for
        assert text[a.char_start:a.char_end] == a.agency_raw
    tasks = [(t.path, t.text) for t in ex.tasks]
    assignments = sorted((a.path or "", a.role, a.agency) for a in ex.assignments)
    return tasks, assignments


def test_real_plan_table_is_rows_in_every_format(real_files, rules):
    from pipeline.tables import find_tables

    for fmt, path in _formats(real_files).items():
        result = process_file(path, rules=rules)
        tables = find_tables(result.clean.text)
        assert tables, fmt
        header = [c.text(result.clean.text) for c in tables[-1].rows[0].cells]
        want = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
        assert header == want, fmt


def test_real_plan_gives_the_same_tasks_and_assignments_in_every_format(real_files, rules):
    files = _formats(real_files)
    got = {fmt: _facts(path, rules) for fmt, path in files.items()}
    tasks, assignments = got["md"]
    table_tasks = [p for p, _ in tasks if p.startswith("PL/r")]
    assert table_tasks == [f"PL/r{i}" for i in range(1, 12)]
    assert ("PL/r3", "lead", "Sở Nội vụ") in assignments
    assert ("PL/r8", "coordinate", "Ban Quản lý Khu kinh tế") in assignments
    for fmt in ("docx", "pdf"):
        assert got[fmt][0] == tasks, fmt
        assert got[fmt][1] == assignments, fmt
