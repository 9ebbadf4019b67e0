"""The references' rules compiled once (`rules/references.yaml`): kind words and symbols,
the citation patterns, role triggers and cues, title and issuer stop words."""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from ..rules import Rules
from .dates import DATE_ANY
from .docnumbers import DOC_NUMBER, PARTY_NUMBER
from .patterns import words_alternation as _alt

__all__ = ['RefRules', 'ref_rules']


@dataclass(frozen=True)
class RefRules:
    numbered: re.Pattern
    # every citation holds a number and the start of its symbol, with only kind words, `số`,
    # spaces and `:` before them: where `numbered` is searched from (`anchored_finditer`)
    numbered_anchor: re.Pattern
    numbered_lead_in_end: re.Pattern
    titled: re.Pattern
    titled_spec: dict
    kind_by_word: dict
    kind_by_symbol: dict
    date_after: re.Pattern
    date_shared: re.Pattern
    amended: re.Pattern | None
    of_issuer: re.Pattern
    trailing_issuer: re.Pattern
    issuer_term: re.Pattern  # `khóa XX`, `nhiệm kỳ 2020 - 2025` after a body
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
    title_stop: dict  # stop phrases (lists of lower-case words) by their first word
    comma_joins: set
    issuer_stop: dict
    abbr_def: re.Pattern
    not_parent_words: set  # kind words of documents that are never a plan's parent
    not_parent_symbols: set
    issuer_head: re.Pattern  # the words that open a body: a second issuer after `và`
    kind_start: re.Pattern
    short_name: re.Pattern | None = None
    # roles settled over the whole preamble (ref_roles.py)
    heading_trigger: re.Pattern | None = None  # a section heading that opens a `Căn cứ` clause
    item_lead: re.Pattern | None = None  # a list item's marker before its citation
    line_trigger: re.Pattern | None = None  # a preamble paragraph's opener
    amends_cue: re.Pattern | None = None  # `sửa đổi, bổ sung`: what a cited norm does to another
    programme_kinds: frozenset = frozenset()
    carried_out_as_basis: frozenset = frozenset()
    instruments: frozenset = frozenset()
    approves_in: re.Pattern | None = None
    programme_start: re.Pattern | None = None  # a name that opens with a programme word
    topic_lead: re.Pattern | None = None
    topic_end: re.Pattern | None = None
    title_programme: re.Pattern | None = None
    title_match: float = 0.5
    topic_tail: frozenset = frozenset()  # words a topic does not end on (`đến` before a cut year)
    alias_share: float = 0.7  # a titled programme is an approved one spelt otherwise ...
    alias_min_pairs: int = 3  # ... when it shares this many topic word pairs
    # the most words of a title stop phrase and of an issuer stop phrase (how far _starts reads)
    title_stop_words: int = 0
    issuer_stop_words: int = 0


def _by_first_word(phrases) -> dict[str | None, list[list[str]]]:
    """PHRASES (lists of words) by their first word, longest first; an empty phrase, which
    starts anywhere, under None."""
    out: dict[str | None, list[list[str]]] = {}
    for p in sorted(phrases, key=len, reverse=True):
        out.setdefault(p[0] if p else None, []).append(p)
    return out


