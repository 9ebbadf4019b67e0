import shutil

import pytest

from pipeline.cli import main
from pipeline.rules import Rules, load_rules
from pipeline.ruleschema import SCHEMAS, problems_in


def test_shipped_rules_load(rules):
    assert "headings" in rules.data
    assert Rules.resolve(rules) is rules
    assert set(SCHEMAS) <= set(rules.data)


def _copy_rules(rules, tmp_path):
    shutil.copytree(rules.dir, tmp_path / "rules")
    return tmp_path / "rules"


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_unknown_key_is_named(tmp_path, rules):
    d = _copy_rules(rules, tmp_path)
    (d / "themes.yaml").write_text("themes: {}\ncolour: red\n", "utf-8")
    with pytest.raises(ValueError, match=r"themes.yaml: colour: unknown key"):
        load_rules(d)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="missing rule file flags.yaml"):
        load_rules(tmp_path)


def test_bad_regex_is_named_with_its_key(tmp_path, rules):
    d = _copy_rules(rules, tmp_path)
    _edit(d / "deadlines.yaml", "periodic: 'định kỳ'", "periodic: 'định (kỳ'")
    expected = r"deadlines.yaml: patterns.periodic: not a valid regular expression"
    with pytest.raises(ValueError, match=expected):
        load_rules(d)


def test_unknown_level_is_named(tmp_path, rules):
    d = _copy_rules(rules, tmp_path)
    _edit(d / "agencies.yaml", "level: multi", "level: county")
    expected = r"agencies.yaml: agencies.0.level: Input should be .* \(got 'county'\)"
    with pytest.raises(ValueError, match=expected):
        load_rules(d)


def test_every_problem_is_reported_at_once(tmp_path, rules):
    d = _copy_rules(rules, tmp_path)
    _edit(d / "agencies.yaml", "level: multi", "level: county")
    _edit(d / "flags.yaml", "severity: warning", "severity: loud")
    with pytest.raises(ValueError) as err:
        load_rules(d)
    assert "agencies.yaml" in str(err.value) and "flags.yaml" in str(err.value)


def test_mandate_catalogue_is_checked(tmp_path, rules):
    d = _copy_rules(rules, tmp_path)
    catalogue = "id: x\nprogramme: P\ngroups: [{id: G1, title: T, tasks: [{id: G1.1}]}]\n"
    (d / "mandates" / "x.yaml").write_text(catalogue, "utf-8")
    with pytest.raises(ValueError, match=r"x.yaml: groups.0.tasks.0.text: missing key"):
        load_rules(d)


def test_unknown_rule_file_is_refused():
    assert problems_in("colours", {}, "rules/colours.yaml") == [
        f"rules/colours.yaml: unknown rule file 'colours' (known: {', '.join(sorted(SCHEMAS))})"]


def test_a_broken_rule_stops_the_run_before_any_document_is_read(tmp_path, rules, capsys):
    d = _copy_rules(rules, tmp_path)
    _edit(d / "headings.yaml", "kind: purpose", "kind: purposes")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.txt").write_text("KẾ HOẠCH\nI. MỤC ĐÍCH\n", "utf-8")
    out = tmp_path / "out"
    code = main(["run", str(plans), "--out", str(out), "--rules", str(d), "--workers", "0", "--no-progress"])
    err = capsys.readouterr().err
    assert code != 0
    assert "headings.yaml: section_kinds.0.kind:" in err and "purposes" in err
    assert "Traceback" not in err
    assert not out.exists()  # nothing was read or written
