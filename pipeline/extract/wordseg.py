"""Vietnamese word segmentation (underthesea) with offsets kept on the text given.

underthesea's `word_tokenize` joins syllables into words (`tuyên truyền`, `phối hợp`) but
may normalize characters on the way, so its words are aligned back onto the original text
here and never used as text: each word comes back as (start, end, form) where `form` is the
word lower-cased with syllables joined by `_` (`tuyên_truyền`) and `text[start:end]` is the
word as written.

    >>> [w[2] for w in segment_words("Tăng cường tuyên truyền")][:2]   # doctest: +SKIP
    ['tăng_cường', 'tuyên_truyền']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

Word = tuple[int, int, str]

# document numbers (123/KH-UBND) confuse the segmenter; they are cut out before segmenting
_DOC_NUMBER = re.compile(r"\b\d+\s*/\s*[\w\-/Đđ]+")
_SYLLABLE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# underthesea's fixed_words go into a regex unescaped: keep only plain names
_PLAIN_NAME = re.compile(r"^[\w ,\-]+$", re.UNICODE)


_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
# o or u (not after q; u not after g) and the letter that ends the syllable after it; the o/u
# comes first and the look-behinds after it, so the engine can skip to the next o/u
# (the letter after it is one whose tone _move_tone moves: an a, e or y with a tone, as NFC
# writes it; after any other letter the pair stays as it is, and no two pairs overlap, so
# `sub` changes the same pairs as with any letter: ~1.7x faster, most o/u then stop at once)
_MOVED_LETTERS = "ÀÁÃÈÉÝàáãèéýẠạẢảẸẹẺẻẼẽỲỳỴỵỶỷỸỹ"
_TONED_PAIR = re.compile(rf"([oOuU])(?<![qQ].)(?<![gG][uU])([{_MOVED_LETTERS}])(?=[^\w]|$)", re.UNICODE)


def retone(s: str) -> str:
    """Old-style tone placement to the new one, keeping the length: hoá -> hóa, Uỷ -> Ủy.

    >>> retone("Văn hoá, Uỷ ban, thuý, quý")
    'Văn hóa, Ủy ban, thúy, quý'
    """
    if s.isascii():
        return s
    return _TONED_PAIR.sub(_moved, s)


def _moved(m: re.Match) -> str:
    return _move_tone(m.group(0))


@lru_cache(maxsize=1024)
def _move_tone(pair: str) -> str:
    """The two letters PAIR (o/u and the vowel after it) with the tone on the new-style place."""
    first, second = pair[0], pair[1:]
    d = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in d if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    if not tone or base.lower() not in ("a", "e", "y"):
        return pair
    if first.lower() == "o" and base.lower() == "y":
        return pair
    if first.lower() == "u" and base.lower() != "y":
        return pair
    return unicodedata.normalize("NFC", first + tone) + base


_DASHES = re.compile(r"[‐-―−–—]")


def fold(s: str) -> str:
    """Lower case, NFC, new-style tones and one kind of dash; same length as S."""
    if len(s) <= 24:  # a word: the vocabulary of plans is small, so remember it
        return _fold_word(s)
    return _fold_text(s)


@lru_cache(maxsize=65536)
def _fold_word(s: str) -> str:
    return _fold_text(s)


def _fold_text(s: str) -> str:
    out = retone(unicodedata.normalize("NFC", s)).lower()
    out = _DASHES.sub("-", out)
    return out if len(out) == len(s) else unicodedata.normalize("NFC", s).lower()


def _fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).lower()


@lru_cache(maxsize=1)
def _tokenizer():
    try:
        from underthesea import word_tokenize
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("word segmentation needs underthesea: pip install underthesea") from exc
    return word_tokenize


@lru_cache(maxsize=1)
def _parts():
    """underthesea's own tokenizer patterns, character normalizer and CRF model, or None.

    `word_tokenize(text, fixed_words=...)` rebuilds its tokenizer regex on every call (and
    leaves it behind as a module global, which then changes later calls without fixed words
    elsewhere), and reads each match's group dict. The same steps are taken here with the
    regex compiled once per set of fixed words; the tokens and the CRF's tags are the same.
    When underthesea's internals are not where this expects them, `word_tokenize` is used.
    """
    try:
        import underthesea.pipeline.word_tokenize as wt
        from underthesea.pipeline.word_tokenize import regex_tokenize as rt

        _tokenizer()("khởi động", use_token_normalize=False)  # loads the model
        model = wt.word_tokenize_model
        patterns = list(rt.regex_patterns)
        normalize = rt.normalize_characters_in_text
        if model is None or not callable(getattr(model, "predict", None)):
            return None
    except Exception:  # pragma: no cover - another underthesea layout
        return None
    return patterns, normalize, model


@lru_cache(maxsize=8)
def _token_regex(fixed: tuple[str, ...]) -> re.Pattern:
    patterns = _parts()[0]
    if fixed:
        # underthesea writes `\bA\b|\bB\b|...`; one leading `\b` before the alternation is
        # the same test, and lets the regex engine skip alternatives by their first letter
        names = "|".join(re.sub(" ", r"\ ", w) + r"\b" for w in fixed)
        patterns = [rf"(?P<fixed_words>\b(?:{names}))", *patterns]
    return re.compile(r"(" + "|".join(patterns) + ")", re.VERBOSE | re.UNICODE)


def _word_tokenize(text: str, fixed: tuple[str, ...]) -> list[str]:
    """underthesea's word_tokenize(text, fixed_words=fixed, use_token_normalize=False)."""
    parts = _parts()
    if parts is None:
        return _tokenizer()(text, fixed_words=list(fixed), use_token_normalize=False)
    _, normalize, model = parts
    # each alternative of the regex is one named group, so a match is its token
    tokens = [m.group() for m in _token_regex(fixed).finditer(normalize(text))]
    if not tokens:
        return []
    tags = model.predict([[t] for t in tokens])
    out: list[str] = []
    for tag, token in zip(tags, tokens, strict=False):
        if tag == "I-W" and out:
            out[-1] = out[-1] + " " + token
        else:
            out.append(token)
    return out


