"""Micro-gig tickets: places booked on experiences, and the queue of those paid for."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from popup_pos.store.models import (
    TICKET_ACTIVE,
    AnyRow,
    Order,
    OrderLine,
    Product,
    Ticket,
    Variant,
    table_of,
)
from popup_pos.store.uow import UnitOfWork

tickets, lines, orders = table_of(Ticket), table_of(OrderLine), table_of(Order)
variants, products = table_of(Variant), table_of(Product)

# What the queue shows: tickets paid for, in any state but cancelled.
QUEUED = ("waiting", "called", "done", "no_show")

_QUEUE = select(
    tickets.c.id,
    tickets.c.event_id,
    tickets.c.order_line_id,
    tickets.c.status,
    tickets.c.personalisation,
    tickets.c.created_at,
    tickets.c.called_at,
    tickets.c.done_at,
    tickets.c.slot_at,
    tickets.c.variant_id,
    lines.c.name,
    lines.c.sku,
    orders.c.number,
    orders.c.id.label("order_id"),
    products.c.time_minutes,
).select_from(
    tickets.join(lines, lines.c.id == tickets.c.order_line_id)
    .join(orders, orders.c.id == lines.c.order_id)
    .outerjoin(variants, variants.c.id == tickets.c.variant_id)
    .outerjoin(products, products.c.id == variants.c.product_id)
)


def queue(uow: UnitOfWork, event_id: int) -> list[AnyRow]:
    """Every paid-for ticket of the event, oldest first."""
    conn = uow.conn
    return list(
        conn.execute(
            _QUEUE.where(tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED)).order_by(
                tickets.c.id
            )
        )
    )


def one(uow: UnitOfWork, ticket_id: int) -> AnyRow | None:
    conn = uow.conn
    return conn.execute(_QUEUE.where(tickets.c.id == ticket_id)).first()


def of_orders(uow: UnitOfWork, order_ids: Iterable[int]) -> list[AnyRow]:
    """The tickets of these orders (any state), by id."""
    conn = uow.conn
    ids = sorted(set(order_ids))
    if not ids:
        return []
    return list(
        conn.execute(_QUEUE.where(orders.c.id.in_(ids)).order_by(tickets.c.id)),
    )


def create(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    conn = uow.conn
    if rows:
        conn.execute(insert(tickets), rows)


def lock(uow: UnitOfWork, ticket_id: int) -> AnyRow | None:
    conn = uow.conn
    return conn.execute(select(tickets).where(tickets.c.id == ticket_id).with_for_update()).first()


def next_waiting(uow: UnitOfWork, event_id: int) -> int | None:
    """The waiting ticket that is due first: a slot's start, or when it joined the queue."""
    conn = uow.conn
    due = func.coalesce(tickets.c.slot_at, tickets.c.created_at)
    return conn.execute(
        select(tickets.c.id)
        .where(tickets.c.event_id == event_id, tickets.c.status == "waiting")
        .order_by(due, tickets.c.id)
        .limit(1)
        .with_for_update()
    ).scalar()


def set_status(uow: UnitOfWork, ticket_id: int, status: str, **times: datetime) -> None:
    conn = uow.conn
    conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(status=status, **times))


# ---- booking places on an experience --------------------------------------------------


def lock_experience(uow: UnitOfWork, variant_id: int) -> AnyRow | None:
    """The experience's booking rules (capacity, slots), its variant row locked so two
    registers count and book its places one after the other (on SQLite, BEGIN IMMEDIATE
    already serialises them)."""
    conn = uow.conn
    return conn.execute(
        select(
            variants.c.id,
            variants.c.sku,
            products.c.name,
            products.c.capacity,
            products.c.slots_from,
            products.c.slots_until,
            products.c.slot_minutes,
        )
        .join_from(variants, products, products.c.id == variants.c.product_id)
        .where(variants.c.id == variant_id)
        .with_for_update(of=variants)
    ).first()


def booked(uow: UnitOfWork, event_id: int, variant_id: int) -> tuple[int, set[datetime]]:
    """How many places of the experience are taken this event, and the slots among them."""
    conn = uow.conn
    rows = conn.execute(
        select(tickets.c.slot_at).where(
            tickets.c.event_id == event_id,
            tickets.c.variant_id == variant_id,
            tickets.c.status.in_(TICKET_ACTIVE),
        )
    ).scalars()
    count, slots = 0, set()
    for slot in rows:
        count += 1
        if slot is not None:
            slots.add(slot)
    return count, slots


def release_held(uow: UnitOfWork, order_id: int, now: datetime) -> None:
    """The order is paid: its held tickets join the queue, in the order of payment."""
    conn = uow.conn
    conn.execute(
        update(tickets)
        .where(
            tickets.c.order_line_id.in_(select(lines.c.id).where(lines.c.order_id == order_id)),
            tickets.c.status == "held",
        )
        .values(status="waiting", created_at=now)
    )


def cancel_held(uow: UnitOfWork, order_id: int) -> None:
    """The order was cancelled before it was paid: its places are free again."""
    conn = uow.conn
    conn.execute(
        update(tickets)
        .where(
            tickets.c.order_line_id.in_(select(lines.c.id).where(lines.c.order_id == order_id)),
            tickets.c.status == "held",
        )
        .values(status="cancelled")
    )


# Which tickets a refund cancels first: those not yet served, newest first.
_CANCEL_ORDER = {"held": 0, "waiting": 0, "no_show": 1, "called": 2}


def cancel_for_refund(uow: UnitOfWork, order_line_id: int, n: int) -> int:
    """Cancel up to n of the line's tickets not yet done; how many were cancelled."""
    conn = uow.conn
    rows = conn.execute(
        select(tickets.c.id, tickets.c.status).where(
            tickets.c.order_line_id == order_line_id, tickets.c.status.in_(tuple(_CANCEL_ORDER))
        )
    ).all()
    picked = sorted(rows, key=lambda r: (_CANCEL_ORDER[r.status], -r.id))[:n]
    if picked:
        conn.execute(
            update(tickets)
            .where(tickets.c.id.in_([r.id for r in picked]))
            .values(status="cancelled")
        )
    return len(picked)


def places(uow: UnitOfWork, event_id: int) -> tuple[list[AnyRow], list[AnyRow]]:
    """The experiences with a capacity or time slots (variant id, capacity, slot plan), and
    the places taken on them this event (variant id, slot start or None)."""
    conn = uow.conn
    rules = list(
        conn.execute(
            select(
                variants.c.id,
                products.c.capacity,
                products.c.slots_from,
                products.c.slots_until,
                products.c.slot_minutes,
            )
            .join_from(variants, products, products.c.id == variants.c.product_id)
            .where(
                products.c.kind == "experience",
                variants.c.archived.is_(False),
                (products.c.capacity.is_not(None)) | (products.c.slot_minutes.is_not(None)),
            )
        )
    )
    if not rules:
        return [], []
    taken = list(
        conn.execute(
            select(tickets.c.variant_id, tickets.c.slot_at).where(
                tickets.c.event_id == event_id,
                tickets.c.status.in_(TICKET_ACTIVE),
                tickets.c.variant_id.in_([r.id for r in rules]),
            )
        )
    )
    return rules, taken
