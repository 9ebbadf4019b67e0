"""Documents a plan cites: number, symbol, date, issuer, title, role.

Two kinds of citation: by number (`Kế hoạch số 137/KH-UBND ngày 08/4/2026 của UBND thành
phố Hà Nội về ...`) and by title (`Luật Phòng, chống mua bán người năm 2024`, `Chương
trình phòng, chống mua bán người giai đoạn 2026 - 2030`). Each distinct document gives one
row, at its first citation; later citations fill in what the first did not say.

Role: what a preamble clause opened by `Thực hiện` / `Triển khai` cites is `implements`,
as is `Căn cứ Quyết định ... phê duyệt Chương trình ...`; other `Căn cứ` documents and
laws the plan applies are `legal_basis`; the rest `mentions`. A title that carries out
numbered documents (`KẾ HOẠCH Triển khai Quyết định số 06/QĐ-TTg ...`) names the parents:
plans under `Căn cứ` are then basis. Documents joined by `và` share their clause's role.
An amendment clause (`..., được sửa đổi, bổ sung tại Luật ...`) cites the same document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from ..records import PlanInfo, Reference, Segmented
from ..rules import Rules
from .citetext import abbreviations, description, expand, read_issuer, read_title
from .dates import date_from_match
from .docnumbers import number_from_match, symbol_prefix
from .fm_rules import flatten
from .fm_rules import fm_rules as _fm_rules
from .frontmatter import HeaderSpans, header_spans
from .patterns import anchored_finditer, words_alternation
from .ref_issuers import fuller_issuer, own_place, province_body, trailing_issuers, written_province
from .ref_roles import settle_roles, topic_pairs, topic_words
from .ref_rules import RefRules, ref_rules
from .signature import last_match as _last

# (compiled once: the regex module's own cache costs ~10 µs a call)
_PUNCT = re.compile(r"[,;.:()“”\"]")
_MARKUP = re.compile(r"[*#|_]")
_CLAUSE_END = re.compile(r"[;.:]\s")
_ABOUT = re.compile(r"^(?:về\s+việc|về|V/v)\s+")
_JOINED = re.compile(r"\s*(?:,|,?\s*và)\s*")
_AMENDMENT_END = re.compile(r";|\.\s|\n\s*\n")  # where the clause saying how it was amended ends
_NUMBER_NEXT = re.compile(r"^\s*(?:số\s*)?\d")
_PERIOD_TAIL = re.compile(r"(?i)\s+(?:giai\s+đoạn|năm\s+(?:19|20)\d\d|,?\s*(?:và\s+)?định\s+hướng)")

__all__ = ["find_references"]


_ROLE_RANK = {"implements": 3, "legal_basis": 2, "mentions": 1}


@dataclass
class _Cite:
    key: tuple
    kind: str
    start: int
    end: int
    role: str
    number: str | None = None
    symbol: str | None = None
    doc_ref: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None
    year: str | None = None
    aliases: list = field(default_factory=list)
    promoted: bool = False  # a plan / approved programme under `Căn cứ` read as implemented
    in_title: bool = False
    desc_span: tuple[int, int] = (0, 0)  # what a numbered document is said to be about


def _norm(s: str) -> str:
    return " ".join(_PUNCT.sub(" ", s.lower().replace("–", "-")).split())


def _role_at(text: str, flat: str, start: int, front_end: int, c: RefRules,
             last_trigger: list) -> tuple[str | None, bool]:
    """(trigger role, top-level?) for a citation whose kind word starts at `start`."""
    lo = max(0, start - 80)
    before = text[lo:start]
    if lo == 0:
        before = "\n" + before
    before = _MARKUP.sub(" ", before)
    m = c.trigger_end.search(before)
    if not m or not m["trig"]:
        # a capitalised opener mid-line opens a clause too (`... năm 2025 Căn cứ Quyết định`,
        # two preamble paragraphs the cleaner joined)
        m = c.cap_trigger_end.search(before) or m
    if not m:
        return None, False
    if m["trig"]:
        role = c.trigger_role.get(" ".join(m["trig"].lower().split()))
        last_trigger[:] = [role]
        return role, True
    return (last_trigger[0] if last_trigger else None), True


def _body_role(text: str, start: int, kind: str, c: RefRules) -> str:
    """A law the body applies (`theo quy định của Luật ...`) is legal basis; one it wants
    amended or reviewed (`sửa đổi`, `tổng kết thi hành`) is only mentioned."""
    clause = _MARKUP.sub(" ", text[max(0, start - 100):start])
    clause = _CLAUSE_END.split(clause)[-1]
    if c.mention_cue.search(clause):
        return "mentions"
    if c.basis_cue.search(clause):
        return "legal_basis"
    return "legal_basis" if kind in c.norm_kinds else "mentions"


def _cites(seg: Segmented, rules: Rules, plan: PlanInfo, flat: str,
           bounds: tuple[int, int], title: tuple[int, int] | None) -> list[_Cite]:
    """Every citation of the plan's text (FLAT: it flattened; BOUNDS: its front_bounds; TITLE:
    its title_span)."""
    text = seg.doc.text
    c = ref_rules(rules)
    fm = _fm_rules(rules)
    doc_start, front_end = bounds
    end = seg.body_end if 0 < seg.body_end < len(text) else len(text)
    rec = _last(fm.recipients_label.finditer(flat, front_end))
    if rec is not None and rec.start() < end:
        end = rec.start()
    abbrs = abbreviations(flat, c)
    out: list[_Cite] = []
    taken: list[tuple[int, int]] = []
    last_trigger: list = []
    amending = _amendment_spans(flat, doc_start, end, c,
                                tuple(rules["references"].get("amendment_cues") or ()))
    title_trig = c.title_trigger.match(flat, title[0]) if title else None
    prev, prev_tail, prev_trig = None, 0, (None, False)

    def amends(pos: int) -> bool:
        return any(lo <= pos < hi for lo, hi in amending)

    for m in anchored_finditer(c.numbered, c.numbered_anchor, c.numbered_lead_in_end, flat,
                               doc_start, end):
        number, symbol, doc_ref = number_from_match(m)
        if not number or not symbol or amends(m.start()):
            continue
        kind_word = m["kind"]
        kind = (c.kind_by_word.get(" ".join(kind_word.lower().split())) if kind_word else None) \
            or c.kind_by_symbol.get(symbol_prefix(symbol).upper(), "other")
        if kind_word is None and symbol_prefix(symbol).upper() not in c.kind_by_symbol:
            continue  # a bare `số 12/ABC` that names no kind of document
        if plan.doc_ref and doc_ref.replace(" ", "") == plan.doc_ref:
            continue  # the plan's own number (`Kèm theo Quyết định số ...`)
        pos = m.end()
        date = None
        dm = c.date_after.match(flat, pos)
        if dm and dm.start("date") - pos < 12:
            date = date_from_match(dm)
            pos = dm.end()
        else:
            shared = c.date_shared.match(flat, pos)
            date = date_from_match(shared) if shared else None
        issuer = None
        im = c.of_issuer.match(flat, pos)
        if im:
            issuer, pos = read_issuer(flat, im.end(), c, rules)
        desc, desc_end = description(flat, pos, c.short_name)
        title_text = _ABOUT.sub("", desc).strip(" ,") or None
        trig, top = _role_at(text, flat, m.start(), front_end, c, last_trigger)
        promoted = in_title = False
        if prev is not None and _JOINED.fullmatch(flat[prev_tail:m.start()]):
            trig, top = prev_trig  # `Kế hoạch số A của X và Kế hoạch số B`: the same clause
        if title and title[0] <= m.start() < title[1]:
            # `KẾ HOẠCH Triển khai Quyết định số 06/QĐ-TTg ...`: what the title carries out
            in_title = True
            trig, top = (c.trigger_role.get(" ".join(title_trig["trig"].lower().split())), True) \
                if title_trig else (trig, top)
        prev, prev_tail, prev_trig = m, pos, (trig, top)
        if m.start() < front_end and top:
            role = trig or "mentions"
            if role == "legal_basis" and (kind in ("ke_hoach", "chuong_trinh")
                                          or c.approves_after.match(desc)):
                role, promoted = "implements", True
            if role == "implements" and _not_a_parent(kind_word, symbol, c):
                role = "mentions"  # `Thực hiện Công văn số ...`: an instruction, not a programme
        else:
            # a numbered document in the body is basis only when it is a legal norm
            role = _body_role(text, m.start(), kind, c) if kind in c.norm_kinds else "mentions"
        key = ("num", number.lstrip("0") or "0", symbol.upper())
        cite = _Cite(key=key, kind=kind, start=m.start(), end=m.end(), role=role, number=number,
                     symbol=symbol, doc_ref=doc_ref, date=date, issuer=issuer,
                     title=expand(title_text, abbrs) if title_text else None,
                     promoted=promoted, in_title=in_title, desc_span=(pos, desc_end))
        out.append(cite)
        taken.append((m.start(), m.end()))
    # a title that names the documents it carries out names the plan's parents: a plan or a
    # programme under `Căn cứ` is then only its basis
    parents = {x.key for x in out if x.in_title and x.role == "implements"}
    if parents:
        parent_at = [x.start for x in out if x.key in parents]
        for x in out:
            if x.promoted and x.key not in parents:
                # ... unless it carries out one of them itself (`Kế hoạch số 185-KH/TU ... thực
                # hiện Chỉ thị số 37-CT/TW`): the intermediate parent
                if not any(x.desc_span[0] <= s < x.desc_span[1] for s in parent_at):
                    x.role = "legal_basis"

    numbered = sorted(out, key=lambda x: x.start)
    for m in c.titled.finditer(flat, doc_start, end):
        if any(lo <= m.start() < hi for lo, hi in taken):
            continue
        if amends(m.start()):
            continue
        kind_word = " ".join(m["kind"].split())
        spec = c.titled_spec.get(kind_word, {})
        t = read_title(flat, m.end(), kind_word, c)
        if t is None or (spec.get("needs_period") and not t.has_period):
            continue
        if _NUMBER_NEXT.match(flat[m.end():m.end() + 8]):
            continue
        name = expand(f"{kind_word} {t.name}", abbrs)
        kind = spec.get("kind", "other")
        # `Luật Dữ liệu số 60/2024/QH15`: the name of the numbered document that follows
        numbered_next = next((n for n in numbered if t.end <= n.start <= t.end + 4
                              and not flat[t.end:n.start].strip(" ,")), None)
        before = flat[max(0, m.start() - 30):m.start()]
        ap = c.approves_before.search(before)
        alias_of = None
        if ap:
            head = flat[max(0, m.start() - 40):m.start() - len(ap[0])].rstrip(" *_|")
            if ap["verb"][:1].isupper() and (not head or head.endswith((".", ":", "\n"))):
                continue  # `Điều 1. Phê duyệt Chương trình ...`: the document itself
            prev = [n for n in numbered if n.end <= m.start() and m.start() - n.end < 300]
            if prev:
                alias_of = prev[-1]
        base = _norm(_PERIOD_TAIL.split(name)[0])
        if alias_of is not None:
            alias_of.aliases.append(("title", base))
            continue
        date = None
        dm = c.date_after.match(flat, t.end)
        if dm and dm.start("date") - t.end < 8 and kind == "luat":
            date = date_from_match(dm)
        if kind == "luat" or kind_word == "Pháp lệnh":
            trig, top = _role_at(text, flat, m.start(), front_end, c, [])
            if m.start() < front_end and top and trig:
                role = "legal_basis" if trig != "mentions" else "mentions"
            else:
                role = _body_role(text, m.start(), kind, c)
        else:
            role = "mentions"
        if numbered_next is not None:
            numbered_next.title, numbered_next.kind, numbered_next.start = name, kind, m.start()
            if _ROLE_RANK[role] > _ROLE_RANK[numbered_next.role]:
                numbered_next.role = role
            continue
        out.append(_Cite(key=("title", base), kind=kind, start=m.start(),
                         end=m.end() + len(flat[m.end():t.end]), role=role, date=date,
                         title=name, year=t.year))
        if t.more is not None:
            t2 = read_title(flat, t.more, kind_word, c)
            if t2 is not None:
                name2 = expand(f"{kind_word} {t2.name}", abbrs)
                out.append(_Cite(key=("title", _norm(name2)), kind=kind, start=t.more, end=t2.end,
                                 role=role, title=name2, year=t2.year))
    return out


def _not_a_parent(kind_word: str | None, symbol: str, c: RefRules) -> bool:
    """A dispatch or a notice (`Công văn`, `Thông báo`, `04/TB-VPCP`) instructs; it is no
    programme or plan a plan carries out."""
    if kind_word and " ".join(kind_word.lower().split()) in c.not_parent_words:
        return True
    return symbol_prefix(symbol).upper() in c.not_parent_symbols


def _approved_alike(cite: _Cite, approved: dict, c: RefRules) -> tuple | None:
    """The alias of an approved programme that a programme named by its title is, spelt
    otherwise (`Chương trình phòng, chống X tỉnh Quảng Bình` for the approved `Chương trình
    quốc gia phòng, chống X`; `Việt Nam` for `ViệtNam`): its topic's word pairs lie
    (almost) within the alias's."""
    if cite.key[0] != "title" or not cite.title or not c.programme_start.match(cite.title):
        return None  # only a programme (a law of the same topic is another document)
    mine = topic_pairs(cite.title, c)
    if len(mine) < c.alias_min_pairs:
        return None
    best, score = None, 0.0
    joined = "".join(topic_words(cite.title, c))
    for key, owner in approved.items():
        if owner is cite or key[0] != "title":
            continue
        if joined and joined == "".join(topic_words(key[1], c)):
            return key  # the same words, joined otherwise (`ViệtNam`)
        theirs = topic_pairs(key[1], c)
        shared = len(mine & theirs)
        share = shared / min(len(mine), len(theirs)) if theirs else 0.0
        if shared >= c.alias_min_pairs and share >= c.alias_share and share > score:
            best, score = key, share
    return best


