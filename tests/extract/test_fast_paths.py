"""Shortcuts the extractors take for speed give what the plain reading they replace gives.

Each test keeps the plain reading (the code before the shortcut) and compares it with the
shortcut on texts built for the test from pieces that make the cases meet: fields and lines
without colons, blank and non-blank lines between fields, spaces after clause marks.
"""

import random
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.fields import Field, field_kind, labelled_fields, line_spans
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


_LINES = ["- Cơ quan chủ trì: Sở Tư pháp.", "Đơn vị phối hợp: Công an tỉnh", "* Phân công:",
          "Thời gian thực hiện: Hằng năm.", "- Tổ chức tập huấn cho cán bộ.", "", "   ", "\t",
          "a) Nội dung thực hiện: rà soát", "Ghi chú: không", "2. Thời gian: quý IV", "**Chủ trì:**",
          "Sản phẩm: báo cáo", "- Kinh phí thực hiện : ngân sách", "chủ trì", "x:y", ":", "\r",
          "Phối hợp với các sở: ngành", "- Nguồn kinh phí:", "Tiến độ thực hiện: 2026"]


def _texts(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        text = "\n".join(rng.choice(_LINES) for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(text)) if rng.random() < 0.5 else 0
        end = rng.randint(start, len(text)) if rng.random() < 0.5 else len(text)
        yield text, start, end


def _kind_every_pattern(line: str, rules) -> tuple[str, int] | None:
    from pipeline.fields import _build

    for kind, rx in rules.compiled("fields", _build):
        m = rx.match(line)
        if m:
            return kind, m.end()
    return None


def _fields_line_by_line(text: str, start: int, end: int, rules) -> list[Field]:
    out = []
    for ls, le in line_spans(text, start, end):
        found = _kind_every_pattern(text[ls:le], rules)
        if found is None:
            continue
        kind, after = found
        vs = ls + after
        while vs < le and text[vs] in " \t":
            vs += 1
        ve = le
        while ve > vs and text[ve - 1] in " \t":
            ve -= 1
        out.append(Field(kind, ls, le, vs, ve))
    return out


def test_field_kind_skips_lines_without_a_colon_only(rules):
    for line in _LINES + ["Cơ quan chủ trì Sở Tư pháp", "Thời gian thực hiện"]:
        assert field_kind(line, rules=rules) == _kind_every_pattern(line, rules)
    assert field_kind("Cơ quan chủ trì: Sở", rules=rules) == ("lead", len("Cơ quan chủ trì:"))


def test_labelled_fields_colon_to_colon_is_line_by_line(rules):
    found = 0
    for text, start, end in _texts(500, 3):
        want = _fields_line_by_line(text, start, end, rules)
        assert labelled_fields(text, start, end, rules=rules) == want
        found += len(want)
    assert found > 100  # the texts hold fields to find


def _blocks_line_by_line(text: str, start: int, end: int, rules):
    from pipeline.extract.tasks import Block
    from pipeline.fields import ROLE_KINDS

    blocks, cur = [], []

    def close():
        if cur:
            roles = tuple((f.kind, f.start, f.end) for f in cur if f.kind in ROLE_KINDS)
            blocks.append(Block(cur[0].start, cur[-1].end, roles, tuple(cur)))
            cur.clear()

    fields = {f.start: f for f in _fields_line_by_line(text, start, end, rules)}
    for ls, le in line_spans(text, start, end):
        if not text[ls:le].strip():
            continue
        f = fields.get(ls)
        if f is None or (f.kind == "head" and cur):
            close()
        if f is not None:
            cur.append(f)
    close()
    return blocks


def test_find_blocks_field_to_field_is_line_by_line(rules):
    from pipeline.extract.tasks import find_blocks

    many = 0
    for text, start, end in _texts(500, 5):
        want = _blocks_line_by_line(text, start, end, rules)
        assert find_blocks(text, start, end, rules=rules) == want
        many += sum(len(b.fields) > 1 for b in want)
    assert many > 20  # blocks of several fields, so the gaps between them were judged


def test_author_tried_only_where_a_body_name_can_open(rules):
    """first_author with the rules' author_opens finds the first author a scan of every place
    finds (the places skipped hold a space, markup or a letter no name begins with)."""
    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.issuer import first_author

    c = fm_rules(rules)
    assert c.author_opens is not None
    rng = random.Random(11)
    parts = ["UBND xã Nhân Lý ban hành", "Chủ tịch UBND huyện X xây dựng", "Sở Y tế triển khai",
             "ủy ban nhân dân tỉnh Y thực hiện", "BỘ CÔNG AN ban hành", "Công an xã tổ chức", ".", ",",
             "  ", "\t", "\n", " ", "kế hoạch", ";", "**", "_", "|", ")", "các", "và", "xây dựng"]
    found = 0
    for _ in range(600):
        flat = "".join(rng.choice(parts) for _ in range(rng.randint(0, 20)))
        start = rng.randint(0, len(flat)) if rng.random() < 0.5 else 0
        end = rng.randint(start, len(flat)) if rng.random() < 0.5 else len(flat)
        want = next(c.author.finditer(flat, start, end), None)
        got = first_author(c.author, flat, start, end, opens=c.author_opens, lead=c.author_lead)
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))
        got = first_author(c.author, flat, start, end, opens=c.author_opens)
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))
        found += want is not None
    assert found > 100


