"""Documents a plan cites: number, symbol, date, issuer, title, role.

Two kinds of citation: by number (`Kế hoạch số 137/KH-UBND ngày 08/4/2026 của UBND thành
phố Hà Nội về ...`) and by title (`Luật Phòng, chống mua bán người năm 2024`, `Chương
trình phòng, chống mua bán người giai đoạn 2026 - 2030`). Each distinct document gives one
row, at its first citation; later citations fill in what the first did not say.

Role: what a preamble clause opened by `Thực hiện` / `Triển khai` cites is `implements`,
as is `Căn cứ Quyết định ... phê duyệt Chương trình ...`; other `Căn cứ` documents and
laws the plan applies are `legal_basis`; the rest `mentions`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex as re

from ..records import PlanInfo, Reference, Segmented
from ..rules import Rules
from .dates import DATE_ANY, date_from_match
from .docnumbers import DOC_NUMBER, PARTY_NUMBER, number_from_match, symbol_prefix
from .fm_rules import flatten
from .fm_rules import fm_rules as _fm_rules
from .headerblock import front_bounds, title_span
from .issuer import canonical_body
from .patterns import words_alternation as _alt
from .places import parse_place
from .signature import last_match as _last

__all__ = ["find_references"]

_ROLE_RANK = {"implements": 3, "legal_basis": 2, "mentions": 1}




@dataclass(frozen=True)
class _Compiled:
    numbered: re.Pattern
    titled: re.Pattern
    titled_spec: dict
    kind_by_word: dict
    kind_by_symbol: dict
    date_after: re.Pattern
    date_shared: re.Pattern
    amended: re.Pattern | None
    of_issuer: re.Pattern
    trigger_end: re.Pattern
    trigger_role: dict
    own_committees: dict  # place level word -> the party committee of such a place
    cap_trigger_end: re.Pattern
    title_trigger: re.Pattern
    approves_before: re.Pattern
    approves_after: re.Pattern
    basis_cue: re.Pattern
    mention_cue: re.Pattern
    norm_kinds: set
    vague: re.Pattern
    title_stop: list
    comma_joins: set
    issuer_stop: list
    abbr_def: re.Pattern
    kind_start: re.Pattern
    short_name: re.Pattern | None = None


def _compile(rules: Rules) -> _Compiled:
    r = rules["references"]
    kinds = r["ref_kinds"]
    kind_by_word = {w.lower(): k for k, spec in kinds.items() for w in spec.get("words", [])}
    kind_by_symbol = {s.upper(): k for k, spec in kinds.items() for s in spec.get("symbols", [])}
    words = _alt([w for spec in kinds.values() for w in spec.get("words", [])])
    titled = r.get("titled", {})
    roles = r.get("roles", {})
    trigger_role = {}
    for role in ("implements", "legal_basis", "mentions"):
        for w in roles.get(role, []):
            trigger_role[" ".join(w.lower().split())] = role
    triggers = _alt(trigger_role, "i")
    programme = _alt(roles.get("programme_words", []))
    approves = _alt(roles.get("approves", []), "i")
    return _Compiled(
        # `Quyết định số 33/QĐ-TTg`, `Kết luận số 132-KL/TW`, `Luật số 53/2024/QH15`, `số 68/KH-UBND`
        numbered=re.compile(
            # kind word and `số` in any case: a title in capitals cites `QUYẾT ĐỊNH SỐ 06/QĐ-TTG`
            rf"(?:(?P<kind>(?i:{words}))(?:(?:\s+\p{{Ll}}[\p{{L}}\p{{M}}]*){{1,3}}\s+số\s*:?\s*"
            rf"|\s+(?:(?i:số)\s*:?\s*)?)|(?<![\p{{L}}\d/-])(?:(?i:số)\s+)?)"
            rf"(?:(?<![\w/-]){PARTY_NUMBER}|(?<![\w/-])(?={{1}}){DOC_NUMBER})".replace("{1}", r"\d")),
        titled=re.compile(rf"(?<![\p{{L}}])(?P<kind>{_alt(titled)})\s+(?=\S)"),
        titled_spec=titled,
        kind_by_word=kind_by_word,
        kind_by_symbol=kind_by_symbol,
        date_after=re.compile(rf"\s*,?\s*(?:[Nn]gày\s*)?(?P<date>{DATE_ANY})"),
        # `số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025`: one date for both
        date_shared=re.compile(rf"\s*(?:,|\s(?:và|,))\s*(?:số\s*)?\d[\w.]*\s*[-/][\w./-]*"
                               rf"\s*,?\s*(?:[Nn]gày\s*)?(?P<date>{DATE_ANY})"),
        amended=re.compile(rf"(?i:{_alt(r.get('amendment_cues', []))})") if r.get("amendment_cues") else None,
        of_issuer=re.compile(r"\s*,?\s*(?:của|do)\s+"),
        # a citation is governed by the clause opener right before it (or by none)
        trigger_end=re.compile(rf"(?:^|[.;:,]|\n)[\s*_|]*(?P<trig>{triggers})?[\s*_|]*(?:các\s+)?$"),
        trigger_role=trigger_role,
        own_committees={k.lower(): v.lower() for k, v in r.get("own_committees", {}).items()},
        cap_trigger_end=re.compile(rf"\s(?P<trig>(?=\p{{Lu}}){triggers})[\s*_|]*(?:các\s+)?$"),
        title_trigger=re.compile(rf"[\s*_|]*(?P<trig>{_alt(roles.get('implements', []), 'i')})\b"),
        # `chưa ban hành Luật Quy hoạch (sửa đổi)`: a law not yet made approves nothing
        approves_before=re.compile(rf"(?<!(?i:{_alt(roles.get('negations', []) or ['chưa'])})\s+)"
                                   rf"(?P<verb>{approves})\s+$"),
        approves_after=re.compile(rf"^\s*(?:về(?:\s+việc)?\s+)?{approves}\s+{programme}\b", re.I),
        basis_cue=re.compile(rf"(?i:{_alt(roles.get('basis_cues', []))})\s+(?:\S+\s+){{0,3}}$"),
        mention_cue=re.compile(rf"(?i:{_alt(roles.get('mention_cues', []))})"),
        norm_kinds=set(roles.get("norm_kinds", [])),
        vague=re.compile(rf"^(?i:{_alt(r.get('vague', []))})(?![\p{{L}}])"),
        title_stop=sorted((w.lower().split() for w in r.get("title_stop", [])), key=len, reverse=True),
        comma_joins={w.lower() for w in r.get("comma_joins", [])},
        issuer_stop=sorted((w.lower().split() for w in r.get("issuer_stop", [])), key=len, reverse=True),
        abbr_def=re.compile(r"\((?P<abbr>\p{Lu}{2,8})\)"),
        kind_start=re.compile(rf"{words}|{_alt(titled)}"),
        short_name=(re.compile(rf"\(\s*(?i:{_alt(r['short_name_words'])})\b")
                    if r.get("short_name_words") else None),
    )


def _rules(rules: Rules) -> _Compiled:
    return rules.compiled("references", _compile)


# --- words ------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")


def _fold_initial(w: str) -> str:
    import unicodedata

    ch = unicodedata.normalize("NFD", w[:1].replace("Đ", "D").replace("đ", "d"))[:1]
    return ch.upper()


def _abbreviations(flat: str, c: _Compiled) -> dict[str, str]:
    """Abbreviations the text defines: `mua bán người (MBN)` → {MBN: mua bán người}."""
    out: dict[str, str] = {}
    for m in c.abbr_def.finditer(flat):
        abbr = m["abbr"]
        before = flat[max(0, m.start() - 120):m.start()].split()
        n = len(abbr)
        if len(before) < n:
            continue
        words = before[-n:]
        if "".join(_fold_initial(w) for w in words) == "".join(_fold_initial(ch) for ch in abbr):
            out.setdefault(abbr, " ".join(w.strip(",;") for w in words))
    return out


def _expand(s: str, abbrs: dict[str, str]) -> str:
    if not abbrs:
        return s
    # not inside its own definition: `mua bán người (MBN)` stays as written
    return re.sub(r"(?<![\p{L}(])(" + "|".join(map(re.escape, abbrs)) + r")(?![\p{L})])",
                  lambda m: abbrs[m[1]], s)


def _bare_words(words: list[str]) -> list[str]:
    """The words as `_starts` compares them: lower case, without clause marks and quotes."""
    return [w.lower().strip(",;.:()“”\"") for w in words]


def _starts(bare: list[str], i: int, phrases: list[list[str]]) -> bool:
    """True when one of PHRASES starts at word I (BARE: the words from `_bare_words`)."""
    first = bare[i] if i < len(bare) else None
    for p in phrases:
        if p and p[0] != first:  # the cheap test first: most words start no phrase
            continue
        if bare[i:i + len(p)] == p:
            return True
    return False


_PERIOD_START = re.compile(r"^(?i:giai|đoạn|định|hướng|đến|năm|tầm|nhìn|và|,|-|–|—|\d{4}[,.;]?|"
                           r"\d{4}-\d{4}[,.;]?)$")


@dataclass
class _Title:
    end: int
    name: str
    has_period: bool
    year: str | None
    more: int | None = None  # where a second law joined by `và` starts


def _continues(bare_words, j: int, flat: str, toks, c: _Compiled) -> bool:
    """Word J goes on with a name: lower case, not a stop word, not a document's kind."""
    if j >= len(toks):
        return False
    w = toks[j][2]
    return (w[:1].islower() and not _starts(bare_words, j, c.title_stop)
            and not c.kind_start.match(flat, toks[j][0]))


