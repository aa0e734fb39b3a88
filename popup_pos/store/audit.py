"""Audit log statements: append under a lock so the hash chain never forks, read in order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from popup_pos.store.engine import DriverSql
from popup_pos.store.models import AuditEntry, table_of

entries = table_of(AuditEntry)
# Any fixed number: PostgreSQL serialises appends on it.
_PG_AUDIT_LOCK = 7_301_337
# Every sale appends, so these are written by hand (see DriverSql).
_PG_LOCK = DriverSql("SELECT pg_advisory_xact_lock(:key)")
_LAST_HASH = DriverSql("SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1")
_INSERT = DriverSql(
    """INSERT INTO audit_entries (at, actor, action, entity, entity_id, data, prev_hash, hash)
    VALUES (:at, :actor, :action, :entity, :entity_id, :data, :prev_hash, :hash)"""
)


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
