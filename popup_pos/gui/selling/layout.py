"""The selling window's layout: top bar, tiles, cart panel and the queues, which fold into a
tab beside the tiles on a laptop screen and stand in their own column on a wide one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from popup_pos.gui.fence import LayoutFence

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow

# Below this width the queues fold into a tab beside the tiles (1280 and 1366 laptops);
# from it up they get their own column (1920×1080).
WIDE_WINDOW = 1500
TILES_MIN_WIDTH = 360
CART_WIDTH = (470, 580)  # its narrowest and widest
QUEUE_WIDTH = (280, 380)
SELL_TAB = "Sell"
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
QUEUE_TAB = "Orders && tickets"  # && shows one & (a single one marks a shortcut)


class Heading(QLabel):
    """The event, register and seller. It gives way to the buttons beside it on a narrow
    screen, ending in … rather than cut mid-letter; its tooltip keeps it whole."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("heading")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)

    def shown(self) -> str:
        """The text as it fits the room it has now."""
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown(),
            self.foregroundRole(),
        )


def _build_layout(self: SellingWindow) -> None:
    top = QHBoxLayout()
    self.heading = Heading()
    top.addWidget(self.heading, 1)
    self.banner = QLabel("")
    self.banner.setObjectName("banner")
    self.banner.setWordWrap(True)
    self.banner.hide()
    top.addWidget(self.banner, 1)
    self.top_buttons = {}
    for text, slot in (
        ("Back office", self.show_back_office),
        ("Labels", self.print_labels),
        ("Receipt", self.print_receipt),
        ("Report", self.show_report),
        ("Close night…", self.close_event),
        ("Help  F1", self.show_help),
        ("Settings", self.settings_requested.emit),
        ("Lock  Ctrl+L", self.lock),
    ):
        b = QPushButton(text)
        b.setObjectName("topButton")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        top.addWidget(b)
        self.top_buttons[text] = b
    self.top_buttons["Close night…"].setToolTip("Count the cash and close the event (organizer)")
    self._update_heading()

    items = QWidget()
    lv = QVBoxLayout(items)
    lv.setContentsMargins(0, 0, 0, 0)
    lv.addWidget(self.search)
    lv.addWidget(self.categories)
    lv.addWidget(self.tiles, 1)
    self.left_tabs = QTabWidget()
    self.left_tabs.setObjectName("leftTabs")
    self.left_tabs.setDocumentMode(True)
    self.left_tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
    self.left_tabs.addTab(items, SELL_TAB)
    self.left_tabs.setMinimumWidth(TILES_MIN_WIDTH)

    split = QSplitter(Qt.Orientation.Horizontal)
    split.setChildrenCollapsible(False)
    # Every scan changes the cart's totals and keys: fenced, so that is laid out in the
    # cart alone and not in the whole window, a fifth of a scan's time.
    self.cart_fence = LayoutFence(self.panel)
    split.addWidget(self.left_tabs)
    split.addWidget(self.cart_fence)
    self.cart_fence.setMinimumWidth(CART_WIDTH[0])
    self.cart_fence.setMaximumWidth(CART_WIDTH[1])
    self.queue_tabs.setMinimumWidth(QUEUE_WIDTH[0])
    split.setStretchFactor(0, 1)
    split.setStretchFactor(1, 0)
    self.splitter = split
    self.queues_folded = True
    self.left_tabs.addTab(self.queue_tabs, QUEUE_TAB)

    root = QWidget()
    rv = QVBoxLayout(root)
    rv.setContentsMargins(8, 4, 8, 6)
    rv.setSpacing(4)
    rv.addLayout(top)
    rv.addWidget(split, 1)
    self.setCentralWidget(root)


def reflow(self: SellingWindow) -> None:
    """Fold the queues into a tab below `WIDE_WINDOW`, give them a column above it, and
    share the width out: the cart first, the tiles whatever is left."""
    fold = self.width() < WIDE_WINDOW
    if fold != self.queues_folded:
        self.queues_folded = fold
        if fold:
            self.left_tabs.addTab(self.queue_tabs, QUEUE_TAB)
            self.note_queue(self._queue_waiting)
        else:
            self.left_tabs.removeTab(self.left_tabs.indexOf(self.queue_tabs))
            self.splitter.addWidget(self.queue_tabs)
            # The tab widget hid it as a page not on show; a column is always shown.
            self.queue_tabs.show()
            self.splitter.setStretchFactor(2, 0)
    self.left_tabs.tabBar().setVisible(fold)
    # Folded, the queues have the tiles' whole width; in a column, a narrow one.
    self.queue_tabs.setMaximumWidth(QWIDGETSIZE_MAX if fold else QUEUE_WIDTH[1])
    width = self.splitter.width()
    cart = max(CART_WIDTH[0], min(CART_WIDTH[1], int(width * 0.4)))
    if fold:
        self.splitter.setSizes([max(width - cart, TILES_MIN_WIDTH), cart])
    else:
        queue = max(QUEUE_WIDTH[0], min(QUEUE_WIDTH[1], int(width * 0.2)))
        self.splitter.setSizes([max(width - cart - queue, TILES_MIN_WIDTH), cart, queue])


def show_queue(self: SellingWindow, index: int) -> None:
    """Bring the order queue (0) or the ticket queue (1) into view, unfolding it."""
    self.queue_tabs.setCurrentIndex(index)
    if self.queues_folded:
        self.left_tabs.setCurrentWidget(self.queue_tabs)


def show_items(self: SellingWindow) -> None:
    """Back to the tiles, when the queues are folded over them."""
    if self.queues_folded:
        self.left_tabs.setCurrentIndex(0)


def note_queue(self: SellingWindow, waiting: int) -> None:
    """The folded queue's tab says how many orders wait, so none is forgotten behind it."""
    self._queue_waiting = waiting
    index = self.left_tabs.indexOf(self.queue_tabs)
    if index >= 0:
        self.left_tabs.setTabText(index, f"{QUEUE_TAB} ({waiting})" if waiting else QUEUE_TAB)


def _update_heading(self: SellingWindow) -> None:
    text = f"{self.pos_event.name}   ·   Register {self.register.code}   ·   {self.staff.name}"
    self.heading.setText(text)
    self.heading.setToolTip(text)
