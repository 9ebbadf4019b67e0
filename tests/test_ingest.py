"""Ingest: every file becomes one RawDoc; text, PDF, .docx (with list numbering) and HTML."""

import hashlib
import sys
import unicodedata

import pytest
from conftest import CORPUS
from makedocs import DocxBuilder, have_pdf_font, plan_to_pdf

from pipeline.encodings import to_cp1258, to_tcvn3, to_vni
from pipeline.ingest import doc_id_of, ingest

PLAN = """Số: 12/KH-UBND
Nhân Lý, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống mua bán người năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân.
II. NHIỆM VỤ
1. Công tác tuyên truyền
a) Tổ chức tuyên truyền tại các thôn, khu dân cư.
b) Lồng ghép nội dung vào các buổi sinh hoạt của đoàn thể.
2. Công an xã
Chủ trì, phối hợp rà soát đối tượng có nguy cơ.
"""
needs_font = pytest.mark.skipif(not have_pdf_font(), reason="no DejaVu TTF font to draw Vietnamese text")


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- every file gets one RawDoc ----------------------------------------------------------


def test_doc_id_is_sha256_prefix_of_bytes(tmp_path):
    data = PLAN.encode()
    raw = ingest(write(tmp_path, "a.txt", data))
    assert raw.doc_id == hashlib.sha256(data).hexdigest()[:16] == doc_id_of(data)
    assert raw.status == "ok" and raw.error is None and raw.source_format == "txt"


def test_source_path_is_as_given(tmp_path):
    raw = ingest(write(tmp_path, "a.md", PLAN.encode()), source_path="in/a.md")
    assert raw.source_path == "in/a.md" and raw.source_format == "md"


@pytest.mark.parametrize(("name", "data", "status", "error"), [
    ("empty.txt", b"", "empty", "file is empty"),
    ("blank.txt", b"  \n\t\n", "empty", "file is empty"),
    ("x.xyz", b"whatever", "unsupported", "unsupported format .xyz"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "unsupported",
     "unsupported format .doc (old Word format: save it as .docx)"),
    ("noext", b"text", "unsupported", "unsupported format .none"),
    ("bad.pdf", b"%PDF-1.7\n1 0 obj <<", "error", None),
    ("bad.docx", b"PK\x03\x04 not really a zip", "error", None),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "error", "not a text file: binary data"),
])
def test_bad_files_get_a_status_and_one_line_error(tmp_path, name, data, status, error):
    raw = ingest(write(tmp_path, name, data))
    assert raw.status == status
    assert raw.error and "\n" not in raw.error and raw.text == ""
    if error:
        assert raw.error == error


def test_corrupt_pdf_says_so(tmp_path):
    raw = ingest(write(tmp_path, "bad.pdf", b"%PDF-1.4\n garbage"))
    assert raw.error.startswith("corrupt or unreadable PDF")


def test_missing_file_is_an_error(tmp_path):
    raw = ingest(tmp_path / "gone.txt")
    assert raw.status == "error" and raw.error.startswith("cannot read file")


# --- text encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(("encode", "enc"), [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8-sig"),
    (lambda s: s.encode("utf-16"), "utf-16"),
    (lambda s: s.encode("utf-16-le"), "utf-16-le"),
    (lambda s: s.encode("utf-16-be"), "utf-16-be"),
    (to_cp1258, "cp1258"),
    (lambda s: to_tcvn3(s).encode("cp1252"), "tcvn3"),
    (lambda s: to_vni(s).encode("cp1252"), "vni"),
    (lambda s: to_vni(s).encode("utf-8"), "utf-8+vni"),
])
def test_text_encodings(tmp_path, encode, enc):
    text = PLAN.replace("KẾ HOẠCH", "KẾ HOẠCH CÔNG TÁC")
    raw = ingest(write(tmp_path, "plan.txt", encode(text)))
    assert raw.status == "ok" and raw.encoding == enc
    assert raw.text.replace("\r\n", "\n") == text


def test_decomposed_utf8_is_nfc(tmp_path):
    raw = ingest(write(tmp_path, "d.txt", unicodedata.normalize("NFD", PLAN).encode()))
    assert raw.text == PLAN


