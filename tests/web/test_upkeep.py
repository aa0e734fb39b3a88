"""A helper-only station settles the phones' card payments and releases run-out holds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from popup_pos.services import catalog, checkout
from popup_pos.store.models import utcnow
from popup_pos.web.upkeep import Upkeep
from tests.web.conftest import Served

pytest_plugins = ["tests.stripe_fake.fixtures"]


def test_a_phones_card_payment_turns_paid_with_no_register_open(
    served: Served, stripe: Any
) -> None:
    phone = served.paired()
    status, sale = phone.call(
        "POST", "/api/sales", {"lines": [{"sku": "POSTER"}], "tender": "later"}, key="k" * 16
    )
    assert status == 200, sale
    status, qr = phone.call("POST", f"/api/orders/{sale['order']}/payment-qr", {"method": "stripe"})
    assert status == 200, qr
    (session,) = stripe.sessions()
    lines: list[str] = []
    upkeep = Upkeep(served.uow, say=lines.append)
    upkeep.tick()
    assert lines == []  # not paid yet

    stripe.pay(session["id"]).raise_for_status()
    upkeep.tick()
    assert lines == [f"{sale['order']} paid by card: hand it over"]
    status, order = phone.call("GET", f"/api/orders/{sale['order']}")
    assert (status, order["status"]) == (200, "paid")
    upkeep.tick()
    assert len(lines) == 1  # said once


def _available(shop: Any, sku: str) -> int | None:
    found = catalog.find_by_code(shop.uow, sku)
    assert found is not None
    return found.available


def test_run_out_holds_give_their_stock_back(shop: Any) -> None:
    long_ago = utcnow() - timedelta(hours=3)
    cart = checkout.Cart((checkout.CartLine("POSTER", 2),))
    placed = checkout.place_order(shop.uow, shop.register_id, cart, now=long_ago)
    assert _available(shop, "POSTER") == 38
    now = [0.0]
    lines: list[str] = []
    upkeep = Upkeep(shop.uow, say=lines.append, clock=lambda: now[0])
    upkeep.tick()  # no Stripe key here: only the holds
    assert lines == [f"Hold ran out, stock released: {placed.number}"]
    assert _available(shop, "POSTER") == 40
    assert checkout.get_order(shop.uow, placed.order_id).status == "cancelled"

    again = checkout.place_order(shop.uow, shop.register_id, cart, now=long_ago)
    now[0] = 29.0
    upkeep.tick()  # holds are looked at every 30 s, not every round
    assert checkout.get_order(shop.uow, again.order_id).status == "awaiting_payment"
    now[0] = 30.0
    upkeep.tick()
    assert checkout.get_order(shop.uow, again.order_id).status == "cancelled"


def test_stripe_out_of_reach_is_said_once_and_tried_again(
    served: Served, stripe: Any, monkeypatch: Any
) -> None:
    from popup_pos.services import payments

    phone = served.paired()
    _, sale = phone.call(
        "POST", "/api/sales", {"lines": [{"sku": "POSTER"}], "tender": "later"}, key="k" * 16
    )
    phone.call("POST", f"/api/orders/{sale['order']}/payment-qr", {"method": "stripe"})
    (session,) = stripe.sessions()
    stripe.pay(session["id"]).raise_for_status()
    monkeypatch.setenv("POPUP_POS_STRIPE_API_BASE", "http://127.0.0.1:9")  # nothing listens
    payments.reset_connection()
    lines: list[str] = []
    upkeep = Upkeep(served.uow, say=lines.append)
    upkeep.tick()
    upkeep.tick()
    assert lines == ["Stripe is offline — 1 payment waiting to be checked (trying again)"]

    monkeypatch.setenv("POPUP_POS_STRIPE_API_BASE", stripe.api)
    payments.reset_connection()
    upkeep.tick()
    assert lines[1:] == [f"{sale['order']} paid by card: hand it over", "Stripe is reachable again"]
