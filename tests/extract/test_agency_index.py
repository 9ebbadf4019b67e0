# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""The document's agency index: built once, shared by task regions and assignments; the
position finders of role_patterns over it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.agencies import AgencyText
from pipeline.extract.agency_tokens import TextIndex, gazetteer, text_index
from pipeline.extract.assignments import _find, find_assignments
from pipeline.extract.role_patterns import find_words
from pipeline.extract.tasks import find_tasks, is_agency_heading
from pipeline.extract.wordseg import fold
from pipeline.rules import load_rules

from ._fixtures import build, plan


@pytest.fixture(scope="module")
def rules():
    return load_rules()


TEXT = "Giao Công an xã, các Trạm Y tế chủ trì; UBND xã Nhân Lý phối hợp.\n2. Công an xã Nhân Lý"


def test_text_index_keeps_the_stream_and_its_offsets(rules):
    ix = text_index(TEXT, gazetteer(rules))
    assert isinstance(ix, TextIndex)
    # `các` is left out of the stream, kept in the tokens (to look back at)
    assert "các" in ix.toks.norms and "các" not in ix.norms
    assert ix.norms == [ix.toks.norms[f] for f in ix.full]
    assert ix.starts == [ix.toks.starts[f] for f in ix.full]
    # the abbreviation is expanded in place, every word with the offsets of `UBND`
    at = TEXT.index("UBND")
    assert [w for w, s in zip(ix.toks.texts, ix.toks.starts, strict=True) if s == at] == ["Ủy", "ban", "nhân", "dân"]
    k = ix.norms.index("công")
    assert ix.best[k]["AG"][0] == k + 2 and ix.best[k + 2]["LEVEL"][0] == k + 3  # Công an | xã


def test_with_place_shares_the_index_and_drops_the_place(rules):
    ax = AgencyText(TEXT, rules)
    own = ax.with_place("Nhân Lý")
    assert own.ix is ax.ix and own.norms is ax.norms
    k = ax.index(TEXT.index("2. Công") + 3)
    plain = ax.parse_list(k, ax.n, bounded=True)[0]
    placed = own.parse_list(k, own.n, bounded=True)[0]
    assert [m.agency for m in plain] == ["Công an xã Nhân Lý"]
    assert [m.agency for m in placed] == ["Công an xã"]
    # a reader with another place keeps its own answers
    assert [m.agency for m in ax.parse_list(k, ax.n, bounded=True)[0]] == ["Công an xã Nhân Lý"]


def test_agency_heading_reads_the_given_index(rules):
    text = "1. Công an xã\nTổ chức tuần tra."
    ax = AgencyText(text, rules)
    assert is_agency_heading(text, 3, 13, rules=rules, agencies=ax)
    assert is_agency_heading(text, 3, 13, rules=rules)  # built on the spot when not given
    assert not is_agency_heading(text, 14, len(text), rules=rules, agencies=ax)


ORG = """V. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội
- Tham mưu tổ chức tuyên truyền; phối hợp với Công an xã triển khai.
2. Công an xã
Chủ động nắm tình hình, xử lý vi phạm.
3. Giao Trạm Y tế xã chủ trì tập huấn, báo cáo kết quả về Phòng Văn hóa - Xã hội để tổng hợp.
"""
ORG_SPEC = [("V", "organization", "V."), ("V/1", "organization", "1. Phòng"),
            ("V/1/-1", "organization", "- Tham"), ("V/2", "organization", "2. Công"),
            ("V/3", "organization", "3. Giao")]


def test_one_index_gives_the_rows_of_separate_ones(rules):
    seg = build(ORG, ORG_SPEC)
    ax = AgencyText(ORG, rules)
    tasks = list(find_tasks(seg, rules=rules, agencies=ax))
    assert tasks == list(find_tasks(seg, rules=rules))
    shared = list(find_assignments(seg, tasks, rules=rules, plan=plan(), agencies=ax))
    alone = list(find_assignments(seg, tasks, rules=rules, plan=plan()))
    assert shared == alone
    assert ("V/2", "lead", "Công an xã") in {(a.path, a.role, a.agency) for a in shared}


