"""Is a text Vietnamese plan text at all? (English, Chinese, random bytes, a garbled PDF layer.)

    why = not_plan_text(text, rules)   # None, or a short reason for the NOT_A_PLAN flag

The test is the share of the text's words that are common Vietnamese words
(`rules/language.yaml`): well above a tenth in any plan, near zero in anything else. It
runs once over the cleaned text, in linear time.
"""

from __future__ import annotations

import re

from .rules import Rules

_WORD = re.compile(r"[^\W\d_]+")


def _common(rules: Rules) -> frozenset[str]:
    return frozenset(w.lower() for w in rules["language"]["common_words"])


def not_plan_text(text: str, rules: Rules) -> str | None:
    spec = rules["language"]
    common = rules.compiled("language.common", _common)
    words = _WORD.findall(text)
    n = len(words)
    hits = sum(map(common.__contains__, map(str.lower, words)))  # (no Python loop per word)
    if n == 0:
        return "no words"
    if hits < spec.get("min_words", 3) or hits < spec.get("min_share", 0.05) * n:
        return f"{hits} of {n} words are common Vietnamese words"
    return None