def _verb_list(taken: list[str]) -> bool:
    """The name ends in `X, y z`: a comma at most three words back, lower case after it."""
    for k in range(len(taken) - 1, max(len(taken) - 4, -1), -1):
        if taken[k].endswith(","):
            return all(w[:1].islower() for w in taken[k + 1:])
    return False


def _read_title(flat: str, pos: int, kind_word: str, c: _Compiled) -> _Title | None:
    """The title after a kind word: `Phòng, chống mua bán người năm 2024`."""
    window = flat[pos:pos + 400]
    toks = [(m.start() + pos, m.end() + pos, m[0]) for m in _WORD.finditer(window)]
    words = [t[2] for t in toks]
    if not words or c.vague.match(" ".join(words[:3])):
        return None
    bare_words = _bare_words(words)
    is_law = kind_word in ("Luật", "Bộ luật", "Pháp lệnh")
    taken: list[str] = []
    end = pos
    has_period = False
    year = None
    more = None
    i = 0
    while i < len(toks) and len(taken) < 25:
        lo, hi, w = toks[i]
        bare = w.strip(",;.:“”\"")
        low = bare.lower()
        if w.startswith("("):
            break
        if taken and not has_period and _starts(bare_words, i, c.title_stop):
            if not (low == "năm" or low == "giai"):
                break
        if low in ("năm",) and i + 1 < len(toks) and re.match(r"^(?:19|20)\d\d", words[i + 1]):
            if taken and words[i - 1].lower() in ("đến", "tới"):
                pass
            yr = words[i + 1][:4]
            if is_law:
                taken += [w, yr]
                end = toks[i + 1][0] + 4
                year = yr
                break
            has_period = True
        if low == "giai" and i + 1 < len(toks) and words[i + 1].lower().startswith("đoạn"):
            has_period = True
        if has_period and taken and not _PERIOD_START.match(bare or w):
            break
        if low == "và" and i + 1 < len(toks):
            nxt = words[i + 1]
            if c.kind_start.match(flat, toks[i + 1][0]):
                break  # `Luật A và Luật B`: B is read on its own
            if nxt[:1].isupper() and is_law:
                inner_caps = any(t[:1].isupper() for t in taken[1:])
                if not inner_caps:
                    more = toks[i + 1][0]
                    break
            elif not has_period and not nxt[:1].isupper() and not _PERIOD_START.match(nxt) \
                    and not (is_law and _continues(bare_words, i + 1, flat, toks, c)
                             and _verb_list(taken)):
                # a law's name goes on closing a list of its verbs (`Luật Bảo vệ, chăm sóc và
                # giáo dục trẻ em`), not after a whole name (`Luật Phòng, chống X và pháp luật`)
                break
        taken.append(w)
        end = hi
        if w.endswith((";", ".", ":", ")")) and not re.match(r"^\d", w):
            end = hi - 1
            break
        if w.endswith(","):
            nxt = words[i + 1].lower() if i + 1 < len(words) else ""
            # a law's name goes on after a comma with a lower-case word (`Luật Trật tự, an
            # toàn giao thông đường bộ`), not with a stop word or another document (`, các`)
            if not (nxt in c.comma_joins or (has_period and _PERIOD_START.match(nxt))
                    or (is_law and _continues(bare_words, i + 1, flat, toks, c))):
                end = hi - 1
                break
        i += 1
    name = " ".join(taken).rstrip(",;.:) ")
    if not name:
        return None
    return _Title(end=end, name=name, has_period=has_period, year=year, more=more)


