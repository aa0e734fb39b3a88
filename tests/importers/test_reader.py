"""What every format shares: detection, encodings, row numbers, money and counts."""

import pytest

from popup_pos.domain.errors import MoneyError
from popup_pos.importers.base import CatalogFileError
from popup_pos.importers.detect import detect_format
from popup_pos.importers.reader import read_catalog
from popup_pos.importers.table import derive_sku


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("native.csv", "native"),
        ("broken_missing_sku.csv", "native"),
        ("shopify_classic.csv", "shopify"),
        ("shopify_2024.csv", "shopify"),
        ("square.csv", "square"),
        ("square_old.csv", "square"),
        ("loyverse.csv", "loyverse"),
    ],
)
def test_detects_the_format_from_the_header(data, name, expected):
    header = (data / name).read_text(encoding="utf-8-sig").splitlines()[0].split(",")

    assert detect_format(header) == expected


def test_unknown_header(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order,Date,Total\nA-0001,2024-05-01,12.00\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert problem.row == 1
    assert "Order, Date, Total" in problem.message
    assert "Shopify product export" in problem.message and "Loyverse" in problem.message


def test_shopify_inventory_file_gets_a_hint(tmp_path):
    path = tmp_path / "inventory_export.csv"
    path.write_text("Handle,Title,SKU,Location,On hand (new)\ntee,Tee,T,Shop,3\n", encoding="utf-8")

    with pytest.raises(CatalogFileError, match="Shopify inventory file"):
        read_catalog(path, currency="USD")


def test_excel_bom_crlf_and_multiline_cells(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(
        "sku,product,price,description\r\n"
        'TEE,Tee,20.00,"Soft\r\ncotton"\r\n'
        "\r\n"
        'MUG,Café Mug,12.50,"One\r\ntwo\r\nthree"\r\n'
        "PIN,Pin,x,\r\n".encode("utf-8-sig")
    )

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    # Lines: header 1, TEE 2-3, blank 4, MUG 5-7, PIN 8.
    assert [(p.row, p.column) for p in caught.value.problems] == [(8, "price")]


def test_multiline_cells_keep_their_text(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(
        'sku,product,price,description\r\nMUG,Café Mug,12.50,"One\r\ntwo"\r\n'.encode()
    )

    [mug] = read_catalog(path, currency="USD").variants

    assert (mug.row, mug.product_name, mug.description) == (2, "Café Mug", "One\r\ntwo")


def test_semicolon_separated_file(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku;product;price\nTEE;Tee;20,50\n", encoding="utf-8")

    [tee] = read_catalog(path, currency="EUR").variants

    assert (tee.sku, tee.price) == ("TEE", 2050)


def test_file_not_in_utf8_names_the_line(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes("sku,product,price\nTEE,Tee,20.00\nMUG,Café Mug,12.00\n".encode("cp1252"))

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    [problem] = caught.value.problems
    assert problem.row == 3
    assert "CSV UTF-8" in problem.message


def test_empty_file(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("", encoding="utf-8")

    with pytest.raises(CatalogFileError, match="first line is empty"):
        read_catalog(path, currency="USD")


def test_header_only_is_an_empty_catalog_with_a_warning(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price\n", encoding="utf-8")

    catalog = read_catalog(path, currency="USD")

    assert catalog.variants == []
    assert catalog.warnings == ["the file has no items to import"]


def test_row_with_too_many_cells(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price\nTEE,Tee, large,20.00\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(2, ""), (2, "price")]
    assert "needs quotes" in caught.value.problems[0].message


def test_duplicate_header(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price,price\nTEE,Tee,20.00,21.00\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "price")]


def test_zero_decimal_currency_accepts_exported_zeros(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,product,price,cost\nTEE,Tee,3500.00,1200.0\nPIN,Pin,800,\n", encoding="utf-8"
    )

    catalog = read_catalog(path, currency="jpy")

    assert [(v.price, v.cost) for v in catalog.variants] == [(3500, 1200), (800, None)]


def test_zero_decimal_currency_with_decimal_commas(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku;product;price\nTEE;Tee;3500,00\nPIN;Pin;1,000\n", encoding="utf-8")

    catalog = read_catalog(path, currency="JPY")

    assert [v.price for v in catalog.variants] == [3500, 1000]


def test_zero_decimal_currency_refuses_real_fractions(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price\nTEE,Tee,3500.50\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="JPY")

    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "price")
    assert "decimals" in problem.message


def test_quantities(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,product,price,quantity\n"
        'A,A,1.00,12\nB,B,1.00,12.0\nC,C,1.00,"1,200"\nD,D,1.00,-3\nE,E,1.00,\n',
        encoding="utf-8",
    )

    catalog = read_catalog(path, currency="USD")

    assert [v.quantity for v in catalog.variants] == [12, 12, 1200, 0, None]
    assert catalog.warnings == ["row 5: quantity -3 in column 'quantity' is below zero; using 0"]


def test_barcode_mangled_by_a_spreadsheet(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,product,price,barcode\nTEE,Tee,20.00,5.01235E+12\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")

    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "barcode")]


def test_format_can_be_forced(data):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(data / "square.csv", currency="USD", fmt="loyverse")

    assert {(p.row, p.column) for p in caught.value.problems} == {(1, "Handle"), (1, "Name")}


def test_unknown_format_or_currency_is_a_programming_error(data):
    with pytest.raises(ValueError, match="unknown catalog format"):
        read_catalog(data / "native.csv", currency="USD", fmt="csv")
    with pytest.raises(MoneyError):
        read_catalog(data / "native.csv", currency="XYZ")


@pytest.mark.parametrize(
    ("handle", "options", "expected"),
    [
        ("band-tee", ["M"], "BAND-TEE-M"),
        ("Logo Hoodie", ["XL", "Forest Green"], "LOGO-HOODIE-XL-FOREST-GREEN"),
        ("café-crème mug", [], "CAFE-CREME-MUG"),
        ("a-very-long-handle-for-the-2024-world-tour", ["XXL"], "A-VERY-LONG-HANDLE-FOR-THE-2024"),
        ("ツアーTシャツ", ["M"], "T-M"),
        ("ツアー", [], "ITEM-"),
    ],
)
def test_derived_skus(handle, options, expected):
    sku = derive_sku(handle, options)

    assert sku.startswith(expected)
    assert len(sku) <= 32
    assert sku == derive_sku(handle, options)
    assert all(c.isascii() and (c.isalnum() or c == "-") and not c.islower() for c in sku)
