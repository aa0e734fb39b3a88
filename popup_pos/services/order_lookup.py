"""Finding orders in the back office: this event's or every event's, by number, SKU, amount,
time or download code; one order opened with everything that happened to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta, tzinfo

from popup_pos.domain.errors import MoneyError, PosError
from popup_pos.domain.limits import brief
from popup_pos.domain.money import parse_amount
from popup_pos.services.events import open_event_row
from popup_pos.store import code_pool as code_pool_store
from popup_pos.store import order_lookup as order_lookup_store
from popup_pos.store.code_pool import CodeRecord
from popup_pos.store.order_lookup import (
    LineRecord,
    OrderHead,
    OrderMatch,
    OrderRow,
    PaymentRecord,
    RefundRecord,
    TicketRecord,
)
from popup_pos.store.uow import UnitOfWork

__all__ = [
    "MAX_RESULTS",
    "OrderDetail",
    "OrderLookupError",
    "OrderRow",
    "Search",
    "open_order",
    "parse_search",
    "search_orders",
]

MAX_RESULTS = 500
MAX_SEARCH = 200
# A time typed alone ("21:30") finds the orders this close to it.
TIME_WINDOW = timedelta(minutes=15)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WORD = re.compile(r"^[A-Za-z0-9_.\-/#]+$")


class OrderLookupError(PosError):
    """An order search or an order that cannot be shown."""


@dataclass(frozen=True, slots=True)
class Search:
    """A search as typed, and what it was read as (for the window to say)."""

    text: str
    match: OrderMatch | None
    read_as: tuple[str, ...]  # "number", "SKU", "amount", …
    every_event: bool = False  # searched every event (asked for, or none is open)


@dataclass(frozen=True, slots=True)
class OrderDetail:
    head: OrderHead
    lines: tuple[LineRecord, ...]
    payments: tuple[PaymentRecord, ...]
    refunds: tuple[RefundRecord, ...]
    codes: tuple[CodeRecord, ...]
    tickets: tuple[TicketRecord, ...]

    @property
    def refundable(self) -> bool:
        """Paid, not wholly refunded, with something left to give back."""
        return self.head.status in ("paid", "fulfilled", "partially_refunded") and any(
            ln.quantity > ln.refunded_quantity for ln in self.lines
        )


def parse_search(
    text: str, *, currency: str = "USD", tz: tzinfo | None = None, today: datetime | None = None
) -> Search:
    """Read what was typed as every kind of search it could be: `42` is part of an order
    number and the amount 42.00; `TEE-M` a SKU, a code or part of a number; `21:30` the
    orders within 15 minutes of it (today, local time); `2026-12-04` that day's orders."""
    raw = text.strip()
    if not raw:
        return Search(text, None, ())
    if len(raw) > MAX_SEARCH:
        raise OrderLookupError(f"the search {brief(raw)} is too long: type at most {MAX_SEARCH}")
    zone = tz or datetime.now().astimezone().tzinfo or UTC
    read_as: list[str] = []
    number = sku = code = None
    amount: int | None = None
    between: tuple[datetime, datetime] | None = None
    if m := _TIME.match(raw):
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise OrderLookupError(f"{raw} is not a time: type it as 21:30")
        day = (today or datetime.now(zone)).astimezone(zone).date()
        at = datetime.combine(day, time(hour, minute), zone)
        between = (_utc(at - TIME_WINDOW), _utc(at + TIME_WINDOW))
        read_as.append(f"time {raw}±15 min")
    elif m := _DATE.match(raw):
        try:
            start = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=zone)
        except ValueError:
            raise OrderLookupError(f"{raw} is not a date: type it as 2026-12-04") from None
        between = (_utc(start), _utc(start + timedelta(days=1)))
        read_as.append(f"date {raw}")
    else:
        try:
            # As the tender keys read an amount: "30", "30.00", "$30", "1,500.00", "12,50".
            amount = parse_amount(raw, currency)
            read_as.append("amount")
        except MoneyError:
            amount = None
        if _WORD.match(raw.lstrip("$€£¥")):
            number, sku, code = raw, raw, raw
            read_as += ["number", "SKU", "code"]
        if not read_as:
            raise OrderLookupError(
                f"nothing to search for in {brief(raw)}: type an order number, SKU, amount, "
                "time (21:30) or download code"
            )
    return Search(text, OrderMatch(number, sku, amount, code, between), tuple(read_as))


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def search_orders(
    uow: UnitOfWork, text: str, *, every_event: bool = False, limit: int = MAX_RESULTS
) -> tuple[Search, list[OrderRow]]:
    """The newest orders matching `text` (all orders when it is blank), of the open event
    or, with `every_event` (or when no event is open), of every event."""
    with uow:
        event = open_event_row(uow)
        search = parse_search(text, currency=event.currency if event else "USD")
        scope = None if every_event or event is None else event.id
        found = order_lookup_store.search(uow, search.match, event_id=scope, limit=limit)
        return replace(search, every_event=scope is None), found


def open_order(uow: UnitOfWork, ref: int | str) -> OrderDetail:
    """One order by id or number (the newest with that number) and all that happened to it."""
    with uow:
        order_id = ref if isinstance(ref, int) else order_lookup_store.order_id_of(uow, ref.strip())
        head = order_lookup_store.head(uow, order_id) if order_id is not None else None
        if head is None or order_id is None:
            raise OrderLookupError(f"no order {brief(str(ref))}")
        return OrderDetail(
            head,
            tuple(order_lookup_store.lines_of(uow, order_id)),
            tuple(order_lookup_store.payments_of(uow, order_id)),
            tuple(order_lookup_store.refunds_of(uow, order_id)),
            tuple(code_pool_store.of_order(uow, order_id)),
            tuple(order_lookup_store.tickets_of(uow, order_id)),
        )
