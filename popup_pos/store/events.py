"""Event and register queries, and the sums a cash-up needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from popup_pos.store import audit as audit_store
from popup_pos.store.models import (
    CashMovement,
    Event,
    Order,
    Payment,
    Refund,
    Register,
    Variant,
    utcnow,
)
from popup_pos.store.uow import UnitOfWork


class EventTakings(NamedTuple):
    """An event with its paid order count and net takings."""

    event: Event
    paid_orders: int
    takings_cents: int


class CashTotals(NamedTuple):
    """The cash an event's drawer saw, besides its float."""

    cash_sales_cents: int
    cash_refunds_cents: int
    paid_in_cents: int
    paid_out_cents: int


class UnsettledOrder(NamedTuple):
    """An order open or awaiting payment; pending is what payments still being checked
    (Stripe) would add."""

    id: int
    number: str
    status: str
    total_cents: int
    paid_cents: int
    pending_cents: int


class TrackedSku(NamedTuple):
    sku: str  # as stored
    track_stock: bool


PAID_STATUSES = ("paid", "fulfilled", "partially_refunded", "refunded")


def open_event(session: Session) -> Event | None:
    return session.scalars(select(Event).where(Event.status == "open")).one_or_none()


def current(uow: UnitOfWork) -> Event | None:
    """The open event, if any."""
    return open_event(uow.session)


def add_event(uow: UnitOfWork, name: str, currency: str, float_cents: int) -> Event | None:
    """A new open event; None if another was opened at the same moment."""
    event = Event(name=name, currency=currency, float_cents=float_cents, settings={})
    return event if _add_flushed(uow.session, event) else None


def add_register(uow: UnitOfWork, event_id: int, code: str) -> Register | None:
    """A new register; None if the same code joined from another laptop a moment ago."""
    reg = Register(event_id=event_id, code=code)
    return reg if _add_flushed(uow.session, reg) else None


def add_cash_movement(
    uow: UnitOfWork, event_id: int, kind: str, amount_cents: int, reason: str
) -> None:
    row = CashMovement(event_id=event_id, kind=kind, amount_cents=amount_cents, reason=reason)
    _add_flushed(uow.session, row)


def mark_closed(
    uow: UnitOfWork, event: Event, counted_cents: int, close_info: Mapping[str, Any]
) -> None:
    """Close the (locked) event with the cash counted and what the close did."""
    event.status = "closed"
    event.closed_at = utcnow()
    event.counted_cash_cents = counted_cents
    # A new dict, so the ORM sees the JSON column change.
    event.settings = {**(event.settings or {}), "close": dict(close_info)}
    uow.session.flush()


def set_venue_terms(uow: UnitOfWork, event: Event, stored: Mapping[str, Any]) -> None:
    """Replace the venue terms kept in the event's settings."""
    # A new dict, so the ORM sees the JSON column change.
    event.settings = {**(event.settings or {}), "venue": dict(stored)}
    uow.session.flush()


def no_sale_count(uow: UnitOfWork, event_id: int) -> int:
    """How many times the drawer was opened with no money moving."""
    return len(audit_store.of_entity(uow.conn, "event", str(event_id), ["drawer.no_sale"]))


def _add_flushed(session: Session, row: Any) -> bool:
    """Insert now; False if a unique rule refused it (another register got there first).

    On False the transaction has been rolled back and the session can be used again.
    """
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def register(uow: UnitOfWork, event_id: int, code: str) -> Register | None:
    return uow.session.scalars(
        select(Register).where(Register.event_id == event_id, Register.code == code)
    ).one_or_none()


def waiting_order_numbers(uow: UnitOfWork, event_id: int) -> list[str]:
    session = uow.session
    return list(
        session.scalars(
            select(Order.number).where(
                Order.event_id == event_id, Order.status == "awaiting_payment"
            )
        )
    )


