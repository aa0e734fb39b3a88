"""Time committing one cash sale with popup-pos against raw sqlite3 doing the same transaction."""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.services import audit, catalog, checkout, events
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from popup_pos.store.migrate import upgrade
from popup_pos.store.uow import UnitOfWork

TARGET_RATIO = 2.0
BLOCK = 500  # the modes alternate in blocks, so drift in disk speed hits both alike
SKUS = ("BENCH-TEE-S", "BENCH-TEE-M", "BENCH-TEE-L")
STOCK = 1_000_000_000
# Every table a sale writes, compared row by row between the two files at the end...
TOUCHED_TABLES = (
    "registers",
    "variants",
    "orders",
    "order_lines",
    "stock_movements",
    "payments",
    "audit_entries",
)
# ...leaving out the clock's readings, and the audit hashes made from them.
VOLATILE_COLUMNS = {"created_at", "placed_at", "paid_at", "updated_at", "at", "prev_hash", "hash"}

# ---- the shop both modes start from ------------------------------------------------------


def build_template(path: Path) -> int:
    """Migrate, load 3 tracked variants, open an event, join register A; its id."""
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        uow = UnitOfWork(engine)
        variants = [
            ImportedVariant(
                row=i + 2,
                handle="bench-tee",
                product_name="Bench tee",
                sku=sku,
                price=30_00 + 100 * i,
                options={"Size": sku.rsplit("-", 1)[1]},
                cost=9_50,
                quantity=STOCK,
            )
            for i, sku in enumerate(SKUS)
        ]
        catalog.import_catalog(uow, ParsedCatalog("native", variants), source="benchmark")
        events.open_event(uow, "Benchmark night", currency="USD", float_cents=0)
        return events.join_register(uow, "A").id
    finally:
        engine.dispose()  # the last connection checkpoints the WAL into the file


# ---- popup-pos ---------------------------------------------------------------------------


class PosSeller:
    """`checkout.sell` on its own engine and unit of work, as the app runs it."""

    def __init__(self, path: Path, register_id: int) -> None:
        self.engine: Engine = make_engine(str(path))
        self.uow = UnitOfWork(self.engine)
        self.register_id = register_id
        self.cart = Cart(tuple(CartLine(sku) for sku in SKUS))

    def sell(self) -> None:
        result = checkout.sell(self.uow, self.register_id, self.cart)
        if result.status != "paid":
            raise RuntimeError(f"sale {result.number} is {result.status}")

    def capture(self) -> list[str]:
        """The statements SQLite runs for one sale, BEGIN to COMMIT, as its trace hook sees
        them: whichever way popup-pos sends them (SQLAlchemy or the driver's cursor), and
        each row of an executemany as one statement."""
        seen: list[str] = []
        traced: list[sqlite3.Connection] = []

        def on_checkout(dbapi_conn: sqlite3.Connection, *_: Any) -> None:
            dbapi_conn.set_trace_callback(seen.append)
            traced.append(dbapi_conn)

        event.listen(self.engine, "checkout", on_checkout)
        try:
            self.sell()
        finally:
            event.remove(self.engine, "checkout", on_checkout)
            for dbapi_conn in traced:
                dbapi_conn.set_trace_callback(None)
        return seen

    def close(self) -> None:
        # The audit head is written after the sales; before the temp folder goes, not at exit.
        audit.flush_anchors()
        self.engine.dispose()


# ---- raw sqlite3: the same transaction, written by hand ----------------------------------

