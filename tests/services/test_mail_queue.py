"""Queueing hooks: nothing without an address; the same fan's hash whatever the case."""

from __future__ import annotations

from popup_pos.services import checkout, mail_queue
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import outbox


def test_no_address_no_message(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    with shop.uow:
        mail_queue.on_paid(shop.uow, sold.order_id)
        mail_queue.on_refund(shop.uow, sold.order_id)
        assert outbox.of_order(shop.uow, sold.order_id) == []


def test_hash_ignores_case_and_spaces():
    assert mail_queue.address_hash(" Fan@Example.com ") == mail_queue.address_hash(
        "fan@example.com"
    )


def test_settings_defaults():
    s = mail_queue.settings_from({})
    assert (s.port, s.security, s.configured) == (587, "starttls", False)
    assert mail_queue.settings_from({"host": "h", "from": "a@b.co"}).configured
