"""The cart beside the tiles: lines, totals, the one-line notice, tender keys and change due."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.cash import quick_cash_keys
from popup_pos.domain.money import format_money, format_percent
from popup_pos.domain.pricing import DiscountKind, OrderTotals
from popup_pos.gui.messages import Lasts, NoticeLine
from popup_pos.gui.tip_choice import TipChoice
from popup_pos.services.cart import CartSession

# The theme's size for the change due, and the least it may shrink to in a narrow panel.
CHANGE_PT = 56
MIN_CHANGE_PT = 16

# A line of the cart; five of them always show (see the table's minimum height).
ROW_HEIGHT = 34
MIN_VISIBLE_ROWS = 5
# Tender keys: tall enough for a thumb, short enough for three rows on a 720-pixel screen.
KEY_HEIGHT = 46


class CartPanel(QFrame):
    """Shows a CartSession; every button here asks the main window to act (signals)."""

    cash_exact = Signal()
    cash_given = Signal(int)
    cash_keypad = Signal()
    tip_picked = Signal(object)  # a Tip, or None for no tip
    tip_custom = Signal()
    wallet_qr = Signal()
    stripe_qr = Signal()
    card_reader = Signal()
    park = Signal()
    plus = Signal()
    minus = Signal()
    remove = Signal()
    line_discount = Signal()
    order_discount = Signal()
    custom_amount = Signal()
    new_sale = Signal()
    split = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartPanel")
        self._cart: CartSession | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)

        self.title = QLabel("New sale")
        self.title.setObjectName("cartTitle")
        # A long title ("A-0042 — awaiting payment · for …") wraps rather than widening
        # the cart past a laptop screen.
        self.title.setWordWrap(True)
        layout.addWidget(self.title)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Qty", "Item", "Total"])
        self.table.verticalHeader().setVisible(False)
        # Quantity, item and total read plainly without a header row; that row is a sixth
        # line of the cart on a 720-pixel screen.
        self.table.horizontalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        # Five lines always show, on a 1280×720 laptop too; a bigger screen shows more.
        frame = 2 * self.table.frameWidth()
        self.table.setMinimumHeight(MIN_VISIBLE_ROWS * ROW_HEIGHT + frame)

        # Change due takes the lines' place: the cart is empty once a sale is paid, and the
        # figure stays whole and big until the next scan without pushing the keys down.
        self.change = QLabel("")
        self.change.setObjectName("changeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change.setWordWrap(True)
        self.lines_stack = QStackedWidget()
        self.lines_stack.addWidget(self.table)
        self.lines_stack.addWidget(self.change)
        layout.addWidget(self.lines_stack, 1)

        edit = QGridLayout()
        buttons = [
            ("−", "One less (-)", self.minus), ("+", "One more (+)", self.plus),
            ("Remove", "Remove the line (Del)", self.remove),
            ("Line %", "Discount this line (Ctrl+D)", self.line_discount),
            ("Order %", "Discount the whole order (Ctrl+Shift+D)", self.order_discount),
            ("Custom", "A custom amount with a note (Ctrl+K)", self.custom_amount),
        ]  # fmt: skip
        for i, (text, tip, signal) in enumerate(buttons):
            b = QPushButton(text)
            b.setObjectName("cartEdit")
            b.setToolTip(tip)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(signal.emit)
            edit.addWidget(b, 0, i)
        layout.addLayout(edit)

        # The subtotals sit under the caption, beside the total: one row less to fit.
        total_row = QHBoxLayout()
        left = QVBoxLayout()
        left.setSpacing(0)
        caption = QLabel("TOTAL")
        caption.setObjectName("totalCaption")
        self.total_caption = caption
        left.addWidget(caption)
        self.lines_label = QLabel()
        self.lines_label.setObjectName("subtotals")
        self.lines_label.setWordWrap(True)
        left.addWidget(self.lines_label)
        total_row.addLayout(left, 1)
        self.total = QLabel("—")
        self.total.setObjectName("total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The total is never squeezed: the subtotals wrap first.
        self.total.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        total_row.addWidget(self.total, 0)
        layout.addLayout(total_row)

        # After a part payment: the tenders that paid, which stay until the order is done.
        self.paid_list = QLabel("")
        self.paid_list.setObjectName("paidTenders")
        self.paid_list.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.paid_list.setWordWrap(True)
        self.paid_list.hide()
        layout.addWidget(self.paid_list)

        # When the event offers tips: the choice comes before the tender (no tip if none).
        self.tips = TipChoice()
        self.tips.picked.connect(self.tip_picked.emit)
        self.tips.custom.connect(self.tip_custom.emit)
        layout.addWidget(self.tips)

        # Two lines' room, more when a message needs it: it wraps, never cut off.
        self.notice = NoticeLine()
        layout.addWidget(self.notice)

        # Three rows of four: cash and its round amounts; the other tenders and split;
        # park and a new sale. Every key keeps its own cell, so none overlaps another.
        keys = QGridLayout()
        keys.setSpacing(6)
        self.exact = self._key("Cash exact\nF5", primary=True)
        self.exact.clicked.connect(self.cash_exact.emit)
        keys.addWidget(self.exact, 0, 0)
        self.round_keys: list[QPushButton] = []
        for i in range(3):
            b = self._key("")
            b.clicked.connect(lambda _=False, i=i: self.give_round(i))
            self.round_keys.append(b)
            keys.addWidget(b, 0, 1 + i)
        self.keypad_key = self._key("Cash…\nF4")
        self.keypad_key.setToolTip("Cash handed over, any amount: type it on a keypad (F4)")
        self.keypad_key.clicked.connect(self.cash_keypad.emit)
        self.wallet = self._key("Wallet QR\nF9")
        self.wallet.clicked.connect(self.wallet_qr.emit)
        self.stripe = self._key("Stripe QR\nF10")
        self.stripe.clicked.connect(self.stripe_qr.emit)
        self.card = self._key("Card\nF11")
        self.card.clicked.connect(self.card_reader.emit)
        self.split_key = self._key("Split\nCtrl+F5")
        self.split_key.setToolTip("Part payment in cash, the rest by card, QR or wallet")
        self.split_key.clicked.connect(self.split.emit)
        for col, b in enumerate((self.wallet, self.stripe, self.card, self.split_key)):
            keys.addWidget(b, 1, col)
        self.park_key = self._key("Park\nF12")
        self.park_key.clicked.connect(self.park.emit)
        self.new_key = self._key("New sale\nEsc")
        self.new_key.clicked.connect(self.new_sale.emit)
        keys.addWidget(self.keypad_key, 2, 0)
        keys.addWidget(self.park_key, 2, 1)
        keys.addWidget(self.new_key, 2, 2, 1, 2)
        # Cash exact is pressed most: its column is a little wider.
        for col, stretch in enumerate((5, 4, 4, 4)):
            keys.setColumnStretch(col, stretch)
        layout.addLayout(keys)
        self._round_amounts: list[int] = []
        self._wallet_ready = True

    def _key(self, text: str, *, primary: bool = False) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName("tender")
        b.setProperty("primary", primary)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setMinimumHeight(KEY_HEIGHT)
        # Ignored width: the grid, not the label, decides each key's share of the row.
        b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        return b

    def _show_lines(self, cart: CartSession, totals: OrderTotals | None) -> None:
        self.table.setRowCount(len(cart.lines))
        for row, line in enumerate(cart.lines):
            lt = totals.lines[row] if totals else None
            name = line.title
            if line.discount is not None:
                off = (
                    format_percent(line.discount.value)
                    if line.discount.kind is DiscountKind.PERCENT
                    else format_money(line.discount.value, cart.currency)
                )
                name += f"  (−{off})"
            if line.personalisation:
                name += f"  for {line.personalisation}"
            cells = [str(line.quantity), name, format_money(lt.total if lt else 0, cart.currency)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)

    def give_round(self, i: int) -> None:
        """The i-th round cash amount was handed over."""
        if i < len(self._round_amounts):
            self.cash_given.emit(self._round_amounts[i])

    # ---- showing ------------------------------------------------------------------------

    def show_cart(
        self,
        cart: CartSession,
        *,
        title: str = "New sale",
        due: int | None = None,
        paid: str = "",
        offer_tip: bool = True,
    ) -> None:
        """The cart, or an order being paid: with `due` (after a part payment) the big
        figure is what is still due, `paid` names the tenders that paid, and the quick-cash
        keys are worked out from the due amount."""
        self._cart = cart
        self.title.setText(title)
        selected = self.selected_row()
        totals = cart.totals() if cart.lines else None
        self._show_lines(cart, totals)
        if cart.lines:
            keep = selected if 0 <= selected < len(cart.lines) else len(cart.lines) - 1
            if keep != selected:  # selecting costs a fifth of a scan; skip it when done
                self.table.selectRow(keep)
            self.lines_stack.setCurrentWidget(self.table)
        cur = cart.currency
        if totals is None:
            self.lines_label.setText("Scan or tap an item")
            self.total.setText(format_money(0, cur))
        else:
            self.lines_label.setText(_subtotals(totals, cur))
            self.total.setText(format_money(totals.total, cur))
        part_paid = due is not None and bool(paid)
        self.total_caption.setText("STILL DUE" if part_paid else "TOTAL")
        self.paid_list.setText(paid)
        self.paid_list.setVisible(bool(paid))
        if due is not None:
            self.total.setText(format_money(due, cur))
            if totals is not None and part_paid:
                self.lines_label.setText(f"Total {format_money(totals.total, cur)}")
        owed = due if due is not None else (totals.total if totals else 0)
        # An order already placed keeps its tip; a new cart can still choose one.
        self.tips.show_for(
            totals.total - totals.tip if totals else 0,
            cur,
            cart.tip,
            offer=offer_tip and due is None and totals is not None,
        )
        self._round_amounts = list(quick_cash_keys(owed, cur))
        for i, b in enumerate(self.round_keys):
            if i < len(self._round_amounts):
                b.setText(f"{format_money(self._round_amounts[i], cur)}\nF{6 + i}")
                b.setEnabled(True)
            else:
                b.setText(f"—\nF{6 + i}")
                b.setEnabled(False)
        has = bool(cart.lines)
        for b in (self.exact, self.park_key, self.keypad_key, self.split_key):
            b.setEnabled(has)
        self.wallet.setEnabled(has and self._wallet_ready)
        self.notice.cart_changed(_shape(cart))

    def set_stripe_ready(self, ready: bool, why: str = "Set up Stripe in Settings") -> None:
        for b, name in ((self.stripe, "Stripe QR\nF10"), (self.card, "Card\nF11")):
            b.setEnabled(ready)
            b.setToolTip("" if ready else why)
            b.setText(name if ready else f"{name.split(chr(10))[0]}\nno key")

    def set_wallet_ready(self, ready: bool, why: str = "") -> None:
        """A wallet key with no wallet set up is visibly off, its reason in the tooltip."""
        self._wallet_ready = ready
        self.wallet.setEnabled(ready and bool(self._cart and self._cart.lines))
        self.wallet.setToolTip("" if ready else why)
        self.wallet.setText("Wallet QR\nF9" if ready else "Wallet QR\nno handle")

    def say(self, text: str, level: str = "info", *, lasts: Lasts | None = None) -> None:
        """The notice: refusals and confirmations, never a dialog (see NoticeLine)."""
        self.notice.say(text, level, lasts=lasts)

    def show_change(self, text: str) -> None:
        """The change due, whole: as large as the theme has it, smaller only if it must be."""
        self.change.setText(text)
        self.lines_stack.setCurrentWidget(self.change)
        self._fit_change()

    def _fit_change(self) -> None:
        text = self.change.text()
        if not text or not self.change.isVisibleTo(self):
            return
        room = self.contentsRect().width() - 24
        font = QFont(self.change.font())
        size = CHANGE_PT
        while size > MIN_CHANGE_PT:
            font.setPointSize(size)
            if QFontMetrics(font).horizontalAdvance(text) <= room:
                break
            size -= 4
        # The panel's own rule wins over the theme's size; weight and colour stay.
        self.change.setStyleSheet(f"font-size: {size}pt;")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_change()

    def reveal(self, row: int) -> None:
        """Select line `row` and scroll it into view: the line just scanned."""
        if 0 <= row < self.table.rowCount():
            if row != self.selected_row():
                self.table.selectRow(row)
            self.table.scrollTo(self.table.model().index(row, 0))

    def visible_rows(self) -> int:
        """How many whole lines the cart shows at once at its present size."""
        return self.table.viewport().height() // self.table.verticalHeader().defaultSectionSize()

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1


def _subtotals(totals: OrderTotals, cur: str) -> str:
    parts = [f"Subtotal {format_money(totals.subtotal, cur)}"]
    if totals.discount:
        parts.append(f"Discounts −{format_money(totals.discount, cur)}")
    if totals.tax:
        incl = " incl." if not totals.exclusive_tax else ""
        parts.append(f"Tax{incl} {format_money(totals.tax, cur)}")
    if totals.tip:
        parts.append(f"Tip {format_money(totals.tip, cur)}")
    return "   ·   ".join(parts)


def _shape(cart: CartSession) -> tuple[object, ...]:
    """What the customer is buying, to tell when a message about the cart went stale."""
    lines = tuple(
        (ln.title, ln.quantity, ln.unit_price, repr(ln.discount), ln.personalisation)
        for ln in cart.lines
    )
    return (id(cart), lines, repr(cart.discount), repr(cart.tip))
