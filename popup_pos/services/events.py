"""Events and registers: open a night with a float, join registers, close with a cash count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import check_currency
from popup_pos.services import audit
from popup_pos.store import events as store
from popup_pos.store.models import CashMovement, Event, Register, utcnow
from popup_pos.store.uow import UnitOfWork

REGISTER_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}")


class EventError(PosError):
    """An event operation that cannot go ahead, with the reason."""


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    name: str
    currency: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    float_cents: int
    counted_cash_cents: int | None

    @classmethod
    def of(cls, e: Event) -> EventInfo:
        return cls(
            e.id,
            e.name,
            e.currency,
            e.status,
            e.opened_at,
            e.closed_at,
            e.float_cents,
            e.counted_cash_cents,
        )


@dataclass(frozen=True, slots=True)
class RegisterInfo:
    id: int
    event_id: int
    code: str


@dataclass(frozen=True, slots=True)
class CashSummary:
    float_cents: int
    cash_sales_cents: int
    cash_refunds_cents: int
    paid_in_cents: int
    paid_out_cents: int

    @property
    def expected_cents(self) -> int:
        return (
            self.float_cents
            + self.cash_sales_cents
            - self.cash_refunds_cents
            + self.paid_in_cents
            - self.paid_out_cents
        )


@dataclass(frozen=True, slots=True)
class CloseResult:
    event: EventInfo
    cash: CashSummary
    counted_cents: int

    @property
    def over_short_cents(self) -> int:
        """Positive: more cash than expected; negative: short."""
        return self.counted_cents - self.cash.expected_cents


def open_event_row(uow: UnitOfWork) -> Event | None:
    return store.open_event(uow.session)


def require_open_event(uow: UnitOfWork) -> Event:
    event = open_event_row(uow)
    if event is None:
        raise EventError("no event is open: open one with `popup-pos event open NAME`")
    return event


def open_event(
    uow: UnitOfWork,
    name: str,
    *,
    currency: str = "USD",
    float_cents: int = 0,
    actor: str | None = None,
) -> EventInfo:
    name = name.strip()
    if not name:
        raise EventError("the event needs a name")
    if float_cents < 0:
        raise EventError("the cash float cannot be negative")
    currency = check_currency(currency)
    with uow:
        current = open_event_row(uow)
        if current is not None:
            raise EventError(
                f"event {current.name!r} is still open: close it before opening another"
            )
        event = Event(name=name, currency=currency, float_cents=float_cents, settings={})
        if not store.add_flushed(uow.session, event):
            # Another register opened one between our check and our insert.
            raise EventError("another event was opened at the same moment")
        audit.record(
            uow,
            "event.open",
            "event",
            event.id,
            {"name": name, "currency": currency, "float": float_cents},
            actor,
        )
        uow.commit()
        return EventInfo.of(event)


def current_event(uow: UnitOfWork) -> EventInfo | None:
    with uow:
        event = open_event_row(uow)
        return None if event is None else EventInfo.of(event)


def list_events(uow: UnitOfWork) -> list[tuple[EventInfo, int, int]]:
    """Every event, newest first, with its paid order count and takings."""
    with uow:
        return [(EventInfo.of(e), n, t) for e, n, t in store.events_with_takings(uow.session)]


def join_register(uow: UnitOfWork, code: str) -> RegisterInfo:
    """Join (or rejoin) the open event as register `code`; order numbers start with it."""
    code = code.strip().upper()
    if not REGISTER_CODE.fullmatch(code):
        raise EventError(
            f"register code {code!r} must be 1 to 4 letters or digits starting with a letter"
        )
    with uow:
        event = require_open_event(uow)
        reg = store.register(uow.session, event.id, code)
        if reg is None:
            reg = Register(event_id=event.id, code=code)
            if store.add_flushed(uow.session, reg):
                audit.record(uow, "register.join", "register", reg.id, {"code": code})
                uow.commit()
            else:
                # The same code joined from another laptop a moment ago: share it.
                reg = store.register(uow.session, event.id, code)
                if reg is None:
                    raise EventError(f"register {code} could not be joined; try again")
        return RegisterInfo(reg.id, reg.event_id, reg.code)


def cash_summary(uow: UnitOfWork, event: Event) -> CashSummary:
    return CashSummary(event.float_cents, *store.cash_totals(uow.session, event.id))


def record_cash_movement(
    uow: UnitOfWork, kind: str, amount_cents: int, reason: str, actor: str | None = None
) -> None:
    """Paid in (change brought) or paid out (a runner bought ice) from the drawer."""
    if kind not in ("paid_in", "paid_out"):
        raise EventError(f"cash movement must be paid_in or paid_out, not {kind!r}")
    if amount_cents <= 0:
        raise EventError("the amount must be more than zero")
    if not reason.strip():
        raise EventError("say what the cash was for")
    with uow:
        event = require_open_event(uow)
        row = CashMovement(
            event_id=event.id, kind=kind, amount_cents=amount_cents, reason=reason.strip()
        )
        store.add_flushed(uow.session, row)
        audit.record(
            uow,
            f"cash.{kind}",
            "event",
            event.id,
            {"amount": amount_cents, "reason": reason},
            actor,
        )
        uow.commit()


def close_event(uow: UnitOfWork, counted_cents: int, actor: str | None = None) -> CloseResult:
    """Close the open event with the counted cash; refuses while orders await payment."""
    if counted_cents < 0:
        raise EventError("counted cash cannot be negative")
    with uow:
        event = require_open_event(uow)
        waiting = store.waiting_order_numbers(uow.session, event.id)
        if waiting:
            shown = ", ".join(waiting[:5]) + (" …" if len(waiting) > 5 else "")
            raise EventError(
                f"{len(waiting)} order(s) still await payment ({shown}): "
                "take payment or cancel them before closing"
            )
        cash = cash_summary(uow, event)
        event.status = "closed"
        event.closed_at = utcnow()
        event.counted_cash_cents = counted_cents
        audit.record(
            uow,
            "event.close",
            "event",
            event.id,
            {"counted": counted_cents, "expected": cash.expected_cents},
            actor,
        )
        uow.commit()
        return CloseResult(EventInfo.of(event), cash, counted_cents)


def event_status(uow: UnitOfWork) -> tuple[EventInfo, CashSummary, dict[str, int]] | None:
    """The open event, its drawer so far and its order counts by status."""
    with uow:
        event = open_event_row(uow)
        if event is None:
            return None
        by_status = store.order_counts(uow.session, event.id)
        return EventInfo.of(event), cash_summary(uow, event), by_status


def display_currency(uow: UnitOfWork) -> str:
    """The currency to show amounts in: the open event's, else the latest event's, else USD."""
    with uow:
        return store.latest_currency(uow.session) or "USD"