@lru_cache(maxsize=8192)
def _segment_cached(text: str, fixed: tuple[str, ...]) -> tuple[Word, ...]:
    masked = _DOC_NUMBER.sub(lambda m: " " * len(m.group(0)), text)
    try:
        words = _word_tokenize(masked, fixed)
    except Exception:  # a segmenter failure must not lose the task: fall back to syllables
        words = [m.group(0) for m in _SYLLABLE.finditer(masked)]
    return tuple(_align(text, words))


def _align(text: str, words: Sequence[str]) -> list[Word]:
    """Find each word's syllables in TEXT in order; a word that cannot be found is split."""
    out: list[Word] = []
    folded = _fold(text)
    pos = 0
    for word in words:
        sylls = word.split()
        start = end = None
        p = pos
        ok = True
        for s in sylls:
            fs = _fold(s)
            i = folded.find(fs, p)
            # the syllables of one word are apart by white space only
            if i < 0 or (end is not None and folded[end:i].strip()):
                ok = False
                break
            if start is None:
                start = i
            end = i + len(fs)
            p = end
        if ok and start is not None:
            out.append((start, end, "_".join(fold(text[start:end]).split())))
            pos = end
        # else: a word normalized beyond recognition is skipped (themes only need most words)
    return out


def segment_words(text: str, fixed_words: Sequence[str] = ()) -> tuple[Word, ...]:
    """Words of TEXT as (start, end, form); cached, so a repeated text costs nothing."""
    return _segment_cached(text, _fixed(tuple(fixed_words)))


@lru_cache(maxsize=8)
def _fixed(fixed_words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({w for w in fixed_words if _PLAIN_NAME.match(w)}, key=len, reverse=True))


@lru_cache(maxsize=1)
def dictionary_words(max_len: int = 4) -> frozenset[tuple[str, ...]]:
    """The segmenter's own word list (folded, as syllables; words of 2 to MAX_LEN syllables).

    Cheap to consult: it tells where a word *might* cross a place, and themes read a task's
    words with it (no model). Read from underthesea's model folder without importing
    underthesea; empty when it is not where this expects it (then no word crosses anything).
    """
    import importlib.util

    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob("pipeline/word_tokenize/models/*/dictionary.bin"))
    if not found:
        return frozenset()
    try:  # a plain pickle of a set of strings (joblib's loader costs 0.4 s to import)
        import pickle

        with open(found[-1], "rb") as f:
            words = pickle.load(f)
    except Exception:  # pragma: no cover - another underthesea layout
        return frozenset()
    out = set()
    for w in words:
        sylls = tuple(fold(s) for s in str(w).split())  # syllables repeat: fold caches them
        if 2 <= len(sylls) <= max_len:
            out.add(sylls)
    return frozenset(out)
