"""The drawer's openings outside sales, as the audit log recorded them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select

from popup_pos.store.models import AuditEntry, table_of
from popup_pos.store.records import all_of, columns
from popup_pos.store.uow import UnitOfWork

entries = table_of(AuditEntry)


class DrawerRecord(NamedTuple):
    """One audit entry about the drawer: its action, who, when (ISO text) and its JSON."""

    action: str
    actor: str | None
    at: str
    data: str


def openings(uow: UnitOfWork, event_id: int, actions: Sequence[str]) -> list[DrawerRecord]:
    """The event's entries with those actions, oldest first."""
    stmt = (
        select(*columns(entries, DrawerRecord))
        .where(
            entries.c.entity == "event",
            entries.c.entity_id == str(event_id),
            entries.c.action.in_(actions),
        )
        .order_by(entries.c.id)
    )
    return all_of(DrawerRecord, uow.conn.execute(stmt))
