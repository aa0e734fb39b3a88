"""Download codes as the back office reads them: each pool counted, one code found, voided."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Join, Select, case, func, select, update

from popup_pos.store import stock as stock_store
from popup_pos.store.models import (
    DownloadCode,
    Event,
    Order,
    OrderLine,
    Product,
    Variant,
    table_of,
)
from popup_pos.store.uow import UnitOfWork

codes, lines, orders = table_of(DownloadCode), table_of(OrderLine), table_of(Order)
variants, products, events = table_of(Variant), table_of(Product), table_of(Event)


@dataclass(frozen=True, slots=True)
class PoolCount:
    """One digital variant's pool; `held` codes are unused but kept for unpaid orders."""

    variant_id: int
    sku: str
    name: str
    unused: int
    held: int
    assigned: int
    void: int


@dataclass(frozen=True, slots=True)
class CodeRecord:
    id: int
    variant_id: int
    code: str
    sku: str
    name: str
    status: str  # unused | assigned | void
    order_id: int | None
    order_number: str | None
    event_name: str | None
    imported_at: datetime | None
    assigned_at: datetime | None
    voided_at: datetime | None


class HandedOut(NamedTuple):
    """A code given to an order of the exported event: a row of the export's codes table,
    in its column order."""

    code: str
    sku: str
    order_number: str
    status: str
    assigned_at: datetime | None
    voided_at: datetime | None


def pool_counts(uow: UnitOfWork) -> list[PoolCount]:
    """Every digital variant that is not archived, with its codes counted by state."""
    counted = (
        select(
            codes.c.variant_id,
            func.count().filter(codes.c.status == "unused").label("unused"),
            func.count().filter(codes.c.status == "assigned").label("assigned"),
            func.count().filter(codes.c.status == "void").label("void"),
        )
        .group_by(codes.c.variant_id)
        .subquery()
    )
    rows = uow.conn.execute(
        select(
            variants.c.id,
            variants.c.sku,
            products.c.name,
            variants.c.on_hand,
            func.coalesce(counted.c.unused, 0),
            func.coalesce(counted.c.assigned, 0),
            func.coalesce(counted.c.void, 0),
        )
        .join_from(variants, products, products.c.id == variants.c.product_id)
        .outerjoin(counted, counted.c.variant_id == variants.c.id)
        .where(products.c.kind == "digital", variants.c.archived.is_(False))
        .order_by(variants.c.sku)
    )
    out = []
    for vid, sku, name, on_hand, unused, assigned, void in rows:
        # The stock of a digital variant is its unused codes less those held by orders
        # awaiting payment: the difference is what is held.
        held = max(0, int(unused) - int(on_hand))
        out.append(PoolCount(vid, sku, name, int(unused), held, int(assigned), int(void)))
    return out


def _record_select() -> Select[Any]:
    return (
        select(
            codes.c.id,
            codes.c.variant_id,
            codes.c.code,
            variants.c.sku,
            products.c.name,
            codes.c.status,
            orders.c.id,
            orders.c.number,
            events.c.name,
            codes.c.imported_at,
            codes.c.assigned_at,
            codes.c.voided_at,
        )
        .join_from(codes, variants, variants.c.id == codes.c.variant_id)
        .join(products, products.c.id == variants.c.product_id)
        .outerjoin(lines, lines.c.id == codes.c.order_line_id)
        .outerjoin(orders, orders.c.id == lines.c.order_id)
        .outerjoin(events, events.c.id == orders.c.event_id)
    )


def find(uow: UnitOfWork, code: str, *, limit: int = 50) -> list[CodeRecord]:
    """The codes spelt like `code`, ignoring case (pools of different items may share one)."""
    stmt = (
        _record_select()
        .where(func.lower(codes.c.code) == code.lower())
        .order_by(codes.c.id)
        .limit(limit)
    )
    return [CodeRecord(*row) for row in uow.conn.execute(stmt)]


def one(uow: UnitOfWork, code_id: int, *, lock: bool = False) -> CodeRecord | None:
    stmt = _record_select().where(codes.c.id == code_id)
    if lock and uow.conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=codes)
    row = uow.conn.execute(stmt).first()
    return None if row is None else CodeRecord(*row)


def mark_void(uow: UnitOfWork, code_id: int, was: str, now: datetime) -> bool:
    """Void the code if it is still in the state `was`; False if another register got there
    first (checked by the row count, never read-then-write)."""
    done = uow.conn.execute(
        update(codes)
        .where(codes.c.id == code_id, codes.c.status == was)
        .values(status="void", voided_at=now)
    )
    return done.rowcount == 1


def of_order(uow: UnitOfWork, order_id: int) -> list[CodeRecord]:
    stmt = _record_select().where(orders.c.id == order_id).order_by(codes.c.id)
    return [CodeRecord(*row) for row in uow.conn.execute(stmt)]


def _handed_out(event_id: int) -> tuple[Join, ColumnElement[bool]]:
    return (
        codes.join(lines, lines.c.id == codes.c.order_line_id)
        .join(orders, orders.c.id == lines.c.order_id)
        .join(variants, variants.c.id == codes.c.variant_id)
    ), orders.c.event_id == event_id


def handed_out(uow: UnitOfWork, event_id: int) -> Iterator[HandedOut]:
    """The codes given to the event's orders, in the order they were given; on the
    export's connection, so they are read in its one snapshot."""
    joined, of_event = _handed_out(event_id)
    stmt = (
        select(
            codes.c.code,
            variants.c.sku,
            orders.c.number,
            codes.c.status,
            codes.c.assigned_at,
            codes.c.voided_at,
        )
        .select_from(joined)
        .where(of_event)
        .order_by(
            case((codes.c.assigned_at.is_(None), 1), else_=0), codes.c.assigned_at, codes.c.id
        )
    )
    for row in uow.conn.execute(stmt):
        yield HandedOut(*row)


def handed_out_count(uow: UnitOfWork, event_id: int) -> int:
    joined, of_event = _handed_out(event_id)
    return int(
        uow.conn.execute(select(func.count()).select_from(joined).where(of_event)).scalar_one()
    )


def take_one(uow: UnitOfWork, variant_id: int) -> bool:
    """One unit off the variant's stock, if one is there (a conditional update)."""
    return stock_store.take(uow, variant_id, 1)


def on_hand(uow: UnitOfWork, variant_id: int) -> int:
    return stock_store.on_hand(uow, variant_id)


def log_voided(
    uow: UnitOfWork, variant_id: int, reason: str, *, event_id: int | None, staff_id: int | None
) -> None:
    """The ledger's adjustment for an unused code taken out of the pool."""
    move = stock_store.StockMove(
        variant_id, "adjustment", -1, reason=reason, event_id=event_id, staff_id=staff_id
    )
    stock_store.log_moves(uow, [move])
