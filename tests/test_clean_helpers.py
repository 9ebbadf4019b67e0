"""The clean stage's fast helpers agree with the plain patterns and loops they replace."""

import importlib
import re
import unicodedata
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.reflow import ends_with_stop
from pipeline.rules import load_rules
from pipeline.section_kinds import norm
from pipeline.tables import format_tables, restore_pipes, table_rules
from pipeline.textmap import LinesWith, SpacedChar, keep, nfc, sub

clean_mod = importlib.import_module("pipeline.clean")

# texts made of the characters the patterns care about
_MARKUPISH = st.text(alphabet=list(" \t\n|-:*_#.;!?)\"”aAó1đ\\^{}"), max_size=60)


def _spans(matches):
    return [m.span() for m in matches]


# --- finders (textmap) -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(_MARKUPISH)
def test_spaced_char_finds_what_the_pattern_finds(text):
    assert _spans(SpacedChar("|").finditer(text)) == _spans(re.finditer(r"[ \t]*\|[ \t]*", text))


def test_spaced_char_takes_the_spaces_on_both_sides():
    assert _spans(SpacedChar("|").finditer("a |\tb|| c")) == [(1, 4), (5, 6), (6, 8)]


_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)


@settings(max_examples=300, deadline=None)
@given(_MARKUPISH)
def test_lines_with_finds_what_the_pattern_finds(text):
    assert _spans(LinesWith(_SEP, "---").finditer(text)) == _spans(_SEP.finditer(text))


def test_lines_with_tries_each_line_holding_the_needle():
    text = "| a | b |\n|---|:---:|\nx --- y\n ---- \n"
    assert [m.group() for m in LinesWith(_SEP, "---").finditer(text)] == ["|---|:---:|", " ---- "]


# --- sub ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(_MARKUPISH)
def test_sub_none_keeps_the_match_as_returning_it_would(text):
    rx = re.compile(r"\*[^*\n]*\*")
    offs = list(range(100, 100 + len(text)))

    def same(m, o):
        return [(m.group(), o[m.start():m.end()])]

    def unchanged(m, o):
        return None

    assert sub(rx, unchanged, text, offs) == sub(rx, same, text, offs)
    new_text, new_offs = sub(rx, keep(0), text, offs)
    assert new_text == text and new_offs == offs


def test_sub_keeps_offsets_of_what_stays():
    text, offs = sub(re.compile(r"\*"), "", "a*b*c", [10, 11, 12, 13, 14])
    assert (text, offs) == ("abc", [10, 12, 14])


# the end of an old-style syllable as the pattern was, the o / u first
_OLD_TONE_END_PLAIN = re.compile(r"[uUoO](?<![qQ][uU])[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![\w])")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("oOuUqQyYaàáạÁèẺỳýỷỸ _1.\n"), max_size=40))
def test_old_tone_end_found_from_its_toned_vowel(text):
    from pipeline import textmap

    assert [m.start() - 1 for m in textmap._OLD_TONE_END_RX.finditer(text)] == \
        [m.start() for m in _OLD_TONE_END_PLAIN.finditer(text)]


# --- reflow's line ends ------------------------------------------------------------------

_SENTENCE_END_RX = re.compile(r"(?:[.!?]|\./\.)[\"'”’)\]*_]*$")
_CLAUSE_END_RX = re.compile(r"[;:][\"'”’)\]*_]*$")


@settings(max_examples=400, deadline=None)
@given(_MARKUPISH)
def test_ends_with_stop_is_the_end_pattern(text):
    assert ends_with_stop(text, (".", "!", "?")) == bool(_SENTENCE_END_RX.search(text))
    assert ends_with_stop(text, (";", ":")) == bool(_CLAUSE_END_RX.search(text))


def test_ends_with_stop_reads_past_closing_marks():
    assert ends_with_stop("Thực hiện ./.", (".",))
    assert ends_with_stop("(xem mục III).”**", (".",))
    assert not ends_with_stop("Nhiệm vụ: a", (":",))


