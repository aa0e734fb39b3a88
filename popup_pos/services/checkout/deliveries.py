"""Customers, experience places and download codes: what an order holds beyond stock."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from popup_pos.domain.customers import hash_handle
from popup_pos.domain.experiences import SlotPlan, free_slots, night_of
from popup_pos.services.checkout.common import CheckoutError, DeliveredCode, LimitError
from popup_pos.services.checkout.quoting import Cart, Quote, QuotedLine
from popup_pos.store import codes as codes_store
from popup_pos.store import customers as customers_store
from popup_pos.store import sales as sales_store
from popup_pos.store import tickets as tickets_store
from popup_pos.store.uow import UnitOfWork


def _customer_hash(uow: UnitOfWork, event_id: int, cart: Cart) -> str | None:
    """The cart's customer as this event's hash of their handle (None: nobody named)."""
    if cart.customer is None or not cart.customer.strip():
        return cart.customer_hash
    salt = customers_store.salt(uow, event_id) or customers_store.set_salt(
        uow, event_id, secrets.token_hex(16)
    )
    return hash_handle(salt, cart.customer)


def customer_holds(
    uow: UnitOfWork, customer: str | None, customer_hash: str | None, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Units of these variants the customer (a handle, or a parked order's hash) already
    holds in the open event: read when a limited drop is added, before the price is said."""
    handle = (customer or "").strip()
    with uow:
        event = sales_store.open_event(uow)
        if event is None:
            return {}
        if handle:
            salt = customers_store.salt(uow, event.id)
            # No handle was ever hashed in this event: nobody has bought anything yet.
            customer_hash = None if salt is None else hash_handle(salt, handle)
        if customer_hash is None:
            return {}
        return customers_store.bought(uow, event.id, customer_hash, variant_ids)


def _check_places(uow: UnitOfWork, event_id: int, q: Quote, customer: str | None) -> None:
    """Per-person limits across the event's orders, and the capacity and slots of each
    experience. Called after the stock is taken, so every lock here comes after the
    sale's ascending stock locks and two registers never wait on each other in a cycle."""
    wanted: dict[int, int] = defaultdict(int)
    limited: dict[int, QuotedLine] = {}
    for ln in q.lines:
        if ln.variant_id is not None:
            wanted[ln.variant_id] += ln.quantity
            if ln.per_person_limit is not None or ln.kind == "experience":
                limited[ln.variant_id] = ln
    customers_store.lock_variants(uow, limited)
    person = [ln for ln in limited.values() if ln.per_person_limit is not None]
    if person:
        if customer is None:
            first = person[0]
            raise LimitError(
                f"{first.name}: limited to {first.per_person_limit} per person; "
                "enter the customer's email, phone or @handle first"
            )
        had = customers_store.bought(uow, event_id, customer, [ln.variant_id or 0 for ln in person])
        for ln in person:
            assert ln.variant_id is not None and ln.per_person_limit is not None
            before = had.get(ln.variant_id, 0)
            if before + wanted[ln.variant_id] > ln.per_person_limit:
                raise LimitError(
                    f"{ln.name}: limit {ln.per_person_limit} per person; "
                    f"this customer already has {before}"
                )
    for vid, ln in limited.items():
        if ln.kind == "experience":
            _check_capacity(uow, event_id, vid, wanted[vid])


def _check_capacity(uow: UnitOfWork, event_id: int, variant_id: int, n: int) -> None:
    rules = tickets_store.lock_experience(uow, variant_id)
    if rules is None:
        return
    count, _slots = tickets_store.booked(uow, event_id, variant_id)
    if rules.capacity is not None and count + n > rules.capacity:
        left = max(rules.capacity - count, 0)
        raise LimitError(
            f"{rules.name}: fully booked ({rules.capacity} places)"
            if not left
            else f"{rules.name}: only {left} of {rules.capacity} places left"
        )


def _slot_plan(rules: Any) -> SlotPlan | None:
    if not (rules.slots_from and rules.slots_until and rules.slot_minutes):
        return None
    return SlotPlan.parse(f"{rules.slots_from}-{rules.slots_until}/{rules.slot_minutes}")


def _book_tickets(
    uow: UnitOfWork, event_id: int, order_id: int, status: str, now: datetime
) -> None:
    """One ticket per unit of each experience line: `held` until the order is paid, then
    `waiting` in the queue; an experience sold by time slot gives each its own slot,
    the first free one tonight."""
    night, tz = night_of(now)
    rows: list[tickets_store.NewTicket] = []
    free: dict[int, list[datetime]] = {}
    for ln in sales_store.lines_of(uow, order_id):
        if ln.kind != "experience":
            continue
        slots: list[datetime | None] = [None] * ln.quantity
        rules = tickets_store.lock_experience(uow, ln.variant_id) if ln.variant_id else None
        plan = _slot_plan(rules) if rules is not None else None
        if plan is not None and ln.variant_id is not None:
            if ln.variant_id not in free:
                _count, taken = tickets_store.booked(uow, event_id, ln.variant_id)
                free[ln.variant_id] = free_slots(plan, night, tz, taken, now)
            left = free[ln.variant_id]
            if len(left) < ln.quantity:
                raise LimitError(
                    f"{ln.name}: no time slot left tonight (slots {plan})"
                    if not left
                    else f"{ln.name}: only {len(left)} time slot(s) left tonight"
                )
            slots, free[ln.variant_id] = list(left[: ln.quantity]), left[ln.quantity :]
        rows.extend(
            tickets_store.NewTicket(
                event_id, ln.id, ln.variant_id, status, ln.personalisation, slot, now
            )
            for slot in slots
        )
    tickets_store.create(uow, rows)


def _deliver_codes(uow: UnitOfWork, order_id: int, now: datetime) -> tuple[DeliveredCode, ...]:
    """Give each unit of each digital line one unused code from its variant's pool."""
    out: list[DeliveredCode] = []
    for ln in sales_store.lines_of(uow, order_id):
        if ln.kind != "digital" or ln.variant_id is None:
            continue
        got = codes_store.assign(uow, ln.variant_id, ln.id, ln.quantity, now)
        if len(got) < ln.quantity:
            # The sale reserved stock, which counts unused codes, so this means the pool
            # was changed behind the app's back: refuse rather than sell without a code.
            raise CheckoutError(
                f"{ln.sku}: its download codes ran out; import more with "
                f"popup-pos codes import {ln.sku} FILE"
            )
        out.extend(DeliveredCode(ln.sku or "", ln.name, c) for c in got)
    return tuple(out)
