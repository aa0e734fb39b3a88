"""The end-of-night report: totals, breakdowns, editions, hours, pay times, experiences, stock."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import checkout, closing, events, inventory, payments, reports
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.events import EventError
from popup_pos.store import events as event_store
from popup_pos.store.models import Ticket


def set_tax(uow, rate_ppm, inclusive=False):
    with uow:
        ev = event_store.open_event(uow.session)
        ev.settings = {
            **ev.settings,
            "default_tax": {"name": "Sales tax", "rate_ppm": rate_ppm, "inclusive": inclusive},
        }
        uow.commit()


def pay_by_stripe(uow, order_id, amount, fee, key):
    pid = checkout.begin_payment(
        uow, order_id, "stripe_qr", amount, idempotency_key=key, request={}
    )
    return checkout.complete_payment(uow, pid, fee_cents=fee)


@pytest.fixture
def night(shop):
    """Three sales (tax, discount, tip, card fee), a refund, a part-paid and a cancelled order."""
    uow, reg = shop.uow, shop.register_id
    set_tax(uow, 100_000)
    s1 = checkout.sell(uow, reg, Cart((CartLine("TEE-M"),)))  # 30.00 + 3.00 tax
    checkout.sell(
        uow,
        reg,
        Cart((CartLine("POSTER", 2),), discount=Discount.percent(100_000), tip=Tip.amount(200)),
        (TenderSpec("wallet", reference="Venmo"),),
    )  # 30.00 - 3.00 + 2.70 tax + 2.00 tip = 31.70
    s3 = checkout.place_order(uow, reg, Cart((CartLine("LP-NIGHTS"),)))  # 28.00 + 2.80
    pay_by_stripe(uow, s3.order_id, s3.total_cents, 126, "lp")
    payments.refund_to_tenders(uow, s1.order_id)
    checkout.sell(uow, reg, Cart((CartLine("POSTER"),)), (TenderSpec("cash", amount=500),))
    gone = checkout.place_order(uow, reg, Cart((CartLine("TEE-L"),)))
    payments.cancel_order(uow, gone.order_id)
    return shop


def test_totals(night):
    r = reports.build_report(night.uow)
    t = r.totals
    assert (t.orders, t.units) == (3, 4)
    assert (t.gross, t.discounts, t.tax, t.tips) == (8800, 300, 850, 200)
    assert t.charged == 3300 + 3170 + 3080 == t.gross - t.discounts + t.tax + t.tips
    assert (t.refunds, t.net, t.fees, t.net_after_fees) == (3300, 6250, 126, 6124)
    assert t.deposits == 500
    assert t.average_order == 3183  # 95.50 / 3, rounded half up
    tenders = {x.tender: x for x in r.tenders}
    assert list(tenders) == ["cash", "wallet", "stripe_qr"]
    assert (tenders["cash"].amount, tenders["cash"].refunds) == (3300 + 500, 3300)
    assert tenders["stripe_qr"].fees == 126
    assert sum(x.net for x in r.tenders) == t.net + t.deposits
    assert r.cash.expected == 100_00 + 500
    assert r.cash.counted is None and r.cash.over_short is None


def test_breakdowns_add_up(night):
    r = reports.build_report(night.uow)
    total = sum(v.total for v in r.variants)
    for rows in (r.products, r.categories, r.owners):
        assert sum(x.total for x in rows) == total
        assert sum(x.refunds for x in rows) == sum(v.refunds for v in r.variants)
    assert total + r.totals.tips == r.totals.charged
    tee = next(v for v in r.variants if v.key == "TEE-M")
    assert (tee.units, tee.refunded_units, tee.total, tee.refunds, tee.net) == (1, 1, 3300, 3300, 0)
    assert {c.label for c in r.categories} == {"Apparel", "Art", "Music"}
    assert r.top_sellers[0].key == "POSTER"
    assert [(g.label, g.orders) for g in r.registers] == [("A", 3)]
    assert sum(h.orders for h in r.hours) == 3


def test_limited_edition_sells_out_and_comes_back(shop):
    uow, reg = shop.uow, shop.register_id
    inventory.adjust(uow, "PRINT-LTD", -47, "only three brought")
    t0 = datetime.now(UTC) - timedelta(minutes=30)
    checkout.sell(uow, reg, Cart((CartLine("PRINT-LTD", 2),)), now=t0)
    last = checkout.sell(uow, reg, Cart((CartLine("PRINT-LTD"),)), now=t0 + timedelta(minutes=7))
    r = reports.build_report(uow)
    (ed,) = r.editions
    assert (ed.sku, ed.edition_size, ed.numbered, ed.sold, ed.on_hand) == ("PRINT-LTD", 50, 3, 3, 0)
    assert ed.sold_out_at == t0 + timedelta(minutes=7)
    assert [(s.sku, s.at) for s in r.sold_out] == [("PRINT-LTD", ed.sold_out_at)]
    order = checkout.get_order(uow, last.order_id)
    payments.refund_to_tenders(
        uow, last.order_id, lines={order.lines[0].id: 1}, return_to_stock=True
    )
    r = reports.build_report(uow)
    assert r.editions[0].sold_out_at is None and r.sold_out == ()
    assert r.editions[0].numbered == 2


def test_hours_in_the_venue_time_zone(shop):
    uow, reg = shop.uow, shop.register_id
    base = datetime(2026, 6, 5, 23, 10, tzinfo=UTC)  # 18:10 in New York (UTC-5 in this test)
    for minutes in (0, 20, 140):
        checkout.sell(uow, reg, Cart((CartLine("POSTER"),)), now=base + timedelta(minutes=minutes))
    ny = timezone(timedelta(hours=-5))
    r = reports.build_report(uow, tz=ny)
    assert [(h.start.hour, h.orders, h.total) for h in r.hours] == [
        (18, 2, 3000),
        (19, 0, 0),
        (20, 1, 1500),
    ]
    assert r.hours[0].start.utcoffset() == timedelta(hours=-5)
    assert r.orders_per_hour == 1.0


def test_time_from_order_to_paid(shop):
    uow, reg = shop.uow, shop.register_id
    checkout.sell(uow, reg, Cart((CartLine("POSTER"),)))
    started = datetime.now(UTC) - timedelta(minutes=10)
    slow = checkout.place_order(uow, reg, Cart((CartLine("POSTER"),)), now=started)
    checkout.add_payment(uow, slow.order_id, TenderSpec("cash"))
    pt = reports.build_report(uow).pay_time
    assert pt.orders == 2 and pt.median_s == pytest.approx(0, abs=1)
    assert pt.max_s == pytest.approx(600, abs=30)
    assert pt.average_s == pytest.approx(300, abs=15)


def test_experiences_with_and_without_tickets(shop):
    uow, reg = shop.uow, shop.register_id
    sold = checkout.sell(uow, reg, Cart((CartLine("SHOUTOUT-60", personalisation="Sam"),)))
    ex = reports.build_report(uow).experiences
    assert (ex.units, ex.revenue) == (1, 2000)
    assert ex.average_fulfil_s is None and ex.average_wait_s is None
    line = checkout.get_order(uow, sold.order_id).lines[0]
    t0 = datetime.now(UTC) - timedelta(minutes=20)
    with uow:
        uow.session.execute(Ticket.__table__.delete())
        uow.session.add_all(
            [
                Ticket(
                    event_id=shop.event.id,
                    order_line_id=line.id,
                    status="done",
                    created_at=t0,
                    called_at=t0 + timedelta(minutes=4),
                    done_at=t0 + timedelta(minutes=6),
                ),
                Ticket(
                    event_id=shop.event.id,
                    order_line_id=line.id,
                    status="no_show",
                    created_at=t0,
                    called_at=t0 + timedelta(minutes=8),
                ),
                Ticket(event_id=shop.event.id, order_line_id=line.id, created_at=t0),
            ]
        )
        uow.commit()
    ex = reports.build_report(uow).experiences
    assert (ex.tickets, ex.done, ex.no_show, ex.waiting) == (3, 1, 1, 1)
    assert ex.average_fulfil_s == pytest.approx(360, abs=1)
    assert ex.average_wait_s == pytest.approx(360, abs=1)  # (4 + 8) / 2 minutes


def test_stock_over_the_event(shop):
    uow, reg = shop.uow, shop.register_id
    inventory.count_in(uow, "POSTER", 10)
    inventory.adjust(uow, "POSTER", -1, "torn")
    inventory.comp(uow, "POSTER", 2, "crew")
    r = checkout.sell(uow, reg, Cart((CartLine("POSTER", 3),)))
    line = checkout.get_order(uow, r.order_id).lines[0]
    payments.refund_to_tenders(uow, r.order_id, lines={line.id: 1}, return_to_stock=True)
    gone = checkout.place_order(uow, reg, Cart((CartLine("POSTER"),)))
    payments.cancel_order(uow, gone.order_id)
    (poster,) = [s for s in reports.stock_lines(uow) if s.sku == "POSTER"]
    assert (poster.opening, poster.counted_in, poster.sold, poster.refunded_to_stock) == (
        40,
        10,
        3,
        1,
    )
    assert (poster.adjusted, poster.comped, poster.expected) == (-1, 2, 45)
    assert poster.counted_out is None and poster.shrinkage == 0
    assert shop.on_hand("POSTER") == poster.expected


def test_empty_event_and_unknown_events(uow, shop):
    r = reports.build_report(uow)
    assert r.totals.orders == 0 and r.hours == () and r.pay_time.median_s is None
    assert r.orders_per_hour is None
    with pytest.raises(EventError, match="no event 99"):
        reports.build_report(uow, 99)
    with pytest.raises(EventError, match="no event has been closed"):
        reports.build_report(uow, "last")
    with pytest.raises(EventError, match="event id, 'current' or 'last'"):
        reports.build_report(uow, "yesterday")


def test_past_event_is_reported_as_it_closed(shop):
    uow, reg = shop.uow, shop.register_id
    checkout.sell(uow, reg, Cart((CartLine("POSTER"),)))
    closing.close_event(uow, 100_00 + 1500)
    before = reports.build_report(uow, "last")
    events.open_event(uow, "Saturday")
    reg2 = events.join_register(uow, "A").id
    checkout.sell(uow, reg2, Cart((CartLine("POSTER", 2),)))
    inventory.count_in(uow, "POSTER", 5)
    after = reports.build_report(uow, before.event.id)
    assert after.totals == before.totals
    assert after.stock == before.stock
    assert reports.build_report(uow).event.name == "Saturday"
