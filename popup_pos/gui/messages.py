"""The register's notice line: messages that wrap, go away when no longer true, and a log."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.gui.theme import polish

# How many messages the log keeps for reading again.
LOG_SIZE = 20
# Plain information goes away on its own after this long: by then it has been read, and
# a confirmation left standing would later pass for news about the next sale.
INFO_MS = 10_000

# How long a message stays: `time` for INFO_MS; `change` until the cart changes (or the
# next message); `next` until the next message.
Lasts = Literal["time", "change", "next"]

_LEVELS = {"info": "Info", "warn": "Warning", "error": "Refused"}


@dataclass(frozen=True, slots=True)
class Message:
    stamp: float  # seconds since the epoch (cheaper to take on every scan than a datetime)
    text: str
    level: str

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.stamp).astimezone()

    def line(self) -> str:
        """As the log lists it: the time, what kind, the words."""
        return f"{self.at:%H:%M:%S}  {_LEVELS.get(self.level, 'Note')}: {self.text}"


class NoticeLine(QLabel):
    """One message at a time, wrapped over as many lines as it needs, never cut.

    Plain information expires after a few seconds; a warning or a refusal stays until the
    cart changes (the next good action: a scan, a sale, a new sale) or another message
    replaces it. Every message is kept in :attr:`log` for reading again.
    """

    clicked = Signal()
    logged = Signal(object)  # the Message just said

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(" ", parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.setProperty("level", "idle")
        # A fixed height, changed only when the words need more (or less) room: a height
        # that follows the text on every layout pass would slow every scan down.
        self._least = self.fontMetrics().lineSpacing() * 2 + 16
        self._char = self.fontMetrics().averageCharWidth()
        self.setFixedHeight(self._least)
        self.setToolTip("Click (or Ctrl+M) for the last messages")
        self._log: deque[Message] = deque(maxlen=LOG_SIZE)
        self._lasts: Lasts = "next"
        self._cart: Hashable = None  # the cart as it was when the message was said
        self._seen_cart: Hashable = None  # the cart as last shown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)

    @property
    def log(self) -> list[Message]:
        """The last LOG_SIZE messages, oldest first."""
        return list(self._log)

    @property
    def current(self) -> str:
        """The message shown now ('' when none)."""
        return self.text().strip()

    def say(self, text: str, level: str = "info", *, lasts: Lasts | None = None) -> None:
        """Show `text`; `lasts` defaults to ``time`` for info and ``change`` otherwise."""
        text = text.strip()
        if not text:
            self.clear()
            return
        self._timer.stop()
        self._lasts = lasts or ("time" if level == "info" else "change")
        self._cart = self._seen_cart
        message = Message(time.time(), text, level)
        self._log.append(message)
        self._show(text, level)
        if self._lasts == "time":
            self._timer.start(INFO_MS)
        self.logged.emit(message)

    def clear(self) -> None:
        self._timer.stop()
        self._show(" ", "idle")

    def cart_changed(self, cart: Hashable) -> None:
        """The register shows the cart `cart` (a value that changes when the cart does):
        a message about the cart as it was is no longer true."""
        self._seen_cart = cart
        if self._lasts == "change" and cart != self._cart and self.current:
            self.clear()

    def _show(self, text: str, level: str) -> None:
        self.setText(text)
        if self.property("level") != level:
            # Re-styling costs a relayout; a scan should not pay it for the same colour.
            self.setProperty("level", level)
            polish(self)
        self._fit_height()

    def _fit_height(self) -> None:
        """Two lines' room always, so a short message never shifts the keys; more when a
        long one needs it, so it is never cut."""
        width = self.width()
        if self.height() == self._least and len(self.text()) * self._char < width - 32:
            # Short, the common case (a scan): even of the widest letters it would take
            # two lines at most, so no text layout is needed.
            return
        need = max(self._least, self.heightForWidth(width) if width > 0 else 0)
        if need != self.height():
            self.setFixedHeight(need)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._char = self.fontMetrics().averageCharWidth()  # the theme may have come since
            self._fit_height()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class MessageLog(QDialog):
    """The last messages, newest first, read-only; it follows new ones while open."""

    def __init__(self, notice: NoticeLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Messages")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        caption = QLabel(f"The last {LOG_SIZE} messages on this register, newest first")
        caption.setWordWrap(True)
        layout.addWidget(caption)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for message in notice.log:
            self._add(message)
        notice.logged.connect(self._add)

    def _add(self, message: Message) -> None:
        self.list.insertItem(0, QListWidgetItem(message.line()))
        while self.list.count() > LOG_SIZE:
            self.list.takeItem(self.list.count() - 1)

    @property
    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