def _read_issuer(flat: str, pos: int, c: _Compiled, rules: Rules) -> tuple[str | None, int]:
    """The issuer phrase at pos (after `của`), canonical, and where it ends."""
    window = flat[pos:pos + 200]
    toks = [(m.start() + pos, m.end() + pos, m[0]) for m in _WORD.finditer(window)]
    words = [t[2] for t in toks]
    bare_words = _bare_words(words)
    taken: list[str] = []
    end = pos
    for i, (_lo, hi, w) in enumerate(toks[:12]):
        if w.startswith("(") and w.rstrip(",;.").endswith(")") and w.strip("(),;.").isupper():
            end = hi  # `Ủy ban nhân dân (UBND) tỉnh`: the abbreviation is skipped
            if w.endswith((",", ";", ".")):
                break
            continue
        if taken and _starts(bare_words, i, c.issuer_stop):
            break
        if w.startswith("(") or re.match(r"^\d", w):
            break
        taken.append(w.rstrip(",;.:"))
        end = hi if not w.endswith((",", ";", ".", ":")) else hi - 1
        if w.endswith((",", ";", ".", ":")):
            break
    phrase = " ".join(taken)
    if not phrase or not phrase[:1].isupper():
        return None, pos
    return _canonical_issuer(phrase, rules), end


