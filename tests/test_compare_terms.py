"""compare's terms without a segmenter: syllables and neighbouring pairs, stopwords left out,
and the pairs shown to a person as the phrases they join."""

import shutil

import pytest

from pipeline.compare.text import phrases, prepare, terms, text_config
from pipeline.rules import DEFAULT_RULES_DIR, load_rules


@pytest.fixture(scope="module")
def cfg(rules):
    return text_config(rules)


def test_syllables_and_pairs_without_stopwords(cfg):
    got = terms(prepare("Chăm sóc sức khỏe cho nạn nhân", cfg), cfg)
    assert {"chăm", "sóc", "chăm_sóc", "sóc_sức", "sức_khỏe", "nạn_nhân"} <= set(got)
    assert "cho" not in got and "khỏe_cho" not in got and "cho_nạn" not in got  # `cho` is a stopword


def test_a_stopword_of_several_syllables_is_left_out_whole(cfg):
    # `thực_hiện` is a stopword as one word: neither syllable counts, no pair reaches across it
    got = terms(prepare("Thực hiện kiểm tra định kỳ", cfg), cfg)
    assert not {"thực", "hiện", "thực_hiện", "hiện_kiểm"} & set(got)
    assert {"kiểm_tra", "tra_định", "định_kỳ"} <= set(got)


def test_marks_end_pairs(cfg):
    got = terms(prepare("tuyên truyền, giáo dục", cfg), cfg)
    assert "truyền_giáo" not in got and {"tuyên_truyền", "giáo_dục"} <= set(got)


def test_phrases_join_syllables_by_shared_pairs_only():
    text = "chăm sóc sức khỏe tâm lý; y tế cơ sở"
    shared = ["sức_khỏe", "chăm_sóc", "sóc_sức", "chăm", "sóc", "sức", "khỏe", "lý", "y", "tế"]
    assert phrases(text, shared) == ["chăm_sóc_sức_khỏe", "lý", "y", "tế"]
    # a pair not shared splits the run: `tâm` is no shared term, `y tế` no shared pair
    assert phrases(text, ["lý", "y_tế", "y", "tế"]) == ["lý", "y_tế"]


def test_the_underthesea_segmenter_is_still_a_choice(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    path = rules_dir / "compare.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("segmenter: syllables", "segmenter: underthesea"), encoding="utf-8")
    cfg = text_config(load_rules(rules_dir))
    got = terms(prepare("Chăm sóc sức khỏe cho nạn nhân", cfg), cfg)
    assert cfg.segmenter == "underthesea" and "sóc_sức" not in got and "chăm_sóc" in got
