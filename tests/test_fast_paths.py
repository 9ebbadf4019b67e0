"""Answers kept for speed (per grammar, per text) equal the ones computed afresh."""

from pipeline import markers
from pipeline.rules import load_rules

_LINES = ["II. NHIỆM VỤ", "2.1. Sở Y tế", "đ) Tổ chức", "B. CÁC NHIỆM VỤ", "- Sở Tài chính", "Phần thứ hai",
          "1.Tổ chức", "a. thấp", "Căn cứ Luật", "", "* (Ban hành kèm theo)*", "- đ) Xã"]


def test_parse_kept_answers_equal_fresh_ones():
    g = markers.grammar(load_rules())
    fresh = [markers._parse(s, g) for s in _LINES]
    assert sum(m is not None for m in fresh) >= 8 and None in fresh  # (markers and non-markers)
    assert [markers.parse(s, g) for s in _LINES] == fresh
    assert [markers.parse(s, g) for s in _LINES] == fresh  # again, from what was kept
    assert all(g.known[s] == m for s, m in zip(_LINES, fresh, strict=True))


def test_parse_keeps_a_bounded_number_of_lines():
    g = markers.grammar(load_rules())
    for i in range(markers._KNOWN_KEPT + 10):
        markers.parse(f"{i % 99 + 1}. Dòng {i}", g)
    assert len(g.known) <= markers._KNOWN_KEPT
    assert markers.parse("3. Dòng x", g) == markers._parse("3. Dòng x", g)
