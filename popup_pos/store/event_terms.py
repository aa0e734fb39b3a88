"""The open event's terms (default tax, tip presets), kept in its JSON settings column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from popup_pos.store.models import Event


def open_event_for_update(session: Session) -> Event | None:
    """The open event, row-locked on PostgreSQL so two registers' edits apply one by one."""
    return session.scalars(
        select(Event).where(Event.status == "open").with_for_update()
    ).one_or_none()


def replace_settings(event: Event, settings: dict[str, Any]) -> None:
    # A new dict, because changes inside a JSON value are not seen by the ORM.
    event.settings = dict(settings)
