"""Repairs of OCR output: characters Tesseract typically misreads, and structure it breaks.

`fix_ocr_text` is applied to OCR output only, never to text from a text layer:
- split diacritics: a combining mark, or a spacing accent (´ ` ˜), set apart from its vowel;
- `l`, `I`, `|` read for `1` and `O`, `o` for `0` inside numbers (`2O26`, `l5/12`, `1OO%`),
  `l.` read for the item marker `1.`, and `¡)` for `i)`;
- the `Số:` line of the document number (`S ố :`, `Sô:`, `S6:`, `12 / KH - UBND`), and its
  number pushed onto the next line;
and, with a `Vocabulary` from the rules (`vocabulary_of(rules)`), repairs from structure:
- stray characters before an item marker (`:h)`, `-THI.`);
- Roman section numbers from their sequence: after `II.` comes `III.` (`IH.`, `-THI.`, and a
  repeated `II.` read for `III.`);
- diacritics of words in upper-case headings checked against the heading words of the rules
  (`YÊU CÂU` → `YÊU CẦU`, `THỤC HIỆN` → `THỰC HIỆN`);
- `D` read for `Đ` in document symbols known to the rules (`QD-UBND` → `QĐ-UBND`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from .markers import roman_numeral, roman_value

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

# a character or two of noise glued to the front of an item marker
_STRAY_BEFORE_MARKER = regex.compile(r"(?m)^([ \t]*)[^\w\s]{1,2}(?=(?:[a-zđ]\)|\d{1,2}\.|[IVX]{1,5}\.)[ \t])")
# a line opening with a Roman-looking number and an upper-case heading (`IH. NHIỆM VỤ`)
_ROMAN_LINE = regex.compile(
    r"(?m)^(?P<lead>[ \t]*)(?P<junk>[^\w\s]{0,2})(?P<num>[\p{L}1|]{1,5})[ \t]*[.,:][ \t]+(?=\p{Lu}{2})")
_ROMAN_LOOKALIKES = set("IVXLHTl1|")
_VALID_ROMAN = regex.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_UPPER_WORD = regex.compile(r"\b\p{Lu}[\p{Lu}\p{Mn}]+\b")
_SYMBOL = regex.compile(r"(?<=\d[ \t]*/[ \t]*)[\p{Lu}\d]+(?:[-/][\p{Lu}\d]+)*")


@dataclass(frozen=True)
class Vocabulary:
    """Words and symbols that OCR output is checked against (from the rules)."""

    heading_words: frozenset[str] = frozenset()  # upper case
    symbols: frozenset[str] = frozenset()  # parts of document symbols, as written (`QĐ`, `UBND`)
    _by_base: dict = field(default_factory=dict, repr=False, compare=False)

    def heading_word(self, word: str) -> str:
        """The heading word WORD stands for when only its diacritics differ, else WORD."""
        if word in self.heading_words or _VALID_ROMAN.fullmatch(word):
            return word  # `VI` is a section number, not `VỊ`
        if not self._by_base:
            for w in self.heading_words:
                self._by_base.setdefault(bare(w), set()).add(w)
        key = bare(word)
        found = self._by_base.get(key, ())
        if not found and len(key) >= 4:  # a letter read twice or dropped (`THỤỰC`)
            found = {w for k, ws in self._by_base.items() if _one_edit(k, key) for w in ws}
        return next(iter(found)) if len(found) == 1 else word


def _one_edit(a: str, b: str) -> bool:
    """A and B differ by one inserted, dropped or changed letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def bare(word: str) -> str:
    """WORD without diacritics (`THỰC` → `THUC`, `Đ` → `D`)."""
    decomposed = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def vocabulary_of(words: Iterable[str], symbols: Iterable[str]) -> Vocabulary:
    heading = {w for phrase in words for w in regex.findall(r"\p{L}+", phrase.upper()) if len(w) > 1}
    return Vocabulary(heading_words=frozenset(heading), symbols=frozenset(symbols))


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


def fix_roman_sequence(text: str) -> str:
    """Roman section numbers repaired from their order (`I.`, `II.`, `IH.` → `III.`)."""
    previous = 0

    def repair(m: regex.Match) -> str:
        nonlocal previous
        num = bare(m.group("num"))  # `VỊ.` for `VI.`
        if not set(num) <= _ROMAN_LOOKALIKES:
            return m.group(0)
        valid = bool(_VALID_ROMAN.fullmatch(num))
        value = roman_value(num) if valid else None
        expected = roman_numeral(previous + 1)
        # a number that is no Roman numeral, or the previous one read again, when it has
        # about the length of the one that should come next
        if (not valid or (previous and value == previous)) and abs(len(num) - len(expected)) <= 1:
            num, value = expected, previous + 1
        elif not valid:
            return m.group(0)
        previous = value
        return m.group("lead") + num + m.group(0)[m.end("num") - m.start():]

    return _ROMAN_LINE.sub(repair, text)


def fix_heading_words(text: str, vocabulary: Vocabulary) -> str:
    """Diacritics of words in upper-case lines that carry a known heading word."""
    out = []
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        words = _UPPER_WORD.findall(line)
        if (len(words) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
                and any(w in vocabulary.heading_words for w in words)):
            line = _UPPER_WORD.sub(lambda m: vocabulary.heading_word(m.group(0)), line)
        out.append(line)
    return "\n".join(out)


def fix_symbols(text: str, vocabulary: Vocabulary) -> str:
    """`D` read for `Đ` in the parts of a document symbol (`68/QD-UBND` → `68/QĐ-UBND`)."""
    by_bare = {}
    for s in vocabulary.symbols:
        by_bare.setdefault(s.replace("Đ", "D"), set()).add(s)

    def part(p: str) -> str:
        if p in vocabulary.symbols or "D" not in p:
            return p
        found = by_bare.get(p, ())
        return next(iter(found)) if len(found) == 1 else p

    return _SYMBOL.sub(lambda m: regex.sub(r"[\p{Lu}\d]+", lambda q: part(q.group(0)), m.group(0)), text)


def fix_ocr_text(text: str, vocabulary: Vocabulary | None = None) -> str:
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
    if vocabulary is not None:
        text = _STRAY_BEFORE_MARKER.sub(r"\1", text)
        text = fix_roman_sequence(text)
        text = fix_heading_words(text, vocabulary)
        text = fix_symbols(text, vocabulary)
    # OCR leaves runs of spaces and trailing blanks; paragraphs stay apart
    text = regex.sub(r"[ \t]{2,}", " ", text)
    text = regex.sub(r"[ \t]+\n", "\n", text)
    text = regex.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
