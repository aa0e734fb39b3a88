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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event

from popup_pos.importers.base import ImportedVariant, ParsedCatalog
from popup_pos.services import catalog, checkout, events
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from popup_pos.store.migrate import upgrade
from popup_pos.store.uow import UnitOfWork

TARGET_RATIO = 2.0
BLOCK = 500  # the modes alternate in blocks, so drift in disk speed hits both alike
SKUS = ("BENCH-TEE-S", "BENCH-TEE-M", "BENCH-TEE-L")
STOCK = 1_000_000_000
WRITTEN_TABLES = ("orders", "order_lines", "stock_movements", "payments", "audit_entries")

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
        """The statements one sale sends to the driver, COMMIT included."""
        seen: list[str] = []

        def on_execute(*args: Any) -> None:
            seen.append(args[2])  # (conn, cursor, statement, parameters, context, many)

        def on_commit(_conn: Any) -> None:
            seen.append("COMMIT")

        event.listen(self.engine, "before_cursor_execute", on_execute)
        event.listen(self.engine, "commit", on_commit)
        try:
            self.sell()
        finally:
            event.remove(self.engine, "before_cursor_execute", on_execute)
            event.remove(self.engine, "commit", on_commit)
        return seen

    def close(self) -> None:
        self.engine.dispose()


# ---- raw sqlite3: the same transaction, written by hand ----------------------------------

