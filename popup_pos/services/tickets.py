"""The micro-gig queue: experience tickets waiting, called, done or no-show, with times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from popup_pos.domain.errors import PosError
from popup_pos.services import audit
from popup_pos.services.events import require_open_event
from popup_pos.store import tickets as store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

# Which moves the queue allows; anything else is a mistake at the table.
_MOVES = {
    "waiting": {"called", "no_show"},
    "called": {"done", "no_show", "waiting"},
    "done": set(),
    "no_show": {"waiting"},
}


class TicketError(PosError):
    """A queue move that cannot be made."""


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    number: str
    name: str
    sku: str | None
    personalisation: str | None
    status: str
    created_at: datetime
    called_at: datetime | None
    done_at: datetime | None


def queue(uow: UnitOfWork) -> list[TicketView]:
    """The open event's tickets, oldest first."""
    with uow:
        event = require_open_event(uow)
        return [
            TicketView(
                r.id,
                r.number,
                r.name,
                r.sku,
                r.personalisation,
                r.status,
                r.created_at,
                r.called_at,
                r.done_at,
            )
            for r in store.queue(uow.conn, event.id)
        ]


def call_next(uow: UnitOfWork, actor: str | None = None) -> int | None:
    """Call the longest-waiting ticket; None when nobody is waiting."""
    with uow:
        event = require_open_event(uow)
        ticket_id = store.next_waiting(uow.conn, event.id)
        if ticket_id is None:
            return None
        store.set_status(uow.conn, ticket_id, "called", called_at=utcnow())
        audit.record(uow, "ticket.called", "ticket", ticket_id, {}, actor)
        uow.commit()
        return ticket_id


def move(uow: UnitOfWork, ticket_id: int, status: str, actor: str | None = None) -> None:
    """called → done, anything open → no_show, a no-show back to waiting."""
    with uow:
        row = store.lock(uow.conn, ticket_id)
        if row is None:
            raise TicketError(f"no ticket {ticket_id}")
        if status not in _MOVES.get(row.status, set()):
            raise TicketError(
                f"a {row.status.replace('_', '-')} ticket cannot become {status.replace('_', '-')}"
            )
        times: dict[str, datetime] = {}
        if status == "called":
            times["called_at"] = utcnow()
        elif status in ("done", "no_show"):
            times["done_at"] = utcnow()
        store.set_status(uow.conn, ticket_id, status, **times)
        audit.record(uow, f"ticket.{status}", "ticket", ticket_id, {}, actor)
        uow.commit()