def test_find_words_skips_the_words_of_a_match_and_stays_in_range(rules):
    ax = AgencyText("phối hợp phối hợp với sở phối hợp", rules)
    opts = (("phối", "hợp", "phối"), ("phối", "hợp"))
    assert list(find_words(ax, 0, 8, opts)) == [(0, 3), (6, 8)]  # (2, 4) starts inside the first
    assert list(find_words(ax, 1, 7, opts)) == [(2, 4)]  # (6, 8) would end past 7
    assert list(find_words(ax, -3, 99, ())) == []
    # a word no role phrase starts with is looked for too
    assert list(find_words(ax, 0, 99, (("sở",),))) == [(5, 6)]


def _words_scan(ax, k, end, options):
    """find_words read word by word over the span alone: what its kept places must give."""
    out, after = [], max(k, 0)
    for j in range(max(k, 0), min(end, ax.n)):
        n = ax.any_words(j, options)
        if j >= after and n and j + n <= end:
            out.append((j, j + n))
            after = j + n
    return out


def test_find_words_from_the_kept_places_equals_a_scan_of_each_span(rules):
    from pipeline.extract.role_patterns import role_words

    ax = AgencyText(TEXT + " Giao Sở Tư pháp chủ trì, phối hợp với Công an xã; đề nghị Ủy ban MTTQ "
                    "xã phối hợp phối hợp thực hiện, báo cáo về Sở Tư pháp để tổng hợp.", rules)
    words = role_words(rules)
    sets = [words.order_request, words.request_order, words.coordinate, words.lead_coordinate,
            words.standing, words.report_to, words.collect, words.via, words.report_verbs]
    assert any(list(find_words(ax, 0, ax.n, o)) for o in sets)
    for options in sets:
        for k in range(-1, ax.n + 1, 3):
            for end in (k + 1, k + 7, k + 20, ax.n, ax.n + 5):
                assert list(find_words(ax, k, end, options)) == _words_scan(ax, k, end, options)


def test_find_gives_the_first_place_in_range_or_none():
    norms = ["a", ":", "b", ":"]
    assert _find(norms, ":", 0, 4) == 1
    assert _find(norms, ":", 2, 4) == 3
    assert _find(norms, ":", 2, 3) is None
    assert _find(norms, ":", 3, 3) is None


def test_clean_only_stops_before_the_first_unknown_item(rules):
    text = "Tổ chức tuyên truyền, Công an xã; Trạm Y tế"
    ax = AgencyText(text, rules)
    full, k_full, clean_full = ax.parse_list(0, ax.n, bounded=True)
    part, k_part, clean_part = ax.parse_list(0, ax.n, bounded=True, clean_only=True)
    assert not clean_full and not clean_part
    assert [m.agency for m in full] == ["Tổ chức tuyên truyền", "Công an xã", "Trạm Y tế"]
    assert part == [] and k_part == 0
    # after known items: those are kept, the position is the unknown item's
    later = AgencyText("Công an xã; Tuyên truyền viên; Trạm Y tế", rules)
    part, k_part, clean_part = later.parse_list(0, later.n, bounded=True, clean_only=True)
    assert not clean_part and [m.agency for m in part] == ["Công an xã"]
    assert later.norm(k_part) == fold("Tuyên")
    # an item that names nothing (a full stop after the separator) does not make a list unclean
    gap = AgencyText("Công an xã; . Trạm Y tế", rules)
    assert gap.parse_list(0, gap.n, bounded=True, clean_only=True) == gap.parse_list(0, gap.n, bounded=True)
    # a list every item of which is known reads the same either way
    known = AgencyText("Công an xã; Trạm Y tế", rules)
    n = known.n
    assert known.parse_list(0, n, bounded=True, clean_only=True) == known.parse_list(0, n, bounded=True)


