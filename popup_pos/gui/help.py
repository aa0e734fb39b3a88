"""The F1 overlay: every action and its keys, generated from the window's own actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One line of the overlay: an action's keys and what it does."""

    keys: str
    label: str


class HelpOverlay(QDialog):
    """Lists the shortcuts; a scanner works anywhere and never triggers one."""

    def __init__(self, shortcuts: Sequence[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(720, 640)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Scan anywhere: items go into the cart, an order's QR opens the order. "
            "Tap a tile to add it. A one-item cash sale: scan, F5, done."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        table = QTableWidget(len(shortcuts), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, sc in enumerate(shortcuts):
            keys = QTableWidgetItem(sc.keys)
            keys.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, 0, keys)
            table.setItem(row, 1, QTableWidgetItem(sc.label))
        self.table = table
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
