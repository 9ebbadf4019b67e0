"""The theme of a task: keyword and phrase rules (rules/themes.yaml) over segmented words.

Phrases match whole words of the underthesea segmentation (agency names kept whole as
fixed words), so `phòng` in `Phòng Văn hóa - Xã hội` never reads as prevention and `y tế`
inside `Trạm Y tế` never as victim support. A phrase among the opening words of the task
counts `lead_weight` times; the theme of the heading the task sits under adds
`section_weight`; a task that matches nothing gets the default theme (`other`).

    >>> from pipeline.rules import load_rules
    >>> theme_of("Tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=load_rules())
    'capacity'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import Rules
from .agencies import agency_fixed_words
from .wordseg import fold, segment_words

_OPENING = 12  # syllables that make the opening words (verb and object) of a task
_MAX_CHARS = 400  # of a task's text read for its theme


@dataclass(frozen=True)
class _Themes:
    order: tuple[str, ...]
    phrases: dict[tuple[str, ...], list[tuple[str, float]]]  # syllables -> [(theme, weight)]
    max_len: int
    firsts: frozenset[str]  # the first syllables of the phrases
    default: str
    section_weight: float
    lead_weight: float
    fixed: tuple[str, ...]


def _build(rules: Rules) -> _Themes:
    data = rules["themes"]
    phrases: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    order = []
    for theme, items in (data.get("themes") or {}).items():
        order.append(theme)
        for item in items or []:
            if isinstance(item, dict):
                (phrase, weight), = item.items()
            else:
                phrase, weight = item, 1.0
            key = tuple(fold(str(phrase)).replace(",", " , ").split())
            phrases.setdefault(key, []).append((theme, float(weight)))
    return _Themes(
        order=tuple(order), phrases=phrases, max_len=max((len(k) for k in phrases), default=1),
        firsts=frozenset(k[0] for k in phrases if k),
        default=str(data.get("default", "other")), section_weight=float(data.get("section_weight", 1.5)),
        lead_weight=float(data.get("lead_weight", 2.0)), fixed=agency_fixed_words(rules),
    )


def _syllables(text: str, fixed: tuple[str, ...]) -> tuple[list[str], set[int]]:
    """Syllables of TEXT and the indexes where a word starts (and len at the end)."""
    sylls: list[str] = []
    starts: set[int] = set()
    for _, _, form in segment_words(text, fixed):
        starts.add(len(sylls))
        sylls.extend(form.replace("_-_", " - ").replace("_", " ").split())
    starts.add(len(sylls))
    return sylls, starts


def theme_scores(text: str, *, rules: Rules) -> dict[str, float]:
    """Score of each theme for TEXT (only themes with a hit)."""
    th: _Themes = rules.compiled("themes", _build)
    # the opening of a task carries its theme; segmenting the rest costs more than it tells
    sylls, starts = _syllables(text[:_MAX_CHARS], th.fixed)
    scores: dict[str, float] = {}
    seen: set[tuple[tuple[str, ...], str]] = set()
    n = len(sylls)
    firsts = th.firsts
    for i in range(n):
        if i not in starts or sylls[i] not in firsts:  # no phrase can start here
            continue
        for L in range(min(th.max_len, n - i), 0, -1):
            if i + L not in starts:
                continue
            key = tuple(sylls[i:i + L])
            for theme, w in th.phrases.get(key, ()):
                factor = th.lead_weight if i < _OPENING else 1.0
                if (key, theme) in seen:  # a phrase counts once, at its first (best) place
                    continue
                seen.add((key, theme))
                scores[theme] = scores.get(theme, 0.0) + w * factor
    return scores


def theme_of(text: str, *, rules: Rules, context: str = "") -> str:
    """The theme of a task's TEXT; CONTEXT is the heading(s) it sits under, nearest first."""
    th: _Themes = rules.compiled("themes", _build)
    scores = theme_scores(text, rules=rules)
    if context:
        nearest = context.split(" | ")[0]
        ctx = theme_scores(nearest, rules=rules) if nearest else {}
        if ctx:
            best = max(th.order, key=lambda t: (ctx.get(t, 0.0), -th.order.index(t)))
            if ctx.get(best, 0.0) > 0:
                scores[best] = scores.get(best, 0.0) + th.section_weight
    if not scores:
        return th.default
    return max(th.order, key=lambda t: (scores.get(t, 0.0), -th.order.index(t)))
