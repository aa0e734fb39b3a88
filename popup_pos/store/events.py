"""Event and register queries, and the sums a cash-up needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from popup_pos.store.models import (
    CashMovement,
    Event,
    Order,
    Payment,
    Refund,
    Register,
    Variant,
)

PAID_STATUSES = ("paid", "fulfilled", "partially_refunded", "refunded")


def open_event(session: Session) -> Event | None:
    return session.scalars(select(Event).where(Event.status == "open")).one_or_none()


def add_flushed(session: Session, row: Any) -> bool:
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


def register(session: Session, event_id: int, code: str) -> Register | None:
    return session.scalars(
        select(Register).where(Register.event_id == event_id, Register.code == code)
    ).one_or_none()


def waiting_order_numbers(session: Session, event_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Order.number).where(
                Order.event_id == event_id, Order.status == "awaiting_payment"
            )
        )
    )


def order_counts(session: Session, event_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Order.status, func.count(Order.id))
        .where(Order.event_id == event_id)
        .group_by(Order.status)
    ).all()
    return {status: int(n) for status, n in rows}


def events_with_takings(session: Session) -> list[tuple[Event, int, int]]:
    """Every event, newest first, with its paid order count and net takings."""
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
    return [(e, *totals.get(e.id, (0, 0))) for e in events]


def cash_totals(session: Session, event_id: int) -> tuple[int, int, int, int]:
    """(cash taken, cash refunded, paid in, paid out) for an event."""
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
    return (
        int(sales or 0),
        int(refunds or 0),
        int(moved.get("paid_in") or 0),
        int(moved.get("paid_out") or 0),
    )


def latest_currency(session: Session) -> str | None:
    return session.scalar(
        select(Event.currency).order_by((Event.status == "open").desc(), Event.id.desc()).limit(1)
    )


def event_by_id(session: Session, event_id: int) -> Event | None:
    return session.get(Event, event_id)


def last_closed_event(session: Session) -> Event | None:
    return session.scalars(
        select(Event).where(Event.status == "closed").order_by(Event.id.desc()).limit(1)
    ).first()


def lock_event(session: Session, event_id: int) -> Event | None:
    """The event row, locked on PostgreSQL so two registers cannot close it at once."""
    return session.scalars(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def unsettled_orders(session: Session, event_id: int) -> list[tuple[int, str, str, int, int, int]]:
    """(id, number, status, total, paid, pending) of orders open or awaiting payment;
    pending is what payments still being checked (Stripe) would add."""
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
    return [(int(i), n, s, int(t), int(p), int(q)) for i, n, s, t, p, q in rows]


def tracked_skus(session: Session, skus: list[str]) -> dict[str, tuple[str, bool]]:
    """upper-cased SKU -> (SKU as stored, stock tracked) for those that exist."""
    if not skus:
        return {}
    wanted = {s.upper() for s in skus}
    rows = session.execute(
        select(Variant.sku, Variant.track_stock).where(func.upper(Variant.sku).in_(wanted))
    )
    return {sku.upper(): (sku, bool(tracked)) for sku, tracked in rows}
