"""Opted-in orders by fan; forgetting removes the address from every row."""

from __future__ import annotations

from popup_pos.services import checkout, delivery
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.services.mail_queue import address_hash
from popup_pos.store import fans


def test_opted_in_and_forget(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    delivery.ask_receipt(shop.uow, sold.number, "fan@example.com", consent=True)
    with shop.uow:
        [row] = fans.opted_in_orders(shop.uow)
        assert (row.email, row.order_id, row.spent_cents) == (
            "fan@example.com",
            sold.order_id,
            3000,
        )
        assert fans.forget(shop.uow, address_hash("fan@example.com")) == 2
        assert fans.opted_in_orders(shop.uow) == []


def test_an_opted_in_fan_counts_as_a_repeat_buyer_across_orders(shop):
    for _ in range(2):
        sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
        delivery.ask_receipt(shop.uow, sold.number, "fan@example.com", consent=True)
    once = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    delivery.ask_receipt(shop.uow, once.number, "once@example.com", consent=True)
    with shop.uow:
        assert fans.fan_counts(shop.uow, shop.event.id) == (2, 1)
