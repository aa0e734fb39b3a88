"""`popup-pos event open|close|terms|list|status`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, actor
from popup_pos.domain.limits import LABEL_LENGTH, brief, check_text
from popup_pos.domain.money import check_currency, format_money, format_percent, parse_amount

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
    ec = es.add_parser(
        "close",
        help="close the open event with the counted cash",
        description="Close the open event: cash counted (a total or by denomination), "
        "orders still awaiting payment dealt with, stock counted out.",
    )
    cash = ec.add_mutually_exclusive_group(required=True)
    cash.add_argument("--counted", metavar="AMOUNT", help="the cash in the drawer, in total")
    cash.add_argument(
        "--count",
        metavar="COUNT",
        help='the cash by denomination, VALUExHOW-MANY: "100x2, 20x5, 5x3, 0.25x8"',
    )
    ec.add_argument(
        "--carry-over",
        action="store_true",
        help="close even though card payments are still being checked: those orders stay "
        "awaiting payment and are listed",
    )
    ec.add_argument(
        "--cancel-unpaid",
        action="store_true",
        help="cancel orders still awaiting payment with no payment under way (stock goes back)",
    )
    ec.add_argument(
        "--count-out",
        metavar="FILE.csv",
        help="end-of-night stock count: a CSV with columns sku and counted",
    )
    ec.set_defaults(func=cmd_event_close)
    et = es.add_parser(
        "terms",
        help="show or set the venue's cut for settlement",
        description="Show the venue terms of an event, or change them with the options. "
        "Example: event terms --cut apparel=20 --cut music=10 --cut other=15 "
        "--class Apparel=apparel --class Music=music --on gross --card-fees-first",
    )
    et.add_argument("--event", metavar="ID", help="an event id, current or last (default: "
                    "the open event, else the last closed)")  # fmt: skip
    et.add_argument(
        "--cut",
        action="append",
        default=[],
        metavar="CLASS=PERCENT",
        help="the venue's cut of a class of goods; categories not given a class are 'other'",
    )
    et.add_argument(
        "--class",
        dest="classes",
        action="append",
        default=[],
        metavar="CATEGORY=CLASS",
        help="put a catalog category in a class",
    )
    et.add_argument("--on", choices=("gross", "net-of-tax"), help="what the cut is taken on")
    fees = et.add_mutually_exclusive_group()
    fees.add_argument(
        "--card-fees-first",
        dest="fees_first",
        action="store_const",
        const=True,
        help="take card fees off before the venue's cut",
    )
    fees.add_argument("--no-card-fees-first", dest="fees_first", action="store_const", const=False)
    et.add_argument("--clear", action="store_true", help="remove the terms before applying any")
    et.set_defaults(func=cmd_event_terms)
    es.add_parser("list", help="all events, newest first").set_defaults(func=cmd_event_list)
    es.add_parser("status", help="the open event so far").set_defaults(func=cmd_event_status)


def cmd_event_open(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import events

    currency = check_currency(args.currency)
    if args.float is not None and not args.float.strip():
        # An empty value is a typo or an unset shell variable, not a float of zero.
        raise UsageError("--float is empty: give the cash in the drawer, e.g. --float 150")
    float_cents = parse_amount(args.float, currency, what="float") if args.float else 0
    e = events.open_event(uow, args.name, currency=currency, float_cents=float_cents, actor=actor())
    print(
        f"Opened {e.name!r} (event {e.id}, {e.currency}) with a float of "
        f"{format_money(e.float_cents, e.currency)}"
    )
    return 0


def _refuse_empty(*options: tuple[str, str | None]) -> None:
    for flag, value in options:
        if value is not None and not value.strip():
            # An empty value is a typo or an unset shell variable, not a count of nothing.
            raise UsageError(f"{flag} is empty: give the cash in the drawer, e.g. {flag} 1234.50")


def cmd_event_close(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import audit, closing, events, payments

    current = events.current_event(uow)
    if current is None:
        raise UsageError("no event is open")
    cur = current.currency
    _refuse_empty(("--counted", args.counted), ("--count", args.count))
    cash_count = closing.parse_cash_count(args.count, cur) if args.count else None
    counted = parse_amount(args.counted, cur, what="counted cash") if args.counted else None
    counts = closing.read_count_sheet(args.count_out) if args.count_out else None
    try:
        r = closing.close_event(
            uow,
            counted,
            actor(),
            cash_count=cash_count,
            carry_over=args.carry_over,
            cancel_unpaid=payments.cancel_order if args.cancel_unpaid else None,
            count_out=counts,
        )
    except closing.CloseBlockedError as exc:
        hints = []
        if exc.pending:
            hints.append("--carry-over closes and leaves them awaiting payment")
        if exc.unpaid:
            hints.append("--cancel-unpaid cancels them")
        raise UsageError(f"{exc}. Nothing was closed; {'; '.join(hints)}") from None
    c = r.cash

    def m(v: int) -> str:
        return format_money(v, cur)

    if r.released:
        print(f"Released {len(r.released)} unpaid order(s) whose hold ran out: "
              f"{', '.join(r.released)}")  # fmt: skip
    if r.cancelled:
        print(f"Cancelled {len(r.cancelled)} unpaid order(s): {', '.join(r.cancelled)}")
    print(f"Closed {r.event.name!r} (event {r.event.id}).")
    print(f"  float          {m(c.float_cents):>12}")
    print(f"  cash sales     {m(c.cash_sales_cents):>12}")
    print(f"  cash refunds   {m(-c.cash_refunds_cents):>12}")
    print(f"  paid in        {m(c.paid_in_cents):>12}")
    print(f"  paid out       {m(-c.paid_out_cents):>12}")
    _print_drawer(uow, cur, r.event.id)
    print(f"  expected       {m(c.expected_cents):>12}")
    print(f"  counted        {m(r.counted_cents):>12}")
    diff = r.over_short_cents
    word = "over" if diff > 0 else "short" if diff < 0 else "exact"
    print(f"  {word:<14} {m(abs(diff)):>12}")
    if r.denominations:
        print("  counted as " + ", ".join(f"{n} x {m(v)}" for v, n in r.denominations))
    if r.carried_over:
        print(f"Carried over, still awaiting payment ({len(r.carried_over)}):")
        for o in r.carried_over:
            print(f"  {o.number}  {m(o.total_cents):>10}  {m(o.pending_cents)} being checked")
    if r.stock:
        print("Stock counted out:")
        print(f"  {'SKU':<20} {'expected':>8} {'counted':>8}  difference")
        for s in r.stock:
            gap = (
                f"{s.shrinkage} missing" if s.shrinkage > 0
                else f"{-s.shrinkage} extra" if s.shrinkage < 0 else "-"
            )  # fmt: skip
            print(f"  {s.sku:<20} {s.expected:>8} {s.counted_out or 0:>8}  {gap}")
        print(f"  shrinkage: {r.shrinkage_units} unit(s)")
    head = audit.close_head(uow, r.event.id)
    if head is not None:
        # Kept off the computer, it proves later that no entry up to the close was removed.
        print(f"Audit head at close: {head}")
        print("  keep it: `popup-pos audit verify --head COUNT:HASH` checks the log still holds it")
    print(f"Report: popup-pos export --event {r.event.id} --format pdf --out report.pdf")
    return 0


def cmd_event_terms(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.domain.money import parse_percent
    from popup_pos.services import events, settlement
    from popup_pos.services.settlement import VenueTerms

    which = args.event
    current = settlement.get_terms(uow, which)
    changing = args.clear or args.cut or args.classes or args.on or args.fees_first is not None
    if changing:
        base = VenueTerms() if args.clear else current
        cuts = dict(base.cut_ppm_by_class)
        for item in args.cut:
            name, value = _pair(item, "--cut", "CLASS=PERCENT")
            cuts[name.lower()] = parse_percent(value, what=f"cut for {name}")
        classes = dict(base.category_class)
        for item in args.classes:
            category, cls = _pair(item, "--class", "CATEGORY=CLASS")
            classes[category] = cls.lower()
        on = base.on if args.on is None else args.on.replace("-", "_")
        fees_first = base.card_fees_first if args.fees_first is None else args.fees_first
        terms = VenueTerms(cuts, classes, on, fees_first)
        current = settlement.set_terms(uow, terms, event=which, actor=actor())
    info = events.event_info(uow, which)
    print(f"Venue terms of {info.name!r} (event {info.id}):")
    if current.empty:
        print("  none: the venue takes no cut")
        return 0
    for cls, ppm in sorted(current.cut_ppm_by_class.items()):
        print(f"  {cls:<12} {format_percent(ppm):>8}")
    for category, cls in sorted(current.category_class.items()):
        print(f"  category {category!r} is {cls}")
    print("  other categories are 'other'")
    basis = "gross (tax included)" if current.on == "gross" else "net of tax"
    fees = ", after card fees" if current.card_fees_first else ""
    print(f"  the cut is taken on {basis}{fees}")
    return 0


def _pair(text: str, option: str, form: str) -> tuple[str, str]:
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise UsageError(f"{option} {brief(text)}: write it as {form}")
    # Class and category names are stored with the event and printed on the settlement.
    return (
        check_text(left, f"{option}: the name", LABEL_LENGTH),
        check_text(right, f"{option}: the value", LABEL_LENGTH),
    )


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
    _print_drawer(uow, e.currency)
    return 0


def _print_drawer(uow: UnitOfWork, currency: str, event: int | None = None) -> None:
    """The cash-up's drawer openings other than sales: one line, and where to see them."""
    from popup_pos.services import drawer

    log = drawer.drawer_log(uow, event)
    if not log:
        return
    n = {k: sum(1 for x in log if x.kind == k) for k in ("paid_in", "paid_out", "no_sale")}
    total = {k: sum(x.amount_cents for x in log if x.kind == k) for k in ("paid_in", "paid_out")}
    parts = [
        f"{n['paid_in']} paid in ({format_money(total['paid_in'], currency)})",
        f"{n['paid_out']} paid out ({format_money(total['paid_out'], currency)})",
        f"{n['no_sale']} no-sale",
    ]
    print(f"  drawer: {', '.join(parts)}; reasons: popup-pos drawer list")
