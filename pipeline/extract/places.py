"""Places in the front matter: a level word and a name the 2025 list of administrative units
knows (`xã Nhân Lý`, `tỉnh Lạng Sơn`), the level of a body of that place, and the province
and codes a plan's place resolves to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..charsets import every_character
from ..memo import kept
from ..rules import Rules
from .admin_units import admin_units
from .fm_rules import fm_rules
from .patterns import words_alternation

__all__ = ['Place', 'parse_place', 'place_phrases', 'text_places', 'province_mentions', 'place_level',
           'locate_place']


@dataclass(frozen=True, slots=True)
class Place:
    level: str  # the level word, lower case: `xã`, `tỉnh`, `thành phố`, `huyện`
    name: str | None  # official spelling where the list knows it: `Nhân Lý`
    level_raw: str = ""  # as written (`Huyện`), used when there is no name

    @property
    def text(self) -> str:
        return f"{self.level} {self.name}" if self.name else self.level_raw or self.level


def _titled(words: list[str]) -> list[str]:
    return [w.capitalize() if w.isupper() and len(w) > 1 else w for w in words]


@lru_cache(maxsize=4096)
def parse_place(level_raw: str, name: str | None) -> Place:
    """Level word and the longest run of name words that the list of units knows. Kept per
    (level, name): the list is fixed, and a plan names its own place many times.

    >>> parse_place("TỈNH", "NGHỆ AN CỘNG HÒA")
    Place(level='tỉnh', name='Nghệ An', level_raw='TỈNH')
    >>> parse_place("xã", "Nhân Lý UBND").name
    'Nhân Lý'
    """
    level = " ".join(level_raw.lower().split())
    words = (name or "").split()
    if not words:
        return Place(level, None, level_raw.strip())
    units = admin_units()
    for k in range(len(words), 0, -1):
        cand = " ".join(_titled(words[:k]))
        if level in ("tỉnh", "thành phố"):
            official = units.official_name(cand)
            if official:
                return Place(level, official, level_raw)
        if level in ("xã", "phường", "đặc khu", "thị trấn"):
            found = units.communes(level, cand)
            if found:
                return Place(level, found[0].name, level_raw)
        if level in ("huyện", "quận", "thị xã", "thành phố") and units.district_provinces(cand):
            return Place(level, cand, level_raw)
    if all(w.isupper() for w in words):  # an unknown upper-case name: keep its first words
        words = words[:2]
    titled = [w for w in _titled(words) if not w.isupper() or w.isdigit()]
    if not titled:
        return Place(level, None, level_raw.strip())
    return Place(level, " ".join(titled), level_raw)


def province_mentions(flat: str, rules: Rules, start: int = 0) -> Counter:
    """How often each 2025 province (by code) is named in the text from START on (`tỉnh Lạng
    Sơn`, ...): the place phrases of `flat[START:]`."""
    units = admin_units()
    counts: Counter = Counter()
    for m in text_places(flat, rules, start):
        lvl = m["level"].lower()
        if lvl not in ("tỉnh", "thành phố"):
            continue
        p = parse_place(m["level"], m["name"])
        prov = units.province(p.name) if p.name else None
        if prov:
            counts[prov.code] += 1
    return counts


_TEXTS_KEPT = 2  # a plan's place phrases are asked for by read_plan, then by its references


def text_places(flat: str, rules: Rules, start: int = 0) -> tuple:
    """The place phrases of `flat[START:]` (`place_phrases`' matches, read in FLAT), the whole
    text's read once for a plan's front matter and references alike (~0.25 ms each).

    The phrase pattern (opening with its level words) looks at nothing before its match: a
    scan from START then finds the whole text's matches from START on, unless one of those
    runs across START."""
    found = kept(rules.compiled("places.texts", lambda _r: {}), flat, _TEXTS_KEPT,
                 lambda: tuple(place_phrases(flat, rules)))
    if not start:
        return found
    if _level_openings(rules) is None or any(m.start() < start < m.end() for m in found):
        return tuple(_matches_at(fm_rules(rules).place_phrase, flat, [
            m.start() + start for m in place_phrases(flat[start:], rules)]))
    return tuple(m for m in found if m.start() >= start)


def place_phrases(flat: str, rules: Rules) -> Iterator:
    """`fm_rules(rules).place_phrase.finditer(flat)`, the pattern tried only where a level
    word opens (the engine, ignoring case, would try it at every character of the text)."""
    c = fm_rules(rules)
    opens = _level_openings(rules)
    if opens is None:
        return c.place_phrase.finditer(flat)
    words, odd = opens
    low = flat.lower()
    # the lower-cased text has the offsets of the text, and no character the engine matches
    # to a level word's letter lower-cases to another letter: then every match opens where
    # a level word's first word stands in LOW
    if len(low) != len(flat) or (odd is not None and odd.search(flat)):
        return c.place_phrase.finditer(flat)
    places: set[int] = set()
    for w in words:
        p = low.find(w)
        while p >= 0:
            places.add(p)
            p = low.find(w, p + 1)
    return _matches_at(c.place_phrase, flat, sorted(places))


def _matches_at(pattern, text: str, places: list[int]) -> Iterator:
    """The matches finditer would give, when every match starts at one of PLACES (sorted)."""
    cur = 0
    for p in places:
        if p < cur:
            continue
        m = pattern.match(text, p)
        if m is not None:
            yield m
            cur = max(m.end(), p + 1)


def _level_openings(rules: Rules) -> tuple[tuple[str, ...], Any] | None:
    """The first words (lower case) of the level words the place pattern opens with, and a
    pattern of the characters that would hide one from `str.lower` (None: there are none);
    None when the pattern does not open with exactly the level words of the rules."""
    def build(r: Rules):
        levels = [str(w) for w in ((r["frontmatter"] or {}).get("place_levels") or {}) if w]
        if not levels or not fm_rules(r).place_phrase.pattern.startswith(
                f"(?P<level>{words_alternation(levels, 'i')})"):
            return None
        words = tuple(sorted({w.split()[0].lower() for w in levels}))
        return words, _hidden_by_lower("".join(words))
    return rules.compiled("places.level_openings", build)


@lru_cache(maxsize=16)
def _hidden_by_lower(letters: str):
    """A pattern of the characters the `regex` engine matches to one of LETTERS ignoring
    case whose lower case is another character (None: no such character)."""
    chars = sorted(set(letters))
    some = set(regex.findall("(?i)[" + "".join(regex.escape(c) for c in chars) + "]", every_character()))
    odd = set()
    for c in chars:
        one = regex.compile("(?i)" + regex.escape(c))
        odd |= {ch for ch in some if one.fullmatch(ch) and ch.lower() != c}
    return regex.compile("[" + "".join(regex.escape(c) for c in sorted(odd)) + "]") if odd else None


def place_level(place: Place, rules: Rules) -> str:
    c = fm_rules(rules)
    lvl = c.place_levels.get(place.level, "unknown")
    if place.level == "thành phố" and place.name and not admin_units().is_province(place.name):
        return "district"
    return lvl


def locate_place(place: Place | None, level: str, mentions: Counter):
    """(province, province_code, locality_code) for the plan's place."""
    units = admin_units()
    if place is None or level in ("national", "ministry", "unknown"):
        return None, None, None
    best = mentions.most_common(1)[0][0] if mentions else None
    if place.level in ("tỉnh", "thành phố") and place.name:
        prov = units.province(place.name)
        if prov:
            return prov.name, prov.code, prov.code
    if place.level in ("xã", "phường", "thị trấn", "đặc khu") and place.name:
        cands = units.communes(place.level, place.name)
        if len(cands) > 1:
            cands = sorted(cands, key=lambda w: -mentions.get(w.province_code, 0))
            if mentions.get(cands[0].province_code, 0) == 0:
                cands = []
        if cands:
            prov = units.province_by_code(cands[0].province_code)
            return prov.name, prov.code, cands[0].code
    if place.level in ("huyện", "quận", "thị xã", "thành phố") and place.name:
        provs = units.district_provinces(place.name)
        if len(provs) == 1:
            return provs[0].name, provs[0].code, None
        provs = [p for p in provs if mentions.get(p.code)]
        if provs:
            best = max(provs, key=lambda p: mentions[p.code]).code
    if best is None:
        return None, None, None
    prov = units.province_by_code(best)
    return prov.name, prov.code, None
