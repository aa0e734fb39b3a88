"""Staff queries: who is active, who may still sign in, and the lock that keeps PINs unique."""

from __future__ import annotations

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from popup_pos.store.models import Event, Staff

# Any fixed number distinct from the audit lock: PostgreSQL serialises PIN changes on it.
_PG_STAFF_LOCK = 7_301_338


def lock_pins(session: Session) -> None:
    """Serialise PIN changes for this transaction, so two registers cannot both hand out a
    PIN the other just took.

    On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_STAFF_LOCK})


def add(session: Session, row: Staff) -> Staff:
    session.add(row)
    session.flush()
    return row


def with_events(session: Session, *, include_inactive: bool) -> list[tuple[Staff, Event | None]]:
    """Staff (organizers first, then by name) with the event each one is tied to, if any."""
    order = func.lower(Staff.name)
    stmt = select(Staff, Event).outerjoin(Event, Event.id == Staff.event_id)
    if not include_inactive:
        stmt = stmt.where(Staff.active.is_(True))
    rows = session.execute(stmt.order_by(Staff.role != "organizer", order, Staff.id))
    return [(s, e) for s, e in rows]


def with_event(session: Session, staff_id: int) -> tuple[Staff, Event | None] | None:
    stmt = select(Staff, Event).outerjoin(Event, Event.id == Staff.event_id)
    row = session.execute(stmt.where(Staff.id == staff_id)).one_or_none()
    return None if row is None else (row[0], row[1])


def can_sign_in(session: Session) -> list[tuple[Staff, Event | None]]:
    """Active staff whose PIN still works: permanent ones, or tied to the open event."""
    rows = session.execute(
        select(Staff, Event)
        .outerjoin(Event, Event.id == Staff.event_id)
        .where(
            Staff.active.is_(True),
            or_(Staff.event_id.is_(None), Event.status == "open"),
        )
        .order_by(Staff.id)
    )
    return [(s, e) for s, e in rows]


def active_organizer_count(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count(Staff.id)).where(Staff.active.is_(True), Staff.role == "organizer")
        )
        or 0
    )
