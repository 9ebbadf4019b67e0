"""OCR of scans: repairs of typical OCR errors, and a seed plan that survives a scan."""

import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import CORPUS

from pipeline.ocr import fix_ocr_text, ocr_available, ocr_pdf
from pipeline.process import process_raw
from pipeline.records import RawDoc

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- fix_ocr_text ------------------------------------------------------------------------

@pytest.mark.parametrize("ocr, fixed", [
    ("Việt Nam năm 2O26", "Việt Nam năm 2026"),
    ("trước ngày l5/12/2O25", "trước ngày 15/12/2025"),
    ("đạt 1OO% số xã", "đạt 100% số xã"),
    ("l. Công an xã", "1. Công an xã"),
    ("¡) Vận hành hiệu quả", "i) Vận hành hiệu quả"),
    ("Số : 68 / KH - UBND", "Số: 68/KH-UBND"),
    ("S ố: 12/KH-UBND", "Số: 12/KH-UBND"),
    ("Sô:\n105/QĐ-UBND", "Số: 105/QĐ-UBND"),
    ("U\u0309y ban nhân dân", "Ủy ban nhân dân"),  # decomposed: composed by NFC
    ("Viê \u0323t Nam", "Việt Nam"),  # a combining mark set apart from its letter
    ("ca´c xã", "các xã"),  # a spacing accent for the combining one
])
def test_fix_ocr_text_repairs(ocr, fixed):
    assert fix_ocr_text(ocr).strip() == fixed


@pytest.mark.parametrize("text", [
    "Số: /KH-UBND",  # a blank number stays blank (the contract's number is null)
    "I. MỤC ĐÍCH, YÊU CẦU",  # a Roman marker is not a 1
    "II. NHIỆM VỤ",
    "Mục tiêu lO năm",  # no digit: a word, left alone
    "COVID-19 và Olympic",
    "Điều 10, khoản 2",
    "l) Tổ chức kiểm tra",  # `l` is a letter marker too (after k)
])
def test_fix_ocr_text_leaves_near_misses(text):
    assert fix_ocr_text(text).strip() == text


# --- a seed plan through a scan ------------------------------------------------------------

needs_ocr = pytest.mark.skipif(not ocr_available("vie"),
                               reason="tesseract with the Vietnamese model is not installed")

MARKER = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s")


def plain_plan(n_lines: int = 34, width: int = 150) -> str:
    """The start of a seed plan as a scan would show it: markup gone, long items cut short."""
    text = (CORPUS / "001_b50113e3584b2743.txt").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^#+\s*|\*\*", "", line).strip()
        if line:
            lines.append(line if len(line) <= width else line[:width].rsplit(" ", 1)[0] + ".")
    return "\n".join(lines[:n_lines]) + "\n"


def scan_of(text: str, path: Path, dpi: int = 200) -> int:
    """TEXT typeset by fpdf2, rendered to page images, saved as a PDF of images only."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.add_font("dv", fname=str(FONT))
    pdf.set_font("dv", size=12)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
    typeset = path.with_name("typeset.pdf")
    pdf.output(str(typeset))
    doc = pdfium.PdfDocument(str(typeset))
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    images[0].save(str(path), save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)


def f1(gold: list, pred: list) -> float:
    pred = list(pred)
    tp = 0
    for g in gold:
        if g in pred:
            pred.remove(g)
            tp += 1
    if not gold and not pred:
        return 1.0
    p = tp / (tp + len(pred)) if tp + len(pred) else 0.0
    r = tp / len(gold) if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def headings(text: str) -> list[str]:
    """Marker and first words of each heading-like line (independent of the segmenter)."""
    return [line[:25] for line in (x.strip() for x in text.splitlines()) if MARKER.match(line)]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    if not ocr_available("vie"):
        pytest.skip("tesseract with the Vietnamese model is not installed")
    if not FONT.exists():
        pytest.skip(f"font {FONT} is not installed (fonts-dejavu-core)")
    folder = tmp_path_factory.mktemp("scan")
    text = plain_plan()
    pdf = folder / "scan.pdf"
    n_pages = scan_of(text, pdf)
    t0 = time.monotonic()
    ocr_text, n = ocr_pdf(pdf)
    return {"text": text, "pdf": pdf, "pages": n_pages, "ocr": ocr_text, "n": n,
            "seconds": time.monotonic() - t0}


@needs_ocr
def test_scan_has_no_text_layer_and_ocr_reads_every_page(scanned):
    import pdfplumber

    with pdfplumber.open(scanned["pdf"]) as pdf:
        assert not "".join(p.extract_text() or "" for p in pdf.pages).strip()
    assert scanned["n"] == scanned["pages"] <= 2
    assert "Số: 68/KH-UBND" in scanned["ocr"]
    assert "phòng, chống mua bán người" in scanned["ocr"]


@needs_ocr
def test_section_tree_survives_ocr(scanned, rules):
    text, ocr = scanned["text"], scanned["ocr"]
    assert f1(headings(text), headings(ocr)) >= 0.9
    plain = process_raw(RawDoc(doc_id="t", source_path="plan.txt", source_format="txt",
                               status="ok", text=text), rules=rules)
    scan = process_raw(RawDoc(doc_id="s", source_path="scan.pdf", source_format="pdf", status="ok",
                              text=ocr, n_pages=scanned["n"], ocr_used=True), rules=rules)
    assert scan.raw.status == "ok", scan.raw.error
    gold = [s.path for s in plain.segmented.sections]
    if not gold:
        pytest.skip("the segmenter finds no sections in the text version yet")
    assert f1(gold, [s.path for s in scan.segmented.sections]) >= 0.9


@needs_ocr
def test_ingest_reads_a_scan_with_ocr(scanned, tmp_path):
    from pipeline.ingest import ingest

    pdf = tmp_path / "scan.pdf"
    shutil.copy(scanned["pdf"], pdf)
    raw = ingest(pdf)
    if not raw.ocr_used and raw.status != "ok":
        pytest.skip(f"ingest does not OCR scans yet ({raw.status}: {raw.error})")
    assert raw.status == "ok" and raw.ocr_used and raw.n_pages == scanned["pages"]
    assert f1(headings(scanned["text"]), headings(raw.text)) >= 0.9