def test_document_agencies_is_the_placeless_index_of_the_text(rules):
    from pipeline.extract.agencies import document_agencies

    ax = AgencyText(TEXT, rules)
    assert document_agencies(TEXT, rules, ax) is ax
    own = ax.with_place("Nhân Lý")
    placeless = document_agencies(TEXT, rules, own)
    assert placeless.own is None and placeless.ix is ax.ix
    assert document_agencies(TEXT, rules).norms == ax.norms  # built when not given
    with pytest.raises(ValueError, match="not the document"):
        document_agencies("Công an xã", rules, ax)


def test_render_spaces_words_and_attaches_punctuation(rules):
    from pipeline.extract.agency_names import render, tidy_name

    ix = text_index("Phòng Văn hóa – Xã hội (xã), Công an", gazetteer(rules))
    assert render(ix.toks.texts) == "Phòng Văn hóa - Xã hội (xã), Công an"
    assert tidy_name("phòng Văn hoá-Xã hội, ") == "Phòng Văn hóa - Xã hội"


def test_word_places_are_found_in_range_only(rules):
    from pipeline.extract.role_patterns import within, word_places

    ax = AgencyText(": Sở Tư pháp: chủ trì:: Công an xã :", rules)
    colons = word_places(ax, ":")
    assert len(colons) == 5 and word_places(ax, ":") is colons  # found once per text
    for start in range(ax.n + 1):
        for stop in range(start, ax.n + 3):
            assert within(colons, start, stop) == [j for j in range(start, min(stop, ax.n))
                                                    if ax.norms[j] == ":"]


def test_places_kept_per_text_equal_a_scan_of_each_span(rules):
    from pipeline.extract.role_patterns import _opener_bodies, role_words, within, word_places

    ax = AgencyText("Sở Tư pháp chủ trì. Công an xã, Trạm Y tế phối hợp; (Sở Y tế chủ trì). Giao "
                    "Đoàn Thanh niên, Hội Phụ nữ thực hiện.", rules)
    words = role_words(rules)
    stops = word_places(ax, ".")
    bodies = _opener_bodies(ax, words)
    assert stops and bodies
    for start in range(0, ax.n + 1):
        for stop in range(start, ax.n + 3):
            assert within(stops, start, stop) == [
                j for j in range(start, min(stop, ax.n)) if ax.norms[j] == "."]
            assert within(bodies, start, stop) == [
                k for k in range(max(start, 1), min(stop, ax.n))
                if ax.norms[k - 1] in words.clause_openers and k in ax.best]
    # (the positions left out are none read_clauses asks about: no body starts there)
    assert all(ax.body_at(k, ax.n) is None for k in range(ax.n) if k not in ax.best)


ROLE_TEXT = ("Tổ chức hội nghị, do Sở Nội vụ chủ trì, phối hợp với các sở, ngành liên quan; giao Công an xã, "
             "Trạm Y tế (cơ quan chủ trì), các cơ quan, đơn vị có liên quan, Sở Y tế (phối hợp) thực hiện. "
             "Báo cáo kết quả, các sở, ngành, có liên quan , chủ trì, Hội Phụ nữ, , (là cơ quan chủ trì) "
             "tổ chức, Đoàn Thanh niên tuyên truyền.")


def test_a_list_read_reaches_at_most_two_tokens_past_its_end(rules):
    from pipeline.extract.role_patterns import _LIST_OVERRUN

    ax = AgencyText(ROLE_TEXT, rules)
    for k in range(ax.n):
        for end in range(k + 1, ax.n + 1):
            assert ax.parse_list(k, end, bounded=False)[1] <= end + _LIST_OVERRUN


