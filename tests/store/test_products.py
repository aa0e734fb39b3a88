"""The catalog window's store: whole products, conditional version bumps, the ledger."""

from popup_pos.store import catalog, products
from popup_pos.store.uow import UnitOfWork


def test_versions_bump_once_and_a_stale_write_loses(shop):
    uow: UnitOfWork = shop.uow
    with uow:
        row = next(r for r in products.list_rows(uow) if r.sku == "POSTER")
        record = products.load(uow, row.product_id)
        assert record is not None and record.version == 1
        assert products.update_product(uow, record.id, 1, {"name": "Poster A2"})
        assert not products.update_product(uow, record.id, 1, {"name": "Poster A3"})
        again = products.load(uow, record.id)
        assert again is not None and (again.name, again.version) == ("Poster A2", 2)
        uow.commit()


def test_ledger_sold_check_and_catalog_token(shop):
    uow: UnitOfWork = shop.uow
    with uow:
        before = catalog.catalog_version(uow)
        products.touch_catalog(uow)
        assert catalog.catalog_version(uow) != before
        vid = products.variant_id(uow, "POSTER")
        assert vid is not None
        products.count_in(uow, vid, 4, reason="test")
        assert products.ledger(uow, vid)[0].quantity == 4
        assert products.ever_sold(uow, [vid])
        names = products.names(uow, "category")
        assert names == sorted(names)
        uow.commit()
