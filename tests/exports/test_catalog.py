"""Catalog files written for the app itself and for Shopify's inventory import."""

import csv
import dataclasses
from pathlib import Path

import pytest

from popup_pos.domain.catalog_file import ImportedVariant
from popup_pos.exports.catalog import (
    SHOPIFY_INVENTORY_COLUMNS,
    shopify_handle,
    write_native_csv,
    write_shopify_inventory_csv,
)
from popup_pos.importers.reader import read_catalog

DATA = Path(__file__).parents[1] / "importers" / "data"


def without_rows(variants):
    return [dataclasses.replace(v, row=0) for v in variants]


def test_native_round_trip(tmp_path):
    original = read_catalog(DATA / "native.csv", currency="USD").variants
    path = tmp_path / "catalog.csv"

    written = write_native_csv(path, original, currency="USD")
    again = read_catalog(path, currency="USD")

    assert written == len(original) == 7
    assert again.format == "native"
    assert again.variants == original
    assert again.warnings == []
    assert path.read_bytes().startswith(b"\xef\xbb\xbfhandle,sku,product,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.csv"]


def test_round_trip_of_a_shopify_catalog(tmp_path):
    original = read_catalog(DATA / "shopify_classic.csv", currency="USD").variants
    path = tmp_path / "catalog.csv"

    write_native_csv(path, original, currency="USD")
    again = read_catalog(path, currency="USD").variants

    assert without_rows(again) == without_rows(original)


def test_round_trip_in_a_currency_without_decimals(tmp_path):
    variants = [
        ImportedVariant(
            row=2, handle="tee", product_name="ツアーTシャツ", sku="TEE-M", price=3500,
            options={"サイズ": "M", "Colour": "Black", "Fit": "Relaxed"}, cost=1200, quantity=0,
            edition_size=50, components=[],
        ),
        ImportedVariant(row=3, handle="sketch", product_name="Sketch", sku="SKETCH", price=None),
    ]  # fmt: skip
    path = tmp_path / "catalog.csv"

    write_native_csv(path, variants, currency="JPY")

    assert "TEE-M,ツアーTシャツ" in path.read_text(encoding="utf-8-sig")
    assert ",3500,1200,0," in path.read_text(encoding="utf-8-sig")
    assert read_catalog(path, currency="JPY").variants == variants


def test_native_refuses_what_the_file_cannot_hold(tmp_path):
    four = ImportedVariant(
        row=2, handle="x", product_name="X", sku="X", price=100,
        options={"A": "1", "B": "2", "C": "3", "D": "4"},
    )  # fmt: skip
    path = tmp_path / "catalog.csv"

    with pytest.raises(ValueError, match="at most 3"):
        write_native_csv(path, [four], currency="USD")
    assert not path.exists()


def test_shopify_inventory_csv(tmp_path):
    variants = read_catalog(DATA / "shopify_classic.csv", currency="USD").variants
    path = tmp_path / "inventory.csv"

    written = write_shopify_inventory_csv(path, variants, location="Backroom")

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == list(SHOPIFY_INVENTORY_COLUMNS)
    assert header[:12] == [
        "Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
        "Option3 Name", "Option3 Value", "SKU", "HS Code", "COO", "Location",
    ]  # fmt: skip
    assert header[-1] == "On hand (new)"
    picked = [(r[0], r[1], r[2], r[3], r[4], r[5], r[8], r[11], r[-2], r[-1]) for r in rows]
    # The untracked totes have no count to send.
    assert picked == [
        ("band-tee", "Tour Tee 2024", "Size", "S", "", "", "TEE-24-S", "Backroom", "", "12"),
        ("band-tee", "Tour Tee 2024", "Size", "M", "", "", "TEE-24-M", "Backroom", "", "20"),
        ("band-tee", "Tour Tee 2024", "Size", "L", "", "", "BAND-TEE-L", "Backroom", "", "15"),
        ("band-tee", "Tour Tee 2024", "Size", "XL", "", "", "TEE-24-XL", "Backroom", "", "0"),
        ("enamel-pin", "Skull Enamel Pin", "Title", "Default Title", "", "", "PIN-SKULL",
         "Backroom", "", "40"),
        ("logo-hoodie", "Logo Hoodie", "Size", "S", "Colour", "Black", "HOOD-S-BLK",
         "Backroom", "", "5"),
        ("logo-hoodie", "Logo Hoodie", "Size", "M", "Colour", "Black", "HOOD-M-BLK",
         "Backroom", "", "0"),
    ]  # fmt: skip
    assert written == len(rows) == 7


def test_shopify_inventory_skips_what_has_no_stock_of_its_own(tmp_path):
    variants = read_catalog(DATA / "native.csv", currency="USD").variants
    path = tmp_path / "inventory.csv"

    written = write_shopify_inventory_csv(path, variants, location="Shop")

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert written == 3
    assert [(r["Handle"], r["SKU"], r["On hand (new)"]) for r in rows] == [
        ("tour-tee", "TEE-M", "20"),
        ("tour-tee", "TEE-L", "15"),
        ("gig-poster", "POSTER", "30"),
    ]


def test_shopify_inventory_needs_a_location(tmp_path):
    with pytest.raises(ValueError, match="location"):
        write_shopify_inventory_csv(tmp_path / "inventory.csv", [], location="  ")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("band-tee", "band-tee"),
        ("Gig Poster", "gig-poster"),
        ("Tee + Poster", "tee-poster"),
        ("  Café_Mug! ", "café-mug"),
    ],
)
def test_shopify_handle(handle, expected):
    assert shopify_handle(handle) == expected


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1 555", "@SUM(A1)", "-2+3", "\t=1", "'=1"]


def test_native_guards_formula_text_and_still_round_trips(tmp_path):
    variants = [
        ImportedVariant(
            row=2 + i, handle=f"h{i}", product_name=text, sku=f"SKU-{i}", price=1250,
            options={"Size": text}, cost=400, quantity=3, category=text, owner=text,
            description=text,
        )
        for i, text in enumerate(FORMULAS)
    ]  # fmt: skip
    variants.append(ImportedVariant(row=8, handle="neg", product_name="Neg", sku="-X", price=0))
    path = tmp_path / "catalog.csv"

    write_native_csv(path, variants, currency="USD")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    again = read_catalog(path, currency="USD").variants

    assert [r["product"] for r in rows[:6]] == ["'" + t for t in FORMULAS]
    assert rows[-1]["sku"] == "'-X"
    assert (rows[0]["price"], rows[0]["cost"], rows[0]["quantity"]) == ("12.50", "4.00", "3")

    # Tabs around a cell are trimmed on import, as they always were.
    def trimmed(text):
        return (text or "").strip() or None

    expected = [
        dataclasses.replace(
            v, product_name=v.product_name.strip(), category=trimmed(v.category),
            owner=trimmed(v.owner), description=trimmed(v.description),
            options={k: o.strip() for k, o in v.options.items()},
        )
        for v in variants
    ]  # fmt: skip
    assert without_rows(again) == without_rows(expected)


def test_shopify_inventory_guards_text_but_not_counts(tmp_path):
    variant = ImportedVariant(
        row=2, handle="tee", product_name="=cmd|' /C calc'!A0", sku="TEE", price=100, quantity=5
    )
    path = tmp_path / "inventory.csv"
    write_shopify_inventory_csv(path, [variant], location="@Venue")
    with path.open(encoding="utf-8", newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["Title"], row["Location"], row["On hand (new)"]) == (
        "'=cmd|' /C calc'!A0", "'@Venue", "5"
    )  # fmt: skip
