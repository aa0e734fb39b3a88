"""`popup-pos catalog import|export|list`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, actor, money, print_file_problems

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def cmd_catalog_import(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.domain.catalog_file import CatalogFileError
    from popup_pos.services import catalog_files

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    try:
        done = catalog_files.import_file(
            uow,
            path,
            fmt=args.format,
            currency=args.currency,
            location=args.location,
            dry_run=args.dry_run,
            actor=actor(),
        )
    except CatalogFileError as exc:
        return print_file_problems(path, exc.problems)
    report = done.report
    for w in report.warnings:
        print(f"warning: {w}")
    verb = "would" if args.dry_run else "did"
    print(
        f"{done.format} file, {done.variants} variants: "
        f"{report.created_products} new products, {report.created_variants} new variants, "
        f"{report.updated_variants} updated, {report.unchanged_variants} unchanged"
    )
    if args.dry_run:
        for change in report.changes:
            print(f"  {change}")
        print(f"Dry run: nothing was changed ({verb} apply {len(report.changes)} changes).")
    return 0


def cmd_catalog_export(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import catalog_files

    out = Path(args.file)
    if not out.parent.expanduser().is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist")
    n = catalog_files.export_file(uow, out, fmt=args.format, location=args.location)
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
        price = "price at sale" if r.price_cents is None else money(uow, r.price_cents)
        print(f"{r.sku:<{width}}  {r.label[:name_w]:<{name_w}}  {price:>12}  {stock}{flag}")
    return 0


# ---- stock ---------------------------------------------------------------------------
