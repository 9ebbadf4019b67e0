"""Where a case-insensitive pattern can match in a text, found by the words it opens with.

Python's regex engine can skip ahead to a literal or a set of first characters, but not when
the pattern opens with a look-behind (`(?<!\\w)`) or ignores case: then it tries every
position of the text, and a plan's grammar scans its whole text a dozen times that way.
Every match of `(?<!\\w)(?:trước|chậm nhất) ...` opens with `trước` or `chậm` in some case,
so the text is lower-cased once, those words are found with `str.find`, and the pattern is
tried there only. The matches are the pattern's own (`match` at each place, in order, as
`finditer` would find them); when the words a pattern opens with cannot be read from it,
or the text holds a character whose lower case the engine reads otherwise (`ſ` matches `s`
ignoring case; `İ` lower-cases to two characters), the whole text is scanned as before.

    starts = Openings(text)
    for m in starts.finditer(pattern):          # == pattern.finditer(text)
    for m in starts.finditer(pattern, masked):  # a copy of text with spans blanked to \\x00
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from ..charsets import every_character

__all__ = ["Openings", "anchor_of", "openings_for", "openings_of", "required_of", "skipping"]

_LONGEST = 5  # characters of an opening kept: enough to find few places
_MOST = 64  # openings per pattern; more are cut shorter (still openings)
_BLANK = "\x00"  # what a masked copy of the text holds where spans were taken


def _walk(seq: list, acc: str, leaf, C) -> set[str] | None:
    """What LEAF makes of every way a match of SEQ (a parsed pattern) opens: groups, branches
    and repeats are opened, what takes no character is passed, and LEAF(seq, ACC, C) answers
    for the first item that takes one (SEQ empty: the match may end there); the union of its
    answers, None when one is None (the opening cannot be told)."""
    if seq:
        op, av = seq[0]
        rest = seq[1:]
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # takes no character
            return _walk(rest, acc, leaf, C)
        if op is C.SUBPATTERN:
            return _walk(list(av[-1].data) + rest, acc, leaf, C)
        if op is C.ATOMIC_GROUP:
            return _walk(list(av.data) + rest, acc, leaf, C)
        if op is C.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                got = _walk(list(alt.data) + rest, acc, leaf, C)
                if got is None:
                    return None
                out |= got
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, item = av
            # once: the item then the rest; more: the item (its opening is the match's)
            first = _walk(list(item.data) + (rest if hi == 1 else []), acc, leaf, C)
            if lo > 0:
                return first
            skipped = _walk(rest, acc, leaf, C)
            if first is None or skipped is None:
                return None
            return first | skipped
    return leaf(seq, acc, C)


def _words(seq: list, acc: str, C) -> set[str] | None:
    """`_walk`'s leaf for the lower-case strings every match opens with, after ACC; None when
    a match may open otherwise (a class, a digit, nothing at all)."""
    if not seq:
        return {acc} if acc else None
    op, av = seq[0]
    if op is C.LITERAL:
        ch = chr(av).lower()
        if len(ch) != 1:
            return {acc} if acc else None
        acc += ch
        return {acc} if len(acc) >= _LONGEST else _walk(seq[1:], acc, _words, C)
    if op is C.IN and av and all(o is C.LITERAL for o, _ in av):  # `[ýí]`
        out: set[str] = set()
        for _, v in av:
            got = _words([(C.LITERAL, v)] + seq[1:], acc, C)
            if got is None:
                return None
            out |= got
        return out
    return {acc} if acc else None


def _parsed(pattern: re.Pattern):
    """(the items of PATTERN as the engine's own parser reads it, the parser's constants), or
    None: the `regex` module's syntax is not the parser's, and the parser is private, so any
    surprise means none (the callers then scan everything, or keep PATTERN as it is)."""
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
        return None
    try:
        from re import _constants as C
        from re import _parser

        return list(_parser.parse(pattern.pattern, pattern.flags).data), C
    except Exception:
        return None


@lru_cache(maxsize=512)
def openings_of(pattern: re.Pattern) -> tuple[str, ...] | None:
    """The lower-case strings every match of PATTERN opens with, or None."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    try:  # (a parse the walk does not expect: scan everything)
        found = _walk(parsed[0], "", _words, parsed[1])
    except Exception:
        return None
    if not found:
        return None
    if len(found) > _MOST:
        found = {s[:3] for s in found}
        if len(found) > _MOST:
            return None
    # a shorter opening covers the longer ones it begins
    kept = sorted(s for s in found if not any(o != s and s.startswith(o) for o in found))
    if any(_BLANK in s for s in kept):
        return None
    return tuple(kept)


