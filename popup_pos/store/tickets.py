"""Micro-gig tickets: the queue of experience lines waiting to be called."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from popup_pos.store.models import AnyRow, Order, OrderLine, Ticket, table_of

tickets, lines, orders = table_of(Ticket), table_of(OrderLine), table_of(Order)

_QUEUE = select(
    tickets.c.id,
    tickets.c.status,
    tickets.c.personalisation,
    tickets.c.created_at,
    tickets.c.called_at,
    tickets.c.done_at,
    lines.c.name,
    lines.c.sku,
    orders.c.number,
).select_from(
    tickets.join(lines, lines.c.id == tickets.c.order_line_id).join(
        orders, orders.c.id == lines.c.order_id
    )
)


def queue(conn: Connection, event_id: int) -> list[AnyRow]:
    """Every ticket of the event, oldest first."""
    return list(conn.execute(_QUEUE.where(tickets.c.event_id == event_id).order_by(tickets.c.id)))


def create(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(tickets), rows)


def lock(conn: Connection, ticket_id: int) -> AnyRow | None:
    return conn.execute(select(tickets).where(tickets.c.id == ticket_id).with_for_update()).first()


def next_waiting(conn: Connection, event_id: int) -> int | None:
    return conn.execute(
        select(tickets.c.id)
        .where(tickets.c.event_id == event_id, tickets.c.status == "waiting")
        .order_by(tickets.c.id)
        .limit(1)
        .with_for_update()
    ).scalar()


def set_status(conn: Connection, ticket_id: int, status: str, **times: datetime) -> None:
    conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(status=status, **times))
