"""Fans who opted in to hear from the seller again, across events; forgetting one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select, update

from popup_pos.store.models import Event, Order, order_emails, outbox, table_of
from popup_pos.store.reports import KEPT
from popup_pos.store.uow import UnitOfWork

orders, events = table_of(Order), table_of(Event)


@dataclass(frozen=True, slots=True)
class FanOrder:
    """One opted-in order: whose, in which event, and what it came to."""

    email_hash: str
    email: str | None
    event_id: int
    event_name: str
    event_opened: str
    order_id: int
    spent_cents: int
    currency: str


def opted_in_orders(uow: UnitOfWork) -> list[FanOrder]:
    """Every order whose fan opted in, oldest event first."""
    q = (
        select(
            order_emails.c.email_hash,
            order_emails.c.email,
            events.c.id,
            events.c.name,
            events.c.opened_at,
            orders.c.id,
            orders.c.paid_cents - orders.c.refunded_cents,
            orders.c.currency,
        )
        .join(orders, orders.c.id == order_emails.c.order_id)
        .join(events, events.c.id == order_emails.c.event_id)
        .where(order_emails.c.consent.is_(True), order_emails.c.email.is_not(None))
        .order_by(events.c.opened_at, events.c.id, orders.c.id)
    )
    return [
        FanOrder(r[0], r[1], r[2], r[3], r[4].isoformat(), r[5], int(r[6] or 0), r[7])
        for r in uow.conn.execute(q)
    ]


def opted_in_hashes_by_event(uow: UnitOfWork) -> dict[str, set[int]]:
    """Each opted-in fan (by address hash) and the events they bought in."""
    out: dict[str, set[int]] = {}
    q = select(order_emails.c.email_hash, order_emails.c.event_id).where(
        order_emails.c.consent.is_(True)
    )
    for h, event_id in uow.conn.execute(q):
        out.setdefault(h, set()).add(event_id)
    return out


def forget(uow: UnitOfWork, email_hash: str) -> int:
    """Remove an address everywhere; the orders stay, anonymous. Messages not yet sent to
    it are dropped. Returns how many orders had it."""
    n = uow.conn.execute(
        update(order_emails)
        .where(order_emails.c.email_hash == email_hash)
        .values(email=None, consent=False, consent_at=None, email_hash="forgotten")
    ).rowcount
    uow.conn.execute(
        update(outbox)
        .where(outbox.c.recipient_hash == email_hash, outbox.c.status.in_(("pending", "failed")))
        .values(status="replaced")
    )
    m = uow.conn.execute(
        update(outbox)
        .where(outbox.c.recipient_hash == email_hash)
        .values(recipient=None, raw=None, recipient_hash="forgotten")
    ).rowcount
    return n + m


def fan_counts(uow: UnitOfWork, event_id: int) -> tuple[int, int]:
    """(opted-in fans who bought in this event without a customer handle, those of them
    with two or more kept orders across all events): the report's repeat purchases count
    fans by their address hash where no handle identifies them."""
    here = (
        select(order_emails.c.email_hash)
        .join(orders, orders.c.id == order_emails.c.order_id)
        .where(
            order_emails.c.consent.is_(True),
            order_emails.c.event_id == event_id,
            orders.c.status.in_(KEPT),
            orders.c.customer_hash.is_(None),
        )
        .distinct()
        .subquery("here")
    )
    per = (
        select(order_emails.c.email_hash, func.count().label("n"))
        .join(orders, orders.c.id == order_emails.c.order_id)
        .where(
            order_emails.c.consent.is_(True),
            orders.c.status.in_(KEPT),
            order_emails.c.email_hash.in_(select(here.c.email_hash)),
        )
        .group_by(order_emails.c.email_hash)
        .subquery("per_fan")
    )
    known, repeat = uow.conn.execute(
        select(
            func.count(), func.coalesce(func.sum(case((per.c.n >= 2, 1), else_=0)), 0)
        ).select_from(per)
    ).one()
    return int(known), int(repeat)
