"""The theme of a task: keyword and phrase rules (rules/themes.yaml) over whole words.

A phrase matches a run of whole syllables of the folded text, with agency names from the
gazetteer masked first, so `phòng` in `Phòng Văn hóa - Xã hội` never reads as prevention
and `y tế` inside `Trạm Y tế` never as victim support. A phrase must also be whole words:
`luật` in `kỷ luật` is not law. Where a word of the dictionary (underthesea's word list, no
model) may cross an edge of a phrase found, the head's words are read by the dictionary,
longest first, and decide (`_found`); elsewhere the syllables do.
A phrase among the opening words of the task counts `lead_weight` times; the theme of the
heading the task sits under adds `section_weight`; a task that matches nothing gets the
default theme (`other`).

    >>> from pipeline.rules import load_rules
    >>> theme_of("Tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=load_rules())
    'capacity'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

from ..memo import kept
from ..rules import Rules
from .agencies import agency_fixed_words
from .wordseg import dictionary_words, fold

_OPENING = 12  # syllables that make the opening words (verb and object) of a task
_MAX_CHARS = 400  # of a task's text read for its theme
_SYLLABLE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# the same syllables by `str.split` (see _split): what is neither a word character nor white
# space stands alone, so spaced out it is a syllable by itself
_MARK = re.compile(r"[^\w\s]", re.UNICODE)
# document numbers (123/KH-UBND) are not words; they are cut out before matching
_DOC_NUMBER = re.compile(r"\b\d+\s*/\s*[\w\-/Đđ]+")
_PLAIN_NAME = re.compile(r"^[\w ,\-]+$", re.UNICODE)
_KEPT = 4096  # answers kept by text (scores, headings' themes)
_MASK = "\x00"  # stands for a masked agency name: one token that no phrase contains

Key = tuple[str, ...]
Hit = tuple[int, int, Key]  # (first syllable, length, the phrase's syllables)
_WORD_MAX = 4  # syllables of the longest dictionary word read (`dictionary_words`)


@dataclass(frozen=True)
class _Themes:
    order: tuple[str, ...]
    phrases: dict[Key, list[tuple[str, float]]]  # syllables -> [(theme, weight)]
    default: str
    section_weight: float
    lead_weight: float
    names: frozenset[Key]  # agency names as syllables, masked before matching
    # first syllable -> the lengths of the phrases it opens, longest first (only those
    # lengths are tried at a place)
    phrase_lens: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # first two syllables -> the lengths of the names they open, longest first (a name's
    # first syllable alone, `ủy`, `phòng`, opens too many places)
    name_lens: dict[Key, tuple[int, ...]] = field(default_factory=dict)
    name_firsts: frozenset[str] = frozenset()  # the first syllables of those two
    # a phrase's first syllable -> the syllables before which it ends a pair of a dictionary
    # word; its last -> those after which it begins one: only there can a word cross an edge
    # of the phrase (the pairs asked of a small set, not of the dictionary's ~66,000)
    pair_before: dict[str, frozenset[str]] = field(default_factory=dict)
    pair_after: dict[str, frozenset[str]] = field(default_factory=dict)
    headings: dict[str, str | None] = field(default_factory=dict)  # see _heading_context
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # see _scores


def _syllables_of(text: str) -> Key:
    return tuple(_SYLLABLE.findall(fold(text)))


def _build(rules: Rules) -> _Themes:
    data = rules["themes"]
    phrases: dict[Key, list[tuple[str, float]]] = {}
    order = []
    for theme, items in (data.get("themes") or {}).items():
        order.append(theme)
        for item in items or []:
            if isinstance(item, dict):
                (phrase, weight), = item.items()
            else:
                phrase, weight = item, 1.0
            key = _syllables_of(str(phrase))
            if key:
                phrases.setdefault(key, []).append((theme, float(weight)))
    names = frozenset(k for k in (_syllables_of(w) for w in agency_fixed_words(rules)
                                  if _PLAIN_NAME.match(w)) if k)
    name_lens = _lengths((k for k in names if len(k) > 1), 2)
    pair_before, pair_after = _edge_pairs(frozenset(k[0] for k in phrases), frozenset(k[-1] for k in phrases),
                                          _pairs(dictionary_words(_WORD_MAX)))
    return _Themes(
        order=tuple(order), phrases=phrases,
        default=str(data.get("default", "other")), section_weight=float(data.get("section_weight", 1.5)),
        lead_weight=float(data.get("lead_weight", 2.0)),
        names=names,
        phrase_lens=_lengths(phrases, 1), name_lens=name_lens,
        name_firsts=frozenset(k[0] for k in name_lens),
        pair_before=pair_before, pair_after=pair_after,
    )


@lru_cache(maxsize=4)
def _edge_pairs(firsts: frozenset[str], lasts: frozenset[str], pairs: frozenset[Key]
                ) -> tuple[dict[str, frozenset[str]], ...]:
    """(each of FIRSTS -> the syllables that make a pair of PAIRS right before it, each of
    LASTS -> those right after it), maybe empty. (~15 ms, once a process: every rules
    object with the same phrases shares it.)"""
    before: dict[str, set[str]] = {f: set() for f in firsts}
    after: dict[str, set[str]] = {t: set() for t in lasts}
    for a, b in pairs:
        if b in before:
            before[b].add(a)
        if a in after:
            after[a].add(b)
    return ({k: frozenset(v) for k, v in before.items()}, {k: frozenset(v) for k, v in after.items()})


def _lengths(keys, opening: int) -> dict:
    """The first syllable (OPENING 1) or first two (2, as a Key) of each of KEYS -> the
    lengths of the keys they open, longest first."""
    out: dict = {}
    for k in keys:
        out.setdefault(k[0] if opening == 1 else k[:opening], set()).add(len(k))
    return {first: tuple(sorted(ls, reverse=True)) for first, ls in out.items()}


def _split(folded: str) -> list[str]:
    r"""`_SYLLABLE.findall(FOLDED)`: the marks spaced out, then split (~1.5x faster; the
    engine's `\s` and `str.split` agree on what is white space)."""
    return _MARK.sub(_spaced, folded).split()  # (no mark: `sub` gives FOLDED back)


def _spaced(m: re.Match) -> str:
    return f" {m.group()} "


def _pair_starts(words: list[str], lens: dict[Key, tuple[int, ...]], firsts: frozenset[str]) -> list[int]:
    """The places of WORDS where two syllables that open a key of LENS stand, in order
    (FIRSTS: the first syllables of its keys; the pair is asked only after one)."""
    return [i for i in compress(range(len(words) - 1), map(firsts.__contains__, words))
            if (words[i], words[i + 1]) in lens]


def _syllables(head: str, th: _Themes) -> list[str]:
    """The syllables of the folded HEAD (document numbers blanked) with agency names masked
    (longest first), each name one `_MASK` syllable."""
    folded = fold(head)
    if "/" in folded:  # a document number: blank it out
        folded = _DOC_NUMBER.sub(lambda m: " " * len(m.group(0)), folded)
    words = _split(folded)
    name_lens, names = th.name_lens, th.names
    n = len(words)
    # the agency names, longest first at each place; only two syllables that open a name
    # can start one
    sylls: list[str] = []
    pos = 0
    for i in _pair_starts(words, name_lens, th.name_firsts):
        if i < pos:
            continue  # inside a name just masked
        for L in name_lens[words[i], words[i + 1]]:
            if L <= n - i and tuple(words[i:i + L]) in names:
                sylls += words[pos:i]
                sylls.append(_MASK)
                pos = i + L
                break
    if not pos:
        return words
    sylls += words[pos:]
    return sylls


def _hits(sylls: list[str], th: _Themes) -> list[Hit]:
    """(start, length, syllables) of each phrase in SYLLS, as runs of whole syllables."""
    out = []
    n = len(sylls)
    lens, phrases = th.phrase_lens, th.phrases
    for i in compress(range(n), map(lens.__contains__, sylls)):  # only a phrase's first syllable opens one
        for L in lens[sylls[i]]:
            if L <= n - i:
                key = tuple(sylls[i:i + L])
                if key in phrases:
                    out.append((i, L, key))
    return out


@lru_cache(maxsize=4)
def _pairs(words: frozenset[Key]) -> frozenset[Key]:
    """Every two neighbouring syllables of a word of WORDS."""
    return frozenset(k[j:j + 2] for k in words for j in range(len(k) - 1))


def _crossed(sylls: list[str], i: int, words: frozenset[Key], pairs: frozenset[Key],
             width: int) -> bool:
    """Does a word of WORDS (of at most WIDTH syllables) hold syllables I-1 and I? PAIRS:
    the neighbouring syllables of WORDS, which every such word holds side by side."""
    if not 0 < i < len(sylls) or (sylls[i - 1], sylls[i]) not in pairs:
        return False
    for a in range(max(0, i - width + 1), i):
        for b in range(i + 1, min(len(sylls), a + width) + 1):
            if tuple(sylls[a:b]) in words:
                return True
    return False


def _inside_words(sylls: list[str], words: frozenset[Key], pairs: frozenset[Key], width: int,
                  start: int = 0, stop: int | None = None) -> set[int]:
    """The places of SYLLS inside a word (no word starts there), the words read left to right
    from START, the longest word of WORDS at each place (a syllable alone where none starts);
    read up to place STOP (default: the end). START must be a word's edge."""
    inside: set[int] = set()
    n = len(sylls)
    stop = n - 1 if stop is None else min(stop, n - 1)
    after = 0  # the end of the last word read
    # (a word of the dictionary opens only at a pair of its own)
    opens = map(pairs.__contains__, zip(sylls[start:stop], sylls[start + 1:stop + 1], strict=True))
    for k in compress(range(start, stop), opens):
        if k < after:
            continue
        for L in range(min(width, n - k), 1, -1):
            if tuple(sylls[k:k + L]) in words:
                inside.update(range(k + 1, k + L))
                after = k + L
                break
    return inside


def _found(head: str, th: _Themes) -> list[Hit]:
    """The phrases of HEAD in order that are runs of whole words.

    An edge of a phrase that no dictionary word crosses is a word's edge; where one may
    (`kỷ luật` across `luật`), the words of the whole head decide, read by the dictionary
    longest first. (underthesea's CRF decided here once, a few ms a plan: over the labelled
    tasks of the seeds, real and web plans the dictionary gives the same themes but 4 of
    788, and agrees with the gold as often.)"""
    sylls = _syllables(head, th)
    hits = _hits(sylls, th)
    if not hits:
        return hits
    n = len(sylls)
    # (_crossed's first test, asked of the phrase's own pairs: one edge in sixteen has a pair
    # of a word across it)
    before, after = th.pair_before, th.pair_after
    edges = set()
    for i, L, key in hits:
        if i and sylls[i - 1] in before[key[0]]:
            edges.add(i)
        if i + L < n and sylls[i + L] in after[key[-1]]:
            edges.add(i + L)
    if not edges:
        return hits
    words = dictionary_words(_WORD_MAX)
    pairs = _pairs(words)
    width = _WORD_MAX
    crossed = [e for e in sorted(edges) if _crossed(sylls, e, words, pairs, width)]
    if crossed:
        # no word crosses a place whose two sides are no pair of a word: the reading from
        # there on is the reading from the start, so it starts at the last such place
        start = crossed[0] - 1
        while start > 0 and (sylls[start - 1], sylls[start]) in pairs:
            start -= 1
        inside = _inside_words(sylls, words, pairs, width, start, crossed[-1])
        hits = [h for h in hits if h[0] not in inside and h[0] + h[1] not in inside]
    return hits



def theme_scores(text: str, *, rules: Rules) -> dict[str, float]:
    """Score of each theme for TEXT (only themes with a hit)."""
    th: _Themes = rules.compiled("themes.ngrams", _build)
    return dict(_scores(text[:_MAX_CHARS], th))



def _scores(head: str, th: _Themes) -> dict[str, float]:
    """HEAD's scores, kept: a task's text is asked again (its theme, then the flags of its
    plan), and every task under a heading asks for the heading's."""
    return kept(th.scores, head, _KEPT, lambda: _count(_found(head, th), th))


def _count(hits: list[Hit], th: _Themes) -> dict[str, float]:
    """The score of each theme counted from HITS: a phrase counts once, at its first (best)
    place, with `lead_weight` among the opening words."""
    scores: dict[str, float] = {}
    seen: set[tuple[Key, str]] = set()
    for i, _L, key in hits:
        for theme, w in th.phrases[key]:
            if (key, theme) in seen:
                continue
            seen.add((key, theme))
            scores[theme] = scores.get(theme, 0.0) + w * (th.lead_weight if i < _OPENING else 1.0)
    return scores


def _theme(head: str, th: _Themes, ctx: str | None) -> str:
    """theme_of's answer for HEAD; CTX: the theme its heading adds `section_weight` to."""
    scores = dict(_scores(head, th))
    if ctx is not None:
        scores[ctx] = scores.get(ctx, 0.0) + th.section_weight
    if not scores:
        return th.default
    return _best(th.order, scores)


def _heading_theme(heading: str, th: _Themes) -> str | None:
    """The theme a heading gives the tasks under it: its best, if that scores above 0."""
    scores = _scores(heading[:_MAX_CHARS], th)
    if not scores:
        return None
    best = _best(th.order, scores)
    return best if scores.get(best, 0.0) > 0 else None


def themes_reaching(text: str, themes: set[str], score: float, *, rules: Rules) -> set[str]:
    """The THEMES whose score for TEXT is at least SCORE."""
    scores = _scores(text[:_MAX_CHARS], rules.compiled("themes.ngrams", _build))
    return {t for t in themes if scores.get(t, 0.0) >= score}


def _best(order: tuple[str, ...], scores: dict[str, float]) -> str:
    """The theme of ORDER with the highest score (absent: 0), the first of ORDER on a tie."""
    if all(v >= 0.0 for v in scores.values()):  # then the top score is a theme's of SCORES or 0
        top = max(scores.values(), default=0.0)
        for t in order:
            if scores.get(t, 0.0) == top:
                return t
    return max(order, key=lambda t: (scores.get(t, 0.0), -order.index(t)))


def _heading_context(heading: str, th: _Themes) -> str | None:
    """_heading_theme, kept: every task under a heading asks again (a few thousand headings:
    a batch of plans never repeats them, one plan does)."""
    return kept(th.headings, heading, _KEPT, lambda: _heading_theme(heading, th))


def theme_of(text: str, *, rules: Rules, context: str = "") -> str:
    """The theme of a task's TEXT; CONTEXT is the heading(s) it sits under, nearest first."""
    th: _Themes = rules.compiled("themes.ngrams", _build)
    nearest = context.split(" | ")[0] if context else ""
    return _theme(text[:_MAX_CHARS], th, _heading_context(nearest, th) if nearest else None)
