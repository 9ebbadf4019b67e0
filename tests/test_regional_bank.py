"""The State Bank's regional branches (`Ngân hàng Nhà nước Khu vực XII`, since 2025) are bodies,
however the words are capitalised."""

from pipeline.extract.agencies import leading_agency


def test_regional_state_bank_is_a_body(rules):
    for text in ("Ngân hàng nhà nước khu vực XII chủ động triển khai",
                 "Ngân hàng Nhà nước Khu vực 12 phối hợp"):
        m = leading_agency(text, rules=rules)
        assert m is not None and m.known and m.agency == "Ngân hàng Nhà nước Khu vực"
    # the older provincial branch keeps its own name
    assert leading_agency("Ngân hàng Nhà nước chi nhánh tỉnh", rules=rules).agency.startswith(
        "Ngân hàng Nhà nước chi nhánh")
