"""Events and registers: open a night with a float, join registers, find an event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from popup_pos.domain.errors import PosError
from popup_pos.domain.experiences import TICKET_CODE_PREFIX
from popup_pos.domain.limits import (
    MAX_ID,
    NAME_LENGTH,
    REASON_LENGTH,
    check_text,
)
from popup_pos.domain.money import check_amount, check_currency
from popup_pos.services import audit
from popup_pos.services.views import EventInfo as EventInfo
from popup_pos.services.views import RegisterInfo as RegisterInfo
from popup_pos.store import devices as devices_store
from popup_pos.store import events as events_store
from popup_pos.store import models as models_store
from popup_pos.store.uow import UnitOfWork

REGISTER_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}")


class EventError(PosError):
    """An event operation that cannot go ahead, with the reason."""


@dataclass(frozen=True, slots=True)
class CashSummary:
    float_cents: int
    cash_sales_cents: int
    cash_refunds_cents: int
    paid_in_cents: int
    paid_out_cents: int
    # Openings of the drawer with no money moving: counted for the cash-up, no amount.
    no_sales: int = 0
    # Cash taken on helpers' phones: in the expected total, but in the helpers' pockets
    # until they hand it in.
    held_by_phones: tuple[devices_store.PhoneCash, ...] = ()

    @property
    def expected_cents(self) -> int:
        return (
            self.float_cents
            + self.cash_sales_cents
            - self.cash_refunds_cents
            + self.paid_in_cents
            - self.paid_out_cents
        )


def open_event_row(uow: UnitOfWork) -> models_store.Event | None:
    return events_store.current(uow)


def require_open_event(uow: UnitOfWork) -> models_store.Event:
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
    if not name.strip():
        raise EventError("the event needs a name")
    name = check_text(name, "the event name", NAME_LENGTH)
    if float_cents < 0:
        raise EventError("the cash float cannot be negative")
    currency = check_currency(currency)
    check_amount(float_cents, currency, what="the cash float")
    with uow:
        current = open_event_row(uow)
        if current is not None:
            raise EventError(
                f"event {current.name!r} is still open: close it before opening another"
            )
        event = events_store.add_event(uow, name, currency, float_cents)
        if event is None:
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
        return [(EventInfo.of(e), n, t) for e, n, t in events_store.events_with_takings(uow)]


def join_register(uow: UnitOfWork, code: str) -> RegisterInfo:
    """Join (or rejoin) the open event as register `code`; order numbers start with it."""
    code = code.strip().upper()
    if not REGISTER_CODE.fullmatch(code):
        raise EventError(
            f"register code {code!r} must be 1 to 4 letters or digits starting with a letter"
        )
    if code == TICKET_CODE_PREFIX:
        # GIG-12 is a ticket's code: order GIG-0012 would scan as a ticket.
        raise EventError(f"register code {code!r} is taken by ticket codes: choose another")
    with uow:
        event = require_open_event(uow)
        reg = events_store.register(uow, event.id, code)
        if reg is None:
            reg = events_store.add_register(uow, event.id, code)
            if reg is not None:
                audit.record(uow, "register.join", "register", reg.id, {"code": code})
                uow.commit()
            else:
                # The same code joined from another laptop a moment ago: share it.
                reg = events_store.register(uow, event.id, code)
                if reg is None:
                    raise EventError(f"register {code} could not be joined; try again")
        return RegisterInfo(reg.id, reg.event_id, reg.code)


def cash_summary(uow: UnitOfWork, event: models_store.Event) -> CashSummary:
    totals = events_store.cash_totals(uow, event.id)
    return CashSummary(
        event.float_cents,
        cash_sales_cents=totals.cash_sales_cents,
        cash_refunds_cents=totals.cash_refunds_cents,
        paid_in_cents=totals.paid_in_cents,
        paid_out_cents=totals.paid_out_cents,
        no_sales=events_store.no_sale_count(uow, event.id),
        held_by_phones=tuple(devices_store.cash_by_phone(uow, event.id)),
    )


def record_cash_movement(
    uow: UnitOfWork,
    kind: str,
    amount_cents: int,
    reason: str,
    actor: str | None = None,
    *,
    register: str | None = None,
) -> None:
    """Paid in (change brought) or paid out (a runner bought ice) from the drawer."""
    if kind not in ("paid_in", "paid_out"):
        raise EventError(f"cash movement must be paid_in or paid_out, not {kind!r}")
    if amount_cents <= 0:
        raise EventError("the amount must be more than zero")
    if not reason.strip():
        raise EventError("say what the cash was for")
    reason = check_text(reason, "the reason", REASON_LENGTH)
    with uow:
        event = require_open_event(uow)
        check_amount(amount_cents, event.currency, what="the amount")
        events_store.add_cash_movement(uow, event.id, kind, amount_cents, reason.strip())
        data: dict[str, object] = {"amount": amount_cents, "reason": reason.strip()}
        if register:
            data["register"] = register
        audit.record(uow, f"cash.{kind}", "event", event.id, data, actor)
        uow.commit()


def event_status(uow: UnitOfWork) -> tuple[EventInfo, CashSummary, dict[str, int]] | None:
    """The open event, its drawer so far and its order counts by status."""
    with uow:
        event = open_event_row(uow)
        if event is None:
            return None
        by_status = events_store.order_counts(uow, event.id)
        return EventInfo.of(event), cash_summary(uow, event), by_status


def display_currency(uow: UnitOfWork) -> str:
    """The currency to show amounts in: the open event's, else the latest event's, else USD."""
    with uow:
        return events_store.latest_currency(uow) or "USD"


# ---- finding an event ----------------------------------------------------------------------


def resolve_event(uow: UnitOfWork, which: int | str | None = None) -> models_store.Event:
    """The event meant by `which`, inside an open unit of work.

    None: the open event, else the last one closed; "current": the open one; "last": the
    last one closed; a number: that event's id.
    """
    if which is None:
        event = open_event_row(uow) or events_store.last_closed_event(uow)
        if event is None:
            raise EventError("there are no events yet: open one with `popup-pos event open NAME`")
        return event
    text = str(which).strip().lower()
    if text == "current":
        return require_open_event(uow)
    if text == "last":
        event = events_store.last_closed_event(uow)
        if event is None:
            raise EventError("no event has been closed yet")
        return event
    if not text.isascii() or not text.isdigit():
        raise EventError(f"event {which!r}: give an event id, 'current' or 'last'")
    number = int(text) if len(text) <= len(str(MAX_ID)) else MAX_ID + 1
    event = events_store.event_by_id(uow, number) if number <= MAX_ID else None
    if event is None:
        raise EventError(f"there is no event {text}: `popup-pos event list` shows them")
    return event


def event_info(uow: UnitOfWork, which: int | str | None = None) -> EventInfo:
    with uow:
        return EventInfo.of(resolve_event(uow, which))
