"""The code-pool store: counts per state, lookup by code, a void that only wins once."""

from __future__ import annotations

from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import code_pool
from popup_pos.store.models import utcnow


def test_a_void_is_one_conditional_update(shop):
    uow = shop.uow
    with uow:
        (found,) = code_pool.find(uow, "233X-TPTU")
        assert (found.status, found.order_id, found.sku) == ("unused", None, "DL-CARD")
        assert code_pool.mark_void(uow, found.id, "unused", utcnow())
        # A second register that read it as unused loses: nothing is voided twice.
        assert not code_pool.mark_void(uow, found.id, "unused", utcnow())
        uow.commit()
    with uow:
        again = code_pool.one(uow, found.id)
        assert again is not None and again.status == "void" and again.voided_at is not None
        (pool,) = [p for p in code_pool.pool_counts(uow) if p.sku == "DL-CARD"]
        assert (pool.unused, pool.void) == (299, 1)


def test_handed_out_lists_the_events_codes_with_their_orders(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 2),)))
    with shop.uow:
        rows = list(code_pool.handed_out(shop.uow, shop.event.id))
        assert code_pool.handed_out_count(shop.uow, shop.event.id) == 2
        assert code_pool.handed_out_count(shop.uow, shop.event.id + 1) == 0
    assert [(r.code, r.order_number, r.status) for r in rows] == [
        (c.code, sold.number, "assigned") for c in sold.codes
    ]
