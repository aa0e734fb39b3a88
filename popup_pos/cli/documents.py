"""`popup-pos labels` and `popup-pos receipt`: label sheets, roll labels and receipts as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, add_roll_output, whole
from popup_pos.domain.limits import MAX_COPIES

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lb = sub.add_parser(
        "labels",
        help="print labels for a SKU or for all stock on hand to a PDF",
        description="Labels with name, variant, price and a Code 128 of the SKU (and a QR "
        "code on digital items and experiences). Print the PDF at 100 % (no 'fit to "
        "page'), or sheet labels drift off the grid.",
    )
    what = lb.add_mutually_exclusive_group(required=True)
    what.add_argument("--sku", metavar="SKU", help="labels for this variant (or bundle)")
    what.add_argument(
        "--all-stock",
        action="store_true",
        help="one label for each unit on hand of every tracked variant",
    )
    lb.add_argument("--copies", metavar="N", help="how many labels of --sku (default 1)")
    lb.add_argument(
        "--template",
        metavar="NAME",
        help="label stock, e.g. avery-5160, avery-l7160, dymo-30252, zebra-2.25x1.25 (a wrong "
        "name lists them all; default: the printing setting, avery-5160 unless changed)",
    )
    lb.add_argument(
        "--start-cell",
        metavar="N",
        default="1",
        help="first free cell of a partly used sheet, counted along rows from 1 (default 1)",
    )
    lb.add_argument("--out", metavar="FILE.pdf", required=True, help="the PDF to write")
    lb.set_defaults(func=cmd_labels)

    rc = sub.add_parser(
        "receipt",
        help="print an order's receipt to a PDF",
        description="The receipt of one order, for an 80 mm or 58 mm receipt printer, with "
        "the order's QR code for pick-up.",
    )
    rc.add_argument("order", metavar="ORDER_NUMBER", help="e.g. A-0042")
    add_roll_output(rc, required=False)
    rc.add_argument(
        "--email",
        metavar="ADDRESS",
        help="email the receipt (with its codes and tickets) to this address: queued, and "
        "sent now if the mail server answers",
    )
    rc.add_argument(
        "--opt-in",
        action="store_true",
        help="with --email: the fan agreed to hear from you again (kept with the time and "
        "the event; without it the address is deleted once the receipt is sent)",
    )
    rc.set_defaults(func=cmd_receipt)


def _out(text: str) -> Path:
    out = Path(text).expanduser()
    if not out.parent.is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist: cannot write {out.name}")
    if out.is_dir():
        raise UsageError(f"{text!r} is a folder: give a file name such as labels.pdf")
    return out


def cmd_labels(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import printing

    out = _out(args.out)
    # The template knows its cell count; this bound only keeps the number sane.
    start_cell = whole(args.start_cell, "--start-cell", low=1, high=1_000)
    if args.all_stock:
        if args.copies is not None:
            raise UsageError("--copies goes with --sku; --all-stock prints one label a unit")
        items = printing.labels_for_stock(uow)
    else:
        copies = 1
        if args.copies is not None:
            copies = whole(args.copies, "--copies", low=1, high=MAX_COPIES)
        items = printing.labels_for_sku(uow, args.sku, copies)
    done = printing.print_labels(uow, items, out, template=args.template, start_cell=start_cell)
    for warning in done.warnings:
        print(f"warning: {warning}")
    labels = f"{done.labels} label{'s' if done.labels != 1 else ''}"
    pages = f"{done.pages} page{'s' if done.pages != 1 else ''}"
    start = f", from cell {done.start_cell}" if done.start_cell != 1 else ""
    print(f"Wrote {labels} on {pages} ({done.template}{start}) to {out}")
    print("Print at 100 % (actual size, no 'fit to page') so the labels line up.")
    return 0


def cmd_receipt(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import printing

    if args.email is not None:
        from popup_pos.cli.mail import email_receipt

        code = email_receipt(uow, args.order, args.email, consent=args.opt_in)
        if args.out is None:
            return code
    if args.opt_in:
        raise UsageError("--opt-in goes with --email ADDRESS")
    if args.out is None:
        raise UsageError("give --out FILE.pdf, --email ADDRESS, or both")
    out = _out(args.out)
    done = printing.print_receipt(uow, args.order, out, width_mm=args.width)
    for warning in done.warnings:
        print(f"warning: {warning}")
    print(f"Wrote the receipt of order {done.order_number} ({done.width_mm} mm) to {out}")
    return 0
