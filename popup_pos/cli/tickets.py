"""`popup-pos tickets list|slips`: the ticket queue and the slips fans hold while they wait."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.cli.common import UsageError, add_roll_output

if TYPE_CHECKING:
    from popup_pos.services.tickets import TicketView
    from popup_pos.store.uow import UnitOfWork


OPEN = ("waiting", "called", "no_show")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tk = sub.add_parser("tickets", help="the ticket queue and its slips")
    ts = tk.add_subparsers(dest="sub", metavar="ACTION", required=True)
    tl = ts.add_parser(
        "list",
        help="the open event's tickets still to be served, with each one's slot or estimated wait",
    )
    tl.add_argument("--all", action="store_true", help="also list the tickets already done")
    tl.set_defaults(func=cmd_tickets_list)
    sl = ts.add_parser(
        "slips",
        help="print a slip for each ticket of an order to a PDF",
        description="One slip per ticket of the order, for an 80 mm or 58 mm receipt "
        "printer: the experience, who it is for, the ticket code large and as a QR code "
        "(scan it to call the ticket), and the slot or the estimated wait. Each slip is "
        "its own page, so the printer cuts between them.",
    )
    sl.add_argument("order", metavar="ORDER_NUMBER", help="e.g. A-0042")
    add_roll_output(sl)
    sl.set_defaults(func=cmd_tickets_slips)


def _local(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M")


def _when(t: TicketView) -> str:
    if t.status == "done" and t.done_at is not None:
        return f"done {_local(t.done_at)}"
    if t.status == "called" and t.called_at is not None:
        return f"called {_local(t.called_at)}"
    if t.slot_at is not None:
        return f"slot {_local(t.slot_at)}"
    if t.status == "waiting" and t.wait_minutes is not None:
        from popup_pos.services.printing import wait_text

        return wait_text(t.wait_minutes)
    return "—"


def cmd_tickets_list(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import tickets
    from popup_pos.services.printing import wait_text

    state = tickets.state(uow)
    shown = [t for t in state.tickets if args.all or t.status in OPEN]
    summary = f"{state.waiting} waiting, {state.called} called"
    if state.walk_in_minutes < 1:
        print(f"{summary}; a ticket sold now is served next")
    else:
        print(f"{summary}; a ticket sold now waits {wait_text(state.walk_in_minutes)}")
    if not shown:
        print("No tickets to serve." if not args.all else "No tickets yet.")
        return 0
    rows = [
        (
            t.code,
            t.number,
            t.name,
            t.personalisation or "",
            t.status.replace("_", "-"),
            _when(t),
        )
        for t in shown
    ]
    header = ("CODE", "ORDER", "EXPERIENCE", "FOR", "STATUS", "SLOT / WAIT")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0


def cmd_tickets_slips(args: argparse.Namespace, uow: UnitOfWork) -> int:
    from popup_pos.services import printing

    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist: cannot write {out.name}")
    if out.is_dir():
        raise UsageError(f"{args.out!r} is a folder: give a file name such as slips.pdf")
    done = printing.print_ticket_slips(uow, args.order, out, width_mm=args.width)
    slips = f"{done.slips} ticket slip{'s' if done.slips != 1 else ''}"
    print(f"Wrote {slips} of order {done.order_number} ({done.width_mm} mm) to {out}")
    return 0
