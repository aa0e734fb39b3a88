"""The demo: a merch-table catalog and, on request, a night of realistic orders."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from popup_pos.config import assets_dir
from popup_pos.domain.errors import PosError
from popup_pos.importers.reader import read_catalog
from popup_pos.services import (
    catalog,
    checkout,
    codes,
    events,
    inventory,
    payments,
    settings,
    tickets,
)
from popup_pos.services.catalog import ImportReport, VariantView
from popup_pos.services.checkout import Cart, CartLine, LimitError, TenderSpec
from popup_pos.services.inventory import NotEnoughStockError
from popup_pos.store.uow import UnitOfWork

DEMO_EVENT = "Demo night"
DEMO_CURRENCY = "USD"
DEMO_FLOAT = 200_00
DEMO_CODES = ("DL-CARD", "download-codes.txt")
# The setting that remembers which event the demo opened: demo orders go only there.
DEMO_SETTING = "demo"


class RealEventOpenError(PosError):
    """Demo orders asked for while a real event is open."""


@dataclass(frozen=True, slots=True)
class DemoResult:
    catalog: ImportReport
    event_id: int | None
    orders: int
    refunds: int
    cancelled: int


def seed(uow: UnitOfWork, *, orders: int = 0, seed: int = 2026, actor: str = "demo") -> DemoResult:
    """Load the demo catalog (idempotent) and, with `orders`, sell that many in a demo event.

    Demo orders go into the event the demo opened itself, or into a new one when none is
    open; an open event the demo did not make is real, and is refused before anything is
    loaded.
    """
    open_now = events.current_event(uow)
    if orders > 0 and open_now is not None and not _is_demo(uow, open_now.id):
        raise RealEventOpenError(
            f"event {open_now.name!r} is open and is not a demo event: demo orders would mix "
            "with its real sales, so nothing was added. Close it first (popup-pos event close), "
            f"or use the separate demo database: popup-pos --demo demo seed --orders {orders}"
        )
    path = assets_dir() / "demo" / "catalog.csv"
    parsed = read_catalog(path, currency=DEMO_CURRENCY)
    # Dry-run first: once loaded, seeding again must not reset the stock sold since.
    report = catalog.import_catalog(uow, parsed, source=str(path), dry_run=True)
    if report.created_variants:
        report = catalog.import_catalog(uow, parsed, source=str(path), actor=actor)
        sku, name = DEMO_CODES
        if not any(p.sku == sku and p.unused + p.assigned for p in codes.pools(uow)):
            codes.import_codes(uow, sku, assets_dir() / "demo" / name, actor=actor)
    if orders <= 0:
        return DemoResult(report, None, 0, 0, 0)
    event = open_now
    if event is None:
        event = events.open_event(
            uow, DEMO_EVENT, currency=DEMO_CURRENCY, float_cents=DEMO_FLOAT, actor=actor
        )
        settings.put(uow, DEMO_SETTING, {"event_id": event.id}, actor=actor)
    registers = [events.join_register(uow, code).id for code in ("A", "B")]
    rng = random.Random(seed)
    variants = [v for v in catalog.list_variants(uow) if v.price_cents is not None]
    start = datetime.now(UTC) - timedelta(hours=4)
    step = timedelta(hours=4) / max(orders, 1)
    sold = refunds = cancelled = 0
    # What cannot be restocked from the van: limited editions and download codes.
    numbered = {v.sku for v in variants if v.edition_size or v.kind == "digital"}
    for i in range(orders):
        when = start + step * i + timedelta(seconds=rng.randint(0, 30))
        result = _sell_some(uow, rng, rng.choice(registers), variants, numbered, when)
        sold += 1
        if result.status == "awaiting_payment":
            # Walked off to find a cash machine: most never come back.
            if rng.random() < 0.6:
                payments.cancel_order(uow, result.order_id, reason="customer left")
                cancelled += 1
            else:
                checkout.add_payment(uow, result.order_id, TenderSpec("cash"))
        else:
            long_ago = i < orders - 3 and rng.random() < 0.96
            if long_ago and result.status == "paid":
                # Wallet payments confirmed later were mostly handed over long ago; the
                # last few wait.
                checkout.mark_fulfilled(uow, result.order_id)
            if rng.random() < 0.04:
                order = checkout.get_order(uow, result.order_id)
                payments.refund_to_tenders(
                    uow,
                    result.order_id,
                    lines={order.lines[0].id: 1},
                    return_to_stock=rng.random() < 0.5,
                    reason="wrong size",
                )
                refunds += 1
    _run_queue(uow, rng, datetime.now(UTC))
    return DemoResult(report, event.id, sold, refunds, cancelled)


def _is_demo(uow: UnitOfWork, event_id: int) -> bool:
    return settings.get(uow, DEMO_SETTING).get("event_id") == event_id


def _run_queue(uow: UnitOfWork, rng: random.Random, now: datetime) -> None:
    """The night's experiences were served as they came, each taking about its planned
    time; those who paid in the last quarter of an hour still wait, and the odd fan never
    showed up."""
    queue = [t for t in tickets.queue(uow) if t.status == "waiting"]
    clock = queue[0].created_at if queue else now
    for t in queue:
        called = max(clock, t.created_at, t.slot_at or t.created_at)
        if called >= now - timedelta(minutes=15):
            break
        if rng.random() < 0.05:
            tickets.move(uow, t.id, "no_show", now=called + timedelta(minutes=3))
            clock = called + timedelta(minutes=3)
            continue
        tickets.call(uow, t.id, now=called)
        took = timedelta(minutes=(t.time_minutes or 5) * rng.uniform(0.7, 1.5))
        tickets.move(uow, t.id, "done", now=min(called + took, now))
        clock = called + took + timedelta(minutes=rng.uniform(0, 2))


def _sell_some(
    uow: UnitOfWork,
    rng: random.Random,
    register: int,
    variants: list[VariantView],
    numbered: set[str],
    when: datetime,
) -> checkout.OrderResult:
    """One customer's order; what ran out is restocked, except limited editions, which the
    customer goes without (or picks something else)."""
    cart = _random_cart(rng, variants)
    while True:
        try:
            return _sell_one(uow, rng, register, cart, when)
        except LimitError:
            # A drop this fan already bought, or an experience fully booked: merch instead.
            plain = [v for v in variants if v.kind == "item" and v.per_person_limit is None]
            cart = _random_cart(rng, [v for v in plain if v.sku not in numbered])
            continue
        except NotEnoughStockError as exc:
            if exc.sku in numbered:
                cart = Cart(tuple(ln for ln in cart.lines if ln.sku != exc.sku))
                if not cart.lines:
                    cart = _random_cart(rng, [v for v in variants if v.sku not in numbered])
                continue
            # The van has more: restock the way a seller would, then sell again.
            inventory.count_in(uow, exc.sku, 24)


def _random_cart(rng: random.Random, variants: list[VariantView]) -> Cart:
    weights = [
        2 if v.kind == "experience" else 6 if v.sku.startswith("TEE") else 3 for v in variants
    ]
    picks: dict[str, int] = {}
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        v = rng.choices(variants, weights)[0]
        limit = v.per_order_limit or 3
        picks[v.sku] = min(picks.get(v.sku, 0) + 1, limit)
    names = ("Sam", "Alex", "Jordan", "Riley", "Casey", "Morgan")
    prompted = {v.sku for v in variants if v.personalisation_prompt}
    lines = tuple(
        CartLine(
            sku=sku,
            quantity=q,
            personalisation=rng.choice(names) if sku in prompted else None,
        )
        for sku, q in picks.items()
    )
    # Fans who give a handle (some come back for more, so the report has repeats).
    customer = f"@fan{rng.randint(1, 40)}" if rng.random() < 0.5 else None
    return Cart(lines, customer=customer)


def _sell_one(
    uow: UnitOfWork, rng: random.Random, register_id: int, cart: Cart, when: datetime
) -> checkout.OrderResult:
    roll = rng.random()
    if roll < 0.04:
        return checkout.place_order(uow, register_id, cart, now=when)
    if roll < 0.55:
        return checkout.sell(
            uow, register_id, cart, (TenderSpec("cash"),), now=when, hand_over=True
        )
    if roll < 0.62:
        quote = checkout.quote(uow, cart)
        half = quote.totals.total // 2
        tenders: tuple[TenderSpec, ...] = (
            TenderSpec("cash", amount=half),
            TenderSpec("wallet", reference="Venmo"),
        )
        if half == 0:
            tenders = tenders[1:]
        return checkout.sell(uow, register_id, cart, tenders, now=when, hand_over=True)
    ref = rng.choice(("Venmo", "Cash App", "PayPal"))
    # Most wallet payments are seen at the table; the rest were confirmed later and wait
    # in *Paid — hand over*.
    return checkout.sell(
        uow,
        register_id,
        cart,
        (TenderSpec("wallet", reference=ref),),
        now=when,
        hand_over=roll < 0.95,
    )