def test_clause_words_are_the_clause_opens_without_spaces(rules):
    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.issuer import _CLAUSE_SPACE, _clause_opens, _clause_words

    lead, opens = fm_rules(rules).author_lead, fm_rules(rules).author_opens
    rng = random.Random(13)
    parts = ["a", "Bộ", "Sở Y", "sở", "Chủ tịch UBND", "Chủ", "ủy ban nhân dân", ".", ",", ";", ")", "]",
             " ", "\t", "\n", "*", "_", "|", "!?", "x y"]
    led = 0
    for _ in range(2000):
        flat = "".join(rng.choice(parts) for _ in range(rng.randint(0, 15)))
        start = rng.randint(0, len(flat))
        end = rng.randint(start, len(flat))
        want = [p for p in _clause_opens(flat, start, end) if flat[p] not in _CLAUSE_SPACE]
        assert list(_clause_words(flat, start, end)) == want
        want = [p for p in want if lead.match(flat, p, end)]
        assert list(_clause_words(flat, start, end, lead)) == want
        # with OPENS: the places holding one of its characters all kept, no other place added
        got = list(_clause_words(flat, start, end, lead, opens))
        assert set(got) <= set(want) and got == sorted(got)
        assert [p for p in got if opens.match(flat, p)] == [p for p in want if opens.match(flat, p)]
        led += len(want)
    assert led > 100


def test_author_opens_reads_case_as_the_names_do(rules):
    """The class of first letters matches (ignoring case where the names do) what the names'
    own first letters match, over every character of the basic plane."""
    import regex

    from pipeline.extract.fm_rules import fm_rules

    fm = rules["frontmatter"]
    bodies = fm.get("issuer_bodies", {})
    any_case = [*fm.get("author_heads", []), *bodies,
                *(a for spec in bodies.values() for a in spec.get("aliases", []))]
    as_written = [w for ws in fm.get("issuer_patterns", {}).values() for w in ws]
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    want = set()
    for words, flags in ((any_case, "(?i:{})"), (as_written, "{}")):
        for w in words:
            want |= set(regex.findall(flags.format(regex.escape(w.split()[0][0])), every))
    assert set(fm_rules(rules).author_opens.findall(every)) == want
    assert {"U", "u", "Ủ", "ủ", "S"} <= want and "s" not in want  # `Sở` is written so




_CHARS = "ab Đđ,.;:-_/()\t\n\u00a0\u2003\x1c\u0301Ủy ban12 3/KH-UBND Sở Y tế Phòng Văn hóa kỷ luật"


@lru_cache(maxsize=1)
def _themes():
    from pipeline.extract import themes as T

    return load_rules().compiled("themes.ngrams", T._build)


_THEME_PHRASES = ["Ủy ban nhân dân tỉnh", "UBND xã", "Sở Tư pháp", "tuyên truyền", "kỷ luật", "pháp luật",
                  "phòng, chống", "mua bán người", "tập huấn", "Ban Chỉ đạo", "kiểm tra", "báo cáo",
                  "Phòng Văn hóa - Xã hội", "nạn nhân", "hỗ trợ", "quan hệ", "cơ quan", "luật sư",
                  "chỉ đạo", "an ninh", "trật tự"]
_THEME_FILLERS = ["các", "cho", "và", "cán bộ", "Sở Y tế", "trong", ",", "việc", "năm 2026", "Trạm"]


def _word_starts(sylls, words, width=4):
    """Where the words of SYLLS start, read left to right, the longest word of WORDS at each
    place, every place tried (a syllable alone where no word starts)."""
    starts, k = set(), 0
    while k < len(sylls):
        starts.add(k)
        k += next((L for L in range(min(width, len(sylls) - k), 1, -1) if tuple(sylls[k:k + L]) in words), 1)
    return starts


def _found_by_reading_every_word(head: str, th):
    """themes._found's definition: the phrases whose edges are edges of the head's words,
    read by the dictionary longest first from the start (no shortcut)."""
    from pipeline.extract import themes as T

    sylls = T._syllables(head, th)
    starts = _word_starts(sylls, T.dictionary_words(T._WORD_MAX))
    n = len(sylls)
    return [(i, L, tuple(sylls[i:i + L])) for i, L, _key in T._hits(sylls, th)
            if i in starts and (i + L == n or i + L in starts)]


def test_theme_phrases_read_words_only_where_one_may_cross():
    import random

    from pipeline.extract import themes as T

    th = _themes()
    rng = random.Random(17)
    crossed = 0
    for _ in range(600):
        head = " ".join(rng.choice(_THEME_PHRASES if rng.random() < 0.45 else _THEME_FILLERS)
                        for _ in range(rng.randint(0, 30)))
        want = _found_by_reading_every_word(head, th)
        assert T._found(head, th) == want, head
        crossed += len(want) < len(T._hits(T._syllables(head, th), th))
    assert crossed > 20  # (the heads do hold phrases a word runs across)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_CHARS)) | st.characters(), max_size=80))
