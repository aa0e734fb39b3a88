"""Stock and buyers' counts through the unit of work: takes, puts, ledger, holds, salt."""

from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import sale_stock as sale_stock_store


def test_take_put_and_the_ledger(shop):
    with shop.uow:
        v = sale_stock_store.lock_by_sku(shop.uow, "POSTER")
        assert v is not None and v.kind == "item" and v.track_stock is True
        assert sale_stock_store.take(shop.uow, v.id, 2)
        assert not sale_stock_store.take(shop.uow, v.id, v.on_hand)  # one short now
        sale_stock_store.put(shop.uow, v.id, 1)
        sale_stock_store.log_moves(
            shop.uow, [sale_stock_store.StockMove(v.id, "adjustment", -1, reason="test")]
        )
        assert sale_stock_store.on_hand(shop.uow, v.id) == v.on_hand - 1
        assert sale_stock_store.tracked_ids(shop.uow, [v.id]) == {v.id}
    assert shop.on_hand("POSTER") == v.on_hand  # never committed: leaving the with rolled back


def test_an_unpaid_order_holds_its_stock(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 3),)))
    with shop.uow:
        v = sale_stock_store.lock_by_sku(shop.uow, "TEE-M")
        held = sale_stock_store.held_by_order(shop.uow, placed.order_id)
    assert v is not None and held == [sale_stock_store.Held(v.id, 3)]


def test_the_customer_salt_is_set_once(shop):
    with shop.uow:
        assert sale_stock_store.customer_salt(shop.uow, shop.event.id) is None
        first = sale_stock_store.set_customer_salt(shop.uow, shop.event.id, "one")
        again = sale_stock_store.set_customer_salt(shop.uow, shop.event.id, "two")
        assert (first, again) == ("one", "one")
        v = sale_stock_store.lock_by_sku(shop.uow, "POSTER")
        assert v is not None
        sale_stock_store.lock_variants(shop.uow, [v.id])
        assert sale_stock_store.bought(shop.uow, shop.event.id, "nobody", [v.id]) == {}
