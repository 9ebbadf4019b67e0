"""The plans row: kind, number, issuer, date line, title, period, signer, recipients.

Works on the cleaned text, and stays robust to text the cleaner left as it was: markdown
marks (`#`, `**`), table bars of web copies (`|`) and hard-wrapped lines are read as
spaces (`flatten` keeps offsets, so every position is a position in the cleaned text).

    >>> from pipeline.records import CleanDoc, Segmented
    >>> from pipeline.rules import load_rules
    >>> text = "Số: 68 /KH-UBND\\nNhân Lý, ngày 27 tháng 3 năm 2026\\nKẾ HOẠCH\\nTriển khai X\\n"
    >>> seg = Segmented(CleanDoc("d", text), (), len(text), len(text))
    >>> p = find_plan(seg, rules=load_rules())
    >>> p.doc_ref, p.place, str(p.issue_date), p.title
    ('68/KH-UBND', 'Nhân Lý', '2026-03-27', 'Triển khai X')
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

import regex as re

from ..records import PlanInfo, Segmented
from ..rules import Rules
from .admin_units import admin_units
from .dates import date_from_match
from .docnumbers import number_from_match, symbol_prefix
from .fm_rules import flatten, fm_rules, squash
from .headerblock import find_title, front_bounds, plan_period, title_span
from .issuer import canonical_body, choose_issuer, enough_candidates, first_author, issuer_candidates
from .places import Place, locate_place, parse_place, province_mentions
from .signature import closing_recipients, signature

# (compiled once: the regex module's own cache costs ~10 µs a call)
_PLAN_WORD = re.compile(r"\b(?:Kế hoạch|KẾ HOẠCH)\b")

__all__ = ["find_plan", "read_plan", "HeaderSpans", "flatten", "front_bounds", "title_span",
           "header_spans", "Place", "parse_place", "canonical_body", "province_mentions"]

class HeaderSpans(NamedTuple):
    """Where a plan's header lies in its cleaned text: `front` is front_bounds' (doc_start,
    front_end), `title` title_span's (start, end) or None."""
    front: tuple[int, int]
    title: tuple[int, int] | None


def header_spans(seg: Segmented, rules: Rules) -> HeaderSpans:
    """The header's spans read anew (read_plan gives them as it read them, for free)."""
    return HeaderSpans(front_bounds(seg, rules), title_span(seg, rules))


def _needs_mentions(where: Place | None, level: str) -> bool:
    """locate_place reads the provinces the text names only for a place that does not name its
    province itself (a commune, a district, a province it does not know); tests ask that it
    answers the same without them for every other place."""
    if where is None or level in ("national", "ministry", "unknown"):
        return False
    return not (where.level in ("tỉnh", "thành phố") and where.name
                and admin_units().province(where.name))


def find_plan(seg: Segmented, *, rules: Rules) -> PlanInfo:
    """Every column of the plans row that the text states."""
    return read_plan(seg, rules=rules)[0]


def read_plan(seg: Segmented, *, rules: Rules) -> tuple[PlanInfo, HeaderSpans]:
    """find_plan's row, and the header spans it read on the way (the references of the plan
    need them too: reading the header block again costs ~0.5 ms a plan)."""
    text = seg.doc.text
    flat = flatten(text)
    c = fm_rules(rules)
    doc_start, front_end = front_bounds(seg, rules, flat)

    # number and date line sit in the header, before the title / preamble
    num_m = c.number.search(flat, doc_start, front_end)
    number = symbol = doc_ref = None
    if num_m:
        number, symbol, doc_ref = number_from_match(num_m)
    date_m = c.date_line.search(text, doc_start, front_end)
    after = max(num_m.end() if num_m else doc_start, date_m.end() if date_m else doc_start)
    h = find_title(text, doc_start, front_end, c, after)
    spans = HeaderSpans((doc_start, front_end), h.title_span)  # (title_span's own reading)
    if date_m and h.preamble_start is not None and date_m.start() > h.preamble_start:
        date_m = None  # a date in the preamble is a cited document's, not the plan's
    place = issue_date_raw = None
    issue_date: dt.date | None = None
    if date_m:
        place = squash(date_m["place"])
        issue_date = date_from_match(date_m)
        issue_date_raw = squash(flat[date_m.start():date_m.end()])

    kind = h.kind or c.kind_by_symbol.get(symbol_prefix(symbol).upper()) or None
    close_m, recipients = closing_recipients(text, flat, front_end, c)
    close = seg.body_end if 0 < seg.body_end < len(text) else close_m
    if kind is None:
        kind = "ke_hoach" if _PLAN_WORD.search(flat[doc_start:]) else "other"

    cands = enough_candidates(issuer_candidates(text, flat, doc_start, h, front_end, close, c, rules))
    issuer, level, where = choose_issuer(cands, place, rules)
    locality = where.text if where else None
    # (the count of provinces named in the whole text, ~0.5 ms, only where it may decide)
    mentions = province_mentions(flat, rules, doc_start) if _needs_mentions(where, level) else Counter()
    province, province_code, locality_code = locate_place(where, level, mentions)

    preamble = flat[h.preamble_start or doc_start:front_end]
    own = first_author(c.author, preamble, 0, len(preamble), opens=c.author_opens,
                       lead=c.author_lead)
    own_sentence = preamble[own.start():].split(". ")[0] if own else None
    period_start, period_end, horizon = plan_period(h.title, own_sentence, preamble,
                                                single_from=2, cited=c.title_cited)
    if period_start is None and period_end is None and h.wrapper_title:
        # the decision's title names the same plan (`BAN HÀNH KẾ HOẠCH X, GIAI ĐOẠN 2013 - 2015`)
        period_start, period_end, horizon = plan_period(h.wrapper_title, cited=c.title_cited)
    sign_from = min(front_end, h.preamble_start if h.preamble_start is not None else front_end)
    if h.attached_at is not None:  # the decision's signer, above the attached plan
        sign_from, close = h.wrapper_preamble or doc_start, h.attached_at
    mode, signer_title, signer_name = signature(text, flat, sign_from, close, c)
    if signer_name is None:
        m = c.signer_label.search(flat)
        # the name ends with its line: `Người ký X` / `Lĩnh vực ...` of a site's info list
        signer_name = (text[m.start("name"):m.end("name")].split("\n")[0].strip() or None) if m else None
    return PlanInfo(
        doc_id=seg.doc.doc_id, doc_kind=kind, issuer=issuer, issuer_level=level,
        title=h.title, number=number, symbol=symbol, doc_ref=doc_ref, locality=locality,
        province=province, province_code=province_code, locality_code=locality_code,
        place=place, issue_date=issue_date, issue_date_raw=issue_date_raw,
        period_start=period_start, period_end=period_end, horizon_year=horizon,
        signer_name=signer_name, signer_title=signer_title, signing_mode=mode,
        recipients=recipients,
    ), spans
