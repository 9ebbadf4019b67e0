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
from dataclasses import dataclass

import regex as re

from ..records import PlanInfo, Segmented
from ..rules import Rules
from .admin_units import admin_units
from .dates import DATE_WORDS, date_from_match
from .docnumbers import DOC_NUMBER, number_from_match, symbol_prefix
from .patterns import words_alternation as _alt

__all__ = ["find_plan", "flatten", "front_bounds", "title_span", "Place", "parse_place", "canonical_body",
           "province_mentions"]

# Characters the cleaner may leave that are never part of a value: markup and table bars.
_BLANKS = "*#|\n\r\t\u00a0_"

# A name word: capitalised or upper case (`Nhân`, `NGHỆ`), or a ward number (`Phường 3`).
_NAME_WORD = r"(?:\p{Lu}[\p{L}\p{M}]*|\d{1,2})"
_NAME = rf"{_NAME_WORD}(?:[ \t\n*_|]+{_NAME_WORD}){{0,5}}"


def flatten(text: str) -> str:
    """The text with markup, bars and line breaks as spaces; same length, same offsets.

    >>> flatten("**Số:** 12|a_b")
    '  Số:   12 a b'
    """
    # one str.replace per character: each is a fast scan, where translate looks up every
    # character of a long non-ASCII text in a table
    for c in _BLANKS:
        text = text.replace(c, " ")
    return text


def _squash(s: str) -> str:
    return " ".join(flatten(s).split())


# --- compiled rules ---------------------------------------------------------------------




@dataclass(frozen=True)
class _Compiled:
    kind_by_word: dict
    kind_by_symbol: dict
    kind_line: re.Pattern
    number: re.Pattern
    date_line: re.Pattern
    motto: re.Pattern
    body_alias: dict  # folded alias -> canonical
    body_level: dict  # canonical -> level
    body_mixed: re.Pattern  # a body followed by an optional place (any case)
    header_body: re.Pattern  # the same in upper case, for the header block
    author: re.Pattern
    place_phrase: re.Pattern
    coverage: re.Pattern
    mode_line: re.Pattern
    person: re.Pattern
    recipients_label: re.Pattern
    signer_label: re.Pattern
    issuer_label: re.Pattern
    opener: re.Pattern
    authority: re.Pattern
    place_levels: dict
    level_words: str
    pattern_levels: dict  # body pattern word -> level
    wrapper_kinds: frozenset  # kinds that may issue an attached plan (a decision)
    attached_kinds: frozenset  # kinds of the plan such a decision attaches


