# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""Agencies: gazetteer matching, list splitting and canonical names."""

import pytest

from pipeline.extract.agencies import canonical_agency, find_agencies, is_known_agency, split_agencies
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def names(ms):
    return [m.agency for m in ms]


def test_comma_inside_a_name_does_not_split(rules):
    ms = split_agencies("Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân dân các xã, phường", rules=rules)
    assert names(ms) == ["Sở Văn hóa, Thể thao và Du lịch", "Ủy ban nhân dân xã, phường"]


def test_list_splits_on_semicolon_comma_and_va(rules):
    ms = split_agencies("Công an xã; phòng Văn hóa - Xã hội, Trạm Y tế và các thôn", rules=rules)
    assert names(ms) == ["Công an xã", "Phòng Văn hóa - Xã hội", "Trạm Y tế", "Thôn"]


def test_va_inside_a_name_is_kept(rules):
    ms = list(find_agencies("Phối hợp với Sở Khoa học và Công nghệ và các đơn vị có liên quan phát triển", rules=rules))
    assert names(ms) == ["Sở Khoa học và Công nghệ", "Đơn vị liên quan"]
    assert [m.generic for m in ms] == [False, True]


def test_abbreviations_expanded_and_spelling_normalized(rules):
    assert canonical_agency("UBND xã", rules=rules) == "Ủy ban nhân dân xã"
    assert canonical_agency("Văn phòng HĐND&UBND xã", rules=rules) == "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"
    assert canonical_agency("phòng Văn hoá–Xã hội", rules=rules) == "Phòng Văn hóa - Xã hội"
    assert canonical_agency("Uỷ ban MTTQ VN xã", rules=rules) == "Ủy ban Mặt trận Tổ quốc Việt Nam xã"


def test_request_word_and_duty_phrase_dropped(rules):
    ms = split_agencies("Đề nghị Ủy ban MTTQ Việt Nam xã và các tổ chức thành viên thực hiện theo chức năng, "
                        "nhiệm vụ, quyền hạn.", rules=rules)
    assert names(ms) == ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Tổ chức thành viên"]
    assert all(m.requested for m in ms)
    assert ms[0].raw.startswith("Đề nghị")


def test_request_ends_at_semicolon(rules):
    ms = split_agencies("Đề nghị Ủy ban MTTQ xã; các cơ quan, đơn vị có liên quan; các thôn", rules=rules)
    assert [m.requested for m in ms] == [True, False, False]


def test_own_place_dropped_other_place_kept(rules):
    assert canonical_agency("Công an xã Nhân Lý", rules=rules, own_place="Nhân Lý") == "Công an xã"
    assert canonical_agency("Công an tỉnh Lạng Sơn", rules=rules, own_place="Nhân Lý") == "Công an tỉnh Lạng Sơn"


def test_level_word_kept_only_for_multi_level_bodies(rules):
    assert canonical_agency("Trạm Y tế xã", rules=rules) == "Trạm Y tế"
    assert canonical_agency("Phòng Kinh tế xã", rules=rules) == "Phòng Kinh tế"
    assert canonical_agency("Công an tỉnh", rules=rules) == "Công an tỉnh"
    assert canonical_agency("các Trạm y tế xã, thị trấn", rules=rules) == "Trạm Y tế"


def test_plural_dropped_inside_the_name(rules):
    assert canonical_agency("Ban quản lý các thôn", rules=rules) == "Ban quản lý thôn"
    assert canonical_agency("các thôn trên địa bàn xã", rules=rules) == "Thôn"


def test_generic_compounds_split_longest_first(rules):
    ms = split_agencies("Ban Chỉ huy Quân sự xã, các phòng, ban, cơ quan, tổ chức, các trường học và các thôn",
                        rules=rules)
    assert names(ms) == ["Ban Chỉ huy Quân sự xã", "Phòng, ban", "Cơ quan, tổ chức", "Trường học", "Thôn"]
    assert [m.generic for m in ms] == [False, True, True, False, False]


def test_vague_actors_are_not_bodies(rules):
    assert names(find_agencies("Cấp ủy Đảng, chính quyền địa phương quán triệt", rules=rules)) == []


def test_unknown_body_kept_and_reported(rules):
    ms = split_agencies("Đề nghị Đồn Biên phòng Cửa khẩu quốc tế Thường Phước, Đồn Biên phòng Cầu Muống",
                        rules=rules)
    assert names(ms) == ["Đồn Biên phòng Cửa khẩu quốc tế Thường Phước", "Đồn Biên phòng Cầu Muống"]
    assert not is_known_agency("Đồn Biên phòng Cầu Muống", rules)
    assert is_known_agency("Công an xã", rules)
    assert is_known_agency("Cơ quan, đơn vị liên quan", rules)


