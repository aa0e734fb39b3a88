"""The back office's download codes: pools counted with held codes, found, voided once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.services import checkout, code_pool, staff
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.services.code_pool import CodePoolError
from popup_pos.services.views import StaffInfo
from popup_pos.store.models import AuditEntry
from tests.conftest import Shop
from tests.services.test_printing import add_variants, variant


@pytest.fixture
def boss(shop: Shop) -> StaffInfo:
    staff.set_organizer(shop.uow, "Ada", "246800")
    return next(s for s in staff.list_staff(shop.uow) if s.role == "organizer")


SELLER = StaffInfo(id=0, name="Sam", role="seller", event_id=None, active=True)


def _pool(shop: Shop) -> code_pool.PoolCount:
    (pool,) = [p for p in code_pool.pool_counts(shop.uow) if p.sku == "DL-CARD"]
    return pool


def test_an_unpaid_order_holds_a_code_and_a_sale_assigns_one(shop):
    checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 2),)))
    pool = _pool(shop)
    assert (pool.unused, pool.held, pool.assigned, pool.void) == (298, 1, 2, 0)


def test_a_pool_imported_through_the_back_office_is_the_organizers(shop, boss, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("NEW-0001\nNEW-0002\n")
    with pytest.raises(CodePoolError, match="only the organizer can import download codes"):
        code_pool.import_pool(shop.uow, "dl-card", path, by=SELLER)
    assert code_pool.import_pool(shop.uow, "dl-card", path, by=boss).added == 2
    assert _pool(shop).unused == 302
    with pytest.raises(CatalogFileError, match="row 1, column 'code'"):
        code_pool.import_pool(shop.uow, "DL-CARD", path, by=boss)
    assert _pool(shop).unused == 302


def test_find_a_code_names_the_order_that_got_it(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    given = sold.codes[0].code
    (found,) = code_pool.find_code(shop.uow, f"  {given.lower()} ")
    assert (found.code, found.sku, found.status) == (given, "DL-CARD", "assigned")
    assert (found.order_number, found.event_name) == (sold.number, "Test night")
    assert code_pool.find_code(shop.uow, "NO-SUCH-CODE") == []
    for bad, said in (("", "type or scan"), ("two words", "no spaces"), ("x" * 201, "no spaces")):
        with pytest.raises(CodePoolError, match=said):
            code_pool.find_code(shop.uow, bad)


def test_voiding_an_unused_code_takes_it_off_the_stock_once(shop, boss):
    before = shop.on_hand("DL-CARD")
    (pool_code,) = code_pool.find_code(shop.uow, _an_unused_code(shop))
    with pytest.raises(CodePoolError, match="only the organizer can void"):
        code_pool.void_code(shop.uow, pool_code.id, by=SELLER)
    done = code_pool.void_code(shop.uow, pool_code.id, by=boss, reason="leaked online")
    assert (done.was, done.code.status, done.stock_left) == ("unused", "void", before - 1)
    assert done.code.voided_at is not None
    assert shop.on_hand("DL-CARD") == before - 1
    pool = _pool(shop)
    assert (pool.unused, pool.void) == (299, 1)
    with pytest.raises(CodePoolError, match="already void"):
        code_pool.void_code(shop.uow, pool_code.id, by=boss)
    with pytest.raises(CodePoolError, match="no download code with id 999999"):
        code_pool.void_code(shop.uow, 999_999, by=boss)
    last = _last_audit(shop)
    assert (last.action, last.entity_id, last.actor) == ("codes.void", pool_code.code, "Ada")


def test_voiding_an_assigned_code_keeps_the_order_and_the_stock(shop, boss):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    on_hand = shop.on_hand("DL-CARD")
    (given,) = code_pool.find_code(shop.uow, sold.codes[0].code)
    done = code_pool.void_code(shop.uow, given.id, by=boss)
    assert (done.was, done.stock_left, done.code.order_number) == ("assigned", None, sold.number)
    assert shop.on_hand("DL-CARD") == on_hand


def test_a_code_held_for_an_unpaid_order_cannot_be_voided_from_under_it(shop, boss, tmp_path):
    add_variants(shop, variant("DL-ONE", kind="digital"))
    path = tmp_path / "one.txt"
    path.write_text("ONLY-ONE\n")
    code_pool.import_pool(shop.uow, "DL-ONE", path, by=boss)
    checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("DL-ONE"),)))
    assert [(p.unused, p.held) for p in code_pool.pool_counts(shop.uow) if p.sku == "DL-ONE"] == [
        (1, 1)
    ]
    (held,) = code_pool.find_code(shop.uow, "ONLY-ONE")
    with pytest.raises(CodePoolError, match="held by an order awaiting payment"):
        code_pool.void_code(shop.uow, held.id, by=boss)
    assert code_pool.find_code(shop.uow, "ONLY-ONE")[0].status == "unused"


def _an_unused_code(shop: Shop) -> str:
    # The demo pool (assets/demo/download-codes.txt) starts with this one.
    return "233x-tptu"


def _last_audit(shop: Shop) -> AuditEntry:
    with shop.uow:
        newest = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
        return shop.uow.session.scalars(newest).one()
