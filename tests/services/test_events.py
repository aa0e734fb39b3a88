"""Events: one open at a time, registers, and a closed event stays closed."""

import pytest

from popup_pos.services import checkout, closing, events, inventory, reports
from popup_pos.services.checkout import Cart, CartLine
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


def test_bad_event_input(uow):
    with pytest.raises(EventError, match="needs a name"):
        events.open_event(uow, "  ")
    with pytest.raises(EventError, match="negative"):
        events.open_event(uow, "x", float_cents=-1)
    with pytest.raises(Exception, match="unknown currency"):
        events.open_event(uow, "x", currency="XXX")


def test_closed_event_is_locked(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    closing.close_event(shop.uow, 115_00)
    before = reports.build_report(shop.uow, "last")
    with pytest.raises(checkout.CheckoutError, match="no event is open"):
        checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    inventory.count_in(shop.uow, "POSTER", 5)
    inventory.adjust(shop.uow, "TEE-M", -1, "found damaged next day")
    after = reports.build_report(shop.uow, "last")
    assert after.stock == before.stock and after.totals == before.totals
    with pytest.raises(EventError, match="no event is open"):
        closing.close_event(shop.uow, 0)
