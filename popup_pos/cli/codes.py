"""`popup-pos codes import|list`: the download-code pools of digital items."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, actor, print_file_problems

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    co = sub.add_parser("codes", help="download codes of digital items (their stock)")
    cs = co.add_subparsers(dest="sub", metavar="ACTION", required=True)
    ci = cs.add_parser(
        "import",
        help="add the codes in FILE (plain text, one per line, or CSV with a 'code' column) "
        "to SKU's pool; all or nothing",
    )
    ci.add_argument("sku", metavar="SKU")
    ci.add_argument("file", metavar="FILE")
    ci.set_defaults(func=cmd_codes_import)
    cl = cs.add_parser("list", help="each digital item's codes: unused, assigned, voided")
    cl.set_defaults(func=cmd_codes_list)


def cmd_codes_import(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.domain.catalog_file import CatalogFileError
    from popup_pos.services import codes

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {args.file}")
    try:
        r = codes.import_codes(uow, args.sku, path, actor())
    except CatalogFileError as exc:
        return print_file_problems(path, exc.problems)
    print(f"{r.sku}: {r.added} codes added, {r.unused} unused in the pool")
    return 0


def cmd_codes_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import codes

    pools = codes.pools(uow)
    if not pools:
        print("No digital items in the catalog.")
        return 0
    width = max(len(p.sku) for p in pools)
    print(f"{'SKU':<{width}}  {'unused':>6}  {'for sale':>8}  {'assigned':>8}  {'void':>4}  name")
    for p in pools:
        print(
            f"{p.sku:<{width}}  {p.unused:>6}  {p.on_hand:>8}  {p.assigned:>8}  {p.void:>4}  "
            f"{p.name}"
        )
    return 0