def _runs(seq, C) -> Iterator[str]:
    """The runs of literal characters (lower case) that every match of SEQ (a parsed
    pattern) takes, in order: what stands at its top level, or in a group taken once."""
    run = ""
    for op, av in seq:
        if op is C.LITERAL and len(chr(av).lower()) == 1:
            run += chr(av).lower()
            continue
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT) and not run:
            continue  # takes no character (one within a run would split it: ended below)
        if run:
            yield run
            run = ""
        if op is C.SUBPATTERN:
            yield from _runs(av[-1].data, C)
        elif op is C.ATOMIC_GROUP:
            yield from _runs(av.data, C)
    if run:
        yield run


@lru_cache(maxsize=512)
def required_of(pattern: re.Pattern) -> str | None:
    """The longest string (lower case, 3 characters or more) that every match of PATTERN
    holds, or None: a text without it has no match (`lần` in `02 lần/năm`, a pattern whose
    opening words cannot be told)."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    try:
        runs = list(_runs(*parsed))
    except Exception:
        return None
    best = max(runs, key=len, default="")
    return best if len(best) >= 3 and _BLANK not in best else None


_ANCHOR_REACH = 16  # characters a match may take before its white space and literal, at most


@lru_cache(maxsize=512)
def anchor_of(pattern: re.Pattern) -> tuple[str, int] | None:
    """(a literal run NEED, lower case, 3 characters or more, REACH) when every match of
    PATTERN takes, at its top level, a part at most REACH characters wide, then white space
    (`\\s+`, `\\s*`), then NEED (`(?:\\d{1,2}|một|hai|ba)\\s+lần`): a match then starts at
    most REACH characters before the white space run that ends at a place of NEED; or None."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    items, C = parsed
    try:
        from re import _parser

        space = [(C.IN, [(C.CATEGORY, C.CATEGORY_SPACE)])]
        for j in range(1, len(items)):
            op, av = items[j - 1]
            if op not in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) or list(av[2].data) != space:
                continue
            run = ""
            for o, v in items[j:]:
                if o is not C.LITERAL or len(chr(v).lower()) != 1:
                    break
                run += chr(v).lower()
            if len(run) < 3 or _BLANK in run:
                continue
            reach = _parser.SubPattern(_parser.State(), items[:j - 1]).getwidth()[1]
            return (run, reach) if reach <= _ANCHOR_REACH else None
    except Exception:  # a parse the walk does not expect: none
        return None
    return None