def test_role_may_follow_holds_wherever_a_list_has_a_lead_or_coordinate_role(rules):
    from pipeline.extract.role_patterns import _places, _role_may_follow, role_after, role_words

    ax = AgencyText(ROLE_TEXT, rules)
    words = role_words(rules)
    roles_at = _places(ax, words.lead_coordinate)[0]
    found = skipped = 0
    for k in range(ax.n):
        if ax.body_at(k, ax.n) is None:
            continue
        for ke in range(k + 1, ax.n + 1):
            mentions, j, _ = ax.parse_list(k, ke, bounded=False)
            if mentions and role_after(ax, j, words) in ("lead", "coordinate"):
                found += 1
                assert _role_may_follow(ax, roles_at, k, ke, words), (k, ke)
            elif not _role_may_follow(ax, roles_at, k, ke, words):
                skipped += 1
    assert found and skipped  # (it has lists to keep and lists it need not read)


def test_folded_words_kept_per_gazetteer_are_norm_words_and_bounded(rules, monkeypatch):
    from pipeline.extract import agency_tokens as at

    g = gazetteer(rules)
    g2 = at.Gazetteer(**{f: getattr(g, f) for f in g.__dataclass_fields__ if f != "norms"})
    text = "Sở GD&ĐT, UBND các xã – Phòng Văn hoá"
    ix = text_index(text, g2)
    assert ix.toks.norms == [at.norm_word(w) for w in ix.toks.texts if w] != []
    assert g2.norms and all(g2.norms[w] == at.norm_word(w) for w in g2.norms)
    # a full memo is emptied before the next text, never grown past its limit
    monkeypatch.setattr(at, "_NORMS_MAX", 3)
    g2.norms.update({"cũ": "cũ", "từ": "từ"})
    assert text_index(text, g2).toks.norms == ix.toks.norms
    assert "cũ" not in g2.norms and len(g2.norms) == len(at._WORD.findall(text))  # (its words, once each)


def test_a_list_opens_with_a_known_body_as_its_reading_up_to_an_unknown_item_says(rules):
    # (_agency_heading reads a heading's list whole only when this first reading opens with one)
    texts = ["Tổ chức tuyên truyền, phổ biến pháp luật cho cán bộ, Công an xã:",
             "Công an xã, Trạm Y tế xã, Ban Tuyên truyền viên:", "Đề nghị Ủy ban MTTQ xã, các đoàn thể:",
             "Nhân dân, Công an xã: thực hiện", "các Sở: Xây dựng, Tài chính; Hội Đông y:",
             "; , Trường Tiểu học Nhân Lý và Công an xã:", "Cấp ủy, chính quyền, Trạm Y tế xã:"]
    opens = unknown = 0
    for text in texts:
        ax = AgencyText(text, rules)
        for ks in range(ax.n):
            for ke in range(ks + 1, ax.n + 1):
                full, _, _ = ax.parse_list(ks, ke, bounded=True)
                first, _, _ = ax.parse_list(ks, ke, bounded=True, clean_only=True)
                known = bool(full) and full[0].known
                assert known == (bool(first) and first[0].known), (text, ks, ke)
                opens += known
                unknown += bool(full) and not known
    assert opens and unknown


FRONT = ("ỦY BAN NHÂN DÂN\nXÃ NHÂN LÝ\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nPhòng, chống tội phạm năm 2025\n\n"
         "Căn cứ Kế hoạch số 34/KH-UBND của UBND huyện; các Sở, ngành; Công an tỉnh,\n"
         "Ủy ban nhân dân xã ban hành Kế hoạch như sau:\n")


