"""Customer handles: the event's salt and what one (hashed) customer has bought."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from popup_pos.store.models import Event, Order, OrderLine, Variant, table_of
from popup_pos.store.uow import UnitOfWork

events, orders, lines = table_of(Event), table_of(Order), table_of(OrderLine)
variants = table_of(Variant)

# Orders that hold or own what they bought: counted against a per-person limit.
HOLDING = ("awaiting_payment", "paid", "fulfilled", "partially_refunded")


def salt(uow: UnitOfWork, event_id: int) -> str | None:
    return uow.conn.execute(select(events.c.customer_salt).where(events.c.id == event_id)).scalar()


def set_salt(uow: UnitOfWork, event_id: int, value: str) -> str:
    """Store the event's salt unless another register already did; the salt in force."""
    uow.conn.execute(
        update(events)
        .where(events.c.id == event_id, events.c.customer_salt.is_(None))
        .values(customer_salt=value)
    )
    found = salt(uow, event_id)
    assert found is not None
    return found


def bought(
    uow: UnitOfWork, event_id: int, customer_hash: str, variant_ids: Iterable[int]
) -> dict[int, int]:
    """Units of each variant this customer holds in the event's orders, refunds taken off."""
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    rows = uow.conn.execute(
        select(lines.c.variant_id, func.sum(lines.c.quantity - lines.c.refunded_quantity))
        .join_from(lines, orders, orders.c.id == lines.c.order_id)
        .where(
            orders.c.event_id == event_id,
            orders.c.customer_hash == customer_hash,
            orders.c.status.in_(HOLDING),
            lines.c.variant_id.in_(ids),
        )
        .group_by(lines.c.variant_id)
    )
    return {int(vid): int(n or 0) for vid, n in rows}


def lock_variants(uow: UnitOfWork, variant_ids: Iterable[int]) -> None:
    """Lock these variants in id order, so one customer buying at two registers at once is
    counted one sale after the other (SQLite's BEGIN IMMEDIATE already serialises sales)."""
    ids = sorted(set(variant_ids))
    conn = uow.conn
    if ids and conn.dialect.name == "postgresql":
        stmt = select(variants.c.id).where(variants.c.id.in_(ids)).order_by(variants.c.id)
        conn.execute(stmt.with_for_update())
