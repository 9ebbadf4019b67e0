"""Role patterns: the clause-level forms that put a body in a role, read over tokens.

The words come from `roles:` in rules/agencies.yaml; RoleWords also holds the label patterns
that role_labels.py reads back from each colon of the agency token stream. Inside a sentence:
- its subject (at the start, after an opening phrase, or at the start of a later sentence when
  a predicate follows it) -> lead;
- `Giao X` -> lead (or the role word after X), `Đề nghị X` -> requested, `phối hợp (với) X`
  -> coordinate, `X chủ trì` / `X (cơ quan chủ trì)` -> lead, `X là cơ quan đầu mối` -> standing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import chain, compress

from ..memo import kept, kept_by_id
from ..rules import Rules
from .agencies import AgencyMention, AgencyText
from .wordseg import fold

_MEMO_MAX = 64  # answers a text's memo keeps (a few per set of role phrases and per word)

_FOREIGN_WINDOW = 30  # characters after a body where its country may be named
_LIST_OVERRUN = 2  # tokens past its END a list read by AgencyText.parse_list may reach
_LABEL_FILLER = 4  # words between a label's role word and its colon (`chủ trì tham mưu thực hiện:`)


def _phrases(words) -> tuple[tuple[str, ...], ...]:
    out = [tuple(fold(str(w)).replace(",", " ,").split()) for w in words or []]
    return tuple(sorted(out, key=len, reverse=True))


class RoleWords:
    """The role words of rules/agencies.yaml as token tuples, and the label patterns."""

    def __init__(self, rules: Rules):
        data = rules["agencies"]
        roles = data.get("roles") or {}
        self.lead = _phrases(roles.get("lead"))
        self.coordinate = _phrases(roles.get("coordinate"))
        self.standing = _phrases(roles.get("standing"))
        self.standing_after = _phrases(roles.get("standing_after"))
        self.standing_named = _phrases(roles.get("standing_named"))
        self.report_to = _phrases(roles.get("report_to"))
        self.collect = _phrases(roles.get("report_collect"))
        self.via = _phrases(roles.get("report_via"))
        self.closing_marks = tuple(str(w) for w in roles.get("closing_marks") or [])
        self.conditions = _phrases(roles.get("conditions"))
        self.report_verbs = _phrases(roles.get("report_verbs"))
        self.openers = _phrases(roles.get("openers"))
        self.not_order = frozenset(fold(w) for w in roles.get("not_order_before") or [])
        self.foreign = tuple(fold(w) for w in (roles.get("foreign") or []))
        self.request = _phrases(data.get("request_words"))
        self.members = _phrases(roles.get("members"))
        self.order = _phrases(data.get("order_words"))
        # the sets asked together, joined once here rather than at each span asked about
        self.order_request = (*self.order, *self.request)
        self.request_order = (*self.request, *self.order)
        self.lead_coordinate = (*self.lead, *self.coordinate)
        # the first word of every phrase: find_words looks for them once per text
        self.firsts = frozenset(p[0] for ps in (
            self.lead, self.coordinate, self.standing, self.standing_after, self.standing_named,
            self.report_to, self.collect, self.via, self.conditions, self.report_verbs, self.openers,
            self.request, self.members, self.order) for p in ps)
        heads = [()] + list(_phrases(roles.get("label_heads")))
        # `(cơ quan chủ trì)` after a body: the words that may stand before the role word
        self.paren_words = frozenset(w for h in heads for w in h) | frozenset(
            fold(w) for w in roles.get("paren_words") or [])
        # the words role_after steps over between a list and its role word
        self.role_gap = frozenset([",", "("]) | self.paren_words
        # `..., do X chủ trì`: where a body that a role word follows may start inside a sentence
        self.clause_openers = frozenset([",", ";", "("]) | frozenset(
            fold(w) for w in roles.get("clause_openers") or [])
        # the words whose places are found in one pass over a text (_indexed_words): these
        # first words, and the stops and colons clauses and labels end at
        self.indexed = self.firsts | {".", ":"}
        # (the same as a dict: its __contains__, mapped over a text's words, runs in ~2/3 of a
        # frozenset's)
        self.indexed_keys = dict.fromkeys(self.indexed, True)
        # the same patterns as token tuples, by their last word: role_labels reads them back
        # from each colon, so only the few colons of a text are looked at
        self.label_ends: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for kind in ("lead", "coordinate", "any", "head"):
            for w in _phrases(roles.get("label_" + kind)):
                for h in heads:
                    p = (*h, *w)
                    if p:
                        self.label_ends.setdefault(p[-1], []).append((p, kind))
        self.label_filler = _LABEL_FILLER
        # the role a label gives: `Trách nhiệm:` and `Cơ quan thực hiện:` name the leads
        self.label_role = {"lead": "lead", "coordinate": "coordinate", "any": "lead", "head": "lead"}


def role_words(rules: Rules) -> RoleWords:
    return rules.compiled("assignments.role_words", RoleWords)


# --- clauses --------------------------------------------------------------------------


def find_words(ax: AgencyText, k: int, end: int, options) -> list[tuple[int, int]]:
    """Positions in [k, end) where one of OPTIONS (token tuples) stands: (start, after), as
    a list (asked ~200 times a plan, mostly of spans holding none: no generator for each)."""
    if not options:
        return []
    starts, afters = _places(ax, options)
    k = max(k, 0)
    first = bisect_left(starts, k)
    if first == len(starts) or starts[first] >= end:
        return []
    out = []
    after = k  # a match is not looked for inside the one before it
    for i in range(first, len(starts)):
        j = starts[i]
        if j >= end:
            break
        if j >= after and afters[i] <= end:
            out.append((j, afters[i]))
            after = afters[i]
    return out


def _places(ax: AgencyText, options) -> tuple[list[int], list[int]]:
    """Where one of OPTIONS stands in the whole text, as (starts, afters) in text order: found
    once per text and OPTIONS (the spans asked about, every task and section, cover the text
    more than twice), and only where the first word of a role phrase stands (_first_words)."""

    def find() -> tuple[list[int], list[int]]:
        firsts = {w[0] for w in options}
        if firsts <= role_words(ax.rules).firsts:
            at = _indexed_words(ax)
            cands = sorted(chain.from_iterable(at.get(w, ()) for w in firsts))
        else:  # (words that are no role word's: looked for on their own)
            cands = compress(range(ax.n), map(firsts.__contains__, ax.norms))
        # ax.any_words at each place, inline: the options that open with its word, in order
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for w in options:
            by_first.setdefault(w[0], []).append(w)
        norms = ax.norms
        starts: list[int] = []
        afters: list[int] = []
        for j in cands:
            for w in by_first[norms[j]]:
                n = len(w)
                if n == 1 or tuple(norms[j:j + n]) == w:
                    starts.append(j)
                    afters.append(j + n)
                    break
        return starts, afters

    # kept by the identity of OPTIONS (RoleWords' tuples, asked ~250 times a plan): hashing
    # the tuple of phrases for each ask cost more than the lookup
    return kept_by_id(ax.memo, options, _MEMO_MAX, find)


def _indexed_words(ax: AgencyText) -> dict[str, list[int]]:
    """Where each word of RoleWords.indexed stands in the text (the first words of role
    phrases, clause openers, stops and colons), in one pass for them all: each pass over a
    plan's ~5,000 words costs as much as the few hundred places it finds."""

    def find() -> dict[str, list[int]]:
        at: dict[str, list[int]] = {}
        norms = ax.norms
        for j in compress(range(ax.n), map(role_words(ax.rules).indexed_keys.__contains__, norms)):
            w = norms[j]
            got = at.get(w)
            if got is None:
                at[w] = [j]
            else:
                got.append(j)
        return at

    return kept(ax.memo, "indexed words", _MEMO_MAX, find)


