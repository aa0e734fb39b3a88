"""A keypad for the cash handed over: any amount, with the change shown as it is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.cash import change_due
from popup_pos.domain.errors import PosError
from popup_pos.domain.money import exponent, format_money, parse_amount

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "0", ".", "⌫")


class CashKeypad(QDialog):
    """Type (or tap) what the customer handed over; `tendered` holds it once accepted."""

    def __init__(self, due_cents: int, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cash handed over")
        self.due_cents = due_cents
        self.currency = currency
        self.tendered: int | None = None
        col = QVBoxLayout(self)
        self.due_label = QLabel(f"Due {format_money(due_cents, currency)}")
        self.due_label.setObjectName("totalCaption")
        col.addWidget(self.due_label)
        self.entry = QLineEdit()
        self.entry.setObjectName("keypadEntry")
        self.entry.setPlaceholderText("Amount handed over")
        self.entry.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.entry.textChanged.connect(self._update)
        self.entry.returnPressed.connect(self.take)
        col.addWidget(self.entry)
        grid = QGridLayout()
        for i, key in enumerate(KEYS):
            if key == "." and exponent(currency) == 0:
                continue
            b = QPushButton(key)
            b.setObjectName("keypadKey")
            b.setMinimumSize(64, 56)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
        col.addLayout(grid)
        self.change = QLabel(" ")
        self.change.setObjectName("changeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change.setWordWrap(True)
        col.addWidget(self.change)
        self.take_key = QPushButton("Take cash")
        self.take_key.setObjectName("tender")
        self.take_key.setProperty("primary", True)
        self.take_key.setEnabled(False)
        self.take_key.clicked.connect(self.take)
        col.addWidget(self.take_key)
        self.entry.setFocus()

    def press(self, key: str) -> None:
        if key == "⌫":
            self.entry.backspace()
        else:
            self.entry.insert(key)

    def _amount(self) -> tuple[int | None, str]:
        """The amount typed and the change, or None and what is wrong with it."""
        text = self.entry.text().strip()
        if not text:
            return None, " "
        try:
            handed = parse_amount(text, self.currency, what="amount handed over")
            change = change_due(self.due_cents, handed, self.currency)
        except PosError as exc:
            return None, str(exc)
        return handed, f"Change {format_money(change, self.currency)}"

    def _update(self) -> None:
        handed, text = self._amount()
        self.change.setText(text)
        self.take_key.setEnabled(handed is not None)

    def take(self) -> None:
        handed, text = self._amount()
        if handed is None:
            self.change.setText(text if text.strip() else "Type the amount handed over")
            return
        self.tendered = handed
        self.accept()