def test_theme_phrases_of_any_text_are_those_of_every_word(head):
    from pipeline.extract import themes as T

    assert T._found(head, _themes()) == _found_by_reading_every_word(head, _themes())


def _candidates_value_first(text: str, g):
    """targets._candidates before it read the value and grade last."""
    from pipeline.extract.targets import _NUMBER, _norm, _value

    found = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        if (s and (text[s - 1].isalnum() or text[s - 1] in "/.,")) or text[e : e + 1] == "/":
            continue
        value = _value(m.group())
        if value is None or g.grade.search(text, max(0, s - 15), s):
            continue
        cm = g.count.search(text, max(0, s - 25), s)
        cmp_word = _norm(cm.group("cmp")) if cm else ""
        pm = g.percent.match(text, e)
        end = pm.end() if pm else e
        am = g.after.match(text, end)
        after = _norm(am.group("after")) if am else ""
        end = am.end() if am else end
        if cmp_word in g.need_after and not after:
            cmp_word = ""
        lead = cm.start() if cmp_word else s
        if after:
            comparator = g.after_cmp[after]
        elif cmp_word:
            comparator = g.before_cmp[cmp_word]
        elif pm:
            comparator = "eq"
        else:
            continue
        if pm:
            if g.stat_before.search(text, max(0, lead - 30), lead) or g.stat_after.match(text, end):
                continue
            unit = "%"
        else:
            if g.not_unit.match(text, e):
                continue
            w = g.unit_word.match(text, e)
            unit = _norm(w.group("w")) if w else "count"
            end = max(end, w.end()) if w else end
        found.append((lead, s, end, comparator, value, unit))
    return found


def test_target_candidates_read_value_and_grade_last(rules):
    from pipeline.extract.targets import _candidates, _grammar

    g = _grammar(rules)
    pieces = ["ít nhất 02 lần", "cấp độ 3 trở lên", "mức độ 90%", "đạt 100%", "0243.8252.111 %",
              "từ 12 tuổi", "từ 5 người trở lên", "chiếm 30%", "trên 1.000 hộ", "không quá 2,5 %",
              "số 12/KH-UBND", "năm 2026", "hạng 2 ít nhất", "≥ 30%", "lần thứ 2 trên 3 vụ",
              "tối đa 1.2.3 lớp",
              ", ", ". ", "\n- ", "cán bộ"]
    rng = random.Random(23)
    kept = 0
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        want = _candidates_value_first(text, g)
        assert _candidates(text, g) == want
        kept += len(want)
    assert kept > 100
    from pipeline.extract.openings import skipping

    assert skipping(g.count) is not None  # the comparator is looked for where one can open


@lru_cache(maxsize=1)
def _rules():
    return load_rules()


_TARGET_CHARS = "0123456789 ,./%≥≤<>\n\t\u00a0_-*ítnhấtrênđaừuTỐIĐAKHÔNGQUÁſ"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["ít nhất ", "Trên  ", "TỐI ĐA\n", "≥", "< ", "từ ", "không quá\u00a0",
                                 "ngày ", "năm ", "tháng\n", "12", "2,5", "30%", " trở lên", " ", "\n",
                                 "Từ", "vượt", "đạt "])
                | st.text(alphabet=st.sampled_from(list(_TARGET_CHARS)) | st.characters(), max_size=6),
                max_size=14))
def test_target_candidates_of_any_text_are_the_plain_reading(pieces):
    from pipeline.extract.targets import _candidates, _grammar

    text = "".join(pieces)
    g = _grammar(_rules())
    assert _candidates(text, g) == _candidates_value_first(text, g)


def test_deadlines_read_targets_only_beside_a_schedule_word(rules, monkeypatch):
    from pipeline.extract import deadlines as D

    calls = []
    spans = D.target_spans
    monkeypatch.setattr(D, "target_spans", lambda text, r: calls.append(text) or spans(text, r))
    assert list(D.get_deadline_annotations("Tổ chức tập huấn 95% cán bộ.", rules, year=2026)) == []
    assert calls == []  # no schedule word: the targets are not read
    text = "Phấn đấu 95% số vụ án hàng năm được giải quyết; báo cáo hằng năm."
    got = [(a.kind, text[a.start:a.end]) for a in D.get_deadline_annotations(text, rules, year=2026)]
    assert calls == [text]
    # the rate's `hàng năm` inside the target is no schedule
    assert got == [("recurring", "báo cáo hằng năm")]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab đ.,*_#`\\\t\n\r\u00a0\u2028\u3000\x1c\x00"))
               | st.characters(), max_size=40))
def test_one_line_as_split_and_join(s):
    from pipeline.extract.tasks import _MARKUP, one_line

    plain = s
    if any(c in s for c in "*_#`\\"):
        plain = _MARKUP.sub(" ", s)
    assert one_line(s) == " ".join(plain.split())


