# ruff: noqa: E501  (fixture lines are real plan sentences, kept whole)
"""Themes from phrase rules over segmented words."""

import pytest

from pipeline.extract.themes import theme_of
from pipeline.extract.wordseg import retone, segment_words
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("text,theme", [
    ("Tổ chức tập huấn, bồi dưỡng nâng cao kỹ năng cho cán bộ", "capacity"),
    ("Đẩy mạnh tuyên truyền, phổ biến giáo dục pháp luật về phòng, chống mua bán người", "prevention"),
    ("Tiếp nhận, hỗ trợ, chăm sóc ban đầu đối với nạn nhân bị mua bán trở về", "victim_support"),
    ("Tăng cường kiểm tra, giám sát việc chấp hành pháp luật trong lĩnh vực cung ứng lao động", "inspection"),
    ("Mở các đợt cao điểm tấn công, trấn áp tội phạm mua bán người", "crime_fighting"),
    ("Thực hiện chế độ báo cáo định kỳ theo quy định", "reporting"),
    ("Tham mưu bố trí kinh phí thực hiện Kế hoạch", "budget"),
    ("Đẩy mạnh hợp tác quốc tế, thực hiện các điều ước quốc tế", "international"),
])
def test_themes(rules, text, theme):
    assert theme_of(text, rules=rules) == theme


def test_nothing_matched_is_other(rules):
    assert theme_of("Thực hiện tốt các nội dung trên", rules=rules) == "other"


def test_agency_name_is_not_a_keyword(rules):
    # `Phòng Văn hóa - Xã hội`, `Trạm Y tế` are names, not prevention or health care
    assert theme_of("Phòng Văn hóa - Xã hội, Trạm Y tế thực hiện", rules=rules) == "other"


def test_section_heading_breaks_ties(rules):
    assert theme_of("Thực hiện nghiêm quy định", rules=rules, context="Công tác kiểm tra, giám sát") == "inspection"


def test_segment_offsets_on_original_text():
    text = "Văn hoá  tuyên truyền theo Kế hoạch số 123/KH-UBND."
    for s, e, form in segment_words(text):
        assert "_".join(retone(text[s:e]).lower().split()) == form


def test_retone_keeps_length():
    for w in ["hoá", "Uỷ", "thuý", "quý", "khoẻ", "của", "giúp"]:
        assert len(retone(w)) == len(w)
    assert retone("hoá Uỷ quý") == "hóa Ủy quý"


def test_a_word_across_a_phrase_is_not_the_phrase(rules):
    # `luật` (law) is a phrase; in `kỷ luật` (discipline) the segmenter keeps it inside a word
    assert theme_of("Siết chặt kỷ luật, kỷ cương hành chính", rules=rules) == "other"


def test_a_name_in_capitals_is_not_its_words(rules):
    # `Ban Chỉ đạo` is a committee, not `chỉ đạo` (leadership); `kiểm tra` decides
    assert theme_of("Tham mưu Ban Chỉ đạo tổ chức kiểm tra việc thực hiện", rules=rules) == "inspection"


def test_words_are_read_only_where_a_word_may_cross(rules, monkeypatch):
    from pipeline.extract import themes

    calls = []
    inside = themes._inside_words
    monkeypatch.setattr(themes, "_inside_words", lambda *a: calls.append(a) or inside(*a))
    assert theme_of("Tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=rules) == "capacity"
    assert calls == []
    theme_of("Siết chặt kỷ luật, kỷ cương hành chính trong toàn bộ các cơ quan đơn vị", rules=rules)
    assert calls


def test_words_are_the_longest_left_to_right():
    from pipeline.extract.themes import _inside_words, _pairs

    words = frozenset({("kỷ", "luật"), ("pháp", "luật"), ("luật", "sư"), ("cơ", "quan", "hệ"),
                       ("quan", "hệ")})
    sylls = "siết chặt kỷ luật sư cơ quan hệ".split()
    # `kỷ luật` is taken before `luật sư` can be; `cơ quan hệ` (longest) before `quan hệ`
    assert _inside_words(sylls, words, _pairs(words), 4) == {3, 6, 7}


def test_themes_load_no_model():
    """The theme of a plan's tasks needs the dictionary, never underthesea's CRF: a worker
    neither imports nor loads it."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.rules import load_rules; from pipeline.process import process_file;"
            "r = process_file('corpus/real/301.md', rules=load_rules()); assert r.extracted.tasks;"
            "print(sorted(m for m in sys.modules if m.startswith('underthesea')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__import__("pathlib").Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_a_masked_agency_name_keeps_the_phrases_around_it(rules):
    """An agency name inside the opening words is masked (its `y tế` is no theme phrase) while
    the phrases before and after it still count."""
    from pipeline.extract.themes import theme_scores

    with_name = theme_scores("Trạm Y tế xã tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=rules)
    alone = theme_scores("Tổ chức tập huấn, bồi dưỡng kỹ năng cho cán bộ", rules=rules)
    assert with_name.get("capacity") and with_name.get("capacity") == alone.get("capacity")
    assert "victim_support" not in with_name


def test_split_reads_the_syllables_of_the_pattern():
    """_split (marks spaced out, str.split) gives `_SYLLABLE.findall`'s syllables, whatever
    white space, marks, underscores or masks the text holds."""
    from pipeline.extract.themes import _SYLLABLE, _split

    for s in ("tổ chức, tập huấn (đợt 1);cán_bộ…", "a\u00a0b\u2003c\x00d\x1fe", "", "  ", ",,.",
              "số 12/kh-ubnd: “an toàn”", "x\u200by ½ ²", "mười_ hai _ba"):
        assert _split(s) == _SYLLABLE.findall(s), s


def test_a_name_opens_at_its_first_two_syllables(rules):
    """Names are tried where their first two syllables stand (a name's first alone opens too
    many places): the longest name at a place is masked, one syllable that only opens a
    name is not."""
    from pipeline.extract import themes

    th = rules.compiled("themes.ngrams", themes._build)
    name = max(th.names, key=len)
    text = " ".join(("tổ chức",) + name + ("và", name[0], "tập huấn"))
    sylls = themes._syllables(text, th)
    assert sylls.count(themes._MASK) == 1 and name[0] in sylls
    assert sylls[:3] == ["tổ", "chức", themes._MASK]
