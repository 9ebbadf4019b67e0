"""Agencies, second step: a list of bodies read token by token, each given its canonical name.

A list splits on `;`, `,` and `và` without breaking a name that holds a comma or `và`
(`Sở Văn hóa, Thể thao và Du lịch`, `Ủy ban nhân dân xã, phường`): the gazetteer's longest
match wins, and an unknown body (a head word and a capitalized name) goes on over `và` when
no other body follows it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from ..rules import Rules
from .agency_names import render, tidy_name
from .agency_tokens import TextIndex, gazetteer, reading_start, text_index
from .wordseg import fold

# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyMention:
    """One body named in the text: `text[char_start:char_end] == raw`."""

    raw: str
    agency: str  # canonical name
    generic: bool
    known: bool  # in the gazetteer (or a generic body); False -> UNKNOWN_AGENCY
    requested: bool  # named after `Đề nghị`
    char_start: int
    char_end: int


SEPARATORS = {",", ";", "và", "/"}
_LEVEL_JOIN = {",", "và", "/"}
_LOWER_MAX = 6  # lower-case words inside an unknown body's name
_NAME_END = frozenset({",", ";", ":", ")", "(", ".", "và", "/"})
_CLAUSE_MAX = 10  # words of a relative clause kept in a generic body's name
_BODY_KINDS = ("AG", "VAGUE", "GEN")  # a body's kinds, the better first at equal length
_CLAUSE_STOPS = {",", ";", ".", ":", "(", ")", "của", "theo", "để", "nhằm", "tại", "khi", "trong"}


class AgencyText:
    """A text's token stream with every gazetteer match, built once per text."""

    def __init__(self, text: str, rules: Rules, own_place: str | None = None, *,
                 index: TextIndex | None = None, start: int = 0):
        """START: where the text asked about begins (a document's body: its front matter is
        no reader's); the index leaves out what lies before it, but for a few lines, so that
        a reader looking back from there finds what the whole text's index gives."""
        self.text = text
        self.rules = rules
        self.g = g = gazetteer(rules)
        # tokens and matches do not depend on the place name: INDEX, when given, is TEXT's
        # index read by another AgencyText (see with_place)
        self.ix = ix = index if index is not None else text_index(text, g, reading_start(text, start))
        self.toks, self.full, self.starts, self.best, self.norms = (
            ix.toks, ix.full, ix.starts, ix.best, ix.norms)
        self.n = len(self.norms)  # stream tokens
        # index(char_pos): the first stream position at or after CHAR_POS, by C-level bisection
        # (asked ~500 times a plan: no Python frame for each)
        self.index: Callable[[int], int] = partial(bisect.bisect_left, self.starts)
        self.own = fold(own_place).split() if own_place else None
        self._level_words = g.level_words
        # the first words of the request and order phrases: most items open with neither
        self._request_first = frozenset(w[0] for w in g.request)
        self._order_first = frozenset(w[0] for w in g.order)
        self._list_firsts = self._request_first | self._order_first
        self._no_empty_head = "" not in g.tail_firsts  # (a shared head with no head word opens at any `:`)
        # parse_list's answers: the same list is read again from several places (a heading
        # both as a task region and for its assignments); per text, so bounded by its length
        self._lists: dict[tuple, tuple[list[AgencyMention], int, bool]] = {}
        # what other readers keep about this text (role_patterns: where role phrases stand)
        self.memo: dict = {}

    def with_place(self, own_place: str | None) -> AgencyText:
        """The same text read for a plan of OWN_PLACE (its name dropped from bodies' names):
        the token index is shared, not built again."""
        return AgencyText(self.text, self.rules, own_place, index=self.ix)

    # -- helpers on stream positions --
    def norm(self, k: int) -> str:
        return self.norms[k] if 0 <= k < self.n else ""

    def start(self, k: int) -> int:
        return self.toks.starts[self.full[k]]

    def end(self, k: int) -> int:
        return self.toks.ends[self.full[k]]

    def word(self, k: int) -> str:
        """Stream token K as rendered in a name."""
        return self.toks.texts[self.full[k]]

    def words(self, a: int, b: int) -> list[str]:
        """Stream tokens A..B-1 as rendered in a name (for agency_names.render)."""
        return list(map(self.toks.texts.__getitem__, self.full[a:b]))

    def cap(self, k: int) -> bool:
        return self.toks.cap(self.full[k])

    def nl(self, k: int) -> bool:
        """A line break stands before stream token K."""
        return self.toks.nl(self.full[k], self.text)

    def at(self, k: int, kind: str) -> tuple[int, int] | None:
        b = self.best.get(k)
        return b.get(kind) if b else None

    def words_at(self, k: int, words: tuple[str, ...]) -> bool:
        return all(self.norm(k + j) == w for j, w in enumerate(words))

    def any_words(self, k: int, options: Sequence[tuple[str, ...]]) -> int:
        """The length of the first of OPTIONS (token tuples) that stands at K, else 0."""
        if not 0 <= k < self.n:  # no word here (words are never empty)
            return 0
        norms = self.norms
        first = norms[k]
        for w in options:
            # a slice past the end is short: it cannot equal W
            if w[0] == first and (len(w) == 1 or tuple(norms[k:k + len(w)]) == w):
                return len(w)
        return 0

    def plural_before(self, k: int) -> bool:
        f = self.full[k]
        return f > 0 and self.toks.norms[f - 1] in self.g.plural

    def body_at(self, k: int, end: int, *, after_sep: bool = False) -> tuple[str, int, int] | None:
        """The body (or vague actor) that starts at K: (kind, end, entry) or None."""
        if k >= end:
            return None
        here = self.best.get(k)
        if not here:  # no phrase starts at K
            return None
        b = 0
        for kind_ in _BODY_KINDS:  # the longest body; the first kind of these at equal length
            m = here.get(kind_)
            if m is not None and b < m[0] <= end:
                b, kind, idx = m[0], kind_, m[1]
        if b:
            if kind == "GEN" and " ".join(self.norms[k:b]) in self.g.weak:
                # `tổ chức` is also a verb: a body only after các / với / a comma
                prev = self.full[k] - 1
                pn = self.toks.norms[prev] if prev >= 0 else ""
                if not (self.plural_before(k) or after_sep or pn in ("với", ",", ";", "và", ":")):
                    return None
                if not self.plural_before(k) and self.at(b, "PRED"):  # `, tổ chức triển khai thực hiện`
                    return None
            return (kind, b, idx)
        m = here.get("HEAD")
        # an unknown body is a head word and a name: `Báo Lạng Sơn`, not `Báo cáo`
        if m and m[0] < end and self.cap(k) and self.cap(m[0]) and not self.nl(m[0]):
            return ("HEAD", m[0], m[1])
        return None

    # -- reading a list of bodies --
    def past_separators(self, k: int, end: int) -> int:
        """The first position from K (up to END) that is no list separator."""
        norms = self.norms
        n = min(end, self.n)
        while k < n and norms[k] in SEPARATORS:
            k += 1
        return k

    def _opens_nothing(self, k: int) -> bool:
        """No body, request or order word starts at K (a word of the text): a list whose first
        item stands there names no body when read unbounded or clean_only (see parse_list)."""
        return (k < self.n and k not in self.best and self.norms[k] not in self._list_firsts
                and self._no_empty_head)

    def names_no_item(self, k: int) -> bool:
        """No list read from K, unbounded or clean_only, up to any end, names a body: past the
        separators stands a word that opens none and does not end an item (`:`, `.`)."""
        j = self.past_separators(k, self.n)
        return self._opens_nothing(j) and self.norms[j] not in (":", ".")

    def parse_list(self, k: int, end: int, *, bounded: bool, requested: bool = False,
                   clean_only: bool = False) -> tuple[list[AgencyMention], int, bool]:
        """Read the bodies listed from stream position K (up to END).

        bounded: the span is known to be a list (a `Cơ quan chủ trì:` line, an agency
        heading): what is not recognized is kept as an unknown body up to the next separator.
        Otherwise reading stops at the first word that cannot start or continue a body.
        `Đề nghị` makes the body after it and every later body of the list `requested`.
        Returns the mentions, the position reached and whether every item was recognized.
        clean_only: reading stops before the first item not recognized (for a caller that
        only wants a list every item of which is: the mentions and position are then those
        before it).
        """
        if not bounded or clean_only:
            # most lists asked for open with no body: answered here without reading them (as
            # _parse_list would: past separators, no request or order word, no phrase there)
            j = self.past_separators(k, end)
            if j < end and self._opens_nothing(j):
                if not bounded:
                    return [], k, True
                if self.norms[j] not in (":", "."):  # (clean_only: an unknown item, not one that ends)
                    return [], j, False
        key = (k, end, bounded, requested, clean_only)
        hit = self._lists.get(key)
        if hit is None:
            hit = self._lists[key] = self._parse_list(k, end, bounded, requested, clean_only)
        return list(hit[0]), hit[1], hit[2]

    def _parse_list(self, k: int, end: int, bounded: bool, requested: bool, clean_only: bool = False
                    ) -> tuple[list[AgencyMention], int, bool]:
        out: list[AgencyMention] = []
        clean = True
        first = True
        asked = requested
        while k < end:
            sep_k = k
            while k < end and self.norm(k) in SEPARATORS:
                if self.norm(k) == ";":  # a request covers its own list, up to the semicolon
                    requested = asked
                k += 1
            if k >= end:
                break
            raw_k = k
            nk = self.norms[k] if k < self.n else ""
            n = self.any_words(k, self.g.request) if nk in self._request_first else 0
            if n:
                requested = True
            elif first and nk in self._order_first:
                n = self.any_words(k, self.g.order)
            if n and self.norm(k + n) == ":":  # `Đề nghị: Hiệp hội Doanh nghiệp tỉnh, ...`
                n += 1
            k += n
            body = self.body_at(k, end, after_sep=not first or n > 0)
            shared = self.shared_head(k, end, requested) if body is None or body[0] == "HEAD" else None
            if shared:  # `các Sở: Xây dựng, Tài chính, ...`
                out.extend(shared[0])
                k = shared[1]
                first = False
                if not self._continues(k, end, bounded):
                    break
                continue
            if body is None and not bounded:
                k = sep_k
                break
            if body is not None and body[0] == "VAGUE":
                k = body[1]
                first = False
                if not self._continues(k, end, bounded):
                    break
                continue
            if clean_only and body is None and k < end and not self._item_ends(k, end):
                # an unknown body stands here: the list is not clean, and this caller wants
                # no more of it (nor the unknown body, whose name is the costly part)
                return out, raw_k, False
            m, k = self._item(raw_k, raw_k + n, body, end, bounded, requested)
            first = False
            if m is not None:
                clean = clean and body is not None
                out.append(m)
            if not self._continues(k, end, bounded):
                break
        return out, k, clean

    def _continues(self, k: int, end: int, bounded: bool) -> bool:
        if k >= end or self.norm(k) not in SEPARATORS:
            return False
        if bounded:
            return True
        j = k
        while j < end and self.norm(j) in SEPARATORS:
            j += 1
        return bool(self.any_words(j, self.g.request)) or self.body_at(j, end, after_sep=True) is not None

    def _item(self, raw_k: int, k: int, body, end: int, bounded: bool, requested: bool
              ) -> tuple[AgencyMention | None, int]:
        """One body from K (RAW_K: where its request / order word stands)."""
        kind = canon = level = None
        levels: list[str] = []  # the words of each part of the name, as rendered
        place: list[str] = []
        own = extended = False
        j = name_end = k
        if body is not None:
            kind, j, idx = body
            _, canon, level = self.g.entries[idx]
            if kind == "HEAD":  # a body not in the gazetteer: its capitalized words
                j = self._name_words(j, end)
            if kind == "GEN":
                j = self._generic_tail(j, end)
            name_end = j
            lv = self._levels(j, end)
            levels = self.words(j, lv) if lv > j else []  # (most bodies have none: no list made)
            # a provincial body drops the plan's own province even without a level word
            # (`Công ty Điện lực Đắk Lắk` in a plan of Đắk Lắk; not `Ban Quản lý Khu kinh tế Dung Quất`)
            pl = self._place(lv, end, bare=kind == "AG" and level == "province")
            place = self.words(lv, pl) if pl > lv else []
            own = bool(place) and self.own is not None and self.norms[lv:pl] == self.own
            if place and not own and (lv == 0 or self.norm(lv - 1) not in self._level_words):
                pl = lv
                place = []
            j = pl
        if bounded:  # the rest up to the next separator belongs to this body
            stop = j
            while stop < end and not self._item_ends(stop, end):
                stop += 1
            if stop > j:
                extended = True
                j = stop
        if j <= k:
            return None, max(j, raw_k + 1)
        if extended or kind in (None, "HEAD"):
            words = self.words(k, j)
            if own and not extended:
                words = words[: len(words) - len(place)]
            agency = render(words)
        elif kind == "GEN":
            agency = render(self.words(k, name_end) + levels + ([] if own else place))
        else:
            agency = canon
            if level == "multi" and levels:
                agency += " " + render(levels).lower()
            if level == "multi" and place and not own:
                agency += " " + render(place)
        known = kind in ("AG", "GEN") and not (extended and kind == "AG")
        generic = kind == "GEN"
        after = j
        drop = self.at(j, "DROP")
        if drop and drop[0] <= end:
            after = drop[0]
        cs = self.starts[raw_k]
        if raw_k == k and self.plural_before(k):
            cs = self.toks.starts[self.full[k] - 1]
        ce = self.end(j - 1)
        mention = AgencyMention(self.text[cs:ce], tidy_name(agency), generic, known, requested, cs, ce)
        return mention, after

    def _item_ends(self, k: int, end: int) -> bool:
        """A bounded item stops at K: a phrase to drop or a predicate starts there, or `;`,
        `:`, `.`, or a `,` / `và` before another body or a request word."""
        here = self.best.get(k)
        if here and ("DROP" in here or "PRED" in here):
            return True
        nk = self.norms[k]
        if nk in (";", ":", "."):
            return True
        return nk in (",", "và") and (self.body_at(k + 1, end, after_sep=True) is not None
                                     or self.any_words(k + 1, self.g.request) > 0)

    def shared_head(self, k: int, end: int, requested: bool) -> tuple[list[AgencyMention], int] | None:
        """Bodies that share a head word written once: `các Sở: Xây dựng, Tài chính, Văn hóa,
        Thể thao và Du lịch` -> Sở Xây dựng, Sở Tài chính, Sở Văn hóa, Thể thao và Du lịch."""
        g = self.g
        nk = self.norm(k)  # the first word filters the heads before any is compared whole
        if nk not in g.tail_firsts and "" not in g.tail_firsts:
            return None
        head = next((h for h in g.tail_heads if (not h or h[0] == nk) and self.words_at(k, h)
                     and self.norm(k + len(h)) == ":"), None)
        if head is None:
            return None
        out: list[AgencyMention] = []
        j = k + len(head) + 1
        while j < end:
            n = next((n for n in range(min(g.tail_max, end - j), 0, -1)
                      if (head, tuple(self.norms[j:j + n])) in g.by_tail), 0)
            if not n:
                break
            idx = g.by_tail[(head, tuple(self.norms[j:j + n]))]
            cs, ce = self.starts[j], self.end(j + n - 1)
            out.append(AgencyMention(self.text[cs:ce], g.entries[idx][1], False, True, requested, cs, ce))
            j += n
            if self.norm(j) not in SEPARATORS:
                break
            j += 1
        if not out:
            return None
        last = self.index(out[-1].char_end)
        return out, last

    def _capitalized(self, j: int, end: int) -> int:
        while (j < end and self.cap(j) and not self.nl(j) and self.body_at(j, end) is None
               and not self.at(j, "LEVEL")):
            j += 1
        return j

    def _name_words(self, j: int, end: int) -> int:
        """The name of an unknown body: its capitalized words, and the lower-case words of a
        name in sentence case (`Trung tâm Chuyển đổi số Thành phố`, `Bộ Tư lệnh Thành phố`)
        when a capitalized word or the end of the list follows them."""
        j = self._capitalized(j, end)
        joined = False
        while True:
            x = self._lower_run(j, end)
            if x == j:
                break
            j = self._capitalized(x, end)
            # `Ban Quản lý các khu công nghệ cao và khu công nghiệp`: once, `và` and more
            # lower-case words that are no body of their own
            if not joined and self.norm(j) == "và" and self.body_at(j + 1, end, after_sep=True) is None:
                y = self._lower_run(j + 1, end)
                if y > j + 1 and self.norm(y) != "và":
                    j, joined = self._capitalized(y, end), True
        return j

    def _lower_run(self, j: int, end: int) -> int:
        """The lower-case words of a name in sentence case from J, if a capitalized word or the
        end of the list follows them (else J)."""
        norms = self.norms
        x = j
        while (x < end and x - j < _LOWER_MAX and norms[x].isalpha() and not self.cap(x) and not self.nl(x)
               and norms[x] not in SEPARATORS and not self.at(x, "PRED") and not self.at(x, "LEVEL")
               and not self.at(x, "DROP") and self.body_at(x, end) is None):
            x += 1
        if x > j and (x >= end or (self.cap(x) and not self.nl(x)) or norms[x] in _NAME_END):
            return x
        return j

    def _generic_tail(self, j: int, end: int) -> int:
        """What follows a generic body and belongs to it: `liên quan`, `có thẩm quyền ...`,
        `có nạn nhân bị mua bán`, `của các cơ quan, đơn vị có liên quan`."""
        while True:
            if self.norm(j) == "," and self.at(j + 1, "QUAL"):  # "các sở, ngành, liên quan"
                j += 1
            if self.norm(j) == "có" and self.at(j + 1, "QUAL"):
                j += 1
            q = self.at(j, "QUAL")
            if not q or q[0] > end:
                break
            j = q[0]
        if self.norm(j) == "có" or (j > 0 and self.norm(j - 1) == "quyền"):
            # a relative clause: up to punctuation, a predicate or `và` + another body
            stop = j
            while stop < end and stop - j < _CLAUSE_MAX:
                nk = self.norm(stop)
                if nk in _CLAUSE_STOPS or self.at(stop, "PRED") or self.at(stop, "DROP"):
                    break
                if nk == "và" and (self.body_at(stop + 1, end, after_sep=True)
                                   or self.plural_before(stop + 1)):
                    break
                stop += 1
            if stop - j < _CLAUSE_MAX:
                j = stop
        if self.norm(j) == "của":
            nxt = self.body_at(j + 1, end, after_sep=True)
            if nxt and nxt[0] in ("AG", "GEN"):
                m, after = self._item(j + 1, j + 1, nxt, end, False, False)
                if m is not None:
                    j = self.index(m.char_end)
        return j

    def _after_request(self, k: int) -> int:
        n = self.any_words(k, self.g.request)
        if not n:
            n = self.any_words(k, self.g.order)
        return k + n

    def _levels(self, k: int, end: int) -> int:
        j = k
        last = k
        while j < end:
            m = self.at(j, "LEVEL")
            if not m or m[0] > end:
                break
            j = last = m[0]
            # `tỉnh, xã` joins levels; `tỉnh, Tỉnh đoàn` starts another body
            if (self.norm(j) in _LEVEL_JOIN and self.at(j + 1, "LEVEL")
                    and self.body_at(j + 1, end, after_sep=True) is None):
                j += 1
        return last

    def _place(self, k: int, end: int, *, bare: bool = False) -> int:
        """A place name after a level word: capitalized words on the same line."""
        if k == 0 or (not bare and self.norm(k - 1) not in self._level_words):
            return k
        j = k
        while j < end and j - k < 4:
            if (not self.cap(j) or self.nl(j) or not self.norms[j].isalpha() or self.body_at(j, end)
                    or self.at(j, "LEVEL")):
                break
            j += 1
        return j
