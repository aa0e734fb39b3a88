"""The report's SQL: fee lines, customer counts, experience tickets and the tickets stream."""

from datetime import UTC, datetime, timedelta

from popup_pos.services import checkout, payments, tickets
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import reports as reports_store

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def by_stripe(uow, reg, cart, fee, key):
    placed = checkout.place_order(uow, reg, cart)
    pid = checkout.begin_payment(
        uow, placed.order_id, "stripe_card", placed.total_cents, idempotency_key=key, request={}
    )
    checkout.complete_payment(uow, pid, fee_cents=fee)
    return placed


def test_fee_lines_are_the_kept_orders_lines_with_their_fees(shop):
    uow, reg = shop.uow, shop.register_id
    two = by_stripe(uow, reg, Cart((CartLine("POSTER"), CartLine("TEE-M"))), 99, "two")
    gone = by_stripe(uow, reg, Cart((CartLine("POSTER"),)), 50, "gone")
    payments.refund_to_tenders(uow, gone.order_id)  # refunded in full: nothing kept to bear the fee
    checkout.sell(uow, reg, Cart((CartLine("LP-NIGHTS"),)))  # cash: no fee
    checkout.sell(uow, reg, Cart((CartLine(None, unit_price=500, name="Tip jar"),)))
    variant = {r.sku: r.variant_id for r in checkout.get_order(uow, two.order_id).lines}
    with uow:
        rows = [tuple(r) for r in reports_store.fee_lines(uow, shop.event.id)]
    assert [(int(o), int(f), v, c, int(t)) for o, f, v, c, t in rows] == [
        (two.order_id, 99, variant["POSTER"], None, 1500),
        (two.order_id, 99, variant["TEE-M"], None, 3000),
    ]


def test_customer_counts_never_return_a_hash(shop):
    uow, reg = shop.uow, shop.register_id
    for who in ("@a", "@b", "@A", None, "@c"):
        checkout.sell(uow, reg, Cart((CartLine("POSTER"),), customer=who))
    cancelled = checkout.place_order(uow, reg, Cart((CartLine("POSTER"),), customer="@c"))
    payments.cancel_order(uow, cancelled.order_id)
    with uow:
        counts = reports_store.customer_counts(uow, shop.event.id)
    assert counts == (5, 4, 3, 1)
    assert all(isinstance(n, int) for n in counts)


def test_experience_tickets_and_the_tickets_stream_leave_out_held_and_cancelled(shop):
    uow, reg = shop.uow, shop.register_id
    checkout.place_order(uow, reg, Cart((CartLine("MEET-GREET"),)))  # held
    sold = checkout.sell(
        uow, reg, Cart((CartLine("SHOUTOUT-60", 3, personalisation="Kim"),)), now=T0
    )
    line = checkout.get_order(uow, sold.order_id).lines[0]
    payments.refund_to_tenders(uow, sold.order_id, lines={line.id: 1})  # one ticket cancelled
    first, _ = sorted(t.id for t in tickets.state(uow).tickets)
    tickets.call(uow, first, now=T0 + timedelta(minutes=2))
    tickets.move(uow, first, "done", now=T0 + timedelta(minutes=5))
    with uow:
        rows = reports_store.experience_ticket_rows(uow, shop.event.id)
        times = reports_store.experience_time_rows(uow, shop.event.id)
        stream = list(reports_store.ticket_stream(uow, shop.event.id))
        counts = reports_store.stream_counts(uow, shop.event.id, ["tickets"])
    by_status = {r[1]: r for r in rows}
    assert sorted(by_status) == ["done", "waiting"]
    _, _, n, fulfil_s, fulfilled, wait_s, waited = by_status["done"]
    assert (n, fulfilled, waited) == (1, 1, 1)
    assert abs(float(fulfil_s) - 180.0) < 0.01
    assert abs(float(wait_s) - 120.0) < 0.01
    assert int(by_status["waiting"][2]) == 1
    ((_, status, wait, fulfil),) = times
    assert status == "done" and abs(wait - 120.0) < 0.01 and abs(fulfil - 180.0) < 0.01
    assert [(r[1], r[3]) for r in stream] == [("SHOUTOUT-60", "done"), ("SHOUTOUT-60", "waiting")]
    assert counts == {"tickets": 2} and len(stream[0]) == 8  # slot_at is the last column
