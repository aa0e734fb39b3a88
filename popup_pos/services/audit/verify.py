"""Verifying the audit log: walk the chain, check it against anchors, replay it on the tables."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from popup_pos.services.audit.anchor import Anchor, Head, anchor_path, flush_anchors, read_anchor
from popup_pos.services.audit.chain import GENESIS, entry_hash
from popup_pos.store import audit as audit_store
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class VerifyResult:
    checked: int
    broken_id: int | None = None
    problem: str | None = None
    # Anchors whose head the log no longer holds: entries removed or rewritten.
    anchor_problems: tuple[str, ...] = ()
    # Differences between the tables and the log replayed, first one first.
    table_problems: tuple[str, ...] = ()
    # What was checked, and what could not be (e.g. entries too old to carry the data).
    notes: tuple[str, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    # The head of the chain as walked: to write down, or to keep beside a pg_dump.
    head: Head | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.anchor_problems and not self.table_problems


def verify(
    uow: UnitOfWork, anchors: Sequence[Anchor] = (), *, anchor_file: bool = True
) -> VerifyResult:
    """Walk the chain, hold it against every anchor, then replay it against the tables.

    The walk finds an entry altered in place or removed from the middle; an anchor finds
    entries removed from the end or a chain re-hashed from an edited entry (its head is
    gone); the replay finds orders, payments, refunds and stock changed in the tables
    without an entry saying so.
    """
    notes: list[str] = []
    found = list(anchors)
    flush_anchors()  # this process's last head, if still on its way to the file
    if anchor_file:
        path = anchor_path(uow.engine)
        if path is not None and path.exists():
            found.insert(0, read_anchor(path))
        elif path is not None:
            notes.append(f"no anchor file at {path}: only the anchors given were checked")
    wanted: dict[int, list[Anchor]] = {}
    for a in found:
        wanted.setdefault(a.head.count, []).append(a)
    prev = GENESIS
    checked = 0
    seen: dict[int, str] = {}
    replay = _Replay()
    with uow:
        for row in audit_store.in_order_of(uow):
            if row.prev_hash != prev:
                return VerifyResult(checked, row.id, "does not link to the entry before it")
            expected = entry_hash(
                row.prev_hash,
                row.at,
                row.actor,
                row.action,
                row.entity,
                row.entity_id,
                row.data,
            )
            if row.hash != expected:
                return VerifyResult(checked, row.id, "was changed after it was written")
            prev = row.hash
            checked += 1
            if checked in wanted:
                seen[checked] = prev
            replay.apply(row)
        anchor_problems = tuple(_held(a, seen, checked) for a in found)
        table_problems = replay.compare(uow)
    notes.extend(replay.notes)
    return VerifyResult(
        checked,
        anchor_problems=tuple(p for p in anchor_problems if p),
        table_problems=table_problems,
        notes=tuple(notes),
        anchors=tuple(found),
        head=Head(checked, prev) if checked else None,
    )


def _held(a: Anchor, seen: Mapping[int, str], checked: int) -> str:
    """Why the log does not hold the anchor's head, or '' when it does."""
    if a.head.count > checked:
        gone = a.head.count - checked
        return (
            f"{a.source} says the log had {a.head.count} entries, it has {checked}: "
            f"{gone} newest {'entry was' if gone == 1 else 'entries were'} removed"
        )
    if a.head.count == 0:
        return ""
    if not seen[a.head.count].startswith(a.head.hash):
        return (
            f"{a.source} says entry {a.head.count} has hash {a.head.hash[:12]}…, the log's "
            f"has {seen[a.head.count][:12]}…: the log was rewritten up to there"
        )
    return ""


@dataclass(slots=True)
class _OrderState:
    number: str
    event: int | None
    status: str = "open"
    total: int = 0
    paid: int = 0
    refunded: int = 0
    complete: bool = True
    # Stock moved per variant id; None for orders placed before entries carried it.
    stock: dict[str, int] | None = None

    def move(self, data: Mapping[str, Any]) -> None:
        if self.stock is None:
            return
        if "stock" not in data:
            self.stock = None
            return
        for vid, n in data["stock"].items():
            self.stock[vid] = self.stock.get(vid, 0) + int(n)


