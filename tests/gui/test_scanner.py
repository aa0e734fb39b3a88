"""Scanner bursts become scans and reach no widget or shortcut; typing still arrives."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from popup_pos.gui.scanner import ScanDetector

# The offscreen platform warns on every top-level show; it says nothing about the code.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")

BURST_MS = 5  # a wedge scanner types a character every few milliseconds
TYPING_MS = 60  # a fast typist still leaves this much between keys


class Form(QWidget):
    """A line edit, a button and the kinds of shortcuts a scan must never fire."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit(self)
        self.button = QPushButton("Pay", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        self.fired: list[str] = []
        self.shortcuts: dict[str, QShortcut] = {}
        for keys in ("T", "E", "M", "-", "Return", "F2", "Ctrl+K"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda keys=keys: self.fired.append(keys))
            self.shortcuts[keys] = shortcut


@pytest.fixture
def detector(qapp):
    found = ScanDetector()
    qapp.installEventFilter(found)
    yield found
    qapp.removeEventFilter(found)
    found.enabled = False


@pytest.fixture
def form(qtbot, detector):
    widget = Form()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.edit.setFocus()
    qtbot.waitUntil(widget.edit.hasFocus, timeout=2000)
    return widget


def _key_for(char: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    if char == "\r":
        return Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier
    if char == "-":
        return Qt.Key.Key_Minus, Qt.KeyboardModifier.NoModifier
    shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() else Qt.KeyboardModifier.NoModifier
    return Qt.Key(ord(char.upper())), shift


def type_into_window(window: QWindow, text: str, delay_ms: int) -> None:
    """Keys through the platform input path, Shift pressed around capitals as a scanner does."""
    for char in text:
        key, modifiers = _key_for(char)
        QTest.sendKeyEvent(QTest.KeyAction.Click, window, key, char, modifiers, delay_ms)


def test_burst_is_a_scan_that_reaches_no_widget(qtbot, detector, form):
    returned: list[bool] = []
    form.edit.returnPressed.connect(lambda: returned.append(True))
    with qtbot.waitSignal(detector.scanned, timeout=2000) as blocker:
        QTest.keyClicks(form.edit, "TEE-M\r", delay=BURST_MS)
    assert blocker.args == ["TEE-M"]
    assert not detector.pending  # nothing held back, so nothing can be replayed later
    assert form.edit.text() == ""
    assert form.fired == []
    assert returned == []


def test_burst_through_the_window_with_shift_fires_no_shortcut(qtbot, detector, form):
    form.button.setFocus()  # a button, unlike a line edit, lets single-letter shortcuts fire
    qtbot.waitUntil(form.button.hasFocus, timeout=2000)
    clicked: list[bool] = []
    form.button.clicked.connect(lambda: clicked.append(True))
    window = form.windowHandle()
    assert window is not None
    with qtbot.waitSignal(detector.scanned, timeout=2000) as blocker:
        type_into_window(window, "TEE-M\r", 2)
    assert blocker.args == ["TEE-M"]
    assert not detector.pending
    assert form.fired == []
    assert clicked == []


def test_case_digits_and_dash_survive(qtbot, detector, form):
    with qtbot.waitSignal(detector.scanned, timeout=2000) as blocker:
        QTest.keyClicks(form.edit, "aB-0042z\r", delay=BURST_MS)
    assert blocker.args == ["aB-0042z"]
    assert form.edit.text() == ""


def test_slow_typing_reaches_the_line_edit_and_is_no_scan(qtbot, detector, form):
    with qtbot.assertNotEmitted(detector.scanned):
        QTest.keyClicks(form.edit, "TEE-M", delay=TYPING_MS)
        qtbot.waitUntil(lambda: form.edit.text() == "TEE-M", timeout=2000)
        QTest.keyClick(form.edit, Qt.Key.Key_Return, delay=TYPING_MS)
    assert form.fired == ["Return"]  # a typed Enter is the seller's, shortcut included


def test_enter_alone_passes_through(qtbot, detector, form):
    form.shortcuts["Return"].setEnabled(False)
    with (
        qtbot.assertNotEmitted(detector.scanned),
        qtbot.waitSignal(form.edit.returnPressed, timeout=2000),
    ):
        QTest.keyClick(form.edit, Qt.Key.Key_Return)


def test_a_burst_shorter_than_min_length_is_typing(qtbot, detector, form):
    form.shortcuts["Return"].setEnabled(False)
    with (
        qtbot.assertNotEmitted(detector.scanned),
        qtbot.waitSignal(form.edit.returnPressed, timeout=2000),
    ):
        QTest.keyClicks(form.edit, "ab\r", delay=BURST_MS)
    # Enter sends the held characters on first, so they precede it.
    assert form.edit.text() == "ab"


def test_typed_letter_still_fires_its_shortcut(qtbot, detector, form):
    form.button.setFocus()
    qtbot.waitUntil(form.button.hasFocus, timeout=2000)
    QTest.keyClick(form.button, Qt.Key.Key_T, delay=TYPING_MS)
    qtbot.waitUntil(lambda: form.fired == ["T"], timeout=2000)


def test_function_and_control_shortcuts_are_not_delayed(qtbot, detector, form):
    QTest.keyClick(form.edit, Qt.Key.Key_F2)
    QTest.keyClick(form.edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert form.fired == ["F2", "Ctrl+K"]


def test_other_key_sends_held_typing_first(qtbot, detector, form):
    QTest.keyClick(form.edit, Qt.Key.Key_A)
    assert detector.pending
    QTest.keyClick(form.edit, Qt.Key.Key_Backspace)
    assert not detector.pending
    assert form.edit.text() == ""  # "a" arrived, then Backspace removed it, in that order
    QTest.keyClick(form.edit, Qt.Key.Key_B)
    QTest.keyClick(form.edit, Qt.Key.Key_Left)
    QTest.keyClick(form.edit, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: form.edit.text() == "cb", timeout=2000)


def test_mouse_press_sends_held_typing_first(qtbot, detector, form):
    QTest.keyClick(form.edit, Qt.Key.Key_X)
    assert detector.pending
    QTest.mouseClick(form.button, Qt.MouseButton.LeftButton)
    assert not detector.pending
    assert form.edit.text() == "x"


def test_typing_into_a_deleted_widget_goes_to_the_focus(qtbot, detector, form):
    other = QLineEdit(form)
    form.layout().addWidget(other)
    other.show()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=2000)
    QTest.keyClick(other, Qt.Key.Key_Q)
    form.edit.setFocus()
    other.deleteLater()
    qtbot.waitUntil(lambda: form.edit.text() == "q", timeout=2000)


def test_disabled_detector_lets_everything_through(qtbot, detector, form):
    detector.enabled = False
    with qtbot.assertNotEmitted(detector.scanned):
        QTest.keyClicks(form.edit, "TEE-M\r", delay=BURST_MS)
    assert form.edit.text() == "TEE-M"
    detector.enabled = True
    assert detector.enabled


def test_gap_setting_is_validated(detector):
    detector.max_gap_ms = 50
    assert detector.max_gap_ms == 50
    with pytest.raises(ValueError, match="positive"):
        detector.max_gap_ms = 0
