"""Per-person limits for drops: a hashed customer handle, counted across the event's orders."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from popup_pos.domain.customers import HandleError, hash_handle, normalise_handle
from popup_pos.services import checkout, closing, events, payments
from popup_pos.services.checkout import Cart, CartLine, LimitError, TenderSpec
from popup_pos.store.models import AuditEntry, Event, Order


def _drop(shop, customer: str | None = None, qty: int = 1) -> checkout.OrderResult:
    # LP-TEST, the demo's signed test pressing, is one per person.
    return checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("LP-TEST", qty),), customer=customer)
    )


def test_a_drop_needs_a_handle(shop):
    with pytest.raises(LimitError, match="limited to 1 per person; enter the customer's email"):
        _drop(shop)


def test_one_per_person_across_orders_whatever_the_spelling(shop):
    _drop(shop, "@Fan_1")
    with pytest.raises(LimitError, match="limit 1 per person; this customer already has 1"):
        _drop(shop, " @fan_1 ")
    _drop(shop, "someone@example.com")
    with pytest.raises(LimitError, match="already has 1"):
        _drop(shop, "mailto:Someone@Example.com")
    _drop(shop, "+1 (555) 010-0199")
    with pytest.raises(LimitError, match="already has 1"):
        _drop(shop, "tel:15550100199")


def test_an_unpaid_order_counts_a_cancelled_or_refunded_one_does_not(shop):
    cart = Cart((CartLine("LP-TEST"),), customer="@fan")
    placed = checkout.place_order(shop.uow, shop.register_id, cart)
    with pytest.raises(LimitError, match="already has 1"):
        _drop(shop, "@fan")
    payments.cancel_order(shop.uow, placed.order_id)
    sold = _drop(shop, "@fan")
    payments.refund_to_tenders(shop.uow, sold.order_id)
    _drop(shop, "@fan")


def test_the_handle_is_stored_only_as_a_salted_hash(shop):
    sold = _drop(shop, "fan@example.com")
    with shop.uow as u:
        stored = u.conn.execute(select(Order.customer_hash).where(Order.id == sold.order_id))
        digest = stored.scalar_one()
        salt = u.conn.execute(select(Event.customer_salt)).scalar_one()
        dump = " ".join(str(r) for r in u.conn.execute(select(AuditEntry.data)).scalars())
        orders = " ".join(str(tuple(r)) for r in u.conn.execute(text("SELECT * FROM orders")).all())
    assert digest == hash_handle(salt, "FAN@example.com") and len(digest) == 64
    assert "fan@example.com" not in dump and "fan@example.com" not in orders


def test_a_new_event_salts_the_same_handle_differently(shop):
    first = _drop(shop, "@fan")
    payments.refund_to_tenders(shop.uow, first.order_id)
    closing.close_event(shop.uow, 100_00)
    events.open_event(shop.uow, "Night two", currency="USD", float_cents=0)
    register = events.join_register(shop.uow, "A")
    second = checkout.sell(
        shop.uow, register.id, Cart((CartLine("LP-TEST"),), customer="@fan"), (TenderSpec(),)
    )
    with shop.uow as u:
        hashes = dict(
            u.conn.execute(
                select(Order.id, Order.customer_hash).where(
                    Order.id.in_([first.order_id, second.order_id])
                )
            ).all()
        )
    assert hashes[first.order_id] != hashes[second.order_id]


def test_a_parked_sale_keeps_its_customer(shop):
    cart = Cart((CartLine("LP-TEST"),), customer="@fan")
    parked = checkout.park(shop.uow, shop.register_id, cart)
    resumed = checkout.resume(shop.uow, parked.order_id)
    assert resumed.customer is None and resumed.customer_hash is not None
    checkout.sell(shop.uow, shop.register_id, resumed, parked_order_id=parked.order_id)
    with pytest.raises(LimitError, match="already has 1"):
        _drop(shop, "@fan")


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Fan@Example.COM", "fan@example.com"),
        ("@The.Band-Fan", "@the.band-fan"),
        ("+44 7700 900123", "tel:447700900123"),
        ("tel:+447700900123", "tel:447700900123"),
    ],
)
def test_handles_are_normalised(typed, normal):
    assert normalise_handle(typed) == normal


@pytest.mark.parametrize("bad", ["Sam", "12345", "@", "two words@x"])
def test_what_is_not_a_handle_is_refused_in_one_line(bad):
    with pytest.raises(HandleError, match="is not an email, a phone number"):
        normalise_handle(bad)