def role_after(ax: AgencyText, j: int, words: RoleWords) -> str | None:
    """The role word right after a list: `chủ trì`, `(cơ quan chủ trì)`, `là cơ quan đầu mối`."""
    k = j
    while ax.norm(k) == ",":
        k += 1
    paren = ax.norm(k) == "("
    if paren:
        k += 1
        while k < ax.n and ax.norm(k) in words.paren_words:
            k += 1
    if ax.any_words(k, words.standing_after) or (paren and ax.any_words(k, words.standing)):
        return "standing"
    if ax.any_words(k, words.lead):
        return "lead"
    if paren and ax.any_words(k, words.coordinate):
        return "coordinate"
    return None


def foreign(ax: AgencyText, m: AgencyMention, words: RoleWords) -> bool:
    """A body of another country (`lực lượng chức năng tỉnh X (Campuchia)`): no row."""
    after = fold(ax.text[m.char_end:m.char_end + _FOREIGN_WINDOW])
    return any(f in after for f in words.foreign)


def _subject_starts(ax: AgencyText, start: int, ke: int, words: RoleWords) -> list[int]:
    """Where the subject of a sentence may stand: at START, or after an opening phrase's comma."""
    if not ax.any_words(start, words.openers):
        return [start]
    cands = []
    j = start + 1
    while j < ke and ax.norm(j) not in (".", ";", ":") and not ax.at(j, "PRED"):
        if ax.norm(j) == "," and ax.body_at(j + 1, ke) is not None:
            cands.append(j + 1)
        j += 1
    return cands


