"""The theme of a task: keyword and phrase rules (rules/themes.yaml) over whole words.

A phrase matches a run of whole syllables of the folded text, with agency names from the
gazetteer masked first, so `phòng` in `Phòng Văn hóa - Xã hội` never reads as prevention
and `y tế` inside `Trạm Y tế` never as victim support. A phrase must also be whole words:
`luật` in `kỷ luật` is not law. The word segmenter (underthesea's CRF) costs as much as
every other stage together, so it is asked only when a word of its own dictionary (or a
name in capitals) may cross the edge of a phrase found (`kỷ luật` across `luật`), and then
on a few syllables around that phrase; otherwise the syllables decide. A task's theme (and
its heading's) needs fewer still: the doubtful phrases are settled one at a time only while
what the segmenter says of them could change the answer (`_lazily`).
A phrase among the opening words of the task counts `lead_weight` times; the theme of the
heading the task sits under adds `section_weight`; a task that matches nothing gets the
default theme (`other`).

    >>> from pipeline.rules import load_rules
    >>> theme_of("Tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=load_rules())
    'capacity'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from typing import TypeVar

from ..memo import kept
from ..rules import Rules
from .agencies import agency_fixed_words
from .wordseg import dictionary_words, fold, segment_words

_OPENING = 12  # syllables that make the opening words (verb and object) of a task
_MAX_CHARS = 400  # of a task's text read for its theme
_SYLLABLE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# the same syllables by split: [white space, syllable, white space, ..., white space], so the
# syllables and their offsets come from one scan (lengths summed, no match objects)
_SYLLABLE_SPLIT = re.compile(r"(\w+|[^\w\s])", re.UNICODE)
# document numbers (123/KH-UBND) are not words; they are cut out before matching
_DOC_NUMBER = re.compile(r"\b\d+\s*/\s*[\w\-/Đđ]+")
_PLAIN_NAME = re.compile(r"^[\w ,\-]+$", re.UNICODE)
_KEPT = 4096  # answers kept by text (scores, headings' themes)
_MASK = "\x00"  # stands for a masked agency name: one token that no phrase contains

Key = tuple[str, ...]


@dataclass(frozen=True)
class _Themes:
    order: tuple[str, ...]
    phrases: dict[Key, list[tuple[str, float]]]  # syllables -> [(theme, weight)]
    max_len: int
    firsts: frozenset[str]  # the first syllables of the phrases
    default: str
    section_weight: float
    lead_weight: float
    names: frozenset[Key]  # agency names as syllables, masked before matching
    names_max: int
    names_firsts: frozenset[str]
    fixed: tuple[str, ...]  # the same names, for the segmenter
    # first syllable -> the lengths of the phrases / names it opens, longest first (only
    # those lengths are tried at a place)
    phrase_lens: dict[str, tuple[int, ...]] = field(default_factory=dict)
    name_lens: dict[str, tuple[int, ...]] = field(default_factory=dict)
    headings: dict[str, str | None] = field(default_factory=dict)  # see _heading_context
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # see theme_scores
    bounds: dict[str, tuple[_Bounds, dict[int, bool]]] = field(default_factory=dict)  # see _lazily


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
    return _Themes(
        order=tuple(order), phrases=phrases, max_len=max((len(k) for k in phrases), default=1),
        firsts=frozenset(k[0] for k in phrases),
        default=str(data.get("default", "other")), section_weight=float(data.get("section_weight", 1.5)),
        lead_weight=float(data.get("lead_weight", 2.0)),
        names=names, names_max=max((len(k) for k in names), default=1),
        names_firsts=frozenset(k[0] for k in names), fixed=agency_fixed_words(rules),
        phrase_lens=_lengths(phrases), name_lens=_lengths(k for k in names if len(k) > 1),
    )


def _lengths(keys) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for k in keys:
        out.setdefault(k[0], set()).add(len(k))
    return {first: tuple(sorted(ls, reverse=True)) for first, ls in out.items()}


def _syllables(head: str, th: _Themes) -> tuple[str, list[str], list[tuple[int, int]], list[str]]:
    """The folded HEAD (document numbers blanked), its syllables with agency names masked
    (longest first), the (start, length) of each masked name among the syllables, and the
    folded text split into white space and syllables (for _spans)."""
    folded = fold(head)
    if "/" in folded:  # a document number: blank it out, keeping the length
        folded = _DOC_NUMBER.sub(lambda m: " " * len(m.group(0)), folded)
    parts = _SYLLABLE_SPLIT.split(folded)
    words = parts[1::2]
    name_lens, names = th.name_lens, th.names
    n = len(words)
    # the agency names, longest first at each place: (start, length); only a syllable that
    # opens a name can start one
    masked: list[tuple[int, int]] = []
    pos = 0
    for i in compress(range(n), map(name_lens.__contains__, words)):
        if i < pos:
            continue  # inside a name just masked
        for L in name_lens[words[i]]:
            if L <= n - i and tuple(words[i:i + L]) in names:
                masked.append((i, L))
                pos = i + L
                break
    if not masked:
        return folded, words, masked, parts
    sylls: list[str] = []
    pos = 0
    for i, L in masked:
        sylls += words[pos:i]
        sylls.append(_MASK)
        pos = i + L
    sylls += words[pos:]
    return folded, sylls, masked, parts


def _spans(parts: list[str], masked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The span of each syllable of `_syllables` in the folded text (a masked name: from its
    first syllable to its last). PARTS: the folded text split by _SYLLABLE_SPLIT."""
    at = list(accumulate(map(len, parts), initial=0))  # where each part starts
    all_spans = list(zip(at[1:-1:2], at[2::2], strict=True))
    if not masked:
        return all_spans
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, L in masked:
        spans += all_spans[pos:i]
        spans.append((all_spans[i][0], all_spans[i + L - 1][1]))
        pos = i + L
    spans += all_spans[pos:]
    return spans


