"""The selling window's layout: top bar, tiles, cart panel and the queues side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from popup_pos.gui.fence import LayoutFence

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow


def _build_layout(self: MainWindow) -> None:
    top = QHBoxLayout()
    self.heading = QLabel()
    self.heading.setObjectName("heading")
    top.addWidget(self.heading, 1)
    self.banner = QLabel("")
    self.banner.setObjectName("banner")
    self.banner.hide()
    top.addWidget(self.banner)
    for text, slot in (
        ("Labels", self.print_labels),
        ("Receipt", self.print_receipt),
        ("Report", self.show_report),
        ("Help  F1", self.show_help),
        ("Settings", self.settings_requested.emit),
        ("Lock  Ctrl+L", self.lock),
    ):
        b = QPushButton(text)
        b.setObjectName("topButton")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        top.addWidget(b)
    self._update_heading()

    left = QWidget()
    lv = QVBoxLayout(left)
    lv.setContentsMargins(0, 0, 0, 0)
    lv.addWidget(self.search)
    lv.addWidget(self.categories)
    lv.addWidget(self.tiles, 1)

    split = QSplitter(Qt.Orientation.Horizontal)
    split.setChildrenCollapsible(False)
    # Every scan changes the cart's totals and keys: fenced, so that is laid out in the
    # cart alone and not in the whole window, a fifth of a scan's time.
    cart = LayoutFence(self.panel)
    split.addWidget(left)
    split.addWidget(cart)
    split.addWidget(self.queue_tabs)
    # The tiles get whatever the cart and the queue leave: they need the room most.
    left.setMinimumWidth(360)
    cart.setMinimumWidth(420)
    cart.setMaximumWidth(540)
    self.queue_tabs.setMinimumWidth(270)
    self.queue_tabs.setMaximumWidth(340)
    split.setStretchFactor(0, 1)
    split.setStretchFactor(1, 0)
    split.setStretchFactor(2, 0)
    self.splitter = split

    root = QWidget()
    rv = QVBoxLayout(root)
    rv.setContentsMargins(8, 6, 8, 8)
    rv.addLayout(top)
    rv.addWidget(split, 1)
    self.setCentralWidget(root)


def _update_heading(self: MainWindow) -> None:
    self.heading.setText(
        f"{self.pos_event.name}   ·   Register {self.register.code}   ·   {self.staff.name}"
    )
