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

__all__ = ["TEXTS_KEPT", "TextConfig", "text_config", "segmenter_of", "fold", "words", "abbreviations_in",
           "prepare", "terms", "phrases"]


@dataclass(frozen=True, eq=False)  # hashed by identity: one per Rules, a cache key
class TextConfig:
    abbr: tuple[tuple[re.Pattern, str], ...]
    stop: frozenset[str]
    synonyms: re.Pattern | None  # every alternative phrase, longest first, in one pattern
    heads: Mapping[str, str]  # alternative phrase -> the phrase it stands for
    labels: tuple[re.Pattern, ...] = ()
    abbr_written: tuple[str, ...] = ()  # each abbreviation as written (abbr's patterns need it)
    segmenter: str = "syllables"  # how terms are cut from a text: "syllables" or "underthesea"


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
    return TextConfig(abbr, stop, alts, dict(syn), labels, tuple(k for k, _ in written),
                      segmenter_of(rules))


def segmenter_of(rules: Rules) -> str:
    """compare.yaml's `segmenter`: syllables (the default) or underthesea's words."""
    return rules["compare"].get("segmenter") or "syllables"


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


def terms(text: str, cfg: TextConfig) -> Counter:
    """Weighted terms of prepared text: its syllables but stopwords, and each pair of neighbouring
    ones (`quá_trình`); with cfg.segmenter "underthesea", each word of several syllables instead
    of the pairs. (Shared: do not change the Counter returned.)"""
    if cfg.segmenter == "syllables":
        # (pairs stand in for compound words: on scripts/calibrate_compare.py's set they part
        # covered from dropped tasks better than underthesea's words, see rules/compare.yaml)
        return _syllable_terms(text, cfg.stop)
    # the words through `words` every time (with a memo in use, it learns whose they are);
    # the counting, the same for a parent's mandates whichever child is compared, kept
    return _terms_of(words(_MARKS.sub(" ", text)), cfg.stop)


def phrases(text: str, shared: list[str]) -> list[str]:
    """SHARED terms (syllables and pairs, strongest first) as a person reads them: the runs of
    prepared TEXT's syllables joined by shared pairs (`chăm_sóc_sức_khỏe`, never `sóc_sức` alone),
    strongest first."""
    rank = {t: i for i, t in enumerate(shared)}
    found: dict[str, int] = {}

    def keep(run: list[str]) -> None:
        if run:
            parts = run + [f"{a}_{b}" for a, b in zip(run, run[1:], strict=False)]
            found.setdefault("_".join(run), min(rank.get(t, len(rank)) for t in parts))

    for part in _MARKS.split(text):
        run: list[str] = []
        for syl in part.split():
            if run and f"{run[-1]}_{syl}" in rank:
                run.append(syl)
                continue
            keep(run)
            run = [syl] if syl in rank else []
        keep(run)
    return sorted(found, key=found.__getitem__)


@lru_cache(maxsize=TEXTS_KEPT)
def _syllable_terms(text: str, stop: frozenset[str]) -> Counter:
    # a stopword of several syllables (`thực_hiện`) is left out whole, as underthesea's word
    # would be; a pair never spans a stopword or a mark (`,;.:`)
    out: Counter = Counter()
    runs = _stop_runs(stop)
    for part in _MARKS.split(text):
        syl = part.split()
        ok = [s not in stop and bool(_LETTERS.search(s)) and not s.isdigit() for s in syl]
        i = 0
        while i < len(syl):
            run = next((r for r in runs.get(syl[i], ()) if tuple(syl[i:i + len(r)]) == r), ())
            ok[i:i + len(run)] = [False] * len(run)
            i += len(run) or 1
        for i, s in enumerate(syl):
            if ok[i]:
                out[s] += 1
                if i + 1 < len(syl) and ok[i + 1]:
                    out[f"{s}_{syl[i + 1]}"] += 1
    return out


@lru_cache(maxsize=8)
def _stop_runs(stop: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    runs: dict[str, list[tuple[str, ...]]] = {}
    for word in stop:
        if "_" in word:
            syl = tuple(word.split("_"))
            runs.setdefault(syl[0], []).append(syl)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in runs.items()}


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
