"""Catalog editing: products with sizes saved whole, checked, versioned and archived."""

import pytest
from sqlalchemy.engine import Engine

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, inventory, products
from popup_pos.services.products import ConflictError, ProductDraft, ProductError, VariantDraft
from popup_pos.store.uow import UnitOfWork


def _tee(stock: int = 3) -> ProductDraft:
    sizes = ("S", "M", "L")
    return ProductDraft(
        name="Tour tee",
        category="Apparel",
        variants=tuple(
            VariantDraft(
                sku=products.suggest_sku("Tour tee", [s]),
                options=(("Size", s),),
                price_cents=25_00,
                stock=stock,
            )
            for s in sizes
        ),
    )


def test_suggested_sku_follows_the_importer():
    assert products.suggest_sku("Tour tee", ["M"]) == "TOUR-TEE-M"


def test_add_a_product_with_sizes_counts_stock_in(shop):
    saved = products.save(shop.uow, _tee(), actor="Ada")
    assert [v.sku for v in saved.variants] == ["TOUR-TEE-S", "TOUR-TEE-M", "TOUR-TEE-L"]
    assert shop.on_hand("TOUR-TEE-M") == 3
    assert inventory.ledger_sum(shop.uow, "TOUR-TEE-M") == 3
    found = catalog.find_by_code(shop.uow, "TOUR-TEE-M")
    assert found is not None and found.category == "Apparel" and found.price_cents == 25_00
    assert [r.kind for r in products.ledger(shop.uow, saved.variants[1].id)] == ["count_in"]


def test_edit_changes_price_and_archives_a_dropped_size(shop):
    saved = products.save(shop.uow, _tee())
    s, m, _ = saved.variants
    draft = ProductDraft(
        name="Tour tee 2026",
        category="Apparel",
        variants=(
            VariantDraft(sku=s.sku, options=s.options, price_cents=20_00, id=s.id),
            VariantDraft(sku=m.sku, options=m.options, price_cents=20_00, id=m.id),
        ),
    )
    again = products.save(shop.uow, draft, original=saved)
    assert again.version == saved.version + 1
    assert [v.archived for v in again.variants] == [False, False, True]
    assert catalog.find_by_code(shop.uow, "TOUR-TEE-L") is None
    assert shop.on_hand("TOUR-TEE-S") == 3  # stock is not the editor's to change


def test_the_importers_rules_name_the_field(shop):
    draft = ProductDraft(
        name="Poster copy",
        variants=(VariantDraft(sku="POSTER-2", price_cents=5_00, barcode="x" * 70),),
    )
    with pytest.raises(ProductError) as info:
        products.save(shop.uow, draft)
    assert info.value.problems[0].column == "barcode"
    assert info.value.problems[0].row == 0


def test_an_sku_of_another_product_is_refused(shop):
    draft = ProductDraft(name="Thief", variants=(VariantDraft(sku="POSTER", price_cents=1),))
    with pytest.raises(ProductError, match="POSTER"):
        products.save(shop.uow, draft)


def test_only_the_organizer_edits(shop):
    with pytest.raises(ProductError, match="Only the organizer"):
        products.save(shop.uow, _tee(), role="seller")


def test_the_later_of_two_saves_is_refused_naming_the_change(shop, engine: Engine):
    saved = products.save(shop.uow, _tee())
    mine, theirs = UnitOfWork(engine), UnitOfWork(engine)
    first = replace_price(saved, 0, 30_00)
    products.save(theirs, first, original=saved)
    with pytest.raises(ConflictError, match=r"after you opened it \(price of TOUR-TEE-S\)"):
        products.save(mine, replace_price(saved, 1, 22_00), original=saved)
    found = catalog.find_by_code(shop.uow, "TOUR-TEE-M")
    assert found is not None and found.price_cents == 25_00  # nothing of the refused save


def as_imported(saved: products.ProductRecord, **prices: int) -> list[ImportedVariant]:
    """The saved product as catalog-file rows, with some SKUs' prices changed."""
    return [
        ImportedVariant(
            row=i + 2,
            handle=saved.handle,
            product_name=saved.name,
            category=saved.category,
            sku=v.sku,
            options=dict(v.options),
            price=prices.get(v.sku, v.price_cents),
            quantity=v.on_hand,
        )
        for i, v in enumerate(saved.variants)
    ]


def test_an_editor_open_over_an_imported_change_is_refused(shop, engine: Engine):
    saved = products.save(shop.uow, _tee())
    unchanged = catalog.import_catalog(
        UnitOfWork(engine), ParsedCatalog("native", as_imported(saved)), source="same.csv"
    )
    assert unchanged.updated_variants == 0
    assert products.get(shop.uow, saved.id).version == saved.version  # nothing to refuse
    rows = as_imported(saved, **{"TOUR-TEE-M": 28_00})
    catalog.import_catalog(UnitOfWork(engine), ParsedCatalog("native", rows), source="new.csv")
    with pytest.raises(ConflictError, match=r"after you opened it \(price of TOUR-TEE-M\)"):
        products.save(UnitOfWork(engine), replace_price(saved, 0, 30_00), original=saved)
    found = catalog.find_by_code(shop.uow, "TOUR-TEE-S")
    assert found is not None and found.price_cents == 25_00  # nothing of the refused save
    fresh = products.get(shop.uow, saved.id)
    products.save(shop.uow, replace_price(fresh, 0, 30_00), original=fresh)  # reopened: fine