def test_one_line_keeps_a_line_that_is_one_already():
    from pipeline.extract.tasks import one_line

    assert one_line("Tổ chức tập huấn, bồi dưỡng") == "Tổ chức tập huấn, bồi dưỡng"
    assert one_line(" Tổ  chức\u00a0tập\nhuấn ") == "Tổ chức tập huấn"


def test_references_reuse_the_header_read_plan_read(rules):
    """read_plan's header spans are front_bounds and title_span as read anew, and references
    given them find what they find reading the header themselves."""
    from pathlib import Path

    from pipeline.clean import clean
    from pipeline.extract.frontmatter import find_plan, header_spans, read_plan
    from pipeline.extract.headerblock import front_bounds, title_span
    from pipeline.extract.references import find_references
    from pipeline.records import RawDoc
    from pipeline.segment import segment

    root = Path(__file__).resolve().parents[2] / "corpus" / "real"
    segs = [segment(clean(RawDoc(doc_id=p.stem, source_path=p.name, source_format="md", status="ok",
                                 text=p.read_text(encoding="utf-8")), rules=rules), rules=rules)
            for p in sorted(root.glob("*.md"))[:6]]
    titled = 0
    for seg in segs:
        want = (front_bounds(seg, rules), title_span(seg, rules))
        plan, spans = read_plan(seg, rules=rules)
        assert spans == want == header_spans(seg, rules)
        assert plan == find_plan(seg, rules=rules)
        assert list(find_references(seg, rules=rules, plan=plan, spans=spans)) \
            == list(find_references(seg, rules=rules, plan=plan))
        titled += want[1] is not None
    assert titled >= 3


def test_first_author_of_a_preamble_is_the_first_finditer_finds(rules):
    """find_plan reads the author of its preamble (a slice: its start opens a clause) with
    first_author, as `next(author.finditer(preamble))` reads it."""
    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.issuer import first_author

    c = fm_rules(rules)
    for preamble in ["UBND xã Nhân Lý xây dựng Kế hoạch", "  Căn cứ ...; Sở Y tế ban hành", "",
                     "Thực hiện X, Chủ tịch UBND huyện Y ban hành", "các Sở triển khai", "   ** Bộ Công an"]:
        want = next(iter(c.author.finditer(preamble)), None)
        got = first_author(c.author, preamble, 0, len(preamble), opens=c.author_opens,
                           lead=c.author_lead)
        assert (got and got.span()) == (want and want.span())


def test_amendment_cues_found_as_a_scan_of_every_place_finds_them(rules):
    import regex

    from pipeline.extract.ref_rules import ref_rules
    from pipeline.extract.references import _amended_scan, _cue_letters

    amended = ref_rules(rules).amended
    cues = tuple(rules["references"].get("amendment_cues") or ())
    fast = _amended_scan(amended, cues)
    assert fast is not amended  # the rules' cues are an alternation: the letters are looked ahead
    assert _amended_scan(regex.compile("(?i:được)"), cues) is not fast  # another pattern: itself
    # the letters looked ahead are, over the basic plane, those the cues' first letters match
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    want = set()
    for w in cues:
        want |= set(regex.findall(f"(?i:{regex.escape(w.split()[0][0])})", every))
    assert set(regex.findall(_cue_letters(cues), every)) == want
    assert fast.pattern.startswith(f"(?={_cue_letters(cues)})")
    pieces = ["được sửa đổi", "ĐƯỢC SỬA ĐỔI", "đã được sửa đổi", "Được bổ sung", "Luật sửa đổi, bổ sung",
              "LUẬT  SỬA ĐỔI,\nBỔ SUNG", "luật", "được", "sửa", " ", ",", "x", "Đã"]
    rng = random.Random(31)
    found = 0
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        want_spans = [m.span() for m in amended.finditer(text, lo, hi)]
        assert [m.span() for m in fast.finditer(text, lo, hi)] == want_spans
        found += len(want_spans)
    assert found > 100


@pytest.mark.parametrize("cues", [None, ("aa b", "a c", "aa", "ĐƯỢC x"), ("ana", "anana b", "n")])
def test_amendment_cues_found_from_their_first_words_as_finditer_finds_them(rules, cues):
    """_amended_finditer tries the cues only where a first word stands: the matches of the
    plain scan, for the rules' cues and for cues whose first words overlap themselves and
    each other."""
    import regex

    from pipeline.extract.patterns import words_alternation
    from pipeline.extract.ref_rules import ref_rules
    from pipeline.extract.references import _amended_finditer, _cue_heads

    if cues is None:
        amended = ref_rules(rules).amended
        cues = tuple(rules["references"].get("amendment_cues") or ())
        pieces = ["được sửa đổi", "ĐƯỢC SỬA ĐỔI", "đã được sửa đổi", "Được bổ sung", "Luật sửa đổi, bổ sung",
                  "LUẬT  SỬA ĐỔI,\nBỔ SUNG", "luật", "được", "sửa", " ", ",", "x", "Đã", "đã được"]
    else:
        amended = regex.compile(f"(?i:{words_alternation(cues)})")
        pieces = ["a", "aa", "b", " ", "c", "an", "ana", "n", "được", "X", "\n"]
    assert _cue_heads(amended, cues) is not None
    assert _cue_heads(regex.compile("(?i:được)"), cues) is None  # another pattern: the plain scan
    rng = random.Random(37)
    found = 0
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        want = [m.span() for m in amended.finditer(text, lo, hi)]
        assert [m.span() for m in _amended_finditer(amended, cues, text, lo, hi)] == want, (text, lo, hi)
        found += len(want)
    assert found > 100


