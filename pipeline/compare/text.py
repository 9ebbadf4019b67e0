"""Text to comparable terms: one spelling, abbreviations spelt out, synonyms merged, words.

    >>> abbreviations_in("Chương trình phòng, chống mua bán người (MBN) giai đoạn 2026")
    {'MBN': 'mua bán người'}
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..link import _DASHES, _TONE_FIX, _TONE_RE
from ..rules import Rules
from . import wordmemo

# texts whose words, prepared form, duties and terms are kept in this process: a parent's mandates
# recur for every child compared (they stay), a child's tasks come once; 50,000 kept Counters and
# strings grew the first cross-document run of a large store by some hundreds of MB
TEXTS_KEPT = 4096

__all__ = ["TEXTS_KEPT", "TextConfig", "text_config", "fold", "words", "abbreviations_in", "prepare", "terms"]


@dataclass(frozen=True, eq=False)  # hashed by identity: one per Rules, a cache key
class TextConfig:
    abbr: tuple[tuple[re.Pattern, str], ...]
    stop: frozenset[str]
    synonyms: re.Pattern | None  # every alternative phrase, longest first, in one pattern
    heads: Mapping[str, str]  # alternative phrase -> the phrase it stands for
    labels: tuple[re.Pattern, ...] = ()
    abbr_written: tuple[str, ...] = ()  # each abbreviation as written (abbr's patterns need it)


def fold(s: str) -> str:
    """Lower case NFC with one tone style (`hoá` → `hóa`)."""
    s = unicodedata.normalize("NFC", s).lower()
    return _TONE_RE.sub(lambda m: _TONE_FIX[m.group(1)], s)


def text_config(rules: Rules) -> TextConfig:
    spec = rules["compare"]
    written = sorted((spec.get("abbreviations") or {}).items(), key=lambda kv: -len(kv[0]))
    abbr = tuple((re.compile(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])"), str(v)) for k, v in written)
    stop = frozenset(fold(s) for s in spec.get("stopwords") or [])
    syn = []
    for group in spec.get("synonyms") or []:
        head = fold(str(group[0]))
        for alt in group[1:]:
            syn.append((fold(str(alt)), head))
    syn.sort(key=lambda kv: -len(kv[0]))  # longest first: `tổng đài điện thoại quốc gia` before `tổng đài`
    labels = tuple(re.compile(p) for p in spec.get("field_labels") or ())
    alts = (re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a, _ in syn) + r")(?![\w])")
            if syn else None)
    return TextConfig(abbr, stop, alts, dict(syn), labels, tuple(k for k, _ in written))


@lru_cache(maxsize=1)
def _segmenter():
    try:
        from underthesea import word_tokenize
    except ImportError:  # fall back to syllables: matching still works, compounds are lost
        return None
    return word_tokenize


def words(text: str) -> tuple[str, ...]:
    """Words of a text (underthesea); a word of several syllables keeps its spaces.

    With a word memo in use (the cross-document stages), the memo answers and keeps what is
    segmented; otherwise an in-process cache does."""
    memo = wordmemo.current()
    if memo is None:
        return _cached_words(text)
    got = memo.get(text)
    if got is None:
        got = _segment(text)
        memo.put(text, got)
    return got


@lru_cache(maxsize=TEXTS_KEPT)
def _cached_words(text: str) -> tuple[str, ...]:
    return _segment(text)


def _segment(text: str) -> tuple[str, ...]:
    seg = _segmenter()
    if seg is None:
        return tuple(text.split())
    try:
        return tuple(seg(text))
    except Exception:  # the segmenter must never stop a run
        return tuple(text.split())


def _strip_marks(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# find the bracketed abbreviation first, then read the words before it: one regex that
# tried word runs at every position of the text was the slowest step of a whole run
_ABBR_PAREN = re.compile(r"\(\s*([A-ZĐ][A-ZĐ0-9]{1,7})\s*\)")
_WORDS_BEFORE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]+\s+){1,8}$")


def abbreviations_in(text: str) -> dict[str, str]:
    """Abbreviations a document defines for itself, checked by their initials."""
    found: dict[str, str] = {}
    for m in _ABBR_PAREN.finditer(text or ""):
        before = _WORDS_BEFORE.search(text, max(0, m.start() - 160), m.start())
        if before is None:
            continue
        ws, abbr = before.group(0).split(), m.group(1)
        n = len(abbr)
        if len(ws) >= n:
            cand = ws[-n:]
            if "".join(_strip_marks(w[0]).upper() for w in cand) == _strip_marks(abbr):
                found.setdefault(abbr, " ".join(cand).lower())
    return found


_PUNCT = re.compile(r"[^\w\s,;.:]+")


def prepare(text: str, cfg: TextConfig, extra_abbr: Mapping[str, str] = ()) -> str:
    """Folded text with abbreviations spelt out and synonyms merged; `,;.:` kept as boundaries."""
    return _prepare(text, cfg, tuple(sorted(dict(extra_abbr).items())))


@lru_cache(maxsize=TEXTS_KEPT)
def _prepare(text: str, cfg: TextConfig, extra_abbr: tuple[tuple[str, str], ...]) -> str:
    for k, v in extra_abbr:
        text = re.sub(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])", v, text)
    for written, (pat, v) in zip(cfg.abbr_written, cfg.abbr, strict=True):
        if written in text:  # most texts hold none: a substring test, not a regex scan each
            text = pat.sub(v, text)
    text = _DASHES.sub("-", fold(text))
    for pat in cfg.labels:
        text = pat.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    text = re.sub(r"(\d)[.,](\d)", r"\1\2", text)  # 1.000 is a number, not a boundary
    if cfg.synonyms is not None:
        text = cfg.synonyms.sub(lambda m: cfg.heads[m.group(0)], text)
    return " ".join(text.split())  # runs of \s as one space: split() and \s agree on white space


_LETTERS = re.compile(r"\w", re.UNICODE)
_MARKS = re.compile(r"[,;.:]")


def terms(text: str, stop: frozenset[str]) -> Counter:
    """Weighted terms of prepared text: syllables, and each word of several syllables once more.
    (Shared: do not change the Counter returned.)"""
    # the words through `words` every time (with a memo in use, it learns whose they are);
    # the counting, the same for a parent's mandates whichever child is compared, kept
    return _terms_of(words(_MARKS.sub(" ", text)), stop)


@lru_cache(maxsize=TEXTS_KEPT)
def _terms_of(ws: tuple[str, ...], stop: frozenset[str]) -> Counter:
    out: Counter = Counter()
    for word in ws:
        syl = [s for s in word.split() if _LETTERS.search(s) and not s.isdigit()]
        if not syl:
            continue
        joined = "_".join(syl)
        if joined in stop:
            continue
        for s in syl:
            if s not in stop:
                out[s] += 1
        if len(syl) > 1:
            out[joined] += 1
    return out
