"""Refund an order: all of it or some lines, with or without putting items back on sale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.worker import run_in_background
from popup_pos.services import checkout, database, payments

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class RefundDialog(QDialog):
    """The organizer picks how many of each line go back; the money returns to its tenders."""

    def __init__(
        self, uow: UnitOfWork, order_id: int, *, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.order_id, self.actor = uow, order_id, actor
        self.result_text = ""
        self.order = checkout.get_order(uow, order_id)
        cur = self.order.currency
        self.setWindowTitle(f"Refund {self.order.number}")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{self.order.number}: paid {format_money(self.order.paid_cents, cur)}"
                f", refunded so far {format_money(self.order.refunded_cents, cur)}"
            )
        )
        self.table = QTableWidget(len(self.order.lines), 3)
        self.table.setHorizontalHeaderLabels(["Refund", "Item", "Line total"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.spins: list[tuple[int, QSpinBox]] = []
        for row, ln in enumerate(self.order.lines):
            spin = QSpinBox()
            left = ln.quantity - ln.refunded_quantity
            spin.setRange(0, left)
            spin.setValue(left)
            spin.setSuffix(f" of {left}")
            spin.valueChanged.connect(self._show_amount)
            self.table.setCellWidget(row, 0, spin)
            self.table.setItem(row, 1, QTableWidgetItem(ln.name))
            self.table.setItem(row, 2, QTableWidgetItem(format_money(ln.total_cents, cur)))
            self.spins.append((ln.id, spin))
        layout.addWidget(self.table, 1)
        self.restock = QCheckBox("Put the items back on sale")
        self.restock.setChecked(True)
        layout.addWidget(self.restock)
        self.message = QLabel("")
        self.message.setObjectName("notice")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.refund_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        # Enter never refunds: the button names the amount and has to be pressed.
        self.refund_button.setAutoDefault(False)
        self.refund_button.setDefault(False)
        buttons.accepted.connect(self._refund)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self._show_amount()

    def _picked(self) -> tuple[dict[int, int], bool]:
        picked = {line_id: spin.value() for line_id, spin in self.spins if spin.value()}
        everything = all(spin.value() == spin.maximum() for _, spin in self.spins)
        return picked, everything

    def _show_amount(self) -> None:
        picked, everything = self._picked()
        amount = checkout.refund_amount(self.order, None if everything else picked)
        money = format_money(amount, self.order.currency)
        self.refund_button.setText(f"Refund {money}" if picked else "Refund")
        self.refund_button.setEnabled(bool(picked))

    def _refund(self) -> None:
        picked, everything = self._picked()
        if not picked:
            self.message.setText("Choose at least one item to refund")
            return
        worker = database.for_worker(self.uow)
        order_id, restock, actor = self.order_id, self.restock.isChecked(), self.actor

        def refund() -> payments.RefundReport:
            # Card and QR money goes back through Stripe, which can take seconds: never
            # on the GUI thread.
            return payments.refund_to_tenders(
                worker,
                order_id,
                lines=None if everything else picked,
                return_to_stock=restock,
                reason="refund at the register",
                actor=actor,
            )

        self.buttons.setEnabled(False)
        self.message.setText("Refunding…")
        run_in_background(refund, self._refunded, self._failed, parent=self)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        self.message.setText(text if isinstance(error, PosError) else f"Refund failed: {text}")

    def _refunded(self, report: payments.RefundReport) -> None:
        result, cur = report.result, self.order.currency
        tenders = ", ".join(f"{format_money(a, cur)} {t}" for t, a in result.by_tender.items())
        text = f"{result.number} refunded {format_money(result.amount_cents, cur)} ({tenders})"
        self.result_text = text + "".join(
            f"; {format_money(r.amount_cents, cur)} {_STRIPE_STATES.get(r.state, r.state)}"
            + (f" ({r.message})" if r.state == "failed" and r.message else "")
            for r in report.stripe
        )
        self.accept()


_STRIPE_STATES = {
    "succeeded": "refunded by Stripe",
    "pending": "sent to Stripe",
    "waiting": "to Stripe once it is back online",
    "failed": "refused by Stripe: give it back another way",
}
