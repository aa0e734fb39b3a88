"""The customer-facing window: the cart as it is built, the payment QR, then thank you."""

from __future__ import annotations

import html
from collections.abc import Sequence

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

# Download codes shown as QR side by side; any more are listed as text.
MAX_CODES_SHOWN = 3


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
        self.wait = QLabel("")
        self.wait.setObjectName("customerHint")
        self.wait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wait.setVisible(False)
        col.addWidget(self.wait)
        self.total = QLabel("")
        self.total.setObjectName("customerTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.total)
        self._cart_column = col
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
        self.qrs = [_qr_column(row, stretch=1) for _ in range(3)]
        col.addLayout(row, 1)
        self.pay_hint = QLabel("")
        self.pay_hint.setObjectName("customerHint")
        self.pay_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pay_hint.setWordWrap(True)
        col.addWidget(self.pay_hint)
        self._pages.addWidget(pay_page)

        # Thank-you page: a QR and the text of each download code, then micro-gig tickets
        thanks_page = QWidget()
        col = QVBoxLayout(thanks_page)
        self.thanks = QLabel("Thank you!")
        self.thanks.setObjectName("customerTotal")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.thanks)
        row = QHBoxLayout()
        row.addStretch(1)  # centred, however many codes there are
        self.code_qrs = [_qr_column(row, stretch=0) for _ in range(MAX_CODES_SHOWN)]
        for _qr, caption in self.code_qrs:
            caption.setWordWrap(True)
            caption.setTextFormat(Qt.TextFormat.RichText)
        row.addStretch(1)
        col.addLayout(row, 1)
        self.code_text = QLabel("")
        self.code_text.setObjectName("customerHint")
        self.code_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_text.setWordWrap(True)
        col.addWidget(self.code_text)
        self._pages.addWidget(thanks_page)

    def add_tip_choice(self, choice: QWidget) -> None:
        """The tip keys (gui/tip_choice.py) under the total, for the customer to tap."""
        self._cart_column.addWidget(choice)

    @property
    def page(self) -> str:
        return ("cart", "pay", "thanks")[self._pages.currentIndex()]

    def show_cart(self, cart: CartSession, wait: str | None = None) -> None:
        """The cart as it is built; `wait` says when a micro-gig in it would happen."""
        self.wait.setText(wait or "")
        self.wait.setVisible(bool(wait))
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

    def show_thanks(
        self,
        message: str = "Thank you!",
        *,
        codes: Sequence[tuple[str, str]] = (),
        gigs: Sequence[str] = (),
    ) -> None:
        """`codes`: (item name, download code) to show as QR and text; `gigs`: one line per
        micro-gig ticket (its code and when)."""
        self.thanks.setText(message)
        for i, (qr, caption) in enumerate(self.code_qrs):
            shown = i < len(codes)
            qr.set_payload(codes[i][1] if shown else None)
            caption.setText(_code_caption(*codes[i]) if shown else "")
            qr.setVisible(shown)
            caption.setVisible(shown)
        more = [f"{name}: {code}" for name, code in codes[MAX_CODES_SHOWN:]]
        notes = ["Your download code is also on your receipt"] if codes else []
        self.code_text.setText("\n".join([*more, *gigs, *notes]))
        self._pages.setCurrentIndex(2)

    @property
    def shown_codes(self) -> list[str]:
        """The download codes on the thank-you page now (what a test or a seller checks)."""
        return [p for qr, _c in self.code_qrs if qr.isVisibleTo(self) and (p := qr.payload())]


def _qr_column(row: QHBoxLayout, *, stretch: int) -> tuple[QrWidget, QLabel]:
    """A large QR with a caption under it, added to `row`."""
    box = QVBoxLayout()
    qr = QrWidget()
    qr.setMinimumSize(260, 260)
    caption = QLabel("")
    caption.setObjectName("customerHint")
    caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if stretch:
        box.addWidget(qr, 1)  # as large as its share of the row
    else:
        box.addWidget(qr, 1, Qt.AlignmentFlag.AlignHCenter)
    box.addWidget(caption)
    row.addLayout(box, stretch)
    return qr, caption


def _code_caption(name: str, code: str) -> str:
    """The item in the hint's size, the code itself large enough to copy from two metres."""
    return (
        f"{html.escape(name)}<br><span style='font-size: 40px; font-weight: bold;'>"
        f"{html.escape(code)}</span>"
    )
