"""Audit log statements: append under a lock so the hash chain never forks, read in order,
and read back what the log is replayed against."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, RowMapping, func, select

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
from popup_pos.store.uow import UnitOfWork

# The handle an anchor file is kept for: one per database, whichever unit of work.
Database = Engine

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


def lock_and_last_hash(uow: UnitOfWork) -> str | None:
    """Take the append lock for this transaction and return the newest entry's hash.

    On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE); on
    PostgreSQL a transaction-scoped advisory lock makes appenders queue, so two never
    chain onto the same entry.
    """
    conn = uow.conn
    if conn.dialect.name == "postgresql":
        _PG_LOCK.first(conn, {"key": _PG_AUDIT_LOCK})
    row = _LAST_HASH.first(conn, {})
    return None if row is None else str(row[0])


def append(uow: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> None:
    """Entries with every column but id, in chain order."""
    _INSERT.many(uow.conn, rows)


# ---- the head's anchor file ---------------------------------------------------------------


def public_url(engine: Database) -> str:
    return engine.url.render_as_string(hide_password=True)


def anchor_location(engine: Database, server_folder: Callable[[], Path]) -> Path | None:
    """Beside a SQLite file (`popup-pos.sqlite.audit-head`); for a server database, in
    `server_folder()`, one file per database (its URL without the password); None for an
    in-memory database."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        db = url.database
        if not db or db == ":memory:" or db.startswith("file::memory:"):
            return None
        source = Path(db)
        return source.with_name(source.name + ".audit-head")
    public = url.set(password=None).render_as_string(hide_password=False)
    digest = hashlib.sha256(public.encode()).hexdigest()[:16]
    label = re.sub(r"[^A-Za-z0-9]+", "-", f"{url.host or 'local'}-{url.database or ''}")
    return server_folder() / f"{label.strip('-')}-{digest}.audit-head"


def position_of_hash(
    engine: Database, entry_hash: str, known: tuple[int, int] | None
) -> tuple[int, int] | None:
    """(id, position in the chain) of the entry with this hash, counting on from `known`
    (the id and position of an older head); None if it is gone or older than `known`.
    Read on a connection of its own, outside any unit of work (the anchor's thread)."""
    with engine.connect().execution_options(popup_pos_read_only=True) as conn:
        # Closed, not pooled, once done: the engine may be disposed of meanwhile.
        conn.detach()
        last_id = id_of(conn, entry_hash)
        if last_id is None or (known is not None and known[0] > last_id):
            return None
        after, base = known if known is not None else (0, 0)
        count = base + count_between(conn, after, last_id)
        conn.rollback()
    return last_id, count


def id_of(conn: Connection, entry_hash: str) -> int | None:
    row = _ID_OF.first(conn, {"hash": entry_hash})
    return None if row is None else int(row[0])


def count_between(conn: Connection, after: int, upto: int) -> int:
    """Entries with `after < id <= upto`: a range of the primary key, cheap when short."""
    row = _COUNT_UP_TO.first(conn, {"after": after, "upto": upto})
    return 0 if row is None else int(row[0])


def in_order(conn: Connection) -> Iterator[RowMapping]:
    yield from conn.execute(select(entries).order_by(entries.c.id)).mappings()


class AuditRow(NamedTuple):
    """One stored entry."""

    id: int
    at: str
    actor: str | None
    action: str
    entity: str
    entity_id: str | None
    data: str
    prev_hash: str
    hash: str


_IN_ORDER = select(
    entries.c.id,
    entries.c.at,
    entries.c.actor,
    entries.c.action,
    entries.c.entity,
    entries.c.entity_id,
    entries.c.data,
    entries.c.prev_hash,
    entries.c.hash,
).order_by(entries.c.id)


def in_order_of(uow: UnitOfWork) -> Iterator[AuditRow]:
    """Every entry, oldest first."""
    for row in uow.conn.execute(_IN_ORDER):
        yield AuditRow(*row)


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


class Position(NamedTuple):
    """Where an entry stands in the chain: entries up to it, and its hash."""

    entries: int
    entry_hash: str


def head_of(uow: UnitOfWork) -> Position | None:
    """The newest entry's position, or None for an empty log."""
    found = head(uow.conn)
    return None if found is None else Position(*found)


def close_position(uow: UnitOfWork, event_id: int) -> Position | None:
    """The position of an event's close entry, or None while it is open."""
    found = position_of(uow.conn, "event.close", "event", str(event_id))
    return None if found is None else Position(*found)


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


class OrderTotals(NamedTuple):
    id: int
    event_id: int | None
    number: str
    status: str
    total_cents: int
    paid_cents: int
    refunded_cents: int
    payments_cents: int
    refunds_cents: int


class PaymentState(NamedTuple):
    id: int
    order_id: int
    amount_cents: int
    status: str


class VariantStock(NamedTuple):
    id: int
    sku: str
    on_hand: int


def orders(uow: UnitOfWork) -> list[OrderTotals]:
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
    return [OrderTotals(*r) for r in uow.conn.execute(stmt)]


def payments(uow: UnitOfWork) -> dict[int, PaymentState]:
    stmt = select(
        _payments.c.id, _payments.c.order_id, _payments.c.amount_cents, _payments.c.status
    )
    return {int(r[0]): PaymentState(*r) for r in uow.conn.execute(stmt)}


def stock(uow: UnitOfWork) -> list[VariantStock]:
    """Every variant's SKU and on-hand count."""
    stmt = select(_variants.c.id, _variants.c.sku, _variants.c.on_hand).order_by(_variants.c.id)
    return [VariantStock(*r) for r in uow.conn.execute(stmt)]


def ledger(uow: UnitOfWork) -> dict[tuple[int, str], int]:
    """(variant id, movement kind) -> sum of its quantities."""
    stmt = select(
        _movements.c.variant_id, _movements.c.kind, func.sum(_movements.c.quantity)
    ).group_by(_movements.c.variant_id, _movements.c.kind)
    return {(int(v), str(k)): int(n) for v, k, n in uow.conn.execute(stmt)}


def order_movements(uow: UnitOfWork) -> dict[int, dict[str, int]]:
    """order id -> {variant id: stock moved}, from the ledger rows tied to an order."""
    stmt = (
        select(_movements.c.order_id, _movements.c.variant_id, func.sum(_movements.c.quantity))
        .where(_movements.c.order_id.is_not(None))
        .group_by(_movements.c.order_id, _movements.c.variant_id)
    )
    out: dict[int, dict[str, int]] = {}
    for order_id, vid, n in uow.conn.execute(stmt):
        if n:
            out.setdefault(int(order_id), {})[str(vid)] = int(n)
    return out
