"""Agencies, first step: the gazetteer of rules/agencies.yaml compiled, and the token stream.

The text is cut into tokens (words and punctuation, abbreviations such as `UBND` expanded in
place); plural words `các` / `những` and dashes are left out of the stream that is matched.
A word trie over the folded phrases (the gazetteer compiled once per Rules) finds, at each
position of that stream, gazetteer names, generic bodies, vague actors, level words and the
phrases to drop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress
from typing import NamedTuple

from ..rules import Rules
from .wordseg import fold


class Tok(NamedTuple):
    """One token, as `tokenize` gives it (the text index keeps its tokens as `Tokens` columns)."""

    norm: str  # folded form used for matching
    text: str  # as rendered in a canonical name (an abbreviation gives its expansion)
    start: int
    end: int
    cap: bool  # written with a capital letter
    nl: bool  # a line break stands before it


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's tokens as columns, one list per field: a plan has thousands of tokens, and a
    tuple for each cost more to build than the rest of the index. Whether a token is
    capitalized, and whether a line break stands before it, are read off on demand (`cap`,
    `nl`): a reader asks about a few hundred of them."""

    norms: list[str]  # folded form used for matching
    texts: list[str]  # as rendered in a canonical name (an abbreviation gives its expansion)
    starts: list[int]
    ends: list[int]  # (the words of an expanded abbreviation all have its offsets)

    def cap(self, i: int) -> bool:
        """Token I is written with a capital letter (a token is never empty)."""
        return self.texts[i][0].isupper()

    def nl(self, i: int, text: str) -> bool:
        """A line break stands between token I and the token before it in TEXT (none before
        the first; an abbreviation that expands to nothing leaves its line break to the next)."""
        return i > 0 and text.find("\n", self.ends[i - 1], self.starts[i]) >= 0


# --- compiled gazetteer -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+|[&/;,:.()\-‐-―−–—\"“”'!?…]", re.UNICODE)
_WORD_SPLIT = re.compile("(" + _WORD.pattern + ")", re.UNICODE)
# the same split where no `_` stands (\w and [^\W_] then agree): a plain class scans faster
_WORD_SPLIT_NO_UNDERSCORE = re.compile("(" + _WORD.pattern.replace(r"[^\W_]+", r"\w+", 1) + ")", re.UNICODE)
DASHES = set("-‐‑‒–—―−")
_NORMS_MAX = 65536  # folded words a gazetteer keeps (emptied when it holds more)


class _Norms(dict):
    """Folded forms by word as written (norm_word's answers): a plain dict read by C-level
    map, half the cost of calling norm_word's lru_cache for each of a plan's ~5,500 words."""

    def __missing__(self, word: str) -> str:
        self[word] = got = norm_word(word)
        return got

