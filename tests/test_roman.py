"""Roman numerals both ways: Word's list numbering and OCR's repair write them, headings read them."""

from hypothesis import given
from hypothesis import strategies as st

from pipeline.markers import roman_numeral, roman_value


@given(st.integers(min_value=1, max_value=99))  # headings never go past XCIX
def test_numeral_reads_back_as_its_value(n):
    assert roman_value(roman_numeral(n)) == n


def test_known_numerals():
    assert [roman_numeral(n) for n in (4, 9, 14, 40, 1994)] == ["IV", "IX", "XIV", "XL", "MCMXCIV"]
    assert roman_numeral(0) == ""
