"""OCR of scanned PDFs (no text layer) with Tesseract's Vietnamese model.

    text, n_pages = ocr_pdf(path)      # pages rendered by pypdfium2, read by `tesseract -l vie`
    result = read_scan(path)           # the same with Tesseract's mean word confidence
    text = fix_ocr_text(raw_ocr_text)  # already applied by ocr_pdf; for OCR output only

Each page is read with its word boxes (TSV), so the two columns of the letterhead and of the
signature block come out one after the other, not merged into one line (`ocr_layout`).

Tesseract runs as the `tesseract` command (Debian's `tesseract-ocr` and `tesseract-ocr-vie`,
installed by scripts/ensure-system-deps.sh), one page at a time through a pipe, with its
own threading turned off: the batch runner already runs one document per core.

`fix_ocr_text` repairs what OCR typically breaks in Vietnamese and nothing else, so that it
is safe on OCR output and never applied to text that came from a text layer:
- split diacritics: a combining mark, or a spacing accent (´ ` ˜), set apart from its vowel;
- `l`, `I`, `|` read for `1` and `O`, `o` for `0` inside numbers (`2O26`, `l5/12`, `1OO%`),
  `l.` read for the item marker `1.`, and `¡)` for `i)`;
- the `Số:` line of the document number (`S ố :`, `Sô:`, `S6:`, `12 / KH - UBND`), and its
  number pushed onto the next line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from .ocr_layout import mean_confidence, page_text, parse_tsv
from .ocr_repair import Vocabulary, fix_ocr_text, vocabulary_of
from .rules import Rules, load_rules

__all__ = ["OcrUnavailable", "ScanReading", "fix_ocr_text", "ocr_available", "ocr_image", "ocr_page",
           "ocr_pdf", "read_scan"]

DPI = 300  # Tesseract's models are trained on text of about 10-12 pt at 300 dpi


class OcrUnavailable(RuntimeError):
    """tesseract or its Vietnamese model is not installed."""


@lru_cache(maxsize=1)
def tesseract_langs() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def ocr_available(lang: str = "vie") -> bool:
    return lang in tesseract_langs()


def _tesseract(png: bytes, *, lang: str, timeout: float | None, output: str) -> str:
    if not ocr_available(lang):
        raise OcrUnavailable(f"tesseract with the {lang!r} model is not installed "
                             "(apt-get install tesseract-ocr tesseract-ocr-vie)")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # --psm 4: one column of text of variable sizes (a plan's body); the letterhead's columns
    # are told apart afterwards from the word boxes (ocr_layout)
    args = ["tesseract", "stdin", "stdout", "-l", lang, "--psm", "4", "--dpi", str(DPI)]
    proc = subprocess.run(args + ([output] if output else []), input=png, capture_output=True, env=env,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed: {err[-1] if err else proc.returncode}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_page(png: bytes, *, width: int, lang: str = "vie", timeout: float | None = None
             ) -> tuple[str, float | None]:
    """Text of one page image (PNG bytes) in reading order, and the mean word confidence."""
    words = parse_tsv(_tesseract(png, lang=lang, timeout=timeout, output="tsv"))
    return page_text(words, page_width=width), mean_confidence(words)


def ocr_image(png: bytes, *, lang: str = "vie", timeout: float | None = None) -> str:
    """Text of one page image (PNG bytes), as Tesseract writes it (no column handling)."""
    return _tesseract(png, lang=lang, timeout=timeout, output="")


@dataclass(frozen=True, slots=True)
class ScanReading:
    text: str
    n_pages: int
    confidence: float | None  # Tesseract's mean word confidence over the document, 0-100


def ocr_vocabulary(rules: Rules) -> Vocabulary:
    """What OCR output is checked against: heading words, header lines, document symbols."""
    def build(r: Rules) -> Vocabulary:
        kinds = r["headings"]["section_kinds"]
        front = r["frontmatter"]
        words = [w for k in kinds for w in k["words"] + k.get("child_words", [])]
        words += [w for k in front["doc_kinds"].values() for w in k["words"]]
        words += front.get("national_header", []) + front.get("authority_lines", [])
        words += r["headings"].get("attached_titles", []) + r["ocr"].get("heading_words", [])
        symbols = [s for k in front["doc_kinds"].values() for s in k.get("symbols", [])]
        symbols += [s for k in r["references"]["ref_kinds"].values() for s in k.get("symbols", [])]
        return vocabulary_of(words, symbols + r["ocr"].get("symbols", []))

    return rules.compiled("ocr.vocabulary", build)


def read_scan(path: str | Path, *, lang: str = "vie", dpi: int = DPI,
              page_timeout: float | None = 120, rules: Rules | None = None) -> ScanReading:
    """OCR every page of a PDF: the repaired text, the number of pages, the confidence."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages, confs = [], []
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            text, conf = ocr_page(buf.getvalue(), width=image.width, lang=lang, timeout=page_timeout)
            pages.append(_drop_page_number(text, i + 1))
            if conf is not None:
                confs.append(conf)
        confidence = sum(confs) / len(confs) if confs else None
        text = fix_ocr_text("\n\n".join(pages), ocr_vocabulary(rules or load_rules()))
        return ScanReading(text, len(pages), confidence)
    finally:
        pdf.close()


def ocr_pdf(path: str | Path, *, lang: str = "vie", dpi: int = DPI,
            page_timeout: float | None = 120) -> tuple[str, int]:
    """OCR every page of a PDF; returns the cleaned text and the number of pages."""
    reading = read_scan(path, lang=lang, dpi=dpi, page_timeout=page_timeout)
    return reading.text, reading.n_pages


def _drop_page_number(text: str, page_no: int) -> str:
    """The page number a plan prints at the top (or foot) of pages after the first."""
    lines = text.strip("\n\f ").splitlines()
    if page_no > 1:
        for idx in (0, -1):
            if lines and regex.fullmatch(r"\s*[-–]?\s*" + str(page_no) + r"\s*[-–]?\s*", lines[idx]):
                lines.pop(idx)
    return "\n".join(lines)
