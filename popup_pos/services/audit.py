"""The hash-chained audit log: every state change appends one entry; verify walks the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, text

from popup_pos.store.models import AuditEntry
from popup_pos.store.uow import UnitOfWork

GENESIS = "0" * 64
# Any fixed number: PostgreSQL serialises appends on it so the chain never forks.
_PG_AUDIT_LOCK = 7_301_337

_table = cast(Table, AuditEntry.__table__)
_insert = insert(_table)
_last_hash = select(_table.c.hash).order_by(_table.c.id.desc()).limit(1)


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str | None,
    data: str,
) -> str:
    payload = json.dumps([prev_hash, at, actor, action, entity, entity_id, data])
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    uow: UnitOfWork,
    action: str,
    entity: str,
    entity_id: object,
    data: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Append one entry in the caller's transaction, so it commits or vanishes with it."""
    conn = uow.conn
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    prev = conn.execute(_last_hash).scalar() or GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    eid = None if entity_id is None else str(entity_id)
    body = canonical(data or {})
    conn.execute(
        _insert,
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": eid,
            "data": body,
            "prev_hash": prev,
            "hash": entry_hash(prev, at, actor, action, entity, eid, body),
        },
    )


@dataclass(frozen=True, slots=True)
class VerifyResult:
    checked: int
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(uow: UnitOfWork) -> VerifyResult:
    """Walk the chain in order; report the first entry whose link or content was altered."""
    prev = GENESIS
    checked = 0
    with uow:
        rows = uow.conn.execute(select(_table).order_by(_table.c.id)).mappings()
        for row in rows:
            if row["prev_hash"] != prev:
                return VerifyResult(checked, row["id"], "does not link to the entry before it")
            expected = entry_hash(
                row["prev_hash"],
                row["at"],
                row["actor"],
                row["action"],
                row["entity"],
                row["entity_id"],
                row["data"],
            )
            if row["hash"] != expected:
                return VerifyResult(checked, row["id"], "was changed after it was written")
            prev = row["hash"]
            checked += 1
    return VerifyResult(checked)
