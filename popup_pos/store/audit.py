"""Audit log statements: append under a lock so the hash chain never forks, read in order,
and read back what the log is replayed against."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from popup_pos.store.engine import DriverSql
from popup_pos.store.models import (
    AuditEntry,
    Event,
    Order,
    Payment,
    Refund,
    StockMovement,
    Variant,
    table_of,
)

entries = table_of(AuditEntry)
_events = table_of(Event)
_orders = table_of(Order)
_payments = table_of(Payment)
_refunds = table_of(Refund)
_movements = table_of(StockMovement)
_variants = table_of(Variant)
# Any fixed number: PostgreSQL serialises appends on it.
_PG_AUDIT_LOCK = 7_301_337
# Every sale appends, so these are written by hand (see DriverSql).
_PG_LOCK = DriverSql("SELECT pg_advisory_xact_lock(:key)")
_LAST_HASH = DriverSql("SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1")
_INSERT = DriverSql(
    """INSERT INTO audit_entries (at, actor, action, entity, entity_id, data, prev_hash, hash)
    VALUES (:at, :actor, :action, :entity, :entity_id, :data, :prev_hash, :hash)"""
)
_ID_OF = DriverSql("SELECT id FROM audit_entries WHERE hash = :hash")
_COUNT_UP_TO = DriverSql("SELECT count(*) FROM audit_entries WHERE id > :after AND id <= :upto")


def lock_and_last_hash(conn: Connection) -> str | None:
    """Take the append lock for this transaction and return the newest entry's hash.

    On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE); on
    PostgreSQL a transaction-scoped advisory lock makes appenders queue, so two never
    chain onto the same entry.
    """
    if conn.dialect.name == "postgresql":
        _PG_LOCK.first(conn, {"key": _PG_AUDIT_LOCK})
    row = _LAST_HASH.first(conn, {})
    return None if row is None else str(row[0])


def append(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Entries with every column but id, in chain order."""
    _INSERT.many(conn, rows)


def id_of(conn: Connection, entry_hash: str) -> int | None:
    row = _ID_OF.first(conn, {"hash": entry_hash})
    return None if row is None else int(row[0])


def count_between(conn: Connection, after: int, upto: int) -> int:
    """Entries with `after < id <= upto`: a range of the primary key, cheap when short."""
    row = _COUNT_UP_TO.first(conn, {"after": after, "upto": upto})
    return 0 if row is None else int(row[0])


def in_order(conn: Connection) -> Iterator[RowMapping]:
    yield from conn.execute(select(entries).order_by(entries.c.id)).mappings()


def of_entity(
    conn: Connection, entity: str, entity_id: str, actions: Sequence[str]
) -> list[RowMapping]:
    """One entity's entries with those actions, oldest first."""
    stmt = (
        select(entries)
        .where(
            entries.c.entity == entity,
            entries.c.entity_id == entity_id,
            entries.c.action.in_(actions),
        )
        .order_by(entries.c.id)
    )
    return list(conn.execute(stmt).mappings())


def head(conn: Connection) -> tuple[int, str] | None:
    """(entry count, newest hash), or None for an empty log."""
    row = conn.execute(select(entries.c.hash).order_by(entries.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return int(conn.execute(select(func.count()).select_from(entries)).scalar_one()), row[0]


def position_of(
    conn: Connection, action: str, entity: str, entity_id: str
) -> tuple[int, str] | None:
    """(position in the chain, hash) of the newest entry with this action and entity."""
    row = conn.execute(
        select(entries.c.id, entries.c.hash)
        .where(
            entries.c.action == action,
            entries.c.entity == entity,
            entries.c.entity_id == entity_id,
        )
        .order_by(entries.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    n = conn.execute(
        select(func.count()).select_from(entries).where(entries.c.id <= row[0])
    ).scalar_one()
    return int(n), str(row[1])


# ---- what the log is replayed against ----------------------------------------------------


def event_ids(conn: Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute(select(_events.c.id).order_by(_events.c.id))]


def orders(conn: Connection) -> list[RowMapping]:
    """Every order with its status and money, and the sums of its payments and refunds."""
    paid = (
        select(_payments.c.order_id, func.sum(_payments.c.amount_cents).label("paid"))
        .where(_payments.c.status == "succeeded")
        .group_by(_payments.c.order_id)
        .subquery()
    )
    refunded = (
        select(_refunds.c.order_id, func.sum(_refunds.c.amount_cents).label("refunded"))
        .group_by(_refunds.c.order_id)
        .subquery()
    )
    stmt = (
        select(
            _orders.c.id,
            _orders.c.event_id,
            _orders.c.number,
            _orders.c.status,
            _orders.c.total_cents,
            _orders.c.paid_cents,
            _orders.c.refunded_cents,
            func.coalesce(paid.c.paid, 0).label("payments_cents"),
            func.coalesce(refunded.c.refunded, 0).label("refunds_cents"),
        )
        .outerjoin(paid, paid.c.order_id == _orders.c.id)
        .outerjoin(refunded, refunded.c.order_id == _orders.c.id)
        .order_by(_orders.c.id)
    )
    return list(conn.execute(stmt).mappings())


def payments(conn: Connection) -> dict[int, RowMapping]:
    stmt = select(
        _payments.c.id, _payments.c.order_id, _payments.c.amount_cents, _payments.c.status
    )
    return {int(r["id"]): r for r in conn.execute(stmt).mappings()}


def stock(conn: Connection) -> list[RowMapping]:
    """Every variant's SKU, on-hand count and the sum of its ledger, by kind of movement."""
    stmt = select(_variants.c.id, _variants.c.sku, _variants.c.on_hand).order_by(_variants.c.id)
    return list(conn.execute(stmt).mappings())


def ledger(conn: Connection) -> dict[tuple[int, str], int]:
    """(variant id, movement kind) -> sum of its quantities."""
    stmt = select(
        _movements.c.variant_id, _movements.c.kind, func.sum(_movements.c.quantity)
    ).group_by(_movements.c.variant_id, _movements.c.kind)
    return {(int(v), str(k)): int(n) for v, k, n in conn.execute(stmt)}


def order_movements(conn: Connection) -> dict[int, dict[str, int]]:
    """order id -> {variant id: stock moved}, from the ledger rows tied to an order."""
    stmt = (
        select(_movements.c.order_id, _movements.c.variant_id, func.sum(_movements.c.quantity))
        .where(_movements.c.order_id.is_not(None))
        .group_by(_movements.c.order_id, _movements.c.variant_id)
    )
    out: dict[int, dict[str, int]] = {}
    for order_id, vid, n in conn.execute(stmt):
        if n:
            out.setdefault(int(order_id), {})[str(vid)] = int(n)
    return out