@settings(max_examples=300, deadline=None)
@given(_MARKUPISH)
def test_sentence_and_clause_end_are_ends_with_stop(text):
    reflow = importlib.import_module("pipeline.reflow")
    assert reflow._sentence_end(text) == ends_with_stop(text, (".", "!", "?"))
    assert reflow._clause_end(text) == ends_with_stop(text, (";", ":"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=260), max_size=40))
def test_wrap_width_is_the_plain_count(lengths):
    reflow = importlib.import_module("pipeline.reflow")
    lines = [("x" * n, 0, False) for n in lengths]
    lens = sorted(n for n in lengths if n >= 15)
    want = None
    if len(lens) >= 8:
        w = lens[int(0.8 * (len(lens) - 1))]
        if w <= 200 and sum(1 for n in lens if 0.75 * w <= n <= 1.1 * w) >= 0.5 * len(lens):
            want = w
    assert reflow._wrap_width(lines) == want


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abc ", min_size=1, max_size=170).map(lambda s: "x" + s.strip()),
                min_size=1, max_size=12))
def test_reflow_asks_about_the_paragraph_or_its_two_ends(paragraph_lines):
    """A join is asked about the open paragraph P while it has at most 400 characters, then
    about P[:200] + " " + P[-200:] (reflow keeps only those ends of a long paragraph)."""
    reflow = importlib.import_module("pipeline.reflow")
    cr = load_rules().compiled("clean", clean_mod._build).reflow
    asked = []
    real = reflow._joins

    def spy(buf, *args):
        asked.append(buf)
        return real(buf, *args)

    lines, pos = [], 0
    for s in paragraph_lines:  # lower-case lines: each joins the one before
        lines.append((s, pos, False))
        pos += len(s) + 1
    text = "\n".join(paragraph_lines)
    reflow._joins = spy
    try:
        out, offs = reflow.reflow(lines, list(range(len(text))), cr)
    finally:
        reflow._joins = real
    assert out == " ".join(paragraph_lines) and len(offs) == len(out)
    para = paragraph_lines[0]
    for s, buf in zip(paragraph_lines[1:], asked, strict=True):
        assert buf == (para if len(para) <= 400 else para[:200] + " " + para[-200:])
        para += " " + s


# --- section kinds' norm -----------------------------------------------------------------


