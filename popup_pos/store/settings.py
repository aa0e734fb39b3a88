"""The settings table: one JSON value per key, shared by every register."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from popup_pos.store.models import Setting, utcnow
from popup_pos.store.uow import UnitOfWork


def read(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return None if row is None else dict(row.value)


def read_all(session: Session) -> dict[str, dict[str, Any]]:
    return {row.key: dict(row.value) for row in session.scalars(select(Setting))}


def write(session: Session, key: str, value: dict[str, Any]) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()


def get(uow: UnitOfWork, key: str) -> dict[str, Any] | None:
    """One setting's value (a copy), None if it was never stored."""
    return read(uow.session, key)


def put(uow: UnitOfWork, key: str, value: dict[str, Any]) -> None:
    """Store one setting's value, replacing what was there."""
    write(uow.session, key, value)
