"""What a scanned string is, read once: items, tickets, orders, payment QRs and buyers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from popup_pos.services import checkout, payments, scan_routing, tickets
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.scan_routing import (
    BuyerScan,
    ItemScan,
    OrderScan,
    TicketScan,
    UnknownOrder,
    UnknownScan,
)
from popup_pos.store.uow import UnitOfWork

pytest_plugins = ["tests.stripe_fake.fixtures"]

ITEMS = {"TEE-M": "tee", "0123456789012": "poster"}
FROM_ORDERS = re.compile(r"\bFROM orders\b", re.I)


def _order_reads(uow: UnitOfWork) -> list[str]:
    """Every statement that reads the orders table from now on."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if FROM_ORDERS.search(statement):
            seen.append(statement)

    event.listen(uow.engine, "before_cursor_execute", note)
    return seen


def test_items_by_sku_in_any_case_and_by_barcode_read_nothing(uow):
    reads = _order_reads(uow)
    assert scan_routing.route(uow, " tee-m\n", ITEMS) == ItemScan("tee")
    assert scan_routing.route(uow, "0123456789012", ITEMS) == ItemScan("poster")
    assert reads == []


def test_a_ticket_slip(uow):
    assert scan_routing.route(uow, "gig-12", ITEMS) == TicketScan(12)
    assert tickets.ticket_code(12) == "GIG-12"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fan@example.org", BuyerScan("fan@example.org")),
        ("mailto:fan@example.org", BuyerScan("mailto:fan@example.org")),
        ("@fan.handle", BuyerScan("@fan.handle")),
        ("NOPE-NOPE", UnknownScan("NOPE-NOPE")),
        ("https://example.org/not-a-checkout", UnknownScan("https://example.org/not-a-checkout")),
    ],
)
def test_buyers_and_unknown_codes(uow, code, expected):
    assert scan_routing.route(uow, code, ITEMS) == expected


def test_an_order_number_is_read_once_with_its_section(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    reads = _order_reads(shop.uow)
    found = scan_routing.route(shop.uow, placed.number.lower(), ITEMS)
    assert isinstance(found, OrderScan)
    assert (found.order.id, found.section) == (placed.order_id, "awaiting_payment")
    assert len(reads) == 1


def test_sections_follow_the_status(shop):
    parked = checkout.park(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    sold = checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("POSTER"),)),
        [TenderSpec("cash", 1500)],
        hand_over=True,
    )
    for number, section in ((parked.number, "parked"), (sold.number, "done")):
        found = scan_routing.route(shop.uow, number, ITEMS)
        assert isinstance(found, OrderScan) and found.section == section
    assert scan_routing.section_of("cancelled") is None
    assert scan_routing.section_of("paid") == "paid"


def test_an_order_number_that_does_not_exist(shop):
    assert scan_routing.route(shop.uow, "Z-9999", ITEMS) == UnknownOrder("Z-9999")


def test_a_stripe_qr_finds_its_order_reading_it_once(shop, stripe):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    qr = payments.charge_by_qr(shop.uow, placed.order_id)
    reads = _order_reads(shop.uow)
    found = scan_routing.route(shop.uow, qr.url, ITEMS)
    assert isinstance(found, OrderScan)
    assert (found.order.number, found.section) == (placed.number, "awaiting_payment")
    assert len(reads) == 1
