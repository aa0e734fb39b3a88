"""What every format shares: detection, encodings, row numbers, money and counts."""

import pytest

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.domain.errors import MoneyError
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

    # Spreadsheet rows, as the seller sees them: header 1, TEE 2, blank 3, MUG 4, PIN 5
    # (the file's lines would be 8).
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "price")]


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


def _problems(path):
    with pytest.raises(CatalogFileError) as caught:
        read_catalog(path, currency="USD")
    return caught.value.problems


def _native(tmp_path, body: str, header: str = "sku,product,price,quantity\n"):
    path = tmp_path / "catalog.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_unclosed_quote_is_refused_where_it_opens(tmp_path):
    rows = "".join(f"SKU-{i},Item {i},5.00,3\n" for i in range(3, 52))
    path = _native(tmp_path, 'SKU-2,"Item 2,5.00,3\n' + rows)

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(2, "product")]
    assert "never closed" in problems[0].message


def test_text_after_a_closing_quote_is_refused(tmp_path):
    path = _native(tmp_path, 'A,Tee,5.00,3\nB,"Big" Tee,5.00,3\n')

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(3, "product")]
    assert "closing quote" in problems[0].message


def test_a_quote_inside_an_unquoted_cell_is_text(tmp_path):
    path = _native(tmp_path, 'VINYL,7" Single,8.00,3\n')

    assert read_catalog(path, currency="USD").variants[0].product_name == '7" Single'


def test_row_with_too_few_cells(tmp_path):
    path = _native(tmp_path, "A,Tee,5.00,3\nB,Mug,5.00\n")

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(3, "")]
    assert "3 cells but the header names 4 columns" in problems[0].message
    assert "'quantity'" in problems[0].message


def test_control_characters_and_nul_are_refused_as_written(tmp_path):
    path = _native(tmp_path, "A,Te\x00e,5.00,3\nB,Mug\x1b,5.00,3\nC,Tab\there,5.00,3\n")

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(2, "product"), (3, "product")]
    assert "'Te\\x00e'" in problems[0].message and "NUL" in problems[0].message
    assert "U+001B" in problems[1].message


def test_numbers_beyond_the_database_are_refused(tmp_path):
    path = _native(
        tmp_path,
        "A,Tee,5.00,99999999999\nB,Mug,99999999999999999999,1\nC,Pin,5.00,2147483647\n",
    )

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(2, "quantity"), (3, "price")]
    assert "'99999999999' is too large" in problems[0].message


def test_text_beyond_a_column_is_refused(tmp_path):
    path = _native(tmp_path, f"{'S' * 65},Tee,5.00,1\nB,{'n' * 201},5.00,1\n")

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(2, "sku"), (3, "product")]
    assert "65 characters long; it can be at most 64" in problems[0].message


def test_text_beyond_a_column_names_the_formats_own_column(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text(
        f"Handle,Title,Variant SKU,Variant Price\ntee,{'T' * 300},TEE,5.00\n",
        encoding="utf-8",
    )

    assert [(p.row, p.column) for p in _problems(path)] == [(2, "Title")]


def test_messages_quote_the_cell_as_written(tmp_path):
    path = _native(tmp_path, "A,Tee,5.00, 1x \n")

    assert "' 1x '" in _problems(path)[0].message


def test_skus_and_barcodes_differing_only_in_case(tmp_path):
    path = _native(
        tmp_path,
        "CAP-M,Cap,5.00,1,AbC1\ncap-m,Cap,5.00,1,abc1\n",
        header="sku,product,price,quantity,barcode\n",
    )

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(3, "sku"), (3, "barcode")]
    assert "differs only in case from 'CAP-M' on row 2" in problems[0].message
    assert "differs only in case from 'AbC1' on row 2" in problems[1].message


def test_file_not_in_utf8_names_the_spreadsheet_row(tmp_path):
    path = tmp_path / "catalog.csv"
    body = 'sku,product,price,description\nTEE,Tee,20.00,"Soft\ncotton"\nMUG,Café Mug,12.00,\n'
    path.write_bytes(body.encode("cp1252"))

    [problem] = _problems(path)

    assert problem.row == 3  # the file's line 4


def test_a_sku_running_over_lines_is_refused(tmp_path):
    path = _native(tmp_path, 'A,"Tee\nshirt",5.00,1\n"B\nC",Mug,5.00,1\n')

    problems = _problems(path)

    assert [(p.row, p.column) for p in problems] == [(3, "sku")]
