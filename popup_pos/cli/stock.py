"""`popup-pos stock count-in|adjust`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from popup_pos.cli.common import actor, whole
from popup_pos.domain.limits import MAX_QUANTITY

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def cmd_stock_count_in(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import inventory

    qty = whole(args.qty, "QTY", low=1)
    r = inventory.count_in(uow, args.sku, qty, actor())
    print(f"{r.sku}: +{r.delta}, {r.on_hand} on hand")
    return 0


def cmd_stock_adjust(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import inventory

    delta = whole(args.delta, "DELTA", low=-MAX_QUANTITY)
    r = inventory.adjust(uow, args.sku, delta, args.reason, actor())
    print(f"{r.sku}: {r.delta:+d} ({args.reason}), {r.on_hand} on hand")
    return 0
