"""Events: one open at a time, registers, cash-up arithmetic."""

import pytest

from popup_pos.services import checkout, events
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.events import EventError


def test_one_open_event_per_database(uow):
    events.open_event(uow, "Night one", float_cents=5000)
    with pytest.raises(EventError, match="'Night one' is still open"):
        events.open_event(uow, "Night two")


def test_register_codes(uow):
    events.open_event(uow, "Night")
    a = events.join_register(uow, "a")
    assert a.code == "A"
    assert events.join_register(uow, "A").id == a.id
    for bad in ("", "1A", "TOOLONG", "A-1"):
        with pytest.raises(EventError, match="register code"):
            events.join_register(uow, bad)


def test_join_needs_open_event(uow):
    with pytest.raises(EventError, match="no event is open"):
        events.join_register(uow, "A")


def test_close_computes_over_short(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))  # 30.00 cash
    checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("POSTER"),)),
        (TenderSpec("wallet", reference="Venmo"),),
    )  # fmt: skip
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("LP-NIGHTS"),)))
    checkout.refund(shop.uow, r.order_id)  # 28.00 cash back
    events.record_cash_movement(shop.uow, "paid_out", 1000, "ice for the cooler")
    events.record_cash_movement(shop.uow, "paid_in", 2000, "change from the bank")
    result = events.close_event(shop.uow, 100_00 + 3000 + 2800 - 2800 - 1000 + 2000 - 150)
    assert result.cash.expected_cents == 100_00 + 3000 - 1000 + 2000
    assert result.over_short_cents == -150
    assert events.current_event(shop.uow) is None
    listed = events.list_events(shop.uow)
    assert listed[0][0].status == "closed" and listed[0][1] == 3


def test_close_refused_while_orders_wait(shop):
    r = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    with pytest.raises(EventError, match=r.number):
        events.close_event(shop.uow, 0)


def test_bad_event_input(uow):
    with pytest.raises(EventError, match="needs a name"):
        events.open_event(uow, "  ")
    with pytest.raises(EventError, match="negative"):
        events.open_event(uow, "x", float_cents=-1)
    with pytest.raises(Exception, match="unknown currency"):
        events.open_event(uow, "x", currency="XXX")
