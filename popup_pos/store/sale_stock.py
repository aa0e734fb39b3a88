"""Stock, ledger and per-buyer counts as selling touches them, through the unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from popup_pos.store import customers as customers_store
from popup_pos.store import stock as stock_store
from popup_pos.store.uow import UnitOfWork


class StockMove(NamedTuple):
    """One stock ledger row: a signed quantity of a variant, with why and for what."""

    variant_id: int
    kind: str
    quantity: int
    order_id: int | None = None
    event_id: int | None = None
    reason: str | None = None
    staff_id: int | None = None


class Held(NamedTuple):
    """Units of a variant an unpaid order's reservation still holds."""

    variant_id: int
    quantity: int


class LockedVariant(NamedTuple):
    id: int
    track_stock: bool
    on_hand: int
    kind: str


def take(uow: UnitOfWork, variant_id: int, n: int) -> bool:
    """Remove n from on-hand if at least n are there (one conditional update); False if not."""
    return stock_store.take(uow.conn, variant_id, n)


def put(uow: UnitOfWork, variant_id: int, n: int) -> None:
    stock_store.put(uow.conn, variant_id, n)


def on_hand(uow: UnitOfWork, variant_id: int) -> int:
    return stock_store.on_hand(uow.conn, variant_id)


def log_moves(uow: UnitOfWork, moves: Sequence[StockMove]) -> None:
    """Ledger rows in one executemany, stamped now."""
    stock_store.log_movements(uow.conn, [m._asdict() for m in moves])


def held_by_order(uow: UnitOfWork, order_id: int) -> list[Held]:
    return [Held(vid, qty) for vid, qty in stock_store.held_by_order(uow.conn, order_id)]


def tracked_ids(uow: UnitOfWork, ids: Iterable[int]) -> set[int]:
    return stock_store.tracked_ids(uow.conn, ids)


def lock_by_sku(uow: UnitOfWork, sku: str) -> LockedVariant | None:
    """A variant's stock flag, count and product kind, locked against concurrent change."""
    row = stock_store.lock_by_sku(uow.conn, sku)
    return None if row is None else LockedVariant(row.id, bool(row.track_stock), *row[2:])


def customer_salt(uow: UnitOfWork, event_id: int) -> str | None:
    return customers_store.salt(uow.conn, event_id)


def set_customer_salt(uow: UnitOfWork, event_id: int, value: str) -> str:
    """Store the event's salt unless another register already did; the salt in force."""
    return customers_store.set_salt(uow.conn, event_id, value)


def bought(
    uow: UnitOfWork, event_id: int, customer_hash: str, variant_ids: Iterable[int]
) -> dict[int, int]:
    """Units of each variant this customer holds in the event's orders, refunds taken off."""
    return customers_store.bought(uow.conn, event_id, customer_hash, variant_ids)


def lock_variants(uow: UnitOfWork, variant_ids: Iterable[int]) -> None:
    """Lock these variants in id order, so one buyer at two registers is counted in turn."""
    customers_store.lock_variants(uow.conn, variant_ids)
