"""Events and registers: open a night with a float, join registers, close with a cash count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import check_currency
from popup_pos.services import audit
from popup_pos.store.models import CashMovement, Event, Order, Payment, Refund, Register, utcnow
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
    return uow.session.scalars(select(Event).where(Event.status == "open")).one_or_none()


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
        uow.session.add(event)
        try:
            uow.session.flush()
        except IntegrityError:
            # Another register opened one between our check and our insert.
            raise EventError("another event was opened at the same moment") from None
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
        paid = Order.status.in_(("paid", "fulfilled", "partially_refunded", "refunded"))
        counts = (
            select(
                Order.event_id,
                func.count(Order.id),
                func.coalesce(func.sum(Order.paid_cents - Order.refunded_cents), 0),
            )
            .where(paid)
            .group_by(Order.event_id)
        )
        totals = {eid: (n, t) for eid, n, t in uow.session.execute(counts)}
        events = uow.session.scalars(select(Event).order_by(Event.id.desc()))
        return [(EventInfo.of(e), *totals.get(e.id, (0, 0))) for e in events]


def join_register(uow: UnitOfWork, code: str) -> RegisterInfo:
    """Join (or rejoin) the open event as register `code`; order numbers start with it."""
    code = code.strip().upper()
    if not REGISTER_CODE.fullmatch(code):
        raise EventError(
            f"register code {code!r} must be 1 to 4 letters or digits starting with a letter"
        )
    with uow:
        event = require_open_event(uow)
        stmt = select(Register).where(Register.event_id == event.id, Register.code == code)
        reg = uow.session.scalars(stmt).one_or_none()
        if reg is None:
            reg = Register(event_id=event.id, code=code)
            uow.session.add(reg)
            try:
                uow.session.flush()
            except IntegrityError:
                uow.rollback()
                reg = uow.session.scalars(stmt).one()
            else:
                audit.record(uow, "register.join", "register", reg.id, {"code": code})
                uow.commit()
        return RegisterInfo(reg.id, reg.event_id, reg.code)


def cash_summary(uow: UnitOfWork, event: Event) -> CashSummary:
    s = uow.session
    sales = s.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .join(Order, Order.id == Payment.order_id)
        .where(Order.event_id == event.id, Payment.tender == "cash", Payment.status == "succeeded")
    )
    refunds = s.scalar(
        select(func.coalesce(func.sum(Refund.amount_cents), 0))
        .join(Order, Order.id == Refund.order_id)
        .where(Order.event_id == event.id, Refund.tender == "cash", Refund.status == "succeeded")
    )

    def moved(kind: str) -> int:
        return int(
            s.scalar(
                select(func.coalesce(func.sum(CashMovement.amount_cents), 0)).where(
                    CashMovement.event_id == event.id, CashMovement.kind == kind
                )
            )
            or 0
        )

    return CashSummary(
        event.float_cents, int(sales or 0), int(refunds or 0), moved("paid_in"), moved("paid_out")
    )


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
        uow.session.add(row)
        uow.session.flush()
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
        waiting = uow.session.scalars(
            select(Order.number).where(
                Order.event_id == event.id, Order.status == "awaiting_payment"
            )
        ).all()
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
        by_status = dict(
            uow.session.execute(
                select(Order.status, func.count(Order.id))
                .where(Order.event_id == event.id)
                .group_by(Order.status)
            ).all()
        )
        return EventInfo.of(event), cash_summary(uow, event), by_status


def display_currency(uow: UnitOfWork) -> str:
    """The currency to show amounts in: the open event's, else the latest event's, else USD."""
    with uow:
        latest = uow.session.scalar(
            select(Event.currency).order_by((Event.status == "open").desc(), Event.id.desc())
        )
        return latest or "USD"
