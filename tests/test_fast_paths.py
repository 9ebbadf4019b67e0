"""Fast paths of the per-document stages give what the plain code they replace gives."""

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import markers
from pipeline.regex_union import either
from pipeline.rules import load_rules

_seg = importlib.import_module("pipeline.segment")

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


# --- section ends (segment._section_ends) ---------------------------------------------------


def _nodes(levels, gaps):
    out, pos = [], 0
    for lv, gap in zip(levels, gaps, strict=False):
        pos += gap
        out.append(_seg._Node(kind="arabic", rank=lv, marker="1", marker_type="arabic", path="1", level=lv,
                              parent=None, heading="", start=pos, heading_end=pos + 1))
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(1, 4), max_size=25), st.lists(st.integers(0, 9), min_size=25, max_size=25),
       st.lists(st.integers(0, 150), max_size=4))
def test_section_ends_equal_the_scan_from_each_node(levels, gaps, stops):
    nodes = _nodes(levels, gaps)  # (a gap of 0: two nodes at one place, the scan's case)
    n = 200
    for some in (sorted(stops), stops):  # (segment's stops are sorted; any order is read too)
        want = [_seg._end_scan(nodes, i, some, n) for i in range(len(nodes))]
        assert _seg._section_ends(nodes, some, n) == want


def test_section_ends_fixture():
    nodes = _nodes([1, 2, 3, 2, 1, 2], [0, 10, 10, 10, 10, 10])  # starts 0, 10, 20, 30, 40, 50
    assert _seg._section_ends(nodes, [35], 100) == [35, 30, 30, 35, 100, 100]


# --- the agency text index (agency_tokens.text_index) -----------------------------------------


def _tokens_plainly(text, g):
    """The tokens as the plain loop reads them: one Tok per match, each abbreviation's
    expansion in its place with its offsets, a line break looked for since the last token."""
    at = importlib.import_module("pipeline.extract.agency_tokens")
    raw = [(m.group(), m.start(), m.end()) for m in at._WORD.finditer(text)]
    out = []
    i = 0
    while i < len(raw):
        for k in range(min(g.abbrev_max, len(raw) - i), 0, -1):
            key = tuple(w for w, _, _ in raw[i:i + k])
            if key in g.abbrev and all(raw[j][2] == raw[j + 1][1] for j in range(i, i + k - 1)):
                expanded = [(x, raw[i][1], raw[i + k - 1][2]) for x in g.abbrev[key]]
                break
        else:
            k, expanded = 1, [raw[i]]
        for n, (w, s, e) in enumerate(expanded):
            nl = bool(out) and n == 0 and "\n" in text[out[-1].end:s]
            out.append(at.Tok(at.norm_word(w), w, s, e, w[:1].isupper(), nl))
        i += k
    return out


def _index_built_plainly(text, g):
    """text_index as the plain code it replaces builds it: each list read off the tokens."""
    toks = _tokens_plainly(text, g)
    full = [i for i, t in enumerate(toks) if t.norm not in g.plural and t.norm != "-"]
    s = [toks[i] for i in full]
    return toks, full, s, [t.start for t in s], [t.norm for t in s]


def test_text_index_columns_equal_the_tokens_read_plainly():
    at = importlib.import_module("pipeline.extract.agency_tokens")
    g = at.gazetteer(load_rules())
    texts = ["Sở Tài chính chủ trì, phối hợp với các sở, ngành - đơn vị liên quan.",
             "UBND các xã; Ủy ban MTTQ Việt Nam xã và Sở GD&ĐT\ntổ chức",  # abbreviations expanded
             "UBND\n\nxã Nhân Lý,\nUBND huyện", "", "  \n ", "UBND", "\nSở Y tế"]
    for text in texts:
        ix = at.text_index(text, g)
        toks, full, s, starts, norms = _index_built_plainly(text, g)
        assert at.tokenize(text, g) == toks
        cols = ix.toks
        assert list(zip(cols.norms, cols.texts, cols.starts, cols.ends, strict=True)) == [t[:4] for t in toks]
        assert [cols.cap(i) for i in range(len(toks))] == [t.cap for t in toks]
        assert [cols.nl(i, text) for i in range(len(toks))] == [t.nl for t in toks]
        assert (ix.full, ix.starts, ix.norms) == (full, starts, norms)
        assert ix.best == at._matches(norms, g)
    assert at.text_index(texts[1], g).toks.texts[0] == "Ủy"  # (the fixture expands one)
    assert at.tokenize(texts[2], g)[4].nl  # (and has a line break after an expansion)