_EVENT = (
    "SELECT e.id, e.currency, e.status, e.reservation_minutes, e.settings "
    "FROM events e JOIN registers r ON r.event_id = e.id WHERE r.id = ?"
)
_VARIANTS = (
    "SELECT v.id, v.sku, v.price_cents, v.cost_cents, v.per_order_limit, v.edition_size, "
    "v.track_stock, v.options, v.archived, p.name, p.kind, p.owner_id, "
    "t.name, t.rate_ppm, t.inclusive "
    "FROM variants v JOIN products p ON p.id = v.product_id "
    "LEFT JOIN tax_classes t ON t.id = p.tax_class_id WHERE v.sku IN ({})"
)
_COMPONENTS = (
    "SELECT b.bundle_id, b.quantity, v.id, v.sku, v.track_stock, v.edition_size "
    "FROM bundle_components b JOIN variants v ON v.id = b.component_id "
    "WHERE b.bundle_id IN ({})"
)
_NEXT_SEQ = (
    "UPDATE registers SET last_order_seq = last_order_seq + 1 WHERE id = ? "
    "RETURNING last_order_seq, code"
)
_INSERT_ORDER = (
    "INSERT INTO orders (event_id, register_id, number, status, currency, staff_id, "
    "created_at, placed_at, reserved_until, parked, note, discount_kind, discount_value, "
    "tip_kind, tip_value, subtotal_cents, discount_cents, tax_cents, tip_cents, total_cents, "
    "paid_cents, refunded_cents) "
    "VALUES (?, ?, ?, 'awaiting_payment', ?, NULL, ?, ?, ?, 0, NULL, NULL, NULL, NULL, NULL, "
    "?, 0, 0, 0, ?, 0, 0) RETURNING id"
)
_INSERT_LINE = (
    "INSERT INTO order_lines (order_id, variant_id, sku, name, kind, quantity, "
    "unit_price_cents, cost_cents, tax_rate_ppm, tax_inclusive, discount_kind, "
    "discount_value, line_discount_cents, order_discount_cents, tax_cents, total_cents, "
    "edition_numbers, personalisation, note, refunded_quantity, owner_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, NULL, 0, 0, 0, ?, NULL, NULL, NULL, 0, ?)"
)
_TAKE = "UPDATE variants SET on_hand = on_hand - ? WHERE id = ? AND on_hand >= ?"
_INSERT_MOVEMENT = (
    "INSERT INTO stock_movements (variant_id, event_id, kind, quantity, reason, order_id, "
    "staff_id, created_at) VALUES (?, ?, 'sale', ?, NULL, ?, NULL, ?)"
)
_LAST_HASH = "SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1"
_INSERT_AUDIT = (
    "INSERT INTO audit_entries (at, actor, action, entity, entity_id, data, prev_hash, hash) "
    "VALUES (?, NULL, ?, 'order', ?, ?, ?, ?)"
)
_INSERT_PAYMENT = (
    "INSERT INTO payments (order_id, tender, status, amount_cents, tendered_cents, "
    "change_cents, fee_cents, refunded_cents, reference, provider_id, idempotency_key, "
    "request, staff_id, created_at, updated_at) "
    "VALUES (?, 'cash', 'succeeded', ?, NULL, 0, NULL, 0, NULL, NULL, NULL, 'null', NULL, ?, ?)"
)
_LINES_OF_ORDER = "SELECT * FROM order_lines WHERE order_id = ? ORDER BY id"
_NUMBERED = "SELECT id, sku FROM variants WHERE id IN ({}) AND edition_size IS NOT NULL"
_MARK_PAID = (
    "UPDATE orders SET status = 'paid', paid_at = ?, reserved_until = NULL, paid_cents = ? "
    "WHERE id = ?"
)


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _stamp(moment: datetime) -> str:
    """Naive UTC text, as the schema's DateTime columns store it on SQLite."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class _Counting:
    """Records each statement the raw sale sends, then passes it on."""

    def __init__(self, db: sqlite3.Connection, seen: list[str]) -> None:
        self.db, self.seen = db, seen

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        self.seen.append(sql)
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> sqlite3.Cursor:
        self.seen.append(sql)
        return self.db.executemany(sql, rows)


_Db = sqlite3.Connection | _Counting


class RawSeller:
    """sqlite3 with the app's pragmas; each sale BEGIN IMMEDIATE … COMMIT by hand."""

    def __init__(self, path: Path, register_id: int) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.register_id = register_id
        self.skus = list(SKUS)

    def sell(self) -> None:
        self._sale(self.db)

    def capture(self) -> list[str]:
        seen: list[str] = []
        self._sale(_Counting(self.db, seen))
        return seen

    def close(self) -> None:
        self.db.close()

    def _audit(self, db: _Db, action: str, number: str, data: dict[str, int]) -> None:
        row = db.execute(_LAST_HASH).fetchone()
        prev = row[0] if row else "0" * 64
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        payload = json.dumps([prev, at, None, action, "order", number, body])
        digest = hashlib.sha256(payload.encode()).hexdigest()
        db.execute(_INSERT_AUDIT, (at, action, number, body, prev, digest))

    def _sale(self, db: _Db) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            self._body(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _body(self, db: _Db) -> None:
        ev = db.execute(_EVENT, (self.register_id,)).fetchone()
        if ev is None or ev[2] != "open":
            raise RuntimeError("no open event on this register")
        event_id, currency, _status, reserve_minutes, _settings = ev
        query = _VARIANTS.format(_marks(len(self.skus)))
        rows = {r[1]: r for r in db.execute(query, self.skus)}
        if len(rows) != len(self.skus) or any(r[8] for r in rows.values()):
            raise RuntimeError("unknown SKU")
        ids = [r[0] for r in rows.values()]
        if db.execute(_COMPONENTS.format(_marks(len(ids))), ids).fetchall():
            raise RuntimeError("bundles are not part of this benchmark")
        lines = []
        for sku in self.skus:
            vid, _, price, cost, _, _, _, options, _, product, kind, owner = rows[sku][:12]
            values = " / ".join(v for v in json.loads(options or "{}").values() if v)
            name = f"{product} — {values}" if values else product
            lines.append((vid, sku, name, kind, price, cost, owner))
        total = sum(line[4] for line in lines)

        now = datetime.now(UTC)
        seq, code = db.execute(_NEXT_SEQ, (self.register_id,)).fetchone()
        number = f"{code}-{seq:04d}"
        created = _stamp(now)
        until = _stamp(now + timedelta(minutes=reserve_minutes))
        order_id = db.execute(
            _INSERT_ORDER,
            (event_id, self.register_id, number, currency, created, created, until, total, total),
        ).fetchone()[0]
        db.executemany(
            _INSERT_LINE,
            [
                (order_id, vid, sku, name, kind, 1, price, cost, price, owner)
                for vid, sku, name, kind, price, cost, owner in lines
            ],
        )
        for vid in sorted(ids):
            if db.execute(_TAKE, (1, vid, 1)).rowcount != 1:
                raise RuntimeError(f"variant {vid} is out of stock")
        moved = _stamp(datetime.now(UTC))
        db.executemany(
            _INSERT_MOVEMENT, [(vid, event_id, -1, order_id, moved) for vid in sorted(ids)]
        )
        self._audit(db, "order.place", number, {"total": total})
        db.execute(_INSERT_PAYMENT, (order_id, total, created, created))
        sold = sorted({r[2] for r in db.execute(_LINES_OF_ORDER, (order_id,)) if r[2]})
        numbered = db.execute(_NUMBERED.format(_marks(len(sold))), sold).fetchall()
        parts = db.execute(_COMPONENTS.format(_marks(len(sold))), sold).fetchall()
        if numbered or any(p[5] is not None for p in parts):
            raise RuntimeError("limited editions are not part of this benchmark")
        db.execute(_MARK_PAID, (created, total, order_id))
        self._audit(db, "order.paid", number, {"paid": total})


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


def row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WRITTEN_TABLES}


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
        counts = row_counts(folder / "pos.sqlite"), row_counts(folder / "raw.sqlite")
        fs = filesystem(folder)

    same_shape = shape(pos_sql) == shape(raw_sql)
    same_rows = counts[0] == counts[1]
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
        + ("identical in both files" if same_rows else f"DIFFER {counts[0]} vs {counts[1]}")
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
