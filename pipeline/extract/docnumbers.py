"""Document numbers and symbols: `68/KH-UBND`, `162/2025/NĐ-CP`, `132-KL/TW`.

The contract's conventions: `number` is the part before the first slash, `symbol` the
rest without a year segment, `doc_ref` the whole as written with the spaces around the
slash removed. Party documents join number and symbol with a hyphen.

    >>> parse_doc_number("2033 /QĐ-UBND")
    DocNumber(number='2033', symbol='QĐ-UBND', doc_ref='2033/QĐ-UBND')
    >>> parse_doc_number("162/2025/NĐ-CP")
    DocNumber(number='162', symbol='NĐ-CP', doc_ref='162/2025/NĐ-CP')
    >>> parse_doc_number("132-KL/TW")
    DocNumber(number='132', symbol='KL/TW', doc_ref='132-KL/TW')
    >>> parse_doc_number("Chỉ thị số 30- CT/TU").doc_ref
    '30-CT/TU'

    >>> parse_doc_number(" /KH-UBND")
    DocNumber(number=None, symbol='KH-UBND', doc_ref=None)
    >>> parse_doc_number("823/PV11(CS) ngày")
    DocNumber(number='823', symbol='PV11(CS)', doc_ref='823/PV11(CS)')
    >>> parse_doc_number("71/NQ -CP ngày").doc_ref, parse_doc_number("27/NQ- TW ngày").doc_ref
    ('71/NQ-CP', '27/NQ-TW')
    >>> parse_doc_number("68/KH-UBND - Hà Nội").doc_ref, parse_doc_number("66.2/2025/NQ-CP").number
    ('68/KH-UBND', '66.2')
    >>> parse_doc_number("số 125/QĐ - UBND ngày").doc_ref, parse_doc_number("68/KH-UBND - HÀ NỘI").doc_ref
    ('125/QĐ-UBND', '68/KH-UBND')
    >>> parse_doc_number("Nghị quyết số 37-NQ/TW NQ/TW ngày").doc_ref
    '37-NQ/TW'
    >>> parse_doc_number("số 2582/QĐ-ƯBND ngày").doc_ref, parse_doc_number("01-NQ/TƯ").doc_ref
    ('2582/QĐ-UBND', '01-NQ/TƯ')
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["DocNumber", "DOC_NUMBER", "PARTY_NUMBER", "DOC_NUMBER_RE", "parse_doc_number",
           "number_from_match", "symbol_prefix"]

# A symbol starts with an upper-case letter and runs over letters, digits, `-` and `/`
# (`KH-BCĐ138/CP`, `TTr-SLĐTBXH`, `PL-UBTVQH11`); it never ends on `-` or `/`. A unit code
# in brackets glued to its end belongs to it (`823/PV11(CS)`, `367/TTr-CAT-TM(CSMT)`).
# A stray space on one side of a hyphen or slash is typing, not an end (`27/NQ- TW`,
# `71/NQ -CP`) when an upper-case code follows that ends there. Scans read `UBND` as `ƯBND`:
# an `Ư` before another capital inside a code is a misread `U` (a code's own `Ư`, as in `TƯ`,
# ends it). A hyphen spaced on both sides after the kind code is typing too (`QĐ - UBND`).
_OCR_U = re.compile(r"Ư(?=[A-ZĐ])")
_SYM = (r"[A-ZĐ][A-Za-zĐđ0-9]*(?:[ \t]-[ \t](?=[A-ZĐƯ])[A-ZĐƯ][A-ZĐƯ0-9]{0,5}(?![^\W_]))?"
        r"(?:(?:[-/]|[ \t][-/]|[-/][ \t](?=[A-ZĐƯ]))(?:[A-ZĐƯ][A-ZĐƯ0-9]{0,5}(?![^\W_])"
        r"|(?<=[A-Za-zĐđ0-9][-/])[A-Za-zĐđ0-9]+))*(?:\([A-ZĐ][A-Za-zĐđ0-9]*\))?")
# State documents: `68/KH-UBND`, `68 /KH-UBND`, `162/2025/NĐ-CP`, `/KH-UBND` (blank number).
DOC_NUMBER = (
    rf"(?P<num>\d{{1,6}}(?:\.\d{{1,3}})?[a-z]?)?[ \t]*/[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*)?"
    rf"(?P<sym>{_SYM})"
)
# Party documents: `132-KL/TW`, `36-CT/TW`, `05-NQ/TW`, `19-CT/TU`
# (`10-CTr/TU`, `459-KHHĐ/TU`: the kind part may have lower-case letters as in state symbols)
# (a stray space on one side of the hyphen is typing: `30- CT/TU`)
# (the symbol typed twice, `37-NQ/TW NQ/TW`, is read once)
PARTY_NUMBER = (r"(?P<pnum>\d{1,6})(?:-[ \t]?|[ \t]-)(?P<psym>[A-ZĐ][A-Za-zĐđ]{0,4}/[A-ZĐ][A-Za-zĐđƯ0-9]*)"
                r"(?:[ \t]+(?P=psym)(?![\w/-]))?")
DOC_NUMBER_RE = re.compile(rf"(?<![\w/]){PARTY_NUMBER}|(?<![\w/-]){DOC_NUMBER}")


class DocNumber(NamedTuple):
    number: str | None
    symbol: str | None
    doc_ref: str | None


def number_from_match(m: re.Match) -> DocNumber:
    """A DocNumber from a match of DOC_NUMBER / PARTY_NUMBER (or a pattern embedding them)."""
    g = m.groupdict()
    if g.get("pnum"):
        return DocNumber(g["pnum"], g["psym"], f"{g['pnum']}-{g['psym']}")
    num, year, sym = g.get("num"), g.get("year"), g.get("sym")
    if sym:
        sym = _OCR_U.sub("U", re.sub(r"\s+", "", sym))
    if not sym:
        return DocNumber(None, None, None)
    if not num:
        return DocNumber(None, sym, None)
    ref = f"{num}/{year}/{sym}" if year else f"{num}/{sym}"
    return DocNumber(num, sym, ref)


def parse_doc_number(text: str) -> DocNumber:
    """The first document number in `text` (all None when there is none)."""
    m = DOC_NUMBER_RE.search(text)
    return number_from_match(m) if m else DocNumber(None, None, None)


def symbol_prefix(symbol: str | None) -> str:
    """The kind part of a symbol: `KH-UBND` → `KH`, `QĐ-TTg` → `QĐ`, `KL/TW` → `KL`."""
    if not symbol:
        return ""
    # the letters only: a law's `QH15` is a `QH`
    return re.split(r"[-/]", symbol, maxsplit=1)[0].rstrip("0123456789") or symbol
