"""Who issued the plan: the body in the header block (the lower of two), a site's info label,
the author named in the preamble or closing, the place the title covers; canonical names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex as re

from ..rules import Rules
from .admin_units import admin_units
from .fm_rules import FrontmatterRules, body_key, fm_rules, loose_key
from .headerblock import Header
from .places import Place, parse_place, place_level

__all__ = ['canonical_body', 'body_level', 'issuer_candidates', 'enough_candidates', 'choose_issuer',
           'first_author']


def canonical_body(body: str, rules: Rules) -> str:
    """`UBND` → `Ủy ban nhân dân`; `SỞ Y TẾ` → `Sở Y tế` (first letters of the pattern kept)."""
    c = fm_rules(rules)
    text = " ".join(body.split())
    canon = c.body_alias.get(body_key(text)) or c.body_alias.get(loose_key(text))
    if canon:
        return canon
    for word in sorted(c.pattern_levels, key=len, reverse=True):
        if body_key(text).startswith(body_key(word)):
            rest = text[len(word):].strip()
            if rest.isupper():
                rest = rest.capitalize()
            return f"{word} {rest}".strip()
    return text


def body_level(body: str, rules: Rules) -> str:
    c = fm_rules(rules)
    if body in c.body_level:
        return c.body_level[body]
    for word, lvl in sorted(c.pattern_levels.items(), key=lambda kv: -len(kv[0])):
        if body.startswith(word):
            return lvl
    return "unknown"


def _header_lines(header: str, c: FrontmatterRules) -> str:
    """The header with markup as spaces but line breaks and table bars as line breaks (a
    place name never runs onto the next body's line), and the motto blanked out."""
    for ch in "*#\r\t\u00a0_":
        header = header.replace(ch, " ")
    header = header.replace("|", "\n")
    return c.motto.sub(lambda m: " " * len(m.group()), header)


def _spelled_as_in_text(body: str, flat: str, start: int) -> str:
    """`Ban Chỉ đạo Phòng, chống tội phạm` as the text spells it in mixed case
    (`Ban Chỉ đạo phòng, chống tội phạm`), when it does."""
    words = body.split()
    pat = r"\s+".join(re.escape(w) for w in words)
    for m in re.finditer(rf"(?i)(?<![\p{{L}}]){pat}(?![\p{{L}}])", flat[start:]):
        if not m.group().isupper():
            return " ".join(m.group().split())
    return body


# the author opens its clause: the look-behind `c.author` opens with, and what it reads
_CLAUSE_OPENS = r"(?<=(?:^|[.;:,!?)\]])[ \t\n*_|]*)"
_CLAUSE_SPACE = " \t\n*_|"
_MARK_RUN = re.compile(r"[.;:,!?)\]][ \t\n*_|]*")


def _clause_opens(flat: str, start: int, end: int) -> Iterator[int]:
    """The places in [START, END) where a clause opens: after the text's start or a clause
    mark, and only spaces and markup between, in order."""
    q = start
    while q > 0 and flat[q - 1] in _CLAUSE_SPACE:
        q -= 1
    if q == 0:  # the text's start, then spaces up to START
        p = start
        while p < end:
            yield p
            if flat[p] not in _CLAUSE_SPACE:
                break
            p += 1
    for m in _MARK_RUN.finditer(flat, max(q - 1, 0), end):
        yield from range(max(m.start() + 1, start), min(m.end() + 1, end))


def _clause_words(flat: str, start: int, end: int, lead=None, opens=None) -> Iterator[int]:
    """The places of `_clause_opens` that hold no space or markup: the first after the text's
    start and its spaces, and the one after each run of a mark and spaces, in order. LEAD: a
    pattern a place must open (the others are left out; it opens with no space or markup).
    OPENS: a pattern of the characters a place may hold (the others may be left out, after a
    mark)."""
    q = start
    while q > 0 and flat[q - 1] in _CLAUSE_SPACE:
        q -= 1
    if q == 0:
        p = start
        while p < end and flat[p] in _CLAUSE_SPACE:
            p += 1
        if p < end and (lead is None or lead.match(flat, p, end)):
            yield p
    runs = _MARK_RUN if lead is None else _runs_before(lead, opens)
    for m in runs.finditer(flat, max(q - 1, 0), end):
        p = m.end()  # (the run is greedy: a place inside it holds a space or markup)
        if start <= p < end:
            yield p


@lru_cache(maxsize=8)
def _runs_before(lead, opens=None):
    """_MARK_RUN where LEAD follows the run (looked ahead: the engine tries it, not Python);
    with OPENS looked ahead first (one character of a class before LEAD's long alternation:
    the scan of a body ~1.5x faster). OPENS is left out when its flags are not LEAD's."""
    if opens is not None and opens.flags == lead.flags:
        return re.compile(rf"{_MARK_RUN.pattern}(?=(?:{opens.pattern}))(?={lead.pattern})", lead.flags)
    return re.compile(rf"{_MARK_RUN.pattern}(?={lead.pattern})", lead.flags)


@lru_cache(maxsize=4096)
def _opens_with(opens, ch: str) -> bool:
    return opens.match(ch) is not None


def first_author(author, flat: str, start: int, end: int, opens=None, lead=None):
    """`next(author.finditer(flat, start, end), None)`, trying only where a clause opens (the
    look-behind the pattern opens with allows nothing else; a long body is read ~3x faster).
    OPENS: the characters a match can open with (fm_rules' author_opens), LEAD: what it opens
    with (author_lead): a place holding another is not tried (most clauses open with words
    no body's name begins with)."""
    if not author.pattern.startswith(_CLAUSE_OPENS):
        return next(author.finditer(flat, start, end), None)
    if opens is not None and not any(_opens_with(opens, ch) for ch in _CLAUSE_SPACE):
        for p in _clause_words(flat, start, end, lead, opens):
            if _opens_with(opens, flat[p]):
                m = author.match(flat, p, end)
                if m:
                    return m
        return None
    for p in _clause_opens(flat, start, end):
        m = author.match(flat, p, end)
        if m:
            return m
    return None


@dataclass
class _Cand:
    body: str | None
    place: Place | None


def issuer_candidates(text, flat, doc_start, h: Header, front_end, close, c, rules):
    """Who issued the plan, from the most to the least reliable place it is said."""
    head_end = h.title_span[0] if h.title_span else (h.preamble_start or front_end)
    if h.kind_end is not None:
        head_end = min(head_end, h.kind_end)
    bodies = list(c.header_body.finditer(_header_lines(text[doc_start:head_end], c)))
    if bodies:
        # the issuing body is the last one named: a body under a superior one is headed by
        # the superior's name line above its own (`UBND TỈNH BẮC NINH / SỞ Y TẾ`, ND 30/2020)
        own = bodies[-1]
        place = next((parse_place(b["level"], b["name"]) for b in reversed(bodies) if b["level"]),
                     None)
        body = canonical_body(own["body"], rules)
        if len(bodies) > 1 and body not in c.body_level:
            body = _spelled_as_in_text(body, flat, head_end)
        yield _Cand(body, place)
    m = c.issuer_label.search(flat)
    if m:
        level = m["level"] or ("tỉnh" if admin_units().province(m["name"]) else "")
        if level:
            yield _Cand(None, parse_place(level, m["name"]))
    pre_start = h.preamble_start or (h.title_span[1] if h.title_span else doc_start)
    for region in ((pre_start, front_end), (front_end, close or len(text))):
        m = first_author(c.author, flat, *region, opens=c.author_opens, lead=c.author_lead)
        if m:
            place = parse_place(m["level"], m["name"]) if m["level"] else None
            yield _Cand(canonical_body(m["body"], rules), place)
    if h.title_span:
        for m in c.coverage.finditer(flat, *h.title_span):
            yield _Cand(None, parse_place(m["level"], m["name"]))
    for m in c.coverage.finditer(flat, pre_start, front_end):
        yield _Cand(None, parse_place(m["level"], m["name"]))
        break
    tail = flat[close:] if close is not None else ""
    for line in tail.split("  "):
        mm = c.mode_line.match(line.strip())
        if mm:
            b = c.body_mixed.match(mm["rest"])
            if b:
                yield _Cand(canonical_body(b["body"], rules), None)


def _date_line_place(place_word: str, rules: Rules) -> Place | None:
    """The issuer's place from the date line, which names it (ND 30/2020): `Thành phố Hồ Chí
    Minh`, `Quận 11` carry their level word; a bare name counts when it is a province's."""
    c = fm_rules(rules)
    m = c.place_phrase.match(place_word)
    if m and m.end() == len(place_word):
        found = parse_place(m["level"], m["name"])
        return found if found.name else None
    prov = admin_units().province(place_word)
    if prov is None:
        return None
    # the province's own level word when the name is a 2025 province (`thành phố Hà Nội`),
    # `tỉnh` for an old one merged since (`tỉnh Trà Vinh`)
    same = prov.name.lower() == " ".join(place_word.split()).lower()
    return parse_place(prov.kind if same else "tỉnh", place_word)


def enough_candidates(cands: Iterable[_Cand]) -> list[_Cand]:
    """CANDS up to the one after which choose_issuer's answer cannot change: it reads the first
    body, the first place and, when that place has no name, the first named place of its
    level (the later sources, such as the author of a whole body, are then not read)."""
    out: list[_Cand] = []
    body = first = None
    settled = False
    for cd in cands:
        out.append(cd)
        body = body or cd.body
        if cd.place:
            first = first or cd.place
            settled = settled or first.name is not None or (
                bool(cd.place.name) and cd.place.level == first.level)
        if body and settled:
            break
    return out


def choose_issuer(cands: list[_Cand], place_word: str | None, rules: Rules):
    body = next((cd.body for cd in cands if cd.body), None)
    places = [cd.place for cd in cands if cd.place]
    named = next((p for p in places if p.name), None)
    place = places[0] if places else None
    if place is not None and place.name is None:
        same = next((p for p in places if p.name and p.level == place.level), None)
        if same:
            place = same
        elif place_word:
            guess = parse_place(place.level, place_word)
            if guess.name and guess.name.lower() != place.level:
                place = guess
    elif place is None and named is not None:
        place = named
    if place is None and place_word and body and body_level(body, rules) == "by_place":
        place = _date_line_place(place_word, rules)  # a header that lost its place line
    level = body_level(body, rules) if body else "unknown"
    if level in ("national", "ministry"):
        return body, level, None
    if level == "by_place" or (body is None and place is not None):
        level = place_level(place, rules) if place else "unknown"
    elif level == "province_dept" and place is not None \
            and place_level(place, rules) in ("district", "commune"):
        level = place_level(place, rules)  # `CÔNG AN XÃ` under `UBND XÃ ...`: a commune body
    if body is None and place is None:
        return "", "unknown", None
    issuer = " ".join(x for x in (body, place.text if place else None) if x)
    return issuer, level, place
