"""Keyboard-wedge scanner input told apart from typing by timing, captured wherever the focus is."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)
# Input that shows the person is doing something else: typed text goes out first.
_BREAKING_EVENTS = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin}
)
_TERMINATORS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# Keys a scanner presses around characters to pick the layout's shifted or third level.
_LEVEL_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_AltGr, Qt.Key.Key_Mode_switch})
_LEVEL_MODIFIERS = (
    Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.KeypadModifier
    | Qt.KeyboardModifier.GroupSwitchModifier
)
_CONTROL = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
# Windows reports AltGr as Ctrl+Alt; the text it produces is still a plain character.
_ALTGR_ON_WINDOWS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


@dataclass(frozen=True, slots=True)
class _HeldKey:
    """A key event kept back while a burst is undecided, enough to send it again later."""

    target: QObject
    type: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    scan_code: int
    virtual_key: int
    native_modifiers: int
    text: str
    auto_repeat: bool
    count: int

    @classmethod
    def of(cls, target: QObject, event: QKeyEvent) -> _HeldKey:
        return cls(
            target,
            event.type(),
            event.key(),
            event.modifiers(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )

    def event(self) -> QKeyEvent:
        # A fresh, non-spontaneous event: Qt then offers it to shortcuts exactly as it would
        # have offered the original key, so a single-letter shortcut still works when typed.
        return QKeyEvent(
            self.type,
            self.key,
            self.modifiers,
            self.scan_code,
            self.virtual_key,
            self.native_modifiers,
            self.text,
            self.auto_repeat,
            self.count,
        )


def _is_character(event: QKeyEvent) -> bool:
    text = event.text()
    if len(text) != 1 or not text.isprintable() or event.isAutoRepeat():
        return False
    control = event.modifiers() & _CONTROL
    return control == Qt.KeyboardModifier.NoModifier or control == _ALTGR_ON_WINDOWS


def _is_terminator(event: QKeyEvent) -> bool:
    return (
        event.key() in _TERMINATORS
        and not event.isAutoRepeat()
        and event.modifiers() & _CONTROL == Qt.KeyboardModifier.NoModifier
    )


def _is_level_key(event: QKeyEvent) -> bool:
    return event.key() in _LEVEL_KEYS and not event.isAutoRepeat()


class ScanDetector(QObject):
    """An application-wide event filter that turns fast key bursts ending in Enter into scans.

    Printable key presses are held back while they keep arriving within ``max_gap_ms`` of
    each other. A burst of at least ``min_length`` characters ended by Enter/Return is a
    scan: ``scanned`` is emitted and none of its keys reaches a widget or a shortcut.
    Otherwise, when the gap passes, the held keys are sent again, in order, to the widgets
    that were to receive them, so typing arrives at most ``max_gap_ms`` late. Install with
    ``app.installEventFilter(detector)``.
    """

    scanned = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, max_gap_ms: int = 35, min_length: int = 3
    ) -> None:
        super().__init__(parent)
        self.min_length = min_length
        self._enabled = True
        self._held: list[_HeldKey] = []
        self._chars: list[str] = []
        self._down: set[int] = set()  # keys pressed inside the burst, not yet released
        self._swallow_release: set[int] = set()  # keys of a finished scan still held down
        self._last_char = 0.0
        self._terminator_claimed = False
        self._replaying = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.flush)
        self.max_gap_ms = max_gap_ms

    # ---- settings --------------------------------------------------------------------

    @property
    def max_gap_ms(self) -> int:
        """The longest pause between two characters of one scan, in milliseconds."""
        return self._timer.interval()

    @max_gap_ms.setter
    def max_gap_ms(self, value: int) -> None:
        if value <= 0:
            raise ValueError(f"max_gap_ms must be positive, not {value}")
        self._timer.setInterval(value)

    @property
    def enabled(self) -> bool:
        """When False every key goes straight through and nothing is recognised as a scan."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if not value:
            self.flush()
        self._enabled = value

    @property
    def pending(self) -> bool:
        """True while keys are held back waiting for the gap to decide."""
        return bool(self._held)

    # ---- the filter ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _KEY_EVENTS:
            if not (self._enabled and watched.isWidgetType() and isinstance(event, QKeyEvent)):
                return False
            if self._replaying and not event.spontaneous():
                return False  # one of ours coming back, or Qt's shortcut check for it
            if kind == QEvent.Type.ShortcutOverride:
                return self._on_shortcut_override(event)
            if kind == QEvent.Type.KeyPress:
                return self._on_press(watched, event)
            return self._on_release(watched, event)
        if kind in _BREAKING_EVENTS and self._held:
            self.flush()
        return False

    def _on_shortcut_override(self, event: QKeyEvent) -> bool:
        # Qt asks the focus widget whether it wants a key before trying shortcuts; claiming
        # the key here is what keeps a scanned "T" or Enter from firing a shortcut.
        if _is_character(event):
            event.accept()
            return True
        if _is_terminator(event) and self._burst_complete():
            self._terminator_claimed = True
            event.accept()
            return True
        if self._held and not _is_level_key(event):
            self.flush()  # the held text goes out before any shortcut this key may fire
        return False

    def _on_press(self, target: QObject, event: QKeyEvent) -> bool:
        key = event.key()
        claimed, self._terminator_claimed = self._terminator_claimed, False
        if _is_character(event):
            if self._held and self._gap_passed():
                self.flush()  # the event loop was busy and the timer could not fire
            self._swallow_release.discard(key)
            self._held.append(_HeldKey.of(target, event))
            self._chars.append(event.text())
            self._down.add(key)
            self._last_char = time.monotonic()
            self._timer.start()
            return True
        if _is_terminator(event):
            if claimed or self._burst_complete():
                self._finish_scan(key)
                return True
            self.flush()
            return False
        if self._held and _is_level_key(event):
            self._held.append(_HeldKey.of(target, event))
            self._down.add(key)
            return True
        self.flush()
        if not event.isAutoRepeat():
            self._swallow_release.discard(key)
        return False

    def _on_release(self, target: QObject, event: QKeyEvent) -> bool:
        key = event.key()
        if event.isAutoRepeat():
            return False
        if key in self._down:
            self._down.discard(key)
            self._held.append(_HeldKey.of(target, event))
            return True
        if key in self._swallow_release:
            self._swallow_release.discard(key)
            return True
        return False

    # ---- decisions -------------------------------------------------------------------

    def _gap_passed(self) -> bool:
        # A monotonic clock, not event timestamps: synthetic events may carry 0.
        return (time.monotonic() - self._last_char) * 1000 > self.max_gap_ms

    def _burst_complete(self) -> bool:
        return len(self._chars) >= self.min_length and not self._gap_passed()

    def _finish_scan(self, terminator: int) -> None:
        text = "".join(self._chars)
        # The keys' releases are still to come; the widgets never saw the presses.
        self._swallow_release |= self._down
        self._swallow_release.add(terminator)
        self._reset()
        self.scanned.emit(text)

    def _reset(self) -> None:
        self._timer.stop()
        self._held = []
        self._chars = []
        self._down = set()
        self._terminator_claimed = False

    def flush(self) -> None:
        """Send the held-back keys on now, in order, as typing."""
        held = self._held
        self._reset()
        if not held:
            return
        self._replaying += 1
        try:
            for item in held:
                # The widget may have been deleted meanwhile: the focus widget gets it then.
                target = item.target if isValid(item.target) else QApplication.focusWidget()
                if target is not None:
                    QCoreApplication.sendEvent(target, item.event())
        finally:
            self._replaying -= 1
