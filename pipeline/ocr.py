"""OCR of scanned PDFs (no text layer) with Tesseract's Vietnamese model.

    text, n_pages = ocr_pdf(path)      # pages rendered by pypdfium2, read by `tesseract -l vie`
    text = fix_ocr_text(raw_ocr_text)  # already applied by ocr_pdf; for OCR output only

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
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex

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


def ocr_image(png: bytes, *, lang: str = "vie", timeout: float | None = None) -> str:
    """Text of one page image (PNG bytes)."""
    if not ocr_available(lang):
        raise OcrUnavailable(f"tesseract with the {lang!r} model is not installed "
                             "(apt-get install tesseract-ocr tesseract-ocr-vie)")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # --psm 4: one column of text of variable sizes (a plan's body); the default (3) cuts the
    # two-column letterhead into blocks just as well but is slower.
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", "4",
                           "--dpi", str(DPI)], input=png, capture_output=True, env=env,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed: {err[-1] if err else proc.returncode}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_pdf(path: str | Path, *, lang: str = "vie", dpi: int = DPI,
            page_timeout: float | None = 120) -> tuple[str, int]:
    """OCR every page of a PDF; returns the cleaned text and the number of pages."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            pages.append(_drop_page_number(ocr_image(buf.getvalue(), lang=lang,
                                                     timeout=page_timeout), i + 1))
        return fix_ocr_text("\n".join(pages)), len(pages)
    finally:
        pdf.close()


def _drop_page_number(text: str, page_no: int) -> str:
    """The page number a plan prints at the top (or foot) of pages after the first."""
    lines = text.strip("\n\f ").splitlines()
    if page_no > 1:
        for idx in (0, -1):
            if lines and regex.fullmatch(r"\s*[-–]?\s*" + str(page_no) + r"\s*[-–]?\s*", lines[idx]):
                lines.pop(idx)
    return "\n".join(lines)


# --- repairs ---------------------------------------------------------------------------

_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
# spacing accents OCR emits for the combining ones
_SPACING = {"´": "\u0301", "ˊ": "\u0301", "`": "\u0300", "ˋ": "\u0300", "˜": "\u0303"}
_COMBINING_AFTER_SPACE = regex.compile(r"(?<=\p{L})[ \t]+(?=[\u0300-\u036f])")
_SPACING_ACCENT = regex.compile(
    r"(?<=[" + _VOWELS + r"]\p{Mn}?)[ \t]?([´ˊ`ˋ˜\u02dc])(?=\p{L}|\b)")
# a token of digits and their look-alikes; pieces between separators are fixed one by one
_NUMBER_TOKEN = regex.compile(r"(?<![\p{L}\p{N}])[0-9OolI|]+(?:[/.,:-][0-9OolI|]+)*%?(?![\p{L}\p{N}])")
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_L_MARKER = regex.compile(r"(?m)^([ \t]*)l(\.)(?=[ \t])")  # `l)` is a letter marker
_I_MARKER = regex.compile(r"(?m)^([ \t]*)[¡ï!|]\)(?=[ \t])")  # the item marker `i)`
_SO_LINE = regex.compile(r"(?m)^([ \t]*)S[ \t]*[ốôóồổoõ6][ \t]*[:;.][ \t]*(?:\n[ \t]*(?=[0-9OolI]*[ \t]*/))?")
_SO_SLASH = regex.compile(r"(?m)^(Số: (?:[0-9]+)?)[ \t]*/[ \t]*(.*)$")
_HYPHEN_IN_SYMBOL = regex.compile(r"(?<=\p{Lu}|\d)[ \t]*-[ \t]*(?=\p{Lu})")


def _fix_number(m: regex.Match) -> str:
    token = m.group(0)
    pieces = regex.split(r"([/.,:-])", token)
    out = []
    for piece in pieces:
        # a piece with a real digit and look-alikes around it; `II` or `l` alone stay words
        if len(piece) >= 2 and regex.search(r"\d", piece):
            piece = piece.translate(_LOOKALIKE)
        out.append(piece)
    return "".join(out)


def _fix_so_line(m: regex.Match) -> str:
    number, rest = m.group(1), m.group(2)
    return f"{number}/{_HYPHEN_IN_SYMBOL.sub('-', rest.strip())}"


def fix_ocr_text(text: str) -> str:
    """Repair the usual OCR errors in Vietnamese text (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\f", "\n")
    text = _COMBINING_AFTER_SPACE.sub("", text)
    text = _SPACING_ACCENT.sub(lambda m: _SPACING[m.group(1)], text)
    text = unicodedata.normalize("NFC", text)
    text = _NUMBER_TOKEN.sub(_fix_number, text)
    text = _L_MARKER.sub(r"\g<1>1\2", text)
    text = _I_MARKER.sub(r"\g<1>i)", text)
    text = _SO_LINE.sub(r"\1Số: ", text)
    text = _SO_SLASH.sub(_fix_so_line, text)
    # OCR leaves runs of spaces and trailing blanks; paragraphs stay apart
    text = regex.sub(r"[ \t]{2,}", " ", text)
    text = regex.sub(r"[ \t]+\n", "\n", text)
    text = regex.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
