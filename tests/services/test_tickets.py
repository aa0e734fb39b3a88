"""Experiences: capacity and time slots refuse overbooking; tickets move through the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, checkout, payments, tickets
from popup_pos.services.checkout import Cart, CartLine, LimitError, TenderSpec

# 19:00 local on a Tuesday, before the slots start: whatever the machine's time zone.
EVENING = datetime(2026, 11, 24, 19, 0).astimezone()


def _local(hour: int, minute: int, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute).astimezone()


def _add(shop, sku: str, **kw) -> None:
    fields: dict[str, Any] = {
        "row": 2,
        "handle": sku.lower(),
        "product_name": sku.title(),
        "price": 1000,
    }
    fields.update(kw)
    parsed = ParsedCatalog("native", [ImportedVariant(sku=sku, kind="experience", **fields)])
    catalog.import_catalog(shop.uow, parsed, source="test")


def _sell(shop, sku: str, qty: int = 1, *, now: datetime = EVENING, **kw) -> checkout.OrderResult:
    cart = Cart((CartLine(sku, qty, personalisation=kw.pop("name", None)),))
    return checkout.sell(shop.uow, shop.register_id, cart, now=now, **kw)


def _tickets(shop, order_id: int) -> list[tickets.TicketView]:
    return tickets.of_order(shop.uow, order_id)


def test_capacity_refuses_the_place_too_many(shop):
    _add(shop, "BOOTH", capacity=3, time_minutes=4)
    _sell(shop, "BOOTH", 2)
    with pytest.raises(LimitError, match="only 1 of 3 places left"):
        _sell(shop, "BOOTH", 2)
    _sell(shop, "BOOTH")
    with pytest.raises(LimitError, match=r"fully booked \(3 places\)"):
        _sell(shop, "BOOTH")


def test_an_unpaid_order_holds_its_place_and_a_cancel_frees_it(shop):
    _add(shop, "BOOTH", capacity=1)
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("BOOTH"),)))
    assert [t.status for t in _tickets(shop, placed.order_id)] == ["held"]
    assert tickets.state(shop.uow).tickets == []  # not in the queue until it is paid
    with pytest.raises(LimitError, match="fully booked"):
        _sell(shop, "BOOTH")
    payments.cancel_order(shop.uow, placed.order_id)
    assert [t.status for t in _tickets(shop, placed.order_id)] == ["cancelled"]
    _sell(shop, "BOOTH")


def test_paying_later_puts_the_ticket_in_the_queue_at_payment_time(shop):
    _add(shop, "BOOTH", capacity=5)
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("BOOTH"),)))
    checkout.add_payment(shop.uow, placed.order_id, TenderSpec("cash"))
    (ticket,) = tickets.state(shop.uow).tickets
    assert ticket.status == "waiting" and ticket.number == placed.number


def test_a_refund_gives_the_place_back(shop):
    _add(shop, "BOOTH", capacity=1)
    sold = _sell(shop, "BOOTH")
    order = checkout.get_order(shop.uow, sold.order_id)
    payments.refund_to_tenders(shop.uow, sold.order_id, lines={order.lines[0].id: 1})
    assert [t.status for t in _tickets(shop, sold.order_id)] == ["cancelled"]
    _sell(shop, "BOOTH")


def test_time_slots_go_in_order_and_never_twice(shop):
    _add(shop, "PORTRAIT", slots="20:00-20:30/10", time_minutes=10)
    first = _sell(shop, "PORTRAIT", 2)
    second = _sell(shop, "PORTRAIT")
    slots = [t.slot_at for o in (first, second) for t in _tickets(shop, o.order_id)]
    assert slots == [_local(20, 0), _local(20, 10), _local(20, 20)]
    with pytest.raises(LimitError, match=r"no time slot left tonight \(slots 20:00-20:30/10\)"):
        _sell(shop, "PORTRAIT")


def test_a_slot_that_is_over_is_not_sold_and_a_cancelled_one_is_sold_again(shop):
    _add(shop, "PORTRAIT", slots="20:00-20:30/10")
    late = _local(20, 12)
    placed = checkout.place_order(
        shop.uow, shop.register_id, Cart((CartLine("PORTRAIT"),)), now=late
    )
    # 20:00 is over; 20:10 is still running, so it is the first one sold.
    assert [t.slot_at for t in _tickets(shop, placed.order_id)] == [_local(20, 10)]
    with pytest.raises(LimitError, match="only 1 time slot"):
        _sell(shop, "PORTRAIT", 2, now=late)
    payments.cancel_order(shop.uow, placed.order_id)
    again = _sell(shop, "PORTRAIT", 2, now=late)
    assert [t.slot_at for t in _tickets(shop, again.order_id)] == [_local(20, 10), _local(20, 20)]


def test_after_midnight_the_slots_are_still_tonights(shop):
    _add(shop, "LATE", slots="23:30-00:30/30")
    sold = _sell(shop, "LATE", now=_local(0, 5, day=25))
    assert [t.slot_at for t in _tickets(shop, sold.order_id)] == [_local(0, 0, day=25)]


def test_queue_times_and_call_next_serve_walk_ins_before_later_slots(shop):
    _add(shop, "PORTRAIT", slots="20:00-21:00/10", time_minutes=10)
    _add(shop, "HUG", time_minutes=2)
    slot = _sell(shop, "PORTRAIT", now=_local(19, 0))  # takes 20:00
    walk_in = _sell(shop, "HUG", now=_local(19, 5), name="Sam")
    (slot_ticket,) = _tickets(shop, slot.order_id)
    (hug,) = _tickets(shop, walk_in.order_id)
    assert hug.personalisation == "Sam"

    assert tickets.call_next(shop.uow, now=_local(19, 6)) == hug.id
    tickets.move(shop.uow, hug.id, "done", now=_local(19, 9))
    assert tickets.call_next(shop.uow, now=_local(19, 10)) == slot_ticket.id
    assert tickets.call_next(shop.uow, now=_local(19, 11)) is None
    done = tickets.find(shop.uow, hug.id)
    assert done is not None and done.status == "done"
    assert done.created_at == _local(19, 5).astimezone(UTC)
    assert done.called_at == _local(19, 6).astimezone(UTC)
    assert done.done_at == _local(19, 9).astimezone(UTC)


def test_estimated_wait_follows_the_queue(shop):
    _add(shop, "HUG", time_minutes=3)
    now = _local(21, 0)
    for minute in range(3):
        _sell(shop, "HUG", now=now + timedelta(minutes=minute))
    state = tickets.state(shop.uow, now=now + timedelta(minutes=3))
    assert [round(t.wait_minutes or 0) for t in state.tickets] == [0, 3, 6]
    assert state.walk_in_minutes == pytest.approx(9)
    first = state.tickets[0]
    tickets.call(shop.uow, first.id, now=now + timedelta(minutes=3))
    state = tickets.state(shop.uow, now=now + timedelta(minutes=4))
    # The called fan has 2 of their 3 minutes left; the next two follow.
    assert [t.wait_minutes for t in state.tickets[1:]] == [pytest.approx(2), pytest.approx(5)]
    assert state.waiting == 2 and state.called == 1


def test_scanning_a_ticket_code_calls_it_up(shop):
    _add(shop, "HUG")
    sold = _sell(shop, "HUG")
    (t,) = _tickets(shop, sold.order_id)
    assert tickets.parse_ticket_code(t.code.lower()) == t.id
    assert tickets.parse_ticket_code("TEE-M") is None
    assert tickets.parse_ticket_code("GIG-١") is None  # only the digits a label prints
    called = tickets.call(shop.uow, t.id)
    assert called.status == "called"
    again = tickets.call(shop.uow, t.id)  # scanned twice: stays called, keeps its time
    assert again.called_at == called.called_at
    with pytest.raises(tickets.TicketError, match="no ticket GIG-999999"):
        tickets.call(shop.uow, 999_999)


def test_a_ticket_that_is_not_paid_for_cannot_be_called(shop):
    _add(shop, "HUG")
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("HUG"),)))
    (t,) = _tickets(shop, placed.order_id)
    with pytest.raises(tickets.TicketError, match="not paid for yet"):
        tickets.call(shop.uow, t.id)


def test_no_register_can_take_the_ticket_prefix(shop):
    from popup_pos.services import events
    from popup_pos.services.events import EventError

    with pytest.raises(EventError, match="register code 'GIG' is taken by ticket codes"):
        events.join_register(shop.uow, "gig")


def test_places_left_tonight_for_the_tiles(shop):
    _add(shop, "BOOTH", capacity=3)
    _add(shop, "PORTRAIT", slots="20:00-20:30/10")
    _add(shop, "HUG")  # neither: no corner of its own
    _sell(shop, "BOOTH", 2)
    _sell(shop, "PORTRAIT")
    places = tickets.state(shop.uow, now=EVENING).places
    ids = {v.sku: v.id for v in catalog.list_variants(shop.uow)}
    assert places[ids["BOOTH"]] == tickets.Places(1)
    assert places[ids["BOOTH"]].badge == "1 left"
    assert places[ids["PORTRAIT"]] == tickets.Places(2, _local(20, 10))
    assert places[ids["PORTRAIT"]].badge == "next 20:10"
    assert ids["HUG"] not in places
    _sell(shop, "BOOTH")
    assert tickets.state(shop.uow, now=EVENING).places[ids["BOOTH"]].badge == "FULL"
    late = tickets.state(shop.uow, now=_local(20, 31)).places[ids["PORTRAIT"]]
    assert late.badge == "OVER"  # every slot has ended
    _sell(shop, "PORTRAIT", 2)
    assert tickets.state(shop.uow, now=EVENING).places[ids["PORTRAIT"]].badge == "FULL"