def test_reading_start_is_a_line_start_with_enough_tokens_before_the_line(rules):
    from pipeline.extract.agency_tokens import _LOOK_BACK, _WORD, reading_start

    text = FRONT + ORG
    for pos in range(len(text) + 1):
        s = reading_start(text, pos)
        assert s == 0 or text[s - 1] == "\n"
        line = text.rfind("\n", 0, pos) + 1 if pos > 0 else 0
        assert s <= line
        assert s == 0 or len(_WORD.findall(text, s, line)) >= _LOOK_BACK
        # (no line more than needed: the next line start after S leaves too few)
        nxt = text.find("\n", s, line) + 1
        if s > 0 and 0 < nxt < line:
            assert len(_WORD.findall(text, nxt, line)) < _LOOK_BACK
    assert reading_start(text, len(FRONT)) > 0 and reading_start("Sở Y tế\nCông an", 10) == 0


def test_an_index_from_the_body_gives_the_rows_of_the_whole_texts(rules):
    text = FRONT + ORG
    seg = build(text, ORG_SPEC)
    seg = type(seg)(doc=seg.doc, sections=seg.sections, body_start=seg.sections[0].char_start,
                    body_end=len(text))
    body = AgencyText(text, rules, start=seg.body_start)
    whole = AgencyText(text, rules)
    assert 0 < body.toks.starts[0] < seg.body_start and body.n < whole.n  # (the front matter's first lines left out)
    # every question asked from the body on has the whole text's answer
    for pos in range(body.toks.starts[0], len(text) + 1):
        k, w = body.index(pos), whole.index(pos)
        assert body.norms[k:] == whole.norms[w:]
        if pos >= seg.body_start and k < body.n:
            d = w - k
            assert {j + d for j in body.best if j >= k} == {j for j in whole.best if j >= w}
            assert (body.plural_before(k), body.nl(k)) == (whole.plural_before(w), whole.nl(w))
    tasks = list(find_tasks(seg, rules=rules, agencies=body))
    assert tasks == list(find_tasks(seg, rules=rules, agencies=whole)) != []
    rows = list(find_assignments(seg, tasks, rules=rules, plan=plan(), agencies=body))
    assert rows == list(find_assignments(seg, tasks, rules=rules, plan=plan(), agencies=whole)) != []


def test_text_index_from_a_line_start_has_the_whole_texts_tokens_from_there(rules):
    g = gazetteer(rules)
    text = FRONT + "UBND các xã\nSở GD&ĐT – Công an\n"
    whole = text_index(text, g)
    for s in [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]:
        part = text_index(text, g, s)
        f = sum(1 for x in whole.toks.starts if x < s)  # the whole text's tokens before S
        cols = ("norms", "texts", "starts", "ends")
        assert all(getattr(part.toks, c) == getattr(whole.toks, c)[f:] for c in cols), s
        k = sum(1 for x in whole.starts if x < s)
        assert part.norms == whole.norms[k:] and part.starts == whole.starts[k:]


def test_collector_keys_rows_by_folded_names_folded_once():
    from pipeline.extract.agencies import AgencyMention
    from pipeline.extract.assignments import _Collector

    col = _Collector("d")
    for name in ("Phòng Văn hoá - Xã hội", "Phòng Văn hóa - Xã hội", "PHÒNG VĂN HÓA - XÃ HỘI"):
        col.add(AgencyMention(name, name, False, True, False, 0, len(name)), "lead", path=None, scope="plan")
    assert [r.agency for r in col.rows] == ["Phòng Văn hoá - Xã hội"]
    assert col.folded("Phòng Văn hoá - Xã hội") == fold("Phòng Văn hoá - Xã hội") == "phòng văn hóa - xã hội"
    assert col.folded("Phòng Văn hoá - Xã hội") is col.folded("Phòng Văn hoá - Xã hội")


def test_words_found_in_one_pass_are_where_a_scan_finds_them(rules):
    from pipeline.extract.role_patterns import _indexed_words, role_words, word_places

    ax = AgencyText(ROLE_TEXT + " Đề nghị Sở Y tế: gửi báo cáo về Sở Nội vụ để tổng hợp.", rules)
    indexed = role_words(rules).indexed
    found = _indexed_words(ax)
    assert set(found) == {w for w in ax.norms if w in indexed}
    for w in {*ax.norms, "không có"}:
        scan = [j for j, x in enumerate(ax.norms) if x == w]
        assert word_places(ax, w) == scan
        if w in indexed:
            assert found[w] == scan


