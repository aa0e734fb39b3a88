"""What is still due after a part payment, the tenders that paid, and hand-over at the table."""

from __future__ import annotations

import pytest

from popup_pos.services import audit, checkout, payments, queue, tenders, tickets
from popup_pos.services import settings as settings_service
from popup_pos.services.checkout import Cart, CartLine, TenderSpec

pytest_plugins = ["tests.stripe_fake.fixtures"]


def cart(*skus: str) -> Cart:
    return Cart(tuple(CartLine(s) for s in skus))


def part_paid(shop, cash: int, *skus: str) -> checkout.OrderResult:
    return checkout.sell(
        shop.uow, shop.register_id, cart(*skus), (TenderSpec("cash", amount=cash),)
    )


def test_after_a_part_payment_the_due_is_what_is_left(shop):
    placed = part_paid(shop, 2000, "TEE-M", "TEE-M")  # 60.00
    due = tenders.amount_due(shop.uow, placed.order_id)
    assert (due.total_cents, due.paid_cents, due.due_cents) == (6000, 2000, 4000)
    assert [(p.label, p.amount_cents) for p in due.paid] == [("cash", 2000)]
    # Keys for the $40 still due, not for the $60 total.
    assert due.quick_cash == (5000, 6000, 10000)
    assert due.paid_text() == "paid $20.00 cash"


def test_confirmation_names_every_tender(shop):
    settings_service.put(shop.uow, "wallets", {"venmo": "merch", "cashapp": "", "paypal": ""})
    placed = part_paid(shop, 2000, "TEE-M", "TEE-M")
    paid = payments.confirm_wallet(shop.uow, placed.order_id, "venmo", reference="Sam")
    assert paid.status == "paid"
    due = tenders.amount_due(shop.uow, placed.order_id)
    assert due.due_cents == 0 and due.quick_cash == ()
    assert due.paid_text() == "paid $20.00 cash + $40.00 Venmo"


def test_nothing_paid_reads_so(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    due = tenders.amount_due(shop.uow, placed.order_id)
    assert due.paid == () and due.paid_text() == "nothing paid yet"
    assert due.due_cents == 1500


def test_unknown_order_is_named(shop):
    with pytest.raises(tenders.TenderError, match="no order 999999"):
        tenders.amount_due(shop.uow, 999999)


@pytest.mark.parametrize(
    ("tender", "reference", "label"),
    [
        ("cash", None, "cash"),
        ("wallet", "Venmo: Sam", "Venmo"),
        ("wallet", "Cash App", "Cash App"),
        ("wallet", "a note", "wallet"),
        ("stripe_qr", None, "card by QR"),
        ("stripe_card", None, "card"),
    ],
)
def test_tender_labels(tender, reference, label):
    assert tenders.tender_label(tender, reference) == label


# ---- hand-over at the table ------------------------------------------------------------


def test_a_sale_paid_at_the_table_is_handed_over_at_once(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("TEE-M"), hand_over=True)
    assert r.status == "fulfilled"
    order = checkout.get_order(shop.uow, r.order_id)
    assert order.status == "fulfilled" and order.paid_cents == 3000
    assert queue.orders_for_queue(shop.uow)["paid"] == []
    assert audit.verify(shop.uow).ok


def test_without_hand_over_the_sale_waits_to_be_handed_over(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("TEE-M"))
    assert r.status == "paid"
    assert [row[1] for row in queue.orders_for_queue(shop.uow)["paid"]] == [r.number]


def test_a_part_paid_sale_is_not_handed_over(shop):
    r = checkout.sell(
        shop.uow,
        shop.register_id,
        cart("TEE-M"),
        (TenderSpec("cash", amount=1000),),
        hand_over=True,
    )
    assert r.status == "awaiting_payment"
    done = payments.pay_cash(shop.uow, r.order_id, hand_over=True)
    assert done.status == "fulfilled"
    assert checkout.get_order(shop.uow, r.order_id).status == "fulfilled"


def test_wallet_confirmed_later_waits_in_paid_hand_over(shop):
    settings_service.put(shop.uow, "wallets", {"venmo": "merch", "cashapp": "", "paypal": ""})
    at_table = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    later = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    r1 = payments.confirm_wallet(shop.uow, at_table.order_id, "venmo", hand_over=True)
    r2 = payments.confirm_wallet(shop.uow, later.order_id, "venmo")
    assert (r1.status, r2.status) == ("fulfilled", "paid")
    assert [row[1] for row in queue.orders_for_queue(shop.uow)["paid"]] == [later.number]


def test_handed_over_sales_keep_codes_tickets_and_refunds(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("DL-CARD", "MEET-GREET"), hand_over=True)
    assert r.status == "fulfilled"
    assert len(r.codes) == 1
    assert [t.status for t in tickets.of_order(shop.uow, r.order_id)] == ["waiting"]
    refunded = payments.refund_to_tenders(shop.uow, r.order_id, reason="changed mind").result
    assert refunded.status == "refunded"


def test_the_handed_over_audit_entry_says_at_the_table(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("POSTER"), hand_over=True)
    with shop.uow:
        from popup_pos.store import audit as audit_store

        rows = [e for e in audit_store.in_order(shop.uow.conn) if e["entity_id"] == r.number]
    assert [e["action"] for e in rows] == ["order.place", "order.paid", "order.fulfil"]
    assert '"at_table":true' in rows[-1]["data"]


# ---- tenders that cannot work ----------------------------------------------------------


def test_wallet_key_is_off_until_a_handle_is_set(shop, monkeypatch, no_keyring):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    payments.reset_connection()
    states = tenders.tender_states(shop.uow)
    assert states["cash"].usable
    assert not states["wallet"].usable
    assert "Venmo, Cash App or PayPal handle in Settings" in states["wallet"].reason
    assert not states["stripe_qr"].usable and "Stripe is not set up" in states["stripe_qr"].reason
    assert not states["stripe_card"].usable
    settings_service.put(shop.uow, "wallets", {"venmo": "merch", "cashapp": "", "paypal": ""})
    assert tenders.tender_states(shop.uow)["wallet"].usable
