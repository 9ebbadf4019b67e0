"""Link stage: each plan's `implements` references resolved to plans in the store.

    >>> plans = [{"doc_id": "p", "doc_ref": "66/KH-UBND", "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn",
    ...           "issue_date": None, "title": "Thực hiện Chương trình X"}]
    >>> refs = [{"doc_id": "c", "role": "implements", "doc_ref": "66/KH-UBND",
    ...          "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "ref_date": None, "title": None}]
    >>> [(x.parent_doc_id, x.method) for x in link(plans, refs)]
    [('p', 'doc_ref+issuer')]

A document number alone never links (every commune has a `68/KH-UBND`): it needs the issuer
or the date to agree. A symbol cited shortened or otherwise (`19/KH-BCĐ` for a plan numbered
`19/KH-BCĐ138/CP`) links when the number, the date and the issuer all agree. A title links
only when nothing stated contradicts it (number, issuer, date). When several plans fit, the
link is `ambiguous`, unresolved, with the candidates named: reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .records import PlanLink
from .rules import Rules

__all__ = ["link", "normalize", "ref_key", "as_rows", "as_date", "title_norm", "link_norms", "AMBIGUOUS"]

# Old-style tone placement on open syllables (hoá, thuỷ) to the style the contract uses.
_TONE_FIX = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("(" + "|".join(_TONE_FIX) + r")(?![\w])")
_DASHES = re.compile(r"[‐‑‒–—―−]")
_PAREN_ABBR = re.compile(r"\(\s*[A-ZĐ][A-ZĐ0-9\-]{1,9}\s*\)")  # "(MBN)", "(UBND)"
_NON_WORD = re.compile(r"[^\w]+")


def normalize(text: str | None) -> str:
    """Lower-case NFC text with one tone style, one dash and single spaces, no punctuation.

    >>> normalize("Uỷ ban nhân dân  tỉnh – Hoá")
    'ủy ban nhân dân tỉnh hóa'
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    s = _PAREN_ABBR.sub(" ", s)
    s = _DASHES.sub("-", s).lower()
    s = _TONE_RE.sub(lambda m: _TONE_FIX[m.group(1)], s)
    return " ".join(_NON_WORD.sub(" ", s).split())


def _norm_issuer(issuer: str | None, abbr: Mapping[str, str]) -> str:
    return " ".join(abbr.get(w, w) for w in normalize(issuer).split())


_YEAR_SEG = re.compile(r"^(19|20)\d\d$")


def ref_key(doc_ref: str | None = None, number: str | None = None,
            symbol: str | None = None) -> str:
    """The comparable form of a document number: `162/2025/NĐ-CP` and `162/NĐ-CP` agree.

    >>> ref_key("2033 /QĐ-UBND") == ref_key(number="2033", symbol="QĐ-UBND")
    True
    """
    raw = doc_ref or (f"{number}/{symbol}" if number and symbol else "")
    raw = unicodedata.normalize("NFC", raw or "").upper().replace(" ", "")
    raw = _DASHES.sub("-", raw)
    parts = [p for p in raw.split("/") if p]
    parts = parts[:1] + [p for p in parts[1:] if not _YEAR_SEG.match(p)]  # the number may be 2033
    if len(parts) < 2:
        return ""
    return "/".join(parts)


def _date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    to_py = getattr(v, "to_pydatetime", None)  # pandas Timestamp
    if to_py is not None:
        try:
            return to_py().date()
        except ValueError:  # NaT
            return None
    return None


