"""reflow's faster join tests (the upper-case test, the bare-marker look, the one opening pattern)
agree with the plain forms they replace (kept below)."""

import importlib
import re
from functools import lru_cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.regex_union import either
from pipeline.rules import load_rules

reflow = importlib.import_module("pipeline.reflow")
clean_mod = importlib.import_module("pipeline.clean")
ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _cr():
    return load_rules().compiled("clean", clean_mod._build).reflow


# --- the plain forms --------------------------------------------------------------------


def _is_caps_plain(s):
    letters = [c for c in s[:40] if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _joins_plain(buf, buf_lines, last, nxt, width, cr, blank=False):
    R = reflow
    if cr.bare_marker.fullmatch(buf) and not (cr.item_start.match(nxt) or R._tight_marker(nxt, cr)):
        return True
    if nxt[:1].isdigit() and not blank and not _is_caps_plain(buf) \
            and R._ends_with_word(buf.lower(), cr.number_words):
        return True
    if R._footnote(nxt):
        return False
    if R._sentence_end(buf):
        return False
    if cr.item_start.match(nxt) or R._closing(cr, nxt) or R._tight_marker(nxt, cr):
        return R._YEAR_RANGE_RX.match(nxt) is not None and buf[-1:].isdigit()
    first = R._first_letter(nxt)
    if not first:
        return False
    if nxt.startswith("(") and _is_caps_plain(buf):
        return False
    if first.islower():
        return True
    if first.isdigit():
        return not R._clause_end(buf)
    if R._clause_end(buf):
        return False
    heading_line = buf_lines == 1 and cr.item_start.match(buf) is not None and not R._BULLET_RX.match(buf)
    words = buf.rstrip("*_”\"')").split()
    last_word = words[-1].lower() if words else ""
    if buf.endswith(",") or last_word in cr.hard_words:
        return True
    if len(words) == 1 and _is_caps_plain(buf) and _is_caps_plain(nxt) and len(buf) <= 6:
        return True
    if len(words) <= 2 and buf[:1].isupper() and buf.replace(" ", "").isalpha() \
            and not _is_caps_plain(buf) and cr.date_line is not None and cr.date_line.match(nxt):
        return True
    if heading_line and _is_caps_plain(buf) and nxt.isalpha() and nxt.isupper():
        return True
    fills = width is not None and 0.8 * width <= len(last) <= 1.15 * width
    if (heading_line and not fills) or _is_caps_plain(nxt):
        return False
    if _is_caps_plain(last):
        return False
    if R._ends_with_word(buf.lower(), cr.soft_words):
        return True
    return width is not None and 0.8 * width <= len(last) <= 1.15 * width and not _is_caps_plain(buf)


def _joins_paragraph_plain(buf, buf_lines, last, nxt, width, cr, blank):
    R = reflow
    if blank:
        return cr.bare_marker.fullmatch(buf) is not None and not (
            cr.item_start.match(nxt) or R._tight_marker(nxt, cr))
    if _joins_plain(buf, buf_lines, last, nxt, width, cr):
        return True
    if R._sentence_end(buf) or R._closing(cr, nxt) or R._closing(cr, buf) or R._footnote(nxt):
        return False
    if R._clause_end(buf):
        return buf.rstrip("*_ ").endswith(":") and not (
            cr.item_start.match(nxt) or R._tight_marker(nxt, cr) or _is_caps_plain(nxt))
    heading_line = buf_lines == 1 and cr.item_start.match(buf) is not None and not R._BULLET_RX.match(buf)
    if _is_caps_plain(last):
        return heading_line and _is_caps_plain(nxt) and not cr.item_start.match(nxt)
    if R._BULLET_RX.match(nxt) and R._first_letter(nxt[2:].lstrip()).islower():
        return True
    if cr.item_start.match(nxt) or R._tight_marker(nxt, cr):
        long_line = len(last) >= (0.8 * width if width else 50)
        return long_line and R._NUMBER_MARKER_RX.match(nxt) is not None and not cr.bare_marker.fullmatch(buf)
    return not _is_caps_plain(nxt) and not (cr.field_start is not None and cr.field_start.match(nxt)) \
        and not (cr.sentence_start is not None and cr.sentence_start.match(nxt))


# --- upper case -------------------------------------------------------------------------


def test_cased_latin_letters_are_the_cased_characters():
    """In the characters _CASED_LATIN_RX takes, a letter is a character with a case, so
    str.isupper answers _is_caps."""
    for cp in range(0x3000):
        c = chr(cp)
        if reflow._CASED_LATIN_RX.fullmatch(c):
            assert c.isalpha() == (c.isupper() or c.islower() or c.istitle()), hex(cp)


# (with letters that have no case, case signs that are no letters: Ⅰ ⅰ Ⓐ ⓐ)
_CASE_CHARS = [*"aAđĐóÓỦủ1 .,-()ƻǀǅǈßĸªºʰ", "\u0301", "\u2160", "\u2170", "\u24b6", "\u24d0", "\u4e00"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CASE_CHARS), max_size=50).map("".join))
def test_is_caps_is_the_letter_test(s):
    assert reflow._is_caps(s) == _is_caps_plain(s)


