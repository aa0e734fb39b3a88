"""Orders as the back office finds them: searched by number, SKU, amount, time or code, and
one order with its lines, payments, refunds, codes and tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, false, func, or_, select

from popup_pos.store.models import (
    DownloadCode,
    Event,
    Order,
    OrderLine,
    Payment,
    Refund,
    Ticket,
    table_of,
)
from popup_pos.store.uow import UnitOfWork

orders, lines, payments = table_of(Order), table_of(OrderLine), table_of(Payment)
refunds, tickets, codes = table_of(Refund), table_of(Ticket), table_of(DownloadCode)
events = table_of(Event)


@dataclass(frozen=True, slots=True)
class OrderMatch:
    """What to look for; every field given widens the search (an order matching any)."""

    number: str | None = None  # part of the order number, any case
    sku: str | None = None  # a line's SKU, any case
    amount_cents: int | None = None  # the order's total
    code: str | None = None  # a download code the order got, any case
    between: tuple[datetime, datetime] | None = None  # created in [from, to) (UTC)


@dataclass(frozen=True, slots=True)
class OrderRow:
    id: int
    number: str
    event_id: int
    event_name: str
    created_at: datetime
    status: str
    units: int
    total_cents: int
    currency: str
    tenders: tuple[str, ...]  # of the payments that went through, in the order taken


@dataclass(frozen=True, slots=True)
class LineRecord:
    id: int
    sku: str | None
    name: str
    kind: str
    quantity: int
    refunded_quantity: int
    unit_price_cents: int
    total_cents: int
    edition_numbers: str | None
    personalisation: str | None


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    tender: str
    status: str
    amount_cents: int
    refunded_cents: int
    reference: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RefundRecord:
    tender: str
    status: str
    amount_cents: int
    reason: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TicketRecord:
    id: int
    name: str
    status: str
    personalisation: str | None
    slot_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OrderHead:
    id: int
    number: str
    event_id: int
    event_name: str
    event_open: bool
    status: str
    currency: str
    created_at: datetime
    paid_at: datetime | None
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    tip_cents: int
    total_cents: int
    paid_cents: int
    refunded_cents: int
    note: str | None


def _where(match: OrderMatch) -> ColumnElement[bool]:
    any_of: list[ColumnElement[bool]] = []
    if match.number:
        any_of.append(func.upper(orders.c.number).contains(match.number.upper(), autoescape=True))
    if match.sku:
        any_of.append(
            exists().where(
                lines.c.order_id == orders.c.id, func.upper(lines.c.sku) == match.sku.upper()
            )
        )
    if match.amount_cents is not None:
        any_of.append(orders.c.total_cents == match.amount_cents)
    if match.code:
        any_of.append(
            exists().where(
                lines.c.order_id == orders.c.id,
                codes.c.order_line_id == lines.c.id,
                func.lower(codes.c.code) == match.code.lower(),
            )
        )
    if match.between is not None:
        start, end = match.between
        any_of.append((orders.c.created_at >= start) & (orders.c.created_at < end))
    return or_(*any_of) if any_of else false()


def search(
    uow: UnitOfWork,
    match: OrderMatch | None,
    *,
    event_id: int | None,
    limit: int,
) -> list[OrderRow]:
    """The newest `limit` orders matching (all of them with no match), of one event or of
    every event (`event_id` None); open carts nobody placed are left out."""
    units = (
        select(lines.c.order_id, func.sum(lines.c.quantity).label("units"))
        .group_by(lines.c.order_id)
        .subquery()
    )
    stmt = (
        select(
            orders.c.id,
            orders.c.number,
            orders.c.event_id,
            events.c.name,
            orders.c.created_at,
            orders.c.status,
            func.coalesce(units.c.units, 0),
            orders.c.total_cents,
            orders.c.currency,
        )
        .join_from(orders, events, events.c.id == orders.c.event_id)
        .outerjoin(units, units.c.order_id == orders.c.id)
        .where(orders.c.status != "open")
        .order_by(orders.c.created_at.desc(), orders.c.id.desc())
        .limit(limit)
    )
    if event_id is not None:
        stmt = stmt.where(orders.c.event_id == event_id)
    if match is not None:
        stmt = stmt.where(_where(match))
    found = list(uow.conn.execute(stmt))
    taken = _tenders(uow, [r[0] for r in found])
    return [OrderRow(*r[:6], int(r[6]), *r[7:], tuple(taken.get(r[0], ()))) for r in found]


def _tenders(uow: UnitOfWork, order_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not order_ids:
        return out
    rows = uow.conn.execute(
        select(payments.c.order_id, payments.c.tender)
        .where(payments.c.order_id.in_(order_ids), payments.c.status == "succeeded")
        .order_by(payments.c.id)
    )
    for order_id, tender in rows:
        seen = out.setdefault(order_id, [])
        if tender not in seen:
            seen.append(tender)
    return out


def head(uow: UnitOfWork, order_id: int) -> OrderHead | None:
    row = uow.conn.execute(
        select(
            orders.c.id,
            orders.c.number,
            orders.c.event_id,
            events.c.name,
            events.c.status == "open",
            orders.c.status,
            orders.c.currency,
            orders.c.created_at,
            orders.c.paid_at,
            orders.c.subtotal_cents,
            orders.c.discount_cents,
            orders.c.tax_cents,
            orders.c.tip_cents,
            orders.c.total_cents,
            orders.c.paid_cents,
            orders.c.refunded_cents,
            orders.c.note,
        )
        .join_from(orders, events, events.c.id == orders.c.event_id)
        .where(orders.c.id == order_id)
    ).first()
    if row is None:
        return None
    values = list(row)
    values[4] = bool(values[4])
    return OrderHead(*values)


def lines_of(uow: UnitOfWork, order_id: int) -> list[LineRecord]:
    rows = uow.conn.execute(
        select(
            lines.c.id,
            lines.c.sku,
            lines.c.name,
            lines.c.kind,
            lines.c.quantity,
            lines.c.refunded_quantity,
            lines.c.unit_price_cents,
            lines.c.total_cents,
            lines.c.edition_numbers,
            lines.c.personalisation,
        )
        .where(lines.c.order_id == order_id)
        .order_by(lines.c.id)
    )
    return [LineRecord(*list(r)) for r in rows]


def payments_of(uow: UnitOfWork, order_id: int) -> list[PaymentRecord]:
    rows = uow.conn.execute(
        select(
            payments.c.tender,
            payments.c.status,
            payments.c.amount_cents,
            payments.c.refunded_cents,
            payments.c.reference,
            payments.c.created_at,
        )
        .where(payments.c.order_id == order_id)
        .order_by(payments.c.id)
    )
    return [PaymentRecord(*r) for r in rows]


def refunds_of(uow: UnitOfWork, order_id: int) -> list[RefundRecord]:
    rows = uow.conn.execute(
        select(
            refunds.c.tender,
            refunds.c.status,
            refunds.c.amount_cents,
            refunds.c.reason,
            refunds.c.created_at,
        )
        .where(refunds.c.order_id == order_id)
        .order_by(refunds.c.id)
    )
    return [RefundRecord(*r) for r in rows]


def tickets_of(uow: UnitOfWork, order_id: int) -> list[TicketRecord]:
    rows = uow.conn.execute(
        select(
            tickets.c.id,
            lines.c.name,
            tickets.c.status,
            tickets.c.personalisation,
            tickets.c.slot_at,
            tickets.c.created_at,
        )
        .join_from(tickets, lines, lines.c.id == tickets.c.order_line_id)
        .where(lines.c.order_id == order_id)
        .order_by(tickets.c.id)
    )
    return [TicketRecord(*r) for r in rows]


def order_id_of(uow: UnitOfWork, number: str) -> int | None:
    """The newest order with this number (numbers restart with each event)."""
    return uow.conn.execute(
        select(orders.c.id)
        .where(func.upper(orders.c.number) == number.upper())
        .order_by(orders.c.id.desc())
        .limit(1)
    ).scalar()
