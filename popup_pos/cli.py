"""The `popup-pos` command: catalog, stock, events, demo, audit and backup from a terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from popup_pos import __version__, config
from popup_pos.domain.errors import PosError
from popup_pos.domain.money import check_currency, format_money, parse_amount

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class UsageError(PosError):
    """A command-line value that cannot be used."""


def _open(db: str | None) -> UnitOfWork:
    # Imported here so `--help` and `--version` answer without loading the database stack.
    from popup_pos.services.database import open_database

    return open_database(db or config.default_db())


def _money(uow: UnitOfWork, amount: int | None) -> str:
    from popup_pos.services.events import display_currency

    if amount is None:
        return "—"
    return format_money(amount, display_currency(uow))


# ---- catalog -----------------------------------------------------------------------


def cmd_catalog_import(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.importers.reader import read_catalog
    from popup_pos.services import catalog, events

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    currency = args.currency or events.display_currency(uow)
    parsed = read_catalog(path, currency=currency, fmt=args.format, location=args.location)
    report = catalog.import_catalog(uow, parsed, source=str(path), dry_run=args.dry_run)
    for w in report.warnings:
        print(f"warning: {w}")
    verb = "would" if args.dry_run else "did"
    print(
        f"{parsed.format} file, {len(parsed.variants)} variants: "
        f"{report.created_products} new products, {report.created_variants} new variants, "
        f"{report.updated_variants} updated, {report.unchanged_variants} unchanged"
    )
    if args.dry_run:
        for change in report.changes:
            print(f"  {change}")
        print(f"Dry run: nothing was changed ({verb} apply {len(report.changes)} changes).")
    return 0


def cmd_catalog_export(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.exports.catalog import write_native_csv, write_shopify_inventory_csv
    from popup_pos.services import catalog, events

    rows = catalog.export_rows(uow)
    currency = events.display_currency(uow)
    out = Path(args.file)
    if not out.parent.expanduser().is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist")
    if args.format == "native":
        n = write_native_csv(out, rows, currency=currency)
    else:
        n = write_shopify_inventory_csv(out, rows, location=args.location)
    print(f"Wrote {n} variants to {out}")
    return 0


def cmd_catalog_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import catalog

    rows = catalog.list_variants(uow, low_stock=args.low_stock)
    if not rows:
        print("No low or sold-out stock." if args.low_stock else "The catalog is empty.")
        return 0
    width = max(len(r.sku) for r in rows)
    name_w = min(max(len(r.label) for r in rows), 48)
    for r in rows:
        stock = "not tracked" if r.available is None else f"{r.available} left"
        flag = " SOLD OUT" if r.sold_out else " low" if r.low_stock else ""
        price = "price at sale" if r.price_cents is None else _money(uow, r.price_cents)
        print(f"{r.sku:<{width}}  {r.label[:name_w]:<{name_w}}  {price:>12}  {stock}{flag}")
    return 0


# ---- stock ---------------------------------------------------------------------------


def cmd_stock_count_in(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import inventory

    r = inventory.count_in(uow, args.sku, _whole(args.qty, "QTY"))
    print(f"{r.sku}: +{r.delta}, {r.on_hand} on hand")
    return 0


def cmd_stock_adjust(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import inventory

    r = inventory.adjust(uow, args.sku, _whole(args.delta, "DELTA"), args.reason)
    print(f"{r.sku}: {r.delta:+d} ({args.reason}), {r.on_hand} on hand")
    return 0


def _whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{what} must be a whole number, not {text!r}") from None


# ---- events --------------------------------------------------------------------------


def cmd_event_open(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import events

    currency = check_currency(args.currency)
    float_cents = parse_amount(args.float, currency, what="float") if args.float else 0
    e = events.open_event(uow, args.name, currency=currency, float_cents=float_cents)
    print(
        f"Opened {e.name!r} (event {e.id}, {e.currency}) with a float of "
        f"{format_money(e.float_cents, e.currency)}"
    )
    return 0


def cmd_event_close(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import checkout, events

    current = events.current_event(uow)
    if current is None:
        raise UsageError("no event is open")
    counted = parse_amount(args.counted, current.currency, what="counted cash")
    expired = checkout.release_expired(uow)
    if expired:
        print(f"Released {len(expired)} unpaid order(s) whose hold ran out: {', '.join(expired)}")
    r = events.close_event(uow, counted)
    c, cur = r.cash, r.event.currency

    def m(v: int) -> str:
        return format_money(v, cur)

    print(f"Closed {r.event.name!r}.")
    print(f"  float          {m(c.float_cents):>12}")
    print(f"  cash sales     {m(c.cash_sales_cents):>12}")
    print(f"  cash refunds   {m(-c.cash_refunds_cents):>12}")
    print(f"  paid in        {m(c.paid_in_cents):>12}")
    print(f"  paid out       {m(-c.paid_out_cents):>12}")
    print(f"  expected       {m(c.expected_cents):>12}")
    print(f"  counted        {m(r.counted_cents):>12}")
    diff = r.over_short_cents
    word = "over" if diff > 0 else "short" if diff < 0 else "exact"
    print(f"  {word:<14} {m(abs(diff)):>12}")
    return 0


def cmd_event_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import events

    rows = events.list_events(uow)
    if not rows:
        print("No events yet: open one with `popup-pos event open NAME`.")
        return 0
    for e, n, taken in rows:
        when = e.opened_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(
            f"{e.id:>4}  {e.status:<6}  {when}  {e.name}  {n} orders, "
            f"{format_money(taken, e.currency)} net"
        )
    return 0


def cmd_event_status(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import checkout, events

    if events.current_event(uow) is not None:
        checkout.release_expired(uow)
    status = events.event_status(uow)
    if status is None:
        print("No event is open.")
        return 0
    e, cash, by_status = status
    since = e.opened_at.astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"{e.name} (event {e.id}, {e.currency}), open since {since}")
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(by_status.items()))
    print(f"  orders: {counts or 'none yet'}")
    print(f"  cash expected in the drawer: {format_money(cash.expected_cents, e.currency)}")
    return 0


# ---- demo, audit, backup ---------------------------------------------------------------


def cmd_demo_seed(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import demo

    if args.orders < 0:
        raise UsageError("--orders cannot be negative")
    r = demo.seed(uow, orders=args.orders)
    c = r.catalog
    print(
        f"Demo catalog: {c.created_variants} new variants, {c.updated_variants} updated, "
        f"{c.unchanged_variants} unchanged"
    )
    if args.orders:
        print(
            f"Demo event {r.event_id}: {r.orders} orders, {r.refunds} refunds, "
            f"{r.cancelled} cancelled"
        )
    return 0


def cmd_audit_verify(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import audit

    r = audit.verify(uow)
    if r.ok:
        print(f"Audit log intact: {r.checked} entries checked.")
        return 0
    print(
        f"Audit log broken at entry {r.broken_id}: it {r.problem} "
        f"({r.checked} entries before it are intact)."
    )
    return 1


def cmd_backup(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services.database import backup

    size = backup(uow, Path(args.out))
    print(f"Backed up to {args.out} ({size / 1024:.0f} KiB)")
    return 0


# ---- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="popup-pos",
        description="Point of sale for pop-up shops, merch tables and afterparty events. "
        "With no command it starts the selling screen.",
    )
    p.add_argument("--version", action="version", version=f"popup-pos {__version__}")
    p.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a PostgreSQL URL (env POPUP_POS_DB; default: "
        "popup-pos.sqlite in the user data folder)",
    )
    p.add_argument("--demo", action="store_true", help="use the demo database, seeded on first use")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    cat = sub.add_parser("catalog", help="import, export and list the catalog")
    cs = cat.add_subparsers(dest="sub", metavar="ACTION", required=True)
    ci = cs.add_parser("import", help="import a catalog CSV (native, Shopify, Square, Loyverse)")
    ci.add_argument("file", metavar="FILE")
    ci.add_argument(
        "--format", default="auto", choices=["auto", "native", "shopify", "square", "loyverse"]
    )
    ci.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    ci.add_argument(
        "--location",
        metavar="NAME",
        help="which location's stock columns to read (Square, Loyverse)",
    )
    ci.add_argument(
        "--currency", metavar="CODE", help="currency of the prices (default: the event's, else USD)"
    )
    ci.set_defaults(func=cmd_catalog_import)
    ce = cs.add_parser("export", help="write the catalog or remaining stock to a CSV")
    ce.add_argument("file", metavar="FILE")
    ce.add_argument("--format", default="native", choices=["native", "shopify-inventory"])
    ce.add_argument(
        "--location",
        default="Shop location",
        metavar="NAME",
        help="Shopify location name for shopify-inventory",
    )
    ce.set_defaults(func=cmd_catalog_export)
    cl = cs.add_parser("list", help="list variants with price and stock")
    cl.add_argument("--low-stock", action="store_true", help="only low or sold-out variants")
    cl.set_defaults(func=cmd_catalog_list)

    st = sub.add_parser("stock", help="count stock in or correct it")
    ss = st.add_subparsers(dest="sub", metavar="ACTION", required=True)
    sc = ss.add_parser("count-in", help="add QTY units of SKU brought to the table")
    sc.add_argument("sku", metavar="SKU")
    sc.add_argument("qty", metavar="QTY")
    sc.set_defaults(func=cmd_stock_count_in)
    sa = ss.add_parser("adjust", help="correct stock by DELTA (e.g. -2) with a reason")
    sa.add_argument("sku", metavar="SKU")
    sa.add_argument("delta", metavar="DELTA")
    sa.add_argument("--reason", required=True, metavar="TEXT")
    sa.set_defaults(func=cmd_stock_adjust)

    ev = sub.add_parser("event", help="open, close, list and check events")
    es = ev.add_subparsers(dest="sub", metavar="ACTION", required=True)
    eo = es.add_parser("open", help="open an event with a cash float")
    eo.add_argument("name", metavar="NAME")
    eo.add_argument("--float", metavar="AMOUNT", help="cash in the drawer at the start")
    eo.add_argument("--currency", default="USD", metavar="CODE")
    eo.set_defaults(func=cmd_event_open)
    ec = es.add_parser("close", help="close the open event with the counted cash")
    ec.add_argument("--counted", required=True, metavar="AMOUNT")
    ec.set_defaults(func=cmd_event_close)
    es.add_parser("list", help="all events, newest first").set_defaults(func=cmd_event_list)
    es.add_parser("status", help="the open event so far").set_defaults(func=cmd_event_status)

    dm = sub.add_parser("demo", help="demo data")
    ds = dm.add_subparsers(dest="sub", metavar="ACTION", required=True)
    dd = ds.add_parser("seed", help="load the demo catalog, and with --orders a demo night")
    dd.add_argument("--orders", type=int, default=0, metavar="N")
    dd.set_defaults(func=cmd_demo_seed)

    au = sub.add_parser("audit", help="check the audit log")
    aus = au.add_subparsers(dest="sub", metavar="ACTION", required=True)
    aus.add_parser("verify", help="walk the hash chain").set_defaults(func=cmd_audit_verify)

    bk = sub.add_parser("backup", help="copy the SQLite database while it is in use")
    bk.add_argument("--out", required=True, metavar="FILE")
    bk.set_defaults(func=cmd_backup)
    return p


def _start_gui(args: argparse.Namespace) -> int:
    print(
        "popup-pos: the selling screen is not part of this version yet. Use the commands "
        "in `popup-pos --help` for the catalog, stock and events."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo and args.db:
        parser.error("--demo and --db cannot be used together")
    db = config.demo_db() if args.demo else args.db
    func: Callable[[argparse.Namespace, Any], int] | None = getattr(args, "func", None)
    try:
        uow = _open(db)
        if func is None:
            return _start_gui(args)
        return func(args, uow)
    except PosError as exc:
        print(f"popup-pos: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head`: the reader left, which is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(
            f"popup-pos: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
