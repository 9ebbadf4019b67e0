import pytest

from pipeline.rules import Rules, load_rules


def test_shipped_rules_load(rules):
    assert "headings" in rules.data
    assert Rules.resolve(rules) is rules


def test_unknown_key_is_named(tmp_path, rules):
    for stem in rules.data:
        (tmp_path / f"{stem}.yaml").write_text((rules.dir / f"{stem}.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "themes.yaml").write_text("themes: {}\ncolour: red\n", "utf-8")
    with pytest.raises(ValueError, match=r"themes.yaml: unknown key 'colour'"):
        load_rules(tmp_path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="missing rule file flags.yaml"):
        load_rules(tmp_path)