def _canonical_issuer(phrase: str, rules: Rules) -> str:
    fm = _fm_rules(rules)
    m = fm.body_mixed.match(phrase)
    if m and m.end() >= len(phrase.rstrip()) - 1:
        body = canonical_body(m["body"], rules)
        if m["level"]:
            place = parse_place(m["level"], m["name"])
            return f"{body} {place.text}"
        return body
    return phrase.replace("Uỷ", "Ủy")


# --- citations ----------------------------------------------------------------------------


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


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[,;.:()“”\"]", " ", s.lower().replace("–", "-")).split())


def _description(flat: str, pos: int, short_name: re.Pattern | None = None) -> tuple[str, int]:
    """What a numbered citation says the document is about, up to the end of its clause
    or to the short name the plan gives it (`(viết tắt là Nghị quyết số 93/NQ-CP)`)."""
    depth = 0
    i = pos
    limit = min(len(flat), pos + 300)
    while i < limit:
        ch = flat[i]
        if ch == "(":
            if depth == 0 and short_name is not None and short_name.match(flat, i):
                break
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == ";":
            break
        elif depth == 0 and ch == "." and (i + 1 >= len(flat) or flat[i + 1] == " "):
            break
        elif depth == 0 and ch == "," and re.match(r",\s+\p{Lu}", flat[i:i + 4]):
            break
        i += 1
    return " ".join(flat[pos:i].split()), i


def _role_at(text: str, flat: str, start: int, front_end: int, c: _Compiled,
             last_trigger: list) -> tuple[str | None, bool]:
    """(trigger role, top-level?) for a citation whose kind word starts at `start`."""
    lo = max(0, start - 80)
    before = text[lo:start]
    if lo == 0:
        before = "\n" + before
    before = re.sub(r"[*#|_]", " ", before)
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


def _body_role(text: str, start: int, kind: str, c: _Compiled) -> str:
    """A law the body applies (`theo quy định của Luật ...`) is legal basis; one it wants
    amended or reviewed (`sửa đổi`, `tổng kết thi hành`) is only mentioned."""
    clause = re.sub(r"[*#|_]", " ", text[max(0, start - 100):start])
    clause = re.split(r"[;.:]\s", clause)[-1]
    if c.mention_cue.search(clause):
        return "mentions"
    if c.basis_cue.search(clause):
        return "legal_basis"
    return "legal_basis" if kind in c.norm_kinds else "mentions"


