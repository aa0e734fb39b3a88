"""The customer's payment QR on the seller's own screen, and the wallet payment check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from popup_pos.gui.qr import QrWidget


class PaymentQrDialog(QDialog):
    """The QR on the seller's own screen when there is no customer display: not modal, so
    the line keeps moving; it stays until the order is paid or the seller closes it."""

    wallet_paid = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        # The QR library loads with the first QR, not with the selling screen.
        from popup_pos.gui.qr import QrWidget

        super().__init__(parent)
        self.setModal(False)
        # The seller's keys (F5, the next scan) stay with the selling screen.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.order_id: int | None = None
        col = QVBoxLayout(self)
        self.amount = QLabel("")
        self.amount.setObjectName("total")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.amount)
        row = QHBoxLayout()
        self.qrs: list[tuple[QrWidget, QLabel]] = []
        for _ in range(3):
            box = QVBoxLayout()
            qr = QrWidget()
            qr.setMinimumSize(200, 200)
            caption = QLabel("")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setWordWrap(True)
            box.addWidget(qr, 1)
            box.addWidget(caption)
            row.addLayout(box, 1)
            self.qrs.append((qr, caption))
        col.addLayout(row, 1)
        self.hint = QLabel("")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        col.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.paid_key = QPushButton("Wallet paid…")
        self.paid_key.clicked.connect(self.wallet_paid.emit)
        buttons.addWidget(self.paid_key)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        col.addLayout(buttons)

    def show_codes(
        self,
        order_id: int,
        number: str,
        codes: Sequence[tuple[str, str]],
        amount: str,
        hint: str,
        *,
        wallet: bool,
    ) -> None:
        self.order_id = order_id
        self.setWindowTitle(f"{number}: the customer scans to pay")
        self.amount.setText(amount)
        for i, (qr, caption) in enumerate(self.qrs):
            shown = i < len(codes)
            qr.set_payload(codes[i][1] if shown else None)
            caption.setText(codes[i][0] if shown else "")
            qr.setVisible(shown)
            caption.setVisible(shown)
        self.hint.setText(hint)
        self.paid_key.setVisible(wallet)
        self.show()


class WalletConfirm(QDialog):
    """'Look for $40.00 in Venmo': Enter confirms and hands over; nothing else to fill."""

    def __init__(
        self,
        number: str,
        due: str,
        wallets: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Wallet payment for {number}")
        self.hand_over = True
        col = QVBoxLayout(self)
        names = " or ".join(label for _w, label in wallets)
        self.look_for = QLabel(f"Look for {due} from {number} in {names}")
        self.look_for.setObjectName("total")
        self.look_for.setWordWrap(True)
        col.addWidget(self.look_for)
        self.wallet = QComboBox()
        for key, label in wallets:
            self.wallet.addItem(label, key)
        self.wallet.setVisible(len(wallets) > 1)
        col.addWidget(self.wallet)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Who paid (optional: name or note on the payment)")
        col.addWidget(self.reference)
        row = QHBoxLayout()
        self.now_key = QPushButton(f"{due} arrived — hand over")
        self.now_key.setDefault(True)
        self.now_key.clicked.connect(lambda: self._done(hand_over=True))
        self.later_key = QPushButton("Arrived — they collect later")
        self.later_key.setAutoDefault(False)
        self.later_key.clicked.connect(lambda: self._done(hand_over=False))
        row.addWidget(self.now_key)
        row.addWidget(self.later_key)
        col.addLayout(row)

    @property
    def chosen_wallet(self) -> str:
        return str(self.wallet.currentData())

    def _done(self, *, hand_over: bool) -> None:
        self.hand_over = hand_over
        self.accept()
