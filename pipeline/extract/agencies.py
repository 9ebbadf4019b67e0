"""Agencies: find the bodies a plan names and give each its canonical name.

The gazetteer is `rules/agencies.yaml`. The text is cut into tokens (words and punctuation,
abbreviations such as `UBND` expanded in place, plural words `các` / `những` and dashes left
out of the stream that is matched), and spaCy's PhraseMatcher, run on a blank Vietnamese
pipeline over those tokens, finds gazetteer names, generic bodies, vague actors, level words
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

import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from typing import NamedTuple

from ..rules import Rules
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


class Tok(NamedTuple):
    """One token (a tuple: a document makes thousands and a frozen dataclass is slow to build)."""

    norm: str  # folded form used for matching
    text: str  # as rendered in a canonical name (an abbreviation gives its expansion)
    start: int
    end: int
    cap: bool  # written with a capital letter
    nl: bool  # a line break stands before it


# --- compiled gazetteer -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+|[&/;,:.()\-‐-―−–—\"“”'!?…]", re.UNICODE)
_WORD_SPLIT = re.compile("(" + _WORD.pattern + ")", re.UNICODE)
_DASHES = set("-‐‑‒–—―−")
SEPARATORS = {",", ";", "và", "/"}
_LEVEL_JOIN = {",", "và", "/"}
_CLAUSE_MAX = 10  # words of a relative clause kept in a generic body's name
_CLAUSE_STOPS = {",", ";", ".", ":", "(", ")", "của", "theo", "để", "nhằm", "tại", "khi", "trong"}


@dataclass
class Gazetteer:
    nlp: object
    matcher: object
    entries: list[tuple[str, str, str]]  # (kind, canonical name, level)
    abbrev: dict[tuple[str, ...], tuple[str, ...]]
    abbrev_max: int
    plural: frozenset[str]
    weak: frozenset[str]
    request: tuple[tuple[str, ...], ...]
    order: tuple[tuple[str, ...], ...]
    fixed_words: tuple[str, ...]
    level_words: frozenset[str] = frozenset()
    abbrev_first: frozenset[str] = frozenset()


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def _build(rules: Rules) -> Gazetteer:
    import spacy
    from spacy.matcher import PhraseMatcher

    data = rules["agencies"]
    # the stock Vietnamese tokenizer wants pyvi; tokens are made here, so the plain one will do
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    abbrev: dict[tuple[str, ...], tuple[str, ...]] = {}
    for short, full in (data.get("abbreviations") or {}).items():
        abbrev[tuple(t for t, _, _ in _raw_tokens(str(short)))] = tuple(str(full).split())
    g = Gazetteer(
        nlp=nlp, matcher=PhraseMatcher(nlp.vocab), entries=[], abbrev=abbrev,
        abbrev_max=max((len(k) for k in abbrev), default=1), abbrev_first=frozenset(k[0] for k in abbrev),
        plural=frozenset(fold(w) for w in data.get("plural_words") or ["các", "những"]),
        weak=frozenset(fold(w) for w in (data.get("generic") or {}).get("weak") or []),
        request=tuple(tuple(fold(w).split()) for w in data.get("request_words") or ["đề nghị"]),
        order=tuple(tuple(fold(w).split()) for w in data.get("order_words") or ["giao"]),
        fixed_words=(),
    )
    generic = data.get("generic") or {}
    groups: list[tuple[str, str, str, list[str]]] = []
    for e in data.get("agencies") or []:
        groups.append(("AG", e["name"], e.get("level", "unknown"), [e["name"], *(e.get("aliases") or [])]))
    for c in generic.get("compounds") or []:
        # also written without the commas: "các cơ quan đơn vị"
        groups.append(("GEN", c, "generic", [c, c.replace(",", "")]))
    for h in generic.get("heads") or []:
        groups.append(("GEN", h, "generic", [h]))
    for q in generic.get("qualifiers") or []:
        groups.append(("QUAL", q, "", [q]))
    for v in data.get("vague_actors") or []:
        groups.append(("VAGUE", v, "", [v]))
    for d in data.get("drop_suffixes") or []:
        groups.append(("DROP", d, "", [d]))
    for lv in data.get("levels") or []:
        groups.append(("LEVEL", lv, "", [lv]))
    for h in data.get("heads") or []:
        groups.append(("HEAD", h, "", [h]))
    for h in (data.get("roles") or {}).get("predicates") or []:
        groups.append(("PRED", h, "", [h]))
    fixed = []
    for kind, name, level, phrases in groups:
        idx = len(g.entries)
        g.entries.append((kind, name, level))
        docs = []
        seen = set()
        for p in phrases:
            norms = tuple(t.norm for t in _stream(tokenize(str(p), g), g))
            if norms and norms not in seen:
                seen.add(norms)
                docs.append(_doc(nlp, norms))
        if docs:
            g.matcher.add(str(idx), docs)
        if kind == "AG":
            fixed.append(name)
    g.fixed_words = tuple(fixed)
    g.level_words = frozenset(fold(w).split()[-1] for w in data.get("levels") or [])
    return g


def _doc(nlp, norms: Sequence[str]):
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=list(norms), spaces=[True] * len(norms))


def gazetteer(rules: Rules) -> Gazetteer:
    return rules.compiled("agencies.gazetteer", _build)


# --- tokens -----------------------------------------------------------------------------


def tokenize(text: str, g: Gazetteer) -> list[Tok]:
    """Words and punctuation of TEXT, abbreviations expanded in place."""
    # one split gives gaps and words alternately; their lengths give every offset, so the
    # tokens are built by C-level maps instead of a Python loop over thousands of matches
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    n = len(words)
    if not n:
        return []
    pos = list(accumulate(map(len, parts)))
    starts = pos[0::2]
    ends = pos[1::2]
    nls = [False]  # a line break stands in the gap before the word (none before the first)
    nls += ["\n" in gap for gap in parts[2 : 2 * n : 2]]
    caps = [w[0].isupper() for w in words]
    new = tuple.__new__  # Tok(...) without the Python-level __new__ of a named tuple
    # (STARTS has one more entry, the end of the text: zip stops at the words)
    fields = zip(map(_norm, words), words, starts, ends, caps, nls, strict=False)
    out = list(map(new, repeat(Tok), fields))
    first = g.abbrev_first
    if first.isdisjoint(words):
        return out
    # abbreviations: rebuild the list around each one, left to right
    abbrev = g.abbrev
    find = text.find
    res: list[Tok] = []
    prev_end = -1  # end of the last token out (-1: none yet)
    last = 0  # raw words before LAST are done

    def copy(a: int, b: int) -> None:
        nonlocal prev_end
        if a >= b:
            return
        t = out[a]
        # after an abbreviation that expands to nothing the line break is looked for further back
        nl = prev_end >= 0 and find("\n", prev_end, t.start) >= 0
        res.append(t if nl == t.nl else t._replace(nl=nl))
        res.extend(out[a + 1 : b])
        prev_end = ends[b - 1]

    for i in compress(range(n), map(first.__contains__, words)):  # the words that may open one
        if i < last:
            continue
        for k in range(min(g.abbrev_max, n - i), 0, -1):
            key = tuple(words[i : i + k])
            # an abbreviation is one unit: no space inside a multi-token key (CT-XH, GD&ĐT)
            if key in abbrev and all(ends[j] == starts[j + 1] for j in range(i, i + k - 1)):
                break
        else:
            continue
        copy(last, i)
        s, e = starts[i], ends[i + k - 1]
        nl = prev_end >= 0 and find("\n", prev_end, s) >= 0
        for x in abbrev[key]:
            res.append(new(Tok, (_norm(x), x, s, e, x[:1].isupper(), nl)))
            nl = False
            prev_end = e
        last = i + k
    copy(last, n)
    return res


@lru_cache(maxsize=65536)
def _norm(t: str) -> str:
    if t == "&":
        return "và"
    if t in _DASHES:
        return "-"
    return fold(t)


def _stream(toks: Sequence[Tok], g: Gazetteer) -> list[Tok]:
    """The tokens that are matched: without plural words and dashes."""
    return [t for t in toks if t.norm not in g.plural and t.norm != "-"]


# --- the text index ---------------------------------------------------------------------

_INDEX_CACHE = 16  # texts whose token index is kept (a plan's text is asked for several times)


def _index(text: str, rules: Rules, g: Gazetteer):
    """(tokens, full index of each stream token, stream, stream starts, matches by position)."""
    cache: OrderedDict = rules.compiled("agencies.index", lambda _r: OrderedDict())
    hit = cache.get(text)
    if hit is not None:
        cache.move_to_end(text)
        return hit
    toks = tokenize(text, g)
    # the stream, and the full-token index of each of its tokens (to look back at `các`)
    left_out = g.plural | {"-"}
    norms = [t.norm for t in toks]
    full = [i for i, n in enumerate(norms) if n not in left_out]
    s = list(map(toks.__getitem__, full))
    starts = [t.start for t in s]
    # best[k][kind] = (end, entry) of the longest match of KIND at stream position k
    best: dict[int, dict[str, tuple[int, int]]] = {}
    if s:
        doc = _doc(g.nlp, list(map(norms.__getitem__, full)))
        strings = g.nlp.vocab.strings
        entries = g.entries
        for key, a, b in g.matcher(doc):
            idx = int(strings[key])
            kind = entries[idx][0]
            at = best.get(a)
            if at is None:
                at = best[a] = {}
            cur = at.get(kind)
            if cur is None or b > cur[0]:
                at[kind] = (b, idx)
    out = (toks, full, s, starts, best)
    cache[text] = out
    if len(cache) > _INDEX_CACHE:
        cache.popitem(last=False)
    return out


class AgencyText:
    """A text's token stream with every gazetteer match, built once per text."""

    def __init__(self, text: str, rules: Rules, own_place: str | None = None):
        self.text = text
        self.g = g = gazetteer(rules)
        # tokens and matches do not depend on the place name: shared by every AgencyText of TEXT
        self.toks, self.full, self.s, self.starts, self.best = _index(text, rules, g)
        self.own = fold(own_place).split() if own_place else None
        self._level_words = g.level_words

    # -- helpers on stream positions --
    def norm(self, k: int) -> str:
        return self.s[k].norm if 0 <= k < len(self.s) else ""

    def at(self, k: int, kind: str) -> tuple[int, int] | None:
        b = self.best.get(k)
        return b.get(kind) if b else None

    def words_at(self, k: int, words: tuple[str, ...]) -> bool:
        return all(self.norm(k + j) == w for j, w in enumerate(words))

    def any_words(self, k: int, options: Sequence[tuple[str, ...]]) -> int:
        first = self.norm(k)
        for w in options:
            if w[0] != first:
                continue
            if self.words_at(k, w):
                return len(w)
        return 0

    def index(self, char_pos: int) -> int:
        """First stream position at or after CHAR_POS."""
        import bisect

        return bisect.bisect_left(self.starts, char_pos)

    def plural_before(self, k: int) -> bool:
        f = self.full[k]
        return f > 0 and self.toks[f - 1].norm in self.g.plural

    def body_at(self, k: int, end: int, *, after_sep: bool = False) -> tuple[str, int, int] | None:
        """The body (or vague actor) that starts at K: (kind, end, entry) or None."""
        if k >= end:
            return None
        cands = []
        for kind in ("AG", "VAGUE", "GEN"):
            m = self.at(k, kind)
            if m and m[0] <= end:
                cands.append((m[0], {"AG": 2, "VAGUE": 1, "GEN": 0}[kind], kind, m[1]))
        if cands:
            b, _, kind, idx = max(cands)
            if kind == "GEN" and " ".join(t.norm for t in self.s[k:b]) in self.g.weak:
                # `tổ chức` is also a verb: a body only after các / với / a comma
                prev = self.full[k] - 1
                pn = self.toks[prev].norm if prev >= 0 else ""
                if not (self.plural_before(k) or after_sep or pn in ("với", ",", ";", "và", ":")):
                    return None
            return (kind, b, idx)
        m = self.at(k, "HEAD")
        # an unknown body is a head word and a name: `Báo Lạng Sơn`, not `Báo cáo`
        if m and m[0] < end and self.s[k].cap and self.s[m[0]].cap and not self.s[m[0]].nl:
            return ("HEAD", m[0], m[1])
        return None

    # -- reading a list of bodies --
    def parse_list(self, k: int, end: int, *, bounded: bool, requested: bool = False
                   ) -> tuple[list[AgencyMention], int, bool]:
        """Read the bodies listed from stream position K (up to END).

        bounded: the span is known to be a list (a `Cơ quan chủ trì:` line, an agency
        heading): what is not recognized is kept as an unknown body up to the next separator.
        Otherwise reading stops at the first word that cannot start or continue a body.
        `Đề nghị` makes the body after it and every later body of the list `requested`.
        Returns the mentions, the position reached and whether every item was recognized.
        """
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
            n = self.any_words(k, self.g.request)
            if n:
                requested = True
            elif first:
                n = self.any_words(k, self.g.order)
            k += n
            body = self.body_at(k, end, after_sep=not first or n > 0)
            if body is None and not bounded:
                k = sep_k
                break
            if body is not None and body[0] == "VAGUE":
                k = body[1]
                first = False
                if not self._continues(k, end, bounded):
                    break
                continue
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
        s = self.s
        kind = canon = level = None
        levels: list[Tok] = []
        place: list[Tok] = []
        own = extended = False
        j = name_end = k
        if body is not None:
            kind, j, idx = body
            _, canon, level = self.g.entries[idx]
            if kind == "HEAD":  # a body not in the gazetteer: its capitalized words
                while j < end and s[j].cap and not s[j].nl and self.body_at(j, end) is None:
                    j += 1
            if kind == "GEN":
                j = self._generic_tail(j, end)
            name_end = j
            lv = self._levels(j, end)
            levels = s[j:lv]
            pl = self._place(lv, end)
            place = s[lv:pl]
            own = bool(place) and self.own is not None and [t.norm for t in place] == self.own
            j = pl
        if bounded:  # the rest up to the next separator belongs to this body
            stop = j
            while stop < end and not self.at(stop, "DROP") and not self.at(stop, "PRED"):
                nk = self.norm(stop)
                if nk in (";", ":", "."):
                    break
                if nk in (",", "và") and (self.body_at(stop + 1, end, after_sep=True) is not None
                                         or self.any_words(stop + 1, self.g.request)):
                    break
                stop += 1
            if stop > j:
                extended = True
                j = stop
        if j <= k:
            return None, max(j, raw_k + 1)
        if extended or kind in (None, "HEAD"):
            toks = s[k:j]
            if own and not extended:
                toks = toks[: len(toks) - len(place)]
            agency = _render(toks)
        elif kind == "GEN":
            agency = _render(s[k:name_end] + levels + ([] if own else place))
        else:
            agency = canon
            if level == "multi" and levels:
                agency += " " + _render(levels).lower()
            if level == "multi" and place and not own:
                agency += " " + _render(place)
        known = kind in ("AG", "GEN") and not (extended and kind == "AG")
        generic = kind == "GEN"
        after = j
        drop = self.at(j, "DROP")
        if drop and drop[0] <= end:
            after = drop[0]
        cs = s[raw_k].start
        if raw_k == k and self.plural_before(k):
            cs = self.toks[self.full[k] - 1].start
        ce = s[j - 1].end
        mention = AgencyMention(self.text[cs:ce], _tidy(agency), generic, known, requested, cs, ce)
        return mention, after

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

    def _place(self, k: int, end: int) -> int:
        """A place name after a level word: capitalized words on the same line."""
        if k == 0 or self.norm(k - 1) not in self._level_words:
            return k
        j = k
        while j < end and j - k < 4:
            t = self.s[j]
            if not t.cap or t.nl or not t.norm.isalpha() or self.body_at(j, end) or self.at(j, "LEVEL"):
                break
            j += 1
        return j


