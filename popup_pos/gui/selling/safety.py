"""Keys and questions that keep a sale safe: confirmations, the organizer's approval,
cart keys from anywhere in the app, and who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from popup_pos.services.cart import OrganizerNeededError

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services.staff import Approval
    from popup_pos.services.views import StaffInfo


def confirm(parent: QWidget, title: str, text: str, yes: str, no: str = "Keep it") -> bool:
    """Ask before something that cannot be taken back; the safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def may_close(self: SellingWindow) -> bool:
    """Closing the register with orders awaiting payment asks first: their customers may
    be paying on their phones right now."""
    waiting = self.orders.lists["awaiting_payment"]
    if waiting.count() == 0:
        return True
    numbers = [waiting.item(i).text().split()[0] for i in range(waiting.count())]
    shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
    n = len(numbers)
    text = (
        f"{n} order{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} awaiting payment "
        f"({shown}). Their stock stays held until they are paid, cancelled or the hold "
        "runs out; another register (or this one, started again) can still take them."
    )
    return confirm(self, "Close the register?", text, "Close anyway", "Keep it open")


def ask_approval(self: SellingWindow, reason: str, what: str) -> Approval | None:
    """The organizer's PIN for one change; None if nobody gave it."""
    from popup_pos.gui.dialogs.pin import PinDialog

    dialog = PinDialog(
        self.uow,
        self,
        reason=reason[:1].upper() + reason[1:],
        register=self.register.code,
        approve=(what, self.staff.name),
    )
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    self.activateWindow()
    self.tiles.setFocus()
    return dialog.approval if accepted else None


def with_organizer(self: SellingWindow, change: Callable[[Approval | None], object]) -> bool:
    """Make `change` alone, or, if it is above what the person signed in may do, with
    the organizer's approval; False if it was not made."""
    try:
        change(None)
        return True
    except OrganizerNeededError as exc:
        approval = self.ask_approval(str(exc), exc.what)
        if approval is None:
            self.panel.say(f"Not changed: {exc}", "warn")
            return False
    change(approval)
    return True


def signed_in(self: SellingWindow, who: StaffInfo) -> None:
    """Someone else took the register (after the lock): their role sets the limits."""
    self.staff = who
    self.cart.role = who.role
    self._update_heading()


class _CartKeysInSearch(QObject):
    """In the search box, + changes the selected line's quantity (nothing is searched
    with +), as does − on the keypad or in an empty box: SKUs such as TEE-M keep their −."""

    def __init__(self, window: SellingWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        keypad = bool(event.modifiers() & Qt.KeyboardModifier.KeypadModifier)
        text = event.text()
        step = 0
        if text == "+":
            step = 1
        elif text == "-" and (keypad or not self.window.search.text()):
            step = -1
        if not step:
            return False
        if event.type() == QEvent.Type.KeyPress:
            self.window.change_quantity(step)
        # Accepting the override keeps the box from typing it; the press is eaten here.
        event.accept()
        return True


def install(self: SellingWindow) -> None:
    self.search.installEventFilter(_CartKeysInSearch(self))
