"""Stock counted or corrected by hand: the variant locked, on-hand moved, the ledger row."""

from __future__ import annotations

from typing import NamedTuple

from popup_pos.store import stock as stock_store
from popup_pos.store.uow import UnitOfWork


class LockedStock(NamedTuple):
    """A variant's stock facts, read under a lock against concurrent change."""

    id: int
    track_stock: bool
    on_hand: int
    kind: str


def lock_by_sku(uow: UnitOfWork, sku: str) -> LockedStock | None:
    row = stock_store.lock_by_sku(uow.conn, sku)
    if row is None:
        return None
    return LockedStock(int(row.id), bool(row.track_stock), int(row.on_hand), str(row.kind))


def set_tracked(uow: UnitOfWork, variant_id: int) -> None:
    stock_store.set_tracked(uow.conn, variant_id)


def take(uow: UnitOfWork, variant_id: int, n: int) -> bool:
    """Remove n from on-hand if at least n are there; False if not (see stock.take)."""
    return stock_store.take(uow.conn, variant_id, n)


def put(uow: UnitOfWork, variant_id: int, n: int) -> None:
    stock_store.put(uow.conn, variant_id, n)


def edition_room(uow: UnitOfWork, variant_id: int) -> int | None:
    """How many more units of a limited edition may exist; None for open stock."""
    return stock_store.edition_room(uow.conn, variant_id)


def log_movement(
    uow: UnitOfWork,
    variant_id: int,
    kind: str,
    quantity: int,
    *,
    reason: str | None,
    event_id: int | None,
) -> None:
    """One ledger row (quantity signed)."""
    row = {
        "variant_id": variant_id,
        "kind": kind,
        "quantity": quantity,
        "reason": reason,
        "event_id": event_id,
    }
    stock_store.log_movements(uow.conn, [row])


def ledger_sum(uow: UnitOfWork, sku: str) -> int:
    """The sum of a variant's ledger."""
    return stock_store.ledger_sum(uow.conn, sku)