def test_targets_read_no_clause_ends_without_a_measure(rules, monkeypatch):
    from pipeline.extract import targets as T

    calls = []
    ends = T._clause_ends
    monkeypatch.setattr(T, "_clause_ends", lambda text: calls.append(text) or ends(text))
    assert list(T._annotate("Năm 2026 tổ chức 3 hội nghị; số 12/KH-UBND.", rules)) == []
    assert calls == []  # no measure: nothing else read
    text = "Phấn đấu đến năm 2030, 100% cán bộ được tập huấn; ít nhất 02 lần mỗi năm."
    got = [(a.comparator, a.value, a.unit, a.year) for a in T._annotate(text, rules)]
    assert calls == [text]
    assert got[0] == ("eq", 100.0, "%", 2030)


# --- themes: answers from bounds, the segmenter asked only while they may change -------------


def test_a_time_cell_is_read_once_and_kept(monkeypatch, rules):
    """A table's time cell (`Thường xuyên`, `Quý IV/2025`) stands in row after row: its
    deadlines are read once by (text, year), the same as reading it again; a long cell is
    read each time."""
    import importlib

    tables = importlib.import_module("pipeline.extract.tables")
    calls = []
    read = tables.get_deadline_annotations
    monkeypatch.setattr(tables, "get_deadline_annotations",
                        lambda *a, **k: calls.append(a[0]) or read(*a, **k))
    cell = "Thời gian hoàn thành: Quý IV/2025 - Quý II/2026 (kept test)"
    want = tuple(read(cell, rules, year=2025, period=tables._NO_PERIOD))
    assert want and tables._cell_annotations(cell, rules, 2025) == want
    assert tables._cell_annotations(cell, rules, 2025) == want and calls == [cell]
    assert tables._cell_annotations(cell, rules, 2026) is not None and calls == [cell, cell]  # another year
    long = cell + " x" * 200
    tables._cell_annotations(long, rules, 2025)
    tables._cell_annotations(long, rules, 2025)
    assert calls.count(long) == 2


def test_closing_start_tries_lines_only_where_the_opening_words_stand(rules):
    """closing_start skips a span holding none of the closing pattern's opening words (found
    once for the text): the same answer as trying every line."""
    from pipeline.extract.tasks import _closing_rx, closing_start

    closing = _closing_rx(rules)

    def every_line(text, start, end):
        for ls, le in line_spans(text, start, end):
            if closing.match(text[ls:le].lstrip()):
                return ls
        return None

    rng = random.Random(11)
    found = 0
    lines = ["Trên đây là Kế hoạch triển khai", "  TRÊN ĐÂY LÀ kế hoạch", "- Tổ chức tập huấn",
             "trên đây", "Yêu cầu các cơ quan nghiêm túc triển khai thực hiện ./.", "yêu cầu", "",
             "ſ x", "İ trên đây là x", "Hoạt động trên đây là x", "\t\x1c Trên đây là x",
             "\u3000yêu cầu các đơn vị triển khai thực hiện./.", "trên trên đây là", " "]
    for _ in range(600):
        # (lines, or pieces run into one line: later places on a line open none)
        text = rng.choice(["\n", " ", "\n\n"]).join(rng.choice(lines) for _ in range(rng.randint(0, 12)))
        for _ in range(5):
            lo = rng.randint(0, len(text))
            hi = rng.randint(lo, len(text))
            assert closing_start(text, lo, hi, rules=rules) == every_line(text, lo, hi)
            found += every_line(text, lo, hi) is not None
    assert found > 100


def _description_plain(flat: str, pos: int, short_name) -> tuple[str, int]:
    """citetext.description as a loop over every character (the code before the mark scan)."""
    import regex

    comma_capital = regex.compile(r",\s+\p{Lu}")
    depth = 0
    i = pos
    limit = min(len(flat), pos + 300)
    while i < limit:
        ch = flat[i]
        if ch == "(":
            if depth == 0 and short_name is not None and short_name.match(flat, i):
                break
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == ";":
            break
        elif depth == 0 and ch == "." and (i + 1 >= len(flat) or flat[i + 1] == " "):
            break
        elif depth == 0 and ch == "," and comma_capital.match(flat, i, i + 4):
            break
        i += 1
    return " ".join(flat[pos:i].split()), i


def test_description_reads_as_the_loop_over_every_character(rules):
    from pipeline.extract.citetext import description
    from pipeline.extract.ref_rules import ref_rules

    short = ref_rules(rules).short_name
    pieces = ["về việc ", "(", ")", "(viết tắt là ", ";", ".", ". ", ",", ", ", ", Sở", ",Sở", "x", "  ",
              "a" * 120, "\n", "Quyết định", "(Chương trình)", "..", ".\n"]
    rng = random.Random(41)
    ended = 0
    for _ in range(1500):
        flat = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        pos = rng.randint(0, len(flat))
        for sn in (short, None):
            want = _description_plain(flat, pos, sn)
            assert description(flat, pos, sn) == want, (flat, pos)
            ended += want[1] < min(len(flat), pos + 300)
    assert ended > 500


