"""Is a text Vietnamese plan text at all? (English, Chinese, random bytes, a garbled PDF layer.)

    why = not_plan_text(text, rules)   # None, or a short reason for the NOT_A_PLAN flag

The test is the share of the text's words that are common Vietnamese words
(`rules/language.yaml`): well above a tenth in any plan, near zero in anything else. It
runs once over the cleaned text, in linear time, and stops where the verdict can no longer
change (a plan is sure after about a quarter of its text).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import filterfalse

from .rules import Rules

_WORD = re.compile(r"[^\W\d_]+")
# the characters whose lower case is not one character of the same kind (`İ` → `i̇`) or hangs
# on the letters around it (`Σ` → `σ` or a final `ς`): a text holding neither is lowered in one
# call, word for word as its words are
_CASE_IN_CONTEXT = ("\u0130", "\u03a3")


def _common(rules: Rules) -> frozenset[str]:
    return frozenset(w.lower() for w in rules["language"]["common_words"])


def word_counts(text: str, common: frozenset[str]) -> tuple[int, int]:
    """(words, words in COMMON once lower-cased) of TEXT, its words the runs of `_WORD`.

    Each distinct space-separated token is looked at once, with its count: a space is no
    letter, so the runs fall inside tokens, and a token of letters only is one run (Unicode's
    letters are `_WORD`'s; tests/test_language.py asks about every character)."""
    if _CASE_IN_CONTEXT[0] not in text and _CASE_IN_CONTEXT[1] not in text:
        # lowered whole: each character to one, a letter to a letter (tests ask every one); a
        # token of letters only is one word, and only the others (~1 in 6) are read by _WORD,
        # joined by spaces (its class scan costs ~40 ns a character, split ~10)
        tokens = text.lower().split()
        mixed = list(filterfalse(str.isalpha, tokens))
        words = _WORD.findall(" ".join(mixed)) if mixed else []
        known = common.__contains__
        return (len(tokens) - len(mixed) + len(words),
                sum(map(known, tokens)) - sum(map(known, mixed)) + sum(map(known, words)))
    n = hits = 0
    find = _WORD.findall
    for tok, k in Counter(text.split()).items():
        if tok.isalpha():
            n += k
            if tok.lower() in common:
                hits += k
        else:
            words = find(tok)
            n += k * len(words)
            hits += k * sum(map(common.__contains__, map(str.lower, words)))
    return n, hits


_CHUNK = 2048  # characters counted before the share is checked again


def verdict(text: str, common: frozenset[str], min_words: int, min_share: float) -> str | None:
    """None, or why TEXT is not plan text: fewer than MIN_WORDS of its words are in COMMON, or
    under a MIN_SHARE of them.

    The words are counted chunk by chunk (each cut at a space, which no word spans, so the
    sums are the whole text's counts), and the count stops as soon as the rest of the text
    cannot bring the share under MIN_SHARE however many words it holds (at most one in two
    of its characters opens a word): a plan is sure after about a quarter of its text."""
    n = hits = pos = 0
    size = len(text)
    while pos < size:
        cut = text.find(" ", pos + _CHUNK)
        if cut < 0:
            cut = size
        k, h = word_counts(text[pos:cut], common)
        n, hits, pos = n + k, hits + h, cut
        most = n + (size - pos + 1) // 2  # the words of the whole text, at most
        if 0 < hits and hits >= min_words and min_share >= 0 and hits >= min_share * most:
            return None
    if n == 0:
        return "no words"
    if hits < min_words or hits < min_share * n:
        return f"{hits} of {n} words are common Vietnamese words"
    return None


def not_plan_text(text: str, rules: Rules) -> str | None:
    spec = rules["language"]
    common = rules.compiled("language.common", _common)
    return verdict(text, common, spec.get("min_words", 3), spec.get("min_share", 0.05))
