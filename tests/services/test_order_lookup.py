"""Finding orders by number, SKU, amount, time or code, this event's or every event's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from popup_pos.services import checkout, closing, events, order_lookup, payments
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.services.order_lookup import OrderLookupError, parse_search
from tests.conftest import Shop


def _numbers(shop: Shop, text: str, **kw: bool) -> list[str]:
    _search, rows = order_lookup.search_orders(shop.uow, text, **kw)
    return [r.number for r in rows]


def test_search_by_number_sku_amount_and_code(shop):
    tee = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 2),)))
    card = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    assert _numbers(shop, "") == [card.number, tee.number]
    assert _numbers(shop, tee.number.lower()) == [tee.number]
    assert _numbers(shop, "tee-m") == [tee.number]
    code = card.codes[0].code
    assert _numbers(shop, code.upper()) == [card.number]
    money = f"{tee.total_cents // 100}.{tee.total_cents % 100:02d}"
    assert tee.number in _numbers(shop, money)
    assert tee.number in _numbers(shop, "$" + money)
    assert _numbers(shop, "NOTHING-LIKE-THIS") == []
    _search, (row,) = order_lookup.search_orders(shop.uow, tee.number)
    assert (row.units, row.total_cents, row.tenders, row.status) == (
        2, tee.total_cents, ("cash",), "paid"
    )  # fmt: skip


def test_search_by_time_finds_orders_within_a_quarter_hour(shop):
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)), now=noon)
    assert _numbers(shop, "12:10") == [sold.number]
    assert _numbers(shop, "11:46") == [sold.number]
    assert _numbers(shop, "12:40") == []
    assert _numbers(shop, noon.strftime("%Y-%m-%d")) == [sold.number]
    assert _numbers(shop, (noon + timedelta(days=1)).strftime("%Y-%m-%d")) == []


def test_past_events_orders_only_when_asked(shop):
    old = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    closing.close_event(shop.uow, 100_00 + old.total_cents)
    # No event open: every event's orders.
    after_close, rows = order_lookup.search_orders(shop.uow, old.number)
    assert after_close.every_event and [r.number for r in rows] == [old.number]
    events.open_event(shop.uow, "Second night", currency="USD", float_cents=0)
    register = events.join_register(shop.uow, "A")
    new = checkout.sell(shop.uow, register.id, Cart((CartLine("TEE-M"),)))
    assert new.number == old.number  # numbers start again each event
    this_event, now = order_lookup.search_orders(shop.uow, new.number)
    assert not this_event.every_event
    _s, every = order_lookup.search_orders(shop.uow, new.number, every_event=True)
    assert [r.event_name for r in now] == ["Second night"]
    assert [r.event_name for r in every] == ["Second night", "Test night"]


def test_bad_searches_say_what_to_type():
    for text, said in (
        ("25:99", "not a time"),
        ("2026-13-40", "not a date"),
        ("!!", "nothing to search for"),
        ("x" * 201, "too long"),
    ):
        with pytest.raises(OrderLookupError, match=said):
            parse_search(text)
    read = parse_search("12,5", currency="EUR")
    assert read.match is not None and read.match.amount_cents == 1250
    assert parse_search("500", currency="JPY").match.amount_cents == 500
    assert parse_search("   ").match is None
    grouped = parse_search("$1,500.00")
    assert grouped.match is not None and grouped.match.amount_cents == 150_000
    assert grouped.read_as == ("amount",)
    other = parse_search("€12", currency="USD")  # not this event's money: not an amount
    assert other.match is not None and other.match.amount_cents is None


def test_opening_an_order_shows_its_lines_payments_codes_and_refunds(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD", 2),)))
    detail = order_lookup.open_order(shop.uow, sold.number.lower())
    assert detail.head.number == sold.number and detail.head.event_open
    assert [(ln.sku, ln.quantity) for ln in detail.lines] == [("DL-CARD", 2)]
    assert [(p.tender, p.amount_cents) for p in detail.payments] == [("cash", sold.total_cents)]
    assert sorted(c.code for c in detail.codes) == sorted(c.code for c in sold.codes)
    assert detail.refundable and detail.tickets == ()
    payments.refund_to_tenders(shop.uow, sold.order_id)
    again = order_lookup.open_order(shop.uow, sold.order_id)
    assert again.head.status == "refunded" and not again.refundable
    assert [r.amount_cents for r in again.refunds] == [sold.total_cents]
    assert {c.status for c in again.codes} == {"void"}
    with pytest.raises(OrderLookupError, match="no order 'Z-9999'"):
        order_lookup.open_order(shop.uow, "Z-9999")
    with pytest.raises(OrderLookupError, match="no order '999999'"):
        order_lookup.open_order(shop.uow, 999_999)


def test_a_time_is_read_in_the_local_zone_and_searched_in_utc():
    read = parse_search("21:30", tz=UTC, today=datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    assert read.match is not None
    assert read.match.between == (
        datetime(2026, 12, 4, 21, 15, tzinfo=UTC),
        datetime(2026, 12, 4, 21, 45, tzinfo=UTC),
    )
