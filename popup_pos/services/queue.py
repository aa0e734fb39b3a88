"""The order queue at the table: awaiting payment (with age), paid — hand over, parked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from popup_pos.services.events import open_event_row
from popup_pos.store import queue as queue_store
from popup_pos.store.uow import UnitOfWork

QueueRow = tuple[int, str, str, int, datetime | None]


def orders_for_queue(uow: UnitOfWork) -> dict[str, list[QueueRow]]:
    """Sections awaiting_payment, paid and parked of the open event, oldest first."""
    with uow:
        event = open_event_row(uow)
        return sections_of(queue_store.queue_rows(uow, event.id) if event is not None else [])


def sections_of(rows: Iterable[queue_store.QueuedOrder]) -> dict[str, list[QueueRow]]:
    """The queue's sections from its rows, read in a caller's transaction."""
    out: dict[str, list[QueueRow]] = {"awaiting_payment": [], "paid": [], "parked": []}
    for r in rows:
        section = "parked" if r.status == "open" else r.status
        out[section].append((r.id, r.number, r.status, r.total_cents, r.placed_at or r.created_at))
    return out
