"""The demo: a merch-table catalog and, on request, a night of realistic orders."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from popup_pos.config import assets_dir
from popup_pos.importers.reader import read_catalog
from popup_pos.services import catalog, checkout, events, inventory
from popup_pos.services.catalog import ImportReport, VariantView
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.inventory import NotEnoughStockError
from popup_pos.store.uow import UnitOfWork

DEMO_EVENT = "Demo night"
DEMO_CURRENCY = "USD"
DEMO_FLOAT = 200_00


@dataclass(frozen=True, slots=True)
class DemoResult:
    catalog: ImportReport
    event_id: int | None
    orders: int
    refunds: int
    cancelled: int


def seed(uow: UnitOfWork, *, orders: int = 0, seed: int = 2026) -> DemoResult:
    """Load the demo catalog (idempotent) and, with `orders`, sell that many in a demo event."""
    path = assets_dir() / "demo" / "catalog.csv"
    parsed = read_catalog(path, currency=DEMO_CURRENCY)
    # Dry-run first: once loaded, seeding again must not reset the stock sold since.
    report = catalog.import_catalog(uow, parsed, source=str(path), dry_run=True)
    if report.created_variants:
        report = catalog.import_catalog(uow, parsed, source=str(path))
    if orders <= 0:
        return DemoResult(report, None, 0, 0, 0)
    event = events.current_event(uow) or events.open_event(
        uow, DEMO_EVENT, currency=DEMO_CURRENCY, float_cents=DEMO_FLOAT
    )
    registers = [events.join_register(uow, code).id for code in ("A", "B")]
    rng = random.Random(seed)
    variants = [v for v in catalog.list_variants(uow) if v.price_cents is not None]
    start = datetime.now(UTC) - timedelta(hours=4)
    step = timedelta(hours=4) / max(orders, 1)
    sold = refunds = cancelled = 0
    numbered = {v.sku for v in variants if v.edition_size}
    for i in range(orders):
        when = start + step * i + timedelta(seconds=rng.randint(0, 30))
        result = _sell_some(uow, rng, rng.choice(registers), variants, numbered, when)
        sold += 1
        if result.status == "awaiting_payment":
            # Walked off to find a cash machine: most never come back.
            if rng.random() < 0.6:
                checkout.cancel_order(uow, result.order_id, reason="customer left")
                cancelled += 1
            else:
                checkout.add_payment(uow, result.order_id, TenderSpec("cash"))
        else:
            if i < orders - 3 and rng.random() < 0.96:
                # Most of the night's orders were handed over long ago; the last few wait.
                checkout.mark_fulfilled(uow, result.order_id)
            if rng.random() < 0.04:
                order = checkout.get_order(uow, result.order_id)
                checkout.refund(
                    uow,
                    result.order_id,
                    lines={order.lines[0].id: 1},
                    return_to_stock=rng.random() < 0.5,
                    reason="wrong size",
                )
                refunds += 1
    return DemoResult(report, event.id, sold, refunds, cancelled)


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
        1 if v.kind == "experience" else 6 if v.sku.startswith("TEE") else 3 for v in variants
    ]
    picks: dict[str, int] = {}
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        v = rng.choices(variants, weights)[0]
        limit = v.per_order_limit or 3
        picks[v.sku] = min(picks.get(v.sku, 0) + 1, limit)
    names = ("Sam", "Alex", "Jordan", "Riley", "Casey", "Morgan")
    lines = tuple(
        CartLine(
            sku=sku,
            quantity=q,
            personalisation=rng.choice(names) if sku.startswith("SHOUTOUT") else None,
        )
        for sku, q in picks.items()
    )
    return Cart(lines)


def _sell_one(
    uow: UnitOfWork, rng: random.Random, register_id: int, cart: Cart, when: datetime
) -> checkout.OrderResult:
    roll = rng.random()
    if roll < 0.04:
        return checkout.place_order(uow, register_id, cart, now=when)
    if roll < 0.55:
        return checkout.sell(uow, register_id, cart, (TenderSpec("cash"),), now=when)
    if roll < 0.62:
        quote = checkout.quote(uow, cart)
        half = quote.totals.total // 2
        tenders: tuple[TenderSpec, ...] = (
            TenderSpec("cash", amount=half),
            TenderSpec("wallet", reference="Venmo"),
        )
        if half == 0:
            tenders = tenders[1:]
        return checkout.sell(uow, register_id, cart, tenders, now=when)
    ref = rng.choice(("Venmo", "Cash App", "PayPal"))
    return checkout.sell(uow, register_id, cart, (TenderSpec("wallet", reference=ref),), now=when)
