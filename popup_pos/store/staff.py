"""Staff queries: who is active, who may still sign in, and the lock that keeps PINs unique."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import func, or_, select, text

from popup_pos.store import events as events_store
from popup_pos.store import settings as settings_store
from popup_pos.store.models import Event, Staff
from popup_pos.store.uow import UnitOfWork


class StaffWithEvent(NamedTuple):
    """A staff member with the event their PIN is tied to, if any."""

    staff: Staff
    event: Event | None


# Any fixed number distinct from the audit lock: PostgreSQL serialises PIN changes on it.
_PG_STAFF_LOCK = 7_301_338


def lock_pins(uow: UnitOfWork) -> None:
    """Serialise PIN changes for this transaction, so two registers cannot both hand out a
    PIN the other just took.

    On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
    """
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_STAFF_LOCK})


def reread(uow: UnitOfWork) -> None:
    """Forget what this transaction read, so the next reads see other registers' commits
    (called after taking the PIN lock)."""
    uow.session.expire_all()


def add(uow: UnitOfWork, name: str, role: str, pin_hash: str, event_id: int | None) -> Staff:
    row = Staff(name=name, role=role, pin_hash=pin_hash, event_id=event_id, active=True)
    uow.session.add(row)
    uow.session.flush()
    return row


def set_pin_hash(uow: UnitOfWork, row: Staff, pin_hash: str) -> None:
    row.pin_hash = pin_hash
    uow.session.flush()


def deactivate(uow: UnitOfWork, row: Staff) -> None:
    row.active = False
    uow.session.flush()


def read_setting(uow: UnitOfWork, key: str) -> dict[str, Any] | None:
    """A settings row staff sign-in keeps (the wrong-PIN throttle)."""
    return settings_store.read(uow.session, key)


def write_setting(uow: UnitOfWork, key: str, value: dict[str, Any]) -> None:
    settings_store.write(uow.session, key, value)


def open_event(uow: UnitOfWork) -> Event | None:
    return events_store.current(uow)


def with_events(uow: UnitOfWork, *, include_inactive: bool) -> list[StaffWithEvent]:
    """Staff (organizers first, then by name) with the event each one is tied to, if any."""
    order = func.lower(Staff.name)
    stmt = select(Staff, Event).outerjoin(Event, Event.id == Staff.event_id)
    if not include_inactive:
        stmt = stmt.where(Staff.active.is_(True))
    rows = uow.session.execute(stmt.order_by(Staff.role != "organizer", order, Staff.id))
    return [StaffWithEvent(s, e) for s, e in rows]


def with_event(uow: UnitOfWork, staff_id: int) -> StaffWithEvent | None:
    stmt = select(Staff, Event).outerjoin(Event, Event.id == Staff.event_id)
    row = uow.session.execute(stmt.where(Staff.id == staff_id)).one_or_none()
    return None if row is None else StaffWithEvent(row[0], row[1])


def can_sign_in(uow: UnitOfWork) -> list[StaffWithEvent]:
    """Active staff whose PIN still works: permanent ones, or tied to the open event."""
    rows = uow.session.execute(
        select(Staff, Event)
        .outerjoin(Event, Event.id == Staff.event_id)
        .where(
            Staff.active.is_(True),
            or_(Staff.event_id.is_(None), Event.status == "open"),
        )
        .order_by(Staff.id)
    )
    return [StaffWithEvent(s, e) for s, e in rows]


def active_organizer_count(uow: UnitOfWork) -> int:
    return int(
        uow.session.scalar(
            select(func.count(Staff.id)).where(Staff.active.is_(True), Staff.role == "organizer")
        )
        or 0
    )
