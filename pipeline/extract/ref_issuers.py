"""The issuer of a cited document, settled over all its citations: one named at the end of
what the document is about, the fuller of two spellings, and the place a body of the plan's own
territory (`UBND tỉnh`, `Ban Thường vụ Tỉnh ủy`) belongs to."""

from __future__ import annotations

from ..records import PlanInfo
from ..rules import Rules
from .admin_units import admin_units
from .citetext import read_issuer
from .docnumbers import DOC_NUMBER_RE
from .places import text_places
from .ref_rules import RefRules

__all__ = ["trailing_issuers", "fuller_issuer", "written_province", "own_place", "province_body"]


def trailing_issuers(cites: list, flat: str, c: RefRules, rules: Rules) -> None:
    """A numbered document whose issuer is not after its date may name it at the end of what
    it is about (`Quyết định số 16/2016/QĐ-UBND ngày 09/5/2016 ban hành Quy định X của UBND
    thành phố Hà Nội;`): the last `của` + capitalised body that runs to the clause's end."""
    for x in cites:
        if x.issuer or x.key[0] != "num" or x.desc_span[1] <= x.desc_span[0]:
            continue
        m = c.trailing_issuer.search(flat, x.desc_span[0], x.desc_span[1])
        if not m or _names_a_document(flat[x.desc_span[0]:m.start()], c):
            continue  # `của X` may be the issuer of a document the description names
        if not c.issuer_head.match(flat, m.start("rest")):
            continue  # `ý kiến thống nhất của Thành viên ...`: not a body that issues documents
        issuer, end = read_issuer(flat, m.start("rest"), c, rules)
        if issuer and not flat[end:x.desc_span[1]].strip(" ,.;"):
            x.issuer = issuer


def _names_a_document(desc: str, c: RefRules) -> bool:
    """DESC cites a document of its own: a number, or a kind word that no approving verb
    introduces (`ban hành Quy định X` is what the document itself issues)."""
    if DOC_NUMBER_RE.search(desc):
        return True
    return any(not c.approves_before.search(desc[:k.start()]) for k in c.kind_start.finditer(desc))


def fuller_issuer(first: str | None, later: str | None) -> str | None:
    """The issuer of a document cited twice: the first citation's, unless only the later one
    names the body in full (`của UBND Thành phấ`, OCR, then `của UBND thành phố Hà Nội`): a
    canonical body with a place beats a phrase the canonical names did not read."""
    if not first or not later:
        return first or later
    if _place_named(later) and not _place_named(first):
        return later
    return first


def _place_named(issuer: str) -> bool:
    """`Ủy ban nhân dân thành phố Hà Nội`: canonical (no abbreviation left), place named."""
    words = issuer.split()
    return (not any(w.isupper() and len(w) > 1 for w in words)
            and any(w[:1].islower() for w in words) and words[-1][:1].isupper())


def written_province(flat: str, rules: Rules) -> str | None:
    """The province the text names most (`tỉnh Quảng Ngãi`), as written (an old province stays
    old): whose `Tỉnh ủy` / `UBND tỉnh` a district's or commune's plan cites."""
    counts: dict[str, int] = {}
    for m in text_places(flat, rules):  # (read_plan read them for the province it names)
        if m["level"].lower() != "tỉnh":
            continue
        for k in range(3, 0, -1):  # the longest run of name words that is a province
            name = admin_units().official_name(" ".join(m["name"].split()[:k]))
            if name:
                counts[name] = counts.get(name, 0) + 1
                break
    return max(counts, key=counts.get) if counts else None


def own_place(issuer: str | None, plan: PlanInfo, c: RefRules) -> str | None:
    """`UBND tỉnh`, `Ban Thường vụ Tỉnh ủy` in a plan of tỉnh Bắc Ninh are Bắc Ninh's bodies:
    the issuer with the place name the plan's own locality gives."""
    if not issuer or not plan.locality:
        return issuer
    level, _, name = plan.locality.partition(" ")
    if plan.locality.lower().startswith("thành phố "):
        level, name = "thành phố", plan.locality[len("thành phố "):]
    if not name:
        return issuer
    low = issuer.lower()
    if low.endswith(" " + level):
        return issuer[: len(issuer) - len(level)] + plan.locality
    committee = c.own_committees.get(level)
    if committee and low.endswith(committee) and plan.province:
        return f"{issuer} {plan.province}"
    return issuer


def province_body(issuer: str | None, plan: PlanInfo, province: str | None, c: RefRules) -> str | None:
    """`Ban Thường vụ Tỉnh ủy`, `UBND tỉnh` cited by a district's or a commune's plan: the
    province's, named as the text names it."""
    if not issuer or not province or not plan.locality or plan.issuer_level not in ("district", "commune"):
        return issuer
    low = issuer.lower()
    committee = c.own_committees.get("tỉnh")
    if low.endswith(" tỉnh") or (committee and low.endswith(committee)):
        return f"{issuer} {province}"
    return issuer