class _Replay:
    """The orders and payments as the log tells them, to hold against the tables."""

    def __init__(self) -> None:
        self.event: int | None = None
        self.orders: dict[tuple[int | None, str], _OrderState] = {}
        self.event_of: dict[str, int | None] = {}
        self.payment_order: dict[int, tuple[int | None, str]] = {}
        self.payments: dict[int, list[Any]] = {}  # id -> [amount, status, entry id]
        self.notes: list[str] = []

    def _order(self, number: str, placing: bool) -> _OrderState:
        if placing:
            self.event_of[number] = self.event
        key = (self.event_of.get(number, self.event), number)
        o = self.orders.get(key)
        if o is None:
            o = self.orders[key] = _OrderState(number, key[0], complete=placing)
        return o

    def apply(self, row: audit_store.AuditRow) -> None:
        action: str = row.action
        try:
            data = json.loads(row.data)
            self._apply(action, row.entity_id, data)
        except (ValueError, KeyError, TypeError):
            self.notes.append(
                f"entry {row.id} ({action}) lacks the details to replay it: "
                f"what it changed was not checked"
            )
            if row.entity == "order" and row.entity_id:
                self._order(row.entity_id, False).complete = False

    def _apply(self, action: str, entity_id: str | None, data: dict[str, Any]) -> None:
        if action == "event.open":
            self.event = int(str(entity_id))
        elif action in ("order.place", "order.park"):
            o = self._order(str(entity_id), True)
            o.total = int(data["total"])
            o.status = "awaiting_payment" if action == "order.place" else "open"
            if action == "order.place":
                o.stock = {} if "stock" in data else None
                o.move(data)
        elif action == "order.part_paid":
            self._order(str(entity_id), False).paid = int(data["paid"])
        elif action == "order.paid":
            o = self._order(str(entity_id), False)
            o.paid, o.status = int(data["paid"]), "paid"
        elif action == "order.cancel":
            o = self._order(str(entity_id), False)
            o.status, o.refunded = "cancelled", int(data["handed_back"])
            o.move(data)
        elif action == "order.fulfil":
            self._order(str(entity_id), False).status = "fulfilled"
        elif action == "order.refund":
            o = self._order(str(entity_id), False)
            o.refunded += int(data["amount"])
            o.status = "refunded" if o.refunded >= o.paid else "partially_refunded"
            o.move(data)
        elif action == "payment.begin":
            pid = int(data["payment"])
            o = self._order(str(entity_id), False)
            self.payment_order[pid] = (o.event, o.number)
            self.payments[pid] = [int(data["amount"]), "pending"]
        elif action == "payment.succeeded":
            pid = int(data["payment"])
            key = self.payment_order.get(pid)
            o = self.orders[key] if key is not None else self._order(str(entity_id), False)
            o.paid += int(data["amount"])
            if pid in self.payments:
                self.payments[pid][1] = "succeeded"
        elif action in ("payment.failed", "payment.cancelled"):
            pid = int(str(entity_id))
            if pid in self.payments:
                self.payments[pid][1] = action.split(".", 1)[1]

    def compare(self, uow: UnitOfWork) -> tuple[str, ...]:
        problems: list[str] = []
        in_tables: set[tuple[int | None, str]] = set()
        variants = audit_store.stock(uow)
        sku_of = {str(v.id): v.sku for v in variants}
        moved_by_order = audit_store.order_movements(uow)
        unchecked_stock = 0
        for r in audit_store.orders(uow):
            key = (r.event_id, r.number)
            in_tables.add(key)
            where = f"order {r.number} (event {r.event_id})"
            o = self.orders.get(key)
            if o is None:
                problems.append(f"{where} is in the tables but the audit log never placed it")
                continue
            if not o.complete:
                continue
            for what, table, logged in (
                ("status", r.status, o.status),
                ("total", r.total_cents, o.total),
                ("paid", r.paid_cents, o.paid),
                ("sum of its payments", r.payments_cents, o.paid),
                ("refunded", r.refunded_cents, o.refunded),
                ("sum of its refunds", r.refunds_cents, o.refunded),
            ):
                if table != logged:
                    problems.append(
                        f"{where}: {what} is {table} in the tables, {logged} in the log"
                    )
            if o.stock is None:
                unchecked_stock += 1
                continue
            ledger_moves = moved_by_order.get(int(r.id), {})
            for vid in sorted(set(ledger_moves) | set(o.stock), key=int):
                in_ledger, logged_n = ledger_moves.get(vid, 0), o.stock.get(vid, 0)
                if in_ledger != logged_n:
                    problems.append(
                        f"{where}: stock of {sku_of.get(vid, 'variant ' + vid)} moved "
                        f"{in_ledger:+d} in the stock ledger, {logged_n:+d} in the log"
                    )
        if unchecked_stock:
            self.notes.append(
                f"{unchecked_stock} order(s) placed before the log recorded the stock they "
                "moved: their stock ledger rows were not checked against the log"
            )
        for key, o in self.orders.items():
            if key not in in_tables and o.complete:
                problems.append(
                    f"order {o.number} (event {o.event}) is in the audit log "
                    "but missing from the tables"
                )
        problems.extend(self._payments_and_stock(uow, variants))
        return tuple(problems)

    def _payments_and_stock(
        self, uow: UnitOfWork, variants: Sequence[audit_store.VariantStock]
    ) -> list[str]:
        problems: list[str] = []
        rows = audit_store.payments(uow)
        for pid, (amount, status) in self.payments.items():
            p = rows.get(pid)
            if p is None:
                problems.append(f"payment {pid} is in the audit log but missing from the tables")
            elif p.amount_cents != amount or p.status != status:
                problems.append(
                    f"payment {pid}: {p.amount_cents} {p.status} in the tables, "
                    f"{amount} {status} in the log"
                )
        ledger: dict[int, int] = {}
        for (variant_id, _kind), n in audit_store.ledger(uow).items():
            ledger[variant_id] = ledger.get(variant_id, 0) + n
        for v in variants:
            moved = ledger.get(int(v.id), 0)
            if v.on_hand != moved:
                problems.append(
                    f"stock of {v.sku}: {v.on_hand} on hand in the tables, "
                    f"its stock ledger adds up to {moved}"
                )
        return problems
