"""A big, realistic popup-pos SQLite database for benchmarks, built once and cached by shape."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

# Bump when the generated contents change, so cached files from before are not reused.
GENERATOR_VERSION = 1
ORGANIZER = ("Bench organizer", "246810")
CURRENT_REGISTER = "A"
_CHUNK = 50_000  # rows per executemany, to keep memory flat

_CATEGORY_NAMES = (
    "Tees", "Hoodies", "Posters", "Vinyl", "CDs", "Caps", "Tote bags", "Pins",
    "Stickers", "Zines", "Prints", "Socks", "Patches", "Mugs", "Books", "Tapes",
)  # fmt: skip
_WORDS = (
    "Neon", "Static", "Velvet", "Midnight", "Paper", "Glass", "Echo", "Hollow", "Silver",
    "Feral", "Quiet", "Northern", "Tidal", "Lunar", "Rust", "Signal", "Amber", "Wild",
)  # fmt: skip
_SIZES = ("S", "M", "L", "XL", "XXL", "XS", "3XL", "One size")
_TENDERS = (("cash", 55), ("wallet", 10), ("stripe_qr", 15), ("stripe_card", 20))
# Evening events: how likely an order falls in each hour of the day (UTC, for simplicity).
_HOUR_WEIGHTS = (
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 4, 6, 9, 12, 14, 13, 10, 5,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Spec:
    """The shape of the database; the cache file name is derived from it."""

    variants: int = 10_000
    products: int = 2_500
    categories: int = 12
    orders: int = 100_000  # in the closed past event
    lines_per_order: int = 3  # on average, exactly: orders have 1 to 2n-1 lines
    days: int = 90  # the past event's length, ending yesterday
    current_orders: int = 200  # in the open event, today
    seed: int = 2026

    def key(self) -> str:
        blob = json.dumps([GENERATOR_VERSION, _head_revision(), asdict(self)], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _head_revision() -> str:
    from popup_pos.store.migrate import HEAD_REVISION

    return HEAD_REVISION


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / "popup-pos-bench"


def cached(
    spec: Spec = Spec(),
    *,
    folder: Path | None = None,
    rebuild: bool = False,
    quiet: bool = False,
) -> Path:
    """The database file for `spec`, built on first use and reused afterwards.

    The file is shared between runs: open it read-only in spirit (the selling screen and
    the reports only read), or copy it first if the benchmark writes.
    """
    folder = folder or default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bigdb-{spec.key()}.sqlite"
    if path.exists() and not rebuild:
        return path
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.building")
    for stale in (tmp, *(Path(f"{tmp}{suffix}") for suffix in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    if not quiet:
        print(f"building the benchmark database ({describe(spec)}) …", file=sys.stderr)
    build(tmp, spec)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not quiet:
        size = path.stat().st_size / 2**20
        took = time.perf_counter() - start
        print(f"built {path} ({size:.0f} MiB) in {took:.1f} s", file=sys.stderr)
    return path


def describe(spec: Spec) -> str:
    return (
        f"{spec.variants:,} variants, {spec.products:,} products, {spec.categories} categories; "
        f"{spec.orders:,} past orders over {spec.days} days with "
        f"{spec.orders * spec.lines_per_order:,} lines; {spec.current_orders} orders today"
    )


# ---- building ------------------------------------------------------------------------------


def build(path: Path, spec: Spec) -> None:
    """Create `path`: migrated, an organizer, the catalog, a closed past event with its
    orders, lines, payments and stock ledger, and an open event with register A joined."""
    from popup_pos.services import staff
    from popup_pos.store.engine import make_engine
    from popup_pos.store.migrate import upgrade
    from popup_pos.store.uow import UnitOfWork

    if spec.products < 1 or spec.variants < spec.products or spec.days < 1:
        raise ValueError("need a product, a variant per product and a day at least")
    if not 1 <= 2 * spec.lines_per_order - 1 <= spec.variants:
        raise ValueError("orders need between 1 line and as many lines as there are variants")
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        organizer = staff.set_organizer(UnitOfWork(engine), *ORGANIZER)
        with engine.begin() as conn:
            _fill(conn, spec, organizer.id)
    finally:
        engine.dispose()  # the last connection checkpoints the WAL into the file


def _fill(conn: Any, spec: Spec, staff_id: int) -> None:
    from sqlalchemy import insert

    from popup_pos.store import models as m

    rng = random.Random(spec.seed)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    t = m.table_of

    def put(model: type[m.Base], rows: Sequence[dict[str, Any]]) -> None:
        for i in range(0, len(rows), _CHUNK):
            conn.execute(insert(t(model)), rows[i : i + _CHUNK])

    # -- catalog
    names = [*_CATEGORY_NAMES, *(f"Category {i}" for i in range(len(_CATEGORY_NAMES), 999))]
    put(m.Category, [{"id": i + 1, "name": names[i]} for i in range(spec.categories)])
    put(m.Owner, [{"id": i + 1, "name": n} for i, n in enumerate(("Ana", "Bo", "Cy"))])
    put(
        m.TaxClass,
        [
            {"id": 1, "name": "Standard", "rate_ppm": 200_000, "inclusive": True},
            {"id": 2, "name": "Reduced", "rate_ppm": 50_000, "inclusive": True},
        ],
    )
    products: list[dict[str, Any]] = []
    for pid in range(1, spec.products + 1):
        cat = rng.randrange(spec.categories) + 1
        kind = "digital" if rng.random() < 0.03 else "item"
        title = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {names[cat - 1].rstrip('s')}"
        products.append(
            {
                "id": pid, "handle": f"p{pid:05d}", "name": f"{title} {pid}", "kind": kind,
                "description": None, "category_id": cat,
                "owner_id": rng.choice((1, 2, 3)) if rng.random() < 0.2 else None,
                "tax_class_id": 2 if cat % 4 == 0 else 1, "time_minutes": None,
                "capacity": None, "personalisation_prompt": None, "owner_share_ppm": None,
                "archived": False,
            }
        )  # fmt: skip
    put(m.Product, products)

    # Every product gets at least one variant; the rest are spread at random.
    per_product = [1] * spec.products
    for _ in range(spec.variants - spec.products):
        per_product[rng.randrange(spec.products)] += 1
    variants: list[dict[str, Any]] = []
    for p, n in zip(products, per_product, strict=True):
        price = rng.randrange(5, 80) * 100 + rng.choice((0, 0, 50, 99))
        for k in range(n):
            vid = len(variants) + 1
            size = _SIZES[k] if k < len(_SIZES) else f"Size {k + 1}"
            track = p["kind"] == "item"
            variants.append(
                {
                    "id": vid, "product_id": p["id"], "sku": f"{p['handle'].upper()}-{k + 1}",
                    "barcode": _ean13(200_000_000_000 + vid), "options": {"Size": size},
                    "price_cents": price, "cost_cents": price * 2 // 5, "per_order_limit": None,
                    "edition_size": None, "next_edition": 1, "track_stock": track,
                    "on_hand": rng.choice((0, 1, 2)) if rng.random() < 0.05 else
                    rng.randrange(3, 120),
                    "low_stock_at": None, "archived": False,
                    "_name": f"{p['name']} — {size}", "_kind": p["kind"],
                    "_owner": p["owner_id"], "_tax": 200_000 if p["tax_class_id"] == 1 else 50_000,
                }
            )  # fmt: skip

    # -- events and registers
    past_open = (now - timedelta(days=spec.days + 1)).replace(hour=0)
    past_times = sorted(_evening(rng, past_open, spec.days) for _ in range(spec.orders))
    past_close = (past_times[-1] if past_times else past_open) + timedelta(hours=1)
    today = now - timedelta(hours=4)
    put(
        m.Event,
        [
            {
                "id": 1, "name": "Summer tour", "currency": "USD", "status": "closed",
                "opened_at": past_open, "closed_at": past_close,
                "float_cents": 300_00, "counted_cash_cents": None, "reservation_minutes": 15,
                "settings": {},
            },
            {
                "id": 2, "name": "Tonight", "currency": "USD", "status": "open",
                "opened_at": today, "closed_at": None, "float_cents": 200_00,
                "counted_cash_cents": None, "reservation_minutes": 15, "settings": {},
            },
        ],
    )  # fmt: skip
    registers = [(1, 1, "A"), (2, 1, "B"), (3, 1, "C"), (4, 2, CURRENT_REGISTER), (5, 2, "B")]

    # -- orders: past event first, then today's, ids in time order
    popularity = list(accumulate(1.0 / (r + 10) for r in range(len(variants))))
    ranked = variants[:]
    rng.shuffle(ranked)
    sizes = _line_counts(rng, spec.orders, spec.lines_per_order)
    sizes += _line_counts(rng, spec.current_orders, spec.lines_per_order)
    now_times = sorted(
        today + timedelta(seconds=rng.randrange(4 * 3600)) for _ in range(spec.current_orders)
    )
    seq = {r[0]: 0 for r in registers}
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    sold = [0] * (len(variants) + 1)
    for i, when in enumerate([*past_times, *now_times]):
        oid = i + 1
        current = i >= spec.orders
        reg = rng.choice((4, 5) if current else (1, 2, 3))
        seq[reg] += 1
        status = _status(rng, current, spec.orders + spec.current_orders - i)
        picked: dict[int, int] = {}
        while len(picked) < sizes[i]:
            v = rng.choices(ranked, cum_weights=popularity)[0]
            picked.setdefault(v["id"], rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3)))
        subtotal = tax = 0
        for vid, qty in picked.items():
            v = variants[vid - 1]
            total = v["price_cents"] * qty
            line_tax = total * v["_tax"] // (1_000_000 + v["_tax"])
            subtotal, tax = subtotal + total, tax + line_tax
            lines.append(
                {
                    "order_id": oid, "variant_id": vid, "sku": v["sku"], "name": v["_name"],
                    "kind": v["_kind"], "quantity": qty, "unit_price_cents": v["price_cents"],
                    "cost_cents": v["cost_cents"], "tax_rate_ppm": v["_tax"],
                    "tax_inclusive": True, "discount_kind": None, "discount_value": None,
                    "line_discount_cents": 0, "order_discount_cents": 0, "tax_cents": line_tax,
                    "total_cents": total, "edition_numbers": None, "personalisation": None,
                    "note": None, "refunded_quantity": 0, "owner_id": v["_owner"],
                }
            )  # fmt: skip
            if status not in ("open", "cancelled") and v["track_stock"]:
                sold[vid] += qty
                moves.append(
                    {
                        "variant_id": vid, "event_id": 2 if current else 1, "kind": "sale",
                        "quantity": -qty, "reason": None, "order_id": oid,
                        "staff_id": staff_id, "created_at": when,
                    }
                )  # fmt: skip
        paid = status in ("paid", "fulfilled")
        orders.append(
            {
                "id": oid, "event_id": 2 if current else 1, "register_id": reg,
                "number": f"{registers[reg - 1][2]}-{seq[reg]:04d}", "status": status,
                "currency": "USD", "staff_id": staff_id, "created_at": when,
                "placed_at": None if status == "open" else when,
                "paid_at": when if paid else None,
                "fulfilled_at": when + timedelta(minutes=2) if status == "fulfilled" else None,
                "cancelled_at": when + timedelta(minutes=20) if status == "cancelled" else None,
                "reserved_until": when + timedelta(minutes=15)
                if status == "awaiting_payment" else None,
                "parked": status == "open", "note": None, "discount_kind": None,
                "discount_value": None, "tip_kind": None, "tip_value": None,
                "subtotal_cents": subtotal, "discount_cents": 0, "tax_cents": tax,
                "tip_cents": 0, "total_cents": subtotal, "paid_cents": subtotal if paid else 0,
                "refunded_cents": 0,
            }
        )  # fmt: skip
        if paid:
            tender = rng.choices([n for n, _ in _TENDERS], [w for _, w in _TENDERS])[0]
            given = -(-subtotal // 500) * 500 if tender == "cash" else None
            payments.append(
                {
                    "order_id": oid, "tender": tender, "status": "succeeded",
                    "amount_cents": subtotal, "tendered_cents": given,
                    "change_cents": given - subtotal if given is not None else 0,
                    "fee_cents": subtotal * 29 // 1000 + 30 if tender.startswith("stripe")
                    else None,
                    "refunded_cents": 0, "reference": None,
                    "provider_id": f"pi_{oid:08d}" if tender.startswith("stripe") else None,
                    "idempotency_key": None, "request": None, "staff_id": staff_id,
                    "created_at": when, "updated_at": when,
                }
            )  # fmt: skip

    put(
        m.Register,
        [
            {"id": rid, "event_id": eid, "code": code, "last_order_seq": seq[rid],
             "joined_at": past_open if eid == 1 else today}
            for rid, eid, code in registers
        ],
    )  # fmt: skip
    # The count-in each variant started with: what is left plus what was sold.
    counted = [
        {
            "variant_id": v["id"], "event_id": 1, "kind": "count_in",
            "quantity": v["on_hand"] + sold[v["id"]], "reason": "opening count",
            "order_id": None, "staff_id": staff_id, "created_at": past_open,
        }
        for v in variants
        if v["track_stock"]
    ]  # fmt: skip
    put(m.Variant, [{k: x for k, x in v.items() if not k.startswith("_")} for v in variants])
    put(m.Order, orders)
    put(m.OrderLine, lines)
    put(m.Payment, payments)
    put(m.StockMovement, counted + moves)


def _line_counts(rng: random.Random, orders: int, mean: int) -> list[int]:
    """Line counts from 1 to 2*mean-1 in equal shares, adding up to exactly mean * orders."""
    counts = [1 + i % (2 * mean - 1) for i in range(orders)]
    diff, i = mean * orders - sum(counts), 0
    while diff:
        step = 1 if diff > 0 else -1
        if counts[i] + step >= 1:
            counts[i] += step
            diff -= step
        i = (i + 1) % orders
    rng.shuffle(counts)
    return counts


def _evening(rng: random.Random, first_day: datetime, days: int) -> datetime:
    hour = rng.choices(range(24), _HOUR_WEIGHTS)[0]
    day = first_day + timedelta(days=rng.randrange(days))
    return day.replace(hour=hour) + timedelta(seconds=rng.randrange(3600))


def _status(rng: random.Random, current: bool, from_end: int) -> str:
    if not current:
        return "cancelled" if rng.random() < 0.02 else "fulfilled"
    # Tonight: most were handed over; a few at the end still wait in the queue.
    if from_end <= 3:
        return "open"  # parked
    if from_end <= 8:
        return "awaiting_payment"
    if from_end <= 20:
        return "paid"
    return "fulfilled"


def _ean13(body: int) -> str:
    digits = f"{body:012d}"
    odd = sum(int(d) for d in digits[0::2])
    even = sum(int(d) for d in digits[1::2])
    return digits + str((10 - (odd + 3 * even) % 10) % 10)


# ---- reading back ----------------------------------------------------------------------------


def counts(path: Path) -> dict[str, int]:
    """Rows per table of interest, read with plain sqlite3."""
    tables = ("variants", "products", "categories", "orders", "order_lines", "payments",
              "stock_movements", "events", "staff")  # fmt: skip
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def codes(path: Path) -> Iterator[tuple[str, str | None]]:
    """(SKU, barcode) of every variant a cart can take now: not archived, and in stock or
    not stock-tracked."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        yield from db.execute(
            "SELECT sku, barcode FROM variants "
            "WHERE NOT archived AND (NOT track_stock OR on_hand > 0) ORDER BY id"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    defaults = Spec()
    for field, value in asdict(defaults).items():
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, default=value)
    parser.add_argument("--folder", type=Path, default=None, help="cache folder")
    parser.add_argument("--rebuild", action="store_true", help="build even if cached")
    args = parser.parse_args(argv)
    spec = Spec(**{f: getattr(args, f) for f in asdict(defaults)})
    path = cached(spec, folder=args.folder, rebuild=args.rebuild)
    print(path)
    for table, n in counts(path).items():
        print(f"  {table:<16} {n:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
