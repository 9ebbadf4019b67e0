"""Word segmentations kept between runs: each task's terms are segmented once, ever.

Word segmentation (underthesea's CRF) was three quarters of the compare stage, and a run
segmented the whole store again. With a memo in use, `text.words` answers from the
segmentations loaded for the plans at hand and records the ones it makes, each under the
plan whose text it is (`owner`: the child while its tasks are read, the parent while its
mandates are), so a later run loads the segmentations of just the plans it compares.

    memo = WordMemo()
    with using(memo):
        memo.load(rows)                 # (owner, key, words) rows of the plans at hand
        with owner("doc-1"): ...        # compare
    memo.new                            # rows to keep
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["WordMemo", "using", "owner", "current", "key_of", "segmenter_version"]

_memo: WordMemo | None = None


class WordMemo:
    def __init__(self) -> None:
        self.known: dict[str, tuple[str, ...]] = {}
        self.owned: set[tuple[str, str]] = set()  # (owner, key) kept, or to keep
        self.new: list[dict] = []  # {"owner", "key", "words"} to keep, since the last `take`
        self.owner = ""
        self.hits = self.misses = 0

    def load(self, rows: Iterable[dict]) -> None:
        """Replace what is known by ROWS (the plans of one chunk: memory stays flat)."""
        self.known, self.owned = {}, set()
        for r in rows:
            self.known[r["key"]] = tuple(r["words"])
            self.owned.add((r["owner"], r["key"]))

    def get(self, text: str) -> tuple[str, ...] | None:
        k = key_of(text)
        got = self.known.get(k)
        if got is None:
            self.misses += 1
            return None
        self.hits += 1
        self._own(k, got)  # known under another plan: kept under this one too
        return got

    def put(self, text: str, words: tuple[str, ...]) -> None:
        k = key_of(text)
        self.known[k] = words
        self._own(k, words)

    def _own(self, k: str, words: tuple[str, ...]) -> None:
        if (self.owner, k) not in self.owned:
            self.owned.add((self.owner, k))
            self.new.append({"owner": self.owner, "key": k, "words": list(words)})

    def take(self) -> list[dict]:
        out, self.new = self.new, []
        return out


def key_of(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def current() -> WordMemo | None:
    return _memo


@contextmanager
def using(memo: WordMemo | None) -> Iterator[WordMemo | None]:
    global _memo
    before, _memo = _memo, memo
    try:
        yield memo
    finally:
        _memo = before


@contextmanager
def owner(doc_id: str | None) -> Iterator[None]:
    """Segmentations made inside belong to DOC_ID (None: to no plan, e.g. a catalogue's)."""
    memo = _memo
    if memo is None:
        yield
        return
    before, memo.owner = memo.owner, doc_id or ""
    try:
        yield
    finally:
        memo.owner = before


def segmenter_version(segmenter: str) -> str:
    """What the segmentations depend on besides their text (SEGMENTER: compare.yaml's)."""
    if segmenter == "syllables":
        return "syllables"
    try:
        from importlib.metadata import version

        return "underthesea " + version("underthesea")
    except Exception:  # not installed: syllables, see text._segmenter
        return "syllables"
