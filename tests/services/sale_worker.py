"""A register in its own OS process, driven by the concurrency and kill tests."""

from __future__ import annotations

import json
import random
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select

from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import checkout, codes, events, inventory, payments
from popup_pos.services.checkout import Cart, CartLine, LimitError, TenderSpec
from popup_pos.services.inventory import NotEnoughStockError
from popup_pos.store.engine import make_engine
from popup_pos.store.models import Order
from popup_pos.store.uow import UnitOfWork

# What the churning register sells: (sku, most per line). PRINT-LTD is left out because
# its edition of 50 would run out long before the stock does.
CHURN_ITEMS = (
    ("TEE-S", 2),
    ("TEE-M", 3),
    ("TEE-L", 3),
    ("TEE-XL", 2),
    ("LP-NIGHTS", 2),
    ("POSTER", 3),
    ("PACK-TEE-M-POSTER", 2),
    ("DL-CARD", 3),
    ("MEET-GREET", 1),
)


def _open(db_url: str, register: str) -> tuple[UnitOfWork, int]:
    uow = UnitOfWork(make_engine(db_url))
    return uow, events.join_register(uow, register).id


def race(db_url: str, register: str, sku: str, attempts: int) -> None:
    """Sell one `sku` `attempts` times as fast as possible once the parent says go."""
    uow, register_id = _open(db_url, register)
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go from the parent")
    sold: list[dict[str, object]] = []
    refused = 0
    for _ in range(attempts):
        try:
            r = checkout.sell(uow, register_id, Cart((CartLine(sku),)))
        except (NotEnoughStockError, checkout.CheckoutError):
            refused += 1
        else:
            sold.append(
                {
                    "number": r.number,
                    "editions": r.edition_numbers.get(sku, []),
                    "codes": [c.code for c in r.codes],
                }
            )
    print(json.dumps({"sold": sold, "refused": refused}), flush=True)


def _cart(rng: random.Random) -> Cart:
    picks = rng.sample(CHURN_ITEMS, rng.randint(1, 3))
    lines = [CartLine(sku, rng.randint(1, most)) for sku, most in picks]
    if rng.random() < 0.15:
        lines.append(CartLine(None, 1, unit_price=rng.randint(100, 2000), name="donation"))
    discount = rng.choice((None, None, Discount.percent(100_000), Discount.amount(250)))
    tip = rng.choice((None, None, Tip.percent(150_000), Tip.amount(200)))
    return Cart(tuple(lines), discount=discount, tip=tip)


def _settle_leftovers(uow: UnitOfWork, rng: random.Random) -> None:
    """Orders a killed predecessor left awaiting payment: pay some, cancel the rest."""
    with uow:
        waiting = (
            uow.session.execute(
                select(Order.id).where(Order.status == "awaiting_payment").order_by(Order.id)
            )
            .scalars()
            .all()
        )
    for order_id in waiting:
        if rng.random() < 0.5:
            checkout.add_payment(uow, order_id, TenderSpec("wallet", reference="Venmo"))
        else:
            payments.cancel_order(uow, order_id, reason="customer left")


def _one_sale(uow: UnitOfWork, register_id: int, rng: random.Random) -> None:
    cart = _cart(rng)
    roll = rng.random()
    if roll < 0.45:
        checkout.sell(uow, register_id, cart, (TenderSpec("cash", tendered=1_000_00),))
        return
    if roll < 0.55:
        total = checkout.quote(uow, cart).totals.total
        part = rng.randint(1, max(total - 1, 1))
        # Sometimes only part is paid up front and the order stays awaiting payment.
        rest = TenderSpec("wallet", reference="Cash App")
        tenders = (TenderSpec("cash", amount=part),) + ((rest,) if rng.random() < 0.7 else ())
        if part >= total:
            tenders = (rest,)
        checkout.sell(uow, register_id, cart, tenders)
        return
    placed = checkout.place_order(uow, register_id, cart)
    if placed.status != "awaiting_payment":
        return
    if roll < 0.80:
        # Split tender: cash for part, a wallet for the rest, each its own transaction.
        half = placed.total_cents // 2
        if half:
            checkout.add_payment(uow, placed.order_id, TenderSpec("cash", amount=half))
        checkout.add_payment(uow, placed.order_id, TenderSpec("wallet", reference="Venmo"))
    elif roll < 0.92:
        payments.cancel_order(uow, placed.order_id, reason="changed their mind")
    else:
        part = max(placed.total_cents // 3, 1)
        if part < placed.total_cents:
            checkout.add_payment(uow, placed.order_id, TenderSpec("cash", amount=part))
        payments.cancel_order(uow, placed.order_id, reason="card declined")


def churn(db_url: str, register: str, seed: int) -> None:
    """Sell, split-pay and cancel without end; the parent kills this process."""
    rng = random.Random(seed)
    uow, register_id = _open(db_url, register)
    _settle_leftovers(uow, rng)
    print("ready", flush=True)
    while True:
        try:
            _one_sale(uow, register_id, rng)
        except LimitError:
            pass  # the meet & greet is fully booked: that customer buys nothing
        except NotEnoughStockError as exc:
            if exc.sku == "DL-CARD":
                _more_codes(uow, exc.sku)
            else:
                inventory.count_in(uow, exc.sku, 20)


def _more_codes(uow: UnitOfWork, sku: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "codes.txt"
        path.write_text("\n".join(uuid.uuid4().hex[:12] for _ in range(20)))
        codes.import_codes(uow, sku, path)


def main(argv: list[str]) -> None:
    command, db_url, register, *rest = argv
    if command == "race":
        race(db_url, register, rest[0], int(rest[1]))
    elif command == "churn":
        churn(db_url, register, int(rest[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