def as_date(v: Any) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or NaN/NaT (None)."""
    return _date(v)


def _clean_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if type(v).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):  # numpy arrays, scalars
        return v.tolist()
    return v


def as_rows(data: Any) -> list[dict]:
    """Records, dicts or a pandas DataFrame to a list of plain dicts (NaN and NaT as None)."""
    if data is None:
        return []
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        return [{k: _clean_value(v) for k, v in row.items()} for row in data.to_dict("records")]
    rows = []
    for item in data:
        if isinstance(item, Mapping):
            rows.append(dict(item))
        else:
            rows.append({f: getattr(item, f) for f in item.__slots__})
    return rows


@dataclass(frozen=True)
class _Norms:
    title_head: re.Pattern
    abbr: Mapping[str, str]

    def title(self, title: str | None) -> str:
        """A title without the verbs that open it (`Triển khai thực hiện ...`, `về việc ...`)."""
        return self.title_head.sub("", normalize(title))

    def issuer(self, issuer: str | None) -> str:
        return _norm_issuer(issuer, self.abbr)


def title_norm(rules: Rules):
    """The comparable form of a plan title (`Kế hoạch thực hiện Chương trình X` → `chương trình x`)."""
    return rules.compiled("link.norms", _build_norms).title


def link_norms(rules: Rules | None = None) -> _Norms:
    """The comparable forms link resolves by: `.title(title)` and `.issuer(issuer)`."""
    return Rules.resolve(rules).compiled("link.norms", _build_norms)


def _build_norms(rules: Rules) -> _Norms:
    spec = rules["compare"].get("link") or {}
    words = sorted((normalize(w) for w in spec.get("title_prefixes", [])), key=len, reverse=True)
    head = re.compile(r"^(?:(?:" + "|".join(map(re.escape, words)) + r")\s+)+") if words else re.compile("^$")
    abbr = {normalize(k): normalize(v) for k, v in (spec.get("issuer_abbreviations") or {}).items()}
    return _Norms(head, abbr)


def _number_of(key: str) -> str:
    return key.split("/", 1)[0] if key else ""


def _symbols_agree(a: str, b: str) -> bool:
    """`KH-BCĐ` cited for `KH-BCĐ138/CP`: one symbol opens the other (letters and digits only)."""
    a, b = _NON_WORD.sub("", a.split("/", 1)[-1]), _NON_WORD.sub("", b.split("/", 1)[-1])
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def link(plans: Iterable | Any, references: Iterable | Any, *, rules: Rules | None = None) -> list[PlanLink]:
    """One PlanLink per distinct `implements` reference of every plan, resolved when possible."""
    norms = Rules.resolve(rules).compiled("link.norms", _build_norms)
    plan_rows = as_rows(plans)
    by_key: dict[str, list[dict]] = {}
    by_number: dict[str, list[dict]] = {}
    by_title: dict[str, list[dict]] = {}
    for p in plan_rows:
        key = ref_key(p.get("doc_ref"), p.get("number"), p.get("symbol"))
        if key:
            by_key.setdefault(key, []).append(p)
            by_number.setdefault(_number_of(key), []).append(p)
        t = norms.title(p.get("title"))
        if t:
            by_title.setdefault(t, []).append(p)
    index = _Index(by_key, by_number, by_title)
    links: list[PlanLink] = []
    seen: set[tuple[str, str]] = set()
    for r in sorted(as_rows(references), key=lambda r: (r.get("doc_id") or "", r.get("char_start") or 0)):
        if r.get("role") != "implements":
            continue
        child = r.get("doc_id")
        parent_ref = r.get("doc_ref") or r.get("title") or ""
        if not child or not parent_ref or (child, normalize(parent_ref)) in seen:
            continue
        seen.add((child, normalize(parent_ref)))
        parent, method, cands = _resolve(r, child, index, norms)
        links.append(PlanLink(
            child_doc_id=child, parent_ref=parent_ref, resolved=parent is not None, method=method,
            parent_issuer=r.get("issuer"), parent_date=_date(r.get("ref_date")),
            parent_doc_id=parent["doc_id"] if parent else None, candidates=cands))
    return links


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, list[dict]]
    by_number: dict[str, list[dict]]
    by_title: dict[str, list[dict]]


def _one(hits: list[dict], method: str) -> tuple[dict | None, str, tuple[str, ...]]:
    if len(hits) == 1:
        return hits[0], method, ()
    return None, AMBIGUOUS, tuple(sorted(p["doc_id"] for p in hits))


AMBIGUOUS = "ambiguous"  # several plans fit what is cited: reported, never guessed


def _resolve(ref: dict, child: str, index: _Index,
             norms: _Norms) -> tuple[dict | None, str, tuple[str, ...]]:
    key = ref_key(ref.get("doc_ref"), ref.get("number"), ref.get("symbol"))
    issuer = norms.issuer(ref.get("issuer"))
    date = _date(ref.get("ref_date"))

    def same_issuer(p: dict) -> bool:
        return bool(issuer) and norms.issuer(p.get("issuer")) == issuer

    def same_date(p: dict) -> bool:
        return date is not None and _date(p.get("issue_date")) == date

    if key:
        cands = [p for p in index.by_key.get(key, []) if p["doc_id"] != child]
        hit = [p for p in cands if same_issuer(p)]
        if len(hit) > 1:  # one issuer, one number, several years: the date decides
            hit = [p for p in hit if same_date(p)] or hit
        if hit:
            return _one(hit, "doc_ref+issuer")
        hit = [p for p in cands if same_date(p)]
        if hit:
            return _one(hit, "doc_ref+date")
        # the symbol cited shortened or otherwise (`19/KH-BCĐ` for `19/KH-BCĐ138/CP`): the same
        # number, symbols that agree, and both the date and the issuer stated and equal
        loose = [p for p in index.by_number.get(_number_of(key), [])
                 if p["doc_id"] != child and p not in cands
                 and _symbols_agree(key, ref_key(p.get("doc_ref"), p.get("number"), p.get("symbol")))
                 and same_issuer(p) and same_date(p)]
        if loose:
            return _one(loose, "number+date+issuer")
    title = norms.title(ref.get("title"))
    if title:
        cands = []
        for p in index.by_title.get(title, []):
            if p["doc_id"] == child:
                continue
            p_key = ref_key(p.get("doc_ref"), p.get("number"), p.get("symbol"))
            if key and p_key and p_key != key:
                continue  # the number stated contradicts
            if issuer and p.get("issuer") and norms.issuer(p.get("issuer")) != issuer:
                continue
            p_date = _date(p.get("issue_date"))
            if date and p_date and p_date != date:
                continue
            cands.append(p)
        if cands:
            return _one(cands, "title")
    return None, "none", ()