def _members(ax: AgencyText, j: int, ke: int, words: RoleWords) -> list[AgencyMention]:
    """The bodies a generic body is made of, in parentheses after it in its clause:
    `Các cơ quan tham mưu quản lý ngành (gồm các Sở: ...)`."""
    while j < ke and ax.norm(j) not in ("(", ".", ";"):
        j += 1
    n = ax.any_words(j + 1, words.members) if ax.norm(j) == "(" else 0
    if not n:
        return []
    k = j + 1 + n
    while ax.norm(k) == ":":
        k += 1
    close = next((x for x in range(k, ke) if ax.norm(x) == ")"), ke)
    return ax.parse_list(k, close, bounded=False)[0]


def within(places: list[int], start: int, stop: int) -> list[int]:
    """The positions of PLACES (in order) in [start, stop)."""
    return places[bisect_left(places, start):bisect_left(places, stop)]


def word_places(ax: AgencyText, word: str) -> list[int]:
    """The positions of WORD in the whole text: found once per text (by list.index, at C
    speed; a word of RoleWords.indexed from the one pass for them all), read for each span
    by `within`."""
    if word in role_words(ax.rules).indexed:
        return _indexed_words(ax).get(word, [])

    def find() -> list[int]:
        at: list[int] = []
        norms = ax.norms
        j = 0
        while True:
            try:
                j = norms.index(word, j)
            except ValueError:
                return at
            at.append(j)
            j += 1

    return kept(ax.memo, ("at", word), _MEMO_MAX, find)


def _opener_bodies(ax: AgencyText, words: RoleWords) -> list[int]:
    """The positions after a clause opener (`,`, `(`, `do`, ...) where a gazetteer phrase
    starts, in the whole text (kept per text): where `..., X chủ trì` may begin inside a
    sentence. body_at is None wherever no phrase starts, so the others are not asked about."""
    openers = words.clause_openers

    def find() -> list[int]:
        # the places where a phrase starts (a few hundred), each with the word before it
        norms = ax.norms
        return sorted(k for k in ax.best if (norms[k - 1] in openers if k else "" in openers))

    return kept(ax.memo, ("opener bodies", openers), _MEMO_MAX, find)


def _role_may_follow(ax: AgencyText, roles_at: list[int], k: int, ke: int, words: RoleWords) -> bool:
    """Whether a list read from K (up to KE) may be followed by a lead or coordinate role word
    (role_after): one stands after K, and no word but role_after's commas, `(` and paren words
    lies between it and where such a list can end (at most KE + 2: a generic body's tail
    steps over `,` / `có` before a qualifier). Most bodies after a comma are followed by none:
    their lists, the costly part, are then not read."""
    i = bisect_right(roles_at, k)
    if i == len(roles_at):
        return False
    p = roles_at[i]
    # (a later role word has this one, no gap word, between it and the list)
    return p <= ke + _LIST_OVERRUN or all(ax.norm(x) in words.role_gap for x in range(ke + _LIST_OVERRUN, p))


def _clause_places(ax: AgencyText, words: RoleWords) -> tuple[list[int], list[int], list[int]]:
    """The places read_clauses reads for every span (full stops, bodies after a clause opener,
    lead and coordinate words), kept together per text: one look-up for each of a plan's ~60
    spans, not three memo look-ups with their keys."""
    got = ax.memo.get("clause places")
    if got is None or got[0] is not words:
        places = (words, word_places(ax, "."), _opener_bodies(ax, words),
                  _places(ax, words.lead_coordinate)[0])
        got = kept(ax.memo, "clause places", _MEMO_MAX, lambda: places)
        if got[0] is not words:  # (another RoleWords' places: this one's replace them)
            got = ax.memo["clause places"] = places
    return got[1], got[2], got[3]


