"""Square item library exports."""

import pytest

from popup_pos.domain.catalog_file import CatalogFileError, ParsedCatalog
from popup_pos.importers.reader import read_catalog


def summary(catalog: ParsedCatalog):
    return [
        (v.row, v.sku, v.options, v.price, v.cost, v.quantity, v.barcode, v.category)
        for v in catalog.variants
    ]


def test_first_location_is_used_with_a_warning(data):
    catalog = read_catalog(data / "square.csv", currency="USD")

    assert catalog.format == "square"
    assert summary(catalog) == [
        (2, "SQ-TEE-S", {"Size": "S"}, 3000, 900, 10, "0850012345671", "Apparel"),
        (3, "SQ-TEE-M", {"Size": "M"}, 3000, 900, 0, "0850012345688", "Apparel"),
        (4, "SQ-SKETCH", {}, None, None, None, None, "Commissions"),
        (5, "SQ-STK", {}, 300, 40, 100, None, "Stickers"),
    ]
    assert catalog.warnings == [
        "the file has Current Quantity columns for several locations; using 'Main St' "
        "(not 'Warehouse'). Choose a location to import another one.",
        "row 6: '2019 Shirt' is archived in Square; skipped",
    ]


def test_chosen_location(data):
    catalog = read_catalog(data / "square.csv", currency="USD", location="warehouse")

    assert [(v.sku, v.quantity) for v in catalog.variants] == [
        ("SQ-TEE-S", 40),
        ("SQ-TEE-M", 25),
        ("SQ-SKETCH", None),
        ("SQ-STK", 500),
    ]
    assert catalog.warnings == ["row 6: '2019 Shirt' is archived in Square; skipped"]


def test_item_fields(data):
    catalog = read_catalog(data / "square.csv", currency="USD")
    tee, _, sketch, sticker = catalog.variants

    assert (tee.handle, tee.product_name) == ("tour-tee", "Tour Tee")
    assert tee.description == "Black tee, front and back print."
    assert (sketch.product_name, sketch.price, sketch.quantity) == ("Live Sketch", None, None)
    assert sticker.description is None


def test_unknown_location_is_a_problem(data):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(data / "square.csv", currency="USD", location="Festival Tent")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (1, "Current Quantity Festival Tent")
    assert "'Main St', 'Warehouse'" in problem.message


def test_old_export_with_single_category_column(data):
    catalog = read_catalog(data / "square_old.csv", currency="USD")

    assert summary(catalog) == [
        (2, "SQ-POSTER", {}, 2000, None, 7, None, "Prints"),
        (3, "SQ-PIN-G", {"Variation": "Gold"}, 750, None, 12, None, "Accessories"),
        (4, "SQ-PIN-S", {"Variation": "Silver"}, 750, None, None, None, "Accessories"),
    ]
    assert [v.handle for v in catalog.variants] == ["Gig Poster", "Band Pin", "Band Pin"]
    assert catalog.warnings == []