def _hits(sylls: list[str], th: _Themes) -> list[tuple[int, int]]:
    """(start, length) of each phrase in SYLLS, as runs of whole syllables."""
    out = []
    n = len(sylls)
    lens, phrases = th.phrase_lens, th.phrases
    for i in compress(range(n), map(lens.__contains__, sylls)):  # only a phrase's first syllable opens one
        for L in lens[sylls[i]]:
            if L <= n - i and tuple(sylls[i:i + L]) in phrases:
                out.append((i, L))
    return out


def _crossed(sylls: list[str], caps: Callable[[int], bool], i: int, words: frozenset[Key],
             width: int = 4, pairs: frozenset[Key] | None = None) -> bool:
    """Might a word run across the place before syllable I? (a word of the dictionary, or a
    name: capitals on both sides, as in `Ban Chỉ đạo`; CAPS(i): was syllable i capitalized).
    PAIRS: the neighbouring syllables
    of the dictionary's words (a word across I holds syllables I-1 and I side by side)."""
    if not 0 < i < len(sylls):
        return False  # no syllable on one side: nothing runs across
    if caps(i - 1) and caps(i):
        return True
    if pairs is not None and (sylls[i - 1], sylls[i]) not in pairs:
        return False
    for a in range(max(0, i - width + 1), i):
        for b in range(i + 1, min(len(sylls), a + width) + 1):
            if tuple(sylls[a:b]) in words:
                return True
    return False


@lru_cache(maxsize=4)
def _pairs(words: frozenset[Key]) -> frozenset[Key]:
    """Every two neighbouring syllables of a word of WORDS."""
    return frozenset(k[j:j + 2] for k in words for j in range(len(k) - 1))


_WINDOW = 5  # syllables segmented on each side of a doubtful phrase (the CRF reads two)


def _whole_words(head: str, spans: list[tuple[int, int]], i: int, L: int, th: _Themes) -> bool:
    """Does the segmenter, run on a few syllables around it, keep syllables I..I+L a run of
    whole words? Only the places in doubt are segmented, never the whole task."""
    n = len(spans)
    a, b = max(0, i - _WINDOW), min(n, i + L + _WINDOW)
    base = spans[a][0]
    starts = {base + s for s, _, _ in segment_words(head[base:spans[b - 1][1]], th.fixed)}
    return spans[i][0] in starts and (i + L == n or spans[i + L][0] in starts)


def theme_scores(text: str, *, rules: Rules) -> dict[str, float]:
    """Score of each theme for TEXT (only themes with a hit)."""
    th: _Themes = rules.compiled("themes.ngrams", _build)
    # a task's text is asked again (its theme, then the flags of its plan): answered once
    # (the opening of a task carries its theme; the rest tells little more)
    head = text[:_MAX_CHARS]
    return dict(kept(th.scores, head, _KEPT, lambda: _scores(head, th)))


Hit = tuple[int, int, Key]  # (first syllable, length, the phrase's syllables)


_Asks = tuple[Callable[[int, int], bool], Callable[[int, int], bool]]


