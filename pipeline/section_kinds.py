"""The kind of a section (purpose, objectives, tasks, assignment, budget, organization,
reporting, other): from its heading words first, then from what its items say.

- A top-level section takes the kind whose word occurs EARLIEST in its heading (rules/
  headings.yaml ``section_kinds``): ``NHIỆM VỤ, GIẢI PHÁP VÀ PHÂN CÔNG`` → tasks.
- A numbered or lettered child inherits its parent's kind unless one of a kind's
  ``child_words`` stands among the first words of its heading (``2. Chế độ báo cáo`` →
  reporting, ``8. Phương án huy động kinh phí`` → budget). A bullet item always inherits: its
  text is a sentence, not a title (``- Phân công trách nhiệm cụ thể ...`` under ``Yêu cầu``
  stays a requirement).
- A section whose heading words say nothing (``other``) takes the kind ``tasks`` when most of
  its items open with an action verb (``action_verbs``), after a short label such as ``Giai
  đoạn 48-72 giờ:``; its children follow. Purpose, objectives and budget never do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .rules import Rules

_CHILD_WORD_WINDOW = 4  # a child word counts after at most this many words of a heading
_STAY_OUT = frozenset({"purpose", "objectives"})  # their items are never tasks (CONTRACT)
_TITLE_MAX_WORDS = 10  # a longer heading is a sentence
_LABEL_MAX_WORDS = 8  # `Giai đoạn khẩn cấp (0-48 giờ):` before the item's own text
_LABEL_RX = re.compile(r"^([^:;.]{1,80}?):\s*")
_LABEL_REACH = 82  # the most of a normalized text _LABEL_RX reads: 80, the colon, one space
_HEAD_SIZE = 64  # characters of a long heading normalized to read its first words (11 fit mostly)


_MARKUP_CHARS = "*#_`\\"


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).lower()
    for ch in _MARKUP_CHARS:  # (each to a space; a replace is skipped where none stands)
        if ch in s:
            s = s.replace(ch, " ")
    return " ".join(s.split())  # (split's white space is the `\s` of re)


def norm_head(s: str, size: int, words: int = 0, chars: int = 0) -> str:
    """norm(S), or, when S is longer than SIZE, the start of norm(S) that norm(S[:SIZE])
    gives up to its last space, if that holds at least WORDS words and CHARS characters: all
    a reading of the first words needs (a long item's heading is a paragraph).

    norm changes each space-separated word on its own (NFC, case, markup to spaces: nothing
    joins or changes across white space), so norm of a prefix of S is norm(S)'s words but the
    last, which may be cut; the start returned is followed by a space in norm(S)."""
    if len(s) > size:
        h = norm(s[:size])
        cut = h.rfind(" ")
        if cut >= chars and h.count(" ", 0, cut) + 1 >= words:
            return h[:cut]
    return norm(s)


@dataclass(frozen=True)
class KindRules:
    kinds: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # kind, words, child_words
    default_kind: str
    word_rx: re.Pattern | None
    verbs_rx: re.Pattern | None
    action_share: float
    appendix_kind: str
    other_rx: re.Pattern | None  # a heading opening with one of these stays `other`
    # any child word anywhere in a text: where none is, kind_of's scan of them finds nothing
    child_any_rx: re.Pattern | None = None
    # how far into a normalized heading names_other and opens_with_action read (characters)
    other_reach: int = 0
    action_reach: int = 0


def _build(rules: Rules) -> KindRules:
    data = rules["headings"] or {}
    kinds = tuple(
        (k["kind"], tuple(norm(w) for w in k.get("words") or []),
         tuple(norm(w) for w in k.get("child_words") or []))
        for k in data.get("section_kinds") or []
    )
    words = sorted({w for _, ws, _ in kinds for w in ws}, key=len, reverse=True)
    child = sorted({w for _, _, cws in kinds for w in cws}, key=len, reverse=True)
    verbs = sorted({norm(v) for v in data.get("action_verbs") or []}, key=len, reverse=True)
    return KindRules(
        kinds=kinds,
        default_kind=data.get("default_kind") or "other",
        word_rx=(re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
                 if words else None),
        verbs_rx=re.compile(r"^(?:" + "|".join(re.escape(v) for v in verbs) + r")(?!\w)") if verbs else None,
        action_share=float(data.get("action_share") or 0.5),
        appendix_kind=data.get("appendix_kind") or "tasks",
        other_rx=_opening_rx([w for k, ws, _ in kinds if k == (data.get("default_kind") or "other")
                              for w in ws]),
        child_any_rx=re.compile("|".join(re.escape(w) for w in child)) if child else None,
        # (a match of the opening words, and the character after it)
        other_reach=max((len(w) for k, ws, _ in kinds if k == (data.get("default_kind") or "other")
                         for w in ws), default=0) + 1,
        # (a label, its colon and a space, the verb and the character after it)
        action_reach=_LABEL_REACH + max((len(v) for v in verbs), default=0) + 1,
    )


def _opening_rx(words: list[str]) -> re.Pattern | None:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)") if words else None


def names_other(heading: str, kr: KindRules) -> bool:
    """The heading opens with a word of the default kind (`Phương pháp`, `Nội dung giám sát`):
    its items describe, whatever verbs they open with, so they never make it `tasks`."""
    return kr.other_rx is not None and kr.other_rx.match(
        norm_head(heading, _HEAD_SIZE + kr.other_reach, chars=kr.other_reach)) is not None


def kind_rules(rules: Rules) -> KindRules:
    return rules.compiled("section_kinds", _build)


def kind_of(heading: str, parent_kind: str | None, parent_is_part: bool, bullet: bool,
            kr: KindRules) -> str:
    """The kind a section's heading words give it (PARENT_KIND None for a top-level one)."""
    if bullet and parent_kind is not None and not parent_is_part:
        return parent_kind  # a bullet item inherits (the words are not read: see below)
    if parent_kind is None or parent_is_part:
        h = norm(heading)
        if kr.word_rx is None:
            return kr.default_kind
        best: tuple[int, int, str] | None = None
        for m in kr.word_rx.finditer(h):
            w = m.group(1)
            for kind, words, _ in kr.kinds:
                if w in words:
                    key = (m.start(), -len(w), kind)
                    if best is None or key < best:
                        best = key
                    break
        return best[2] if best else kr.default_kind
    if bullet or kr.child_any_rx is None:
        return parent_kind
    # child_kind reads the first words, and the rest only to count up to _TITLE_MAX_WORDS
    h = norm_head(heading, _HEAD_SIZE, words=_TITLE_MAX_WORDS + 1)
    if kr.child_any_rx.search(h) is None:
        return parent_kind  # (no child word in the heading: the scan would find none)
    return child_kind(h, parent_kind, kr)


def child_kind(h: str, parent_kind: str, kr: KindRules) -> str:
    """The kind a child word of the normalized heading H gives a numbered child of a
    PARENT_KIND section (kind_of asks only when one stands in H), else PARENT_KIND."""
    words = h.split()
    title = len(words) <= _TITLE_MAX_WORDS and not h.rstrip().endswith((".", ";"))
    # a sentence under a purpose or an objective stays one (`b) Phân công nhiệm vụ và trách
    # nhiệm cụ thể cho các sở ...` under `Mục đích`): only a title there changes the kind
    if title or parent_kind not in _STAY_OUT:
        # a child word opens the heading, or stands in a short title (`8. Phương án huy động
        # kinh phí`), not in a sentence (`a) Thẩm định dự toán kinh phí thực hiện ...`)
        window = _CHILD_WORD_WINDOW if title else 0
        head = " ".join(words[:window + 4])
        for kind, _, child_words in kr.kinds:
            for w in child_words:
                i = head.find(w)
                if i >= 0 and (i == 0 or head[i - 1] == " ") and (
                    i + len(w) == len(head) or not head[i + len(w)].isalnum()
                ) and len(head[:i].split()) <= window:
                    return kind
    return parent_kind


def opens_with_action(text: str, kr: KindRules) -> bool:
    """The item's text opens with an action verb, after a short label if it has one."""
    if kr.verbs_rx is None:
        return False
    t = norm_head(text, _HEAD_SIZE + kr.action_reach, chars=kr.action_reach)
    m = _LABEL_RX.match(t)
    if m and len(m.group(1).split()) <= _LABEL_MAX_WORDS and t[m.end():]:
        t = t[m.end():]
    return kr.verbs_rx.match(t) is not None


def acts(items: Sequence[str], kr: KindRules) -> bool:
    """Most of ITEMS (the texts of a section's items), and at least two, open with an action verb."""
    if not items:
        return False
    n = sum(1 for t in items if opens_with_action(t, kr))
    return n >= kr.action_share * len(items) and n >= 2