def test_abbreviation_that_expands_to_nothing_leaves_its_line_break_to_the_next_token():
    at = importlib.import_module("pipeline.extract.agency_tokens")
    g = at.gazetteer(load_rules())
    g2 = at.Gazetteer(**{f: getattr(g, f) for f in g.__dataclass_fields__})
    g2.abbrev = {**g.abbrev, ("XYZ",): ()}
    g2.abbrev_first = g.abbrev_first | {"XYZ"}
    for text in ("a\nXYZ b", "XYZ\nb c", "a XYZ\nb"):
        assert at.tokenize(text, g2) == _tokens_plainly(text, g2)
    assert [t.nl for t in at.tokenize("a\nXYZ b", g2)] == [False, True]


# --- tables.format_tables over a text with bars but no table ----------------------------------


def test_format_tables_without_a_table_gives_the_text_back():
    from pipeline.tables import format_tables, table_rules

    tr = table_rules(load_rules())
    text = "a | b\nKế hoạch | 2024\n\nc"  # bars, but no line that is a table row
    offs = list(range(5, 5 + len(text)))
    assert format_tables(text, offs, tr) == (text, offs)
    table = "| STT | Nội dung công việc | Đơn vị chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n" \
            "| 1 | Tuyên truyền | Công an xã | Quý I |\n"
    got, got_offs = format_tables("x\n" + table, list(range(len(table) + 2)), tr)
    assert got != "x\n" + table and len(got_offs) == len(got)  # a table is still rewritten


# --- capitals tests by filter / map (reflow._is_caps, segment._is_attached_title) -------------

_CASES = st.text(alphabet=list("aAđĐẾếỦủ 1.,:-\nIVXⓐⅰ中ʰß"), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_CASES)
def test_is_caps_is_the_letter_loop(s):
    reflow = importlib.import_module("pipeline.reflow")
    letters = [c for c in s[:40] if c.isalpha()]
    assert reflow._is_caps(s) == (bool(letters) and all(c.isupper() for c in letters))


def test_is_caps_fixtures():
    reflow = importlib.import_module("pipeline.reflow")
    assert reflow._is_caps("I. MỤC ĐÍCH, YÊU CẦU") and reflow._is_caps("ⓐ ỦY BAN")  # (ⓐ: no letter)
    assert not reflow._is_caps("1. Công an xã") and not reflow._is_caps("12 .")
    assert not reflow._is_caps("AB中")  # (an uncased letter)


@settings(max_examples=300, deadline=None)
@given(_CASES)
def test_attached_title_is_the_letter_loop(line):
    sr = load_rules().compiled("segment", _seg._build)
    letters = [c for c in line if c.isalpha()]
    plain = bool(letters) and all(c.isupper() for c in letters) and any(
        _seg.norm(line) == t or _seg.norm(line).startswith(t + " ") for t in sr.attached)
    assert _seg._is_attached_title(line, sr) == plain
    assert _seg._is_attached_title("KẾ HOẠCH", sr) and not _seg._is_attached_title("Kế hoạch", sr)


def test_segment_writes_sections_in_their_fields_order():
    """_finish makes a Section by position (faster than by keyword): in this order."""
    import dataclasses

    from pipeline.records import Section

    assert tuple(f.name for f in dataclasses.fields(Section)) == _seg._SECTION_FIELDS


# --- the closing lines' joined pattern (regex_union.either) -------------------------------------


def test_closing_either_matches_where_one_of_the_two_does():
    from pathlib import Path

    sr = load_rules().compiled("segment", _seg._build)
    assert sr.closing_either is not None
    lines = ["Nơi nhận:", "NƠI NHẬN", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Trên đây là Kế hoạch",
             "Yêu cầu các đơn vị nghiêm túc triển khai thực hiện./.", "trên đây", "Tm.", "Q. x", ""]
    for f in sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*.txt"))[:40]:
        lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()]
    hits = 0
    for line in lines:
        either = sr.closing_either.match(line) is not None
        assert either == bool(sr.closing_rx.match(line) or sr.closing_par_rx.match(line)), line
        hits += either
    assert hits >= 10


def test_closing_patterns_referring_to_groups_are_not_joined():
    import re

    assert either(re.compile(r"(a)\1", re.I), re.compile("b", re.I)) is None
    assert either(re.compile(r"(?P<x>a)(?P=x)", re.I), None) is None
    assert either(re.compile("(?P<x>a)", re.I), re.compile("(?P<x>b)", re.I)) is None  # (no join)
    assert either(None, None) is None
    assert either(re.compile("a", re.I), re.compile("b", re.I)).match("B")
