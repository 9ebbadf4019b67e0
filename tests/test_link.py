import datetime as dt

import pandas as pd

from pipeline.link import link, normalize, ref_key

HY = "Ủy ban nhân dân tỉnh Hưng Yên"
LS = "Ủy ban nhân dân tỉnh Lạng Sơn"
TITLE = "Thực hiện Chương trình phòng, chống mua bán người giai đoạn 2026 - 2030 và định hướng đến năm 2035"


def plan(doc_id, doc_ref=None, issuer=HY, date=None, title=TITLE, level="province"):
    number, symbol = (doc_ref.split("/", 1) if doc_ref else (None, "KH-UBND"))
    return {"doc_id": doc_id, "doc_ref": doc_ref, "number": number, "symbol": symbol, "issuer": issuer,
            "issue_date": date, "title": title, "issuer_level": level}


def ref(doc_id, doc_ref=None, issuer=None, date=None, title=None, role="implements", start=0):
    number, symbol = (doc_ref.split("/", 1) if doc_ref else (None, None))
    return {"doc_id": doc_id, "ref_id": f"{doc_id}-r{start}", "ref_kind": "ke_hoach", "role": role,
            "doc_ref": doc_ref, "number": number, "symbol": symbol, "issuer": issuer,
            "ref_date": date, "title": title, "char_start": start, "char_end": start + 10}


def test_doc_ref_and_issuer():
    plans = [plan("p1", "66/KH-UBND", LS), plan("p2", "66/KH-UBND", HY), plan("c", "68/KH-UBND", "x")]
    (ln,) = link(plans, [ref("c", "66/KH-UBND", "UBND tỉnh Lạng Sơn")])
    assert (ln.parent_doc_id, ln.method, ln.resolved) == ("p1", "doc_ref+issuer", True)
    assert ln.parent_ref == "66/KH-UBND" and ln.parent_issuer == "UBND tỉnh Lạng Sơn"


def test_number_alone_never_links():
    # every commune has a 68/KH-UBND: without an issuer or date that agrees, no link
    plans = [plan("p1", "68/KH-UBND", "Ủy ban nhân dân xã Nhân Lý")]
    (ln,) = link(plans, [ref("c", "68/KH-UBND", "Ủy ban nhân dân xã Hòa Xá")])
    assert (ln.resolved, ln.method, ln.parent_doc_id) == (False, "none", None)


def test_doc_ref_and_date_when_issuer_not_stated():
    d = dt.date(2026, 3, 1)
    plans = [plan("p1", "66/KH-UBND", LS, d), plan("p2", "66/KH-UBND", HY, dt.date(2026, 2, 1))]
    (ln,) = link(plans, [ref("c", "66/KH-UBND", None, d)])
    assert (ln.parent_doc_id, ln.method, ln.parent_date) == ("p1", "doc_ref+date", d)


def test_title_links_a_parent_with_a_blank_number():
    # the provincial plan in hand is a draft (Số: /KH-UBND): the child cites number and title
    plans = [plan("prov", None, HY), plan("c", "12/KH-UBND", "Ủy ban nhân dân xã A", level="commune",
                                          title="Triển khai thực hiện Chương trình X")]
    refs = [ref("c", "45/KH-UBND", "UBND tỉnh Hưng Yên", dt.date(2026, 2, 10),
                title="về triển khai thực hiện Chương trình phòng, chống mua bán người (MBN) giai "
                      "đoạn 2026 – 2030 và định hướng đến năm 2035")]
    (ln,) = link(plans, refs)
    assert (ln.parent_doc_id, ln.method) == ("prov", "title")


def test_title_does_not_link_when_the_issuer_contradicts_or_ambiguous():
    plans = [plan("a", None, "Ủy ban nhân dân xã A"), plan("b", None, "Ủy ban nhân dân xã B")]
    (ln,) = link(plans, [ref("c", None, HY, title=TITLE)])
    assert not ln.resolved
    (ln,) = link(plans, [ref("c", None, None, title=TITLE)])  # two plans carry that title
    assert not ln.resolved and ln.method == "ambiguous" and ln.candidates == ("a", "b")
    (ln,) = link(plans[:1], [ref("c", None, None, title=TITLE)])
    assert ln.parent_doc_id == "a"


