"""An order's stock: taken when it is placed, put back when it is cancelled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from popup_pos.domain.errors import NotEnoughStockError
from popup_pos.services.checkout.quoting import Quote
from popup_pos.store import stock

if TYPE_CHECKING:
    from popup_pos.services.checkout.common import Connection


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


def _reserve(conn: Connection, q: Quote, order_id: int, event_id: int) -> dict[str, int]:
    """Take the order's stock; the change per variant id, for the audit entry."""
    need = _stock_needs(q)
    # Fixed order so two registers taking the same variants on PostgreSQL never deadlock.
    # One conditional UPDATE per variant: its row count says exactly which one ran out.
    for vid in sorted(need):
        sku, n = need[vid]
        if not stock.take(conn, vid, n):
            raise NotEnoughStockError(sku, n, stock.on_hand(conn, vid))
    stock.log_movements(
        conn,
        [
            {
                "variant_id": vid,
                "kind": "sale",
                "quantity": -n,
                "order_id": order_id,
                "event_id": event_id,
            }
            for vid, (_sku, n) in sorted(need.items())
        ],
    )
    return {str(vid): -n for vid, (_sku, n) in sorted(need.items())}


def _release(conn: Connection, order_id: int, event_id: int) -> dict[str, int]:
    """Put back everything the order's reservation took, as sale_cancel ledger rows; the
    change per variant id, for the audit entry."""
    rows: list[dict[str, Any]] = []
    # Ascending ids, like the takes, so a cancel and a sale never deadlock on PostgreSQL.
    for vid, qty in sorted(stock.held_by_order(conn, order_id)):
        stock.put(conn, vid, qty)
        rows.append(
            {
                "variant_id": vid,
                "kind": "sale_cancel",
                "quantity": qty,
                "order_id": order_id,
                "event_id": event_id,
            }
        )
    stock.log_movements(conn, rows)
    return {str(r["variant_id"]): r["quantity"] for r in rows}