@lru_cache(maxsize=4)
def _amended_scan(amended, cues: tuple[str, ...]):
    """AMENDED with the letters its cues open with looked ahead first, so the engine skips to
    them instead of trying the cues at every place (~2x faster); AMENDED itself when it is
    not `(?i:` the cues' alternation `)` as ref_rules builds it."""
    if not cues or amended.pattern != f"(?i:{words_alternation(cues)})":
        return amended
    return re.compile(f"(?={_cue_letters(cues)}){amended.pattern}", amended.flags)


def _cue_letters(cues: tuple[str, ...]) -> str:
    """A class of the letters the CUES open with, in any case."""
    return "(?i:[" + "".join(sorted({re.escape(w.split()[0][0]) for w in cues if w.split()})) + "])"


@lru_cache(maxsize=4)
def _cue_heads(amended, cues: tuple[str, ...]):
    """The first words of the CUES, each a pattern of its own (in any case, as AMENDED reads
    them): a lone word is a literal the engine skips to (~10x faster than the alternation of
    the cues, tried at each of their first letters); None when AMENDED is not `(?i:` the
    cues' alternation `)` as ref_rules builds it, or a cue holds no word."""
    if not cues or amended.pattern != f"(?i:{words_alternation(cues)})":
        return None
    if any(w and not w.split() for w in cues):
        return None  # (an empty alternative: a match anywhere)
    firsts = sorted({w.split()[0] for w in cues if w})
    return tuple(re.compile(f"(?i:{words_alternation([w])})", amended.flags) for w in firsts)