def read_clauses(ax: AgencyText, ks: int, ke: int, words: RoleWords
                 ) -> tuple[list[tuple[AgencyMention, str]], list[AgencyMention]]:
    """Roles named in the sentences of one task or intro: [(mention, role)], and the subject."""
    out: list[tuple[AgencyMention, str]] = []
    subject: list[AgencyMention] = []
    taken: set[int] = set()
    inside: set[int] = set()  # stream positions inside a body already read

    def put(ms, role):
        for m in ms:
            if m.char_start not in taken and not foreign(ax, m, words):
                taken.add(m.char_start)
                inside.update(range(ax.index(m.char_start), ax.index(m.char_end)))
                out.append((m, role))

    k = ks
    while k < ke and ax.norm(k) in ("-", "+", ".", ")", ":"):
        k += 1
    start = k
    # the first sentence's subject: after an opening phrase, the list its predicate follows
    # (`Trên cơ sở đề xuất của các sở, ngành, Sở Tài chính phối hợp ...` -> Sở Tài chính)
    lists = []
    for c in _subject_starts(ax, start, ke, words):
        mentions, j, _ = ax.parse_list(c, ke, bounded=False)
        if mentions:
            lists.append((mentions, j))
    if lists:
        mentions, j = next((x for x in lists if ax.at(x[1], "PRED") or role_after(ax, x[1], words)), lists[0])
        members = _members(ax, j, ke, words)
        if members and all(m.generic for m in mentions):
            mentions = members  # `Các cơ quan tham mưu (gồm các Sở: Xây dựng, Tài chính)`
        subject = mentions
        role = role_after(ax, j, words)
        put(mentions, "coordinate" if role == "coordinate" else "lead")
    stops, opener_bodies, roles_at = _clause_places(ax, words)
    # later sentences: a subject followed by a role word or a predicate
    for k in [j + 1 for j in within(stops, start, ke - 1)]:  # after a full stop
        if ax.norm(k) in (".", ",") or k in inside:
            continue
        mentions, j, _ = ax.parse_list(k, ke, bounded=False)
        if mentions and not mentions[0].requested and (role_after(ax, j, words) or ax.at(j, "PRED")):
            role = role_after(ax, j, words)
            put(mentions, "coordinate" if role == "coordinate" else "lead")
            subject = subject or mentions
    # `Giao X (chủ trì / phối hợp)`, `Đề nghị X` opening a clause (not `..., đề nghị cơ quan
    # chức năng xác minh`: a body of the plan asking another, nor `được giao`)
    for k, _ in find_words(ax, start, ke, words.order_request):
        if k > start and (ax.norm(k - 1) not in (".", ";", ":", "(") or ax.norm(k - 1) in words.not_order):
            continue
        mentions, j, _ = ax.parse_list(k, ke, bounded=False)
        if not mentions:
            continue
        role = role_after(ax, j, words)
        put(mentions, "coordinate" if role == "coordinate" else "lead")
    # `X chủ trì`, `X (cơ quan chủ trì)` inside a sentence
    for k in within(opener_bodies, start, ke):
        # (the role word looked for first: a bisection, where body_at reads the phrases at K)
        if k in inside or not _role_may_follow(ax, roles_at, k, ke, words) or ax.body_at(k, ke) is None:
            continue
        mentions, j, _ = ax.parse_list(k, ke, bounded=False)
        role = role_after(ax, j, words) if mentions else None
        if role in ("lead", "coordinate"):
            put(mentions, role)
    # `phối hợp (với) X` anywhere
    for _, after in find_words(ax, start, ke, words.coordinate):
        mentions, _, _ = ax.parse_list(after, ke, bounded=False)
        put([m for m in mentions if not any(m.char_start == s.char_start for s in subject)], "coordinate")
    return out, subject


def standing_in(ax: AgencyText, ks: int, ke: int, words: RoleWords,
                found: list[tuple[AgencyMention, str]], heading: list[AgencyMention]) -> list[AgencyMention]:
    """The bodies a sentence makes the standing body / focal point: the one before the word
    (`Sở Tư pháp là cơ quan đầu mối`), else the ones after it (`qua đầu mối Sở Công Thương`), or
    the body the item is listed under."""
    for k, after in find_words(ax, ks, ke, words.standing):
        pos = ax.starts[k]
        before = [m for m, _ in found if m.char_end <= pos]
        if before:
            return [before[-1]]
        # `qua đầu mối X`; but `cơ quan thường trực Ban Chỉ đạo` is the standing body OF it
        if ax.any_words(k, words.standing_named):
            named, _, _ = ax.parse_list(after, ke, bounded=False)
            if named:
                return named
        if heading:
            return heading[:1]
    return []


def report_collector(ax: AgencyText, ks: int, ke: int, words: RoleWords, window: int) -> AgencyMention | None:
    """`gửi / báo cáo ... về X (...) để tổng hợp` -> X."""
    for _, after in find_words(ax, ks, ke, words.report_to):
        mentions, j, _ = ax.parse_list(after, ke, bounded=False)
        if not mentions:
            continue
        for c, _ in find_words(ax, j, min(ke, j + window), words.collect):
            if not any(ax.norm(x) == ";" for x in range(j, c)):
                return mentions[0]
            break
    return None


def report_via(ax: AgencyText, ks: int, ke: int, words: RoleWords, window: int) -> AgencyMention | None:
    """`báo cáo UBND tỉnh (qua Sở Tư pháp)` -> Sở Tư pháp: reports reach the issuer through it."""
    for k, after in find_words(ax, ks, ke, words.via):
        if ax.norm(k - 1) != "(":
            continue
        if not any(True for _ in find_words(ax, max(ks, k - window), k, words.report_verbs)):
            continue
        mentions, _, _ = ax.parse_list(after, ke, bounded=False)
        if mentions:
            return mentions[0]
    return None
