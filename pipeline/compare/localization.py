"""Localization: how much of a child plan's task text is its own, not copied from its source.

The source is what the plan was checked against: its parent plan(s) in the store, else the
programme catalogue. A word of a child task is copied when it lies inside a run of at least
`MIN_RUN` consecutive syllables (folded, punctuation ignored) that also occurs in the source's tasks;
the rest is the plan's own. One row per task and one per plan (scope `plan`, task_id null,
shares weighted by words). A commune plan that copies the province's text word for word has
own_share near 0.

    >>> rows = localize("c", [{"task_id": "t", "path": "1", "text": "Tuyên truyền cho người dân về "
    ...     "phòng chống mua bán người tại thôn Đông"}], ["tuyên truyền cho người dân về phòng chống"
    ...     " mua bán người"], source="p", source_doc_id="p")
    >>> [(r.scope, r.n_words, r.copied_words) for r in rows]
    [('task', 14, 11), ('plan', 14, 11)]

Words are syllables, as Vietnamese is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .text import fold

__all__ = ["Localization", "localize", "MIN_RUN"]

MIN_RUN = 8  # syllables; shorter runs (`phòng, chống mua bán người`) are every plan's vocabulary
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Localization:
    doc_id: str
    scope: str  # task, plan
    source: str  # the parent's doc_ref (or doc_id), or the catalogue id
    n_words: int
    copied_words: int
    own_share: float
    longest_copied: int  # the longest copied run, in words
    task_id: str | None = None
    path: str | None = None
    source_doc_id: str | None = None  # the parent's doc_id; null for a catalogue


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def shingles(texts: Iterable[str], n: int = MIN_RUN) -> frozenset[tuple[str, ...]]:
    """Every run of N words of the source texts (each text on its own: no run across two)."""
    out: set[tuple[str, ...]] = set()
    for t in texts:
        w = _words(t)
        out.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    return frozenset(out)


def _copied(words: Sequence[str], source: frozenset, n: int) -> tuple[int, int]:
    """(words inside a copied run, longest run) of WORDS against the source's runs."""
    mark = [False] * len(words)
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) in source:
            for j in range(i, i + n):
                mark[j] = True
    longest = run = 0
    for m in mark:
        run = run + 1 if m else 0
        longest = max(longest, run)
    return sum(mark), longest


def localize(doc_id: str, tasks: Sequence[dict], source_texts: Iterable[str] | frozenset, *,
             source: str, source_doc_id: str | None = None, n: int = MIN_RUN) -> list[Localization]:
    """Rows for one child plan: one per task with text, then the plan's own."""
    src = source_texts if isinstance(source_texts, frozenset) else shingles(source_texts, n)
    out: list[Localization] = []
    total = copied_all = longest_all = 0
    for t in sorted(tasks, key=lambda t: t.get("char_start") or 0):
        words = _words(t.get("text") or "")
        if not words:
            continue
        copied, longest = _copied(words, src, n)
        out.append(Localization(doc_id, "task", source, len(words), copied,
                                round(1 - copied / len(words), 4), longest, task_id=t["task_id"],
                                path=t.get("path"), source_doc_id=source_doc_id))
        total += len(words)
        copied_all += copied
        longest_all = max(longest_all, longest)
    if total:
        out.append(Localization(doc_id, "plan", source, total, copied_all, round(1 - copied_all / total, 4),
                                longest_all, source_doc_id=source_doc_id))
    return out
