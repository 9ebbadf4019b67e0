"""Duties: what a task commits to, as (action, object) per clause.

The action of a clause is the class of the verbs at its head (`rules/compare.yaml` actions),
after the light words that open it without saying what is done (`Tăng cường`, `Kịp thời`).
A verb after a nominalising word is part of the object: in `chia sẻ kinh nghiệm giữa cán bộ
làm công tác giải cứu, tiếp nhận nạn nhân` the action is `train` (chia sẻ kinh nghiệm) and
`giải cứu, tiếp nhận` belong to whom the training is for.

    >>> lex = DutyLexicon.from_spec({"actions": {"rescue": ["giải cứu"], "receive": ["tiếp nhận"],
    ...     "train": ["đào tạo"]}, "light_words": ["kịp thời"], "nominalizers": ["công tác"]})
    >>> [sorted(d.actions) for d in duties("kịp thời giải cứu, tiếp nhận nạn nhân", lex)]
    [['receive', 'rescue']]
    >>> [sorted(d.actions) for d in duties("đào tạo công tác giải cứu nạn nhân", lex)]
    [['train']]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .text import TEXTS_KEPT, fold

__all__ = ["Duty", "DutyLexicon", "duties"]


@dataclass(frozen=True)
class Duty:
    actions: frozenset[str]  # action classes at the head of the clause
    verbs: tuple[str, ...]  # those verbs as written (folded), shown as evidence
    obj: str  # the object words (prepared text)
    inner: frozenset[str] = frozenset()  # action classes inside the object (`tham gia lớp tập huấn`)

    def done(self) -> frozenset[str]:
        """What a child clause can be credited with: its head actions, else those inside it."""
        return self.actions or self.inner


@dataclass(frozen=True, eq=False)  # hashed by identity: one per Rules, a cache key
class DutyLexicon:
    phrases: Mapping[tuple[str, ...], tuple[str, str]]  # syllables -> (kind, action class)
    starts: Mapping[str, int]  # first syllable -> the longest phrase it opens

    @classmethod
    def from_spec(cls, spec: Mapping) -> DutyLexicon:
        phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        for w in spec.get("light_words") or ():
            phrases[tuple(fold(str(w)).split())] = ("light", "")
        for w in spec.get("nominalizers") or ():
            phrases[tuple(fold(str(w)).split())] = ("nominal", "")
        for w in spec.get("head_nouns") or ():
            phrases[tuple(fold(str(w)).split())] = ("head_noun", "")
        for cls_name, verbs in (spec.get("actions") or {}).items():
            for v in verbs:
                phrases[tuple(fold(str(v)).split())] = ("action", str(cls_name))
        starts: dict[str, int] = {}
        for k in phrases:
            starts[k[0]] = max(starts.get(k[0], 0), len(k))
        return cls(phrases, starts)

    def match(self, toks: list[str], i: int) -> tuple[int, str, str]:
        """(length, kind, class) of the longest phrase at toks[i], or (1, 'word', '')."""
        # most words open no phrase: one lookup instead of one per phrase length
        longest = self.starts.get(toks[i])
        if longest is None:
            return 1, "word", ""
        for n in range(min(longest, len(toks) - i), 0, -1):
            hit = self.phrases.get(tuple(toks[i:i + n]))
            if hit:
                return n, hit[0], hit[1]
        return 1, "word", ""


_CLAUSE = re.compile(r"[;.:]")


def duties(prepared: str, lex: DutyLexicon) -> tuple[Duty, ...]:
    """The duties of a prepared (folded) text, one or more per clause."""
    return _duties(prepared, lex)


@lru_cache(maxsize=TEXTS_KEPT)
def _duties(prepared: str, lex: DutyLexicon) -> tuple[Duty, ...]:
    out: list[Duty] = []
    for clause in _CLAUSE.split(prepared):
        out += _clause_duties(clause.replace(",", " , ").split(), lex)
    return tuple(out)


def _light_then_action(toks: list[str], j: int, lex: DutyLexicon) -> bool:
    seen_light = False
    while j < len(toks):
        n, kind, _ = lex.match(toks, j)
        if kind == "light":
            seen_light, j = True, j + n
            continue
        return seen_light and kind == "action"
    return False


def _clause_duties(toks: list[str], lex: DutyLexicon) -> list[Duty]:
    out: list[Duty] = []
    actions: set[str] = set()
    verbs: list[str] = []
    inner: dict[str, str] = {}  # action verbs inside the object: the action when the head has none
    obj: list[str] = []
    state, nominal = "head", False  # head: reading the verbs; object; maybe: after a comma

    def flush() -> None:
        if obj:
            # `Cử cán bộ tham gia các lớp tập huấn`: no verb at the head; the training inside is
            # credited to a child clause, never demanded of a mandate (inner verbs are often nouns)
            out.append(Duty(frozenset(actions), tuple(verbs or inner), " ".join(obj),
                            frozenset(inner.values())))

    i = 0
    while i < len(toks):
        if toks[i] == ",":
            if state == "object" and (not nominal or _light_then_action(toks, i + 1, lex)):
                state = "maybe"  # `..., kịp thời tham mưu`: an adverb opens a new duty
            i += 1
            continue
        n, kind, cls = lex.match(toks, i)
        phrase = toks[i:i + n]
        if kind == "action" and state == "maybe" and obj:
            flush()  # `..., xử lý vi phạm`: a second duty in the same clause
            actions, verbs, inner, obj, nominal = set(), [], {}, [], False
            state = "head"
        if kind == "action" and state == "head":
            actions.add(cls)
            verbs.append(" ".join(phrase))
        elif kind == "light" and state in ("head", "maybe"):
            pass
        elif kind == "head_noun" and state == "head":
            pass  # `Thực hiện các biện pháp bảo vệ`: the verbs after it are the action
        else:
            if kind in ("nominal", "head_noun"):
                nominal = True
            elif kind == "action":
                inner.setdefault(" ".join(phrase), cls)
            obj += phrase
            state = "object"
        i += n
    flush()
    if not out and actions:  # verbs alone (`Tổ chức tuyên truyền.`): a duty with no object
        out.append(Duty(frozenset(actions), tuple(verbs), ""))
    return out
