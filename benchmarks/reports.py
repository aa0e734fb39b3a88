"""Time end-of-night aggregates, CSV and XLSX exports and the report PDF against bare baselines."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy
import xlsxwriter
from sqlalchemy import event

from popup_pos.documents.report import render_report_pdf
from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.exports.tables import LINE_COLUMNS
from popup_pos.services import catalog, events, reports
from popup_pos.store import reports as store_reports
from popup_pos.store.engine import make_engine
from popup_pos.store.migrate import upgrade
from popup_pos.store.uow import UnitOfWork

AGGREGATE_TARGET = 2.0
CSV_TARGET = 1.3
XLSX_TARGET = 1.2
PDF_TARGET_S = 1.0
NIGHT = timedelta(hours=12)
STOCK = 10_000_000

# ---- a big database, made with bulk inserts ------------------------------------------------
# Only the catalog, the event and its registers go through the services; the orders,
# lines, payments, refunds and ledger rows are written straight into the tables with
# executemany, so 100,000 orders take seconds rather than the hour the sale path would.


def _catalog() -> list[ImportedVariant]:
    out = []
    row = 2
    specs = [
        ("tour-tee", "Tour tee", "Apparel", "The Band", 30_00, ("S", "M", "L", "XL")),
        ("hoodie", "Hoodie", "Apparel", "The Band", 55_00, ("S", "M", "L", "XL")),
        ("cap", "Cap", "Apparel", "The Band", 25_00, ()),
        ("lp", "Nights Like These (LP)", "Music", "The Band", 28_00, ()),
        ("cd", "Nights Like These (CD)", "Music", "The Band", 15_00, ()),
        ("poster", "Tour poster", "Art", "The Band", 15_00, ()),
        ("print", "Screen print (numbered)", "Art", "Mara Okafor", 45_00, ()),
        ("zine", "Zine", "Art", "Mara Okafor", 8_00, ()),
        ("tote", "Tote bag", "Apparel", None, 18_00, ()),
        ("pin", "Enamel pin", "Accessories", None, 10_00, ()),
    ]
    for handle, name, category, owner, price, sizes in specs:
        for size in sizes or ("",):
            sku = f"{handle.upper()}-{size}" if size else handle.upper()
            out.append(
                ImportedVariant(
                    row=row,
                    handle=handle,
                    product_name=name,
                    sku=sku,
                    price=price,
                    options={"Size": size} if size else {},
                    category=category,
                    owner=owner,
                    quantity=STOCK,
                    edition_size=STOCK if handle == "print" else None,
                )
            )
            row += 1
    return out


def build(path: Path, orders: int, lines_per_order: int, seed: int = 7) -> int:
    """A migrated database with one event of `orders` orders; the event's id."""
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        uow = UnitOfWork(engine)
        catalog.import_catalog(uow, ParsedCatalog("native", _catalog()), source="benchmark")
        ev = events.open_event(uow, "Benchmark night", float_cents=200_00)
        regs = [events.join_register(uow, code).id for code in ("A", "B", "C")]
    finally:
        engine.dispose()
    db = sqlite3.connect(path, isolation_level=None)
    rng = random.Random(seed)
    variants = db.execute(
        "SELECT v.id, v.sku, v.price_cents, p.name, v.options, p.owner_id "
        "FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.id"
    ).fetchall()
    start = datetime.now(UTC).replace(tzinfo=None) - NIGHT - timedelta(hours=1)
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    db.execute("UPDATE events SET opened_at = ? WHERE id = ?", (start.strftime(fmt), ev.id))
    order_rows, line_rows, pay_rows, refund_rows, moves = [], [], [], [], []
    seq = dict.fromkeys(regs, 0)
    sold: dict[int, int] = {}
    for oid in range(1, orders + 1):
        reg = regs[oid % len(regs)]
        seq[reg] += 1
        created = start + NIGHT * (oid / orders) + timedelta(seconds=rng.random())
        roll = rng.random()
        status = (
            "cancelled" if roll < 0.02 else "refunded" if roll < 0.035
            else "partially_refunded" if roll < 0.045 else "paid"
        )  # fmt: skip
        paid_at = None if status == "cancelled" else created + timedelta(seconds=rng.randint(0, 90))
        total = 0
        first_line_total = 0
        for n in range(lines_per_order):
            vid, sku, price, product, options, owner = variants[rng.randrange(len(variants))]
            values = " / ".join(v for v in json.loads(options).values() if v)
            name = f"{product} — {values}" if values else product
            total += price
            first_line_total = first_line_total or price
            refunded_q = (
                1 if status == "refunded" or (status == "partially_refunded" and not n) else 0
            )
            line_rows.append((oid, vid, sku, name, "item", 1, price, None, 0, 0, None, None, 0, 0,
                              0, price, None, None, None, refunded_q, owner))  # fmt: skip
            if status != "cancelled":
                moves.append((vid, ev.id, "sale", -1, None, oid, None, created.strftime(fmt)))
                sold[vid] = sold.get(vid, 0) + 1
        refunded = (
            total
            if status == "refunded"
            else first_line_total
            if status == "partially_refunded"
            else 0
        )
        paid = 0 if status == "cancelled" else total
        ts = created.strftime(fmt)
        paid_ts = paid_at.strftime(fmt) if paid_at else None
        cancelled_ts = ts if status == "cancelled" else None
        order_rows.append(
            (oid, ev.id, reg, f"R{reg}-{seq[reg]:06d}", status, "USD", None, ts, ts, paid_ts,
             None, cancelled_ts, None, 0, None, None, None, None, None, total, 0, 0, 0, total,
             paid, refunded)
        )  # fmt: skip
        if paid:
            tender = rng.choices(("cash", "wallet", "stripe_qr"), (5, 3, 2))[0]
            fee = 30 + paid * 29 // 1000 if tender == "stripe_qr" else None
            pay_rows.append(
                (oid, tender, "succeeded", paid, None, 0, fee, refunded, None, None, None, None,
                 None, ts, ts)
            )  # fmt: skip
            if refunded:
                refund_rows.append(
                    (oid, None, tender, refunded, "changed mind", 0, "succeeded", None, None, ts)
                )
    for vid, n in sold.items():
        moves.append((vid, ev.id, "count_in", n, None, None, None, start.strftime(fmt)))
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO orders (id, event_id, register_id, number, status, currency, staff_id, "
        "created_at, placed_at, paid_at, fulfilled_at, cancelled_at, reserved_until, parked, "
        "note, discount_kind, discount_value, tip_kind, tip_value, subtotal_cents, "
        "discount_cents, tax_cents, tip_cents, total_cents, paid_cents, refunded_cents) "
        "VALUES (" + ",".join("?" * 26) + ")",
        order_rows,
    )
    db.executemany(
        "INSERT INTO order_lines (order_id, variant_id, sku, name, kind, quantity, "
        "unit_price_cents, cost_cents, tax_rate_ppm, tax_inclusive, discount_kind, "
        "discount_value, line_discount_cents, order_discount_cents, tax_cents, total_cents, "
        "edition_numbers, personalisation, note, refunded_quantity, owner_id) "
        "VALUES (" + ",".join("?" * 21) + ")",
        line_rows,
    )
    db.executemany(
        "INSERT INTO payments (order_id, tender, status, amount_cents, tendered_cents, "
        "change_cents, fee_cents, refunded_cents, reference, provider_id, idempotency_key, "
        "request, staff_id, created_at, updated_at) VALUES (" + ",".join("?" * 15) + ")",
        pay_rows,
    )
    db.executemany(
        "INSERT INTO refunds (order_id, payment_id, tender, amount_cents, reason, "
        "return_to_stock, status, provider_id, staff_id, created_at) "
        "VALUES (" + ",".join("?" * 10) + ")",
        refund_rows,
    )
    db.executemany(
        "INSERT INTO stock_movements (variant_id, event_id, kind, quantity, reason, order_id, "
        "staff_id, created_at) VALUES (?,?,?,?,?,?,?,?)",
        moves,
    )
    for reg, n in seq.items():
        db.execute("UPDATE registers SET last_order_seq = ? WHERE id = ?", (n, reg))
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return ev.id