def test_title_does_not_link_when_the_number_contradicts():
    plans = [plan("p", "70/KH-UBND", HY)]
    (ln,) = link(plans, [ref("c", "45/KH-UBND", HY, title=TITLE)])
    assert not ln.resolved


def test_only_implements_and_once_per_parent_and_never_itself():
    plans = [plan("p", "66/KH-UBND", LS), plan("c", "66/KH-UBND", LS, level="commune")]
    refs = [ref("c", "66/KH-UBND", LS, start=5), ref("c", "66/KH-UBND", LS, start=90),
            ref("c", "33/QĐ-TTg", "Thủ tướng Chính phủ", role="legal_basis", start=40)]
    links = link(plans, refs)
    assert [(x.child_doc_id, x.parent_doc_id) for x in links] == [("c", "p")]


def test_unresolved_parent_is_kept_and_dataframes_work():
    plans = pd.DataFrame([plan("p", "66/KH-UBND", LS, dt.date(2026, 3, 1))])
    refs = pd.DataFrame([ref("c", "137/KH-UBND", "Ủy ban nhân dân thành phố Hà Nội", dt.date(2026, 4, 8)),
                         ref("c2", "66/KH-UBND", None, dt.date(2026, 3, 1))])
    links = {x.child_doc_id: x for x in link(plans, refs)}
    assert links["c"].resolved is False and links["c"].parent_ref == "137/KH-UBND"
    assert links["c"].parent_date == dt.date(2026, 4, 8)
    assert links["c2"].parent_doc_id == "p"


def test_ref_key_and_normalize():
    assert ref_key("162/2025/NĐ-CP") == ref_key(number="162", symbol="NĐ-CP") == "162/NĐ-CP"
    assert ref_key("2033 /QĐ-UBND") == "2033/QĐ-UBND"
    assert ref_key("Số: /KH-UBND".split(":")[1]) == ""
    assert normalize("Uỷ ban nhân dân thành phố Hà Nội") == normalize("Ủy ban nhân dân thành phố Hà Nội")
    assert normalize("Văn hoá – Xã hội") == "văn hóa xã hội"


BCD = "Ban Chỉ đạo 138 tỉnh Quảng Nam"


def test_a_symbol_cited_shortened_links_on_number_date_and_issuer():
    d = dt.date(2025, 3, 14)
    plans = [plan("p", "19/KH-BCĐ138/CP", BCD, d), plan("q", "19/KH-UBND", BCD, d),
             plan("r", "19/KH-BCĐ138/CP", "Ban Chỉ đạo 138 tỉnh Bình Định", d)]
    (ln,) = link(plans, [ref("c", "19/KH-BCĐ", BCD, d)])
    assert (ln.parent_doc_id, ln.method) == ("p", "number+date+issuer")
    # the number alone, or without the date, is not enough
    (ln,) = link(plans, [ref("c", "19/KH-BCĐ", BCD, None)])
    assert not ln.resolved
    (ln,) = link(plans, [ref("c", "19/KH-BCĐ", BCD, dt.date(2025, 3, 15))])
    assert not ln.resolved


def test_two_plans_that_fit_are_reported_not_guessed():
    # the same number and issuer in two years, and the child states no date
    plans = [plan("y1", "5/KH-UBND", HY, dt.date(2021, 1, 5)),
             plan("y2", "5/KH-UBND", HY, dt.date(2026, 1, 5))]
    (ln,) = link(plans, [ref("c", "5/KH-UBND", HY)])
    assert (ln.resolved, ln.method, ln.candidates) == (False, "ambiguous", ("y1", "y2"))
    (ln,) = link(plans, [ref("c", "5/KH-UBND", HY, dt.date(2026, 1, 5))])
    assert (ln.parent_doc_id, ln.method) == ("y2", "doc_ref+issuer")
