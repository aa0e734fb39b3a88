"""The micro-gig queue's actions: call the next fan, call a scanned ticket, move one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.gui.lazy import Deferred

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow
    from popup_pos.services import tickets
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    tickets = Deferred("popup_pos.services.tickets")


def call_next_gig(self: MainWindow) -> None:
    try:
        called = tickets.call_next(self.uow, actor=self.staff.name)
        found = tickets.find(self.uow, called) if called is not None else None
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.queue_tabs.setCurrentIndex(1)
    self.panel.say("Nobody is waiting" if found is None else _called(found), "info")
    self.refresh()
    if found is not None:
        self.gigs.select(found.id)


def call_gig(self: MainWindow, ticket_id: int) -> None:
    """A ticket slip was scanned: call that fan up (or show them, if already called)."""
    try:
        was = tickets.find(self.uow, ticket_id)
        t = tickets.call(self.uow, ticket_id, actor=self.staff.name)
    except PosError as exc:
        self.sounds.buzz()
        self.panel.say(str(exc), "error")
        return
    self.sounds.beep()
    self.queue_tabs.setCurrentIndex(1)
    already = was is not None and was.status not in ("waiting",)
    self.panel.say(
        f"{t.code} is {t.status.replace('_', '-')}: {t.name}" if already else _called(t),
        "warn" if already else "info",
    )
    self.refresh()
    self.gigs.select(t.id)


def move_gig(self: MainWindow, ticket_id: int, status: str) -> None:
    try:
        tickets.move(self.uow, ticket_id, status, actor=self.staff.name)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.refresh()


def _called(t: tickets.TicketView) -> str:
    who = f" for {t.personalisation}" if t.personalisation else ""
    return f"Called {t.code}: {t.name}{who} ({t.number})"