def _compile(rules: Rules) -> _Compiled:
    fm = rules["frontmatter"]
    kinds = fm["doc_kinds"]
    kind_by_word = {w.upper(): k for k, spec in kinds.items() for w in spec.get("words", [])}
    kind_by_symbol = {s.upper(): k for k, spec in kinds.items() for s in spec.get("symbols", [])}
    labels = fm.get("labels", {})
    levels = fm.get("place_levels", {})
    level_words = _alt(levels, "i")
    bodies = fm.get("issuer_bodies", {})
    body_alias, body_level = {}, {}
    for canon, spec in bodies.items():
        body_level[canon] = spec.get("level", "unknown")
        for a in [canon, *spec.get("aliases", [])]:
            body_alias[_key(a)] = canon
    pattern_levels = {w: lvl for lvl, ws in fm.get("issuer_patterns", {}).items() for w in ws}
    # `Sở Y tế`, `Bộ Công an`: the pattern word and the words of the name, up to the place
    patterned = _alt(pattern_levels)
    named_body = rf"{patterned}(?:[ \t\n]+(?!{level_words}\b)[\p{{L}}\p{{M}}\-,]+){{0,7}}?"
    fixed = _alt([a for canon, spec in bodies.items() for a in [canon, *spec.get("aliases", [])]], "i")
    body = rf"(?P<body>{fixed}|{named_body})"
    place = rf"(?:\s*\((?:\p{{Lu}}+)\))?(?:\s+(?P<level>{level_words})(?:\s+(?P<name>{_NAME}))?)?"
    heads = _alt(fm.get("author_heads", []), "i")
    verbs = _alt(fm.get("author_verbs", []), "i")
    upper_fixed = _alt([a.upper() for canon, spec in bodies.items()
                        for a in [canon, *spec.get("aliases", [])]])
    upper_patterned = _alt([w.upper() for w in pattern_levels])
    upper_levels = _alt([w.upper() for w in levels])
    # a patterned body's name runs to the place level word or the end of its line
    # (`BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM`); the header is read line by line (_header_lines)
    header_body = (rf"(?<![\p{{L}}/-])(?P<body>{upper_fixed}|{upper_patterned}(?:[ \t]+(?!{upper_levels}\b)"
                   rf"\p{{Lu}}[\p{{Lu}}\-]*,?){{0,8}})(?:[ \t\n|]+(?P<level>{upper_levels})"
                   rf"(?:[ \t\n]+(?P<name>\p{{Lu}}+(?:[ \t]+\p{{Lu}}+){{0,4}}))?)?(?![\p{{L}}])")
    modes = _alt([m.rstrip(".") for m in fm.get("signing_modes", [])])
    return _Compiled(
        kind_by_word=kind_by_word,
        kind_by_symbol=kind_by_symbol,
        kind_line=re.compile(rf"^\s*{_alt(kind_by_word)}\s*$"),
        number=re.compile(rf"(?<![\p{{L}}]){_alt(labels.get('number', ['Số']))}\s*[:|]\s*"
                          rf"(?:{DOC_NUMBER}|(?P<blank>/))"),
        date_line=re.compile(rf"(?<![\p{{L}}\p{{M}}/-])(?P<place>{_date_place(level_words)})[*_]*[ \t]*,"
                             rf"[ \t\n]*{DATE_WORDS}"),
        motto=re.compile(_alt(fm.get("national_header", []), "i")),
        body_alias=body_alias,
        body_level=body_level,
        body_mixed=re.compile(rf"{body}{place}"),
        header_body=re.compile(header_body),
        # the author opens its clause: `..., UBND xã X xây dựng`, never `của Thủ tướng Chính phủ ban hành`
        author=re.compile(rf"(?<=(?:^|[.;:,!?)\]])[ \t\n*_|]*)(?:(?P<head>{heads})\s+)?{body}{place}"
                          rf"\s+(?:đã\s+)?{verbs}\b"),
        place_phrase=re.compile(rf"(?P<level>{level_words})\s+(?P<name>{_NAME})"),
        coverage=re.compile(rf"{_alt(fm.get('coverage_words', []), 'i')}\s+(?P<level>{level_words})"
                            rf"\s+(?P<name>{_NAME})"),
        mode_line=re.compile(rf"^(?P<mode>{modes})\.\s*(?P<rest>\S.*)$"),
        # a name alone on its line; a footnote the cleaner joined to it (`Hồ Thị Thảo [1] Xã ...`)
        # is not part of it
        person=re.compile(r"^(?P<name>\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,5})(?:\s*\[\d{1,3}\].*)?$"),
        recipients_label=re.compile(rf"{_alt(labels.get('recipients', ['Nơi nhận']))}\s*:?"),
        signer_label=re.compile(rf"{_alt(labels.get('signer', ['Người ký']))}[\s|:]+"
                                rf"(?P<name>\p{{Lu}}\p{{Ll}}*(?:[ \t]+\p{{Lu}}\p{{Ll}}*){{1,5}})"),
        issuer_label=re.compile(rf"{_alt(labels.get('issuer', ['Cơ quan ban hành']))}[\s|:]+"
                                rf"(?:(?P<level>{level_words})\s+)?(?P<name>{_NAME})"),
        opener=re.compile(rf"^{_alt(fm.get('preamble_openers', []))}\b"),
        authority=re.compile(rf"^{_alt(fm.get('authority_lines', []))}\b"),
        place_levels={k.lower(): v for k, v in levels.items()},
        level_words=level_words,
        pattern_levels=pattern_levels,
        wrapper_kinds=frozenset(fm.get("attached_plan", {}).get("wrappers", [])),
        attached_kinds=frozenset(fm.get("attached_plan", {}).get("attached", [])),
    )