def _render(toks: Sequence[Tok]) -> str:
    out = ""
    for t in toks:
        w = t.text
        if w in _DASHES:
            w = "-"
        if not out:
            out = w
        elif w in (",", ";", ".", ":", ")"):
            out += w
        elif out.endswith("("):
            out += w
        else:
            out += " " + w
    return out


_LIEN_QUAN = re.compile(r"\bcó liên quan\b")


def _tidy(name: str) -> str:
    from .wordseg import retone

    name = retone(name)
    name = re.sub(r"\s*[‐-―−–—-]\s*", " - ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:.")
    name = _LIEN_QUAN.sub("liên quan", name)
    return name[:1].upper() + name[1:]


# --- public API -------------------------------------------------------------------------


def agency_text(text: str, rules: Rules, own_place: str | None = None) -> AgencyText:
    """The token index of TEXT, kept on the Rules object for the few texts used last."""
    cache: dict = rules.compiled("agencies.texts", lambda _r: {})
    key = (hash(text), len(text), own_place)
    ax = cache.get(key)
    if ax is None or ax.text != text:
        if len(cache) > 32:
            cache.clear()
        ax = cache[key] = AgencyText(text, rules, own_place)
    return ax


def find_agencies(text: str, *, rules: Rules, own_place: str | None = None) -> Iterator[AgencyMention]:
    """Every body named in TEXT, vague actors left out, in order."""
    ax = agency_text(text, rules, own_place)
    k = 0
    n = len(ax.s)
    while k < n:
        body = ax.body_at(k, n)
        if body is None or body[0] == "VAGUE":
            k = body[1] if body else k + 1
            continue
        mentions, j, _ = ax.parse_list(k, n, bounded=False)
        if not mentions:
            k += 1
            continue
        yield from mentions
        k = max(j, k + 1)


