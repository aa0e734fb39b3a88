"""Closing an event: the cash count, the count-out of stock and what awaits payment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from popup_pos.domain.cells import restore
from popup_pos.domain.limits import (
    MAX_ON_HAND,
    MAX_QUANTITY,
    LimitError,
    brief,
    check_lookup,
    check_whole,
)
from popup_pos.domain.money import check_amount, parse_amount
from popup_pos.domain.report import Progress, StockLine
from popup_pos.services import audit, checkout, inventory, reports
from popup_pos.services.events import CashSummary, EventError, cash_summary, require_open_event
from popup_pos.services.views import EventInfo
from popup_pos.store import events as events_store
from popup_pos.store.uow import UnitOfWork

_COUNT_ITEM = re.compile(r"\s*([^\s;xX×*]+)\s*[xX×*]\s*([0-9]+)\s*(?:[,;\s]\s*|$)", re.ASCII)


@dataclass(frozen=True, slots=True)
class CashCount:
    """Cash counted by denomination: (value in minor units, how many) pairs."""

    denominations: tuple[tuple[int, int], ...]

    @property
    def total_cents(self) -> int:
        return sum(value * n for value, n in self.denominations)


def parse_cash_count(text: str, currency: str) -> CashCount:
    """Read a count such as "20x5, 10x3, 5x2, 1x7, 0.25x8": VALUE x HOW-MANY, repeated.

    Items are separated by commas, semicolons or spaces; `x`, `×` or `*` joins the value
    and the count. Values are typed like any amount (`0.25`, `0,25`, `$20`); counts are
    whole numbers. The same value twice is added up (two people counting one drawer).
    """
    src = text.strip()
    if not src:
        raise EventError('the cash count is empty: write it like "20x5, 10x3, 0.25x8"')
    found: dict[int, int] = {}
    pos, item = 0, 0
    while pos < len(src):
        item += 1
        m = _COUNT_ITEM.match(src, pos)
        if m is None:
            rest = src[pos:].split(",")[0].strip()
            raise EventError(
                f'cash count item {item} ({rest!r}) is not VALUExCOUNT: write "20x5" for five 20s'
            )
        value = parse_amount(m.group(1), currency, what=f"cash count item {item} value")
        if value <= 0:
            raise EventError(f"cash count item {item}: the value {m.group(1)!r} must be above 0")
        how_many = m.group(2).lstrip("0") or "0"
        if len(how_many) > len(str(MAX_QUANTITY)) or int(how_many) > MAX_QUANTITY:
            raise EventError(
                f"cash count item {item}: {m.group(2)} notes or coins is over the limit "
                f"of {MAX_QUANTITY:,}"
            )
        found[value] = found.get(value, 0) + int(how_many)
        pos = m.end()
    count = CashCount(tuple(sorted(found.items(), reverse=True)))
    check_amount(count.total_cents, currency, what="the cash counted")
    return count


def read_count_sheet(path: str | Path) -> dict[str, int]:
    """SKU -> units counted, from a CSV with `sku` and `counted` columns (others ignored).

    A blank `counted` cell means the item was not counted. Every bad row is listed with its
    row number (the header is row 1); nothing is returned unless all rows are good.
    """
    import csv

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise EventError(f"{file}: not a UTF-8 CSV file; save it as CSV UTF-8") from None
    except IsADirectoryError:
        raise EventError(f"{file} is a folder: give the count-out CSV file") from None
    if "\x00" in text:
        raise EventError(f"{file}: not a CSV file (it holds NUL bytes)")
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise EventError(f"{file}: not a readable CSV file ({exc})") from None
    if not rows:
        raise EventError(f"{file} is empty: it needs a header row with sku and counted")
    header = [h.strip().lower() for h in rows[0]]
    if "sku" not in header or "counted" not in header:
        raise EventError(f"{file}: the header row needs columns 'sku' and 'counted'")
    i_sku, i_count = header.index("sku"), header.index("counted")
    counts: dict[str, int] = {}
    problems: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        # A SKU copied from a catalog export may carry its formula guard quote.
        sku = restore(row[i_sku]).strip() if i_sku < len(row) else ""
        raw = row[i_count].strip() if i_count < len(row) else ""
        if not sku and not raw:
            continue
        if not sku:
            problems.append(f"row {n}: no SKU")
        elif not raw:
            continue
        elif not (raw.isascii() and raw.isdigit()):
            problems.append(f"row {n}, {sku}: counted must be a whole number, not {brief(raw)}")
        elif len(raw.lstrip("0")) > len(str(MAX_ON_HAND)) or int(raw) > MAX_ON_HAND:
            problems.append(f"row {n}, {sku}: counted {raw} is over the limit of {MAX_ON_HAND:,}")
        elif sku.upper() in {k.upper() for k in counts}:
            problems.append(f"row {n}: {sku} is counted twice in the file")
        else:
            try:
                counts[check_lookup(sku, f"row {n}: the SKU", 64)] = int(raw)
            except LimitError as exc:
                problems.append(str(exc))
    if problems:
        shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        raise EventError(f"{file}: {len(problems)} problem(s), nothing was counted: {shown}")
    return counts


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """An order not paid yet when the event closes."""

    id: int
    number: str
    status: str
    total_cents: int
    paid_cents: int
    pending_cents: int  # payments still being checked (Stripe)


class CloseBlockedError(EventError):
    """Closing must wait: orders still await payment. `pending` have a payment being
    checked (carry them over), `unpaid` have none (take payment or cancel them)."""

    def __init__(self, pending: tuple[OpenOrder, ...], unpaid: tuple[OpenOrder, ...]) -> None:
        self.pending, self.unpaid = pending, unpaid
        parts = []
        if pending:
            parts.append(
                f"{len(pending)} order(s) have a payment still being checked "
                f"({_numbers(pending)}): wait for it, or carry them over to after the close"
            )
        if unpaid:
            parts.append(
                f"{len(unpaid)} order(s) still await payment ({_numbers(unpaid)}): "
                "take payment or cancel them before closing, or let the close cancel them"
            )
        super().__init__("; ".join(parts))


def _numbers(orders: tuple[OpenOrder, ...]) -> str:
    return ", ".join(o.number for o in orders[:5]) + (" …" if len(orders) > 5 else "")


@dataclass(frozen=True, slots=True)
class ClosePreview:
    """What closing now would find: the drawer so far and the orders in the way."""

    event: EventInfo
    cash: CashSummary
    pending: tuple[OpenOrder, ...]
    unpaid: tuple[OpenOrder, ...]


@dataclass(frozen=True, slots=True)
class CloseResult:
    event: EventInfo
    cash: CashSummary
    counted_cents: int
    denominations: tuple[tuple[int, int], ...] = ()
    carried_over: tuple[OpenOrder, ...] = ()
    cancelled: tuple[str, ...] = ()
    released: tuple[str, ...] = ()  # unpaid orders whose hold had run out
    stock: tuple[StockLine, ...] = ()  # the variants counted out

    @property
    def over_short_cents(self) -> int:
        """Positive: more cash than expected; negative: short."""
        return self.counted_cents - self.cash.expected_cents

    @property
    def shrinkage_units(self) -> int:
        return sum(s.shrinkage for s in self.stock)


def _open_orders(uow: UnitOfWork, event_id: int) -> tuple[tuple[OpenOrder, ...], ...]:
    rows = [
        OpenOrder(r.id, r.number, r.status, r.total_cents, r.paid_cents, r.pending_cents)
        for r in events_store.unsettled_orders(uow, event_id)
    ]
    return (
        tuple(o for o in rows if o.pending_cents > 0),
        tuple(o for o in rows if o.pending_cents == 0),
    )


def close_preview(uow: UnitOfWork) -> ClosePreview:
    """The open event's drawer and the orders that would stop it closing."""
    with uow:
        event = require_open_event(uow)
        pending, unpaid = _open_orders(uow, event.id)
        return ClosePreview(EventInfo.of(event), cash_summary(uow, event), pending, unpaid)


