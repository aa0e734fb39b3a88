"""The hash-chained audit log: every change appends an entry in the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from popup_pos.services.audit.anchor import anchor_after_commit
from popup_pos.store import audit as audit_store
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
    transaction ends, so no other writer can slip an entry in between. Once the
    transaction commits, the new head goes to the anchor file (see `anchor_path`).
    """
    if not entries:
        return
    prev = audit_store.lock_and_last_hash(uow) or GENESIS
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
    audit_store.append(uow, rows)
    anchor_after_commit(uow, prev)
