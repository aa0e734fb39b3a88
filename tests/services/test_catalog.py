"""Catalog service: lookups, edits, and imports that are all-or-nothing and idempotent."""

import threading

import pytest

from popup_pos.domain.catalog_file import CatalogFileError, ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, checkout, demo
from popup_pos.services.catalog import CatalogError
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import stock as stock_store
from popup_pos.store.uow import UnitOfWork


def on_hand_of(uow: UnitOfWork, sku: str) -> int:
    row = stock_store.lock_by_sku(uow, sku)
    assert row is not None
    return int(row.on_hand)


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


def _skus(uow) -> list[str]:
    return sorted(v.sku for v in catalog.list_variants(uow))


def _refused(uow, parsed: ParsedCatalog) -> list[tuple[int, str, str]]:
    before = _skus(uow)
    with pytest.raises(CatalogFileError) as err:
        catalog.import_catalog(uow, parsed, source="b.csv")
    assert _skus(uow) == before
    return [(p.row, p.column, p.message) for p in err.value.problems]


def test_sku_or_barcode_differing_only_in_case_from_the_catalog(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [iv(2, "CAP-M", barcode="AbC1")]),
                           source="a")  # fmt: skip
    parsed = ParsedCatalog("native", [iv(2, "cap-m"), iv(3, "HAT", barcode="abc1")])

    problems = _refused(uow, parsed)

    assert [(row, column) for row, column, _ in problems] == [(2, "sku"), (3, "barcode")]
    assert "differs only in case from 'CAP-M'" in problems[0][2]
    assert "already belongs to CAP-M" in problems[1][2]


def test_bundle_containing_itself_through_another_bundle(uow):
    parsed = ParsedCatalog("native", [
        iv(2, "TEE"),
        iv(3, "PACK-A", components=[("TEE", 1), ("PACK-B", 1)]),
        iv(4, "PACK-B", components=[("PACK-A", 1)]),
    ])  # fmt: skip

    problems = _refused(uow, parsed)

    assert [(row, column) for row, column, _ in problems] == [(3, "components"), (4, "components")]
    assert "bundle 'PACK-A' contains itself through PACK-B → PACK-A" in problems[0][2]


def test_bundle_cycle_through_a_bundle_already_in_the_catalog(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [
        iv(2, "TEE"), iv(3, "PACK-A", components=[("TEE", 1)]),
        iv(4, "PACK-B", components=[("PACK-A", 1)]),
    ]), source="a")  # fmt: skip

    problems = _refused(uow, ParsedCatalog("native", [iv(2, "PACK-A", components=[("PACK-B", 1)])]))

    assert [(row, column) for row, column, _ in problems] == [(2, "components")]


def test_edition_smaller_than_its_stock_or_what_is_numbered(uow):
    problems = _refused(uow, ParsedCatalog("native", [iv(2, "PRINT", quantity=10, edition_size=5)]))

    assert [(row, column) for row, column, _ in problems] == [(2, "quantity")]
    assert "more than the edition of 5" in problems[0][2]


def test_numbers_and_text_beyond_the_database_from_any_caller(uow):
    parsed = ParsedCatalog("native", [
        iv(2, "BIG", quantity=2**31),
        iv(3, "PRICEY", 2**63),
        iv(4, "LONG", handle="long", product_name="x" * 201),
    ])  # fmt: skip

    problems = _refused(uow, parsed)

    assert [(row, column) for row, column, _ in problems] == [
        (2, "quantity"), (3, "price"), (4, "product_name")
    ]  # fmt: skip


def test_barcodes_can_swap_between_variants(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [
        iv(2, "A", barcode="111"), iv(3, "B", barcode="222"),
    ]), source="a")  # fmt: skip

    catalog.import_catalog(uow, ParsedCatalog("native", [
        iv(2, "A", barcode="222"), iv(3, "B", barcode="111"),
    ]), source="b")  # fmt: skip

    found = catalog.find_by_code(uow, "111")
    assert found is not None and found.sku == "B"


def test_a_sale_on_another_register_goes_through_during_a_big_import(shop):
    """The import checks its rows without the write lock and writes in bulk, so a sale
    made meanwhile neither waits out the database's lock timeout nor goes missing from
    the ledger (the file's POSTER count is applied as it stands at write time)."""
    engine = shop.uow.engine
    catalog.import_catalog(shop.uow, ParsedCatalog("native", [iv(2, "PIN", 100, quantity=10**6)]),
                           source="pins.csv")  # fmt: skip
    parsed = ParsedCatalog("native", [
        *(iv(i + 2, f"BIG-{i}", handle=f"big-{i // 4}", options={"n": str(i % 4)},
             barcode=f"BC{i:08d}", quantity=3)
          for i in range(3000)),
        iv(3002, "POSTER", 2000, handle="gig-poster", product_name="Gig Poster", quantity=35),
    ])  # fmt: skip
    failures: list[BaseException] = []

    def run_import() -> None:
        try:
            catalog.import_catalog(UnitOfWork(engine), parsed, source="big.csv")
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    importer = threading.Thread(target=run_import)
    importer.start()
    sold = 0
    try:
        # Sent while the import runs; on a loaded machine the import may finish before
        # this sale returns, so the sales in the loop below are a bonus, not a given.
        sent_during_import = importer.is_alive()
        checkout.sell(UnitOfWork(engine), shop.register_id, Cart((CartLine("POSTER", 1),)))
        # Sell until the import is done (bounded, in case it never ends).
        while importer.is_alive() and sold < 5000:
            checkout.sell(UnitOfWork(engine), shop.register_id, Cart((CartLine("PIN", 1),)))
            sold += 1
    finally:
        importer.join(timeout=120)
    assert not importer.is_alive() and failures == []
    assert sent_during_import
    with UnitOfWork(engine) as u:
        for sku in ("POSTER", "PIN", "BIG-0", "BIG-2999"):
            assert stock_store.ledger_sum(u, sku) == on_hand_of(u, sku)


def test_import_makes_categories_owners_and_tax_classes_once(uow):
    parsed = ParsedCatalog("native", [
        iv(2, "TEE-S", handle="tee", product_name="Tee", category="Apparel", owner="Band",
           tax_class="20% incl", options={"Size": "S"}),
        iv(3, "TEE-M", handle="tee", product_name="Tee", options={"Size": "M"}),
        iv(4, "MUG", category="Apparel", owner="Band", tax_class="20% incl"),
    ])  # fmt: skip
    catalog.import_catalog(uow, parsed, source="a")
    again = catalog.import_catalog(uow, parsed, source="a")

    assert (again.updated_variants, again.unchanged_variants, again.changes) == (0, 3, [])
    rows = {r.sku: r for r in catalog.list_variants(uow)}
    assert (rows["TEE-M"].category, rows["MUG"].owner) == ("Apparel", "Band")
    tax = rows["MUG"].tax
    assert tax is not None
    assert (tax.name, tax.rate_ppm, tax.inclusive) == ("20% incl.", 200_000, True)


def test_a_refused_bundle_row_is_reported_once(uow):
    catalog.import_catalog(uow, ParsedCatalog("native", [iv(2, "CAP-M")]), source="a")

    problems = _refused(uow, ParsedCatalog("native", [iv(2, "cap-m", components=[("X", 1)])]))

    assert [(row, column) for row, column, _ in problems] == [(2, "sku")]
