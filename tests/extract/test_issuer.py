"""issuer: who issued the plan."""


def test_author_found_where_a_clause_opens_as_a_full_scan_finds_it():
    """issuer's author search tries only places after a clause mark (the pattern's own
    look-behind): the first author found is the one a scan of every place finds."""
    import random

    from pipeline.extract.fm_rules import fm_rules
    from pipeline.extract.issuer import first_author
    from pipeline.rules import load_rules

    author = fm_rules(load_rules()).author
    parts = ["UBND xã Nhân Lý ban hành", "Ủy ban nhân dân huyện X xây dựng", "Sở Y tế", "xây dựng",
             "ban hành", "Công an xã", ".", ",", ";", ":", " ", "\n", "**", "_", "|", "kế hoạch", "(", ")"]
    rng = random.Random(7)
    for _ in range(400):
        flat = " ".join(rng.choice(parts) for _ in range(rng.randint(0, 25)))
        start = rng.randint(0, len(flat)) if rng.random() < 0.5 else 0
        end = rng.randint(start, len(flat)) if rng.random() < 0.5 else len(flat)
        want = next(author.finditer(flat, start, end), None)
        got = first_author(author, flat, start, end)
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))
