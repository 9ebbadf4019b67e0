"""patterns: the shared regex helpers; anchored_finditer finds what finditer finds."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.patterns import anchored_finditer, words_alternation
from pipeline.extract.ref_rules import ref_rules
from pipeline.rules import load_rules

REF = ref_rules(load_rules())

# pieces of citation-like text: kinds, `số`, numbers, symbols, dates, and what breaks them
PIECES = ["Quyết định", "QUYẾT ĐỊNH", "Kế hoạch", "Nghị quyết", "Luật", "số", "Số:", " ", "\n",
          "  ", ",", ";", ".", "(", ")", "12", "05", "3", "/", "-", " - ", "/ ", "QĐ", "KH",
          "UBND", "TTg", "TW", "NQ", "CT/TU", "2024", "ngày", "của", "và", "a", "1.2", "tỉnh"]


def spans(matches):
    return [m.span() for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.data())
def test_anchored_finditer_finds_exactly_what_finditer_finds(pieces, data):
    text = "".join(pieces)
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    assert spans(anchored_finditer(REF.numbered, REF.numbered_anchor, REF.numbered_lead_in_end,
                                   text, pos, end)) == spans(REF.numbered.finditer(text, pos, end))


def test_anchored_finditer_on_a_preamble():
    # the dates are no citations: the search jumps from one number with a symbol to the next
    text = ("Căn cứ Quyết định số 1521/QĐ-TTg ngày 06/10/2025 của Thủ tướng; Kế hoạch số "
            "12-KH/TU ngày 3/4/2024; văn bản 45/UBND-VX.")
    found = [m.group() for m in anchored_finditer(REF.numbered, REF.numbered_anchor,
                                                  REF.numbered_lead_in_end, text)]
    assert found == ["Quyết định số 1521/QĐ-TTg", "Kế hoạch số 12-KH/TU", "văn bản 45/UBND-VX"]


def test_an_empty_alternation_never_matches():
    assert regex.search(words_alternation([]), "anything") is None
    assert regex.search(words_alternation([""]), "x") is None
