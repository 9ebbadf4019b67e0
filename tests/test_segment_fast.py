"""Fast paths of the segment stage give the plain paths' answers (corpus texts and generated ones)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_text
from pipeline.records import CleanDoc
from pipeline.rules import load_rules
from pipeline.section_kinds import child_kind, kind_of, kind_rules, norm
from pipeline.segment import segment

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
_RULES = load_rules()
_KR = kind_rules(_RULES)


def _child_kind_plain(heading: str, parent_kind: str) -> str:
    """kind_of for a numbered child without the child-word prefilter: every child word looked for."""
    return child_kind(norm(heading), parent_kind, _KR)


_PARENTS = sorted({k for k, _, _ in _KR.kinds} | {_KR.default_kind})


def _corpus_headings() -> list[str]:
    heads: list[str] = []
    for f in sorted(CORPUS.rglob("*")):
        if f.suffix not in (".txt", ".md"):
            continue
        clean, _ = clean_text(f.read_text(encoding="utf-8"), rules=_RULES)
        heads += [s.heading for s in segment(CleanDoc(f.stem, clean), rules=_RULES).sections]
    return heads


def test_kind_of_child_on_corpus_headings():
    heads = _corpus_headings()
    assert len(heads) > 1000
    changed = 0
    for h in heads:
        for parent in _PARENTS:
            got = kind_of(h, parent, False, False, _KR)
            assert got == _child_kind_plain(h, parent), (h, parent)
            changed += got != parent
    assert changed > 0  # (the corpus has child words that change a kind: the slow path is run too)


_WORDS = sorted({w for _, _, cws in _KR.kinds for w in cws} | {"tổ chức", "báo", "cáo", "kinh", "phí", "x"})
_PIECES = st.sampled_from([*_WORDS, *(w.upper() for w in _WORDS), " ", ".", ";", ",", "-", "*", "1.", "a)",
                           "báo cáo1", "kinh phíx", "Chủ đề:", "nguồn vốn."])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=16).map(" ".join), st.sampled_from(_PARENTS))
def test_kind_of_child_on_generated_headings(heading, parent):
    assert kind_of(heading, parent, False, False, _KR) == _child_kind_plain(heading, parent)


@pytest.mark.parametrize("parent", _PARENTS)
def test_kind_of_child_any_text(parent):
    for h in ["", "Báo cáo", "báo cáo kết quả", "1. Kinh phí thực hiện", "Giao nhiệm vụ", "kinh phíđ"]:
        assert kind_of(h, parent, False, False, _KR) == _child_kind_plain(h, parent)