def test_an_editor_open_over_a_product_an_import_added_to_is_refused(shop, engine: Engine):
    saved = products.save(shop.uow, _tee())
    xl = ImportedVariant(
        row=5,
        handle=saved.handle,
        product_name=saved.name,
        category=saved.category,
        sku="TOUR-TEE-XL",
        options={"Size": "XL"},
        price=25_00,
    )
    rows = [*as_imported(saved), xl]
    catalog.import_catalog(UnitOfWork(engine), ParsedCatalog("native", rows), source="xl.csv")
    with pytest.raises(ConflictError, match=r"new variant TOUR-TEE-XL"):
        products.save(UnitOfWork(engine), replace_price(saved, 0, 30_00), original=saved)


def test_an_editor_open_over_a_bundle_an_import_repacked_is_refused(shop, engine: Engine):
    def pack(*parts: tuple[str, int]) -> ParsedCatalog:
        row = ImportedVariant(row=2, handle="pack", product_name="Pack", sku="PACK", price=40_00)
        row.components.extend(parts)
        return ParsedCatalog("native", [row])

    catalog.import_catalog(shop.uow, pack(("TEE-M", 1)), source="pack.csv")
    found = catalog.find_by_code(shop.uow, "PACK")
    assert found is not None
    opened = products.get(shop.uow, found.product_id)
    catalog.import_catalog(shop.uow, pack(("TEE-M", 1), ("POSTER", 1)), source="repack.csv")
    with pytest.raises(ConflictError, match=r"\(bundle parts of PACK\)"):
        products.save(UnitOfWork(engine), products.draft_of(opened), original=opened)


def replace_price(saved: products.ProductRecord, index: int, price: int) -> ProductDraft:
    return ProductDraft(
        name=saved.name,
        category=saved.category,
        variants=tuple(
            VariantDraft(
                sku=v.sku,
                options=v.options,
                id=v.id,
                price_cents=price if i == index else v.price_cents,
            )
            for i, v in enumerate(saved.variants)
        ),
    )


def test_archive_restore_and_delete_only_unsold(shop):
    saved = products.save(shop.uow, _tee(stock=0))
    archived = products.archive(shop.uow, saved)
    assert archived.archived
    assert catalog.find_by_code(shop.uow, "TOUR-TEE-S") is None
    restored = products.archive(shop.uow, archived, restore=True)
    assert not restored.archived
    products.delete(shop.uow, restored)
    assert all(r.product_name != "Tour tee" for r in products.rows(shop.uow))
    counted = products.save(shop.uow, _tee(stock=1))
    with pytest.raises(ProductError, match="archive it"):
        products.delete(shop.uow, counted)


def test_experience_fields_and_bad_slots(shop):
    draft = ProductDraft(
        name="Shoutout",
        kind="experience",
        time_minutes=3,
        capacity=20,
        slots="20:00-21:00/5",
        personalisation_prompt="Name",
        variants=(VariantDraft(sku="SHOUT", price_cents=10_00),),
    )
    saved = products.save(shop.uow, draft)
    assert (saved.slots_from, saved.slot_minutes, saved.personalisation_prompt) == (
        "20:00",
        5,
        "Name",
    )
    bad = ProductDraft(name="Bad", slots="8pm", variants=(VariantDraft(sku="BAD", price_cents=1),))
    with pytest.raises(ProductError) as info:
        products.save(shop.uow, bad)
    assert info.value.problems[0].column == "slots"


def test_names_for_the_editor(shop):
    products.save(shop.uow, _tee())
    assert "Apparel" in products.names(shop.uow, "category")


def test_edit_a_digital_item_leaves_its_code_pool(shop):
    row = next(r for r in products.rows(shop.uow) if r.sku == "DL-CARD")
    record = products.get(shop.uow, row.product_id)
    pool = shop.on_hand("DL-CARD")
    v = record.variants[0]
    draft = ProductDraft(
        name=record.name,
        kind=record.kind,
        category=record.category,
        variants=(VariantDraft(sku=v.sku, options=v.options, price_cents=5_00, id=v.id),),
    )
    saved = products.save(shop.uow, draft, original=record)
    assert saved.variants[0].price_cents == 5_00
    assert shop.on_hand("DL-CARD") == pool


def test_every_demo_product_saves_back_unchanged(shop):
    before = {r.sku: (r.price_cents, r.on_hand, r.archived) for r in products.rows(shop.uow)}
    for pid in sorted({r.product_id for r in products.rows(shop.uow)}):
        record = products.get(shop.uow, pid)
        saved = products.save(shop.uow, products.draft_of(record), original=record)
        assert saved.version == record.version + 1
    after = {r.sku: (r.price_cents, r.on_hand, r.archived) for r in products.rows(shop.uow)}
    assert after == before