def test_split_takes_the_spaces_of_backslash_s_but_four():
    """Why citetext._tokens may split a window without those four: every other character is
    white space to str.split exactly when it is to the `\\s` of the regex module."""
    import sys

    import regex

    from pipeline.extract.citetext import _SPLIT_ONLY

    space = regex.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if ch not in _SPLIT_ONLY:
            assert (space.match(ch) is not None) == ch.isspace(), hex(cp)
    assert all(ch.isspace() and not space.match(ch) for ch in _SPLIT_ONLY)


def test_tokens_are_the_word_scan_s():
    import regex

    from pipeline.extract.citetext import _tokens

    word = regex.compile(r"\S+")
    pieces = ["Luật", "Phòng,", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\x1f", "\u200b", "\u180e",
              "\x85", "a", "aa", "(UBND)", "2024;", "x\u0301", "Sở"]
    rng = random.Random(43)
    for _ in range(3000):
        flat = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        pos = rng.randint(0, len(flat))
        size, n = rng.choice([(400, 40), (200, 20), (30, 5), (10, 40)])
        want = [(m.start() + pos, m.end() + pos, m[0]) for m in word.finditer(flat[pos:pos + size])][:n]
        assert _tokens(flat, pos, size, n) == want, (flat, pos, size, n)


def _text_lines_plain(text, start, end):
    """headerblock.text_lines as a loop over each line's characters (the code before str.strip)."""
    pos = start
    for raw in text[start:end].split("\n"):
        lo, hi = pos, pos + len(raw)
        pos = hi + 1
        while lo < hi and text[lo] in " \t*#|\u00a0_":
            lo += 1
        while hi > lo and text[hi - 1] in " \t*#|\u00a0_":
            hi -= 1
        if lo < hi:
            yield lo, hi, text[lo:hi]


_SIGN_PIECES = ["KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "TL.", "TUQ.", "KT.", "**KT. CHỦ TỊCH**",
                "| TM. UBND |", "PHÓ CHỦ TỊCH", "Nguyễn Văn An", "(Đã ký)", "- Như trên;", "Nơi nhận:",
                "x KT. y", "\u00a0TM. A", "_TL. B_", "KT.TM. X", "\r", "Trần Thị B", "CHỦ TỊCHNguyễn Văn C",
                "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê D"]


