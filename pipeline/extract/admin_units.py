"""Vietnam's administrative units, for a plan's province and its official codes.

The 2025 list (34 provinces, 3,321 communes and wards, with their codes) comes from the
`vietnam-provinces` package; the names of the 63 provinces and the districts before the
2025 reform, and which new province each old one went into, from `vietnamadminunits`.
Nothing here is typed by hand. The tables are built once (`admin_units()` is cached).

    >>> units = admin_units()
    >>> units.province("Lạng Sơn").code, units.province("tỉnh Kiên Giang").name
    (20, 'An Giang')
    >>> [(w.code, w.province_code) for w in units.communes("xã", "Nhân Lý")]
    [(6496, 20)]
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["AdminUnits", "NewProvince", "Commune", "admin_units", "fold"]


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """Key for comparing place names: no accents, no spaces, lower case (`Hòa Xá` → `hoaxa`).

    Accents are dropped only after NFC so that `Hoà` and `Hòa` fold alike. Kept per name: a
    plan names its few places many times, and the letters are dropped one by one.
    """
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if c.isalnum() and not unicodedata.combining(c))
    return s.lower()


@dataclass(frozen=True, slots=True)
class NewProvince:
    name: str  # short name as people write it: `Hà Nội`, `Lạng Sơn`
    code: int
    kind: str  # `tỉnh` or `thành phố`


@dataclass(frozen=True, slots=True)
class Commune:
    kind: str  # `xã`, `phường`, `đặc khu`
    name: str  # `Nhân Lý`
    code: int
    province_code: int


# The level words a unit's full name starts with, longest first.
_UNIT_KINDS = ("thành phố trung ương", "thành phố", "tỉnh", "đặc khu", "phường", "xã",
               "thị trấn", "thị xã", "quận", "huyện")


def _split_kind(full: str) -> tuple[str, str]:
    low = full.lower()
    for kind in _UNIT_KINDS:
        if low.startswith(kind + " "):
            return kind, full[len(kind) + 1:].strip()
    return "", full.strip()


def _package_dir(name: str) -> Path:
    """Where package NAME is installed, found without importing it (vietnamadminunits'
    own __init__ loads its parsers, geopy and requests: a third of a second at start-up)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(name)
    return Path(next(iter(spec.submodule_search_locations)))


class AdminUnits:
    """Lookups over the 2025 list, with the pre-2025 province and district names mapped in."""

    def __init__(self) -> None:
        from vietnam_provinces import Province, Ward

        self._provinces: dict[str, NewProvince] = {}  # folded short name -> new province
        self._by_code: dict[int, NewProvince] = {}
        for p in Province.iter_all():
            kind, short = _split_kind(p.name)
            prov = NewProvince(name=short, code=int(p.code),
                               kind="tỉnh" if kind in ("", "tỉnh") else "thành phố")
            self._provinces[fold(short)] = prov
            self._by_code[prov.code] = prov
        self._communes: dict[tuple[str, str], list[Commune]] = {}
        for w in Ward.iter_all():
            kind, short = _split_kind(w.name)
            c = Commune(kind=kind, name=short, code=int(w.code), province_code=int(w.province_code))
            self._communes.setdefault((kind, fold(short)), []).append(c)
        self._old_names: dict[str, str] = {}  # folded old short name -> official old short name
        self._districts: dict[str, list[int]] = {}  # folded old district -> new province codes
        self._load_legacy()

    def _load_legacy(self) -> None:
        """Old (63) provinces and their districts, mapped to the 2025 provinces."""
        try:
            data_dir = _package_dir("vietnamadminunits") / "data"
            conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
            legacy = json.loads((data_dir / "parser_legacy.json").read_text(encoding="utf-8"))
        except (ModuleNotFoundError, FileNotFoundError):  # optional: new names still work
            return
        new_of_old: dict[str, int] = {}
        for new_key, old_keys in conv["DICT_PROVINCE"].items():
            new = self._provinces.get(_strip_kind_key(new_key))
            if new:
                for old in old_keys:
                    new_of_old[old] = new.code
        for old_key, info in legacy["DICT_PROVINCE"].items():
            code = new_of_old.get(old_key)
            if code is None:
                continue
            short = info["provinceShort"]
            self._old_names[fold(short)] = short
            self._provinces.setdefault(fold(short), self._by_code[code])
        for old_key, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
            code = new_of_old.get(old_key)
            if code is None:
                continue
            for info in districts.values():
                _, short = _split_kind(info["district"])
                codes = self._districts.setdefault(fold(short), [])
                if code not in codes:
                    codes.append(code)

    def province(self, name: str) -> NewProvince | None:
        """The 2025 province for a province name, old or new, with or without `tỉnh`."""
        _, short = _split_kind(name)
        return self._provinces.get(fold(short))

    def province_by_code(self, code: int) -> NewProvince | None:
        return self._by_code.get(code)

    def is_province(self, name: str) -> bool:
        return self.province(name) is not None

    def official_name(self, name: str) -> str | None:
        """The official spelling of a province name (new or old): `HÀ NỘI` → `Hà Nội`."""
        _, short = _split_kind(name)
        key = fold(short)
        if key in self._old_names:
            return self._old_names[key]
        prov = self._provinces.get(key)
        return prov.name if prov else None

    def communes(self, kind: str, name: str) -> list[Commune]:
        """The 2025 communes / wards of that kind and name (several provinces may have one)."""
        return list(self._communes.get((kind.lower(), fold(name)), ()))

    def district_provinces(self, name: str) -> list[NewProvince]:
        """The 2025 provinces a pre-2025 district of that name lay in."""
        return [self._by_code[c] for c in self._districts.get(fold(name), ())]


def _strip_kind_key(key: str) -> str:
    for prefix in ("thanhpho", "tinh"):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@lru_cache(maxsize=1)
def admin_units() -> AdminUnits:
    """The lookup tables, built on first use."""
    return AdminUnits()
