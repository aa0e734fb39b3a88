"""The PIN pad: signing in, and the organizer's PIN when an action needs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QPoint, QPropertyAnimation, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _primary, _roomy, _say, _setup
from popup_pos.gui.forms.ui_pin import Ui_PinDialog
from popup_pos.services import staff
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class PinDialog(QDialog):
    """The PIN pad. After `exec()` returns Accepted, `.staff` is who signed in.

    With `role`, the PIN must belong to someone with that role or above.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        parent: QWidget | None = None,
        *,
        reason: str,
        role: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.uow = uow
        self.role = role
        self.staff: StaffInfo | None = None
        self.ui = Ui_PinDialog()
        _setup(self.ui, self)
        _roomy(self)
        _prepare_notice(self.ui.notice)
        self.ui.reasonLabel.setText(reason)
        self.setWindowTitle(reason)
        self._home: QPoint | None = None
        self._shake = QPropertyAnimation(self, b"pos", self)
        self._shake.setDuration(360)
        self._shake.finished.connect(self._shake_done)
        for digit in "0123456789":
            button: QPushButton = getattr(self.ui, f"digit{digit}Button")
            button.setObjectName("tender")
            button.clicked.connect(lambda _=False, d=digit: self.press(d))
        self.ui.clearButton.setObjectName("tender")
        _primary(self.ui.okButton)
        self.ui.clearButton.clicked.connect(self.clear)
        self.ui.okButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)

    @property
    def pin(self) -> str:
        return self.ui.pinDisplay.text()

    def press(self, digit: str) -> None:
        if len(self.pin) < self.ui.pinDisplay.maxLength():
            self.ui.pinDisplay.setText(self.pin + digit)
        _say(self.ui.notice, "")

    def clear(self) -> None:
        self.ui.pinDisplay.clear()

    def submit(self) -> None:
        if not self.pin:
            _say(self.ui.notice, "Enter your PIN first", "info")
            return
        try:
            who = staff.verify_pin(self.uow, self.pin)
            if who is None:
                self._refuse("Wrong PIN — try again")
                return
            if self.role is not None:
                staff.require_role(who, self.role)
        except PosError as exc:
            self._refuse(_first_line(exc))
            return
        self.staff = who
        self.accept()

    def _refuse(self, message: str) -> None:
        self.clear()
        _say(self.ui.notice, message)
        QApplication.beep()
        self._start_shake()

    def _start_shake(self) -> None:
        if self._shake.state() == QPropertyAnimation.State.Running:
            self._shake.stop()
        else:
            self._home = self.pos()
        home = self._home or self.pos()
        self._shake.setStartValue(home)
        for step, dx in enumerate((-14, 12, -9, 6, -3)):
            self._shake.setKeyValueAt((step + 1) / 6, home + QPoint(dx, 0))
        self._shake.setEndValue(home)
        self._shake.setEasingCurve(QEasingCurve.Type.Linear)
        self._shake.start()

    def _shake_done(self) -> None:
        if self._home is not None:
            self.move(self._home)
            self._home = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        # The pad's buttons take no focus, so typed digits and Enter always reach the dialog.
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key, text = event.key(), event.text()
        if len(text) == 1 and text in "0123456789":
            self.press(text)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.ui.pinDisplay.setText(self.pin[:-1])
        elif key == Qt.Key.Key_Delete:
            self.clear()
        else:
            super().keyPressEvent(event)  # Escape rejects
