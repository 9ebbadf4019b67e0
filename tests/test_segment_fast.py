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


# norm_head: the start of norm(s) from a prefix of s, whatever the characters at the cut
# (combining marks, a final sigma, markup, white space of every kind, NFC's singletons)
_ODD = st.sampled_from(["a", "Σ", "σ", "İ", "ß", "\u0301", "\u0323", "e\u0302", "Đ", "ư", " ", "  ", "\t",
                        "\n", "\u00a0", "\u2000", "\u3000", "*", "#", "_", "`", "\\", ":", ";", ".",
                        "\u037e", "\u1fef", "Tổ", "chức", "BÁO", "cáo", "'", "\u200b"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ODD, max_size=80).map("".join), st.integers(0, 90), st.integers(0, 14), st.integers(0, 60))
def test_norm_head_is_a_start_of_norm(s, size, words, chars):
    from pipeline.section_kinds import norm_head

    full = norm(s)
    got = norm_head(s, size, words=words, chars=chars)
    if got != full:
        assert full.startswith(got + " ")
        assert len(got) >= chars and len(got.split()) >= words


def _names_other_plain(heading: str) -> bool:
    return _KR.other_rx is not None and _KR.other_rx.match(norm(heading)) is not None


def _opens_with_action_plain(text: str) -> bool:
    import re

    t = norm(text)
    m = re.match(r"^([^:;.]{1,80}?):\s*", t)
    if m and len(m.group(1).split()) <= 8 and t[m.end():]:
        t = t[m.end():]
    return _KR.verbs_rx.match(t) is not None


_VERBS = ["tổ chức", "triển khai", "phương pháp", "nội dung giám sát", "chủ đề", "x", "Giai đoạn 1:",
          "đợt", ":", " ", "  ", ".", ";", "*", "a" * 30, "b" * 79 + ":", "kinh phí"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_VERBS + [v.upper() for v in _VERBS]), max_size=40).map(" ".join))
def test_names_other_and_action_read_the_start_as_the_whole(text):
    from pipeline.section_kinds import names_other, opens_with_action

    assert names_other(text, _KR) == _names_other_plain(text)
    assert opens_with_action(text, _KR) == _opens_with_action_plain(text)


def test_names_other_and_action_on_corpus_headings():
    from pipeline.section_kinds import names_other, opens_with_action

    heads = _corpus_headings()
    long = [h for h in heads if len(h) > 250]
    assert len(long) > 50  # (the part read is a start of these)
    acting = 0
    for h in heads:
        assert names_other(h, _KR) == _names_other_plain(h), h
        acting += opens_with_action(h, _KR)
        assert opens_with_action(h, _KR) == _opens_with_action_plain(h), h
    assert acting > 100


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=20, max_size=60).map(" ".join), st.sampled_from(_PARENTS))
def test_kind_of_child_on_long_generated_headings(heading, parent):
    assert kind_of(heading, parent, False, False, _KR) == _child_kind_plain(heading, parent)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VERBS + [v.upper() for v in _VERBS]), max_size=40).map(" ".join))
def test_the_reaches_hold_all_a_reading_needs(text):
    """Any start of the normalized text up to a space, as long as the reach, reads as the whole."""
    from pipeline.section_kinds import names_other, opens_with_action

    h = norm(text)
    for cut in (i for i, ch in enumerate(h) if ch == " "):
        if cut >= _KR.action_reach:
            assert opens_with_action(h[:cut], _KR) == _opens_with_action_plain(h), (h, cut)
        if cut >= _KR.other_reach:
            assert names_other(h[:cut], _KR) == _names_other_plain(h), (h, cut)


def test_marker_lines_open_with_what_the_patterns_open_with():
    """parse's and appendix's first-character tests leave out only lines no pattern matches
    (corpus lines, and lines opening with every character of the basic plane and some past it)."""
    import dataclasses
    import random

    from pipeline.markers import _parse, appendix, grammar

    g = grammar(_RULES)
    plain = dataclasses.replace(g, opens=None, appendix_opens=None, known={})
    lines = []
    for f in sorted(CORPUS.rglob("*")):
        if f.suffix in (".txt", ".md"):
            lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(83)
    tails = [". Nhiệm vụ", ") Tổ chức", " - Mục tiêu", "hần thứ hai", "HẦN I. X", ".1. Kế hoạch", " x", "",
             "HỤ LỤC I", "hụ lục số 02: DANH MỤC", "HỤ LỤC", "HỤ LỤC 2: DANH MỤC NHIỆM VỤ"]
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000] + ["\U0001d7ce", "\U00010400"]
    lines += [ch + rng.choice(tails) for ch in chars] + [ch + t for ch in "PpĐ1-" for t in tails]
    kept = appendices = 0
    for line in lines:
        want = _parse(line, plain)
        assert _parse(line, g) == want, line
        kept += want is not None
        want = appendix(line, plain)
        assert appendix(line, g) == want, line
        appendices += want is not None
    assert kept > 1000 and appendices >= 4
