"""Stock statements: the conditional decrement, the ledger, and locked reads of a variant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, select, update

from popup_pos.store.engine import DriverSql, time_binder
from popup_pos.store.models import (
    AnyRow,
    EditionReturn,
    Order,
    Product,
    StockMovement,
    Variant,
    table_of,
    utcnow,
)

variants, products = table_of(Variant), table_of(Product)
movements = table_of(StockMovement)
returns, orders = table_of(EditionReturn), table_of(Order)

# Every sale runs these, so they are written by hand (see DriverSql).
_TAKE = DriverSql("UPDATE variants SET on_hand = on_hand - :n WHERE id = :id AND on_hand >= :n")
_INSERT_MOVEMENT = DriverSql(
    """INSERT INTO stock_movements
        (variant_id, event_id, kind, quantity, reason, order_id, staff_id, created_at)
    VALUES (:variant_id, :event_id, :kind, :quantity, :reason, :order_id, :staff_id,
        :created_at)"""
)
_MOVEMENT_DEFAULTS = {"event_id": None, "order_id": None, "reason": None, "staff_id": None}


def take(conn: Connection, variant_id: int, n: int) -> bool:
    """Atomically remove n from on-hand if at least n are there; False if not.

    One conditional UPDATE checked by its row count: two registers racing for the last
    unit cannot both win, whatever the database's isolation level. Callers taking several
    variants go in ascending id order, so two PostgreSQL transactions never wait on each
    other's rows in a cycle.
    """
    return _TAKE.rowcount(conn, {"id": variant_id, "n": n}) == 1


def put(conn: Connection, variant_id: int, n: int) -> None:
    conn.execute(
        update(variants).where(variants.c.id == variant_id).values(on_hand=variants.c.on_hand + n)
    )


def on_hand(conn: Connection, variant_id: int) -> int:
    return int(
        conn.execute(select(variants.c.on_hand).where(variants.c.id == variant_id)).scalar_one()
    )


def log_movements(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Ledger rows: variant_id, kind, quantity (signed) and optionally order_id, event_id,
    reason, staff_id and created_at (default now), in one executemany."""
    if rows:
        stamp = time_binder(conn.dialect)
        now = utcnow()
        full = [
            {**_MOVEMENT_DEFAULTS, **r, "created_at": stamp(r.get("created_at") or now)}
            for r in rows
        ]
        _INSERT_MOVEMENT.many(conn, full)


def lock_by_sku(conn: Connection, sku: str) -> AnyRow | None:
    """(id, track_stock, on_hand, kind) of a variant, locked against concurrent change.

    FOR UPDATE locks the row on PostgreSQL; on SQLite BEGIN IMMEDIATE already holds the
    write lock and the clause is left out.
    """
    return conn.execute(
        select(variants.c.id, variants.c.track_stock, variants.c.on_hand, products.c.kind)
        .join_from(variants, products, products.c.id == variants.c.product_id)
        .where(variants.c.sku == sku)
        .with_for_update(of=variants)
    ).first()


def set_tracked(conn: Connection, variant_id: int) -> None:
    conn.execute(update(variants).where(variants.c.id == variant_id).values(track_stock=True))


def tracked_ids(conn: Connection, ids: Iterable[int]) -> set[int]:
    return set(
        conn.execute(
            select(variants.c.id).where(variants.c.id.in_(list(ids)), variants.c.track_stock)
        ).scalars()
    )


def ledger_sum(conn: Connection, sku: str) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(movements.c.quantity), 0))
            .select_from(movements.join(variants))
            .where(variants.c.sku == sku)
        ).scalar_one()
    )


def held_by_order(conn: Connection, order_id: int) -> list[tuple[int, int]]:
    """(variant_id, net units) an order's reservation still holds."""
    rows = conn.execute(
        select(movements.c.variant_id, func.sum(movements.c.quantity))
        .where(movements.c.order_id == order_id, movements.c.kind.in_(("sale", "sale_cancel")))
        .group_by(movements.c.variant_id)
    ).all()
    return [(vid, int(-qty)) for vid, qty in rows if qty < 0]


def edition_room(conn: Connection, variant_id: int) -> int | None:
    """How many more units of a limited edition may exist; None for open stock.

    Units that exist are those on hand, those held by unpaid orders (numbered when paid),
    and those sold with a number not given back by a refund.
    """
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