def _date_place(level_words: str) -> str:
    """The place before `, ngày ...`: name words, after a level word when there is one
    (`Quận 11`, `Thành phố Hồ Chí Minh`). Upper-case words stay on one line (the place never
    runs back into the issuer or number lines above); a name in title case may wrap once
    between words (`Thành phố Hồ\\nChí Minh`), as table cells of web copies do."""
    upper = r"\p{Lu}[\p{L}\p{M}]*"
    title = r"\p{Lu}[\p{Ll}\p{M}]*"
    one_line = rf"{upper}(?:[ ]{upper}){{0,3}}"
    wrapped = rf"{title}(?:[ \t]*\n?[ \t]*{title}){{0,4}}"
    return rf"(?:{level_words}[ \t]+(?:\d{{1,3}}(?!\d)|{wrapped}|{one_line})|{one_line}|{wrapped})"


def _key(s: str) -> str:
    return " ".join(s.lower().replace("uỷ", "ủy").split())


def _rules(rules: Rules) -> _Compiled:
    return rules.compiled("frontmatter", _compile)


# --- places -----------------------------------------------------------------------------


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
    c = _rules(rules)
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


def canonical_body(body: str, rules: Rules) -> str:
    """`UBND` → `Ủy ban nhân dân`; `SỞ Y TẾ` → `Sở Y tế` (first letters of the pattern kept)."""
    c = _rules(rules)
    text = " ".join(body.split())
    canon = c.body_alias.get(_key(text))
    if canon:
        return canon
    for word in sorted(c.pattern_levels, key=len, reverse=True):
        if _key(text).startswith(_key(word)):
            rest = text[len(word):].strip()
            if rest.isupper():
                rest = rest.capitalize()
            return f"{word} {rest}".strip()
    return text


def _body_level(body: str, rules: Rules) -> str:
    c = _rules(rules)
    if body in c.body_level:
        return c.body_level[body]
    for word, lvl in sorted(c.pattern_levels.items(), key=lambda kv: -len(kv[0])):
        if body.startswith(word):
            return lvl
    return "unknown"


# --- layout: where the document proper starts, where its front matter ends ------------


_HEADING = re.compile(r"^\s*[#*\s]*(?:[IVXLC]+\s*[.)]|Điều\s+1\b|Phần\s+(?:thứ\s+)?(?:nhất|I)\b)")


def _lines(text: str, start: int, end: int):
    """(start, end, content) of each non-blank line in text[start:end], markup stripped."""
    pos = start
    for raw in text[start:end].split("\n"):
        lo, hi = pos, pos + len(raw)
        pos = hi + 1
        strip = " \t*#|\u00a0_"
        while lo < hi and text[lo] in strip:
            lo += 1
        while hi > lo and text[hi - 1] in strip:
            hi -= 1
        if lo < hi:
            yield lo, hi, text[lo:hi]


def front_bounds(seg: Segmented, rules: Rules) -> tuple[int, int]:
    """(doc_start, front_end): the first character of the document proper (after any site
    chrome) and the end of its front matter (the first section, or the first heading)."""
    text = seg.doc.text
    c = _rules(rules)
    flat = flatten(text)
    doc_start = 0
    m = c.motto.search(flat) or c.number.search(flat)
    if m:
        # back over the issuer block above the motto (upper-case lines)
        doc_start = m.start()
        line_start = text.rfind("\n", 0, doc_start) + 1
        doc_start = line_start
        for _ in range(6):
            if line_start == 0:
                break
            prev = text.rfind("\n", 0, line_start - 1) + 1
            content = text[prev:line_start].strip(" \t\n*#|-")
            # the number line may sit between the issuer block and the motto
            if content and not content.isupper() and not c.number.match(flatten(content)):
                break
            line_start = prev
            if content:
                doc_start = prev
    if seg.sections and doc_start < seg.body_start <= len(text):
        return doc_start, seg.body_start
    for lo, _hi, line in _lines(text, doc_start, len(text)):
        if _HEADING.match(line) and lo > doc_start:
            return doc_start, lo
    return doc_start, len(text)


