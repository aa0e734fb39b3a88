"""The ticket queue: experience tickets waiting, called, done or no-show, with times and
the estimated wait."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from popup_pos.domain.errors import PosError
from popup_pos.domain.experiences import (
    TICKET_CODE_PREFIX,
    QueuedTicket,
    SlotPlan,
    WaitEstimate,
    durations,
    estimate_waits,
    free_slots,
    night_of,
)
from popup_pos.services import audit
from popup_pos.services.events import open_event_row, require_open_event
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

# Which moves the queue allows; anything else is a mistake at the table.
_MOVES = {
    "waiting": {"called", "no_show"},
    "called": {"done", "no_show", "waiting"},
    "done": set(),
    "no_show": {"waiting"},
}
# Minutes assumed for an experience with no time cost and nothing measured yet.
DEFAULT_MINUTES = 5.0
# A ticket slip's QR and printed code, GIG-12. Letters, digits and '-' scan on any layout.
_CODE = re.compile(rf"^{TICKET_CODE_PREFIX}-([0-9]{{1,9}})$", re.I)


class TicketError(PosError):
    """A queue move that cannot be made."""


def ticket_code(ticket_id: int) -> str:
    return f"{TICKET_CODE_PREFIX}-{ticket_id}"


def parse_ticket_code(text: str) -> int | None:
    """The ticket id in a scanned GIG-12, or None if it is not a ticket code."""
    m = _CODE.match(text.strip())
    return int(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    number: str  # the order's number
    name: str
    sku: str | None
    personalisation: str | None
    status: str
    created_at: datetime
    called_at: datetime | None
    done_at: datetime | None
    slot_at: datetime | None = None
    variant_id: int | None = None
    time_minutes: int | None = None
    wait_minutes: float | None = None  # estimated, for waiting tickets
    order_line_id: int | None = None
    order_id: int | None = None

    @property
    def code(self) -> str:
        return ticket_code(self.id)


@dataclass(frozen=True, slots=True)
class Places:
    """What is left of an experience with a capacity or time slots, tonight."""

    left: int  # places (capacity) or slots still free
    next_slot: datetime | None = None  # the first free slot, for an experience sold by slot
    over: bool = False  # every slot of tonight has ended

    @property
    def badge(self) -> str:
        """'12 left', 'next 20:40', 'FULL', or 'OVER' once tonight's slots have ended."""
        if self.over:
            return "OVER"
        if self.left <= 0:
            return "FULL"
        if self.next_slot is not None:
            return f"next {self.next_slot.astimezone():%H:%M}"
        return f"{self.left} left"


@dataclass(frozen=True, slots=True)
class QueueState:
    tickets: list[TicketView]
    walk_in_minutes: float  # what a ticket sold now would wait
    waiting: int
    called: int
    places: dict[int, Places] = field(default_factory=dict)  # by variant id


def _view(r: tickets_store.QueuedTicket, wait: float | None = None) -> TicketView:
    return TicketView(
        r.id,
        r.number,
        r.name,
        r.sku,
        r.personalisation,
        r.status,
        r.created_at,
        r.called_at,
        r.done_at,
        r.slot_at,
        r.variant_id,
        r.time_minutes,
        wait,
        r.order_line_id,
        r.order_id,
    )


def _estimate(rows: list[tickets_store.QueuedTicket], now: datetime) -> WaitEstimate:
    planned = {r.variant_id: r.time_minutes for r in rows if r.variant_id is not None}
    measured: dict[int, list[float]] = {}
    for r in rows:
        if r.status == "done" and r.called_at and r.done_at and r.variant_id is not None:
            measured.setdefault(r.variant_id, []).append(
                (r.done_at - r.called_at).total_seconds() / 60
            )
    minutes = durations(planned, measured, DEFAULT_MINUTES)
    queued = [
        QueuedTicket(
            r.id,
            r.variant_id,
            r.status,
            r.slot_at or r.created_at,
            r.slot_at is not None,
            r.called_at,
        )
        for r in rows
        if r.status in ("waiting", "called")
    ]
    return estimate_waits(queued, minutes, now, DEFAULT_MINUTES)


def state(uow: UnitOfWork, *, now: datetime | None = None) -> QueueState:
    """The open event's tickets, oldest first, each waiting one with its estimated wait."""
    now = now or utcnow()
    with uow:
        event = require_open_event(uow)
        rows = tickets_store.queue(uow, event.id)
        rules, taken = tickets_store.places(uow, event.id)
    return state_of(rows, rules, taken, now)


