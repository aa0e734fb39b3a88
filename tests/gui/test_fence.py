"""The layout fence keeps a widget's changes from laying out the whole window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from popup_pos.gui.fence import LayoutFence


class LayoutRequests(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest:
            self.seen += 1
        return False


def _window(qtbot, fenced: bool) -> tuple[QWidget, QLabel, LayoutRequests]:
    window = QWidget()
    inner = QWidget()
    label = QLabel("Total $0.00")
    QVBoxLayout(inner).addWidget(label)
    QVBoxLayout(window).addWidget(LayoutFence(inner) if fenced else inner)
    qtbot.addWidget(window)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    requests = LayoutRequests()
    window.installEventFilter(requests)
    qtbot.wait(20)  # whatever showing the window left to lay out
    requests.seen = 0
    return window, label, requests


def test_a_fenced_widget_is_laid_out_alone(qtbot):
    for fenced, expected in ((False, True), (True, False)):
        _, label, requests = _window(qtbot, fenced)
        label.setText("Total $1,234,567.89 and a much longer notice than before")
        qtbot.wait(20)
        assert (requests.seen > 0) is expected


def test_the_child_fills_the_fence_as_it_is_resized(qtbot):
    window, _label, _requests = _window(qtbot, True)
    fence = window.findChild(LayoutFence)
    window.resize(600, 500)
    qtbot.waitUntil(lambda: fence.child.size() == fence.size())
    assert fence.child.width() > 400
