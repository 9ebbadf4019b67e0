"""OCR that knows an official page: columns from word boxes, repairs from structure, and
seed plans printed and scanned (two-column header, signature block, skew, noise, JPEG)."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, DATA
from scanlib import have_fonts, page_from_seed, scan, typeset

from pipeline.ocr import ocr_available, ocr_vocabulary
from pipeline.ocr_layout import Word, page_text
from pipeline.ocr_repair import fix_ocr_text, fix_roman_sequence

# --- reading order from word boxes ------------------------------------------------------


def _line(y: int, *cells: tuple[int, str], line: int, par: int = 1, conf: float = 95) -> list[Word]:
    """Words of one line at height Y, each cell starting at its x (a word every 100 px)."""
    words = []
    for x, text in cells:
        for k, w in enumerate(text.split()):
            words.append(Word(1, par, line, x + 100 * k, y, 90, 30, conf, w))
    return words


def test_letterhead_columns_are_read_one_after_the_other():
    words = (_line(100, (100, "ỦY BAN NHÂN DÂN"), (1000, "CỘNG HÒA XÃ HỘI"), line=1)
             + _line(140, (120, "XÃ AN"), (1050, "Độc lập"), line=2)
             + _line(220, (100, "Số: 5/KH-UBND"), (1000, "An, ngày 2"), line=3)
             + _line(300, (900, "KẾ HOẠCH"), line=4, par=2)  # centred: across the middle
             + _line(360, (100, "Nội dung của kế hoạch đi qua giữa trang và tiếp tục đến lề phải"),
                     line=5, par=3))
    text = page_text(words, page_width=2000)
    assert text.split("\n") == [
        "ỦY BAN NHÂN DÂN", "XÃ AN", "", "CỘNG HÒA XÃ HỘI", "Độc lập", "",
        "Số: 5/KH-UBND", "", "An, ngày 2", "", "KẾ HOẠCH", "",
        "Nội dung của kế hoạch đi qua giữa trang và tiếp tục đến lề phải"]


def test_signature_block_follows_the_recipients_and_scribbles_are_dropped():
    words = (_line(100, (100, "Nơi nhận:"), (1300, "TM. ỦY BAN NHÂN DÂN"), line=1)
             + _line(140, (100, "- Như trên;"), (1400, "CHỦ TỊCH"), line=2)
             + _line(180, (100, "- Lưu: VT."), line=3)
             + _line(200, (1350, "Sh Siệp"), line=4, conf=0)
             + _line(300, (1350, "Nguyễn Văn A"), line=5))
    assert page_text(words, page_width=2000).split("\n") == [
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"]


def test_a_short_last_line_of_a_paragraph_is_no_column():
    long_line = "Một đoạn văn dài chạy qua giữa trang đến tận lề bên phải của trang giấy"
    words = (_line(100, (100, long_line), line=1)
             + _line(140, (100, "hết đoạn."), line=2))  # stays in the left half, alone
    assert page_text(words, page_width=2000) == (
        "Một đoạn văn dài chạy qua giữa trang đến tận lề bên phải của trang giấy\nhết đoạn.")


# --- repairs from structure ---------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary(rules):
    return ocr_vocabulary(rules)


@pytest.mark.parametrize("ocr, fixed", [
    ("I. MỤC ĐÍCH\nI. MỤC TIÊU\n", "I. MỤC ĐÍCH\nII. MỤC TIÊU\n"),  # a repeat read for the next one
    ("I. A\nII. NỘI DUNG\nIH. PHÂN CÔNG\n", "I. A\nII. NỘI DUNG\nIII. PHÂN CÔNG\n"),
    ("II. NỘI DUNG\n-THI. PHÂN CÔNG\n", "II. NỘI DUNG\nIII. PHÂN CÔNG\n"),
    ("V. KINH PHÍ\nVỊ. TỔ CHỨC\n", "V. KINH PHÍ\nVI. TỔ CHỨC\n"),  # a dot under the I
])
def test_roman_numbers_follow_their_sequence(ocr, fixed, vocabulary):
    assert fix_ocr_text(ocr, vocabulary) == fixed


def test_roman_sequence_keeps_a_real_gap_and_words():
    assert fix_roman_sequence("I. MỤC ĐÍCH\nIV. TỔ CHỨC\n") == "I. MỤC ĐÍCH\nIV. TỔ CHỨC\n"
    assert fix_roman_sequence("I. MỤC ĐÍCH\nHà Nội. THÀNH PHỐ\n") == "I. MỤC ĐÍCH\nHà Nội. THÀNH PHỐ\n"


@pytest.mark.parametrize("ocr, fixed", [
    ("I. MỤC ĐÍCH, YÊU CÂU", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("V. TỔ CHÚC THỤC HIỆN", "V. TỔ CHỨC THỰC HIỆN"),
    ("VI. TỔ CHỨC THỤỰC HIỆN", "VI. TỔ CHỨC THỰC HIỆN"),  # a vowel read twice
    (":h) Tổ chức tập huấn", "h) Tổ chức tập huấn"),
    ("Số: 2605/QD-BGDDT", "Số: 2605/QĐ-BGDĐT"),
    ("theo Nghị định số 30/2020/ND-CP", "theo Nghị định số 30/2020/NĐ-CP"),
])
def test_structure_repairs(ocr, fixed, vocabulary):
    assert fix_ocr_text(ocr, vocabulary).strip() == fixed


@pytest.mark.parametrize("text", [
    "Kế hoạch số 12/KH-UBND ngày 3/4/2026",  # UBND has no Đ
    "Câu lạc bộ nói về cầu và câu",  # body text: diacritics are not checked
    "II. NHIỆM VỤ VÀ GIẢI PHÁP",
    "- Tuyên truyền tại các thôn",  # a dash bullet is no stray character
])
def test_structure_repairs_leave_good_text(text, vocabulary):
    assert fix_ocr_text(text, vocabulary).strip() == text


# --- seed plans printed and scanned -------------------------------------------------------

SEEDS = {
    "001_b50113e3584b2743.txt": dict(issuer=["ỦY BAN NHÂN DÂN", "XÃ NHÂN LÝ"], number="Số: 68/KH-UBND",
                                     date_line="Nhân Lý, ngày 27 tháng 3 năm 2026"),
    "003_4057f404467b04e4.txt": dict(issuer=["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG VIỆT"]),
}


@pytest.fixture(scope="module")
def scanned_seeds(tmp_path_factory):
    if not ocr_available("vie"):
        pytest.skip("tesseract with the Vietnamese model is not installed")
    if not have_fonts():
        pytest.skip("DejaVu serif fonts are not installed (fonts-dejavu-core)")
    from pipeline.batch import run

    folder = tmp_path_factory.mktemp("scans")
    plans, gold = folder / "plans", folder / "gold"
    plans.mkdir()
    gold.mkdir()
    for name, header in SEEDS.items():
        page = page_from_seed((CORPUS / name).read_text("utf-8"), **header)
        pdf = plans / name.replace(".txt", ".pdf")
        scan(typeset(page, folder / "typeset.pdf"), pdf, dpi=200, skew=0.5, noise=12, jpeg_quality=70)
        g = json.loads((DATA / "gold" / f"{name}.json").read_text("utf-8"))
        g["doc"] = pdf.name
        (gold / f"{pdf.name}.json").write_text(json.dumps(g, ensure_ascii=False), "utf-8")
    run([plans], folder / "out", progress=False, workers=2, timeout=600)
    return folder


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract is not installed")
def test_scanned_seeds_read_like_their_text(scanned_seeds):
    sys.path.insert(0, str(DATA))
    import score

    result = score.score(scanned_seeds / "out", scanned_seeds / "gold")
    assert not result["missing_docs"]
    tables = result["tables"]
    assert tables["sections"]["f1"] >= 0.97
    assert tables["assignments"]["f1"] >= 0.85
    assert tables["tasks"]["f1"] >= 0.9
    fields = result["plan_fields"]
    for field in ("doc_ref", "issue_date", "issuer", "signing_mode"):
        assert fields[field] == 1.0, field
    # the signature block comes out whole; noise can still misread a letter of a name (`1ô`)
    assert fields["signer_name"] >= 0.5 and fields["signer_title"] >= 0.5


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract is not installed")
def test_scans_carry_their_confidence(scanned_seeds):
    import pandas as pd

    docs = pd.read_parquet(Path(scanned_seeds) / "out" / "documents.parquet")
    assert docs["ocr_used"].all()
    assert docs["ocr_confidence"].between(50, 100).all()
