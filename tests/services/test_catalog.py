"""Catalog service: lookups, edits, and imports that are all-or-nothing and idempotent."""

import pytest

from popup_pos.importers.base import CatalogFileError, ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, demo
from popup_pos.services.catalog import CatalogError


def iv(row: int, sku: str, price: int | None = 1000, **kw) -> ImportedVariant:
    kw.setdefault("handle", kw.get("product_name", sku.lower()))
    kw.setdefault("product_name", sku.title())
    return ImportedVariant(row=row, sku=sku, price=price, **kw)


def test_import_creates_then_reimport_changes_nothing(uow):
    parsed = ParsedCatalog("native", [
        iv(2, "TEE-S", 3000, handle="tee", product_name="Tee", options={"Size": "S"}, quantity=4),
        iv(3, "TEE-M", 3000, handle="tee", product_name="Tee", options={"Size": "M"}, quantity=6),
    ])  # fmt: skip
    first = catalog.import_catalog(uow, parsed, source="a.csv")
    assert (first.created_products, first.created_variants) == (1, 2)
    again = catalog.import_catalog(uow, parsed, source="a.csv")
    assert (again.created_variants, again.updated_variants, again.unchanged_variants) == (0, 0, 2)
    rows = catalog.list_variants(uow)
    assert [(r.sku, r.label, r.on_hand) for r in rows] == [
        ("TEE-S", "Tee — S", 4), ("TEE-M", "Tee — M", 6)
    ]  # fmt: skip


def test_reimport_updates_by_sku(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [iv(2, "LP", 2500, quantity=3)]),
                           source="a")  # fmt: skip
    report = catalog.import_catalog(
        uow, ParsedCatalog("native", [iv(2, "LP", 2800, quantity=10)]), source="b"
    )
    assert report.updated_variants == 1
    assert "price LP: 2500 → 2800" in report.changes and "stock LP: 3 → 10" in report.changes
    v = catalog.find_by_code(uow, "lp")
    assert v is not None and (v.price_cents, v.on_hand) == (2800, 10)
    assert len(catalog.list_variants(uow)) == 1


def test_dry_run_changes_nothing(uow):
    report = catalog.import_catalog(
        uow, ParsedCatalog("native", [iv(2, "LP", quantity=3)]), source="a", dry_run=True
    )
    assert report.created_variants == 1 and report.dry_run
    assert catalog.list_variants(uow) == []


def test_bad_rows_change_nothing_and_are_named(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [iv(2, "OLD", barcode="123")]),
                           source="a")  # fmt: skip
    parsed = ParsedCatalog("native", [
        iv(2, "NEW-1"),
        iv(3, "NEW-2", barcode="123"),
        iv(4, "PACK", components=[("MISSING", 1)]),
        iv(5, "BADTAX", tax_class="lots"),
    ])  # fmt: skip
    with pytest.raises(CatalogFileError) as err:
        catalog.import_catalog(uow, parsed, source="b.csv")
    problems = {(p.row, p.column) for p in err.value.problems}
    assert problems == {(3, "barcode"), (4, "components"), (5, "tax_class")}
    assert "b.csv: row" in str(err.value)
    assert [v.sku for v in catalog.list_variants(uow)] == ["OLD"]


def test_search_and_lookup(uow):
    demo.seed(uow)
    tees = {"TEE-S", "TEE-M", "TEE-L", "TEE-XL", "PACK-TEE-M-POSTER"}
    assert {v.sku for v in catalog.search(uow, "tee")} == tees
    assert catalog.find_by_code(uow, "0860001000059").sku == "PRINT-LTD"
    assert catalog.find_by_code(uow, "  ") is None
    assert {v.sku for v in catalog.search(uow, "0860001000073")} == {"POSTER"}


def test_update_variant(uow):
    demo.seed(uow)
    v = catalog.update_variant(uow, "POSTER", price_cents=1800, low_stock_at=10)
    assert v.price_cents == 1800 and v.low_stock_at == 10
    with pytest.raises(CatalogError, match="already belongs to TEE-S"):
        catalog.update_variant(uow, "POSTER", barcode="0860001000011")
    with pytest.raises(CatalogError, match="no variant"):
        catalog.update_variant(uow, "NOPE", price_cents=1)
    with pytest.raises(CatalogError, match="cannot be negative"):
        catalog.update_variant(uow, "POSTER", price_cents=-1)


def test_low_stock_listing(uow):
    demo.seed(uow)
    from popup_pos.services import inventory

    inventory.adjust(uow, "TEE-XL", -8, "recount")  # 2 left, under the default threshold
    low = catalog.list_variants(uow, low_stock=True)
    assert [v.sku for v in low] == ["TEE-XL"] and low[0].low_stock


def test_export_rows_round_trip(uow):
    demo.seed(uow)
    rows = catalog.export_rows(uow)
    pack = next(r for r in rows if r.sku == "PACK-TEE-M-POSTER")
    assert pack.components == [("TEE-M", 1), ("POSTER", 1)] and pack.quantity is None
    again = catalog.import_catalog(uow, ParsedCatalog("native", rows), source="x")
    assert again.updated_variants == 0 and again.created_variants == 0


def test_the_catalog_version_moves_with_each_change_and_not_with_sales(shop):
    from popup_pos.services import checkout
    from popup_pos.services.checkout import Cart, CartLine

    uow = shop.uow
    before = catalog.version(uow)
    assert catalog.version(uow) == before
    checkout.sell(uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    assert catalog.version(uow) == before  # stock has its own, cheaper refresh
    catalog.update_variant(uow, "TEE-M", price_cents=3100)
    priced = catalog.version(uow)
    assert priced != before
    catalog.import_catalog(uow, ParsedCatalog("native", [iv(2, "NEW-1", 500)]), source="a")
    assert catalog.version(uow) not in (before, priced)
    imported = catalog.version(uow)
    catalog.import_catalog(
        uow, ParsedCatalog("native", [iv(2, "NEW-2", 500)]), source="b", dry_run=True
    )
    assert catalog.version(uow) == imported


def test_a_variant_written_without_the_token_still_moves_the_version(uow):
    from popup_pos.store.models import Product, Variant

    before = catalog.version(uow)
    with uow:
        product = Product(name="Sticker", handle="sticker", kind="item")
        uow.session.add(product)
        uow.session.flush()
        uow.session.add(Variant(product_id=product.id, sku="STK", price_cents=300))
        uow.commit()
    assert catalog.version(uow) != before