# --- the parts of the plans row -------------------------------------------------------


@dataclass
class _Header:
    kind: str | None = None
    kind_end: int | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None
    preamble_start: int | None = None
    # a decision that issues a plan: where the decision's own text starts and where the
    # attached plan's kind line stands (the decision's signature lies between them)
    wrapper_preamble: int | None = None
    attached_at: int | None = None


def _kind_of(line: str, c: _Compiled) -> str | None:
    return c.kind_by_word.get(" ".join(line.split()).upper()) if c.kind_line.match(line) else None


def _find_title(text: str, doc_start: int, front_end: int, c: _Compiled, after: int) -> _Header:
    h = _Header()
    lines = list(_lines(text, doc_start, front_end))
    start_idx = None
    for i, (lo, hi, line) in enumerate(lines):
        if c.opener.match(line) and h.kind is None:
            h.preamble_start = lo
            break
        if c.kind_line.match(line):
            h.kind = _kind_of(line, c)
            h.kind_end = hi
            start_idx = i + 1
            break
    if h.kind in c.wrapper_kinds:
        # `QUYẾT ĐỊNH ... Ban hành Kế hoạch ...` with the plan attached after the signature:
        # the title is the attached plan's, under its own kind line
        attached = next((j for j in range(start_idx, len(lines))
                         if _kind_of(lines[j][2], c) in c.attached_kinds), None)
        if attached is not None:
            first = _find_title(text, doc_start, lines[attached][0], c, after)
            h.wrapper_preamble = first.preamble_start
            h.attached_at = lines[attached][0]
            start_idx = attached + 1
    if start_idx is None:  # no kind line: an upper-case title right after the date line
        for i, (lo, _hi, line) in enumerate(lines):
            if lo >= after and _is_upper(line) and not c.authority.match(line) \
                    and not c.motto.match(line):
                start_idx = i
                break
            if c.opener.match(line):
                h.preamble_start = lo
                break
        if start_idx is None:
            return h
    picked: list[tuple[int, int, str]] = []
    upper = None
    for lo, hi, line in lines[start_idx:]:
        if set(line) <= set("-–—_=*. "):  # a rule line under the title
            if picked:
                break
            continue
        if not picked:
            upper = _is_upper(line)
            if c.opener.match(line) and not upper and h.kind is None:
                break
            picked.append((lo, hi, line))
            continue
        if upper:
            if not _is_upper(line) or c.authority.match(line):
                break
        else:
            prev = picked[-1][2]
            gap = text[picked[-1][1]:lo].count("\n") > 1
            if prev.rstrip().endswith((".", ":", ";")) or not line[:1].islower():
                break
            if gap and not line[:1].islower():
                break
        picked.append((lo, hi, line))
    if picked:
        h.title = _squash(" ".join(p[2] for p in picked)) or None
        h.title_span = (picked[0][0], picked[-1][1])
        rest = [lo for lo, _hi, _l in lines if lo > picked[-1][1]]
        h.preamble_start = rest[0] if rest else picked[-1][1]
    return h


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


_RANGE = re.compile(r"(?i:giai\s+đoạn|từ\s+năm)\s*(?P<a>(?:19|20)\d\d)\s*(?:[-–—]|đến(?:\s+năm)?)\s*"
                    r"(?P<b>(?:19|20)\d\d)")
_HORIZON = re.compile(r"(?i:(?:định\s+hướng|tầm\s+nhìn)\s*(?:đến|tới)\s+năm)\s+(?P<y>(?:19|20)\d\d)")
# a lone year, not the year of a date (`ngày 02 tháng 01 năm 2025` in a cited document's name)
_YEAR = re.compile(r"(?<!(?i:đến|tới|tháng\s+\d{1,2})\s+)(?i:năm)\s+(?P<y>(?:19|20)\d\d)")
# `đến năm 2030` in a title: the plan runs up to that year (a horizon says `định hướng` first)
_UNTIL = re.compile(r"(?<!(?i:định\s+hướng|tầm\s+nhìn)\s+)(?i:(?:đến|tới)\s+năm)\s+(?P<y>(?:19|20)\d\d)")
# a quoted name inside a title is a cited document's (`Đề án “... đến năm 2030”`)
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")


