"""Stock through the unit of work: the conditional take, puts, the ledger, locks and holds."""

from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import stock as stock_store


def test_take_put_and_the_ledger(shop):
    with shop.uow:
        v = stock_store.lock_by_sku(shop.uow, "POSTER")
        assert v is not None and v.kind == "item" and v.track_stock is True
        assert stock_store.take(shop.uow, v.id, 2)
        assert not stock_store.take(shop.uow, v.id, v.on_hand)  # one short now
        stock_store.put(shop.uow, v.id, 1)
        stock_store.log_moves(
            shop.uow, [stock_store.StockMove(v.id, "adjustment", -1, reason="test")]
        )
        assert stock_store.on_hand(shop.uow, v.id) == v.on_hand - 1
        assert stock_store.tracked_ids(shop.uow, [v.id]) == {v.id}
    assert shop.on_hand("POSTER") == v.on_hand  # never committed: leaving the with rolled back


def test_take_never_goes_below_zero_and_the_ledger_follows(shop):
    uow = shop.uow
    with uow:
        v = stock_store.lock_by_sku(uow, "POSTER")
        assert v is not None and stock_store.lock_by_sku(uow, "NO-SUCH") is None
        before = stock_store.ledger_sum(uow, "POSTER")
        assert not stock_store.take(uow, v.id, v.on_hand + 1)
        assert stock_store.take(uow, v.id, v.on_hand)
        assert not stock_store.take(uow, v.id, 1)
        stock_store.log_moves(uow, [stock_store.StockMove(v.id, "adjustment", -v.on_hand)])
        stock_store.log_moves(uow, [])
        uow.commit()
    with uow:
        assert stock_store.on_hand(uow, v.id) == 0
        assert stock_store.ledger_sum(uow, "POSTER") == before - v.on_hand


def test_set_tracked_and_edition_room_of_open_stock(shop):
    with shop.uow:
        v = stock_store.lock_by_sku(shop.uow, "POSTER")
        assert v is not None
        stock_store.set_tracked(shop.uow, v.id)
        assert stock_store.tracked_ids(shop.uow, [v.id]) == {v.id}
        assert stock_store.edition_room(shop.uow, v.id) is None


def test_an_unpaid_order_holds_its_stock(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 3),)))
    with shop.uow:
        v = stock_store.lock_by_sku(shop.uow, "TEE-M")
        held = stock_store.held_by_order(shop.uow, placed.order_id)
    assert v is not None and held == [stock_store.Held(v.id, 3)]