def _signature_texts(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        parts = [rng.choice(_SIGN_PIECES) for _ in range(rng.randint(0, 14))]
        text = "".join(p + rng.choice(["\n", "\n\n", " ", "\n  ", "\n*"]) for p in parts)
        yield text, rng.randint(0, len(text))


def test_text_lines_are_the_character_loop_s():
    from pipeline.extract.headerblock import text_lines

    for text, start in _signature_texts(1500, 47):
        end = random.Random(start).randint(start, len(text))
        assert list(text_lines(text, start, end)) == list(_text_lines_plain(text, start, end))


def test_mode_lines_are_the_lines_mode_line_matches(rules):
    """signature finds the mode lines where a mode word stands, as a read of every line finds them."""
    import dataclasses
    from itertools import islice

    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.headerblock import text_lines
    from pipeline.extract.signature import _mode_lines

    c = fm_rules(rules)
    plain_c = dataclasses.replace(c, mode_at=None)
    found = 0
    for text, start in _signature_texts(1500, 53):
        want = [ln for ln in _text_lines_plain(text, start, len(text)) if c.mode_line.match(ln[2])]
        assert _mode_lines(text, start, c) == want, (text, start)
        assert _mode_lines(text, start, plain_c) == want
        found += len(want)
        # the lines signature reads after a mode line: those after it among all the lines
        lines = list(_text_lines_plain(text, start, len(text)))
        for ln in want:
            nl = text.find("\n", ln[1])
            after = list(islice(text_lines(text, nl + 1, len(text)), 11)) if nl >= 0 else []
            assert after == lines[lines.index(ln) + 1:lines.index(ln) + 12]
    assert found > 1000


def test_signature_reads_as_it_did_over_every_line(rules):
    import dataclasses

    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.signature import signature

    c = fm_rules(rules)
    plain_c = dataclasses.replace(c, mode_at=None)
    named = 0
    for text, start in _signature_texts(1500, 59):
        close = random.Random(start).choice([None, len(text), start + 10])
        want = signature(text, text, start, close, plain_c)
        assert signature(text, text, start, close, c) == want
        named += want[2] is not None
    assert named > 100


def _starts_plain(bare, i, phrases):
    """citetext._starts over a list of every phrase (the code before the index by first word)."""
    first = bare[i] if i < len(bare) else None
    for p in phrases:
        if p and p[0] != first:
            continue
        if bare[i:i + len(p)] == p:
            return True
    return False


@pytest.mark.parametrize("which", ["title_stop", "issuer_stop", "odd"])
def test_stop_phrases_start_as_a_read_of_every_phrase_finds(rules, which):
    from pipeline.extract.citetext import _starts
    from pipeline.extract.ref_rules import _by_first_word

    if which == "odd":
        phrases = [["và"], ["và", "các"], [], ["x"]]
    else:
        phrases = [w.lower().split() for w in rules["references"].get(which, [])]
        assert len(phrases) > 3
    index = _by_first_word(phrases)
    vocab = sorted({w for p in phrases for w in p} | {"", "a", "năm"})
    rng = random.Random(61)
    hits = 0
    for _ in range(3000):
        bare = [rng.choice(vocab) for _ in range(rng.randint(0, 8))]
        i = rng.randint(0, len(bare) + 1)
        want = _starts_plain(bare, i, phrases)
        assert _starts(bare, i, index) == want, (bare, i)
        hits += want
    assert hits > 300


def test_enough_candidates_choose_as_all_of_them(rules):
    """read_plan reads the issuer's sources only until choose_issuer's answer is settled."""
    from pipeline.extract.issuer import _Cand, choose_issuer, enough_candidates
    from pipeline.extract.places import Place

    bodies = [None, "", "Ủy ban nhân dân", "Sở Y tế", "Bộ Công an", "Tỉnh ủy"]
    places = [None, Place("tỉnh", None, "Tỉnh"), Place("tỉnh", "Bắc Ninh"), Place("xã", "Nhân Lý"),
              Place("xã", None, "XÃ"), Place("huyện", ""), Place("thành phố", "Hà Nội")]
    rng = random.Random(67)
    cut = 0
    for _ in range(3000):
        cands = [_Cand(rng.choice(bodies), rng.choice(places)) for _ in range(rng.randint(0, 7))]
        word = rng.choice([None, "Bắc Ninh", "Hà Nội", "Nhân Lý"])
        read = []
        got = enough_candidates(read.append(cd) or cd for cd in cands)
        assert got == cands[:len(got)] and read == got  # (nothing read past the last it keeps)
        assert choose_issuer(got, word, rules) == choose_issuer(cands, word, rules), (cands, word)
        cut += len(got) < len(cands)
    assert cut > 500


def test_places_that_name_their_province_need_no_mentions():
    """read_plan counts the provinces a text names only where locate_place may read them."""
    from collections import Counter

    from pipeline.extract.admin_units import admin_units
    from pipeline.extract.frontmatter import _needs_mentions
    from pipeline.extract.places import Place, locate_place

    units = admin_units()
    provinces = [units.province_by_code(code) for code in ("01", "27", "79", "46")]
    names = [None, "", "Hà Nội", "Bắc Ninh", "Hồ Chí Minh", "Huế", "Nhân Lý", "Tân Phú", "Không Có",
             "Quận 1", "Đông Hà"] + [p.name for p in provinces if p]
    levels = ["tỉnh", "thành phố", "xã", "phường", "huyện", "quận", "thị xã", "thị trấn", "đặc khu"]
    codes = ["01", "27", "79", "46", "31", "99"]
    rng = random.Random(71)
    skipped = 0
    for _ in range(3000):
        where = None if rng.random() < 0.1 else Place(rng.choice(levels), rng.choice(names))
        level = rng.choice(["province", "district", "commune", "national", "ministry", "unknown",
                            "province_dept"])
        mentions = Counter({rng.choice(codes): rng.randint(1, 5) for _ in range(rng.randint(0, 3))})
        if not _needs_mentions(where, level):
            assert locate_place(where, level, Counter()) == locate_place(where, level, mentions)
            skipped += 1
    assert skipped > 500


def _title_and_issuer_texts(rules, n: int, seed: int):
    """Texts after a kind word or `của`: names, stop phrases, kind words, numbers, clause marks."""
    r = rules["references"]
    pieces = ["Phòng,", "chống", "mua", "bán", "người", "năm", "2024", "giai", "đoạn", "2026", "-", "2030",
              "và", "Luật", "Trợ", "giúp", "pháp", "lý", "UBND", "tỉnh", "Bắc", "Ninh", "(UBND)", "Bộ",
              "Công", "an", "khóa", "XX", "số", "12/KH-UBND", "Kế", "hoạch", ";", ".", ",", "về",
              "định", "hướng", "đến", "Sở", "Y", "tế", "ban", "hành", "x", "Ban", "Chỉ", "đạo", "389"]
    pieces += [w for w in r.get("title_stop", []) + r.get("issuer_stop", []) + r.get("comma_joins", [])]
    plain = ["Phòng,", "chống", "mua", "bán", "người", "x", "Y", "Bắc", "Ninh", "Sở", "an", "toàn"]
    rng = random.Random(seed)
    for k in range(n):
        some = pieces if k % 2 else plain + rng.sample(pieces, 3)  # (half run on: long names)
        yield " ".join(rng.choice(some) for _ in range(rng.randint(0, 60)))


@pytest.mark.parametrize("first", [None, (4, 4), (6, 5), (9, 7)])
def test_title_and_issuer_read_first_words_as_all_of_them(rules, first, monkeypatch):
    """read_title and read_issuer read the first words first: the answers of a reading of all
    (with the rules' counts of first words, and with fewer, where the edges are met often)."""
    from pipeline.extract import citetext as C
    from pipeline.extract.ref_rules import ref_rules

    if first is not None:
        monkeypatch.setattr(C, "_TITLE_FIRST", first[0])
        monkeypatch.setattr(C, "_ISSUER_FIRST", first[1])
    c = ref_rules(rules)
    titles = issuers = 0
    for flat in _title_and_issuer_texts(rules, 2500 if first is None else 800, 73):
        for kind in ("Luật", "Chương trình", "Đề án"):
            want = C._title_of(flat, 0, kind, c, C._tokens(flat, 0, 400, C._TITLE_WORDS))[0]
            assert C.read_title(flat, 0, kind, c) == want, (flat, kind)
            last = C._title_of(flat, 0, kind, c, C._tokens(flat, 0, 400, C._TITLE_FIRST))[1]
            titles += last + max(c.title_stop_words, 1) + 1 > C._TITLE_FIRST  # (read again)
        taken, end, _ = C._issuer_words(flat, 0, c, rules, C._tokens(flat, 0, 200, C._ISSUER_WORDS))
        phrase = " ".join(taken)
        want = (C._canonical_issuer(phrase, rules), end) if phrase[:1].isupper() else (None, 0)
        assert C.read_issuer(flat, 0, c, rules) == want, flat
        last = C._issuer_words(flat, 0, c, rules, C._tokens(flat, 0, 200, C._ISSUER_FIRST))[2]
        issuers += last + max(c.issuer_stop_words, 3) > C._ISSUER_FIRST
    assert titles > 100 and issuers > 100, (titles, issuers)  # (some go past the first words)


def test_motto_looked_ahead_finds_what_the_phrases_find(rules):
    """The motto's look-ahead of its first letters (case spelt out) leaves its matches as the
    phrases alone find them, on texts with the letters' look-alikes in any case and past the
    basic plane."""
    import regex

    from pipeline.extract.fm_rules import fm_rules, loose

    phrases = rules["frontmatter"].get("national_header", [])
    plain = regex.compile(f"(?i:{'|'.join(loose(w) for w in phrases)})")
    motto = fm_rules(rules).motto
    assert motto.pattern != plain.pattern
    pieces = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa xã hội chủ nghĩa Việt Nam",
              "Độc lập - Tự do - Hạnh phúc", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC", "độc lập", "CỘNG", "cộng hoà",
              "c", "Ç", "ð", "Ď", "\U00010400",
              " ", "\n", "x", "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc", "ĐỘC  LẬP"]
    rng = random.Random(79)
    found = 0
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        want = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in motto.finditer(text)] == want, text
        found += len(want)
    assert found > 300