def _old_norm(s):
    s = unicodedata.normalize("NFC", s).lower()
    s = re.sub(r"[*#_`\\]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*" \t\n\u00a0\u2003\x1f*#_`\\aĐó", "o\u0301"]), max_size=40).map("".join))
def test_norm_is_the_regex_norm(text):
    assert norm(text) == _old_norm(text)


def test_norm_fixture():
    assert norm("  **II. NHIỆM VỤ**\u00a0 CHỦ_YẾU ") == "ii. nhiệm vụ chủ yếu"


# --- tables ------------------------------------------------------------------------------


def test_format_tables_finds_a_table_after_lines_without_bars():
    tr = table_rules(load_rules())
    text = ("Mở đầu\nkhông có bảng\n\n| STT | Nội dung | Cơ quan chủ trì |\n|---|---|---|\n"
            "| 1 | Tổ chức tập huấn | Sở Tư pháp |\nSau bảng | lẻ\n")
    out, offs = format_tables(text, list(range(len(text))), tr)
    rows = [ln for ln in restore_pipes(out).split("\n") if ln.startswith("|")]
    assert rows == ["| STT | Nội dung | Cơ quan chủ trì |", "| 1 | Tổ chức tập huấn | Sở Tư pháp |"]
    assert len(offs) == len(out)
    i = out.index("Tổ chức")
    assert text[offs[i]:offs[i] + 7] == "Tổ chức"


# --- the fixed point of clean_text -------------------------------------------------------


def _composed_clean_text(text, rules):
    """clean_text as it was: each further pass on fresh offsets, the maps composed after."""
    cr = rules.compiled("clean", clean_mod._build)
    out, offs = clean_mod._clean_once(text, list(range(len(text))), cr)
    for _ in range(3):
        again, offs2 = clean_mod._clean_once(out, list(range(len(out))), cr)
        if again == out:
            break
        out, offs = again, [offs[i] for i in offs2]
    return out, tuple(offs)


_PLANISH = st.lists(st.sampled_from([
    "I. MỤC TIÊU", "1. Tổ chức", "**Nhiệm", "vụ**", "*a) Sở", "Tư pháp*", "- chủ trì;", "phối hợp",
    "", "", "| STT | Nội dung | Cơ quan chủ trì |", "|---|---|---|", "| 1 | Tập huấn | Sở Y tế |",
    "Trang 2", "-----", "   thuỷ lợi  ", "\\* Phân công:", "#", "## II. NHIỆM", "^{1}", "hoá",
    "|", "ỦY", "BAN NHÂN DÂN", "Khánh", "Hòa, ngày 17 tháng 08 năm 2024",
]), max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(_PLANISH)
def test_clean_text_offsets_equal_composed_maps(text):
    rules = load_rules()
    out, offs = clean_mod.clean_text(text, rules=rules)
    assert (out, tuple(offs)) == _composed_clean_text(text, rules)


# a pass's own output, given to the later passes: odd spaces, \r and composing marks in the raw
_NASTY = st.lists(st.one_of(_PLANISH, st.sampled_from(
    ["\r\n", "\r", "\u00a0", "\u2000", "\u200b", "\ufeff", "\u00ad", "\t", "\f", "\x1e", "\x1f",
     "o\u0301", "A\u030a", "\u212b", "ho**á**", "\\|", "| a |", " "])), max_size=8).map("".join)


@settings(max_examples=150, deadline=None)
@given(_NASTY)
def test_later_passes_need_not_the_first_steps(text):
    """A pass's output goes through `_clean_again` (no \\r, odd space or NFC step) exactly as
    through `_clean_once`: text and offsets."""
    cr = load_rules().compiled("clean", clean_mod._build)
    out, offs = clean_mod._clean_once(text, list(range(len(text))), cr)
    assert unicodedata.is_normalized("NFC", out)
    assert "\r" not in out and not clean_mod._ODD_OR_ZERO_WIDTH_RX.search(out)
    assert clean_mod._clean_again(out, offs, cr) == clean_mod._clean_once(out, offs, cr)


def _cleared(c):
    return c == "\r" or clean_mod._ODD_OR_ZERO_WIDTH_RX.match(c) is not None


def test_normalizing_brings_back_no_character_the_first_steps_clear():
    """Why `_clean_again` may skip them: NFC or NFD of any other character holds none of the
    characters the first steps clear (\\r, odd and zero-width spaces), and each of those comes
    apart into such characters only (nothing else composes into one); `|` and U+001E are in
    no character's decomposition (so writing one for the other keeps a text NFC)."""
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        nfd = unicodedata.normalize("NFD", c)
        if nfd == c:
            continue
        if _cleared(c):
            assert all(map(_cleared, nfd)), hex(cp)
        else:
            assert not any(map(_cleared, nfd + unicodedata.normalize("NFC", c))), hex(cp)
        assert "|" not in nfd and "\x1e" not in nfd, hex(cp)
    assert unicodedata.combining("|") == unicodedata.combining("\x1e") == 0


@settings(max_examples=200, deadline=None)
@given(_MARKUPISH)
def test_table_lines_are_the_line_spans(text):
    from pipeline.tables import _lines

    spans, pos = [], 0
    for part in text.split("\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    assert _lines(text) == spans


# --- bold / italic runs over a line break (clean._SPAN_RX, its run taken whole) ---------------

# the pattern as it was, with a lazy run: the close tried at every character
_SPAN_LAZY = re.compile(r"(\*(?<![*\\]\*)\*?)(?=[^\s*])([^*]*?)(?:(?<=\S)\1(?!\*)|(?<=\S )\1(?=[^\s*]))")
# stars, escapes, spaces of several kinds (a no-break space is \s to the pattern too)
_STARRY = st.text(alphabet=list("**\\ \t\n\u00a0\u2003aB.đ_"), max_size=40)


def _matches(rx, text):
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


@settings(max_examples=1500, deadline=None)
@given(_STARRY)
def test_span_rx_matches_the_lazy_pattern(text):
    assert _matches(clean_mod._SPAN_RX, text) == _matches(_SPAN_LAZY, text)


def test_span_rx_fixtures():
    # bold over a break; a run on one line; an escaped star and `* ` open nothing; an italic
    # over a break; `*c *d`: the space inside the closing star
    text = "**III. NỘI\nDUNG** *a b* \\*x* * y *1.1.\nBan* *c *d"
    assert [m.span() for m in clean_mod._SPAN_RX.finditer(text)] == [(0, 17), (18, 23), (33, 43), (44, 48)]
    assert _matches(clean_mod._SPAN_RX, text) == _matches(_SPAN_LAZY, text)


@settings(max_examples=800, deadline=None)
@given(_STARRY)
def test_span_rx_sub_equals_the_lazy_sub(text):
    offs = list(range(7, 7 + len(text)))
    assert sub(clean_mod._SPAN_RX, clean_mod._join_span, text, offs) == \
        sub(_SPAN_LAZY, clean_mod._join_span, text, offs)


# --- dropped lines: the four line patterns as one (clean._dropped) -------------------------

_LINE_PIECES = st.lists(st.sampled_from(
    ["1", "23", "456", "-", "–", " ", "Trang", "trang", "/", "của", "Đăng nhập", "|", "đăng ký", "Hệ thống",
     "pháp luật", "Tải về", "*", "=", "...", "…", "Quyết định", "12/QĐ-UBND", "năm", "2024", "a", "\n"]),
    min_size=1, max_size=12)


@settings(max_examples=600, deadline=None)
@given(_LINE_PIECES)
def test_dropped_one_pattern_equals_the_four(pieces):
    import dataclasses

    cr = load_rules().compiled("clean", clean_mod._build)
    assert cr.dropped_short is not None and cr.dropped_long is not None  # (the fast path is on)
    slow = dataclasses.replace(cr, dropped_short=None, dropped_long=None)
    s = "".join(pieces).strip(" ")
    for line in (s, s + " x" * 110):  # a short line and one over 200 characters (no chrome)
        if line:
            assert clean_mod._dropped(line, cr) == clean_mod._dropped(line, slow)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_PIECES.map("".join), max_size=8))
def test_drop_chrome_asks_the_one_pattern_as_dropped_does(lines):
    import dataclasses

    cr = load_rules().compiled("clean", clean_mod._build)
    slow = dataclasses.replace(cr, dropped_short=None, dropped_long=None)
    text = "\n".join(lines + [line + " x" * 110 for line in lines])  # short lines and long ones
    assert clean_mod._drop_chrome(text, cr) == clean_mod._drop_chrome(text, slow)


def test_dropped_fixtures():
    cr = load_rules().compiled("clean", clean_mod._build)
    assert clean_mod._dropped("- 3 -", cr) and clean_mod._dropped("-----", cr)
    assert clean_mod._dropped("Đăng nhập | Đăng ký", cr)
    assert not clean_mod._dropped("Đăng nhập | Đăng ký" + " x" * 100, cr)  # chrome: short lines only
    assert not clean_mod._dropped("1. Mục tiêu", cr)


def test_any_full_refuses_what_joining_would_change():
    assert clean_mod._any_full([re.compile(r"(a)\1"), re.compile("b")]) is None  # a back-reference
    assert clean_mod._any_full([re.compile("a", re.I), re.compile("b")]) is None  # a flag of its own
    one = clean_mod._any_full([re.compile("ab?"), None, re.compile(r"\d+")])
    assert one is not None and one.fullmatch("ab") and one.fullmatch("12") and not one.fullmatch("a1")


# --- header cells' kinds, kept by cell text (tables._kind_of) ------------------------------


def test_kind_of_kept_answers_equal_fresh_ones():
    tables_mod = importlib.import_module("pipeline.tables")
    tr = table_rules(load_rules())
    cells = ["Nội dung công việc", "**Thời gian hoàn thành**", "Đơn vị chủ trì", "Ghi chú", "", "x<br>y",
             "Cơ quan phối hợp", "STT"]
    fresh = [tables_mod._kind_of_cell(c, tr) for c in cells]
    assert any(fresh) and None in fresh  # (the fixture names kinds and non-kinds)
    assert [tables_mod._kind_of(c, tr) for c in cells] == fresh
    assert [tables_mod._kind_of(c, tr) for c in cells] == fresh  # again, from what was kept
    assert all(tr.kinds[c] == k for c, k in zip(cells, fresh, strict=True))


# --- offsets kept as an array ------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(_NASTY)
def test_a_pass_maps_an_array_as_it_maps_a_list(text):
    """clean keeps its offsets in an array: every step gives the offsets a list would get, in
    the kind it was given (a wrong kind would fail on `+=` or come back a list)."""
    cr = load_rules().compiled("clean", clean_mod._build)
    raw = list(range(7, 7 + len(text)))
    out, offs = clean_mod._clean_once(text, raw, cr)
    again, offs2 = clean_mod._clean_again(out, offs, cr)
    for code in "iq":
        out_a, offs_a = clean_mod._clean_once(text, array(code, raw), cr)
        assert out_a == out and type(offs_a) is array and offs_a.typecode == code and offs_a.tolist() == offs
        again_a, offs2_a = clean_mod._clean_again(out, offs_a, cr)
        assert again_a == again and offs2_a.typecode == code and offs2_a.tolist() == offs2


def test_nfc_and_sub_keep_the_kind_of_offsets():
    for text in ("A\u030a o\u0301", "\u212b x", "\u0915\u093c"):  # a cluster, a singleton
        for kind in (list, lambda xs: array("i", xs)):
            offs = kind(range(len(text)))
            got, got_offs = nfc(text, offs)
            want, want_offs = nfc(text, list(range(len(text))))
            assert got == want and type(got_offs) is type(offs) and list(got_offs) == want_offs
    text, offs = sub(re.compile(r"\*"), "--", "a*b", array("i", [10, 11, 12]))
    assert (text, offs) == ("a--b", array("i", [10, 11, 11, 12]))


def test_first_offsets_count_from_zero_whatever_was_kept(monkeypatch):
    cr = clean_mod._build(load_rules())  # (a fresh one: nothing kept)
    monkeypatch.setattr(clean_mod, "_COUNT_KEPT", 50)
    for n in (0, 5, 3, 40, 12, 50, 60, 7):
        offs = clean_mod._first_offsets(n, cr)
        assert type(offs) is array and offs.tolist() == list(range(n)), n
    assert cr.counting[0].tolist() == list(range(50))  # (60 was past the cap: built, not kept)
    assert cr.counting[0].typecode == "i" and clean_mod._first_offsets(60, cr).typecode == "i"
    offs = clean_mod._first_offsets(10, cr)
    offs[0] = 99  # a slice: writing into it leaves the kept count alone
    assert cr.counting[0][0] == 0


def test_clean_text_gives_an_array_of_ints():
    raw = "Uỷ ban\n\n| STT | Nội dung | Cơ quan chủ trì |\n| 1 | Tập huấn | Sở Y tế |"
    text, offs = clean_mod.clean_text(raw)
    assert type(offs) is array and all(type(o) is int for o in offs) and len(offs) == len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "a", "ô", "|", "<br>", "<BR/>", "<br >", "<", ">", "\t", "\n"]),
                max_size=12).map("".join))