def _amended_finditer(amended, cues: tuple[str, ...], flat: str, start: int, end: int) -> Iterator:
    """`AMENDED.finditer(FLAT, START, END)`'s matches, AMENDED tried only where one of its cues'
    first words stands (each match of the alternation opens with one)."""
    heads = _cue_heads(amended, cues)
    if heads is None:
        yield from _amended_scan(amended, cues).finditer(flat, start, end)
        return
    places = []
    for head in heads:
        m = head.search(flat, start, end)
        while m is not None:
            places.append(m.start())
            m = head.search(flat, m.start() + 1, end)
    places.sort()
    pos = start
    for p in places:
        if p < pos:
            continue  # (inside the match before, as finditer goes on after it)
        m = amended.match(flat, p, end)
        if m is not None:
            yield m
            pos = max(m.end(), p + 1)


def _amendment_spans(flat: str, start: int, end: int, c: RefRules,
                     cues: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Where a clause says how a cited document was amended (`..., được sửa đổi, bổ sung tại
    Luật ...`) up to the clause's end: the amending documents are the same document (contract)."""
    if c.amended is None:
        return []
    spans = []
    for m in _amended_finditer(c.amended, cues, flat, start, end):
        stop = _AMENDMENT_END.search(flat, m.end(), end)
        spans.append((m.start(), stop.start() if stop else end))
    return spans


def _merge(cites: list[_Cite], c: RefRules | None = None) -> list[_Cite]:
    """One row per document: numbers by number and symbol, titles by name (and year)."""
    cites = sorted(cites, key=lambda x: x.start)
    alias: dict[tuple, _Cite] = {}
    merged: list[_Cite] = []
    # a programme approved by a cited decision is that decision, wherever it is named first
    approved = {a: cite for cite in cites for a in cite.aliases}
    for cite in cites:
        target = alias.get(cite.key)
        if target is None and cite.key not in approved and c is not None:
            cite_key = _approved_alike(cite, approved, c)
            if cite_key is not None:
                cite.key = cite_key
        if target is None and cite.key in approved and approved[cite.key] is not cite:
            owner = approved[cite.key]
            if owner not in merged:  # its decision comes later: it takes this row's place
                merged.append(owner)
                alias[owner.key] = owner
            target = alias.get(owner.key, owner)
            cite.aliases = []
        if target is None and cite.key[0] == "title":
            same = [x for x in merged if x.key == cite.key]
            if same:
                if cite.year:
                    exact = [x for x in same if x.year == cite.year]
                    blank = [x for x in same if not x.year]
                    target = (exact or blank or [None])[0]
                else:
                    target = same[0]
        if target is cite:
            continue
        if target is None:
            merged.append(cite)
            alias[cite.key] = cite
            for a in cite.aliases:
                alias.setdefault(a, cite)
            continue
        for a in cite.aliases:
            alias.setdefault(a, target)
        if _ROLE_RANK[cite.role] > _ROLE_RANK[target.role]:
            target.role = cite.role
        if target.doc_ref and cite.doc_ref and target.doc_ref.isupper() and not cite.doc_ref.isupper():
            # first cited in a title in capitals (`06/QĐ-TTG`): the text's own spelling
            target.doc_ref, target.symbol = cite.doc_ref, cite.symbol
        if target.title and " ".join(target.title.split()[:3]).isupper():
            target.title = None  # read from a title in capitals, running on past it
        target.date = target.date or cite.date
        target.issuer = fuller_issuer(target.issuer, cite.issuer)
        target.title = target.title or cite.title
        if cite.year and not target.year:
            target.year = cite.year
            target.title = cite.title
    return merged


def find_references(seg: Segmented, *, rules: Rules, plan: PlanInfo,
                    spans: HeaderSpans | None = None) -> Iterator[Reference]:
    """Every document the plan cites, once each, in the order of first citation (SPANS: the
    header spans read_plan read for PLAN, else read here)."""
    c = ref_rules(rules)
    flat = flatten(seg.doc.text)
    bounds, title = spans or header_spans(seg, rules)
    cites = _cites(seg, rules, plan, flat, bounds, title)
    trailing_issuers(cites, flat, c, rules)
    settle_roles(cites, seg, flat, bounds[1], plan, c)
    province = written_province(flat, rules) if plan.issuer_level in ("district", "commune") else None
    for cite in _merge(cites, c):
        cite.issuer = province_body(own_place(cite.issuer, plan, c), plan, province, c)
        ident = f"{seg.doc.doc_id}:{cite.key}:{cite.start}"
        yield Reference(
            doc_id=seg.doc.doc_id,
            ref_id=hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16],
            ref_kind=cite.kind, role=cite.role, char_start=cite.start, char_end=cite.end,
            number=cite.number, symbol=cite.symbol, doc_ref=cite.doc_ref, ref_date=cite.date,
            issuer=cite.issuer, title=cite.title,
        )
