"""An order's stock: taken when it is placed, put back when it is cancelled."""

from __future__ import annotations

from popup_pos.domain.errors import NotEnoughStockError
from popup_pos.services.checkout.quoting import Quote
from popup_pos.store import stock as stock_store
from popup_pos.store.uow import UnitOfWork


def _stock_needs(q: Quote) -> dict[int, tuple[str, int]]:
    """variant_id -> (sku, units) for every tracked variant the order takes."""
    need: dict[int, tuple[str, int]] = {}
    for ln in q.lines:
        parts = (
            [(c.variant_id, c.sku, c.per_unit * ln.quantity) for c in ln.components if c.tracked]
            if ln.components
            else [(ln.variant_id, ln.sku or "", ln.quantity)]
            if ln.tracked and ln.variant_id
            else []
        )
        for vid, sku, n in parts:
            prev = need.get(vid, (sku, 0))[1]
            need[vid] = (sku, prev + n)
    return need


def _reserve(uow: UnitOfWork, q: Quote, order_id: int, event_id: int) -> dict[str, int]:
    """Take the order's stock; the change per variant id, for the audit entry."""
    need = _stock_needs(q)
    # Fixed order so two registers taking the same variants on PostgreSQL never deadlock.
    # One conditional UPDATE per variant: its row count says exactly which one ran out.
    for vid in sorted(need):
        sku, n = need[vid]
        if not stock_store.take(uow, vid, n):
            raise NotEnoughStockError(sku, n, stock_store.on_hand(uow, vid))
    stock_store.log_moves(
        uow,
        [
            stock_store.StockMove(vid, "sale", -n, order_id=order_id, event_id=event_id)
            for vid, (_sku, n) in sorted(need.items())
        ],
    )
    return {str(vid): -n for vid, (_sku, n) in sorted(need.items())}


def _release(uow: UnitOfWork, order_id: int, event_id: int) -> dict[str, int]:
    """Put back everything the order's reservation took, as sale_cancel ledger rows; the
    change per variant id, for the audit entry."""
    rows: list[stock_store.StockMove] = []
    # Ascending ids, like the takes, so a cancel and a sale never deadlock on PostgreSQL.
    for vid, qty in sorted(stock_store.held_by_order(uow, order_id)):
        stock_store.put(uow, vid, qty)
        rows.append(
            stock_store.StockMove(vid, "sale_cancel", qty, order_id=order_id, event_id=event_id)
        )
    stock_store.log_moves(uow, rows)
    return {str(r.variant_id): r.quantity for r in rows}
