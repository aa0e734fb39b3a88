"""`popup-pos drawer paid-in|paid-out|no-sale|list`: the cash drawer outside sales."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError
from popup_pos.domain.money import format_money, parse_amount

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dr = sub.add_parser(
        "drawer",
        help="paid in, paid out and no-sale, with a reason",
        description="Cash put into or taken out of the drawer other than by a sale, and "
        "openings with no money moving. Each needs a reason and shows in the cash-up.",
    )
    ds = dr.add_subparsers(dest="sub", metavar="ACTION", required=True)
    for name, what in (
        ("paid-in", "cash put into the drawer (more change from the bank)"),
        ("paid-out", "cash taken from the drawer (a runner bought ice)"),
    ):
        p = ds.add_parser(name, help=what, description=f"Record {what}.")
        p.add_argument("amount", metavar="AMOUNT", help="in the event's currency, e.g. 20 or 7.50")
        p.add_argument("--reason", required=True, metavar="TEXT", help="what the cash was for")
        p.add_argument("--by", metavar="NAME", help="who did it, for the audit log")
        p.set_defaults(func=cmd_drawer_move, kind=name.replace("-", "_"))
    ns = ds.add_parser(
        "no-sale",
        help="the drawer was opened with no money moving",
        description="Record an opening of the drawer with no sale (change for a note, say).",
    )
    ns.add_argument("--reason", required=True, metavar="TEXT", help="why it was opened")
    ns.add_argument("--by", metavar="NAME", help="who opened it, for the audit log")
    ns.set_defaults(func=cmd_drawer_no_sale)
    ls = ds.add_parser("list", help="every paid in, paid out and no-sale of an event")
    ls.add_argument(
        "--event",
        metavar="ID",
        help="an event id, current or last (default: the open event, else the last closed)",
    )
    ls.set_defaults(func=cmd_drawer_list)


def _currency(uow: UnitOfWork) -> str:
    from popup_pos.services import events

    current = events.current_event(uow)
    if current is None:
        raise UsageError("no event is open: open one with `popup-pos event open NAME`")
    return current.currency


def cmd_drawer_move(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import drawer

    cur = _currency(uow)
    amount = parse_amount(args.amount, cur, what="amount")
    if args.kind == "paid_in":
        drawer.paid_in(uow, amount, args.reason, actor=args.by)
    else:
        drawer.paid_out(uow, amount, args.reason, actor=args.by)
    word = "Paid in" if args.kind == "paid_in" else "Paid out"
    print(f"{word} {format_money(amount, cur)}: {' '.join(args.reason.split())}")
    return 0


def cmd_drawer_no_sale(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import drawer

    _currency(uow)
    drawer.no_sale(uow, args.reason, actor=args.by)
    print(f"No sale: {' '.join(args.reason.split())}")
    return 0


def cmd_drawer_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import drawer

    entries = drawer.drawer_log(uow, args.event)
    if not entries:
        print("The drawer was not opened outside sales.")
        return 0
    for e in entries:
        when = e.at.astimezone().strftime("%H:%M")
        amount = (
            ""
            if e.kind == "no_sale"
            else format_money(
                e.amount_cents if e.kind == "paid_in" else -e.amount_cents, e.currency
            )
        )
        who = f"  ({e.by})" if e.by else ""
        print(f"  {when}  {e.label:<9} {amount:>12}  {e.reason}{who}")
    return 0
