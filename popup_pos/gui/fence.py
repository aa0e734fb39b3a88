"""A layout fence: one widget held at exactly the fence's size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget


class LayoutFence(QWidget):
    """Holds `child` at exactly its own size. Qt passes a change of size hints up to the
    window (a new total, a notice, a round-amount key's text) and lays out the whole
    window again; a widget whose minimum and maximum size are equal stops that, so the
    child's changes are laid out inside the child alone. The fence itself is sized by its
    parent's layout as the child would have been."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        self._hint = child.sizeHint()
        self._minimum = child.minimumSizeHint()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._minimum

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self.child.setFixedSize(event.size())
        self.child.move(0, 0)
        super().resizeEvent(event)