def _period(*texts: str | None, single_from: int = 1) -> tuple[int | None, int | None, int | None]:
    """Period and horizon from the first text that states them; a lone `năm 2026` counts
    only in the first `single_from` texts (the title), where it is the plan's year. Past
    those, a horizon counts only in the text the period came from: the rest of a preamble
    names cited programmes (`Chương trình ... định hướng đến năm 2030`), not this plan."""
    start = end = horizon = None
    for i, t in enumerate(texts):
        if not t:
            continue
        t = " ".join(t.split())
        if i == 0:
            t = _QUOTED.sub(" ", t)
        from_here = False
        if start is None and end is None:
            m = _RANGE.search(t)
            if m:
                start, end = int(m["a"]), int(m["b"])
                from_here = True
            elif i < single_from:
                ys = [int(y["y"]) for y in _YEAR.finditer(t)]
                until = _UNTIL.search(t) if i == 0 else None
                if ys:
                    start = end = ys[0]
                elif until:
                    end = int(until["y"])
        if horizon is None and (i < single_from or from_here):
            m = _HORIZON.search(t)
            if m:
                horizon = int(m["y"])
        if (start is not None or end is not None) and horizon is not None:
            break
    return start, end, horizon


def _signature(text: str, flat: str, front_end: int, close: int | None, c: _Compiled):
    """(signing_mode, signer_title, signer_name) from the signature block."""
    lines = list(_lines(text, front_end, len(text)))
    modes = [i for i, (_lo, _hi, line) in enumerate(lines) if c.mode_line.match(line)]
    if not modes:
        return None, None, None
    later = [i for i in modes if close is not None and lines[i][0] >= close - 300]
    first = later[0] if later else modes[0]
    mode = c.mode_line.match(lines[first][2])["mode"] + "."
    block: list[str] = []
    name = None
    for _lo, _hi, line in lines[first + 1:first + 12]:
        line = " ".join(line.split())
        if line.startswith(("-", "+", "•")):
            continue  # a recipient interleaved by a two-column layout
        m = c.mode_line.match(line)
        if m:
            mode = m["mode"] + "."
            block.append(m["rest"])
            continue
        pm = c.person.match(line)
        if pm:
            name = pm["name"]
            break
        if _is_upper(line):
            block.append(line)
            continue
        if line.strip("()[]").lower() in ("đã ký", "ký", "đã ký và đóng dấu", "ký, đóng dấu"):
            continue
        break
    title = block[-1] if (name and block) else None
    return mode, title, name


def _last(it):
    last = None
    for last in it:  # noqa: B007 - only the last one is wanted
        pass
    return last


def _recipients(text: str, flat: str, start: int, c: _Compiled) -> tuple[int | None, tuple[str, ...]]:
    m = _last(c.recipients_label.finditer(flat, start))
    if m is None:
        return None, ()
    out: list[str] = []
    for _lo, _hi, line in _lines(text, m.end(), len(text)):
        line = " ".join(line.split())
        if not line.startswith(("-", "+", "•")):
            if out or c.mode_line.match(line):
                break
            continue
        item = line.lstrip("-+• ").rstrip(" ;.,").strip(" *")
        if item:
            out.append(item)
    return m.start(), tuple(out)


# --- the issuer -------------------------------------------------------------------------


def _header_lines(header: str, c: _Compiled) -> str:
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


@dataclass
class _Cand:
    body: str | None
    place: Place | None


def _issuer_candidates(text, flat, doc_start, h: _Header, front_end, close, c, rules):
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
        for m in c.author.finditer(flat, *region):
            place = parse_place(m["level"], m["name"]) if m["level"] else None
            yield _Cand(canonical_body(m["body"], rules), place)
            break
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