_EVENT = (
    "SELECT e.id, e.currency, e.status, e.reservation_minutes, e.settings "
    "FROM registers r JOIN events e ON e.id = r.event_id WHERE r.id = ?"
)
_VARIANTS = (
    "SELECT v.id, v.sku, v.price_cents, v.cost_cents, v.per_order_limit, v.edition_size, "
    "v.track_stock, v.options, v.archived, p.name, p.kind, p.owner_id, "
    "t.name, t.rate_ppm, t.inclusive, c.id, c.sku, b.quantity, c.track_stock, c.edition_size "
    "FROM variants v JOIN products p ON p.id = v.product_id "
    "LEFT JOIN tax_classes t ON t.id = p.tax_class_id "
    "LEFT JOIN bundle_components b ON b.bundle_id = v.id "
    "LEFT JOIN variants c ON c.id = b.component_id "
    "WHERE v.sku IN ({}) ORDER BY v.id, b.id"
)
_NEXT_SEQ = (
    "UPDATE registers SET last_order_seq = last_order_seq + 1 WHERE id = ? "
    "RETURNING last_order_seq, code"
)
_INSERT_ORDER = (
    "INSERT INTO orders (event_id, register_id, number, status, currency, staff_id, "
    "created_at, placed_at, paid_at, reserved_until, parked, note, discount_kind, "
    "discount_value, tip_kind, tip_value, subtotal_cents, discount_cents, tax_cents, "
    "tip_cents, total_cents, paid_cents, refunded_cents) "
    "VALUES (?, ?, ?, 'paid', ?, NULL, ?, ?, ?, NULL, 0, NULL, NULL, NULL, NULL, NULL, "
    "?, 0, 0, 0, ?, ?, 0) RETURNING id"
)
_TAKE = "UPDATE variants SET on_hand = on_hand - ? WHERE id = ? AND on_hand >= ?"
_INSERT_MOVEMENT = (
    "INSERT INTO stock_movements (variant_id, event_id, kind, quantity, reason, order_id, "
    "staff_id, created_at) VALUES (?, ?, 'sale', ?, NULL, ?, NULL, ?)"
)
_INSERT_LINE = (
    "INSERT INTO order_lines (order_id, variant_id, sku, name, kind, quantity, "
    "unit_price_cents, cost_cents, tax_rate_ppm, tax_inclusive, discount_kind, "
    "discount_value, line_discount_cents, order_discount_cents, tax_cents, total_cents, "
    "edition_numbers, personalisation, note, refunded_quantity, owner_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, NULL, 0, 0, 0, ?, NULL, NULL, NULL, 0, ?)"
)
_INSERT_PAYMENT = (
    "INSERT INTO payments (order_id, tender, status, amount_cents, tendered_cents, "
    "change_cents, fee_cents, refunded_cents, reference, provider_id, idempotency_key, "
    "staff_id, created_at, updated_at) "
    "VALUES (?, 'cash', 'succeeded', ?, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, ?, ?)"
)
_LAST_HASH = "SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1"
_INSERT_AUDIT = (
    "INSERT INTO audit_entries (at, actor, action, entity, entity_id, data, prev_hash, hash) "
    "VALUES (?, NULL, ?, 'order', ?, ?, ?, ?)"
)


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _stamp(moment: datetime) -> str:
    """Naive UTC text, as the schema's DateTime columns store it on SQLite."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class RawSeller:
    """sqlite3 with the app's pragmas; each sale BEGIN IMMEDIATE … COMMIT by hand."""

    def __init__(self, path: Path, register_id: int) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.register_id = register_id
        self.skus = sorted(SKUS)

    def sell(self) -> None:
        self._sale(self.db)

    def capture(self) -> list[str]:
        """The statements SQLite runs for one sale, traced as on the popup-pos side."""
        seen: list[str] = []
        self.db.set_trace_callback(seen.append)
        try:
            self._sale(self.db)
        finally:
            self.db.set_trace_callback(None)
        return seen

    def close(self) -> None:
        self.db.close()

    def _sale(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            self._body(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _body(self, db: sqlite3.Connection) -> None:
        ev = db.execute(_EVENT, (self.register_id,)).fetchone()
        if ev is None or ev[2] != "open":
            raise RuntimeError("no open event on this register")
        event_id, currency, _status, _minutes, _settings = ev
        rows = db.execute(_VARIANTS.format(_marks(len(self.skus))), self.skus).fetchall()
        if len(rows) != len(self.skus) or any(r[8] for r in rows):
            raise RuntimeError("unknown SKU")
        if any(r[15] is not None for r in rows):
            raise RuntimeError("bundles are not part of this benchmark")
        if any(r[5] is not None for r in rows):
            raise RuntimeError("limited editions are not part of this benchmark")
        by_sku = {r[1]: r for r in rows}
        lines = []
        for sku in SKUS:  # in the cart's order
            vid, _, price, cost, _, _, _, options, _, product, kind, owner = by_sku[sku][:12]
            values = " / ".join(v for v in json.loads(options or "{}").values() if v)
            name = f"{product} — {values}" if values else product
            lines.append((vid, sku, name, kind, price, cost, owner))
        total = sum(line[4] for line in lines)

        now = datetime.now(UTC)
        seq, code = db.execute(_NEXT_SEQ, (self.register_id,)).fetchone()
        number = f"{code}-{seq:04d}"
        created = _stamp(now)
        order_id = db.execute(
            _INSERT_ORDER,
            (event_id, self.register_id, number, currency, created, created, created, total,
             total, total),
        ).fetchone()[0]  # fmt: skip
        ids = sorted(line[0] for line in lines)
        for vid in ids:
            if db.execute(_TAKE, (1, vid, 1)).rowcount != 1:
                raise RuntimeError(f"variant {vid} is out of stock")
        moved = _stamp(datetime.now(UTC))
        db.executemany(_INSERT_MOVEMENT, [(vid, event_id, -1, order_id, moved) for vid in ids])
        db.executemany(
            _INSERT_LINE,
            [
                (order_id, vid, sku, name, kind, 1, price, cost, price, owner)
                for vid, sku, name, kind, price, cost, owner in lines
            ],
        )
        db.execute(_INSERT_PAYMENT, (order_id, total, created, created))
        taken = {str(vid): -1 for vid in ids}
        self._audit(db, number, ({"total": total, "stock": taken}, {"paid": total}))

    def _audit(
        self, db: sqlite3.Connection, number: str, data: tuple[dict[str, Any], dict[str, Any]]
    ) -> None:
        """order.place and order.paid, chained, after one read of the last hash."""
        row = db.execute(_LAST_HASH).fetchone()
        prev = row[0] if row else "0" * 64
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        entries = []
        for action, details in zip(("order.place", "order.paid"), data, strict=True):
            body = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            payload = json.dumps([prev, at, None, action, "order", number, body])
            digest = hashlib.sha256(payload.encode()).hexdigest()
            entries.append((at, action, number, body, prev, digest))
            prev = digest
        db.executemany(_INSERT_AUDIT, entries)


# ---- measuring ---------------------------------------------------------------------------


def shape(statements: Sequence[str]) -> list[str]:
    """Each statement as 'VERB table', to compare two transactions statement by statement."""
    out = []
    for sql in statements:
        words = sql.split()
        upper = [w.upper() for w in words]
        verb, table = upper[0], ""
        if verb == "SELECT" and "FROM" in upper:
            table = words[upper.index("FROM") + 1]
        elif verb == "INSERT":
            table = words[2]
        elif verb == "UPDATE":
            table = words[1]
        out.append(f"{verb} {table}".strip())
    return out


def timed(sell: Callable[[], None], n: int) -> list[float]:
    """Microseconds for each of n sales."""
    clock = time.perf_counter_ns
    out = []
    for _ in range(n):
        start = clock()
        sell()
        out.append((clock() - start) / 1000)
    return out


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a sale writes, in id order, less the volatile columns."""
    out = {}
    with closing(sqlite3.connect(path)) as db:
        for table in TOUCHED_TABLES:
            columns = [
                row[1]
                for row in db.execute(f"PRAGMA table_info({table})")
                if row[1] not in VOLATILE_COLUMNS
            ]
            out[table] = db.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
            ).fetchall()
    return out


def filesystem(path: Path) -> str:
    """The type of the filesystem holding path (tmpfs would hide the fsync cost)."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return kind
    target = str(path.resolve())
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and target.startswith(fields[1]) and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def run(sales: int, warmup: int, where: Path | None) -> tuple[float, bool]:
    """Print the report; the ratio of medians, and whether both transactions match."""
    with tempfile.TemporaryDirectory(prefix="sale-commit-", dir=where) as tmp:
        folder = Path(tmp)
        template = folder / "template.sqlite"
        register_id = build_template(template)
        shutil.copy(template, folder / "pos.sqlite")
        shutil.copy(template, folder / "raw.sqlite")
        pos = PosSeller(folder / "pos.sqlite", register_id)
        raw = RawSeller(folder / "raw.sqlite", register_id)
        try:
            pos_sql, raw_sql = pos.capture(), raw.capture()
            for _ in range(warmup):
                pos.sell()
                raw.sell()
            pos_us: list[float] = []
            raw_us: list[float] = []
            for i, start in enumerate(range(0, sales, BLOCK)):
                n = min(BLOCK, sales - start)
                order = ((pos, pos_us), (raw, raw_us))
                for seller, samples in order if i % 2 == 0 else order[::-1]:
                    samples += timed(seller.sell, n)
        finally:
            pos.close()
            raw.close()
        pos_rows, raw_rows = contents(folder / "pos.sqlite"), contents(folder / "raw.sqlite")
        fs = filesystem(folder)

    same_shape = shape(pos_sql) == shape(raw_sql)
    differ = [t for t in TOUCHED_TABLES if pos_rows[t] != raw_rows[t]]
    same_rows = not differ
    pos_med, raw_med = statistics.median(pos_us), statistics.median(raw_us)
    ratio = pos_med / raw_med
    print(
        f"sale commit: 3-line exact-cash sale; SQLite {sqlite3.sqlite_version} WAL, "
        f"synchronous=FULL, on {fs}; {sales:,} sales after {warmup:,} warm-up; "
        f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"
    )
    print(
        f"statements per sale (BEGIN IMMEDIATE to COMMIT): popup-pos {len(pos_sql)}, "
        f"raw sqlite3 {len(raw_sql)}; "
        + ("same statements in the same order" if same_shape else "DIFFERENT transactions")
    )
    if not same_shape:
        for a, b in zip(shape(pos_sql), shape(raw_sql), strict=False):
            print(f"  {a:<28} {b}{'' if a == b else '   <-- differs'}")
    print(
        "rows written: "
        + (
            "the same in both files (timestamps and audit hashes aside)"
            if same_rows
            else "DIFFERENT in " + ", ".join(differ)
        )
    )
    for label, samples in (("popup-pos checkout.sell", pos_us), ("raw sqlite3", raw_us)):
        print(
            f"  {label:<24} median {statistics.median(samples):8.1f} µs"
            f"   p99 {p99(samples):8.1f} µs"
        )
    verdict = "ok" if ratio <= TARGET_RATIO else "FAIL"
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict}")
    if fs in ("tmpfs", "ramfs"):
        print("note: a RAM filesystem makes fsync free; use --dir on a disk for real figures")
    return ratio, same_shape and same_rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=5_000, help="timed sales per mode")
    parser.add_argument("--warmup", type=int, default=50, help="untimed sales per mode first")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the temp files")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the target is missed or the runs differ"
    )
    args = parser.parse_args(argv)
    if args.sales < 2 or args.warmup < 0:
        parser.error("--sales must be at least 2 and --warmup at least 0")
    ratio, same = run(args.sales, args.warmup, args.dir)
    return 1 if args.check and (ratio > TARGET_RATIO or not same) else 0


if __name__ == "__main__":
    sys.exit(main())
