"""Export streams: each table of an event's export read in one ordered pass, in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select

from popup_pos.store.models import AnyRow
from popup_pos.store.reports.common import (
    QUEUED,
    REFUND_COUNTED,
    lines,
    orders,
    owners,
    payments,
    products,
    refunds,
    registers,
    staff,
    stream,
    tickets,
    variants,
)
from popup_pos.store.uow import UnitOfWork

# ---- export streams ------------------------------------------------------------------------


def stream_counts(uow: UnitOfWork, event_id: int, names: Iterable[str]) -> dict[str, int]:
    """How many rows each named export stream (orders, lines, payments, refunds, tickets)
    will give."""
    conn = uow.conn
    of_event = orders.c.event_id == event_id

    def joined(table: Any, *where: Any) -> Any:
        return (
            select(func.count())
            .select_from(table.join(orders, orders.c.id == table.c.order_id))
            .where(of_event, *where)
        )

    queries = {
        "orders": select(func.count()).where(of_event),
        "lines": joined(lines),
        "payments": joined(payments),
        "refunds": joined(refunds, refunds.c.status.in_(REFUND_COUNTED)),
        "tickets": select(func.count()).where(
            tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED)
        ),
    }
    return {n: int(conn.execute(queries[n]).scalar_one()) for n in names if n in queries}


def order_stream(uow: UnitOfWork, event_id: int) -> Iterator[AnyRow]:
    """number, status, created_at, paid_at, register, staff, subtotal, discount, tax, tip,
    total, currency of every order, in order."""
    conn = uow.conn
    stmt = (
        select(
            orders.c.number,
            orders.c.status,
            orders.c.created_at,
            orders.c.paid_at,
            registers.c.code,
            staff.c.name,
            orders.c.subtotal_cents,
            orders.c.discount_cents,
            orders.c.tax_cents,
            orders.c.tip_cents,
            orders.c.total_cents,
            orders.c.currency,
        )
        .select_from(
            orders.join(registers, registers.c.id == orders.c.register_id).outerjoin(
                staff, staff.c.id == orders.c.staff_id
            )
        )
        .where(orders.c.event_id == event_id)
        .order_by(orders.c.id)
    )
    return stream(conn, stmt)


def line_stream(uow: UnitOfWork, event_id: int) -> Iterator[AnyRow]:
    """number, sku, line name, product name, quantity, unit price, discount, total,
    edition numbers, owner, order status of every line, in order."""
    conn = uow.conn
    stmt = (
        select(
            orders.c.number,
            lines.c.sku,
            lines.c.name,
            products.c.name,
            lines.c.quantity,
            lines.c.unit_price_cents,
            lines.c.line_discount_cents + lines.c.order_discount_cents,
            lines.c.total_cents,
            lines.c.edition_numbers,
            owners.c.name,
            orders.c.status,
        )
        .select_from(
            lines.join(orders, orders.c.id == lines.c.order_id)
            .outerjoin(variants, variants.c.id == lines.c.variant_id)
            .outerjoin(products, products.c.id == variants.c.product_id)
            .outerjoin(owners, owners.c.id == lines.c.owner_id)
        )
        .where(orders.c.event_id == event_id)
        .order_by(lines.c.id)
    )
    return stream(conn, stmt)


def payment_stream(uow: UnitOfWork, event_id: int) -> Iterator[AnyRow]:
    """number, tender, amount, fee, status, reference of every payment, in order."""
    conn = uow.conn
    stmt = (
        select(
            orders.c.number,
            payments.c.tender,
            payments.c.amount_cents,
            payments.c.fee_cents,
            payments.c.status,
            payments.c.reference,
        )
        .select_from(payments.join(orders, orders.c.id == payments.c.order_id))
        .where(orders.c.event_id == event_id)
        .order_by(payments.c.id)
    )
    return stream(conn, stmt)


def refund_stream(uow: UnitOfWork, event_id: int) -> Iterator[AnyRow]:
    """number, amount, tender, created_at of every refund that went through, in order."""
    conn = uow.conn
    stmt = (
        select(orders.c.number, refunds.c.amount_cents, refunds.c.tender, refunds.c.created_at)
        .select_from(refunds.join(orders, orders.c.id == refunds.c.order_id))
        .where(orders.c.event_id == event_id, refunds.c.status.in_(REFUND_COUNTED))
        .order_by(refunds.c.id)
    )
    return stream(conn, stmt)


def ticket_stream(uow: UnitOfWork, event_id: int) -> Iterator[AnyRow]:
    """number, sku, personalisation, status, created_at, called_at, done_at, slot_at of every
    ticket paid for and not cancelled, in order."""
    conn = uow.conn
    stmt = (
        select(
            orders.c.number,
            lines.c.sku,
            tickets.c.personalisation,
            tickets.c.status,
            tickets.c.created_at,
            tickets.c.called_at,
            tickets.c.done_at,
            tickets.c.slot_at,
        )
        .select_from(
            tickets.join(lines, lines.c.id == tickets.c.order_line_id).join(
                orders, orders.c.id == lines.c.order_id
            )
        )
        .where(tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED))
        .order_by(tickets.c.id)
    )
    return stream(conn, stmt)