# --- bare markers -----------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="IVXL0123456789.)abđ-+•*( ", max_size=8))
def test_a_bare_marker_is_one_character_or_ends_with_a_stop_or_bracket(s):
    cr = _cr()
    if cr.bare_marker.fullmatch(s):
        assert len(s) == 1 or s[-1] in ".)"
    assert reflow._bare(s, cr) == (cr.bare_marker.fullmatch(s) is not None)


# --- joins ------------------------------------------------------------------------------


def _checked_reflow(lines, offs, cr):
    """reflow, each join it asks checked against the plain form."""
    real_j, real_p = reflow._joins, reflow._joins_paragraph
    asked = [0]

    def joins(*a):
        asked[0] += 1
        got = real_j(*a)
        assert got == _joins_plain(*a), a
        return got

    def joins_paragraph(*a):
        asked[0] += 1
        got = real_p(*a)
        assert got == _joins_paragraph_plain(*a), a
        return got

    reflow._joins, reflow._joins_paragraph = joins, joins_paragraph
    try:
        return reflow.reflow(lines, offs, cr), asked[0]
    finally:
        reflow._joins, reflow._joins_paragraph = real_j, real_p


def _clean_corpus_with_reflow(reflow_in_clean):
    """Clean every corpus and web text with clean's reflow replaced by REFLOW_IN_CLEAN."""
    rules = load_rules()
    real = clean_mod.reflow
    clean_mod.reflow = reflow_in_clean
    try:
        paths = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests/data/web").glob("*.txt"))]
        for path in paths:
            clean_mod.clean_text(path.read_text(encoding="utf-8"), rules=rules)
    finally:
        clean_mod.reflow = real


def test_joins_agree_with_the_plain_form_on_corpus_texts():
    asked = [0]

    def checked(lines, offs, rr):
        out, n = _checked_reflow(lines, offs, rr)
        asked[0] += n
        return out

    _clean_corpus_with_reflow(checked)
    assert asked[0] > 1000


