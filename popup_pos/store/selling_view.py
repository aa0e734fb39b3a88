"""The selling screen's reads, taking the unit of work, for one transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from popup_pos.store import catalog as catalog_store
from popup_pos.store import queue as queue_store
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import Event, Setting, Variant
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OpenEvent:
    id: int
    settings: dict[str, Any]


def open_event(uow: UnitOfWork) -> OpenEvent | None:
    """The open event's id and terms, without an ORM session (a screen asks every second)."""
    row = uow.conn.execute(
        select(Event.id, Event.settings).where(Event.status == "open")
    ).one_or_none()
    return None if row is None else OpenEvent(row.id, dict(row.settings or {}))


def settings(uow: UnitOfWork, *keys: str) -> dict[str, dict[str, Any]]:
    """The stored settings under those keys (absent keys are left out)."""
    rows = uow.conn.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys)))
    return {r.key: dict(r.value) for r in rows}


def stock_levels(uow: UnitOfWork) -> dict[int, int | None]:
    return catalog_store.stock_levels(uow)


def stock_levels_of(uow: UnitOfWork, ids: Collection[int]) -> dict[int, int | None]:
    """Those variants' on hand, or None when their stock is not tracked."""
    if not ids:
        return {}
    rows = uow.conn.execute(
        select(Variant.id, Variant.on_hand, Variant.track_stock).where(Variant.id.in_(sorted(ids)))
    )
    return {r.id: (r.on_hand if r.track_stock else None) for r in rows}


def catalog_version(uow: UnitOfWork) -> str:
    return catalog_store.catalog_version(uow)


def queue_rows(uow: UnitOfWork, event_id: int) -> list[queue_store.QueuedOrder]:
    return queue_store.queue_rows(uow, event_id)


def tickets(
    uow: UnitOfWork, event_id: int
) -> tuple[
    list[tickets_store.QueuedTicket], list[tickets_store.PlaceRule], list[tickets_store.TakenPlace]
]:
    """The event's tickets, and the experiences' place rules and places taken."""
    rules, taken = tickets_store.places(uow, event_id)
    return tickets_store.queue(uow, event_id), rules, taken