def test_tổ_chức_as_a_verb_is_not_a_body(rules):
    ms = names(find_agencies("Phối hợp với Chi cục Dân số, Trẻ em và Phòng, chống tệ nạn xã hội tổ chức tập huấn",
                             rules=rules))
    assert ms == ["Chi cục Dân số, Trẻ em và Phòng, chống tệ nạn xã hội"]


def test_báo_cáo_is_not_a_newspaper(rules):
    assert names(find_agencies("Báo cáo 6 tháng: gửi trước ngày 17/6", rules=rules)) == []


def test_offsets_are_evidence(rules):
    text = "Giao Công an xã Nhân Lý chủ trì, phối hợp với các cơ quan, đơn vị có liên quan."
    for m in find_agencies(text, rules=rules):
        assert text[m.char_start:m.char_end] == m.raw


def test_never_raises_on_odd_text(rules):
    for text in ["", "   ", ";;,,", "UBND", "các", "Đề nghị", "- * #"]:
        list(find_agencies(text, rules=rules))
        split_agencies(text, rules=rules)


def test_level_word_does_not_swallow_a_body_named_after_a_level(rules):
    # `tỉnh, Tỉnh đoàn`: the second `Tỉnh` opens another body, not a second level word
    ms = names(find_agencies("Đề nghị Ủy ban MTTQ Việt Nam tỉnh, Tỉnh đoàn phối hợp tuyên truyền.", rules=rules))
    assert ms == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn"]
    # near-miss: two real level words still join
    assert names(find_agencies("Ủy ban nhân dân các xã, phường thực hiện.", rules=rules)) == [
        "Ủy ban nhân dân xã, phường"]


def test_border_guard_and_military_command_keep_their_level(rules):
    ms = names(find_agencies("phối hợp với Bộ đội Biên phòng tỉnh, Ban CHQS xã, Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                             rules=rules))
    assert ms == ["Bộ đội Biên phòng tỉnh", "Ban Chỉ huy Quân sự xã", "Bộ Chỉ huy Bộ đội Biên phòng"]


def test_telecom_branches_are_separate_bodies(rules):
    ms = names(find_agencies("Viễn thông Quảng Trị, Viettel Quảng Trị và các doanh nghiệp viễn thông", rules=rules))
    assert ms == ["Viễn thông Quảng Trị", "Viettel Quảng Trị", "Doanh nghiệp viễn thông"]


def _tiny_gazetteer(phrases):
    """A gazetteer of (kind, words) phrases, for the phrase finder alone."""
    from pipeline.extract.agency_tokens import Gazetteer

    g = Gazetteer(trie={}, entries=[], abbrev={}, abbrev_max=1, plural=frozenset(), weak=frozenset(),
                  request=(), order=(), fixed_words=())
    for kind, words in phrases:
        node = g.trie
        for w in words.split():
            node = node.setdefault(w, {})
        node.setdefault(None, []).append(len(g.entries))
        g.entries.append((kind, words, ""))
    return g


def test_phrase_finder_keeps_the_longest_phrase_of_each_kind():
    from pipeline.extract.agency_tokens import _matches

    g = _tiny_gazetteer([("GEN", "sở"), ("AG", "sở y tế"), ("AG", "sở y"), ("HEAD", "sở"),
                         ("LEVEL", "tỉnh"), ("AG", "sở y tế tỉnh")])
    best = _matches("giao sở y tế tỉnh sở y".split(), g)
    assert best[1] == {"GEN": (2, 0), "HEAD": (2, 3), "AG": (5, 5)}
    assert best[4] == {"LEVEL": (5, 4)}
    assert best[5] == {"GEN": (6, 0), "HEAD": (6, 3), "AG": (7, 2)}  # cut short by the end
    assert 0 not in best and 2 not in best


def test_phrase_finder_gives_a_shared_phrase_to_the_first_entry():
    from pipeline.extract.agency_tokens import _matches

    g = _tiny_gazetteer([("AG", "công an"), ("AG", "công an")])
    assert _matches(["công", "an"], g) == {0: {"AG": (2, 0)}}


def test_kept_answers_are_not_shared_lists(rules):
    first = split_agencies("Công an xã; Trạm Y tế", rules=rules)
    first.clear()
    assert names(split_agencies("Công an xã; Trạm Y tế", rules=rules)) == ["Công an xã", "Trạm Y tế"]
    from pipeline.extract.agencies import agency_text

    ax = agency_text("Giao Công an xã, Trạm Y tế chủ trì.", rules)
    got, _, _ = ax.parse_list(1, ax.n, bounded=False)
    got.clear()
    assert names(ax.parse_list(1, ax.n, bounded=False)[0]) == ["Công an xã", "Trạm Y tế"]