def _compile(rules: Rules) -> RefRules:
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
    lead = _alt([*roles.get("approves", []), *trigger_role, *roles.get("programme_words", []),
                 *roles.get("topic_lead", [])])
    return RefRules(
        # `Quyết định số 33/QĐ-TTg`, `Kết luận số 132-KL/TW`, `Luật số 53/2024/QH15`, `số 68/KH-UBND`
        numbered=re.compile(
            # kind word and `số` in any case: a title in capitals cites `QUYẾT ĐỊNH SỐ 06/QĐ-TTG`
            rf"(?:(?P<kind>(?i:{words}))(?:(?:\s+\p{{Ll}}[\p{{L}}\p{{M}}]*){{1,3}}\s+số\s*:?\s*"
            rf"|\s+(?:(?i:số)\s*:?\s*)?)|(?<![\p{{L}}\d/-])(?:(?i:số)\s+)?)"
            rf"(?:(?<![\w/-]){PARTY_NUMBER}|(?<![\w/-])(?={{1}}){DOC_NUMBER})".replace("{1}", r"\d")),
        # the number's end and its symbol's start (a date, `12/3/2025`, is none)
        numbered_anchor=re.compile(r"\d(?:\.\d{1,3})?[a-z]?[ \t]*/[ \t]*(?:(?:19|20)\d\d[ \t]*/[ \t]*)?[A-ZĐ]"
                                   r"|\d(?:-[ \t]?|[ \t]-)[A-ZĐ][A-Za-zĐđ]{0,4}/"),
        numbered_lead_in_end=re.compile(r"(?r)[^\p{L}\p{M}\s:.\d]"),
        titled=re.compile(rf"(?<![\p{{L}}])(?P<kind>{_alt(titled)})\s+(?=\S)"),
        titled_spec=titled,
        kind_by_word=kind_by_word,
        kind_by_symbol=kind_by_symbol,
        date_after=re.compile(rf"\s*,?\s*(?:[Nn]gày\s*)?(?P<date>{DATE_ANY})"),
        # `số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025`: one date for both
        date_shared=re.compile(rf"\s*(?:,|\s(?:và|,))\s*(?:số\s*)?\d[\w.]*\s*[-/][\w./-]*"
                               rf"\s*,?\s*(?:[Nn]gày\s*)?(?P<date>{DATE_ANY})"),
        amended=re.compile(rf"(?i:{_alt(r.get('amendment_cues', []))})") if r.get("amendment_cues") else None,
        # `Của` too: a title wrapped before it starts its line with a capital
        of_issuer=re.compile(r"\s*,?\s*(?i:của|do)\s+"),
        # `... ban hành Quy định X của UBND thành phố Hà Nội;`: the issuer after the description
        issuer_term=re.compile(rf"\s*,?\s*(?i:{_alt(r.get('issuer_terms', []))})\s+"
                               r"(?:[IVXLC]+|\d{1,4}(?:\s*[-–]\s*\d{4})?)(?![\p{L}\d])"),
        trailing_issuer=re.compile(r"\s(?:của|do)\s+(?=\p{Lu})(?!.*\s(?:của|do)\s)(?P<rest>.+)$"),
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
        title_stop=_by_first_word(w.lower().split() for w in r.get("title_stop", [])),
        comma_joins={w.lower() for w in r.get("comma_joins", [])},
        issuer_stop=_by_first_word(w.lower().split() for w in r.get("issuer_stop", [])),
        issuer_head=re.compile(rf"{_alt(r.get('issuer_heads', []))}(?![\p{{L}}])" if r.get("issuer_heads")
                               else r"(?!)"),
        not_parent_words={" ".join(w.lower().split()) for w in roles.get("not_parents", {}).get("words", [])},
        not_parent_symbols={w.upper() for w in roles.get("not_parents", {}).get("symbols", [])},
        abbr_def=re.compile(r"\((?P<abbr>\p{Lu}{2,8})\)"),
        kind_start=re.compile(rf"{words}|{_alt(titled)}"),
        heading_trigger=re.compile(rf"^[\s*_#|]*(?P<trig>{_alt(roles.get('legal_basis', []), 'i')})"
                                   rf"(?![\p{{L}}])"),
        amends_cue=re.compile(rf"(?i:{_alt(roles.get('amends', []))})"),
        line_trigger=re.compile(rf"^[\s*_#|]*(?P<trig>{triggers})(?![\p{{L}}])"),
        item_lead=re.compile(r"[\s*_|#]*(?:(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[IVX]+)\s*[.)]|[-–+•])?[\s*_|]*"),
        programme_kinds=frozenset(k for w in roles.get("programme_words", [])
                                  if (k := kind_by_word.get(w.lower())) and k != "other"),
        carried_out_as_basis=frozenset(roles.get("carried_out_as_basis", [])),
        instruments=frozenset(roles.get("instruments", [])),
        programme_start=re.compile(rf"^\s*(?i:{programme})(?![\p{{L}}])"),
        approves_in=re.compile(rf"(?<![\p{{L}}]){approves}\s+(?=(?i:{programme}))"),
        topic_lead=re.compile(rf"^[\s“”\"'(,:]*(?:(?i:{lead}))?(?![\p{{L}}])[\s“”\"']*"),
        topic_end=re.compile(rf"(?<![\p{{L}}])(?i:{_alt(roles.get('topic_ends', []))})(?![\p{{L}}])"),
        title_programme=re.compile(rf"(?i:{_alt(roles.get('implements', []))})\s+"
                                   rf"(?i:{programme})\s+(?P<name>.+)"),
        topic_tail=frozenset(w.lower() for w in roles.get("topic_tail", [])),
        title_match=float(roles.get("programme_title_match", 0.5)),
        alias_share=float(roles.get("alias_share", 0.7)),
        alias_min_pairs=int(roles.get("alias_min_pairs", 3)),
        title_stop_words=max((len(w.split()) for w in r.get("title_stop", [])), default=0),
        issuer_stop_words=max((len(w.split()) for w in r.get("issuer_stop", [])), default=0),
        short_name=(re.compile(rf"\(\s*(?i:{_alt(r['short_name_words'])})\b")
                    if r.get("short_name_words") else None),
    )


def ref_rules(rules: Rules) -> RefRules:
    return rules.compiled("references", _compile)