class CancelOrder(Protocol):
    """How closing cancels an unpaid order: `payments.cancel_order`, handed in by the
    caller because payments sits above this module (it imports checkout, which imports
    this module), and the local cancel alone would leave a Stripe part payment charged."""

    def __call__(
        self, uow: UnitOfWork, order_id: int, *, reason: str | None = ..., actor: str | None = ...
    ) -> object: ...


def close_event(
    uow: UnitOfWork,
    counted_cents: int | None = None,
    actor: str | None = None,
    *,
    cash_count: CashCount | None = None,
    carry_over: bool = False,
    cancel_unpaid: CancelOrder | None = None,
    count_out: Mapping[str, int] | None = None,
    progress: Progress | None = None,
) -> CloseResult:
    """Close the open event with the cash counted (a total, or `cash_count` by denomination).

    Refused while orders await payment: those with a payment still being checked close
    only with `carry_over` (they stay awaiting payment, listed in the result); those with
    none only with `cancel_unpaid`, the door that cancels them (`payments.cancel_order`:
    their stock goes back, a Stripe part payment back through Stripe). `count_out`
    (SKU -> units counted) sets each variant's stock to the count, and the gap shows as
    shrinkage. Every amount and count is checked before anything changes; unpaid orders
    are cancelled one by one first (a close refused after that keeps them cancelled), and
    the count-out commits in one transaction with the close itself, or not at all.
    """
    with uow:
        currency = require_open_event(uow).currency
    # Every amount and count is checked before anything below commits.
    counted, denominations = _counted(counted_cents, cash_count, currency)
    counts = _checked_counts(count_out or {})
    released = tuple(checkout.release_expired(uow))
    with uow:
        event = require_open_event(uow)
        event_id = event.id
        pending, unpaid = _open_orders(uow, event_id)
        known = events_store.tracked_skus(uow, list(counts))
        unknown = [s for s in counts if s.upper() not in known]
        if unknown:
            raise EventError(
                f"count-out: no variant with SKU {', '.join(map(repr, unknown[:5]))}; "
                "nothing was counted"
            )
        if (pending and not carry_over) or (unpaid and cancel_unpaid is None):
            raise CloseBlockedError(
                pending if not carry_over else (), unpaid if cancel_unpaid is None else ()
            )
    steps = len(unpaid) + len(counts) + 1
    done = 0
    if progress is not None:
        progress(done, steps)
    cancelled = []
    if cancel_unpaid is not None:  # else `unpaid` is empty: refused above
        for o in unpaid:
            cancel_unpaid(uow, o.id, reason="event closed", actor=actor)
            cancelled.append(o.number)
            done += 1
            if progress is not None:
                progress(done, steps)
    stored_counts: dict[str, int] = {}
    with uow:
        # The count-out and the close are one transaction: a count refused (a digital
        # item, an edition past its size) or a close refused leaves the stock as it was.
        for sku, n in counts.items():
            real = known[sku.upper()].sku
            inventory.count_out_within(uow, real, n, actor)
            stored_counts[real] = n
            done += 1
            if progress is not None:
                progress(done, steps)
        locked = events_store.lock_event(uow, event_id)
        if locked is None or locked.status != "open":
            raise EventError("the event was closed from another register a moment ago")
        event = locked
        pending, unpaid = _open_orders(uow, event_id)
        if (pending and not carry_over) or unpaid:
            # Orders arrived between the checks and now: refuse rather than close on them.
            raise CloseBlockedError(pending if not carry_over else (), unpaid)
        cash = cash_summary(uow, event)
        close_info = {
            "counted": counted,
            "denominations": [list(d) for d in denominations],
            "carried_over": [o.number for o in pending],
            "cancelled": cancelled,
            "counted_out": stored_counts,
        }
        events_store.mark_closed(uow, event, counted, close_info)
        audit.record(
            uow,
            "event.close",
            "event",
            event.id,
            {
                "counted": counted,
                "expected": cash.expected_cents,
                "denominations": close_info["denominations"],
                "carried_over": close_info["carried_over"],
                "cancelled": cancelled,
                "counted_out": stored_counts,
            },
            actor,
        )
        uow.commit()
        info = EventInfo.of(event)
    if progress is not None:
        progress(steps, steps)
    stock = tuple(s for s in reports.stock_lines(uow, event_id) if s.sku in stored_counts)
    return CloseResult(
        info, cash, counted, denominations, pending, tuple(cancelled), released, stock
    )