def test_settle_roles_reads_the_sections_only_for_a_numbered_mention(rules, monkeypatch):
    """A numbered document still a mention is what the basis sections change: without one, they
    are not read (and the roles are as a read of them leaves them)."""
    from pipeline.clean import clean_text
    from pipeline.extract import ref_roles
    from pipeline.extract.fm_rules import flatten
    from pipeline.extract.frontmatter import read_plan
    from pipeline.extract.ref_rules import ref_rules
    from pipeline.extract.references import _cites, find_references
    from pipeline.records import CleanDoc
    from pipeline.segment import segment

    text, _ = clean_text("KẾ HOẠCH\nI. CĂN CỨ\n1. Quyết định số 12/QĐ-UBND ngày 01/02/2025 của UBND tỉnh.\n"
                         "II. NHIỆM VỤ\n1. Tổ chức tập huấn.\n", rules=rules)
    seg = segment(CleanDoc("d", text), rules=rules)
    plan, spans = read_plan(seg, rules=rules)
    read = []
    real = ref_roles._basis_sections
    monkeypatch.setattr(ref_roles, "_basis_sections", lambda s, c: read.append(1) or real(s, c))
    refs = list(find_references(seg, rules=rules, plan=plan, spans=spans))
    assert read and [r.role for r in refs] == ["legal_basis"]  # (a mention made basis by its section)
    cites = _cites(seg, rules, plan, flatten(text), *spans)
    for x in cites:
        x.role = "legal_basis"
    read.clear()
    ref_roles.settle_roles(cites, seg, flatten(text), spans[0][1], plan, ref_rules(rules))
    assert not read


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "Lu", "ật", " ", "  ", "\n", "\t", "\u00a0", ",", "\x1c"]),
                max_size=40).map("".join), st.integers(0, 20), st.integers(0, 60), st.integers(0, 12))
def test_citetext_tokens_are_the_word_runs(text, pos, size, n):
    """_tokens splits at most N words off its window: the first N runs of \\S+ there."""
    from itertools import islice

    from pipeline.extract.citetext import _WORD, _tokens

    window = text[pos:pos + size]
    want = [(m.start() + pos, m.end() + pos, m[0]) for m in islice(_WORD.finditer(window), n)]
    assert _tokens(text, pos, size, n) == want
