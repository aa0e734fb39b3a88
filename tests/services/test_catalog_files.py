"""A catalog file in and out through one service call each: all or nothing, and round trips."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.services import catalog, catalog_files

DATA = Path(__file__).parents[1] / "importers" / "data"
CATALOG = """handle,sku,product,option1_name,option1_value,price,cost,quantity,kind,components
tour-tee,TEE-M,Tour Tee,Size,M,25.00,8.50,20,item,
tour-tee,TEE-L,,,L,25.00,8.50,15,item,
,POSTER,Gig Poster,,,12,2.00,30,item,
,BUNDLE,Tee + Poster,,,32.00,,,item,TEE-M*1;POSTER*1
,SHOUTOUT,Stage Shoutout,,,5.00,,,experience,
,SKETCH,Live Sketch,,,,,,experience,
"""


@pytest.fixture
def native(tmp_path: Path) -> Path:
    path = tmp_path / "native.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(uow, native):
    done = catalog_files.import_file(uow, native, dry_run=True)
    assert (done.format, done.variants) == ("native", 6)
    assert done.report.dry_run and done.report.created_variants == 6
    assert catalog.list_variants(uow) == []


def test_an_exported_catalog_imports_back_unchanged(uow, native, tmp_path):
    done = catalog_files.import_file(uow, native, fmt="native", actor="test")
    assert done.report.created_variants == 6
    out = tmp_path / "catalog.csv"

    assert catalog_files.export_file(uow, out) == 6
    again = catalog_files.import_file(uow, out)

    assert again.format == "native"
    assert (again.report.created_variants, again.report.updated_variants) == (0, 0)
    assert again.report.unchanged_variants == 6


def test_a_bad_file_names_its_row_and_imports_nothing(uow):
    with pytest.raises(CatalogFileError) as caught:
        catalog_files.import_file(uow, DATA / "broken_bad_price.csv")
    # Row 3 counts 2.5 of a tee, row 6 costs "five dollars".
    assert [p.row for p in caught.value.problems] == [3, 6]
    assert catalog.list_variants(uow) == []


def test_the_shopify_inventory_file_counts_stocked_items_at_the_location(uow, native, tmp_path):
    catalog_files.import_file(uow, native)
    out = tmp_path / "inventory.csv"

    written = catalog_files.export_file(uow, out, fmt="shopify-inventory", location="Main St")

    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # Bundles and experiences have no on-hand count in Shopify.
    assert written == len(rows) == 3
    assert {(r["SKU"], r["Location"], r["On hand (new)"]) for r in rows} == {
        ("TEE-M", "Main St", "20"),
        ("TEE-L", "Main St", "15"),
        ("POSTER", "Main St", "30"),
    }