def _counted(
    counted_cents: int | None, cash_count: CashCount | None, currency: str | None = None
) -> tuple[int, tuple[tuple[int, int], ...]]:
    denominations: tuple[tuple[int, int], ...] = ()
    if cash_count is None:
        if counted_cents is None:
            raise EventError("say how much cash was counted: a total or by denomination")
        total = counted_cents
    else:
        for value, n in cash_count.denominations:
            if value <= 0 or n < 0:
                raise EventError("a cash count needs values above 0 and counts of 0 or more")
        total, denominations = cash_count.total_cents, cash_count.denominations
        if counted_cents is not None and counted_cents != total:
            raise EventError(
                f"the counted total ({counted_cents}) and the count by denomination "
                f"({total}) disagree: give one of them"
            )
    if total < 0:
        raise EventError("counted cash cannot be negative")
    # Checked before the close changes anything: a count-out must not commit and then
    # leave the event open on an amount the database cannot hold.
    check_amount(total, currency or "USD", what="the counted cash")
    return total, denominations


def _checked_counts(count_out: Mapping[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    seen: set[str] = set()
    for sku, n in count_out.items():
        key = sku.strip()
        if not key:
            raise EventError("count-out: an SKU is empty")
        if key.upper() in seen:
            raise EventError(f"count-out: {key} is counted twice")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise EventError(f"count-out: {key} must be counted as 0 or more, not {n!r}")
        key = check_lookup(key, "count-out: an SKU", 64)
        check_whole(n, f"count-out: {key}", high=MAX_ON_HAND)
        seen.add(key.upper())
        out[key] = n
    return out
