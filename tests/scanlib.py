"""Scans made for the tests: a plan typeset as an official page, printed and scanned.

The layout of Nghị định 30/2020/NĐ-CP: a two-column header (issuing body left, national
motto right; number left, place and date right), the title centred, the body, then
`Nơi nhận` on the left and the signature block on the right. The page images get what a
scanner adds: a slight skew, noise and JPEG compression.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
_HEADING = re.compile(r"^(?:[IVX]+\.|PHẦN|Phần thứ)\s|^[A-ZĐ]\.\s")


def have_fonts() -> bool:
    return SERIF.exists() and SERIF_BOLD.exists()


@dataclass
class OfficialPage:
    issuer: list[str]  # `ỦY BAN NHÂN DÂN`, `XÃ NHÂN LÝ`
    number: str | None  # `Số: 68/KH-UBND` (None: the seed has no number line)
    date_line: str | None  # `Nhân Lý, ngày 27 tháng 3 năm 2026`
    title: list[str]  # `KẾ HOẠCH`, the subject lines
    body: list[str]  # paragraphs
    recipients: list[str]  # `Nơi nhận:` and its lines
    signature: list[str]  # `TM. ỦY BAN NHÂN DÂN`, `CHỦ TỊCH`, the name


def plain_lines(text: str) -> list[str]:
    """Paragraphs of a seed text as the clean stage reflows them, blank lines dropped."""
    from pipeline.clean import clean_text

    out = []
    for line in clean_text(text)[0].splitlines():
        line = re.sub(r"^#+\s*|\*+|\s+$", "", line).strip()
        if line:
            out.append(line)
    return out


def page_from_seed(text: str, *, issuer: list[str], number: str | None = None,
                   date_line: str | None = None) -> OfficialPage:
    """Split a seed plan into the parts of an official page (the header given, as seeds lack it)."""
    lines = plain_lines(text)
    title_at = next(i for i, x in enumerate(lines) if x.upper() == "KẾ HOẠCH")
    start = title_at + 1
    while start < len(lines) and not lines[start].startswith(("Thực hiện", "Căn cứ", "Triển khai")):
        start += 1
    closing = next(i for i, x in enumerate(lines) if x.startswith("Nơi nhận"))
    sign = next(i for i in range(closing + 1, len(lines)) if re.match(r"(TM|KT|TL)\.", lines[i]))
    body = [x for x in lines[start:closing] if not re.fullmatch(r"[–—-]{3,}", x)]
    return OfficialPage(issuer=issuer, number=number, date_line=date_line, title=lines[title_at:start],
                        body=body, recipients=lines[closing:sign], signature=lines[sign:])


def typeset(page: OfficialPage, path: Path) -> Path:
    """The page as a PDF with a text layer (A4, 13 pt serif, as offices print them)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("serif", fname=str(SERIF))
    pdf.add_font("serif", style="B", fname=str(SERIF_BOLD))
    pdf.add_page()
    left_w, gap = 66, 6
    right_x = pdf.l_margin + left_w + gap
    right_w = pdf.w - pdf.r_margin - right_x

    def column(lines: list[str], x: float, y: float, w: float, *, bold_first: int = 0) -> float:
        pdf.set_xy(x, y)
        for i, line in enumerate(lines):
            pdf.set_font("serif", "B" if i < bold_first else "", 10.5)
            pdf.set_x(x)
            pdf.multi_cell(w, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        return pdf.get_y()

    top = pdf.get_y()
    end_left = column(page.issuer, pdf.l_margin, top, left_w, bold_first=len(page.issuer))
    end_right = column(MOTTO, right_x, top, right_w, bold_first=1)
    row = max(end_left, end_right) + 3
    column([page.number] if page.number else [], pdf.l_margin, row, left_w)
    column([page.date_line] if page.date_line else [], right_x, row, right_w)
    pdf.set_y(row + 12)
    for i, line in enumerate(page.title):
        pdf.set_font("serif", "B", 13 if i == 0 else 12)
        pdf.multi_cell(0, 6.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in page.body:
        pdf.set_font("serif", "B" if _HEADING.match(line) else "", 12)
        pdf.multi_cell(0, 6.5, line, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(4)
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(pdf.l_margin, top)
    for i, line in enumerate(page.recipients):
        pdf.set_font("serif", "B" if i == 0 else "", 10)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(left_w + 5, 5, line, new_x="LMARGIN", new_y="NEXT")
    sig = page.signature
    column(sig[:-1], right_x, top, right_w, bold_first=len(sig) - 1)
    pdf.set_xy(right_x, top + 5.5 * (len(sig) - 1) + 22)
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(right_w, 6, sig[-1], align="C")
    pdf.output(str(path))
    return path


def scan(pdf_path: Path, out: Path, *, dpi: int = 200, skew: float = 0.4, noise: float = 12.0,
         jpeg_quality: int = 70, seed: int = 0) -> int:
    """PDF pages printed and scanned: images only, slightly rotated, noisy, JPEG-compressed."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(str(pdf_path))
    images = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(rng.uniform(-skew, skew), resample=Image.BICUBIC, fillcolor=255)
        arr = np.asarray(img, dtype=np.float32)
        arr += np.random.default_rng(seed + i).normal(0, noise, arr.shape)
        img = Image.fromarray(arr.clip(0, 255).astype("uint8"))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=jpeg_quality)
        images.append(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    doc.close()
    images[0].save(str(out), save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)
