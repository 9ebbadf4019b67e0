"""Places in the front matter: a level word and a name the 2025 list of administrative units
knows (`xã Nhân Lý`, `tỉnh Lạng Sơn`), the level of a body of that place, and the province
and codes a plan's place resolves to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..rules import Rules
from .admin_units import admin_units
from .fm_rules import fm_rules

__all__ = ['Place', 'parse_place', 'province_mentions', 'place_level', 'locate_place']


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


def parse_place(level_raw: str, name: str | None) -> Place:
    """Level word and the longest run of name words that the list of units knows.

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


def province_mentions(flat: str, rules: Rules) -> Counter:
    """How often each 2025 province (by code) is named in the text (`tỉnh Lạng Sơn`, ...)."""
    c = fm_rules(rules)
    units = admin_units()
    counts: Counter = Counter()
    for m in c.place_phrase.finditer(flat):
        lvl = m["level"].lower()
        if lvl not in ("tỉnh", "thành phố"):
            continue
        p = parse_place(m["level"], m["name"])
        prov = units.province(p.name) if p.name else None
        if prov:
            counts[prov.code] += 1
    return counts


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