_ABBREV_PIECES = ["UBND", "_", "Sở_Y", "HĐND", "GD&ĐT", "GD & ĐT", "VH-XH", "LĐ-TB&XH", "VH,TT&DL", "GD", "&", "ĐT", "VH", "-", "XH", ",", "TT", "DL", "xã", "các", "Sở", "CA",
                  "LĐ", "TB", "\n", "(", ")", ".", "X", "VHXH", "LĐTBXH", "những", "Các", "–", "CT", "PT", "TH"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ABBREV_PIECES), st.sampled_from(["", " ", "  ", "\n"])), max_size=30))
def test_abbreviations_expanded_in_place_as_the_plain_reading_expands_them(rules, pieces):
    """_tokens expands abbreviations in place from the last one: the columns equal the plain
    reading's, one Tok per match with each abbreviation's expansion (multi-token keys only
    when written without a space: `GD&ĐT`, not `GD & ĐT`)."""
    import importlib

    at = importlib.import_module("pipeline.extract.agency_tokens")
    g = gazetteer(rules)
    text = "".join(p + gap for p, gap in pieces)
    raw = [(m.group(), m.start(), m.end()) for m in at._WORD.finditer(text)]
    toks = []
    i = 0
    while i < len(raw):  # the plain reading: the longest abbreviation at each word, else the word
        for k in range(min(g.abbrev_max, len(raw) - i), 0, -1):
            key = tuple(w for w, _, _ in raw[i:i + k])
            if key in g.abbrev and all(raw[j][2] == raw[j + 1][1] for j in range(i, i + k - 1)):
                toks += [(at.norm_word(x), x, raw[i][1], raw[i + k - 1][2]) for x in g.abbrev[key]]
                break
        else:
            k = 1
            toks.append((at.norm_word(raw[i][0]), *raw[i]))
        i += k
    full = [i for i, t in enumerate(toks) if t[0] not in g.plural and t[0] != "-"]
    starts = [toks[i][2] for i in full]
    norms = [toks[i][0] for i in full]
    ix = text_index(text, g)
    cols = ix.toks
    assert list(zip(cols.norms, cols.texts, cols.starts, cols.ends, strict=True)) == toks
    assert (ix.full, ix.starts, ix.norms) == (full, starts, norms)
    assert ix.best == at._matches(norms, g)


_LIST_TEXTS = [ROLE_TEXT, TEXT,
               "các Sở: Xây dựng, Tài chính, Văn hóa, Thể thao và Du lịch tổ chức thực hiện. Báo cáo kết quả.",
               "1. Tổ chức tuyên truyền sâu rộng. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Báo Lạng Sơn đăng tin.",
               "a) Xây dựng cơ sở dữ liệu; cấp ủy, chính quyền các cấp, Nhân dân cùng tham gia: . , và ;"]
_LIST_WORDS = ["Sở", "Y", "tế", "Công", "an", "xã", ",", ";", "và", "/", ":", ".", "các", "đề", "nghị", "giao",
               "Báo", "Lạng", "Sơn", "cơ", "quan", "liên", "quan", "tổ", "chức", "thực", "hiện", "(", ")", "UBND"]


def _lists_read_both_ways(rules, text):
    ax = AgencyText(text, rules)
    for k in range(ax.n + 1):
        if ax.names_no_item(k):  # (an agency heading from K is then none)
            for end in range(k, ax.n + 1):
                assert not ax.parse_list(k, end, bounded=False)[0]
                assert not ax.parse_list(k, end, bounded=True, clean_only=True)[0]
        for end in range(k, ax.n + 1):
            for bounded, clean_only in ((False, False), (True, True), (True, False)):
                for requested in (False, True):
                    fresh = AgencyText(text, rules, index=ax.ix)
                    assert ax.parse_list(k, end, bounded=bounded, requested=requested, clean_only=clean_only) == \
                        fresh._parse_list(k, end, bounded, requested, clean_only), (k, end, bounded, clean_only)


