"""The front matter's rules compiled once: document kinds, number and date lines, issuing
bodies, places, signature and closing labels (`rules/frontmatter.yaml`); and `flatten`,
which reads markup, table bars and line breaks as spaces without moving any offset."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import regex as re

from ..charsets import any_case
from ..rules import Rules
from .dates import DATE_WORDS
from .docnumbers import DOC_NUMBER
from .patterns import words_alternation as _alt

__all__ = ['FrontmatterRules', 'fm_rules', 'flatten', 'squash', 'body_key', 'loose', 'loose_key']


# Markup and spaces around a line's content (headerblock.text_lines strips them).
LINE_STRIP = " \t*#|\u00a0_"

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


def squash(s: str) -> str:
    return " ".join(flatten(s).split())


@dataclass(frozen=True)
class FrontmatterRules:
    kind_by_word: dict  # the kind line as `loose_key` reads it -> kind
    kind_by_symbol: dict
    kind_line: re.Pattern
    inline_title: re.Pattern  # `... KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI NĂM 2014 Căn cứ ...` on one line
    number: re.Pattern
    number_label: re.Pattern  # `Số:` opening a line, whatever the number (OCR may garble it)
    date_line: re.Pattern
    motto: re.Pattern
    body_alias: dict  # folded alias -> canonical
    body_level: dict  # canonical -> level
    body_mixed: re.Pattern  # a body followed by an optional place (any case)
    header_body: re.Pattern  # the same in upper case, for the header block
    author: re.Pattern
    author_opens: re.Pattern | None  # a character an author match can open with (or None: any)
    author_lead: re.Pattern  # what an author match opens with: its head and the body's first words
    place_phrase: re.Pattern
    coverage: re.Pattern
    mode_line: re.Pattern
    person: re.Pattern
    inline_mode: re.Pattern  # `KT.` inside a line: a signing mode
    title_at_end: re.Pattern | None  # a known signer title ending a run of capitals
    recipients_label: re.Pattern
    signer_label: re.Pattern
    issuer_label: re.Pattern
    opener: re.Pattern
    authority: re.Pattern
    chrome: re.Pattern | None  # a web page's furniture line (`TRANSCRIPT`, `Upload: ...`)
    place_levels: dict
    level_words: str
    pattern_levels: dict  # body pattern word -> level
    title_cited: re.Pattern | None  # a cited document's kind word inside a title
    wrapper_kinds: frozenset  # kinds that may issue an attached plan (a decision)
    attached_kinds: frozenset  # kinds of the plan such a decision attaches
    # a mode word and its stop, as a mode line opens: a scan for these finds signature's lines
    # without reading every line of the body
    mode_at: re.Pattern | None = None


@cache
def _letter_groups() -> dict[str, str]:
    """Each Latin letter (Vietnamese ones included) -> the letters of the same base and case:
    `Ế` -> `EÈÉẺẼẸÊỀẾỂỄỆ`; `Đ` goes with `D`."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for cp in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1EA0, 0x1F00)]:
        ch = chr(cp)
        if not ch.isalpha():
            continue
        base = unicodedata.normalize("NFD", ch.replace("Đ", "D").replace("đ", "d"))[0]
        if not ("a" <= base.lower() <= "z"):
            continue
        groups.setdefault((base.lower(), ch.isupper()), []).append(ch)
    out = {}
    for members in groups.values():
        for ch in members:
            out[ch] = "".join(sorted(set(members)))
    return out


def loose(phrase: str) -> str:
    """A pattern for PHRASE that lets OCR change its diacritics (`KÉ HOẠCH`, `CHỦ NGHỈA`):
    each letter matches any letter of its base and case; spaces as in `words_alternation`."""
    groups = _letter_groups()
    parts = []
    for word in phrase.split():
        parts.append("".join(f"[{re.escape(groups[ch])}]" if ch in groups else re.escape(ch)
                             for ch in word))
    return r"\s+".join(parts)


def _cased_ahead(phrases: list[str]) -> re.Pattern:
    """`(?i:` the `loose` patterns of PHRASES `)`, with the class of their first letters looked
    ahead first, its case spelt out: the engine skips the text's other letters without trying
    the phrases (a text without the motto is read ~1.4x faster; what matches is the same)."""
    words = [p.split() for p in phrases]
    body = "|".join(loose(w) for w in phrases)
    if not words or not all(words):
        return re.compile(rf"(?i:{body})")
    ahead = "|".join(_cased_class(_letter_groups().get(w[0][0], w[0][0])) for w in words)
    return re.compile(rf"(?=(?:{ahead}))(?i:{body})")