def _found(head: str, th: _Themes) -> tuple[list[Hit], _Asks | None]:
    """The phrases of HEAD in order, and (DOUBT, WHOLE) (None: no hit). DOUBT(i, L): might a
    word run across an edge of the phrase at I..I+L (`kỷ luật` across `luật`)? Then only
    the segmenter, WHOLE(i, L), can tell whether it counts."""
    folded, sylls, masked, parts = _syllables(head, th)
    hits = _hits(sylls, th)
    if not hits:
        return [], None
    spans = _spans(parts, masked)
    # asked only at the edges of phrases found; a masked name is not capitalized, and where
    # folding changed the length the positions are not the text's: nothing is
    same = len(folded) == len(head)
    names = set()
    shift = 0
    for i, L in masked:
        names.add(i - shift)
        shift += L - 1

    def caps(i: int) -> bool:
        return same and i not in names and head[spans[i][0]].isupper()

    words = dictionary_words()
    pairs = _pairs(words) if words else None
    crossed: dict[int, bool] = {}  # by place: the end of one phrase is often the start of another

    def across(i: int) -> bool:
        got = crossed.get(i)
        if got is None:
            got = crossed[i] = _crossed(sylls, caps, i, words, pairs=pairs)
        return got

    def doubt(i: int, L: int) -> bool:
        return not words or across(i) or across(i + L)

    def whole(i: int, L: int) -> bool:
        return _whole_words(head, spans, i, L, th)

    return [(i, L, tuple(sylls[i:i + L])) for i, L in hits], (doubt, whole)


def _scores(head: str, th: _Themes) -> dict[str, float]:
    return _count(*_found(head, th), th)


def _count(hits: list[Hit], asks: _Asks | None, th: _Themes,
           known: dict[int, bool] | None = None) -> dict[str, float]:
    """The score of each theme counted from HITS (ASKS: see `_found`). KNOWN: what the
    segmenter said of some hits (by their number), not asked again."""
    scores: dict[str, float] = {}
    if not hits:
        return scores
    doubt, whole = asks
    seen: set[tuple[Key, str]] = set()
    counted: set[Key] = set()  # the phrases whose every (phrase, theme) is in SEEN
    for n, (i, L, key) in enumerate(hits):
        if key in counted:
            continue  # counted already: whole words or not, it adds nothing (no segmenting)
        if doubt(i, L) and not (known[n] if known and n in known else whole(i, L)):
            continue  # a word runs across the phrase (`kỷ luật` across `luật`)
        counted.add(key)
        for theme, w in th.phrases[key]:
            if (key, theme) in seen:  # a phrase counts once, at its first (best) place
                continue
            seen.add((key, theme))
            scores[theme] = scores.get(theme, 0.0) + w * (th.lead_weight if i < _OPENING else 1.0)
    return scores


# --- answers that need not every doubt settled ------------------------------------------
# A question about HEAD's scores (its theme, its heading's theme, whether it reaches a score)
# asks the segmenter about the doubtful phrases one by one, in order, only until the answer
# cannot change whatever it says of the others (most doubts cannot change a task's theme);
# the exact scores (`_count`) when every doubt had to be settled.

_MARGIN = 1e-9  # one bound surely past another: by more than any rounding of the sums


@dataclass(frozen=True, slots=True)
class _Bounds:
    """The least and the most each theme can score whatever the segmenter says of the doubts
    not settled yet (a theme absent scores 0)."""

    low: dict[str, float]
    high: dict[str, float]
    sure: bool  # a phrase counts for certain (the scores are not empty)
    possible: bool  # a phrase may count


def _bounds(hits: list[Hit], doubt: Callable[[int, int], bool], known: dict[int, bool],
            th: _Themes) -> tuple[_Bounds, int | None]:
    """The bounds of `_count`'s scores, KNOWN: the doubtful hits settled (by their number);
    and the first hit whose doubt is open and matters (None: none is)."""
    factors: dict[Key, list[float]] = {}  # the weights a phrase may count with (at which place)
    sure: set[Key] = set()  # the phrases that count for certain (at one of FACTORS)
    first = None
    for n, (i, L, key) in enumerate(hits):
        if key in sure:
            continue  # (a later place of a phrase that counts changes nothing)
        if n in known:
            whole = known[n]
        elif doubt(i, L):
            whole = None  # not settled yet
            if first is None:
                first = n
        else:
            whole = True
        if whole is False:
            continue
        factors.setdefault(key, []).append(th.lead_weight if i < _OPENING else 1.0)
        if whole:
            sure.add(key)
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for key, fs in factors.items():
        if key not in sure:
            fs = [*fs, 0.0]  # it may count nowhere
        done: set[str] = set()
        for theme, w in th.phrases[key]:
            if theme in done:  # (the first weight of a theme counts, as in _count)
                continue
            done.add(theme)
            counts = [w * f for f in fs]
            low[theme] = low.get(theme, 0.0) + min(counts)
            high[theme] = high.get(theme, 0.0) + max(counts)
    return _Bounds(low, high, bool(sure), bool(factors)), first


