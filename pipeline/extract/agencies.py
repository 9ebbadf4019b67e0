"""Agencies: find the bodies a plan names and give each its canonical name.

The gazetteer is `rules/agencies.yaml`. The text is cut into tokens (words and punctuation,
abbreviations such as `UBND` expanded in place, plural words `các` / `những` and dashes left
out of the stream that is matched), and a word trie over the gazetteer's phrases finds, at
each position of that stream, gazetteer names, generic bodies, vague actors, level words
and the phrases to drop. A list of bodies is then read token by token, so that it splits on
`;`, `,` and `và` without breaking a name that holds a comma (`Sở Văn hóa, Thể thao và Du
lịch`, `Ủy ban nhân dân xã, phường`).

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> canonical_agency("Đề nghị Ủy ban MTTQ Việt Nam xã", rules=rules)
    'Ủy ban Mặt trận Tổ quốc Việt Nam xã'
    >>> canonical_agency("Công an xã Nhân Lý", rules=rules, own_place="Nhân Lý")
    'Công an xã'
    >>> [m.agency for m in find_agencies("Sở Văn hóa, Thể thao và Du lịch, UBND các xã, phường", rules=rules)]
    ['Sở Văn hóa, Thể thao và Du lịch', 'Ủy ban nhân dân xã, phường']
"""


from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..memo import kept
from ..rules import Rules
from .agency_lists import AgencyMention, AgencyText
from .agency_names import tidy_name
from .agency_tokens import gazetteer

__all__ = ["AgencyMention", "AgencyText", "agency_fixed_words", "agency_text", "canonical_agency",
           "cell_agencies", "document_agencies", "find_agencies", "is_known_agency", "leading_agency",
           "split_agencies"]

# --- public API -------------------------------------------------------------------------


def agency_text(text: str, rules: Rules, own_place: str | None = None) -> AgencyText:
    """The token index of TEXT, built anew: a caller that reads a text many times keeps it (the
    extract step builds one per document and hands it to tasks and assignments)."""
    return AgencyText(text, rules, own_place)


def document_agencies(text: str, rules: Rules, given: AgencyText | None = None) -> AgencyText:
    """The agency index of a whole document, without a place name: GIVEN (the extract step
    builds one per document and hands it down) or, when none is given, built here."""
    if given is None:
        return AgencyText(text, rules)
    if given.text is not text and given.text != text:
        raise ValueError("the agency index given is not the document's text")
    return given if given.own is None else given.with_place(None)


def find_agencies(text: str, *, rules: Rules, own_place: str | None = None) -> Iterator[AgencyMention]:
    """Every body named in TEXT, vague actors left out, in order."""
    ax = agency_text(text, rules, own_place)
    k = 0
    n = ax.n
    while k < n:
        body = ax.body_at(k, n)
        if body is None and ax.shared_head(k, n, False):
            body = ("SHARED", k + 1, -1)
        if body is None or body[0] == "VAGUE":
            k = body[1] if body else k + 1
            continue
        mentions, j, _ = ax.parse_list(k, n, bounded=False)
        if not mentions:
            k += 1
            continue
        yield from mentions
        k = max(j, k + 1)


_STRING_CACHE = 2048  # short strings whose answer is kept, per question (cells and names recur)


def _by_string(rules: Rules, question: str, key: tuple, answer: Callable[[], Any]) -> Any:
    """ANSWER() for KEY, kept on the Rules object (bounded: emptied when _STRING_CACHE answers
    are kept)."""
    return kept(rules.compiled("agencies.strings." + question, lambda _r: {}), key, _STRING_CACHE, answer)


def canonical_agency(raw: str, *, rules: Rules, own_place: str | None = None) -> str:
    """The canonical name of one body as written (request word and duty phrase dropped)."""
    return _by_string(rules, "canonical", (raw, own_place), lambda: _canonical(raw, rules, own_place))


def _canonical(raw: str, rules: Rules, own_place: str | None) -> str:
    ax = AgencyText(raw, rules, own_place)
    mentions, _, _ = ax.parse_list(0, ax.n, bounded=True)
    if mentions:
        return mentions[0].agency
    return tidy_name(raw)


def split_agencies(raw: str, *, rules: Rules, own_place: str | None = None) -> list[AgencyMention]:
    """The bodies of a list as written (`Công an xã; phòng Văn hóa - Xã hội; các thôn`)."""
    def answer() -> tuple[AgencyMention, ...]:
        ax = AgencyText(raw, rules, own_place)
        return tuple(ax.parse_list(0, ax.n, bounded=True)[0])

    return list(_by_string(rules, "split", (raw, own_place), answer))


def is_known_agency(name: str, rules: Rules) -> bool:
    """True when NAME is a gazetteer body or a generic one (else: flag UNKNOWN_AGENCY)."""
    return _by_string(rules, "known", (name,), lambda: _is_known(name, rules))


def _is_known(name: str, rules: Rules) -> bool:
    ax = AgencyText(name, rules)
    if not ax.n:
        return False
    mentions, k, _ = ax.parse_list(0, ax.n, bounded=False)
    return bool(mentions) and all(m.known for m in mentions) and k >= ax.n


def agency_fixed_words(rules: Rules) -> tuple[str, ...]:
    """Gazetteer names, for the word segmenter to keep whole."""
    return gazetteer(rules).fixed_words


def leading_agency(text: str, *, rules: Rules, own_place: str | None = None) -> AgencyMention | None:
    """The body named at the start of TEXT, whole even when its name holds `và` or a comma
    (`Bộ Lao động - Thương binh và Xã hội về ...`), or None. For a cited document's issuer
    (the words after `của`): `mention.agency` is its canonical name, `mention.char_end` where
    it ends in TEXT."""
    ax = AgencyText(text, rules, own_place)
    k = 0
    while k < ax.n and ax.norm(k) in (",", ":", "(", "-"):
        k += 1
    mentions, _, _ = ax.parse_list(k, ax.n, bounded=False)
    return mentions[0] if mentions else None


def cell_agencies(text: str, start: int, end: int, *, rules: Rules, own_place: str | None = None
                  ) -> list[AgencyMention]:
    """The bodies listed in text[start:end] (a table cell, a labelled field), with offsets in
    TEXT: every item is kept, an unknown one as written up to its separator."""
    ax = agency_text(text, rules, own_place)
    ks, ke = ax.index(start), ax.index(end)
    while ke > ks and ax.norm(ke - 1) in (".", ";", ",", ":"):
        ke -= 1
    return ax.parse_list(ks, ke, bounded=True)[0] if ks < ke else []
