"""The open event's terms (default tax, tip presets), kept in its JSON settings column."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select, update

from popup_pos.store.models import Event, table_of
from popup_pos.store.records import columns, one_of
from popup_pos.store.uow import UnitOfWork

events = table_of(Event)


class TermsRecord(NamedTuple):
    """The open event as its terms need it; `settings` is its whole JSON settings object."""

    id: int
    name: str
    currency: str
    settings: dict[str, Any] | None


_OPEN = select(*columns(events, TermsRecord)).where(events.c.status == "open")


def open_event(uow: UnitOfWork) -> TermsRecord | None:
    return one_of(TermsRecord, uow.conn.execute(_OPEN).first())


def open_event_for_update(uow: UnitOfWork) -> TermsRecord | None:
    """The open event, row-locked on PostgreSQL so two registers' edits apply one by one."""
    return one_of(TermsRecord, uow.conn.execute(_OPEN.with_for_update()).first())


def replace_settings(uow: UnitOfWork, event_id: int, settings: dict[str, Any]) -> None:
    uow.conn.execute(update(events).where(events.c.id == event_id).values(settings=dict(settings)))
