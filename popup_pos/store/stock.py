"""Stock statements: the conditional decrement, the ledger, and locked reads of a variant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import func, select, update

from popup_pos.store.engine import DriverSql, time_binder
from popup_pos.store.models import (
    EditionReturn,
    Order,
    Product,
    StockMovement,
    Variant,
    table_of,
    utcnow,
)
from popup_pos.store.uow import UnitOfWork

variants, products = table_of(Variant), table_of(Product)
movements = table_of(StockMovement)
returns, orders = table_of(EditionReturn), table_of(Order)


class StockMove(NamedTuple):
    """One stock ledger row: a signed quantity of a variant, with why and for what."""

    variant_id: int
    kind: str
    quantity: int
    order_id: int | None = None
    event_id: int | None = None
    reason: str | None = None
    staff_id: int | None = None


class Held(NamedTuple):
    """Units of a variant an unpaid order's reservation still holds."""

    variant_id: int
    quantity: int


class LockedVariant(NamedTuple):
    """A variant's stock facts, read under a lock against concurrent change."""

    id: int
    track_stock: bool
    on_hand: int
    kind: str


# Every sale runs these, so they are written by hand (see DriverSql).
_TAKE = DriverSql("UPDATE variants SET on_hand = on_hand - :n WHERE id = :id AND on_hand >= :n")
_INSERT_MOVEMENT = DriverSql(
    """INSERT INTO stock_movements
        (variant_id, event_id, kind, quantity, reason, order_id, staff_id, created_at)
    VALUES (:variant_id, :event_id, :kind, :quantity, :reason, :order_id, :staff_id,
        :created_at)"""
)


def take(uow: UnitOfWork, variant_id: int, n: int) -> bool:
    """Atomically remove n from on-hand if at least n are there; False if not.

    One conditional UPDATE checked by its row count: two registers racing for the last
    unit cannot both win, whatever the database's isolation level. Callers taking several
    variants go in ascending id order, so two PostgreSQL transactions never wait on each
    other's rows in a cycle.
    """
    return _TAKE.rowcount(uow.conn, {"id": variant_id, "n": n}) == 1


def put(uow: UnitOfWork, variant_id: int, n: int) -> None:
    uow.conn.execute(
        update(variants).where(variants.c.id == variant_id).values(on_hand=variants.c.on_hand + n)
    )


def on_hand(uow: UnitOfWork, variant_id: int) -> int:
    return int(
        uow.conn.execute(select(variants.c.on_hand).where(variants.c.id == variant_id)).scalar_one()
    )


def log_moves(uow: UnitOfWork, moves: Sequence[StockMove]) -> None:
    """Ledger rows in one executemany, stamped now."""
    if moves:
        conn = uow.conn
        now = time_binder(conn.dialect)(utcnow())
        _INSERT_MOVEMENT.many(conn, [{**m._asdict(), "created_at": now} for m in moves])


def lock_by_sku(uow: UnitOfWork, sku: str) -> LockedVariant | None:
    """A variant's stock flag, count and product kind, locked against concurrent change.

    FOR UPDATE locks the row on PostgreSQL; on SQLite BEGIN IMMEDIATE already holds the
    write lock and the clause is left out.
    """
    row = uow.conn.execute(
        select(variants.c.id, variants.c.track_stock, variants.c.on_hand, products.c.kind)
        .join_from(variants, products, products.c.id == variants.c.product_id)
        .where(variants.c.sku == sku)
        .with_for_update(of=variants)
    ).first()
    if row is None:
        return None
    return LockedVariant(int(row.id), bool(row.track_stock), int(row.on_hand), str(row.kind))


def set_tracked(uow: UnitOfWork, variant_id: int) -> None:
    uow.conn.execute(update(variants).where(variants.c.id == variant_id).values(track_stock=True))


def tracked_ids(uow: UnitOfWork, ids: Iterable[int]) -> set[int]:
    return set(
        uow.conn.execute(
            select(variants.c.id).where(variants.c.id.in_(list(ids)), variants.c.track_stock)
        ).scalars()
    )


def ledger_sum(uow: UnitOfWork, sku: str) -> int:
    """The sum of a variant's ledger (equal to its on-hand while the books are right)."""
    return int(
        uow.conn.execute(
            select(func.coalesce(func.sum(movements.c.quantity), 0))
            .select_from(movements.join(variants))
            .where(variants.c.sku == sku)
        ).scalar_one()
    )


def held_by_order(uow: UnitOfWork, order_id: int) -> list[Held]:
    """The net units an order's reservation still holds, per variant."""
    rows = uow.conn.execute(
        select(movements.c.variant_id, func.sum(movements.c.quantity))
        .where(movements.c.order_id == order_id, movements.c.kind.in_(("sale", "sale_cancel")))
        .group_by(movements.c.variant_id)
    ).all()
    return [Held(int(vid), int(-qty)) for vid, qty in rows if qty < 0]


def edition_room(uow: UnitOfWork, variant_id: int) -> int | None:
    """How many more units of a limited edition may exist; None for open stock.

    Units that exist are those on hand, those held by unpaid orders (numbered when paid),
    and those sold with a number not given back by a refund.
    """
    conn = uow.conn
    row = conn.execute(
        select(variants.c.edition_size, variants.c.next_edition, variants.c.on_hand).where(
            variants.c.id == variant_id
        )
    ).first()
    if row is None or row.edition_size is None:
        return None
    given_back = conn.execute(
        select(func.count()).where(returns.c.variant_id == variant_id)
    ).scalar_one()
    held = conn.execute(
        select(func.coalesce(func.sum(movements.c.quantity), 0))
        .select_from(movements.join(orders, orders.c.id == movements.c.order_id))
        .where(
            movements.c.variant_id == variant_id,
            movements.c.kind.in_(("sale", "sale_cancel")),
            orders.c.status == "awaiting_payment",
        )
    ).scalar_one()
    numbered = row.next_edition - 1 - int(given_back)
    return int(row.edition_size - numbered - row.on_hand + int(held))
