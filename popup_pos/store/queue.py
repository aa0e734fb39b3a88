"""What the order queue shows: this event's unpaid, to-hand-over and parked orders."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import or_, select

from popup_pos.store.models import Order, table_of
from popup_pos.store.records import all_of, columns
from popup_pos.store.uow import UnitOfWork

orders = table_of(Order)


class QueuedOrder(NamedTuple):
    id: int
    number: str
    status: str
    total_cents: int
    placed_at: datetime | None
    created_at: datetime
    parked: bool


_QUEUE = select(*columns(orders, QueuedOrder)).order_by(orders.c.id)


def queue_rows(uow: UnitOfWork, event_id: int) -> list[QueuedOrder]:
    conn = uow.conn
    return all_of(
        QueuedOrder,
        conn.execute(
            _QUEUE.where(
                orders.c.event_id == event_id,
                or_(
                    orders.c.status.in_(("awaiting_payment", "paid")),
                    (orders.c.status == "open") & orders.c.parked,
                ),
            )
        ),
    )