@cache
def _cased_class(letters: str) -> str:
    """A class of every character `(?i:[LETTERS])` matches in the basic plane, and of every
    character past it (a look-ahead's class: it holds all those the class matches)."""
    found = sorted(any_case(letters, re))  # (re: the regex module)
    return "[" + "".join(re.escape(ch) for ch in found) + "\U00010000-\U0010FFFF]"


def loose_key(s: str) -> str:
    """The key `loose` compares by: no diacritics, no spaces, upper case."""
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch)).upper()


def _compile(rules: Rules) -> FrontmatterRules:
    fm = rules["frontmatter"]
    kinds = fm["doc_kinds"]
    kind_by_word = {loose_key(w): k for k, spec in kinds.items() for w in spec.get("words", [])}
    kind_by_symbol = {s.upper(): k for k, spec in kinds.items() for s in spec.get("symbols", [])}
    labels = fm.get("labels", {})
    kind_words = "|".join(loose(w.upper()) for spec in kinds.values() for w in spec.get("words", []))
    levels = fm.get("place_levels", {})
    level_words = _alt(levels, "i")
    bodies = fm.get("issuer_bodies", {})
    body_alias, body_level = {}, {}
    for canon, spec in bodies.items():
        body_level[canon] = spec.get("level", "unknown")
        for a in [canon, *spec.get("aliases", [])]:
            body_alias[body_key(a)] = canon
            body_alias[loose_key(a)] = canon  # as a scan's OCR may spell it (`ƯBND`)
    pattern_levels = {w: lvl for lvl, ws in fm.get("issuer_patterns", {}).items() for w in ws}
    # `Sở Y tế`, `Bộ Công an`: the pattern word and the words of the name, up to the place
    patterned = _alt(pattern_levels)
    named_body = rf"{patterned}(?:[ \t\n]+(?!{level_words}\b)[\p{{L}}\p{{M}}\-,]+){{0,7}}?"
    fixed = _alt([a for canon, spec in bodies.items() for a in [canon, *spec.get("aliases", [])]], "i")
    body = rf"(?P<body>{fixed}|{named_body})"
    place = rf"(?:\s*\((?:\p{{Lu}}+)\))?(?:\s+(?P<level>{level_words})(?:\s+(?P<name>{_NAME}))?)?"
    heads = _alt(fm.get("author_heads", []), "i")
    verbs = _alt(fm.get("author_verbs", []), "i")
    # the header's fixed bodies with OCR's changed diacritics tolerated (`ƯBND`, `ỦY BAN NHÂN DẦN`)
    fixed_upper = sorted({a.upper() for canon, spec in bodies.items()
                          for a in [canon, *spec.get("aliases", [])]}, key=len, reverse=True)
    upper_fixed = "(?:" + "|".join(loose(a) for a in fixed_upper) + ")"
    upper_patterned = _alt([w.upper() for w in pattern_levels])
    upper_levels = _alt([w.upper() for w in levels])
    # a patterned body's name runs to the place level word or the end of its line
    # (`BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM`); the header is read line by line (_header_lines)
    header_body = (rf"(?<![\p{{L}}/-])(?P<body>{upper_fixed}|{upper_patterned}(?:[ \t]+(?!{upper_levels}\b)"
                   rf"\p{{Lu}}[\p{{Lu}}\-]*,?){{0,8}})(?:[ \t\n|]+(?P<level>{upper_levels})"
                   rf"(?:[ \t\n]+(?P<name>\p{{Lu}}+(?:[ \t]+\p{{Lu}}+){{0,4}}))?)?(?![\p{{L}}])")
    modes = _alt([m.rstrip(".") for m in fm.get("signing_modes", [])])
    return FrontmatterRules(
        kind_by_word=kind_by_word,
        kind_by_symbol=kind_by_symbol,
        # in upper case, as the header writes it; OCR's changed diacritics tolerated (`KÉ HOẠCH`)
        kind_line=re.compile(rf"^\s*(?:{kind_words})\s*$"),
        # a header flattened into one line: the kind word, the title in capitals, the opener
        inline_title=re.compile(rf"(?<![\p{{L}}])(?P<kind>{kind_words})[ \t]+(?P<title>[\p{{Lu}}\d]"
                                rf"[\p{{Lu}}\p{{M}}\d,;.:/()“”\"\-–— \t]*?)[ \t]+"
                                rf"(?={_alt(fm.get('preamble_openers', []))}(?![\p{{L}}]))"),
        number=re.compile(rf"(?<![\p{{L}}]){_alt(labels.get('number', ['Số']), 'i')}\s*[:|]\s*"
                          rf"(?:{DOC_NUMBER}|(?P<blank>/))"),
        number_label=re.compile(rf"^\s*{_alt(labels.get('number', ['Số']), 'i')}\s*[:|]"),
        date_line=re.compile(rf"(?<![\p{{L}}\p{{M}}/-])(?P<place>{_date_place(level_words)})[*_]*[ \t]*,"
                             rf"[ \t\n]*{DATE_WORDS}"),
        motto=_cased_ahead(fm.get("national_header", [])),
        body_alias=body_alias,
        body_level=body_level,
        body_mixed=re.compile(rf"{body}{place}"),
        header_body=re.compile(header_body),
        # the author opens its clause: `..., UBND xã X xây dựng`, never `của Thủ tướng Chính phủ ban hành`
        author=re.compile(rf"(?<=(?:^|[.;:,!?)\]])[ \t\n*_|]*)(?:(?P<head>{heads})\s+)?{body}{place}"
                          rf"\s+(?:đã\s+)?{verbs}\b"),
        author_lead=re.compile(rf"(?:(?P<head>{heads})\s+)?(?:{fixed}|{patterned})"),
        author_opens=_first_letters(
            [*fm.get("author_heads", []), *(a for spec in bodies.values() for a in spec.get("aliases", [])),
             *bodies], list(pattern_levels)),
        place_phrase=re.compile(rf"(?P<level>{level_words})\s+(?P<name>{_NAME})"),
        coverage=re.compile(rf"{_alt(fm.get('coverage_words', []), 'i')}\s+(?P<level>{level_words})"
                            rf"\s+(?P<name>{_NAME})"),
        inline_mode=re.compile(rf"(?<![\p{{L}}])(?P<mode>{modes})\.\s*"),
        title_at_end=re.compile(rf"(?<![\p{{L}}]){_alt([t.upper() for t in fm['signer_titles']])}\s*$")
        if fm.get("signer_titles") else None,
        mode_line=re.compile(rf"^(?P<mode>{modes})\.\s*(?P<rest>\S.*)$"),
        mode_at=(re.compile(rf"(?:{modes})\.")
                 if not any(ch in LINE_STRIP for m in fm.get("signing_modes", []) for ch in m) else None),
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
        chrome=re.compile(rf"^\W*{_alt(fm['page_chrome'], 'i')}(?![\p{{L}}])")
        if fm.get("page_chrome") else None,
        place_levels={k.lower(): v for k, v in levels.items()},
        level_words=level_words,
        pattern_levels=pattern_levels,
        title_cited=re.compile(rf"(?<![\p{{L}}]){_alt(fm.get('title_cited_kinds', []), 'i')}(?![\p{{L}}])")
        if fm.get("title_cited_kinds") else None,
        wrapper_kinds=frozenset(fm.get("attached_plan", {}).get("wrappers", [])),
        attached_kinds=frozenset(fm.get("attached_plan", {}).get("attached", [])),
    )


def _first_letters(any_case: list[str], as_written: list[str]) -> re.Pattern | None:
    """The characters the alternations `_alt(ANY_CASE, "i")` and `_alt(AS_WRITTEN)` can open
    with (their words' first letters, in any case for the first), as one class; None when a
    word gives none (an empty alternative opens with anything)."""
    firsts = []
    for words in (any_case, as_written):
        parts = [w.split() for w in words if w]
        if any(not p for p in parts):
            return None
        firsts.append("".join(sorted({re.escape(p[0][0]) for p in parts})))
    alts = ([f"(?i:[{firsts[0]}])"] if firsts[0] else []) + ([f"[{firsts[1]}]"] if firsts[1] else [])
    return re.compile("|".join(alts) or "(?!)")


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


def body_key(s: str) -> str:
    return " ".join(s.lower().replace("uỷ", "ủy").split())


def fm_rules(rules: Rules) -> FrontmatterRules:
    return rules.compiled("frontmatter", _compile)
