"""Fans who opted in, across events: the CSV and forgetting an address."""

from __future__ import annotations

import csv

import pytest

from popup_pos.services import checkout, delivery, fans, reports
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import outbox


def _sell(shop, sku: str = "TEE-M") -> checkout.OrderResult:
    return checkout.sell(shop.uow, shop.register_id, Cart((CartLine(sku),)))


def test_export_across_events_and_forget(shop, tmp_path):
    first = _sell(shop)
    delivery.ask_receipt(shop.uow, first.number, "Fan@Example.com", consent=True)
    delivery.ask_receipt(shop.uow, _sell(shop).number, "quiet@example.com")
    out = tmp_path / "fans.csv"
    assert fans.export(shop.uow, out) == 1
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows == [
        {
            "email": "Fan@example.com",
            "first_event": "Test night",
            "last_event": "Test night",
            "orders": "1",
            "spent": "30.00",
            "currency": "USD",
        }
    ]
    assert fans.repeat_fans(shop.uow) == (0, 1)
    assert fans.forget(shop.uow, "fan@example.com") >= 1
    with shop.uow:
        oe = outbox.order_email(shop.uow, first.order_id)
        assert oe is not None and oe.email is None and not oe.consent
        assert all(r.recipient is None for r in outbox.of_order(shop.uow, first.order_id))
    assert fans.export(shop.uow, out) == 0
    with pytest.raises(delivery.DeliveryError, match="no order or message"):
        fans.forget(shop.uow, "fan@example.com")


def test_the_report_counts_opted_in_fans_who_bought_again(shop):
    before = reports.build_report(shop.uow).customers
    for _ in range(2):
        delivery.ask_receipt(shop.uow, _sell(shop).number, "fan@example.com", consent=True)
    delivery.ask_receipt(shop.uow, _sell(shop).number, "no-consent@example.com")
    after = reports.build_report(shop.uow).customers
    assert (after.identified - before.identified, after.repeat - before.repeat) == (1, 1)
