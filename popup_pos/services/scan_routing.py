"""What a scanned string is: an item, an order's ticket, a fan's ticket slip or a buyer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar, Union

from popup_pos.domain.errors import PosError
from popup_pos.services import checkout, payments, tickets
from popup_pos.services.checkout import OrderView
from popup_pos.store.uow import UnitOfWork

V = TypeVar("V")

ORDER_NUMBER = re.compile(r"[A-Z][A-Z0-9]{0,3}-\d{4,}")
# What a scanned customer handle looks like: an email, a mailto: link or an @handle.
HANDLE_SCAN = re.compile(r"^(mailto:\S+|[^@\s]+@[^@\s]+\.\S+|@[\w.\-]+)$", re.I)
# Where an order in each status is found on the selling screen's queue.
SECTIONS = {"awaiting_payment": "awaiting_payment", "paid": "paid", "open": "parked"}
# Orders already handed over open in the panel for a receipt or a refund.
DONE_STATUSES = ("fulfilled", "partially_refunded")


@dataclass(frozen=True, slots=True)
class ItemScan(Generic[V]):
    item: V


@dataclass(frozen=True, slots=True)
class TicketScan:
    ticket_id: int


@dataclass(frozen=True, slots=True)
class OrderScan:
    """An order's number or its payment QR; `section` is where the screen shows it
    ("awaiting_payment", "paid", "parked", "done"), None when it is not shown (cancelled…)."""

    order: OrderView
    section: str | None


@dataclass(frozen=True, slots=True)
class UnknownOrder:
    number: str


@dataclass(frozen=True, slots=True)
class BuyerScan:
    handle: str


@dataclass(frozen=True, slots=True)
class UnknownScan:
    code: str


ScanResult = Union[ItemScan[V], TicketScan, OrderScan, UnknownOrder, BuyerScan, UnknownScan]  # noqa: UP007 (a generic alias)


def route(uow: UnitOfWork, code: str, items: Mapping[str, V]) -> ScanResult[V]:
    """What `code` is. `items` maps the catalog's SKUs (upper case) and barcodes to its
    variants: the screen holds it in memory, so an item scan costs no database read. An
    order is read once, whether its number or its payment QR was scanned."""
    code = code.strip()
    upper = code.upper()
    item = items.get(upper)
    if item is None:
        item = items.get(code)
    if item is not None:
        return ItemScan(item)
    ticket_id = tickets.parse_ticket_code(code)
    if ticket_id is not None:
        return TicketScan(ticket_id)
    ref: int | str | None = upper if ORDER_NUMBER.fullmatch(upper) else None
    if ref is None:
        ref = payments.order_for_scan(uow, code)
    if ref is not None:
        try:
            order = checkout.get_order(uow, ref)
        except PosError:
            return UnknownOrder(upper if isinstance(ref, str) else code)
        return OrderScan(order, section_of(order.status))
    if HANDLE_SCAN.match(code):
        return BuyerScan(code)
    return UnknownScan(code)


def section_of(status: str) -> str | None:
    """Where the selling screen shows an order in this status."""
    if status in DONE_STATUSES:
        return "done"
    return SECTIONS.get(status)