@dataclass
class Gazetteer:
    # phrase trie: word -> child node; a node's None key holds the entries ending there
    trie: dict
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
    # `các Sở: Xây dựng, Tài chính`: a gazetteer name by the words after its head word
    by_tail: dict = field(default_factory=dict)  # (head norms, tail norms) -> entry index
    tail_max: int = 0
    tail_heads: tuple = ()
    tail_firsts: frozenset[str] = frozenset()  # the first word of each tail head ("": an empty head)
    norms: _Norms = field(default_factory=_Norms)  # folded forms kept by word (_tokens)
    marked: tuple | None = None  # (abbrev_first, plural, the words _columns looks for): _marked


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def _build(rules: Rules) -> Gazetteer:
    data = rules["agencies"]
    abbrev: dict[tuple[str, ...], tuple[str, ...]] = {}
    for short, full in (data.get("abbreviations") or {}).items():
        abbrev[tuple(t for t, _, _ in _raw_tokens(str(short)))] = tuple(str(full).split())
    g = Gazetteer(
        trie={}, entries=[], abbrev=abbrev,
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
        seen = set()
        for p in phrases:
            norms = tuple(t.norm for t in _stream(tokenize(str(p), g), g))
            if norms and norms not in seen:
                seen.add(norms)
                node = g.trie
                for w in norms:
                    node = node.setdefault(w, {})
                node.setdefault(None, []).append(idx)
        if kind == "AG":
            fixed.append(name)
    g.fixed_words = tuple(fixed)
    heads = sorted((tuple(t.norm for t in _stream(tokenize(str(h), g), g)) for h in data.get("heads") or []),
                   key=len, reverse=True)
    for idx, (kind, name, _level) in enumerate(g.entries):
        if kind != "AG":
            continue
        norms = tuple(t.norm for t in _stream(tokenize(name, g), g))
        head = next((h for h in heads if norms[: len(h)] == h and len(norms) > len(h)), None)
        if head:
            g.by_tail.setdefault((head, norms[len(head):]), idx)
            g.tail_max = max(g.tail_max, len(norms) - len(head))
    g.tail_heads = tuple(sorted({h for h, _ in g.by_tail}, key=len, reverse=True))
    g.tail_firsts = frozenset(h[0] if h else "" for h in g.tail_heads)
    g.level_words = frozenset(fold(w).split()[-1] for w in data.get("levels") or [])
    return g


def gazetteer(rules: Rules) -> Gazetteer:
    return rules.compiled("agencies.gazetteer", _build)


# --- tokens -----------------------------------------------------------------------------


def tokenize(text: str, g: Gazetteer) -> list[Tok]:
    """Words and punctuation of TEXT, abbreviations expanded in place."""
    t = _tokens(text, g)
    return [Tok(t.norms[i], t.texts[i], t.starts[i], t.ends[i], t.cap(i), t.nl(i, text))
            for i in range(len(t.norms))]


def _tokens(text: str, g: Gazetteer, start: int = 0) -> Tokens:
    """The tokens of text[START:] as columns, with offsets in TEXT (see tokenize)."""
    return _columns(text, g, start)[0]


def _marked(g: Gazetteer) -> dict[str, bool]:
    """The folded words _columns looks for in its one pass: those left out of the stream and
    those of the words that may open an abbreviation (kept per gazetteer, made again when a
    caller gives it other abbreviations). A dict: its __contains__, mapped over a text's
    words, runs in ~2/3 of a frozenset's."""
    got = g.marked
    if got is None or got[0] is not g.abbrev_first or got[1] is not g.plural:
        got = g.marked = (g.abbrev_first, g.plural,
                          dict.fromkeys([*g.plural, "-", *map(norm_word, g.abbrev_first)], True))
    return got[2]


def _columns(text: str, g: Gazetteer, start: int = 0) -> tuple[Tokens, list[int]]:
    """The tokens of text[START:] as columns (see _tokens), and the places of those left out
    of the stream (plural words and dashes: see _stream), in order."""
    # one split gives gaps and words alternately; their lengths give every offset, so the
    # columns are built by C-level maps instead of a Python loop over thousands of matches
    split = _WORD_SPLIT if "_" in text else _WORD_SPLIT_NO_UNDERSCORE
    parts = split.split(text[start:] if start else text)
    words = parts[1::2]
    n = len(words)
    pos = list(accumulate(map(len, parts), initial=start))  # (pos[i + 1]: where part i ends)
    starts = pos[1 : 2 * n + 1 : 2]
    ends = pos[2::2]
    known = g.norms
    if len(known) > _NORMS_MAX:
        known.clear()
    norms = list(map(known.__getitem__, words))
    # one pass finds the few words left out of the stream and those that may open an
    # abbreviation (each pass over a plan's ~5,000 words costs ~0.1-0.2 ms)
    plural = g.plural
    first = g.abbrev_first
    marked = list(compress(range(n), map(_marked(g).__contains__, norms)))
    left = [i for i in marked if norms[i] in plural or norms[i] == "-"]
    opens = [i for i in marked if words[i] in first]  # the words that may open one
    if not opens:
        return Tokens(norms, words, starts, ends), left
    # abbreviations: their places found left to right, then each expanded in place from the
    # last (a slice assignment moves only the columns' tails: no copy of the whole columns)
    abbrev = g.abbrev
    found: list[tuple[int, int, tuple[str, ...]]] = []
    last = 0  # raw words before LAST are done
    for i in opens:
        if i < last:
            continue
        for k in range(min(g.abbrev_max, n - i), 0, -1):
            key = tuple(words[i : i + k])
            # an abbreviation is one unit: no space inside a multi-token key (CT-XH, GD&ĐT)
            if key in abbrev and all(ends[j] == starts[j + 1] for j in range(i, i + k - 1)):
                break
        else:
            continue
        found.append((i, k, abbrev[key]))
        last = i + k
    if not found:
        return Tokens(norms, words, starts, ends), left
    # the places left out, moved by the expansions before them; an abbreviation's own words
    # give way to its expansion's
    moved: list[int] = []
    shift = 0
    li = 0
    for i, k, full in found:
        while li < len(left) and left[li] < i:
            moved.append(left[li] + shift)
            li += 1
        while li < len(left) and left[li] < i + k:
            li += 1
        moved += [i + shift + j for j, w in enumerate(full) if norm_word(w) in plural or norm_word(w) == "-"]
        shift += len(full) - k
    moved += [p + shift for p in left[li:]]
    for i, k, full in reversed(found):
        norms[i : i + k] = map(norm_word, full)
        words[i : i + k] = full
        starts[i : i + k] = [starts[i]] * len(full)
        ends[i : i + k] = [ends[i + k - 1]] * len(full)
    return Tokens(norms, words, starts, ends), moved


@lru_cache(maxsize=65536)
def norm_word(t: str) -> str:
    if t == "&":
        return "và"
    if t in DASHES:
        return "-"
    return fold(t)


def _stream(toks: Sequence[Tok], g: Gazetteer) -> list[Tok]:
    """The tokens that are matched: without plural words and dashes."""
    return [t for t in toks if t.norm not in g.plural and t.norm != "-"]


def _matches(words: list[str], g: Gazetteer) -> dict[int, dict[str, tuple[int, int]]]:
    """best[k][kind] = (end, entry) of the longest phrase of KIND at stream position k; of two
    entries of one kind with the same phrase, the first in the rules."""
    best: dict[int, dict[str, tuple[int, int]]] = {}
    trie = g.trie
    entries = g.entries
    n = len(words)
    for a in compress(range(n), map(trie.__contains__, words)):  # where a phrase may start
        node = trie[words[a]]
        b = a + 1
        at = None  # best[a], made at the first phrase that ends (each A is walked once)
        while True:
            ends = node.get(None)
            if ends is not None:
                if at is None:
                    at = best[a] = {}
                # a phrase ending here is longer than any before it: it wins (most nodes end
                # one entry's phrase); of entries with this phrase, the first of each kind
                if len(ends) == 1:
                    idx = ends[0]
                    at[entries[idx][0]] = (b, idx)
                else:
                    for idx in ends:
                        kind = entries[idx][0]
                        cur = at.get(kind)
                        if cur is None or b > cur[0]:
                            at[kind] = (b, idx)
            if b >= n:
                break
            node = node.get(words[b])
            if node is None:
                break
            b += 1
    return best


# --- the text index ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextIndex:
    """A text's tokens and gazetteer matches. Built once per document (the extract step) and
    shared by every reader of it: the place name a reader drops does not change them."""

    toks: Tokens  # every token
    full: list[int]  # the full-token index of each stream token (to look back at `các`)
    starts: list[int]  # char start of each stream token
    best: dict[int, dict[str, tuple[int, int]]]  # matches by stream position (_matches)
    norms: list[str]  # folded words of the stream: without plural words and dashes


_LOOK_BACK = 24  # tokens kept before where a reader starts: readers look back ~10 at most


def reading_start(text: str, pos: int, tokens: int = _LOOK_BACK) -> int:
    """The start of a line before POS with at least TOKENS tokens between it and POS's line
    (0 when the text before holds fewer): an index built from there gives, at POS and after,
    the tokens, matches and look-backs of the whole text's index."""
    s = text.rfind("\n", 0, pos) + 1 if pos > 0 else 0
    seen = 0
    while s > 0 and seen < tokens:
        prev = text.rfind("\n", 0, s - 1) + 1
        seen += len(_WORD.findall(text, prev, s))
        s = prev
    return s


def text_index(text: str, g: Gazetteer, start: int = 0) -> TextIndex:
    """The token index of text[START:], offsets in TEXT (see TextIndex). START is a line's
    start: no token crosses one, so the tokens from there are TEXT's own."""
    toks, left = _columns(text, g, start)
    norms = toks.norms
    # the stream is the tokens between those left out (a few in a hundred): its columns are
    # slices of the tokens', joined at C level (no mask over every token)
    n = len(norms)
    froms = [0, *[p + 1 for p in left]]
    tos = [*left, n]
    full = list(chain.from_iterable(map(range, froms, tos)))
    cuts = list(map(slice, froms, tos))
    words = list(chain.from_iterable(map(norms.__getitem__, cuts)))
    starts = list(chain.from_iterable(map(toks.starts.__getitem__, cuts)))
    return TextIndex(toks, full, starts, _matches(words, g), words)
