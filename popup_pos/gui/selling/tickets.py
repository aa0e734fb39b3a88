"""The ticket queue's actions: call the next fan, call a scanned ticket, move one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.gui.lazy import Deferred
from popup_pos.services.changes import TICKETS

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import tickets
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    tickets = Deferred("popup_pos.services.tickets")


def call_next_ticket(self: SellingWindow) -> None:
    try:
        called = tickets.call_next(self.uow, actor=self.staff.name)
        found = tickets.find(self.uow, called) if called is not None else None
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.show_queue(1)
    self.panel.say("Nobody is waiting" if found is None else _called(found), "info")
    self.changed(TICKETS)
    if found is not None:
        self.tickets.select(found.id)
        _now_serving(self, found)


def call_ticket(self: SellingWindow, ticket_id: int) -> None:
    """A ticket slip was scanned: call that fan up (or show them, if already called)."""
    try:
        was = tickets.find(self.uow, ticket_id)
        t = tickets.call(self.uow, ticket_id, actor=self.staff.name)
    except PosError as exc:
        self.sounds.buzz()
        self.panel.say(str(exc), "error")
        return
    self.sounds.beep()
    self.show_queue(1)
    already = was is not None and was.status not in ("waiting",)
    self.panel.say(
        f"{t.code} is {t.status.replace('_', '-')}: {t.name}" if already else _called(t),
        "warn" if already else "info",
    )
    self.changed(TICKETS)
    self.tickets.select(t.id)
    _now_serving(self, t)


def move_ticket(self: SellingWindow, ticket_id: int, status: str) -> None:
    try:
        tickets.move(self.uow, ticket_id, status, actor=self.staff.name)
        moved = tickets.find(self.uow, ticket_id) if self.customer is not None else None
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    if self.customer is not None and moved is not None and moved.status != "called":
        self.customer.clear_now_serving(moved.code)
    self.changed(TICKETS)


def _now_serving(self: SellingWindow, t: tickets.TicketView) -> None:
    """The called fan's ticket on the customer display, big, over whatever it shows."""
    if self.customer is not None and t.status == "called":
        who = f" for {t.personalisation}" if t.personalisation else ""
        self.customer.show_now_serving(t.code, f"{t.name}{who}")


def _called(t: tickets.TicketView) -> str:
    who = f" for {t.personalisation}" if t.personalisation else ""
    return f"Called {t.code}: {t.name}{who} ({t.number})"