_TOKENS = st.one_of(
    st.text(alphabet="aăđoóhuỷAĐÓỦBC", min_size=1, max_size=6),
    st.sampled_from(["I.", "II.", "1.", "2.1.", "a)", "đ)", "-", "+", "•", "*", "**", "1.Tổ", "a)x",
                     ",", ".", ";", ":", "./.", "(", ")", "“", "”", "2026", "06", "–", "_", "[1]",
                     "Nơi nhận:", "TM.", "Căn cứ", "Điều", "Chủ trì:", "ngày", "Hòa,", "và", "của",
                     "PHÓ", "CHỦ TỊCH", "(đã ký)", "\n"]),
)
_LINE = st.lists(_TOKENS, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(_LINE, st.integers(1, 3), _LINE, _LINE, st.sampled_from([None, 10, 30, 60]), st.booleans())
def test_joins_agree_with_the_plain_form_on_made_lines(buf, buf_lines, last, nxt, width, blank):
    cr = _cr()
    if buf_lines == 1:
        last = buf
    assert reflow._joins(buf, buf_lines, last, nxt, width, cr, blank) == \
        _joins_plain(buf, buf_lines, last, nxt, width, cr, blank)
    assert reflow._joins_paragraph(buf, buf_lines, last, nxt, width, cr, blank) == \
        _joins_paragraph_plain(buf, buf_lines, last, nxt, width, cr, blank)




_OPENER_PARTS = ["I.", "IV)", "1.", "2.1.", "a)", "đ.", "B.", "-", "+", "•", " ", "x", "\n", "Phần thứ hai",
                 "phần", "Điều 1", "Chương II", "Nơi nhận:", "TM.", "KT. ", "tuq.", "Trên đây là ",
                 "yêu cầu các", "nghiêm túc", "thực hiện", "./."]
_OPENERS = st.lists(st.sampled_from(_OPENER_PARTS), max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(_OPENERS)
def test_opening_is_item_start_or_closing_start(s):
    cr = _cr()
    assert cr.opening is not None
    assert (cr.opening.match(s) is not None) == bool(cr.item_start.match(s) or cr.closing_start.match(s))


_TIGHT_PARTS = [*_OPENER_PARTS, "1.Tổ", "a)x", "b)Đ", "II.MỤC", "3)ý", "1.2.Ủy", "đ)k"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_TIGHT_PARTS), max_size=5).map("".join))
def test_opens_or_tight_is_either_test(s):
    cr = _cr()
    assert cr.opening_tight is not None
    assert reflow._opens_or_tight(s, cr) == bool(
        cr.item_start.match(s) or cr.closing_start.match(s) or reflow._tight_marker(s, cr))


def _blank_separated_plain(lines):
    ends = ends_blank = wraps = wraps_blank = 0
    for (s, _, _), (nxt, _, hard) in zip(lines, lines[1:], strict=False):
        if not s or hard:
            continue
        if reflow.ends_with_stop(s, reflow._STOPS):
            ends += 1
            ends_blank += not nxt
        else:
            wraps += 1
            wraps_blank += not nxt
    return ends >= 5 and wraps >= 5 and ends_blank >= 0.6 * ends and wraps_blank <= 0.5 * wraps


_BS_LINE = st.tuples(st.sampled_from(["", "", "a", "b.", "c;", "d:”", "e)*", "f.\n", "g\n", "h,"]),
                     st.just(0), st.booleans())


@settings(max_examples=800, deadline=None)
@given(st.lists(_BS_LINE, max_size=40))
def test_blank_separated_agrees_with_the_plain_form(lines):
    assert reflow._blank_separated(lines) == _blank_separated_plain(lines)


def test_blank_separated_agrees_with_the_plain_form_on_corpus_texts():
    real = clean_mod.reflow
    seen = [0, 0]

    def checked(lines, offs, rr):
        got = reflow._blank_separated(lines)
        assert got == _blank_separated_plain(lines)
        seen[got] += 1
        return real(lines, offs, rr)

    _clean_corpus_with_reflow(checked)
    assert seen[0] > 5
    # (a page of paragraphs separated by blank lines, wrapped inside: the True side)
    page = [("Một câu", 0, False), ("kết thúc.", 0, False), ("", 0, False), ("Hai;", 0, False),
            ("", 0, False)] * 6
    assert reflow._blank_separated(page) is True and _blank_separated_plain(page) is True


# --- reflow's offsets: runs of the given offsets, the breaks set after ---------------------

