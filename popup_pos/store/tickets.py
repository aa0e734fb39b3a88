"""Tickets: places booked on experiences, and the queue of those paid for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, insert, select, update

from popup_pos.store.models import (
    TICKET_ACTIVE,
    Order,
    OrderLine,
    Product,
    Ticket,
    Variant,
    table_of,
)
from popup_pos.store.records import TicketRecord, all_of, columns, one_of
from popup_pos.store.uow import UnitOfWork

tickets, lines, orders = table_of(Ticket), table_of(OrderLine), table_of(Order)
variants, products = table_of(Variant), table_of(Product)

# What the queue shows: tickets paid for, in any state but cancelled.
QUEUED = ("waiting", "called", "done", "no_show")


class QueuedTicket(NamedTuple):
    """A ticket as the queue shows it, with its line's name, its order and its time cost."""

    id: int
    event_id: int
    order_line_id: int
    status: str
    personalisation: str | None
    created_at: datetime
    called_at: datetime | None
    done_at: datetime | None
    slot_at: datetime | None
    variant_id: int | None
    name: str
    sku: str | None
    number: str
    order_id: int
    time_minutes: int | None


class Experience(NamedTuple):
    """An experience's booking rules: capacity per event, and its time slots if it has them."""

    id: int
    sku: str
    name: str
    capacity: int | None
    slots_from: str | None
    slots_until: str | None
    slot_minutes: int | None


class PlaceRule(NamedTuple):
    variant_id: int
    capacity: int | None
    slots_from: str | None
    slots_until: str | None
    slot_minutes: int | None


class TakenPlace(NamedTuple):
    variant_id: int | None
    slot_at: datetime | None


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


def queue(uow: UnitOfWork, event_id: int) -> list[QueuedTicket]:
    """Every paid-for ticket of the event, oldest first."""
    conn = uow.conn
    return all_of(
        QueuedTicket,
        conn.execute(
            _QUEUE.where(tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED)).order_by(
                tickets.c.id
            )
        ),
    )


def one(uow: UnitOfWork, ticket_id: int) -> QueuedTicket | None:
    conn = uow.conn
    return one_of(QueuedTicket, conn.execute(_QUEUE.where(tickets.c.id == ticket_id)).first())


def of_orders(uow: UnitOfWork, order_ids: Iterable[int]) -> list[QueuedTicket]:
    """The tickets of these orders (any state), by id."""
    conn = uow.conn
    ids = sorted(set(order_ids))
    if not ids:
        return []
    return all_of(
        QueuedTicket, conn.execute(_QUEUE.where(orders.c.id.in_(ids)).order_by(tickets.c.id))
    )


class NewTicket(NamedTuple):
    event_id: int
    order_line_id: int
    variant_id: int | None
    status: str
    personalisation: str | None
    slot_at: datetime | None
    created_at: datetime


def create(uow: UnitOfWork, rows: Sequence[NewTicket]) -> None:
    conn = uow.conn
    if rows:
        conn.execute(insert(tickets), [r._asdict() for r in rows])


def lock(uow: UnitOfWork, ticket_id: int) -> TicketRecord | None:
    conn = uow.conn
    stmt = select(*columns(tickets, TicketRecord)).where(tickets.c.id == ticket_id)
    return one_of(TicketRecord, conn.execute(stmt.with_for_update()).first())


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


def set_status(
    uow: UnitOfWork,
    ticket_id: int,
    status: str,
    *,
    called_at: datetime | None = None,
    done_at: datetime | None = None,
) -> None:
    """The ticket's new status, and when it was called or done if that is what happened
    (a time left out stays as it was)."""
    values: dict[str, object] = {"status": status}
    if called_at is not None:
        values["called_at"] = called_at
    if done_at is not None:
        values["done_at"] = done_at
    uow.conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(values))


# ---- booking places on an experience --------------------------------------------------


def lock_experience(uow: UnitOfWork, variant_id: int) -> Experience | None:
    """The experience's booking rules (capacity, slots), its variant row locked so two
    registers count and book its places one after the other (on SQLite, BEGIN IMMEDIATE
    already serialises them)."""
    conn = uow.conn
    row = conn.execute(
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
    return one_of(Experience, row)


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


def places(uow: UnitOfWork, event_id: int) -> tuple[list[PlaceRule], list[TakenPlace]]:
    """The experiences with a capacity or time slots (variant id, capacity, slot plan), and
    the places taken on them this event (variant id, slot start or None)."""
    conn = uow.conn
    rules = all_of(
        PlaceRule,
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
        ),
    )
    if not rules:
        return [], []
    taken = all_of(
        TakenPlace,
        conn.execute(
            select(tickets.c.variant_id, tickets.c.slot_at).where(
                tickets.c.event_id == event_id,
                tickets.c.status.in_(TICKET_ACTIVE),
                tickets.c.variant_id.in_([r.variant_id for r in rules]),
            )
        ),
    )
    return rules, taken