def test_table_piece_is_the_cell_with_breaks_as_spaces(cell):
    """`_piece` (a cell without `<` taken whole) equals the plain rewrite: stripped, each
    `<br>` one space mapped to its `<`, each `|` a slash."""
    tables_mod = importlib.import_module("pipeline.tables")
    text = "x" + cell + "y"
    offs = array("i", range(100, 100 + len(text)))
    got, got_offs = tables_mod._piece(text, offs, 1, 1 + len(cell))
    a = 1 + len(cell) - len(cell.lstrip())
    b = 1 + len(cell.rstrip())
    want, want_offs, pos = [], [], a
    for m in tables_mod._BR_RX.finditer(text, a, b):
        want.append(text[pos:m.start()] + " ")
        want_offs += [*offs[pos:m.start()], offs[m.start()]]
        pos = m.end()
    want.append(text[pos:b])
    want_offs += offs[pos:b]
    assert (got, list(got_offs)) == ("".join(want).replace("|", "/"), want_offs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["| Số hiệu | 07/KH |", "Số hiệu | x", "|Số hiệu|", " | Số hiệu", "Số hiệu",
                                 "| a | b |", "x", "", "|", " Loại văn bản |"]), max_size=8).map("\n".join))
def test_metadata_rows_are_those_of_the_plain_pattern(text):
    """clean finds the metadata rows from the lines holding a bar: as the pattern finds them."""
    cr = load_rules().compiled("clean", clean_mod._build)
    assert cr.metadata_row is not None
    assert _spans(cr.metadata_row.finditer(text)) == _spans(cr.metadata_row.rx.finditer(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n\taó*", max_size=30))
def test_space_by_break_is_the_two_looks(text):
    assert (clean_mod._SPACE_BY_BREAK_RX.search(text) is not None) == (" \n" in text or "\n " in text)


# --- emphasis finders ----------------------------------------------------------------------

_STARRY = st.text(alphabet=list(" \t\n*_\\\\aA1.)đ:"), max_size=40)


def _groups(matches):
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=500, deadline=None)
@given(_STARRY)
def test_emphasis_finders_find_what_the_patterns_find(text):
    for finder in (clean_mod._LABEL_EM, clean_mod._SPACED_EM):
        assert _groups(finder.finditer(text)) == _groups(finder.rx.finditer(text))


@settings(max_examples=500, deadline=None)
@given(_STARRY)
def test_strong_halves_find_what_the_whole_finds_where_the_other_cannot_match(text):
    whole = _spans(clean_mod._STRONG_RX.finditer(text))
    if "__" not in text:
        assert _spans(clean_mod._STRONG_STAR_RX.finditer(text)) == whole
    if "**" not in text:
        assert _spans(clean_mod._STRONG_UNDERSCORE_RX.finditer(text)) == whole


# lines a settled pass meets: table rows with empty cells, spaces, markup, composing marks
_CHROMELESS_TABLES = st.lists(st.sampled_from(
    ["| STT | Nội dung | Cơ quan chủ trì |", "| 1 |  | Sở Y tế |", "| 2 | a<br>b |  |", "a  b", " x ",
     "**b**", "* c", "o\u0301", "\u0301x", "hoá", "Trang 2", "", "Đăng nhập", "1.", "- d"]),
    max_size=10).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_NASTY, _PLANISH, _CHROMELESS_TABLES))
