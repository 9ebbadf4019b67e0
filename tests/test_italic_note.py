"""`* (note ...)*` is markdown italics spread over lines by a converter, not a star bullet."""

from pipeline.markers import default_grammar, parse


def test_star_before_parenthesis_is_not_a_bullet():
    g = default_grammar()
    assert parse("* (Khung kế hoạch các hoạt", g) is None
    m = parse("* Tổ chức tập huấn cho cán bộ.", g)
    assert m is not None and m.marker_type == "bullet"
    # a dash before a parenthesis stays an item
    assert parse("- (Theo Kế hoạch số 12) Tổ chức tập huấn.", g) is not None
