"""Fast paths of the task, theme, deadline and target stages against their plain forms."""

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

_targets = importlib.import_module("pipeline.extract.targets")


def _plain_numbers(text: str) -> list[tuple[int, int]]:
    """The numbers _candidates reads, as it found them before: every _NUMBER, then those
    with a letter, digit, `/`, `.` or `,` before or a `/` after dropped."""
    out = []
    for m in _targets._NUMBER.finditer(text):
        s, e = m.span()
        if (s and (text[s - 1].isalnum() or text[s - 1] in "/.,")) or text[e:e + 1] == "/":
            continue
        out.append((s, e))
    return out


_NUMBERISH = st.text(alphabet=list("0123456789٣.,/ -_aĐ%\n"), max_size=40)


@settings(max_examples=800, deadline=None)
@given(_NUMBERISH)
def test_free_numbers_are_the_numbers_kept_before(text):
    assert [m.span() for m in _targets._FREE_NUMBER.finditer(text)] == _plain_numbers(text)


def test_free_numbers_fixtures():
    for text in ("1.5/2 và 12", "số 123/KH-UBND ngày 15/6/2025", "a12 _3 ,4 .5 đạt 90%", "2026",
                 "1.000,5 người; 0243.8252.111", "x1.2. 3,", ""):
        assert [m.span() for m in _targets._FREE_NUMBER.finditer(text)] == _plain_numbers(text), text
