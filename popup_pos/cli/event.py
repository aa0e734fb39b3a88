"""`popup-pos event open|close|list|status`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError
from popup_pos.domain.money import check_currency, format_money, parse_amount

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
