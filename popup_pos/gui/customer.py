"""The customer-facing window: the cart as it is built, the payment QR, then thank you."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.money import format_money
from popup_pos.gui.qr import QrWidget
from popup_pos.services.cart import CartSession


class CustomerDisplay(QWidget):
    """Readable from two metres: few words, very large type, high contrast."""

    def __init__(self, shop_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        # A plain QWidget only paints the stylesheet's background when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(f"{shop_name} — customer display")
        self.resize(1024, 600)
        self._pages = QStackedLayout(self)

        # Cart page
        cart_page = QWidget()
        col = QVBoxLayout(cart_page)
        self.welcome = QLabel(shop_name)
        self.welcome.setObjectName("customerTitle")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.welcome)
        self.lines = QListWidget()
        self.lines.setObjectName("customerLines")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        col.addWidget(self.lines, 1)
        self.total = QLabel("")
        self.total.setObjectName("customerTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.total)
        self._pages.addWidget(cart_page)

        # Pay page: the amount on top, one large QR per way to pay under it
        pay_page = QWidget()
        col = QVBoxLayout(pay_page)
        self.pay_title = QLabel("Scan to pay")
        self.pay_title.setObjectName("customerTitle")
        self.pay_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pay_amount = QLabel("")
        self.pay_amount.setObjectName("customerTotal")
        self.pay_amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.pay_title)
        col.addWidget(self.pay_amount)
        row = QHBoxLayout()
        self.qrs: list[tuple[QrWidget, QLabel]] = []
        for _ in range(3):
            box = QVBoxLayout()
            qr = QrWidget()
            qr.setMinimumSize(260, 260)
            caption = QLabel("")
            caption.setObjectName("customerHint")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(qr, 1)
            box.addWidget(caption)
            row.addLayout(box, 1)
            self.qrs.append((qr, caption))
        col.addLayout(row, 1)
        self.pay_hint = QLabel("")
        self.pay_hint.setObjectName("customerHint")
        self.pay_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pay_hint.setWordWrap(True)
        col.addWidget(self.pay_hint)
        self._pages.addWidget(pay_page)

        # Thank-you page, with a download code QR when the order had one
        thanks_page = QWidget()
        col = QVBoxLayout(thanks_page)
        self.thanks = QLabel("Thank you!")
        self.thanks.setObjectName("customerTotal")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.thanks)
        self.code_qr = QrWidget()
        self.code_qr.setMinimumSize(320, 320)
        col.addWidget(self.code_qr, 1, Qt.AlignmentFlag.AlignHCenter)
        self.code_text = QLabel("")
        self.code_text.setObjectName("customerHint")
        self.code_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.code_text)
        self._pages.addWidget(thanks_page)

    @property
    def page(self) -> str:
        return ("cart", "pay", "thanks")[self._pages.currentIndex()]

    def show_cart(self, cart: CartSession) -> None:
        self.lines.clear()
        totals = cart.totals() if cart.lines else None
        for i, line in enumerate(cart.lines):
            amount = format_money(totals.lines[i].total, cart.currency) if totals else ""
            self.lines.addItem(f"{line.quantity} × {line.title}    {amount}")
        self.total.setText(
            f"Total {format_money(totals.total, cart.currency)}" if totals else "Welcome!"
        )
        self._pages.setCurrentIndex(0)

    def show_payment(self, codes: list[tuple[str, str]], amount: str, hint: str) -> None:
        """`codes`: (caption, payload) for each way to pay, e.g. Venmo and Cash App."""
        for i, (qr, caption) in enumerate(self.qrs):
            shown = i < len(codes)
            qr.set_payload(codes[i][1] if shown else None)
            caption.setText(codes[i][0] if shown else "")
            qr.setVisible(shown)
            caption.setVisible(shown)
        self.pay_amount.setText(amount)
        self.pay_hint.setText(hint)
        self._pages.setCurrentIndex(1)

    def show_thanks(self, message: str = "Thank you!", code: str | None = None) -> None:
        self.thanks.setText(message)
        self.code_qr.set_payload(code)
        self.code_qr.setVisible(code is not None)
        self.code_text.setText(f"Your download code: {code}" if code else "")
        self._pages.setCurrentIndex(2)