def test_a_settled_pass_skips_only_steps_that_change_nothing(text):
    """On a pass's own output, `_clean_again(settled=True)` gives what the full pass gives,
    text and offsets, also on the output of a settled pass."""
    cr = load_rules().compiled("clean", clean_mod._build)
    out, offs = clean_mod._clean_once(text, list(range(len(text))), cr)
    for _ in range(2):
        full = clean_mod._clean_again(out, offs, cr)
        assert clean_mod._clean_again(out, offs, cr, settled=True) == full
        out, offs = clean_mod._clean_again(out, offs, cr, settled=True)


def _drop_chrome_plain(text, cr):
    """clean._drop_chrome as it was: lstrip and rstrip each line, the rare lines tested in turn."""
    out, hard, pos = [], False, 0
    for part in text.split("\n"):
        a = pos
        pos += len(part) + 1
        s = part.lstrip(" ")
        a += len(part) - len(s)
        s = s.rstrip(" ")
        if not s:
            out.append(("", a, False))
            continue
        if s[0] in "*_" and clean_mod._MARKUP_ONLY_RX.fullmatch(s):
            continue
        if s == clean_mod._CELL_EDGE:
            hard = True
            continue
        if s == "\f":
            continue
        if clean_mod._dropped(s, cr):
            continue
        out.append((s, a, hard))
        hard = False
    return out


_CHROME_LINES = st.lists(st.sampled_from(
    ["", " ", "  x ", "\x1f", " \x1f ", "\x1fx", "\f", " \f", "** **", "* *", "*a*", "_ _", "__x", "12",
     "- 3 -", "-----", "Đăng nhập | Đăng ký", "Tổ chức thực hiện.", "  a) nội dung  ", "x" * 205,
     " 1 " + "y" * 210]),
    max_size=14).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(_CHROME_LINES)
def test_drop_chrome_agrees_with_the_plain_form(text):
    cr = load_rules().compiled("clean", clean_mod._build)
    assert clean_mod._drop_chrome(text, cr) == _drop_chrome_plain(text, cr)