def _issuer(cands: list[_Cand], place_word: str | None, rules: Rules):
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
    level = _body_level(body, rules) if body else "unknown"
    if level in ("national", "ministry"):
        return body, level, None
    if level == "by_place" or (body is None and place is not None):
        level = _place_level(place, rules) if place else "unknown"
    elif level == "province_dept" and place is not None \
            and _place_level(place, rules) in ("district", "commune"):
        level = _place_level(place, rules)  # `CÔNG AN XÃ` under `UBND XÃ ...`: a commune body
    if body is None and place is None:
        return "", "unknown", None
    issuer = " ".join(x for x in (body, place.text if place else None) if x)
    return issuer, level, place


def _place_level(place: Place, rules: Rules) -> str:
    c = _rules(rules)
    lvl = c.place_levels.get(place.level, "unknown")
    if place.level == "thành phố" and place.name and not admin_units().is_province(place.name):
        return "district"
    return lvl


def _locate(place: Place | None, level: str, mentions: Counter):
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


def title_span(seg: Segmented, rules: Rules) -> tuple[int, int] | None:
    """Where the plan's title stands in the cleaned text (the attached plan's under a
    decision that issues one), or None."""
    text = seg.doc.text
    c = _rules(rules)
    doc_start, front_end = front_bounds(seg, rules)
    flat = flatten(text)
    num_m = c.number.search(flat, doc_start, front_end)
    date_m = c.date_line.search(text, doc_start, front_end)
    after = max(num_m.end() if num_m else doc_start, date_m.end() if date_m else doc_start)
    return _find_title(text, doc_start, front_end, c, after).title_span


# --- the stage --------------------------------------------------------------------------


def find_plan(seg: Segmented, *, rules: Rules) -> PlanInfo:
    """Every column of the plans row that the text states."""
    text = seg.doc.text
    flat = flatten(text)
    c = _rules(rules)
    doc_start, front_end = front_bounds(seg, rules)

    # number and date line sit in the header, before the title / preamble
    num_m = c.number.search(flat, doc_start, front_end)
    number = symbol = doc_ref = None
    if num_m:
        number, symbol, doc_ref = number_from_match(num_m)
    date_m = c.date_line.search(text, doc_start, front_end)
    after = max(num_m.end() if num_m else doc_start, date_m.end() if date_m else doc_start)
    h = _find_title(text, doc_start, front_end, c, after)
    if date_m and h.preamble_start is not None and date_m.start() > h.preamble_start:
        date_m = None  # a date in the preamble is a cited document's, not the plan's
    place = issue_date_raw = None
    issue_date: dt.date | None = None
    if date_m:
        place = _squash(date_m["place"])
        issue_date = date_from_match(date_m)
        issue_date_raw = _squash(flat[date_m.start():date_m.end()])

    kind = h.kind or c.kind_by_symbol.get(symbol_prefix(symbol).upper()) or None
    close_m, recipients = _recipients(text, flat, front_end, c)
    close = seg.body_end if 0 < seg.body_end < len(text) else close_m
    if kind is None:
        kind = "ke_hoach" if re.search(r"\b(?:Kế hoạch|KẾ HOẠCH)\b", flat[doc_start:]) else "other"

    cands = list(_issuer_candidates(text, flat, doc_start, h, front_end, close, c, rules))
    issuer, level, where = _issuer(cands, place, rules)
    locality = where.text if where else None
    mentions = province_mentions(flat[doc_start:], rules)
    province, province_code, locality_code = _locate(where, level, mentions)

    preamble = flat[h.preamble_start or doc_start:front_end]
    own = next(iter(c.author.finditer(preamble)), None)
    own_sentence = preamble[own.start():].split(". ")[0] if own else None
    period_start, period_end, horizon = _period(h.title, own_sentence, preamble,
                                                single_from=2)
    sign_from = min(front_end, h.preamble_start if h.preamble_start is not None else front_end)
    if h.attached_at is not None:  # the decision's signer, above the attached plan
        sign_from, close = h.wrapper_preamble or doc_start, h.attached_at
    mode, signer_title, signer_name = _signature(text, flat, sign_from, close, c)
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
    )
