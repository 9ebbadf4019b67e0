"""Text edits that keep, for every output character, the raw offset it came from.

Cleaning rewrites the text many times; each pass goes through `sub`, which rewrites the
per-character offset list with the text, so that the cleaned text still maps back to the raw.
The offsets are a list or an `array` (what clean keeps: a rewrite copies its slices
without touching each number); every function here gives back the kind it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, MutableSequence, Sequence
from typing import Protocol

# A piece of output text with the raw offset of each of its characters.
Piece = tuple[str, Sequence[int]]
# a text's offsets: a list of ints or an array of them (typing knows no generic array here)
Offsets = MutableSequence[int]

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER_RX = re.compile(f"[^{_COMBINING}][{_COMBINING}]+")

# --- tone placement -------------------------------------------------------------------
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
# a syllable ending in o+toned a/e or u+toned y (no final consonant): the old style
_OLD_TONE_RX = re.compile(
    r"(?<![\w])(\w*?)([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![\w])"
)
# the end of such a syllable, `quý` / `quỳ` (left alone) excepted: found without trying every word
# (the toned vowel first, the `o` / `u` before it looked behind for: a scan that stops at
# a toned vowel only, not at every o and u)
_OLD_TONE_END_RX = re.compile(
    r"[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?<=[uUoO].)(?<![qQ][uU].)(?![\w])"
)
_WORD_CHAR_RX = re.compile(r"\w")


class _OldTones:
    """The matches of _OLD_TONE_RX that change the text, in order (for `_sub`)."""

    @staticmethod
    def finditer(text: str) -> Iterator[re.Match]:
        for end in _OLD_TONE_END_RX.finditer(text):
            start = end.start()
            while start > 0 and _WORD_CHAR_RX.match(text, start - 1):
                start -= 1
            m = _OLD_TONE_RX.match(text, start)
            if m is not None:  # always: the word ends in the syllable end found
                yield m


class Finder(Protocol):
    """What `sub` reads matches from: a compiled pattern, or a faster finder of its matches."""

    def finditer(self, text: str) -> Iterator[re.Match]: ...


class SpacedChar:
    """The matches of `[ \t]*C[ \t]*` for a literal character C, found from each C: the
    pattern opens with optional spaces, so the regex engine would try it at every character."""

    def __init__(self, char: str) -> None:
        self.char = char
        self.rx = re.compile(rf"[ \t]*{re.escape(char)}[ \t]*")

    def finditer(self, text: str) -> Iterator[re.Match]:
        pos = 0
        while (i := text.find(self.char, pos)) >= 0:
            s = i
            while s > pos and text[s - 1] in " \t":  # (the spaces before it, back to the last match)
                s -= 1
            m = self.rx.match(text, s)
            assert m is not None
            yield m
            pos = m.end()


class LinesWith:
    """The matches of RX, a whole-line pattern (`^...$`, re.M, no line break inside), that
    every match holds NEEDLE in: RX is tried only at the start of each line holding NEEDLE."""

    def __init__(self, rx: re.Pattern, needle: str) -> None:
        self.rx = rx
        self.needle = needle

    def finditer(self, text: str) -> Iterator[re.Match]:
        pos = 0
        while (i := text.find(self.needle, pos)) >= 0:
            m = self.rx.match(text, text.rfind("\n", 0, i) + 1)
            if m is not None:
                yield m
            nl = text.find("\n", i)
            if nl < 0:
                return
            pos = nl + 1


def sub(rx: Finder, repl: Callable[[re.Match, Sequence[int]], list[Piece] | None] | str,
        text: str, offs: Offsets) -> tuple[str, Offsets]:
    """re.sub that also rewrites the per-character offset list.

    `repl` is a literal (every inserted character maps to the match start) or a function
    returning pieces (text, offsets), or None where the match stays as it is.
    """
    out: list[str] = []
    oo = offs[:0]  # (the kind OFFS is: a slice of it is added as it is)
    pos = 0  # text before this index is in out
    if isinstance(repl, str):
        n = len(repl)
        for m in rx.finditer(text):
            s, e = m.span()
            out.append(text[pos:s])
            oo += offs[pos:s]
            if n:
                at = offs[s] if s < len(offs) else (offs[-1] if offs else 0)
                out.append(repl)
                oo.extend([at] * n)
            pos = e
    else:
        for m in rx.finditer(text):
            pieces = repl(m, offs)
            if pieces is None:  # unchanged: copied with the text after it
                continue
            s, e = m.span()
            out.append(text[pos:s])
            oo += offs[pos:s]
            for piece, po in pieces:
                out.append(piece)
                oo.extend(po)
            pos = e
    if not out:  # nothing replaced
        return text, offs
    out.append(text[pos:])
    oo += offs[pos:]
    return "".join(out), oo


def keep(group: int) -> Callable[[re.Match, Sequence[int]], list[Piece]]:
    def repl(m: re.Match, offs: Sequence[int]) -> list[Piece]:
        a, b = m.span(group)
        return [(m.string[a:b], offs[a:b])]
    return repl



def nfc(text: str, offs: Offsets) -> tuple[str, Offsets]:
    if unicodedata.is_normalized("NFC", text):
        return text, offs

    def repl(m: re.Match, o: Sequence[int]) -> list[Piece]:
        s = unicodedata.normalize("NFC", m.group())
        return [(s, [o[m.start()]] * len(s))]

    text, offs = sub(_CLUSTER_RX, repl, text, offs)
    if not unicodedata.is_normalized("NFC", text):  # singletons (Ω, Å): one char at a time
        out: list[str] = []
        oo = offs[:0]
        for ch, o in zip(text, offs, strict=True):
            n = unicodedata.normalize("NFC", ch)
            out.append(n)
            oo.extend([o] * len(n))
        text, offs = "".join(out), oo
        if not unicodedata.is_normalized("NFC", text):  # a composition across characters
            text = unicodedata.normalize("NFC", text)
            kept = offs[:0]
            if offs:
                kept.extend([offs[min(i, len(offs) - 1)] for i in range(len(text))])
            offs = kept
    return text, offs


def _retone_match(m: re.Match, offs: Sequence[int]) -> list[Piece]:
    head, first, toned = m.group(1), m.group(2), m.group(3)
    if first in "uU" and head[-1:] in ("q", "Q"):  # quý, quỳ: the tone belongs on y
        return [(m.group(), offs[m.start():m.end()])]
    d = unicodedata.normalize("NFD", toned)
    tone = "".join(c for c in d if c in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    new_first = unicodedata.normalize("NFC", first + tone)
    return [(head + new_first + base, offs[m.start():m.end()])]


def retone(text: str, offs: Offsets) -> tuple[str, Offsets]:
    """Old-style tone placement to the new: `hoá` → `hóa`, `Uỷ` → `Ủy` (`quý` stays)."""
    return sub(_OldTones, _retone_match, text, offs)