def order_counts(uow: UnitOfWork, event_id: int) -> dict[str, int]:
    session = uow.session
    rows = session.execute(
        select(Order.status, func.count(Order.id))
        .where(Order.event_id == event_id)
        .group_by(Order.status)
    ).all()
    return {status: int(n) for status, n in rows}


def events_with_takings(uow: UnitOfWork) -> list[EventTakings]:
    """Every event, newest first, with its paid order count and net takings."""
    session = uow.session
    counts = (
        select(
            Order.event_id,
            func.count(Order.id),
            func.coalesce(func.sum(Order.paid_cents - Order.refunded_cents), 0),
        )
        .where(Order.status.in_(PAID_STATUSES))
        .group_by(Order.event_id)
    )
    totals = {eid: (int(n), int(t)) for eid, n, t in session.execute(counts)}
    events = session.scalars(select(Event).order_by(Event.id.desc()))
    return [EventTakings(e, *totals.get(e.id, (0, 0))) for e in events]


def cash_totals(uow: UnitOfWork, event_id: int) -> CashTotals:
    """(cash taken, cash refunded, paid in, paid out) for an event."""
    session = uow.session
    sales = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .join(Order, Order.id == Payment.order_id)
        .where(Order.event_id == event_id, Payment.tender == "cash", Payment.status == "succeeded")
    )
    refunds = session.scalar(
        select(func.coalesce(func.sum(Refund.amount_cents), 0))
        .join(Order, Order.id == Refund.order_id)
        .where(Order.event_id == event_id, Refund.tender == "cash", Refund.status == "succeeded")
    )
    moved = dict(
        session.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount_cents))
            .where(CashMovement.event_id == event_id)
            .group_by(CashMovement.kind)
        ).all()
    )
    return CashTotals(
        int(sales or 0),
        int(refunds or 0),
        int(moved.get("paid_in") or 0),
        int(moved.get("paid_out") or 0),
    )


def latest_currency(uow: UnitOfWork) -> str | None:
    session = uow.session
    return session.scalar(
        select(Event.currency).order_by((Event.status == "open").desc(), Event.id.desc()).limit(1)
    )


def event_by_id(uow: UnitOfWork, event_id: int) -> Event | None:
    session = uow.session
    return session.get(Event, event_id)


def last_closed_event(uow: UnitOfWork) -> Event | None:
    session = uow.session
    return session.scalars(
        select(Event).where(Event.status == "closed").order_by(Event.id.desc()).limit(1)
    ).first()


def lock_event(uow: UnitOfWork, event_id: int) -> Event | None:
    """The event row, locked on PostgreSQL so two registers cannot close it at once."""
    session = uow.session
    return session.scalars(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def unsettled_orders(uow: UnitOfWork, event_id: int) -> list[UnsettledOrder]:
    """(id, number, status, total, paid, pending) of orders open or awaiting payment;
    pending is what payments still being checked (Stripe) would add."""
    session = uow.session
    pending = (
        select(Payment.order_id, func.sum(Payment.amount_cents).label("amount"))
        .where(Payment.status == "pending")
        .group_by(Payment.order_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Order.id,
            Order.number,
            Order.status,
            Order.total_cents,
            Order.paid_cents,
            func.coalesce(pending.c.amount, 0),
        )
        .outerjoin(pending, pending.c.order_id == Order.id)
        .where(Order.event_id == event_id, Order.status.in_(("open", "awaiting_payment")))
        .order_by(Order.id)
    )
    return [UnsettledOrder(int(i), n, s, int(t), int(p), int(q)) for i, n, s, t, p, q in rows]


def tracked_skus(uow: UnitOfWork, skus: list[str]) -> dict[str, TrackedSku]:
    """upper-cased SKU -> (SKU as stored, stock tracked) for those that exist."""
    session = uow.session
    if not skus:
        return {}
    wanted = {s.upper() for s in skus}
    rows = session.execute(
        select(Variant.sku, Variant.track_stock).where(func.upper(Variant.sku).in_(wanted))
    )
    return {sku.upper(): TrackedSku(sku, bool(tracked)) for sku, tracked in rows}
