"""What the order queue shows: this event's unpaid, to-hand-over and parked orders."""

from __future__ import annotations

from sqlalchemy import or_, select

from popup_pos.store.models import AnyRow, Order, table_of
from popup_pos.store.uow import UnitOfWork

orders = table_of(Order)

_QUEUE = select(
    orders.c.id,
    orders.c.number,
    orders.c.status,
    orders.c.total_cents,
    orders.c.placed_at,
    orders.c.created_at,
    orders.c.parked,
).order_by(orders.c.id)


def queue_rows(uow: UnitOfWork, event_id: int) -> list[AnyRow]:
    conn = uow.conn
    return list(
        conn.execute(
            _QUEUE.where(
                orders.c.event_id == event_id,
                or_(
                    orders.c.status.in_(("awaiting_payment", "paid")),
                    (orders.c.status == "open") & orders.c.parked,
                ),
            )
        )
    )
