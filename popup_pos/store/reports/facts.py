"""Catalog facts the aggregates are labelled with, and stock over the event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from popup_pos.store.reports.common import (
    categories,
    edition_returns,
    movements,
    orders,
    owners,
    products,
    typed,
    variants,
)
from popup_pos.store.reports.records import SoldOutRow, StockBucket, VariantFacts
from popup_pos.store.uow import UnitOfWork

# ---- catalog facts the aggregates are labelled with --------------------------------------


def variant_facts(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, VariantFacts]:
    """id -> (id, sku, options, product_id, product, kind, category, owner, owner_share_ppm,
    edition_size, next_edition, on_hand, track_stock, returned, time_minutes)."""
    conn = uow.conn
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    returned = (
        select(edition_returns.c.variant_id, func.count().label("n"))
        .group_by(edition_returns.c.variant_id)
        .subquery()
    )
    stmt = (
        select(
            variants.c.id,
            variants.c.sku,
            variants.c.options,
            products.c.id.label("product_id"),
            products.c.name.label("product"),
            products.c.kind,
            categories.c.name.label("category"),
            owners.c.name.label("owner"),
            products.c.owner_share_ppm,
            variants.c.edition_size,
            variants.c.next_edition,
            variants.c.on_hand,
            variants.c.track_stock,
            func.coalesce(returned.c.n, 0).label("returned"),
            products.c.time_minutes,
        )
        .select_from(
            variants.join(products, products.c.id == variants.c.product_id)
            .outerjoin(categories, categories.c.id == products.c.category_id)
            .outerjoin(owners, owners.c.id == products.c.owner_id)
            .outerjoin(returned, returned.c.variant_id == variants.c.id)
        )
        .where(variants.c.id.in_(wanted))
    )
    return {f.id: f for f in typed(VariantFacts, conn.execute(stmt))}


def edition_ids(uow: UnitOfWork) -> list[int]:
    conn = uow.conn
    return list(
        conn.execute(select(variants.c.id).where(variants.c.edition_size.is_not(None))).scalars()
    )


def owner_names(uow: UnitOfWork) -> dict[int, str]:
    conn = uow.conn
    return {int(i): n for i, n in conn.execute(select(owners.c.id, owners.c.name))}


# ---- stock over the event ---------------------------------------------------------------


def stock_buckets(
    uow: UnitOfWork, event_id: int, opened_at: datetime, end: datetime | None
) -> list[StockBucket]:
    """(variant_id, bucket, units) of the ledger around the event.

    The bucket is "opening" for movements before the event opened, else the movement's
    kind, for movements of this event or of no event while it was open (a catalog import
    mid-evening). Movements of later events are left out.
    """
    conn = uow.conn
    during: ColumnElement[bool] = movements.c.created_at >= opened_at
    if end is not None:
        during = and_(during, movements.c.created_at <= end)
    before = and_(
        movements.c.created_at < opened_at,
        or_(movements.c.event_id.is_(None), movements.c.event_id != event_id),
    )
    mine: ColumnElement[bool] = or_(
        movements.c.event_id == event_id, and_(movements.c.event_id.is_(None), during)
    )
    if end is not None:
        # A closed event's stock stays as it was counted, whatever happens to it later.
        mine = and_(mine, movements.c.created_at <= end)
    bucket = case((before, "opening"), else_=movements.c.kind)
    return typed(
        StockBucket,
        conn.execute(
            select(movements.c.variant_id, bucket, func.sum(movements.c.quantity))
            .where(or_(before, mine))
            .group_by(movements.c.variant_id, bucket)
        ),
    )


def sold_out_rows(
    uow: UnitOfWork, variant_ids: Iterable[int], end: datetime | None
) -> list[SoldOutRow]:
    """(variant_id, kind, created_at, paid_at) of the movement after which each variant's
    stock stayed at zero up to `end`; variants with stock left at `end` are left out.

    A running sum over the ledger finds the last movement that left stock above zero;
    the one right after it is when the variant sold out for good.
    """
    conn = uow.conn
    wanted = sorted(set(variant_ids))
    if not wanted:
        return []
    scope: ColumnElement[bool] = movements.c.variant_id.in_(wanted)
    if end is not None:
        scope = and_(scope, movements.c.created_at <= end)
    running = (
        select(
            movements.c.variant_id,
            movements.c.id,
            func.sum(movements.c.quantity)
            .over(partition_by=movements.c.variant_id, order_by=movements.c.id)
            .label("balance"),
        )
        .where(scope)
        .cte("running")
    )
    last_stocked = (
        select(
            running.c.variant_id,
            func.coalesce(func.max(case((running.c.balance != 0, running.c.id))), 0).label(
                "last_id"
            ),
        )
        .group_by(running.c.variant_id)
        .cte("last_stocked")
    )
    first_empty = (
        select(running.c.variant_id, func.min(running.c.id).label("id"))
        .select_from(running.join(last_stocked, last_stocked.c.variant_id == running.c.variant_id))
        .where(running.c.id > last_stocked.c.last_id)
        .group_by(running.c.variant_id)
        .cte("first_empty")
    )
    stmt = select(
        movements.c.variant_id, movements.c.kind, movements.c.created_at, orders.c.paid_at
    ).select_from(
        first_empty.join(movements, movements.c.id == first_empty.c.id).outerjoin(
            orders, orders.c.id == movements.c.order_id
        )
    )
    return typed(SoldOutRow, conn.execute(stmt))
