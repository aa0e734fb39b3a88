"""Typed rows of the sale tables (orders, lines, payments, refunds, readers, tickets)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Column, Table

from popup_pos.store.models import AnyRow

# Named tuples rather than dataclasses: a sale reads a few of them per transaction, and
# `_make` over a driver row costs next to nothing, while every field still has a name.


R = TypeVar("R", bound=tuple[Any, ...])


def columns(table: Table, record: type[tuple[Any, ...]]) -> list[Column[Any]]:
    """The table's columns in the record's field order, for a select the record reads."""
    return [table.c[name] for name in record._fields]  # type: ignore[attr-defined]


def one_of(record: type[R], row: AnyRow | None) -> R | None:
    return None if row is None else record._make(row)  # type: ignore[attr-defined]


def all_of(record: type[R], rows: Iterable[AnyRow]) -> list[R]:
    make = record._make  # type: ignore[attr-defined]
    return [make(r) for r in rows]


class OrderRecord(NamedTuple):
    id: int
    event_id: int
    register_id: int
    number: str
    status: str
    currency: str
    staff_id: int | None
    created_at: datetime
    placed_at: datetime | None
    paid_at: datetime | None
    fulfilled_at: datetime | None
    cancelled_at: datetime | None
    reserved_until: datetime | None
    parked: bool
    note: str | None
    discount_kind: str | None
    discount_value: int | None
    tip_kind: str | None
    tip_value: int | None
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    tip_cents: int
    total_cents: int
    paid_cents: int
    refunded_cents: int
    customer_hash: str | None


class LineRecord(NamedTuple):
    id: int
    order_id: int
    variant_id: int | None
    sku: str | None
    name: str
    kind: str
    quantity: int
    unit_price_cents: int
    cost_cents: int | None
    tax_rate_ppm: int
    tax_inclusive: bool
    discount_kind: str | None
    discount_value: int | None
    line_discount_cents: int
    order_discount_cents: int
    tax_cents: int
    total_cents: int
    edition_numbers: str | None
    personalisation: str | None
    note: str | None
    refunded_quantity: int
    owner_id: int | None


class PaymentRecord(NamedTuple):
    id: int
    order_id: int
    tender: str
    status: str
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    fee_cents: int | None
    refunded_cents: int
    reference: str | None
    provider_id: str | None
    idempotency_key: str | None
    request: Any | None
    staff_id: int | None
    created_at: datetime
    updated_at: datetime


class RefundRecord(NamedTuple):
    id: int
    order_id: int
    payment_id: int | None
    tender: str
    amount_cents: int
    reason: str | None
    return_to_stock: bool
    status: str
    provider_id: str | None
    staff_id: int | None
    created_at: datetime


class ReaderRecord(NamedTuple):
    id: int
    stripe_id: str
    label: str
    device_type: str | None
    register_code: str | None
    created_at: datetime


class TicketRecord(NamedTuple):
    id: int
    event_id: int
    order_line_id: int
    variant_id: int | None
    status: str
    personalisation: str | None
    slot_at: datetime | None
    created_at: datetime
    called_at: datetime | None
    done_at: datetime | None


# ---- what a sale writes: every column but the id -------------------------------------------


class NewOrder(NamedTuple):
    event_id: int
    register_id: int
    number: str
    status: str
    currency: str
    staff_id: int | None
    created_at: datetime
    placed_at: datetime | None
    paid_at: datetime | None
    reserved_until: datetime | None
    parked: bool
    note: str | None
    discount_kind: str | None
    discount_value: int | None
    tip_kind: str | None
    tip_value: int | None
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    tip_cents: int
    total_cents: int
    paid_cents: int
    refunded_cents: int
    customer_hash: str | None = None
    fulfilled_at: datetime | None = None


class NewLine(NamedTuple):
    order_id: int
    variant_id: int | None
    sku: str | None
    name: str
    kind: str
    quantity: int
    unit_price_cents: int
    cost_cents: int | None
    tax_rate_ppm: int
    tax_inclusive: bool
    discount_kind: str | None
    discount_value: int | None
    line_discount_cents: int
    order_discount_cents: int
    tax_cents: int
    total_cents: int
    edition_numbers: str | None
    personalisation: str | None
    note: str | None
    refunded_quantity: int
    owner_id: int | None


class NewPayment(NamedTuple):
    """A payment as recorded; one that settles later also keeps its request (see
    `sales.insert_payment`)."""

    order_id: int
    tender: str
    status: str
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    fee_cents: int | None
    refunded_cents: int
    reference: str | None
    provider_id: str | None
    idempotency_key: str | None
    staff_id: int | None
    created_at: datetime
    updated_at: datetime


class NewRefund(NamedTuple):
    order_id: int
    payment_id: int | None
    tender: str
    amount_cents: int
    reason: str | None
    return_to_stock: bool
    status: str
    provider_id: str | None
    staff_id: int | None
    created_at: datetime


class NewRefundLine(NamedTuple):
    refund_id: int
    order_line_id: int
    quantity: int
    amount_cents: int
