"""Is a text Vietnamese plan text at all? (English, Chinese, random bytes, a garbled PDF layer.)

    why = not_plan_text(text, rules)   # None, or a short reason for the NOT_A_PLAN flag

The test is the share of the text's words that are common Vietnamese words
(`rules/language.yaml`): well above a tenth in any plan, near zero in anything else. It
runs once over the cleaned text, in linear time.
"""

from __future__ import annotations

import re
from collections import Counter

from .rules import Rules

_WORD = re.compile(r"[^\W\d_]+")


def _common(rules: Rules) -> frozenset[str]:
    return frozenset(w.lower() for w in rules["language"]["common_words"])


def word_counts(text: str, common: frozenset[str]) -> tuple[int, int]:
    """(words, words in COMMON once lower-cased) of TEXT, its words the runs of `_WORD`.

    Each distinct space-separated token is looked at once, with its count: a space is no
    letter, so the runs fall inside tokens, and a token of letters only is one run (Unicode's
    letters are `_WORD`'s; tests/test_language.py asks about every character)."""
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


def not_plan_text(text: str, rules: Rules) -> str | None:
    spec = rules["language"]
    common = rules.compiled("language.common", _common)
    n, hits = word_counts(text, common)
    if n == 0:
        return "no words"
    if hits < spec.get("min_words", 3) or hits < spec.get("min_share", 0.05) * n:
        return f"{hits} of {n} words are common Vietnamese words"
    return None
