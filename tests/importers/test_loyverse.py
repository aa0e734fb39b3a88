"""Loyverse items exports, with a composite item."""

import pytest

from popup_pos.domain.catalog_file import CatalogFileError, ParsedCatalog
from popup_pos.importers.reader import read_catalog


def summary(catalog: ParsedCatalog):
    return [
        (v.row, v.sku, v.options, v.price, v.cost, v.quantity, v.barcode, v.category)
        for v in catalog.variants
    ]


def test_items_and_composite(data):
    catalog = read_catalog(data / "loyverse.csv", currency="USD", location="Downtown")

    assert catalog.format == "loyverse"
    assert summary(catalog) == [
        (2, "10001", {"Size": "S"}, 2500, 700, 8, "2000000000015", "Apparel"),
        (3, "10002", {"Size": "M"}, 2500, 700, 12, "2000000000022", "Apparel"),
        (4, "10003", {}, 1200, 250, 20, None, "Prints"),
        (5, "10004", {}, 3200, None, None, None, "Bundles"),
        (7, "10006", {}, None, None, None, None, "Commissions"),
    ]
    bundle = catalog.variants[3]
    assert bundle.product_name == "Tee + Poster Bundle"
    assert bundle.components == [("10001", 1), ("10003", 1)]
    assert catalog.variants[1].product_name == "Crew Tee"
    assert catalog.warnings == []


def test_other_store(data):
    catalog = read_catalog(data / "loyverse.csv", currency="USD", location="festival")

    assert [(v.sku, v.price, v.quantity) for v in catalog.variants] == [
        ("10001", 2800, 30),
        ("10002", 2800, 40),
        ("10003", 1200, 15),
        ("10004", 3500, None),
        ("10006", None, None),
    ]


def test_without_location_the_first_store_is_used(data):
    catalog = read_catalog(data / "loyverse.csv", currency="USD")

    assert catalog.variants[0].price == 2500
    assert catalog.warnings == [
        "the file has store columns for several locations; using 'Downtown' "
        "(not 'Festival'). Choose a location to import another one."
    ]


def test_included_item_without_a_composite_above(tmp_path):
    path = tmp_path / "export_items.csv"
    path.write_text(
        "Handle,SKU,Name,SKU of included item,Quantity of included item,Track stock,"
        "Price [Shop],In stock [Shop]\n"
        ",,,10001,1,,,\n"
        "bundle,10004,Bundle,10001,half,N,30.00,\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "SKU of included item"),
        (3, "Quantity of included item"),
    ]