def _reflow_plain(lines, offs, cr):
    """LINES (text, index of its first character in OFFS, hard break before) as paragraphs;
    the offsets come back as the kind OFFS is (a list, an array)."""
    R = reflow
    width = R._wrap_width(lines)
    paragraphs = R._blank_separated(lines)
    joins = R._joins_paragraph if paragraphs else R._joins
    out = []
    oo = offs[:0]
    # Only the open paragraph's ends matter to a join: looking at them keeps reflow linear.
    # The paragraph P is kept as PARA = P while it has at most 2 * R._TAIL characters, then as
    # PARA = P[:R._TAIL] and TAIL = P[-R._TAIL:] (the view a join is asked about: P, or its two
    # ends with a space between; nothing copies a long P for each line that joins it)
    para = ""
    tail = None
    buf_lines = 0
    last = ""
    blank = False  # a blank line since the last text line
    nl_at = 0  # raw offset of the line break before the current line
    # (a paragraph goes straight to OUT: nothing changes it once a line is in)
    for s, a, hard in lines:
        if not s:
            blank = True
            continue
        b = a + len(s)
        if buf_lines and not hard and joins(para if tail is None else para + " " + tail,
                                            buf_lines, last, s, width, cr, blank):
            out.append(" ")
            oo.append(nl_at)
            if tail is None:
                para += " " + s
                if len(para) > 2 * R._TAIL:
                    para, tail = para[:R._TAIL], para[-R._TAIL:]
            else:
                tail = (tail + " " + s)[-R._TAIL:]
            buf_lines += 1
        else:
            if buf_lines:
                if blank:
                    out.append("\n\n")
                    oo.extend((nl_at, nl_at))
                else:
                    out.append("\n")
                    oo.append(nl_at)
            buf_lines, para, tail = 1, s, None
            if len(s) > 2 * R._TAIL:
                para, tail = s[:R._TAIL], s[-R._TAIL:]
        out.append(s)
        oo += offs[a:b]
        last = s
        blank = False
        nl_at = offs[b - 1]
    return "".join(out), oo


_RAW_LINE = st.one_of(st.just(""), st.just("  "), st.just("\x1f"), st.just("12"), st.just("- 3 -"),
                      _LINE.map(lambda s: s.replace("\n", " ")), _LINE.map(lambda s: "  " + s + " "))


@settings(max_examples=500, deadline=None)
@given(st.lists(_RAW_LINE, max_size=25), st.integers(0, 5))
def test_reflow_offsets_agree_with_the_plain_form(raw_lines, shift):
    from array import array

    cr = load_rules().compiled("clean", clean_mod._build)
    text = "\n".join(raw_lines)
    lines = clean_mod._drop_chrome(text, cr)
    numbers = [shift + 3 * i for i in range(len(text))]
    for offs in (numbers, array("i", numbers)):
        got = reflow.reflow(lines, offs, cr.reflow)
        want = _reflow_plain(lines, offs, cr.reflow)
        assert got == want and type(got[1]) is type(offs)


def test_reflow_offsets_agree_with_the_plain_form_on_corpus_texts():
    real = clean_mod.reflow
    asked = [0]

    def checked(lines, offs, rr):
        got = real(lines, offs, rr)
        assert got == _reflow_plain(lines, offs, rr)
        asked[0] += 1
        return got

    _clean_corpus_with_reflow(checked)
    assert asked[0] > 20


def test_patterns_that_cannot_be_one_are_asked_apart():
    assert either(re.compile("a"), None) is None
    assert either(re.compile(r"(a)\1"), re.compile("b")) is None
    assert either(re.compile("a", re.ASCII), re.compile("b")) is None
    both = either(re.compile("a # the letter", re.X), re.compile("B", re.I))
    assert both is not None and both.match("a") and both.match("b") and not both.match("A")
    three = either(re.compile("(a)"), re.compile("(b)"), re.compile("(c)"))
    assert three is not None and three.match("c").group(3) == "c" and three.match("a").group(3) is None
