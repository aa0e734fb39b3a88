"""Stock counts and corrections; on-hand can never go below zero, on any database."""

from __future__ import annotations

from dataclasses import dataclass

# Defined below the services so that checkout, which raises one, need not import this
# module (and, through it, events); callers keep catching them from here.
from popup_pos.domain.errors import NotEnoughStockError as NotEnoughStockError
from popup_pos.domain.errors import StockError as StockError
from popup_pos.domain.limits import (
    MAX_ON_HAND,
    MAX_QUANTITY,
    REASON_LENGTH,
    check_lookup,
    check_text,
    check_whole,
)
from popup_pos.services import audit
from popup_pos.services.events import open_event_row
from popup_pos.store import stock as stock_store
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StockResult:
    sku: str
    on_hand: int
    delta: int


def _change(
    uow: UnitOfWork,
    sku: str,
    kind: str,
    reason: str | None,
    actor: str | None,
    *,
    delta: int | None = None,
    counted: int | None = None,
) -> StockResult:
    """Apply a relative change, or set an absolute count, in one transaction."""
    sku = check_lookup(sku, "the SKU", 64)
    with uow:
        result = _apply(uow, sku, kind, reason, actor, delta=delta, counted=counted)
        uow.commit()
        return result


def _apply(
    uow: UnitOfWork,
    sku: str,
    kind: str,
    reason: str | None,
    actor: str | None,
    *,
    delta: int | None = None,
    counted: int | None = None,
) -> StockResult:
    """The change, inside the caller's open unit of work; the caller commits."""
    # Locked so a count cannot race a sale on another register.
    row = stock_store.lock_by_sku(uow, sku)
    if row is None:
        raise StockError(f"no variant with SKU {sku!r}")
    vid, tracked, on_hand = row.id, row.track_stock, row.on_hand
    if row.kind == "digital":
        raise StockError(
            f"{sku} is digital: its stock is its unused download codes; "
            f"add codes with popup-pos codes import {sku} FILE"
        )
    if counted is not None:
        delta = counted - on_hand
    if not delta:
        return StockResult(sku, on_hand, 0)
    if not tracked:
        # Counting a variant in is how a seller starts tracking it.
        stock_store.set_tracked(uow, vid)
    if delta < 0 and not stock_store.take(uow, vid, -delta):
        raise NotEnoughStockError(sku, -delta, on_hand)
    if delta > 0:
        if on_hand + delta > MAX_ON_HAND:
            raise StockError(
                f"{sku}: {on_hand:,} on hand and {delta:,} more is over the limit of "
                f"{MAX_ON_HAND:,} units of one variant"
            )
        room = stock_store.edition_room(uow, vid)
        if room is not None and delta > room:
            raise StockError(
                f"{sku} is a limited edition: only {max(room, 0)} more can exist, not {delta}"
            )
        stock_store.put(uow, vid, delta)
    event = open_event_row(uow)
    move = stock_store.StockMove(
        vid, kind, delta, reason=reason, event_id=event.id if event else None
    )
    stock_store.log_moves(uow, [move])
    audit.record(uow, f"stock.{kind}", "variant", sku, {"delta": delta, "reason": reason}, actor)
    return StockResult(sku, on_hand + delta, delta)


def count_in(uow: UnitOfWork, sku: str, qty: int, actor: str | None = None) -> StockResult:
    """Stock brought to the table."""
    if qty <= 0:
        raise StockError(f"count-in quantity must be more than zero, not {qty}")
    check_whole(qty, "the count-in quantity", high=MAX_QUANTITY)
    return _change(uow, sku, "count_in", None, actor, delta=qty)


def adjust(
    uow: UnitOfWork, sku: str, delta: int, reason: str, actor: str | None = None
) -> StockResult:
    """A correction (damaged, found, miscounted); the reason goes in the ledger."""
    if not reason.strip():
        raise StockError("an adjustment needs a reason (damaged, found, recount…)")
    if delta == 0:
        raise StockError("the adjustment must not be zero")
    check_whole(delta, "the adjustment", low=-MAX_QUANTITY, high=MAX_QUANTITY)
    reason = check_text(reason, "the reason", REASON_LENGTH)
    return _change(uow, sku, "adjustment", reason, actor, delta=delta)


def comp(uow: UnitOfWork, sku: str, qty: int, reason: str, actor: str | None = None) -> StockResult:
    """Given away (band, crew, giveaway): out of stock without a sale."""
    if qty <= 0:
        raise StockError(f"comp quantity must be more than zero, not {qty}")
    if not reason.strip():
        raise StockError("say who the comp was for")
    check_whole(qty, "the comp quantity", high=MAX_QUANTITY)
    reason = check_text(reason, "the reason", REASON_LENGTH)
    return _change(uow, sku, "comp", reason, actor, delta=-qty)


def count_out(uow: UnitOfWork, sku: str, counted: int, actor: str | None = None) -> StockResult:
    """The end-of-night count: on-hand becomes what was counted; the gap is shrinkage."""
    _check_count(sku, counted)
    return _change(uow, sku, "count_out", f"counted {counted}", actor, counted=counted)


def count_out_within(
    uow: UnitOfWork, sku: str, counted: int, actor: str | None = None
) -> StockResult:
    """`count_out` inside the caller's open unit of work, which commits it together with
    the rest (the close of an event), or rolls it all back."""
    _check_count(sku, counted)
    sku = check_lookup(sku, "the SKU", 64)
    return _apply(uow, sku, "count_out", f"counted {counted}", actor, counted=counted)


def _check_count(sku: str, counted: int) -> None:
    if counted < 0:
        raise StockError("a count cannot be negative")
    check_whole(counted, f"the count of {sku}", high=MAX_ON_HAND)


def ledger_sum(uow: UnitOfWork, sku: str) -> int:
    """The sum of a variant's ledger; always equal to its on-hand."""
    with uow:
        return stock_store.ledger_sum(uow, sku)