def canonical_agency(raw: str, *, rules: Rules, own_place: str | None = None) -> str:
    """The canonical name of one body as written (request word and duty phrase dropped)."""
    ax = AgencyText(raw, rules, own_place)
    mentions, _, _ = ax.parse_list(0, len(ax.s), bounded=True)
    if mentions:
        return mentions[0].agency
    return _tidy(raw)


def split_agencies(raw: str, *, rules: Rules, own_place: str | None = None) -> list[AgencyMention]:
    """The bodies of a list as written (`Công an xã; phòng Văn hóa - Xã hội; các thôn`)."""
    ax = AgencyText(raw, rules, own_place)
    return ax.parse_list(0, len(ax.s), bounded=True)[0]


def is_known_agency(name: str, rules: Rules) -> bool:
    """True when NAME is a gazetteer body or a generic one (else: flag UNKNOWN_AGENCY)."""
    ax = AgencyText(name, rules)
    if not ax.s:
        return False
    mentions, k, _ = ax.parse_list(0, len(ax.s), bounded=False)
    return bool(mentions) and all(m.known for m in mentions) and k >= len(ax.s)


def agency_fixed_words(rules: Rules) -> tuple[str, ...]:
    """Gazetteer names, for the word segmenter to keep whole."""
    return gazetteer(rules).fixed_words