# ---- timing ------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def alternate(runs: int, ours: Callable[[], Any], bare: Callable[[], Any]) -> tuple[float, float]:
    """Median seconds of each, the two taking turns so drift hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(ours))
        b.append(timed(bare))
    return statistics.median(a), statistics.median(b)


def report_line(what: str, ours: float, bare: float, target: float) -> bool:
    ratio = ours / bare
    ok = ratio <= target
    print(
        f"  {what:<34} popup-pos {ours * 1000:9.1f} ms   baseline {bare * 1000:9.1f} ms   "
        f"ratio {ratio:4.2f}x (target <= {target}x) {'ok' if ok else 'MISSED'}"
    )
    return ok


# ---- aggregates: the same statements, replayed on raw sqlite3 -------------------------------


def capture(engine: sqlalchemy.Engine, fn: Callable[[], Any]) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def before(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


def replay(path: Path, statements: list[tuple[str, Any]]) -> Callable[[], None]:
    def run() -> None:
        db = sqlite3.connect(path)
        try:
            for sql, params in statements:
                db.execute(sql, params).fetchall()
        finally:
            db.close()

    return run


# ---- CSV: the same rows through a bare csv loop -----------------------------------------------


def bare_csv(path: Path, sql: str, params: Any, out: Path) -> Callable[[], None]:
    def money(v: int | None) -> str:
        if v is None:
            return ""
        w, f = divmod(abs(v), 100)
        return f"{'-' if v < 0 else ''}{w}.{f:02d}"

    def run() -> None:
        db = sqlite3.connect(path)
        try:
            with out.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow([c.name for c in LINE_COLUMNS])
                for (
                    number,
                    sku,
                    name,
                    product,
                    qty,
                    unit,
                    disc,
                    total,
                    ed,
                    owner,
                    status,
                ) in db.execute(sql, params):
                    if product and name.startswith(product + " — "):
                        product_name, variant = product, name[len(product) + 3 :]
                    else:
                        product_name, variant = name, ""
                    w.writerow((number, sku, product_name, variant, qty, money(unit), money(disc),
                                money(total), ed, owner, status))  # fmt: skip
                f.flush()
                os.fsync(f.fileno())
        finally:
            db.close()

    return run


def bare_xlsx(path: Path, sql: str, params: Any, out: Path) -> Callable[[], None]:
    def run() -> None:
        db = sqlite3.connect(path)
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        try:
            ws = wb.add_worksheet("Lines")
            money = wb.add_format({"num_format": "0.00"})
            for col, c in enumerate(LINE_COLUMNS):
                ws.write_string(0, col, c.name)
            for r, (
                number,
                sku,
                name,
                product,
                qty,
                unit,
                disc,
                total,
                ed,
                owner,
                status,
            ) in enumerate(db.execute(sql, params), start=1):
                if product and name.startswith(product + " — "):
                    product_name, variant = product, name[len(product) + 3 :]
                else:
                    product_name, variant = name, ""
                ws.write_string(r, 0, number)
                if sku:
                    ws.write_string(r, 1, sku)
                ws.write_string(r, 2, product_name)
                if variant:
                    ws.write_string(r, 3, variant)
                ws.write_number(r, 4, qty)
                ws.write_number(r, 5, Decimal(unit).scaleb(-2), money)
                ws.write_number(r, 6, Decimal(disc).scaleb(-2), money)
                ws.write_number(r, 7, Decimal(total).scaleb(-2), money)
                if ed:
                    ws.write_string(r, 8, ed)
                if owner:
                    ws.write_string(r, 9, owner)
                ws.write_string(r, 10, status)
        finally:
            wb.close()
            db.close()

    return run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--orders", type=int, default=100_000)
    p.add_argument("--lines-per-order", type=int, default=3)
    p.add_argument("--runs", type=int, default=5, help="runs of the aggregates and the CSV")
    p.add_argument("--xlsx-runs", type=int, default=1)
    p.add_argument("--dir", type=Path, help="where the database and files go (default: temp)")
    p.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = p.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="popup-pos-reports-", dir=args.dir))
    try:
        return run(args, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(args: argparse.Namespace, base: Path) -> int:
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"SQLAlchemy {sqlalchemy.__version__}, {os.cpu_count()} CPUs")  # fmt: skip
    path = base / "bench.sqlite"
    took = timed(lambda: build(path, args.orders, args.lines_per_order))
    print(f"Built {args.orders:,} orders / {args.orders * args.lines_per_order:,} lines with "
          f"bulk inserts in {took:.1f} s (not part of any figure below)")  # fmt: skip
    engine = make_engine(str(path))
    uow = UnitOfWork(engine)
    ok = []
    try:
        print(
            "End-of-night aggregates (the whole report: totals, tender, product, category, "
            "owner, register, staff, hour, editions, sold out, pay time, stock, settlement)"
        )
        reports.build_report(uow)  # warm the statement cache as a running app has it
        statements = capture(engine, lambda: reports.build_report(uow))
        ours, bare = alternate(
            args.runs, lambda: reports.build_report(uow), replay(path, statements)
        )
        print(f"  {len(statements)} SELECTs; the baseline runs the same SQL text on raw sqlite3")
        ok.append(report_line("aggregates", ours, bare, AGGREGATE_TARGET))

        lines_sql = capture(engine, lambda: _drain_lines(uow))
        (sql, params) = next(s for s in lines_sql if "order_lines" in s[0] and "count(" not in s[0])
        ours_csv, bare_csv_path = base / "ours", base / "bare.csv"
        ours_c, bare_c = alternate(
            args.runs,
            lambda: reports.export(uow, "csv", ours_csv, tables=("lines",)),
            bare_csv(path, sql, params, bare_csv_path),
        )
        same = (ours_csv / "lines.csv").read_bytes() == bare_csv_path.read_bytes()
        print(f"Export of {args.orders * args.lines_per_order:,} lines; the CSV files are "
              f"{'byte for byte the same' if same else 'DIFFERENT'}")  # fmt: skip
        ok.append(report_line("lines.csv vs bare csv loop", ours_c, bare_c, CSV_TARGET) and same)
        ours_x, bare_x = alternate(
            args.xlsx_runs,
            lambda: reports.export(uow, "xlsx", base / "ours.xlsx", tables=("lines",)),
            bare_xlsx(path, sql, params, base / "bare.xlsx"),
        )
        ok.append(report_line("xlsx vs bare xlsxwriter loop", ours_x, bare_x, XLSX_TARGET))

        report = reports.build_report(uow)
        pdf = statistics.median(timed(lambda: render_report_pdf(report)) for _ in range(3))
        whole = timed(lambda: reports.export(uow, "pdf", base / "report.pdf"))
        fine = pdf <= PDF_TARGET_S
        ok.append(fine)
        print(f"  {'report PDF with the chart':<34} {pdf * 1000:9.1f} ms (target <= "
              f"{PDF_TARGET_S * 1000:.0f} ms) {'ok' if fine else 'MISSED'}; with the "
              f"aggregates and writing the file: {whole * 1000:.1f} ms")  # fmt: skip
    finally:
        engine.dispose()
    return 1 if args.check and not all(ok) else 0


def _drain_lines(uow: UnitOfWork) -> None:
    with uow:
        ev = events.resolve_event(uow, None)
        for _ in store_reports.line_stream(uow, ev.id):
            break


if __name__ == "__main__":
    sys.exit(main())