def _ahead(low: dict[str, float], high: dict[str, float]) -> str | None:
    """The theme `_best` gives for every scores within the bounds, if one is ahead of every
    other by the margin (ties go to the first in order: not decided by bounds), else None."""
    if not low:
        return None
    top = max(low, key=low.__getitem__)
    least = low[top]
    floor = least - _MARGIN * (1.0 + abs(least))
    if floor <= 0.0:
        return None  # (not ahead of a theme with no phrase: it scores 0)
    return top if all(h < floor for t, h in high.items() if t != top) else None


_T = TypeVar("_T")


def _lazily(head: str, th: _Themes, decide: Callable[[_Bounds], tuple[_T] | None],
            exact: Callable[[dict[str, float]], _T]) -> _T:
    """DECIDE's answer (a 1-tuple; None: not decided) on the bounds of HEAD's scores, the
    doubts settled one by one, in order, until it decides; else EXACT's on the scores."""
    got = th.scores.get(head)
    if got is not None:
        return exact(dict(got))
    known: dict[int, bool] = {}
    # the bounds an earlier question about HEAD stopped at (a task's theme, then whether it
    # names an area): they may answer this one too, else the doubts settled are not asked again
    last = th.bounds.get(head)
    if last is not None:
        answer = decide(last[0])
        if answer is not None:
            return answer[0]
        known = dict(last[1])
    hits, asks = found = _found(head, th)
    if hits:
        doubt, whole = asks
        while True:
            bounds, n = _bounds(hits, doubt, known, th)
            answer = decide(bounds)
            if answer is not None:
                th.bounds.pop(head, None)  # (this question's bounds are as tight or tighter)
                kept(th.bounds, head, _KEPT, lambda last=(bounds, known): last)
                return answer[0]
            if n is None:
                break  # every doubt that matters settled, and still a tie: the exact scores
            known[n] = whole(*hits[n][:2])
    return exact(dict(kept(th.scores, head, _KEPT, lambda: _count(*found, th, known))))


def _theme(head: str, th: _Themes, ctx: str | None) -> str:
    """theme_of's answer for HEAD; CTX: the theme its heading adds `section_weight` to."""

    def decide(b: _Bounds) -> tuple[str] | None:
        if ctx is None:
            if not b.possible:
                return (th.default,)  # nothing counts
            if not b.sure:
                return None  # the scores may stay empty (the default theme) or not
        low, high = dict(b.low), dict(b.high)
        if ctx is not None:
            low[ctx] = low.get(ctx, 0.0) + th.section_weight
            high[ctx] = high.get(ctx, 0.0) + th.section_weight
        top = _ahead(low, high)
        return None if top is None else (top,)

    def exact(scores: dict[str, float]) -> str:
        if ctx is not None:
            scores[ctx] = scores.get(ctx, 0.0) + th.section_weight
        if not scores:
            return th.default
        return _best(th.order, scores)

    return _lazily(head, th, decide, exact)


def _heading_theme(heading: str, th: _Themes) -> str | None:
    """The theme a heading gives the tasks under it: its best, if that scores above 0."""

    def decide(b: _Bounds) -> tuple[str | None] | None:
        if not b.possible:
            return (None,)
        top = _ahead(b.low, b.high)  # (its least is above 0)
        return None if top is None else (top,)

    def exact(scores: dict[str, float]) -> str | None:
        if not scores:
            return None
        best = _best(th.order, scores)
        return best if scores.get(best, 0.0) > 0 else None

    return _lazily(heading[:_MAX_CHARS], th, decide, exact)


def themes_reaching(text: str, themes: set[str], score: float, *, rules: Rules) -> set[str]:
    """The THEMES whose score for TEXT is at least SCORE:
    `{t for t in themes if theme_scores(text).get(t, 0.0) >= score}`."""
    return _reaching(text[:_MAX_CHARS], rules.compiled("themes.ngrams", _build), themes, score)


def _reaching(head: str, th: _Themes, themes: set[str], score: float) -> set[str]:
    margin = _MARGIN * (1.0 + abs(score))

    def decide(b: _Bounds) -> tuple[set[str]] | None:
        out = set()
        for t in themes:
            if b.low.get(t, 0.0) >= score + margin:
                out.add(t)
            elif b.high.get(t, 0.0) >= score - margin:
                return None  # it may or may not reach it
        return (out,)

    def exact(scores: dict[str, float]) -> set[str]:
        return {t for t in themes if scores.get(t, 0.0) >= score}

    return _lazily(head, th, decide, exact)


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