def _first(seq: list, acc: str, C) -> set[str] | None:
    """`_walk`'s leaf for pieces of a class (in the pattern's syntax) holding the first
    character of every match; None when one cannot be told (or a match may take none)."""
    if not seq:
        return None
    op, av = seq[0]
    if op is C.LITERAL:
        return {re.escape(chr(av))}
    if op is C.IN:
        out: set[str] = set()
        for o, v in av:
            if o is C.LITERAL:
                out.add(re.escape(chr(v)))
            elif o is C.RANGE:
                out.add(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
            elif o is C.CATEGORY and v in _CATEGORIES:
                out.add(_CATEGORIES[v])
            else:  # a negated class, and what else a class may hold: not told
                return None
        return out
    return None


_CATEGORIES: dict = {}


@lru_cache(maxsize=512)
def skipping(pattern: re.Pattern) -> re.Pattern | None:
    """PATTERN with a class of the characters its matches open with looked ahead first (the
    engine then skips to them, where a pattern opening with a look-behind or an alternation
    is tried at every place: ~1.7x faster); the same matches. None when the class cannot be
    read from the pattern."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    items, C = parsed
    try:
        if not _CATEGORIES:
            _CATEGORIES.update({C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
                                C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
                                C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S"})
        pieces = _walk(items, "", _first, C)
        if not pieces:
            return None
        # (a new line closes a comment of a verbose pattern's last line)
        close = "\n)" if pattern.flags & re.VERBOSE else ")"
        return re.compile(f"(?=[{''.join(sorted(pieces))}])(?:{pattern.pattern}{close}", pattern.flags)
    except Exception:  # a pattern the parser reads otherwise (global flags, ...): as it is
        return None


# ---- characters the engine matches ignoring case that lower() would not turn into the same


_SAME_IGNORING_CASE: dict[str, frozenset[str]] = {}


def _same_ignoring_case(chars: frozenset[str]) -> None:
    """Fill _SAME_IGNORING_CASE for CHARS: every character the engine matches to each,
    ignoring case (found by asking the engine about every character once)."""
    new = [c for c in chars if c not in _SAME_IGNORING_CASE]
    if not new:
        return
    some = set(re.findall("[" + "".join(re.escape(c) for c in new) + "]", every_character(), re.IGNORECASE))
    for c in new:
        one = re.compile(re.escape(c), re.IGNORECASE)
        _SAME_IGNORING_CASE[c] = frozenset(ch for ch in some if one.fullmatch(ch))


@lru_cache(maxsize=256)
def _unsafe(chars: frozenset[str]) -> re.Pattern | None | bool:
    """The characters that, in a text, would hide an opening from `text.lower()` (`ſ`, `ı`,
    `İ`): a pattern to look for them; None when there are none; False when two of CHARS
    are the same ignoring case (then lower-casing cannot tell the openings apart)."""
    _same_ignoring_case(chars)
    bad: set[str] = set()
    for c in chars:
        same = _SAME_IGNORING_CASE[c]
        if same & (chars - {c}):
            return False
        bad |= {ch for ch in same if ch.lower() != c}
    if "σ" in chars or "ς" in chars:
        bad.add("Σ")  # lower() reads it as final or not by what follows it
    if not bad:
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(bad)) + "]")


class Openings:
    """The places of one text where patterns can start (see the module's doc)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._low: str | None = None
        self._at: dict[str, list[int]] = {}
        # by the pattern's id, the pattern kept beside (so its id is never another's): a
        # pattern hashes its whole compiled code, ~1-3 µs for the grammar's, at every look-up
        self._starts: dict[int, tuple[re.Pattern, list[int] | None]] = {}
        self._clean: dict[re.Pattern | None, bool] = {}

    def _positions(self, opening: str) -> list[int]:
        got = self._at.get(opening)
        if got is None:
            find = self._low.find
            got = []
            p = find(opening)
            while p >= 0:
                got.append(p)
                p = find(opening, p + 1)
            self._at[opening] = got
        return got

    def starts(self, pattern: re.Pattern) -> list[int] | None:
        """Where PATTERN can match in the text, in order (a superset); None: anywhere."""
        kept = self._starts.get(id(pattern))
        if kept is not None:
            return kept[1]
        got = None
        opens = openings_of(pattern)
        if opens is not None:
            unsafe = _unsafe(frozenset("".join(opens)))
            if unsafe is not False and self._can_lower(unsafe):
                places: set[int] = set()
                for o in opens:
                    places.update(self._positions(o))
                got = sorted(places)
        elif (anchor := anchor_of(pattern)) is not None:  # before the white space before NEED
            need, reach = anchor
            unsafe = _unsafe(frozenset(need))
            if unsafe is not False and self._can_lower(unsafe):
                text, at = self.text, set()
                for q in self._positions(need):
                    ws = q
                    while ws > 0 and text[ws - 1].isspace():  # (`\s` and `isspace` agree)
                        ws -= 1
                    at.update(range(max(0, ws - reach), q + 1))
                got = sorted(at)
        else:  # anywhere, if the text holds what every match holds
            need = required_of(pattern)
            if need is not None:
                unsafe = _unsafe(frozenset(need))
                if unsafe is not False and self._can_lower(unsafe) and need not in self._low:
                    got = []
        self._starts[id(pattern)] = (pattern, got)
        return got

    def _can_lower(self, unsafe: re.Pattern | None) -> bool:
        ok = self._clean.get(unsafe)
        if ok is None:
            if self._low is None:
                self._low = self.text.lower()
            ok = len(self._low) == len(self.text) and (unsafe is None or unsafe.search(self.text) is None)
            self._clean[unsafe] = ok
        return ok

    def finditer(self, pattern: re.Pattern, s: str | None = None, pos: int = 0,
                 endpos: int | None = None) -> Iterator[re.Match]:
        """`pattern.finditer(s, pos, endpos)`; S is the text or a copy of it with spans
        blanked to \\x00 (no opening holds one, so it only ever has fewer of them)."""
        s = self.text if s is None else s
        end = len(s) if endpos is None else endpos
        starts = self.starts(pattern)
        if starts is None:
            yield from (skipping(pattern) or pattern).finditer(s, pos, end)
            return
        match = pattern.match
        cur = pos
        for i in range(bisect_left(starts, pos), len(starts)):
            p = starts[i]
            if p < cur:
                continue
            if p >= end:
                break
            m = match(s, p, end)
            if m is not None:
                yield m
                cur = m.end()


@lru_cache(maxsize=4)
def openings_for(text: str) -> Openings:
    """The Openings of TEXT, shared by the extractors that read the same plan (a few kept)."""
    return Openings(text)
