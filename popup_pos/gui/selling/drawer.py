"""Paid in, paid out and no-sale from the register: an organizer or seller, with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.gui.lazy import Deferred

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import drawer
else:
    drawer = Deferred("popup_pos.services.drawer")

KINDS = (("paid_in", "Paid in"), ("paid_out", "Paid out"), ("no_sale", "No sale (open the drawer)"))


class DrawerDialog(QDialog):
    """What went in or out of the drawer, how much and why; refused in one line if wrong."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cash drawer")
        self.currency = currency
        self.amount_cents = 0
        form = QFormLayout(self)
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("What", self.kind)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 20 or 7.50")
        form.addRow("Amount", self.amount)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. change from the bank, ice for the cooler")
        self.reason.setMaxLength(200)
        form.addRow("Reason", self.reason)
        self.error = QLabel("")
        self.error.setObjectName("notice")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def chosen(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        self.amount.setEnabled(self.chosen != "no_sale")

    def check(self) -> None:
        if self.chosen != "no_sale":
            try:
                self.amount_cents = parse_amount(self.amount.text(), self.currency)
            except PosError as exc:
                self.error.setText(str(exc))
                return
            if self.amount_cents <= 0:
                self.error.setText("the amount must be more than zero")
                return
        if not self.reason.text().strip():
            self.error.setText("say why the drawer was opened (the reason is empty)")
            return
        self.accept()


def open_drawer(self: SellingWindow) -> None:
    """Paid in, paid out or no-sale, recorded with the reason and who did it."""
    if self.staff.role == "helper" and not self.require_organizer("open the cash drawer"):
        return
    dialog = DrawerDialog(self.cart.currency, self)
    accepted = dialog.exec()
    self._back_to_selling()
    if not accepted:
        return
    kind, reason = dialog.chosen, dialog.reason.text()
    who = {"actor": self.staff.name, "register": self.register.code}
    try:
        if kind == "paid_in":
            drawer.paid_in(self.uow, dialog.amount_cents, reason, **who)
        elif kind == "paid_out":
            drawer.paid_out(self.uow, dialog.amount_cents, reason, **who)
        else:
            drawer.no_sale(self.uow, reason, **who)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    cur = self.cart.currency
    amount = "" if kind == "no_sale" else f" {format_money(dialog.amount_cents, cur)}"
    label = dict(KINDS)[kind].split(" (")[0]
    self.panel.say(f"{label}{amount}: {' '.join(reason.split())}", "info")
