"""`popup-pos export`: an event's orders, report and settlement as CSV, XLSX, JSON or PDF."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

FORMATS = ("csv", "xlsx", "json", "pdf")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ex = sub.add_parser(
        "export",
        help="write an event's orders, report and settlement to files",
        # gigs.csv: the experiences table keeps the file name earlier exports gave it.
        description="csv: a folder with orders.csv, lines.csv, payments.csv, refunds.csv, "
        "stock.csv, settlement.csv, tickets.csv, profit.csv, gigs.csv, customers.csv and "
        "codes.csv (the download codes handed out); xlsx: one workbook with those sheets and "
        "a summary; json: one document (popup_pos/exports/schema.json); pdf: the report "
        "with charts, to hand to the venue. The remaining stock for Shopify is "
        "`popup-pos catalog export FILE --format shopify-inventory`.",
    )
    ex.add_argument(
        "--event",
        metavar="ID",
        help="an event id, current (the open one) or last (the last closed); "
        "default: the open event, else the last closed",
    )
    ex.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    ex.add_argument("--out", required=True, metavar="PATH", help="the file (a folder for csv)")
    ex.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import reports

    show = sys.stderr.isatty()
    last = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if show and percent != last[0]:
            last[0] = percent
            print(f"\r  writing… {percent:3d}%", end="", file=sys.stderr, flush=True)

    result = reports.export(uow, args.fmt, args.out, event=args.event, progress=progress)
    if show:
        print("\r" + " " * 22 + "\r", end="", file=sys.stderr, flush=True)
    e = result.event
    if result.format == "pdf":
        print(f"Wrote the report of {e.name!r} (event {e.id}) to {result.path}")
        return 0
    counts = ", ".join(f"{name} {n:,}" for name, n in result.rows.items())
    what = "folder" if result.format == "csv" else result.format.upper()
    print(f"Wrote the {what} export of {e.name!r} (event {e.id}) to {result.path}; rows: {counts}")
    return 0
