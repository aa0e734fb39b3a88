"""The hash-chained audit log: every state change appends one entry; verify walks the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from popup_pos.store import audit as store
from popup_pos.store.uow import UnitOfWork

GENESIS = "0" * 64


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


@dataclass(frozen=True, slots=True)
class Entry:
    """One change to record: what happened to which entity, with its details."""

    action: str
    entity: str
    entity_id: object
    data: dict[str, Any] | None = None
    actor: str | None = None


def record(
    uow: UnitOfWork,
    action: str,
    entity: str,
    entity_id: object,
    data: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Append one entry in the caller's transaction, so it commits or vanishes with it."""
    record_all(uow, (Entry(action, entity, entity_id, data, actor),))


def record_all(uow: UnitOfWork, entries: Sequence[Entry]) -> None:
    """Append entries in order, each chained to the one before, in the caller's transaction.

    One lock and one read of the last hash serve them all: the lock is held until the
    transaction ends, so no other writer can slip an entry in between.
    """
    if not entries:
        return
    conn = uow.conn
    prev = store.lock_and_last_hash(conn) or GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    rows = []
    for e in entries:
        eid = None if e.entity_id is None else str(e.entity_id)
        body = canonical(e.data or {})
        digest = entry_hash(prev, at, e.actor, e.action, e.entity, eid, body)
        rows.append(
            {
                "at": at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": eid,
                "data": body,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    store.append(conn, rows)


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
        for row in store.in_order(uow.conn):
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