def test_seed_text_reads_unchanged(tmp_path):
    seed = sorted(CORPUS.glob("*.txt"))[2]
    raw = ingest(seed)
    assert raw.status == "ok" and raw.encoding == "utf-8"
    assert raw.text == unicodedata.normalize("NFC", seed.read_text(encoding="utf-8"))


# --- PDF ----------------------------------------------------------------------------------


@needs_font
def test_pdf_text_layer_pages_and_layout(tmp_path):
    raw = ingest(plan_to_pdf(PLAN * 6, tmp_path / "p.pdf"))
    assert raw.status == "ok" and not raw.ocr_used
    assert raw.n_pages >= 2
    lines = raw.text.splitlines()
    assert lines[:3] == ["Số: 12/KH-UBND", "Nhân Lý, ngày 05 tháng 3 năm 2026", "KẾ HOẠCH"]
    assert not any(line.strip().isdigit() for line in lines)  # page numbers dropped
    by_text = {}
    for lay in raw.layout:
        by_text.setdefault(lay.text, lay)
    assert by_text["KẾ HOẠCH"].bold and by_text["KẾ HOẠCH"].centered
    assert by_text["I. MỤC ĐÍCH, YÊU CẦU"].bold and not by_text["I. MỤC ĐÍCH, YÊU CẦU"].centered
    plain = by_text["Chủ trì, phối hợp rà soát đối tượng có nguy cơ."]
    assert not plain.bold and not plain.centered and plain.page == 1
    assert {lay.page for lay in raw.layout} == set(range(1, raw.n_pages + 1))
    assert [lay.text for lay in raw.layout] == [line for line in lines if line]


def _image_only_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # ink, but no text layer
    pdf.output(str(path))
    return path