@pytest.mark.parametrize("text", _LIST_TEXTS)
def test_lists_answered_without_reading_are_what_reading_them_gives(rules, text):
    """parse_list answers a list that opens with no body without reading it: the same
    mentions, position and cleanness as _parse_list gives."""
    _lists_read_both_ways(rules, text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_LIST_WORDS), max_size=14))
def test_lists_of_any_words_answered_without_reading_are_what_reading_them_gives(rules, words):
    _lists_read_both_ways(rules, " ".join(words))


def test_places_kept_by_the_options_identity_answer_for_those_options(rules):
    from pipeline.extract.role_patterns import _places, role_words

    ax = AgencyText(ROLE_TEXT, rules)
    words = role_words(rules)
    first = _places(ax, words.coordinate)
    assert _places(ax, words.coordinate) is first  # kept
    same = tuple(list(words.coordinate))  # an equal tuple of its own: the same answer
    assert _places(ax, same) == first and first[0]
    for i in range(70):  # the memo emptied and made again: answers still each options' own
        other = (("phối", "hợp"),) if i % 2 else (("chủ", "trì"),)
        got = _places(ax, other)
        assert got == ([j for j in range(ax.n - 1) if tuple(ax.norms[j:j + 2]) == other[0]],
                       [j + 2 for j in range(ax.n - 1) if tuple(ax.norms[j:j + 2]) == other[0]])


def test_clause_places_are_the_places_each_finder_gives_for_those_role_words(rules):
    from pipeline.extract.role_patterns import (
        RoleWords,
        _clause_places,
        _opener_bodies,
        _places,
        role_words,
        word_places,
    )

    ax = AgencyText(ROLE_TEXT, rules)
    words = role_words(rules)
    stops, openers, roles_at = _clause_places(ax, words)
    assert stops and openers and roles_at  # (the fixture has each)
    assert (stops, openers, roles_at) == (word_places(ax, "."), _opener_bodies(ax, words),
                                          _places(ax, words.lead_coordinate)[0])
    assert _clause_places(ax, words)[1] is openers  # kept
    other = RoleWords(rules)
    other.clause_openers = frozenset([","])  # another RoleWords: its own places, not those kept
    got = _clause_places(ax, other)[1]
    assert got == [k for k in sorted(ax.best) if k and ax.norms[k - 1] == ","] != openers


def _no_list_no_agency_heading(rules, text):
    ax = AgencyText(text, rules)
    for ks in range(ax.n):
        hs = ax.starts[ks]
        if ax.index(hs) != ks or ax.parse_list(ks, ax.n, bounded=False)[0]:
            continue  # (_agency_heading reads from the first word of an expansion: ks = index(hs))
        for ke in range(ks + 1, ax.n + 1):
            he = ax.end(ke - 1)
            assert not is_agency_heading(text, hs, he, rules=rules, agencies=ax), (ks, ke)


@pytest.mark.parametrize("text", [*_LIST_TEXTS, "2. Công an xã", "Nhân dân, các tổ chức, Sở Y tế:", "các Sở: Xây dựng"])
def test_no_agency_heading_where_an_unbounded_list_names_no_body(rules, text):
    """_agency_heading asks is_agency_heading only of a heading from whose start the list read
    unbounded names a body: where it names none, no heading up to any end is an agency heading."""
    _no_list_no_agency_heading(rules, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_LIST_WORDS, "Nhân", "dân", "Hội", "Nông", "dân", "phường", "MTTQ"]), max_size=12))
def test_no_agency_heading_where_an_unbounded_list_of_any_words_names_no_body(rules, words):
    _no_list_no_agency_heading(rules, " ".join(words))
