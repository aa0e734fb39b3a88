"""Shopify product exports, classic and 2024+ headers."""

import pytest

from popup_pos.domain.catalog_file import CatalogFileError, ParsedCatalog
from popup_pos.importers.reader import read_catalog


def summary(catalog: ParsedCatalog):
    return [
        (v.row, v.sku, v.options, v.price, v.cost, v.quantity, v.barcode, v.category)
        for v in catalog.variants
    ]


def test_classic_export(data):
    catalog = read_catalog(data / "shopify_classic.csv", currency="USD")

    assert catalog.format == "shopify"
    # Rows as a spreadsheet numbers them: row 2's description runs over two lines of the
    # file but is one row; row 6 is an image-only row and row 10 an archived product.
    assert summary(catalog) == [
        (2, "TEE-24-S", {"Size": "S"}, 2500, 850, 12, "5012345678900", "T-Shirt"),
        (3, "TEE-24-M", {"Size": "M"}, 2500, 850, 20, "5012345678917", "T-Shirt"),
        (4, "BAND-TEE-L", {"Size": "L"}, 2500, 850, 15, None, "T-Shirt"),
        (5, "TEE-24-XL", {"Size": "XL"}, 2700, 900, 0, "5012345678924", "T-Shirt"),
        (7, "PIN-SKULL", {}, 800, 120, 40, "0712345678911", "Accessories"),
        (8, "TOTE-NAT", {"Colour": "Natural"}, 1500, None, None, None, "Handbags"),
        (9, "TOTE-BLK", {"Colour": "Black"}, 1500, None, None, None, "Handbags"),
        (11, "HOOD-S-BLK", {"Size": "S", "Colour": "Black"}, 4500, 1800, 5, None, "Hoodie"),
        (12, "HOOD-M-BLK", {"Size": "M", "Colour": "Black"}, 4500, 1800, 0, None, "Hoodie"),
    ]


def test_classic_export_carries_product_fields_to_later_rows(data):
    catalog = read_catalog(data / "shopify_classic.csv", currency="USD")
    tees = [v for v in catalog.variants if v.handle == "band-tee"]

    assert {v.product_name for v in tees} == {"Tour Tee 2024"}
    assert {v.description for v in tees} == {
        "Heavyweight cotton, black.\nPrinted in Leeds & shipped flat."
    }
    assert {v.kind for v in catalog.variants} == {"item"}


def test_classic_export_warnings_name_the_rows(data):
    catalog = read_catalog(data / "shopify_classic.csv", currency="USD")

    assert catalog.warnings == [
        "row 4: no SKU for 'Tour Tee 2024'; using BAND-TEE-L",
        "row 5: quantity -2 in column 'Variant Inventory Qty' is below zero; using 0",
        "row 10: '2019 Tour Poster' is archived in Shopify; skipped",
    ]


def test_2024_export(data):
    catalog = read_catalog(data / "shopify_2024.csv", currency="USD")

    assert catalog.format == "shopify"
    assert summary(catalog) == [
        (2, "STK-GLOW", {}, 600, 110, 60, None, "Stickers"),
        (3, "MUG-WHT-12", {"Colour": "White", "Size": "12oz"}, 1800, 625, 14, "4006381333931",
         "Drinkware"),
        (4, "MUG-BLK-12", {"Colour": "Black", "Size": "12oz"}, 1800, 625, 9, "4006381333948",
         "Drinkware"),
        (6, "ZINE-3", {}, 500, None, None, None, "Zine"),
    ]  # fmt: skip
    assert [v.product_name for v in catalog.variants] == [
        "Glow Sticker Pack",
        "Camp Mug",
        "Camp Mug",
        "Zine Vol. 3",
    ]
    assert catalog.variants[0].description == "Five glow-in-the-dark stickers."
    assert catalog.warnings == []


def test_bad_price_and_quantity_are_all_reported(data):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(data / "broken_bad_price.csv", currency="USD")

    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [(3, "Variant Inventory Qty"), (6, "Variant Price")]
    assert "five dollars" in caught.value.problems[1].message
    assert "2.5" in caught.value.problems[0].message
    assert str(caught.value).endswith("(and 1 more)")


def test_duplicate_sku_and_barcode(data):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(data / "broken_duplicate_sku.csv", currency="USD")

    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(4, "SKU"), (5, "Barcode")]
    assert problems[0].message == "SKU 'MUG-WHT' is already used on row 2"
    assert problems[1].message == "barcode '4006381333948' is already used on row 3"


def test_missing_sku_column(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text(
        "Handle,Title,Option1 Name,Option1 Value,Variant Price\n"
        "enamel-pin,Skull Enamel Pin,Title,Default Title,8.00\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (1, "Variant SKU")
    assert "missing" in problem.message


def test_derived_skus_that_collide_are_a_problem(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text(
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n"
        "band-tee,Tour Tee,Size,M,,25.00\n"
        "band-tee,,,m,,25.00\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "Variant SKU")
    assert "BAND-TEE-M" in problem.message and "row 2" in problem.message


def test_blank_price_is_a_problem(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text(
        "Handle,Title,Variant SKU,Variant Price\nenamel-pin,Skull Enamel Pin,PIN-SKULL,\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Variant Price")]


def test_category_falls_back_to_product_category(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text(
        "Handle,Title,Product Category,Type,Variant SKU,Variant Price\n"
        "tee,Tee,Apparel & Accessories > Clothing > Shirts & Tops,,TEE,20.00\n",
        encoding="utf-8",
    )

    [tee] = read_catalog(path, currency="USD").variants

    assert tee.category == "Shirts & Tops"
