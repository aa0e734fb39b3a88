"""Stock from the catalog: count in by scanning each unit or typing a number, adjust with a
reason, and a variant's ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import MAX_QUANTITY
from popup_pos.gui.dialogs.kit import _primary, _roomy, _say, fit_to_screen
from popup_pos.services import catalog, inventory, products

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

# How the ledger names each kind of movement.
MOVEMENT_WORDS = {
    "count_in": "Counted in",
    "sale": "Sold",
    "sale_cancel": "Sale cancelled",
    "refund_return": "Refund, back on sale",
    "adjustment": "Adjusted",
    "comp": "Given away",
    "count_out": "Counted out",
}


class CountInDialog(QDialog):
    """Scan each unit (every scan counts one in at once), or type an SKU and a number."""

    def __init__(
        self, uow: UnitOfWork, *, actor: str, sku: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.actor = uow, actor
        self.counted: dict[str, int] = {}
        _roomy(self)
        self.setWindowTitle("Count stock in")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Scan each unit: every scan counts one in. Or type the SKU, the number and Add.")
        )
        form = QFormLayout()
        self.code = QLineEdit(sku)
        self.code.setObjectName("countCode")
        self.code.setPlaceholderText("Scan a label or type an SKU")
        self.code.returnPressed.connect(self.scanned)
        self.qty = QSpinBox()
        self.qty.setObjectName("countQty")
        self.qty.setRange(1, MAX_QUANTITY)
        add = QPushButton("&Add this many")
        add.setObjectName("countAdd")
        add.clicked.connect(self.add_typed)
        row = QHBoxLayout()
        row.addWidget(self.qty)
        row.addWidget(add)
        form.addRow("&SKU or barcode", self.code)
        number = QLabel("&Number")
        number.setBuddy(self.qty)  # a row of two widgets has no buddy of its own
        form.addRow(number, row)
        layout.addLayout(form)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("counted")
        self.table.setHorizontalHeaderLabels(["SKU", "Counted in now", "On hand"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        done = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        done.rejected.connect(self.accept)
        layout.addWidget(done)
        fit_to_screen(self, self.sizeHint().expandedTo(self.minimumSizeHint()) * 1.4)

    def scanned(self) -> None:
        self._count(self.code.text(), 1)

    def add_typed(self) -> None:
        self._count(self.code.text(), self.qty.value())

    def _count(self, code: str, n: int) -> None:
        code = code.strip()
        self.code.clear()
        self.code.setFocus()
        if not code:
            return
        found = catalog.find_by_code(self.uow, code)
        if found is None:
            _say(self.notice, f"{code!r} is not in the catalog: add it first")
            return
        try:
            result = inventory.count_in(self.uow, found.sku, n, actor=self.actor)
        except PosError as exc:
            _say(self.notice, str(exc))
            return
        self.counted[found.sku] = self.counted.get(found.sku, 0) + n
        self._show(found.sku, result.on_hand)
        _say(self.notice, f"{found.label}: {n} in, {result.on_hand} on hand", "info")

    def _show(self, sku: str, on_hand: int) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == sku:
                break
        else:
            r = 0
            self.table.insertRow(0)
        for col, text in enumerate((sku, str(self.counted[sku]), str(on_hand))):
            self.table.setItem(r, col, QTableWidgetItem(text))


class AdjustDialog(QDialog):
    """A correction of one variant's stock, up or down, with the reason for the ledger."""

    def __init__(
        self, uow: UnitOfWork, sku: str, *, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.sku, self.actor = uow, sku, actor
        self.result_on_hand: int | None = None
        _roomy(self)
        self.setWindowTitle(f"Adjust the stock of {sku}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.delta = QSpinBox()
        self.delta.setObjectName("adjustDelta")
        self.delta.setRange(-MAX_QUANTITY, MAX_QUANTITY)
        self.delta.setToolTip("Minus for units gone (damaged, lost), plus for units found")
        self.reason = QLineEdit()
        self.reason.setObjectName("adjustReason")
        self.reason.setPlaceholderText("damaged, found, recount…")
        form.addRow("&Change (−2, +1)", self.delta)
        form.addRow("&Reason", self.reason)
        layout.addLayout(form)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Adjust")
        _primary(ok)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def apply(self) -> None:
        try:
            result = inventory.adjust(
                self.uow, self.sku, self.delta.value(), self.reason.text(), actor=self.actor
            )
        except PosError as exc:
            _say(self.notice, str(exc))
            return
        self.result_on_hand = result.on_hand
        self.accept()


class LedgerDialog(QDialog):
    """Every stock movement of one variant, newest first."""

    def __init__(
        self, uow: UnitOfWork, variant_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        _roomy(self)
        self.setWindowTitle(f"Stock ledger — {title}")
        rows = products.ledger(uow, variant_id)
        layout = QVBoxLayout(self)
        total = sum(r.quantity for r in rows)
        moves = f"{len(rows)} movement{'s' if len(rows) != 1 else ''}"
        layout.addWidget(QLabel(f"{moves}; they add up to {total} on hand"))
        self.table = QTableWidget(len(rows), 4)
        self.table.setObjectName("ledger")
        self.table.setHorizontalHeaderLabels(["When", "What", "Units", "Reason"])
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(rows):
            reason = row.reason or (f"order {row.order_id}" if row.order_id else "")
            cells = (
                f"{row.at.astimezone():%Y-%m-%d %H:%M}",  # the laptop's local time
                MOVEMENT_WORDS.get(row.kind, row.kind),
                f"{row.quantity:+d}",
                reason,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout.addWidget(close)
        from PySide6.QtCore import QSize

        fit_to_screen(self, QSize(820, 560))