def state_of(
    rows: list[tickets_store.QueuedTicket],
    rules: list[tickets_store.PlaceRule],
    taken: list[tickets_store.TakenPlace],
    now: datetime,
) -> QueueState:
    """The queue state from the tickets and place rows read in a caller's transaction."""
    est = _estimate(rows, now)
    views = [_view(r, est.by_ticket.get(r.id)) for r in rows]
    return QueueState(
        views,
        est.walk_in,
        sum(1 for v in views if v.status == "waiting"),
        sum(1 for v in views if v.status == "called"),
        _places(rules, taken, now),
    )


def _places(
    rules: list[tickets_store.PlaceRule], taken: list[tickets_store.TakenPlace], now: datetime
) -> dict[int, Places]:
    """Places left tonight on each experience with a capacity or time slots."""
    booked = Counter(r.variant_id for r in taken)
    night, tz = night_of(now)
    out: dict[int, Places] = {}
    for r in rules:
        if r.slots_from and r.slots_until and r.slot_minutes:
            plan = SlotPlan.parse(f"{r.slots_from}-{r.slots_until}/{r.slot_minutes}")
            slots = {
                t.slot_at for t in taken if t.variant_id == r.variant_id and t.slot_at is not None
            }
            free = free_slots(plan, night, tz, slots, now)
            if r.capacity is not None:
                free = free[: max(r.capacity - booked[r.variant_id], 0)]
            over = not free_slots(plan, night, tz, set(), now)
            out[r.variant_id] = Places(len(free), free[0] if free else None, over)
        elif r.capacity is not None:
            out[r.variant_id] = Places(r.capacity - booked[r.variant_id])
    return out


def queue(uow: UnitOfWork) -> list[TicketView]:
    """The open event's tickets, oldest first."""
    return state(uow).tickets


def of_order(uow: UnitOfWork, order_id: int) -> list[TicketView]:
    """An order's tickets in any state (held until it is paid); while its event is open,
    those waiting carry their estimated wait (a closed event's queue has none)."""
    now = utcnow()
    with uow:
        mine = tickets_store.of_orders(uow, [order_id])
        event = open_event_row(uow)
        live = event is not None and any(r.event_id == event.id for r in mine)
        rows = tickets_store.queue(uow, event.id) if live and event is not None else []
    est = _estimate(rows, now)
    return [_view(r, est.by_ticket.get(r.id)) for r in mine]


def find(uow: UnitOfWork, ticket_id: int) -> TicketView | None:
    with uow:
        row = tickets_store.one(uow, ticket_id)
        return _view(row) if row is not None else None


def call_next(
    uow: UnitOfWork, actor: str | None = None, *, now: datetime | None = None
) -> int | None:
    """Call the ticket due first (its slot, or when it joined); None when nobody waits."""
    with uow:
        event = require_open_event(uow)
        ticket_id = tickets_store.next_waiting(uow, event.id)
        if ticket_id is None:
            return None
        tickets_store.set_status(uow, ticket_id, "called", called_at=now or utcnow())
        audit.record(uow, "ticket.called", "ticket", ticket_id, {}, actor)
        uow.commit()
        return ticket_id


def call(
    uow: UnitOfWork, ticket_id: int, actor: str | None = None, *, now: datetime | None = None
) -> TicketView:
    """Call this ticket (its slip was scanned): waiting → called. Already called: as it is."""
    current = find(uow, ticket_id)
    if current is None:
        raise TicketError(f"no ticket {ticket_code(ticket_id)}")
    if current.status != "called":
        move(uow, ticket_id, "called", actor, now=now)
    found = find(uow, ticket_id)
    assert found is not None
    return found


def move(
    uow: UnitOfWork,
    ticket_id: int,
    status: str,
    actor: str | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """called → done, anything open → no_show, a no-show back to waiting."""
    with uow:
        row = tickets_store.lock(uow, ticket_id)
        if row is None:
            raise TicketError(f"no ticket {ticket_code(ticket_id)}")
        if row.status in ("held", "cancelled"):
            raise TicketError(
                f"ticket {ticket_code(ticket_id)} is "
                + ("not paid for yet" if row.status == "held" else "cancelled (refunded)")
            )
        if status not in _MOVES.get(row.status, set()):
            raise TicketError(
                f"a {row.status.replace('_', '-')} ticket cannot become {status.replace('_', '-')}"
            )
        at = now or utcnow()
        tickets_store.set_status(
            uow,
            ticket_id,
            status,
            called_at=at if status == "called" else None,
            done_at=at if status in ("done", "no_show") else None,
        )
        audit.record(uow, f"ticket.{status}", "ticket", ticket_id, {}, actor)
        uow.commit()
