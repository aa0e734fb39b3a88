"""The customer-facing window: the cart, one payment QR at a time, thank you and change due."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.money import format_money
from popup_pos.gui import theme
from popup_pos.gui.qr import QrWidget
from popup_pos.services.cart import CartSession

# Download codes shown as QR side by side; any more are listed as text.
MAX_CODES_SHOWN = 3
# With several ways to pay, each QR stays this long before the next one comes up: long
# enough to open a wallet app and aim, short enough that nobody waits for theirs.
ROTATE_MS = 8000
# The least pixel size of any text on the display: read from two metres away.
MIN_TEXT_PX = 28
# The least window size that fits every page; a 1280x720 laptop has room for it.
MIN_SIZE = (800, 560)

# Pixel sizes as fractions of the window height, so a 1080p screen gets bigger type.
_LINE = 0.046
_TITLE = 0.06
_HINT = 0.042
_TOTAL = 0.1
_CHANGE = 0.15

_STYLE = f"""
QWidget#customerScreen {{ background: #000000; color: {theme.TEXT}; }}
QWidget#customerScreen QLabel {{ color: {theme.TEXT}; background: transparent; }}
QWidget#customerScreen QLabel[muted="true"] {{ color: {theme.TEXT_MUTED}; }}
QWidget#customerScreen QLabel#cdChange {{ color: {theme.GREEN}; }}
QWidget#customerScreen QLabel#cdServing {{
    color: {theme.ON_ACCENT}; background: {theme.AMBER}; padding: 4px 16px;
}}
QWidget#customerScreen QScrollArea, QWidget#customerScreen QScrollArea > QWidget > QWidget {{
    background: #000000; border: none;
}}
QWidget#customerScreen QFrame#cdLine {{ border-bottom: 1px solid {theme.RAISED}; }}
QWidget#customerScreen QPushButton#cdWallet {{
    color: {theme.TEXT}; background: {theme.SURFACE}; border: 2px solid {theme.BORDER};
    border-radius: 10px; padding: 4px 16px;
}}
QWidget#customerScreen QPushButton#cdWallet:checked {{
    color: {theme.ON_ACCENT}; background: {theme.TEXT}; border-color: {theme.TEXT};
}}
"""


class CustomerDisplay(QWidget):
    """Readable from two metres: few words, very large type, high contrast.

    The register drives it with a few calls; each shows one page:

    - :meth:`present` puts the window up: full screen on a second monitor when there is
      one, else a normal window.
    - :meth:`show_cart` (page ``cart``): the lines as they are scanned, and the total.
    - :meth:`show_payment` (page ``pay``): the amount and one payment QR at a time.
    - :meth:`show_thanks` and :meth:`show_change` (page ``thanks``): thank you, download
      codes as QR, tickets, and the change due. They stay until the next sale
      starts (a cart with a line in it, a payment or another page); an empty cart, as the
      register shows after every sale, leaves them up.
    - :meth:`show_now_serving` / :meth:`clear_now_serving`: a banner over every page.
    - :meth:`add_page` / :meth:`show_page`: further pages (a tip choice) by name.
    """

    def __init__(self, shop_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        # The register keeps the keyboard: showing this window must not take the focus.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setObjectName("customerScreen")
        # A plain QWidget only paints the stylesheet's background when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(f"{shop_name} — customer display")
        self.setMinimumSize(*MIN_SIZE)
        self.resize(1024, 600)
        self._sizes: dict[QLabel | QAbstractButton, tuple[float, int, bool]] = {}
        self._fitted: list[QLabel] = []  # one-line labels shrunk to fit the width if need be
        self._register: QWidget | None = None
        self._watching = False
        self._serving: str | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.serving = self._label("", "cdServing", _TITLE, bold=True, wrap=True)
        self.serving.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.serving.setVisible(False)
        outer.addWidget(self.serving)
        self._stack = QStackedWidget()
        outer.addWidget(self._stack, 1)
        self._page_names: list[str] = []

        self._build_cart_page(shop_name)
        self._build_pay_page()
        self._build_thanks_page()

        self._codes: list[tuple[str, str]] = []
        self._code_index = 0
        self._rotate = QTimer(self)
        self._rotate.setInterval(ROTATE_MS)
        self._rotate.timeout.connect(self.next_code)
        # What the thank-you page already holds for the sale that just ended.
        self._ending: set[str] = set()
        self._apply_sizes()

    # ---- building -------------------------------------------------------------------------

    def _label(
        self, text: str, name: str, share: float, *, bold: bool = False, wrap: bool = False,
        least: int = MIN_TEXT_PX, muted: bool = False,
    ) -> QLabel:  # fmt: skip
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        label.setProperty("muted", muted)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._sizes[label] = (share, least, bold)
        return label

    def _build_cart_page(self, shop_name: str) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(32, 16, 32, 16)
        self.welcome = self._label(shop_name, "cdTitle", _TITLE, bold=True, wrap=True)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.welcome)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        self._rows = QVBoxLayout(body)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(0)
        self._rows.addStretch(1)
        self._scroll.setWidget(body)
        # The line just scanned is the one the customer looks for: keep the end in view.
        bar = self._scroll.verticalScrollBar()
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high))
        col.addWidget(self._scroll, 1)
        self._line_rows: list[tuple[QFrame, QLabel, QLabel]] = []
        self.wait = self._label("", "cdHint", _HINT, wrap=True, muted=True)
        self.wait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wait.setVisible(False)
        col.addWidget(self.wait)
        self.total = self._label("", "cdTotal", _TOTAL, bold=True, least=2 * MIN_TEXT_PX)
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._fitted.append(self.total)
        col.addWidget(self.total)
        self._cart_column = col
        self._add("cart", page)

    def _build_pay_page(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(32, 12, 32, 12)
        top = QHBoxLayout()
        self.pay_title = self._label("Scan to pay", "cdTitle", _TITLE, bold=True)
        top.addWidget(self.pay_title)
        top.addStretch(1)
        self.pay_amount = self._label("", "cdTotal", _TOTAL, bold=True, least=2 * MIN_TEXT_PX)
        self.pay_amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.pay_amount)
        col.addLayout(top)
        self.qr = QrWidget()
        col.addWidget(self.qr, 1)
        self.qr_caption = self._label("", "cdTitle", _TITLE, bold=True, wrap=True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.qr_caption)
        # One key per way to pay: the customer sees which comes next, or taps theirs.
        self._wallet_row = QHBoxLayout()
        self._wallet_row.addStretch(1)
        self._wallet_keys: list[QPushButton] = []
        self._wallet_group = QButtonGroup(self)
        self._wallet_group.setExclusive(True)
        self._wallet_group.idClicked.connect(self._pick_code)
        for i in range(3):
            key = QPushButton()
            key.setObjectName("cdWallet")
            key.setCheckable(True)
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            key.setVisible(False)
            self._sizes[key] = (_HINT, MIN_TEXT_PX, True)
            self._wallet_group.addButton(key, i)
            self._wallet_row.addWidget(key)
            self._wallet_keys.append(key)
        self._wallet_row.addStretch(1)
        col.addLayout(self._wallet_row)
        self.pay_hint = self._label("", "cdHint", _HINT, wrap=True, muted=True)
        self.pay_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.pay_hint)
        self._add("pay", page)

    def _build_thanks_page(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(32, 12, 32, 12)
        self.thanks = self._label("Thank you!", "cdTitle", _TITLE, bold=True, wrap=True)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.thanks)
        self.change = self._label("", "cdChange", _CHANGE, bold=True, least=64)
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._fitted.append(self.change)
        self.tendered = self._label("", "cdHint", _HINT, wrap=True, muted=True)
        self.tendered.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.change, self.tendered):
            w.setVisible(False)
            col.addWidget(w)
        row = QHBoxLayout()
        row.setSpacing(64)  # two codes side by side never read as one
        row.addStretch(1)  # centred, however many codes there are
        # Each download code: its QR, the item's name, the code large enough to copy.
        self.code_qrs: list[tuple[QrWidget, QLabel, QLabel]] = []
        for _ in range(MAX_CODES_SHOWN):
            box = QVBoxLayout()
            box.setSpacing(4)
            qr = QrWidget()
            name = self._label("", "cdHint", _HINT, wrap=True, muted=True)
            code = self._label("", "cdCode", _TITLE, bold=True)
            box.addWidget(qr, 1)  # the QR takes the room; it paints itself centred
            for label in (name, code):
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
                box.addWidget(label)
            row.addLayout(box)
            for part in (qr, name, code):
                part.setVisible(False)
            self.code_qrs.append((qr, name, code))
        row.addStretch(1)
        col.addLayout(row, 1)
        self.code_text = self._label("", "cdHint", _HINT, wrap=True, muted=True)
        self.code_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.code_text)
        self._add("thanks", page)

    def _add(self, name: str, page: QWidget) -> None:
        self._stack.addWidget(page)
        self._page_names.append(name)

    # ---- placing the window ---------------------------------------------------------------

    def present(self, register: QWidget | None = None) -> None:
        """Show the window: full screen on a monitor other than the register's when there
        is one, else a normal window on the register's screen. It moves again when a
        monitor is plugged in or pulled out."""
        app = QGuiApplication.instance()
        if not self._watching and isinstance(app, QGuiApplication):
            self._watching = True
            app.screenAdded.connect(self._replace)
            app.screenRemoved.connect(self._replace)
        self._register = register
        self._place()

    def _replace(self, _screen: QScreen) -> None:
        if self.isVisible():
            # After the screen list settles: a removed screen is still listed during the signal.
            QTimer.singleShot(0, self._place)

    def _place(self) -> None:
        screens = QGuiApplication.screens()
        own = self._register.screen() if self._register is not None else None
        own = own or QGuiApplication.primaryScreen()
        index = screens.index(own) if own in screens else 0
        other = second_screen([s.geometry() for s in screens], index)
        if other is not None:
            self.setGeometry(screens[other].geometry())
            # Not showFullScreen(): it would activate the window and take the keyboard.
            self.setWindowState(Qt.WindowState.WindowFullScreen)
            self.show()
            return
        area = own.availableGeometry() if own is not None else QRect(0, 0, 1280, 680)
        width = max(MIN_SIZE[0], min(1024, area.width() * 3 // 4))
        height = max(MIN_SIZE[1], min(640, area.height() * 3 // 4))
        self.resize(min(width, area.width()), min(height, area.height()))
        self.setWindowState(Qt.WindowState.WindowNoState)
        self.show()

    # ---- pages ----------------------------------------------------------------------------

    def add_tip_choice(self, choice: QWidget) -> None:
        """The tip keys (gui/tip_choice.py) under the total, for the customer to tap."""
        self._cart_column.addWidget(choice)

    @property
    def page(self) -> str:
        """The name of the page shown: ``cart``, ``pay``, ``thanks`` or an added one."""
        return self._page_names[self._stack.currentIndex()]

    def add_page(self, name: str, widget: QWidget) -> None:
        """A further page (a tip choice, say), shown by :meth:`show_page`. Its labels should
        use at least ``MIN_TEXT_PX`` pixels."""
        if name in self._page_names:
            raise ValueError(f"the customer display already has a page called {name!r}")
        self._add(name, widget)

    def show_page(self, name: str) -> None:
        """Show a page by name; leaving the thank-you page starts the next sale."""
        if name != "thanks":
            self._start_sale()
        self._stack.setCurrentIndex(self._page_names.index(name))

    def _start_sale(self) -> None:
        self._ending.clear()
        self._rotate.stop()
        for w in (self.change, self.tendered):
            w.setVisible(False)

    def show_cart(self, cart: CartSession, wait: str | None = None) -> None:
        """The cart as it is built; `wait` says when an experience in it would happen.

        An empty cart leaves the thank-you page (and the change due) up: the register
        starts an empty sale after each one, and the customer is still counting change."""
        if cart.empty and self.page == "thanks" and self._ending:
            return
        self.wait.setText(wait or "")
        self.wait.setVisible(bool(wait))
        totals = cart.totals() if cart.lines else None
        while len(self._line_rows) < len(cart.lines):
            self._line_rows.append(self._line_row())
        for i, row in enumerate(self._line_rows):
            shown = i < len(cart.lines)
            row[0].setVisible(shown)
            if shown:
                line = cart.lines[i]
                row[1].setText(f"{line.quantity} × {line.title}")
                row[2].setText(format_money(totals.lines[i].total, cart.currency) if totals else "")
        self._set_fitted(
            self.total,
            f"Total {format_money(totals.total, cart.currency)}" if totals else "Welcome!",
        )
        # The total sits under the amounts; a welcome is centred under the shop's name.
        side = Qt.AlignmentFlag.AlignRight if totals else Qt.AlignmentFlag.AlignHCenter
        self.total.setAlignment(side | Qt.AlignmentFlag.AlignVCenter)
        self.show_page("cart")

    def _line_row(self) -> tuple[QFrame, QLabel, QLabel]:
        frame = QFrame()
        frame.setObjectName("cdLine")
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 6, 0, 6)
        title = self._label("", "cdLineTitle", _LINE, wrap=True)
        title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        amount = self._label("", "cdLineAmount", _LINE, bold=True)
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for label in (title, amount):
            self._size(label)
        row.addWidget(title, 1)
        row.addWidget(amount, 0, Qt.AlignmentFlag.AlignTop)
        self._rows.insertWidget(self._rows.count() - 1, frame)
        return frame, title, amount

    @property
    def line_texts(self) -> list[tuple[str, str]]:
        """(line, amount) of each cart line shown, in order."""
        return [(t.text(), a.text()) for f, t, a in self._line_rows if not f.isHidden()]

    def show_payment(self, codes: list[tuple[str, str]], amount: str, hint: str) -> None:
        """`codes`: (caption, payload) for each way to pay, e.g. Venmo and Cash App.

        One QR is shown at a time, centred, with its caption; with several, each comes up
        in turn (or when the customer taps its key)."""
        self.show_page("pay")
        self._codes = list(codes)
        for i, key in enumerate(self._wallet_keys):
            shown = len(codes) > 1 and i < len(codes)
            key.setVisible(shown)
            if shown:
                key.setText(_app_name(codes[i][0]) or f"{i + 1}")
        self._set_fitted(self.pay_amount, amount)
        self.pay_hint.setText(hint)
        self.pay_hint.setVisible(bool(hint))
        self.show_code(0)
        if len(codes) > 1:
            self._rotate.start()

    def show_code(self, index: int) -> None:
        """Put the `index`-th way to pay up (wrapping round)."""
        if not self._codes:
            self.qr.set_payload(None)
            self.qr_caption.setText("")
            return
        self._code_index = index % len(self._codes)
        caption, payload = self._codes[self._code_index]
        self.qr.set_payload(payload)
        self.qr_caption.setText(caption)
        if self._code_index < len(self._wallet_keys):
            self._wallet_keys[self._code_index].setChecked(True)

    def next_code(self) -> None:
        """The next way to pay (the timer calls this while the pay page is up)."""
        self.show_code(self._code_index + 1)

    def _pick_code(self, index: int) -> None:
        # A customer who tapped their app keeps it: no more turning.
        self._rotate.stop()
        self.show_code(index)

    @property
    def payment_payloads(self) -> list[str]:
        """Every payment QR's payload, in turn order (what the pay page cycles through)."""
        return [payload for _caption, payload in self._codes]

    @property
    def shown_payload(self) -> str | None:
        """The payment QR on screen now."""
        return self.qr.payload() if self.page == "pay" else None

    def show_thanks(
        self,
        message: str = "Thank you!",
        *,
        codes: Sequence[tuple[str, str]] = (),
        tickets: Sequence[str] = (),
    ) -> None:
        """`codes`: (item name, download code) to show as QR and text; `tickets`: one line per
        ticket (its code and when). A change due shown for this sale stays."""
        self._end("thanks")
        self._fill_thanks(message, codes, tickets)

    def _fill_thanks(
        self, message: str, codes: Sequence[tuple[str, str]], tickets: Sequence[str]
    ) -> None:
        self.thanks.setText(message)
        for i, (qr, name, code) in enumerate(self.code_qrs):
            shown = i < len(codes)
            qr.set_payload(codes[i][1] if shown else None)
            name.setText(codes[i][0] if shown else "")
            code.setText(codes[i][1] if shown else "")
            for part in (qr, name, code):
                part.setVisible(shown)
        more = [f"{item}: {text}" for item, text in codes[MAX_CODES_SHOWN:]]
        notes = ["Your download code is also on your receipt"] if codes else []
        self.code_text.setText("\n".join([*more, *tickets, *notes]))
        self.code_text.setVisible(bool(self.code_text.text()))
        self._stack.setCurrentIndex(self._page_names.index("thanks"))

    def show_change(
        self, change_cents: int, currency: str, tendered_cents: int | None = None
    ) -> None:
        """The change due, whole and big, on the thank-you page until the next sale starts;
        with `tendered_cents`, what the customer handed over under it."""
        if "change" in self._ending or self.page != "thanks":
            self._start_sale()  # a fresh thank-you page for this sale
            self._fill_thanks("Thank you!", (), ())
        self._ending.add("change")
        self._set_fitted(self.change, f"Change {format_money(change_cents, currency)}")
        self.tendered.setText(
            f"You gave {format_money(tendered_cents, currency)}"
            if tendered_cents is not None
            else ""
        )
        self.change.setVisible(True)
        self.tendered.setVisible(tendered_cents is not None)

    def _end(self, what: str) -> None:
        # The same call twice means another sale ended: its page starts afresh.
        if what in self._ending:
            self._start_sale()
        if not self._ending:
            for w in (self.change, self.tendered):
                w.setVisible(False)
        self._ending.add(what)
        self._rotate.stop()

    @property
    def shown_codes(self) -> list[str]:
        """The download codes on the thank-you page now (what a test or a seller checks)."""
        return [p for qr, _n, _c in self.code_qrs if not qr.isHidden() and (p := qr.payload())]

    @property
    def shown_change(self) -> str | None:
        """The change due on screen now, as shown."""
        if self.page == "thanks" and self.change.isVisibleTo(self):
            return self.change.text()
        return None

    # ---- now serving ----------------------------------------------------------------------

    def show_now_serving(self, code: str, who: str = "") -> None:
        """A banner over every page, "Now serving GIG-4", until cleared or replaced; `who`
        (a name for a shoutout, say) goes after it."""
        self._serving = code
        text = f"Now serving {code}" + (f"  ·  {who}" if who else "")
        self.serving.setText(text)
        self.serving.setVisible(True)

    def clear_now_serving(self, code: str | None = None) -> None:
        """Take the banner down (only when it still shows `code`, if given)."""
        if code is None or code == self._serving:
            self._serving = None
            self.serving.setVisible(False)
            self.serving.setText("")

    @property
    def now_serving(self) -> str | None:
        return self.serving.text() if self.serving.isVisibleTo(self) else None

    # ---- type sizes -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._apply_sizes()

    def _px(self, share: float, least: int) -> int:
        # Height decides, but a narrow window must not get type too wide for it.
        basis = min(self.height(), self.width() * 9 // 16)
        return max(least, round(basis * share))

    def _size(self, widget: QLabel | QAbstractButton) -> None:
        share, least, bold = self._sizes[widget]
        font = QFont(widget.font())
        font.setPixelSize(self._px(share, least))
        font.setBold(bold)
        widget.setFont(font)

    def _apply_sizes(self) -> None:
        for widget in self._sizes:
            self._size(widget)
        for label in self._fitted:
            self._fit(label)

    def _set_fitted(self, label: QLabel, text: str) -> None:
        label.setText(text)
        self._fit(label)

    def _fit(self, label: QLabel) -> None:
        """A one-line money label as big as its share, shrunk until it fits the width:
        a figure is never cut."""
        share, least, _bold = self._sizes[label]
        room = self.width() - 96  # the page margins and a little air
        if label is self.pay_amount:
            room = room // 2
        font = QFont(label.font())
        px = self._px(share, least)
        font.setPixelSize(px)
        while px > MIN_TEXT_PX and QFontMetrics(font).horizontalAdvance(label.text()) > room:
            px -= 2
            font.setPixelSize(px)
        label.setFont(font)


def second_screen(screens: Sequence[QRect], register: int) -> int | None:
    """The index of the screen the customer display should fill: the largest one that does
    not overlap the register's screen (a mirrored screen is the register's own), or None."""
    own = screens[register] if 0 <= register < len(screens) else QRect()
    best: int | None = None
    for i, geometry in enumerate(screens):
        if i == register or geometry.intersects(own):
            continue
        if best is None or _area(geometry) > _area(screens[best]):
            best = i
    return best


def _area(r: QRect) -> int:
    return r.width() * r.height()


def _app_name(caption: str) -> str:
    """ "Cash App theband" -> "Cash App": captions are the app, then the handle (one word);
    the caption under the QR has both."""
    words = caption.split()
    return " ".join(words[:-1]) if len(words) > 1 else caption