def test_pdf_without_text_layer_and_no_ocr(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pipeline.ocr", None)  # import fails
    raw = ingest(_image_only_pdf(tmp_path / "scan.pdf"))
    assert raw.status == "error"
    assert raw.error == "no text layer and OCR unavailable: install tesseract-ocr tesseract-ocr-vie"


def test_pdf_without_text_layer_uses_ocr(tmp_path, monkeypatch):
    import types

    fake = types.ModuleType("pipeline.ocr")
    reading = types.SimpleNamespace(text="KẾ HOẠCH\nI. MỤC ĐÍCH", n_pages=1, confidence=91.5)
    fake.read_scan = lambda path: reading
    monkeypatch.setitem(sys.modules, "pipeline.ocr", fake)
    raw = ingest(_image_only_pdf(tmp_path / "scan.pdf"))
    assert raw.status == "ok" and raw.ocr_used and raw.n_pages == 1
    assert raw.text == "KẾ HOẠCH\nI. MỤC ĐÍCH"
    assert raw.ocr_confidence == 91.5


def test_ocr_failure_is_one_line(tmp_path, monkeypatch):
    import types

    def boom(path):
        raise RuntimeError("tesseract failed:\nsegfault")

    fake = types.ModuleType("pipeline.ocr")
    fake.read_scan = boom
    monkeypatch.setitem(sys.modules, "pipeline.ocr", fake)
    raw = ingest(_image_only_pdf(tmp_path / "scan.pdf"))
    assert raw.status == "error" and raw.error.startswith("no text layer and OCR failed")
    assert "\n" not in raw.error


# --- .docx ---------------------------------------------------------------------------------


def _lines(b: DocxBuilder, tmp_path) -> list[str]:
    raw = ingest(b.save(tmp_path / "d.docx"))
    assert raw.status == "ok", raw.error
    return raw.text.splitlines()


def test_docx_multilevel_numbering(tmp_path):
    b = DocxBuilder()
    heads = b.abstract([("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3."),
                        ("lowerLetter", "%4)")])
    n = b.num(heads)
    b.para("KẾ HOẠCH")
    b.para("MỤC TIÊU", num=n, level=0)
    b.para("Mục tiêu chung", num=n, level=1)
    b.para("Mục tiêu cụ thể", num=n, level=1)
    b.para("Các sở, ngành", num=n, level=2)
    b.para("Công an tỉnh", num=n, level=2)
    b.para("Tuyên truyền", num=n, level=3)
    b.para("Kiểm tra", num=n, level=3)
    b.para("Đoạn văn không đánh số.")
    b.para("NHIỆM VỤ", num=n, level=0)
    b.para("Lãnh đạo", num=n, level=1)  # restarts under the new Roman item
    b.para("Phòng ngừa", num=n, level=3)
    assert _lines(b, tmp_path) == [
        "KẾ HOẠCH", "I. MỤC TIÊU", "1. Mục tiêu chung", "2. Mục tiêu cụ thể", "2.1. Các sở, ngành",
        "2.2. Công an tỉnh", "a) Tuyên truyền", "b) Kiểm tra", "Đoạn văn không đánh số.", "II. NHIỆM VỤ",
        "1. Lãnh đạo", "a) Phòng ngừa"]


def test_docx_start_values_overrides_and_bullets(tmp_path):
    b = DocxBuilder()
    heads = b.abstract([("upperRoman", "%1."), ("decimal", "%2)")], starts={1: 3})
    bullets = b.abstract([("bullet", "\uf0b7"), ("bullet", "+")])
    n, bl = b.num(heads), b.num(bullets)
    b.para("MỘT", num=n, level=0)
    b.para("ba", num=n, level=1)  # level starts at 3
    b.para("gạch", num=bl, level=0)
    b.para("cộng", num=bl, level=1)
    b.para("bốn", num=n, level=1)  # the list goes on after the bullets
    b.para("HAI", num=n, level=0)
    gap = b.num(heads, start_override={0: 4})  # numbers fixed by hand in Word: I, II, IV
    b.para("BỐN", num=gap, level=0)
    b.para("NĂM", num=gap, level=0)
    other = b.num(heads)  # another instance of the same list continues it
    b.para("SÁU", num=other, level=0)
    assert _lines(b, tmp_path) == ["I. MỘT", "3) ba", "- gạch", "+ cộng", "4) bốn", "II. HAI", "IV. BỐN",
                                   "V. NĂM", "VI. SÁU"]


def test_docx_letters_go_past_z_like_word(tmp_path):
    b = DocxBuilder()
    n = b.num(b.abstract([("lowerLetter", "%1)")], starts={0: 25}))
    for word in ("y", "z", "aa"):
        b.para(word, num=n)
    assert _lines(b, tmp_path) == ["y) y", "z) z", "aa) aa"]


def test_docx_lower_levels_keep_counting_when_told(tmp_path):
    b = DocxBuilder()
    n = b.num(b.abstract([("upperRoman", "%1."), ("decimal", "%2.")], restart={1: 0}))
    b.para("A", num=n, level=0)
    b.para("a1", num=n, level=1)
    b.para("B", num=n, level=0)
    b.para("b1", num=n, level=1)  # lvlRestart 0: never restarts
    assert _lines(b, tmp_path) == ["I. A", "1. a1", "II. B", "2. b1"]


def test_docx_numbering_from_paragraph_style(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    b = DocxBuilder()
    n = b.num(b.abstract([("upperRoman", "%1."), ("decimal", "%2.")]))
    for name, level in (("Muc", 0), ("Tieumuc", 1)):
        style = b.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{n}"/></w:numPr>'))
    b.para("MỤC TIÊU", style="Muc")
    b.para("Chung", style="Tieumuc")
    b.para("Cụ thể", style="Tieumuc")
    b.para("NHIỆM VỤ", style="Muc")
    p = b.para("Không đánh số", style="Tieumuc")
    p._p.get_or_add_pPr().append(parse_xml(  # numId 0 on the paragraph turns it off
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
    assert _lines(b, tmp_path) == ["I. MỤC TIÊU", "1. Chung", "2. Cụ thể", "II. NHIỆM VỤ", "Không đánh số"]


def test_docx_header_table_cells_are_lines(tmp_path):
    b = DocxBuilder()
    b.table([["ỦY BAN NHÂN DÂN\nXÃ NHÂN LÝ",
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
             ["Số: 12/KH-UBND", "Nhân Lý, ngày 05 tháng 3 năm 2026"]])
    b.para("KẾ HOẠCH")
    assert _lines(b, tmp_path) == [
        "ỦY BAN NHÂN DÂN", "XÃ NHÂN LÝ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND", "Nhân Lý, ngày 05 tháng 3 năm 2026", "KẾ HOẠCH"]


def test_docx_legacy_fonts_by_run(tmp_path):
    b = DocxBuilder()
    # a heading typed in the capitals font: lower-case codes drawn as capitals
    b.para("", runs=[(to_tcvn3("kế hoạch"), ".VnTimeH")])
    # a capital toned vowel typed in .VnTimeH inside a .VnTime sentence, as typists do
    b.para("", runs=[(to_tcvn3("ủ"), ".VnTimeH"), (to_tcvn3("y ban nhân dân xã"), ".VnTime")])
    b.para("", runs=[(to_vni("Ủy ban nhân dân xã Nhân Lý"), "VNI-Times")])
    b.para("", runs=[("Văn bản Unicode, ", "Times New Roman"), (to_tcvn3("rồi TCVN3"), ".VnArial")])
    raw = ingest(b.save(tmp_path / "legacy.docx"))
    assert raw.text.splitlines() == ["KẾ HOẠCH", "Ủy ban nhân dân xã", "Ủy ban nhân dân xã Nhân Lý",
                                     "Văn bản Unicode, rồi TCVN3"]
    assert "tcvn3" in raw.encoding


@pytest.mark.parametrize("i", range(5))
def test_docx_seed_typed_in_tcvn3_font(tmp_path, i):
    # a whole seed typed in .VnTime: back exactly but for capitals TCVN3 cannot hold (`Ủy`)
    text = unicodedata.normalize("NFC", sorted(CORPUS.glob("*.txt"))[i].read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    b = DocxBuilder()
    for line in lines:
        b.para("", runs=[(to_tcvn3(line), ".VnTime")])
    got = _lines(b, tmp_path)
    assert [g.lower() for g in got] == [line.lower() for line in lines]
    capitals = [x for x in lines if x.isupper()]
    assert [g for g, line in zip(got, lines, strict=True) if line.isupper()] == capitals


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Kế hoạch 12</title>
<style>.x{color:red}</style><script>var menu = "Trang chủ";</script></head><body>
<nav><a href="/">Trang chủ</a> <a href="/vb">Văn bản</a></nav>
<div class="menu"><a href="/a">Đăng nhập</a> | <a href="/b">Đăng ký</a></div>
<div id="main"><div class="content">
<table><tr><td><p>ỦY BAN NHÂN DÂN<br>XÃ NHÂN LÝ</p></td>
<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td>Số: 12/KH-UBND</td><td><i>Nhân Lý, ngày 05 tháng 3 năm 2026</i></td></tr></table>
<div class="body"><p align="center"><b>KẾ HOẠCH</b></p>
<p>Phòng, chống   mua bán
người năm 2026</p><p>I. MỤC ĐÍCH, YÊU CẦU</p>
<p>1. Nâng cao nhận thức của <span>cán bộ</span>, đảng viên&nbsp;và Nhân dân.</p>
<p>II. NHIỆM VỤ</p><p>- Tổ chức tuyên truyền tại các thôn, khu dân cư trên địa bàn xã.</p></div>
</div><div class="related"><a href="/1">Kế hoạch 1 về phòng chống ma túy</a><a href="/2">Kế hoạch 2</a></div>
</div><footer>Bản quyền thuộc về trang web</footer></body></html>"""


def test_html_document_text(tmp_path):
    raw = ingest(write(tmp_path, "p.html", PAGE.encode()))
    assert raw.status == "ok", raw.error
    assert raw.text.splitlines() == [
        "ỦY BAN NHÂN DÂN", "XÃ NHÂN LÝ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND", "Nhân Lý, ngày 05 tháng 3 năm 2026", "KẾ HOẠCH",
        "Phòng, chống mua bán người năm 2026", "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân.", "II. NHIỆM VỤ",
        "- Tổ chức tuyên truyền tại các thôn, khu dân cư trên địa bàn xã."]


def test_html_declared_charset_and_htm(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1258"')
    raw = ingest(write(tmp_path, "p.htm", to_cp1258(page)))
    assert raw.status == "ok" and raw.source_format == "htm"
    assert "Phòng, chống mua bán người năm 2026" in raw.text.splitlines()


def test_html_without_text_is_empty(tmp_path):
    raw = ingest(write(tmp_path, "e.html", b"<html><body><script>x()</script><nav>Menu</nav></body></html>"))
    assert raw.status == "empty"