def _cites(seg: Segmented, rules: Rules, plan: PlanInfo) -> list[_Cite]:
    text = seg.doc.text
    flat = flatten(text)
    c = _rules(rules)
    fm = _fm_rules(rules)
    doc_start, front_end = front_bounds(seg, rules)
    end = seg.body_end if 0 < seg.body_end < len(text) else len(text)
    rec = _last(fm.recipients_label.finditer(flat, front_end))
    if rec is not None and rec.start() < end:
        end = rec.start()
    abbrs = _abbreviations(flat, c)
    out: list[_Cite] = []
    taken: list[tuple[int, int]] = []
    last_trigger: list = []
    amending = _amendment_spans(flat, doc_start, end, c)
    title = title_span(seg, rules)
    title_trig = c.title_trigger.match(flat, title[0]) if title else None
    prev, prev_tail, prev_trig = None, 0, (None, False)

    def amends(pos: int) -> bool:
        return any(lo <= pos < hi for lo, hi in amending)

    for m in c.numbered.finditer(flat, doc_start, end):
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
            issuer, pos = _read_issuer(flat, im.end(), c, rules)
        desc, _desc_end = _description(flat, pos, c.short_name)
        title_text = re.sub(r"^(?:về\s+việc|về|V/v)\s+", "", desc).strip(" ,") or None
        trig, top = _role_at(text, flat, m.start(), front_end, c, last_trigger)
        promoted = in_title = False
        if prev is not None and re.fullmatch(r"\s*(?:,|,?\s*và)\s*", flat[prev_tail:m.start()]):
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
        else:
            # a numbered document in the body is basis only when it is a legal norm
            role = _body_role(text, m.start(), kind, c) if kind in c.norm_kinds else "mentions"
        key = ("num", number.lstrip("0") or "0", symbol.upper())
        cite = _Cite(key=key, kind=kind, start=m.start(), end=m.end(), role=role, number=number,
                     symbol=symbol, doc_ref=doc_ref, date=date, issuer=issuer,
                     title=_expand(title_text, abbrs) if title_text else None,
                     promoted=promoted, in_title=in_title)
        out.append(cite)
        taken.append((m.start(), m.end()))
    # a title that names the documents it carries out names the plan's parents: a plan or a
    # programme under `Căn cứ` is then only its basis
    parents = {x.key for x in out if x.in_title and x.role == "implements"}
    if parents:
        for x in out:
            if x.promoted and x.key not in parents:
                x.role = "legal_basis"

    numbered = sorted(out, key=lambda x: x.start)
    for m in c.titled.finditer(flat, doc_start, end):
        if any(lo <= m.start() < hi for lo, hi in taken):
            continue
        if amends(m.start()):
            continue
        kind_word = " ".join(m["kind"].split())
        spec = c.titled_spec.get(kind_word, {})
        t = _read_title(flat, m.end(), kind_word, c)
        if t is None or (spec.get("needs_period") and not t.has_period):
            continue
        if re.match(r"^\s*(?:số\s*)?\d", flat[m.end():m.end() + 8]):
            continue
        name = _expand(f"{kind_word} {t.name}", abbrs)
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
        base = _norm(re.split(r"(?i)\s+(?:giai\s+đoạn|năm\s+(?:19|20)\d\d|,?\s*(?:và\s+)?định\s+hướng)",
                              name)[0])
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
            t2 = _read_title(flat, t.more, kind_word, c)
            if t2 is not None:
                name2 = _expand(f"{kind_word} {t2.name}", abbrs)
                out.append(_Cite(key=("title", _norm(name2)), kind=kind, start=t.more, end=t2.end,
                                 role=role, title=name2, year=t2.year))
    return out


def _amendment_spans(flat: str, start: int, end: int, c: _Compiled) -> list[tuple[int, int]]:
    """Where a clause says how a cited document was amended (`..., được sửa đổi, bổ sung tại
    Luật ...`) up to the clause's end: the amending documents are the same document (contract)."""
    if c.amended is None:
        return []
    spans = []
    for m in c.amended.finditer(flat, start, end):
        stop = re.compile(r";|\.\s|\n\s*\n").search(flat, m.end(), end)
        spans.append((m.start(), stop.start() if stop else end))
    return spans


def _merge(cites: list[_Cite]) -> list[_Cite]:
    """One row per document: numbers by number and symbol, titles by name (and year)."""
    cites = sorted(cites, key=lambda x: x.start)
    alias: dict[tuple, _Cite] = {}
    merged: list[_Cite] = []
    # a programme approved by a cited decision is that decision, wherever it is named first
    approved = {a: cite for cite in cites for a in cite.aliases}
    for cite in cites:
        target = alias.get(cite.key)
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
        target.issuer = target.issuer or cite.issuer
        target.title = target.title or cite.title
        if cite.year and not target.year:
            target.year = cite.year
            target.title = cite.title
    return merged


def _own_place(issuer: str | None, plan: PlanInfo, c: _Compiled) -> str | None:
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


def find_references(seg: Segmented, *, rules: Rules, plan: PlanInfo) -> Iterator[Reference]:
    """Every document the plan cites, once each, in the order of first citation."""
    c = _rules(rules)
    for cite in _merge(_cites(seg, rules, plan)):
        cite.issuer = _own_place(cite.issuer, plan, c)
        ident = f"{seg.doc.doc_id}:{cite.key}:{cite.start}"
        yield Reference(
            doc_id=seg.doc.doc_id,
            ref_id=hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16],
            ref_kind=cite.kind, role=cite.role, char_start=cite.start, char_end=cite.end,
            number=cite.number, symbol=cite.symbol, doc_ref=cite.doc_ref, ref_date=cite.date,
            issuer=cite.issuer, title=cite.title,
        )
