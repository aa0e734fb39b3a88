"""Audit log statements: append under a lock so the hash chain never forks, read in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, text

from popup_pos.store.models import AuditEntry, table_of

entries = table_of(AuditEntry)
# Any fixed number: PostgreSQL serialises appends on it.
_PG_AUDIT_LOCK = 7_301_337
_insert = insert(entries)
_last_hash = select(entries.c.hash).order_by(entries.c.id.desc()).limit(1)


def lock_and_last_hash(conn: Connection) -> str | None:
    """Take the append lock for this transaction and return the newest entry's hash.

    On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    return conn.execute(_last_hash).scalar()


def append(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(_insert, row)


def in_order(conn: Connection) -> Iterator[RowMapping]:
    yield from conn.execute(select(entries).order_by(entries.c.id)).mappings()
