"""The administrative-unit lookups: 2025 codes, old names mapped to the new provinces."""

from pipeline.extract.admin_units import admin_units, fold


def test_new_province_and_code():
    units = admin_units()
    assert units.province("Lạng Sơn").code == 20
    assert units.province("thành phố Hà Nội").name == "Hà Nội"


def test_old_province_goes_to_its_2025_province():
    units = admin_units()
    assert units.province("tỉnh Kiên Giang").name == "An Giang"
    assert units.province("Trà Vinh").name == "Vĩnh Long"
    # the old name keeps its own spelling for the locality
    assert units.official_name("TRÀ VINH") == "Trà Vinh"


def test_commune_lookup_by_kind_and_name():
    units = admin_units()
    assert [(c.code, c.province_code) for c in units.communes("xã", "Nhân Lý")] == [(6496, 20)]
    # the kind matters: no phường of that name
    assert units.communes("phường", "Nhân Lý") == []


def test_old_tone_placement_folds_alike():
    assert fold("Hoà Xá") == fold("Hòa Xá") == "hoaxa"


def test_unknown_names():
    units = admin_units()
    assert units.province("Atlantis") is None
    assert units.communes("xã", "Không Có Xã Này") == []
