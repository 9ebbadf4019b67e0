"""The heading-marker grammar of Vietnamese plans, defined once.

What counts as the marker of a heading or an item, and where its text starts: upper-case
lettered parts (``A.``, ``B.``), ``Phần thứ nhất`` / ``Phần I`` (part), Roman ``I.``, Arabic
``1.`` / ``1)``, dotted ``2.1.``, letters ``a)`` in Vietnamese order, bullets (``-``, ``+``,
``•``, ``*``) and the appendix line ``PHỤ LỤC I``. The words (``phần``, ``thứ``, ``phụ lục``,
the ordinals, ``điều``, ``chương``) and the bullet characters are in rules/headings.yaml
(``markers``, ``parts``, ``bullet_chars``); the shapes are here. Clean (reflow: a marker line is
never joined to the line before), segment (the heading tree) and the task extractor (the text
after the marker) all read markers through this module.

>>> from pipeline.rules import load_rules
>>> g = grammar(load_rules())
>>> lines = ["II. NHIỆM VỤ", "2.1. Sở Y tế", "đ) Tổ chức", "B. CÁC NHIỆM VỤ"]
>>> [(parse(s, g).marker, parse(s, g).marker_type) for s in lines]
[('II', 'roman'), ('2.1', 'arabic_dotted'), ('đ', 'letter'), ('B', 'part')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .charsets import any_case
from .memo import kept
from .rules import Rules, load_rules

VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN_VALID_RX = re.compile(r"^(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_ROMAN_RX = re.compile(r"^([IVXL]{1,7})\s*(?:[.):]|\s[-–])\s*(.*)$")
# the text after a marker: after a space, or straight after the stop when it opens with a
# capital ("1.Tổ chức"); _tight() checks the capital
_DOTTED_RX = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?:(\s+)|([.)])(\s*))(.*)$")
_ARABIC_RX = re.compile(r"^(\d{1,2})\s*([.)])(\s*)(.*)$")
_LETTER_RX = re.compile(r"^([a-zđ])\s*([).])(\s*)(.*)$")
_PART_LETTER_RX = re.compile(r"^([A-H])\s*[.)]\s+(.*)$")
_UPPER_START_RX = re.compile(r"^[\"'“‘(\[]*[^\W\d_]")


@dataclass(frozen=True)
class Marker:
    kind: str  # part, roman, arabic, arabic_dotted, arabic_paren, letter, appendix, or a bullet kind
    marker: str  # normalized: `III`, `2.1`, `đ`, `P1`, `B`, `-` (bullets are numbered by segment)
    marker_type: str  # roman, arabic, arabic_dotted, letter, bullet, part
    text_start: int  # offset of the heading text within the line
    strict: bool = True  # False: accept only where the sequence makes sense (`a.` `b.`)


@dataclass(frozen=True)
class Grammar:
    part_rx: re.Pattern  # `Phần thứ nhất`, `Phần I`
    appendix_rx: re.Pattern  # `PHỤ LỤC`, `Phụ lục số 02`, `PHỤ LỤC I: ...`
    parts: dict[str, int]  # ordinal word -> number
    bullets: dict[str, str]  # bullet char -> bullet kind
    bullet_rx: re.Pattern
    item_start_rx: re.Pattern  # a line that starts an item (reflow never joins it to the one before)
    tight_rx: re.Pattern  # a marker glued to its text: `1.Tổ chức`
    bare_rx: re.Pattern  # a line that is a marker and nothing else: `1.`, `-`
    # parse's answers by line: segment reads each line, the task finder its heading again
    known: dict = field(default_factory=dict, compare=False, repr=False)
    # the characters of the basic plane (digits apart) a line with a marker can open with: a
    # line opening with another (`Căn cứ`, `Thực hiện`) is no marker's, without a pattern tried
    opens: frozenset | None = None
    appendix_opens: frozenset | None = None  # the same for an appendix line (its words' first letters)


def _words(words) -> str:
    words = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words) or "(?!)"


def _build(rules: Rules) -> Grammar:
    data = rules["headings"] or {}
    mk = data.get("markers") or {}
    # (the words are the rule file's; a missing list matches nothing)
    part = _words(mk.get("part_words") or [])
    ordinal = _words(mk.get("ordinal_words") or [])
    appendix = _words(mk.get("appendix_words") or [])
    number = _words(mk.get("number_words") or [])
    article = _words(mk.get("article_words") or [])
    bullets: dict[str, str] = {}
    for kind, chars in (data.get("bullet_chars") or {"dash": ["-"], "plus": ["+"]}).items():
        for ch in chars:
            bullets[ch] = kind
    chars = "".join(re.escape(c) for c in sorted(bullets, key=len, reverse=True))
    return Grammar(
        part_rx=re.compile(rf"^(?:{part})\s+(?:(?:{ordinal})\s+)?(\w+)\s*(?:[.:\-–]\s*)?(.*)$", re.I),
        appendix_rx=re.compile(
            rf"^(?:{appendix})(?:\s+(?:(?:{number})\s+)?([IVXL]+|\d{{1,2}}))?\s*(?:[.:\-–]\s*)?(.*)$", re.I),
        parts={w.lower(): i + 1 for i, w in enumerate(data.get("parts") or [])},
        bullets=bullets,
        bullet_rx=re.compile(rf"^([{chars}])\s*(?=\S)(.*)$"),
        item_start_rx=re.compile(
            rf"""^(?:
                (?:[IVXLC]+|\d{{1,3}}(?:\.\d{{1,3}})*|[a-zđ]|[A-H])[.)](?:\s|$)   # I.  1.  2.1.  a)  B.
              | [{chars}](?:\s|$)                                           # bullets
              | (?i:(?:{part})\s+(?:{ordinal})\s)                            # Phần thứ hai
              | (?i:(?:{article})\s+[IVXLC\d]+\b)                            # Điều 1, Chương II
            )""",
            re.X,
        ),
        tight_rx=re.compile(r"^(?:(?:[IVXL]+|\d{1,2}(?:\.\d{1,2})*)[.)]|[a-zđ]\))(\w)"),
        bare_rx=re.compile(rf"(?:[IVXL]+|\d{{1,2}}(?:\.\d{{1,2}})*|[a-zđ])[.)]|[{chars}]"),
        opens=_opens([w.split()[0][0] for w in mk.get("part_words") or [] if w.split()], bullets),
        appendix_opens=any_case("".join(w.split()[0][0] for w in mk.get("appendix_words") or []
                                        if w.split())),
    )


def _opens(part_firsts: list[str], bullets: dict[str, str]) -> frozenset:
    """What a marker line of _parse opens with, in the basic plane, digits apart: a part word's
    first letter in any case (as part_rx reads it), a part letter `A`-`H`, a Roman numeral's
    letter, a letter of `a)`, a bullet."""
    return frozenset(any_case("".join(part_firsts)) | set("ABCDEFGHIVXL") | set("abcdefghijklmnopqrstuvwxyzđ")
                     | set(bullets))


def grammar(rules: Rules) -> Grammar:
    return rules.compiled("markers", _build)


@lru_cache(maxsize=1)
def default_grammar() -> Grammar:
    return grammar(load_rules())


def roman_value(s: str) -> int | None:
    if not _ROMAN_VALID_RX.match(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


_NUMERALS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
             (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_numeral(n: int) -> str:
    """N as an upper-case Roman numeral (the inverse of roman_value); '' for N < 1."""
    out = []
    for value, letters in _NUMERALS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


_KNOWN_KEPT = 8192  # lines whose marker is kept (emptied when full)


def parse(line: str, g: Grammar) -> Marker | None:
    """The marker a (stripped) line opens with, or None."""
    return kept(g.known, line, _KNOWN_KEPT, lambda: _parse(line, g))


def _parse(line: str, g: Grammar) -> Marker | None:
    ch = line[:1]
    if g.opens is not None and ch not in g.opens and ch <= "\uffff" and not ch.isdecimal():
        return None  # (no pattern below matches a line opening with it: see _opens)
    m = g.part_rx.match(line)
    if m:
        word = m.group(1).lower()
        n = g.parts.get(word) or (roman_value(word.upper()) if word.isalpha() else None)
        if n is None and word.isdigit():
            n = int(word)
        if n:
            return Marker("part", f"P{n}", "part", m.start(2))
    m = _PART_LETTER_RX.match(line)
    if m and m.group(1) not in "IVXL" and _is_caps_heading(m.group(2)):
        return Marker("part_letter", m.group(1), "part", m.start(2))
    m = _ROMAN_RX.match(line)
    if m and roman_value(m.group(1)) and _UPPER_START_RX.match(m.group(2)) and _caps_word(m.group(2)):
        return Marker("roman", m.group(1), "roman", m.start(2))
    m = _DOTTED_RX.match(line)
    if m and _UPPER_START_RX.match(m.group(5)) and _capital(m.group(5)) and (
        m.group(2) or m.group(4) or _tight(m.group(5))
    ):
        return Marker("arabic_dotted", m.group(1), "arabic_dotted", m.start(5))
    m = _ARABIC_RX.match(line)
    if m and int(m.group(1)) >= 1 and _capital(m.group(4)) and (m.group(3) or _tight(m.group(4))):
        kind = "arabic" if m.group(2) == "." else "arabic_paren"
        return Marker(kind, str(int(m.group(1))), "arabic", m.start(4))
    m = _letter(line)
    if m:
        return Marker("letter", m.group(1), "letter", m.start(4), strict=m.group(2) == ")")
    m = g.bullet_rx.match(line)
    if m and g.bullets[m.group(1)] == "star" and m.group(2).startswith("("):
        return None  # `* (Ban hành kèm theo ...)*`: a converter's italic note, not an item
    if m:
        inner = _letter(m.group(2))
        if inner and inner.group(2) == ")":  # "- đ) ...": the dash is a converter's
            return Marker("letter", inner.group(1), "letter", m.start(2) + inner.start(4))
        return Marker(g.bullets[m.group(1)], "-", "bullet", m.start(2))
    return None


def appendix(line: str, g: Grammar) -> tuple[str | None, str] | None:
    """(number as written or None, title on the same line) when LINE opens an appendix."""
    ch = line[:1]
    if g.appendix_opens is not None and ch not in g.appendix_opens and ch <= "\uffff":
        return None  # (appendix_rx opens with an appendix word)
    m = g.appendix_rx.match(line)
    if not m:
        return None
    rest = m.group(2).strip()
    letters = [c for c in line[: m.start(2)] if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    # `Phụ lục` at the start of a sentence is a reference to one, not its first line
    if not caps and (rest or m.group(1) is None):
        return None
    if rest and not _is_caps_heading(rest):
        return None
    return m.group(1), rest


def is_appendix(section) -> bool:
    """The section segment made for a `PHỤ LỤC` (path `PL`, `PL1`, ...)."""
    return section.marker_type == "part" and section.marker.startswith("PL")


def text_start(text: str, start: int, end: int, g: Grammar | None = None) -> int:
    """The offset after the item marker (`a)`, `2.1.`, `-`, `III.`) of the line at START."""
    g = g or default_grammar()
    nl = text.find("\n", start, end)
    line = text[start: end if nl < 0 else nl]
    mk = parse(line, g)
    pos = start + (mk.text_start if mk else 0)
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


def _letter(line: str) -> re.Match | None:
    m = _LETTER_RX.match(line)
    glued_ok = m is not None and m.group(2) == ")" and _tight(m.group(4))
    if m and m.group(1) in VI_LETTERS and m.group(4) and (m.group(3) or glued_ok):
        return m
    return None


def _tight(text: str) -> bool:
    """Text glued to its marker ("1.Tổ chức") counts only when it opens with a capital letter."""
    return bool(text) and text[0].isalpha() and text[0].isupper()


def _capital(text: str) -> bool:
    """The heading text starts like a heading: a capital letter (or a quote / bracket first)."""
    t = text.lstrip("\"'“‘([")
    return bool(t) and (t[0].isupper() or t[0].isdigit())


def _caps_word(text: str) -> bool:
    """A Roman heading: its first word is a capitalised word, not a stray letter run."""
    t = text.lstrip("\"'“‘([")
    return bool(t) and t[0].isupper()


def mostly_caps(text: str) -> bool:
    """A line in capitals, a word such as `IoT` apart."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _is_caps_heading(text: str) -> bool:
    """An upper-case title (its first letters all capitals): `CÁC NHIỆM VỤ TRỌNG TÂM`."""
    letters = [c for c in text[:40] if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
