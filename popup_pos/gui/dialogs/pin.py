"""The PIN pad: signing in, and the organizer's PIN when an action needs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QPoint, QPropertyAnimation, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import (
    PIN_INPUT,
    _first_line,
    _prepare_notice,
    _primary,
    _roomy,
    _say,
    _setup,
)
from popup_pos.gui.forms.ui_pin import Ui_PinDialog
from popup_pos.services import staff
from popup_pos.services.staff import Approval, StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


# How often the pad counts down a wait after repeated wrong PINs.
WAIT_TICK_MS = 1000


class PinDialog(QDialog):
    """The PIN pad. After `exec()` returns Accepted, `.staff` is who signed in.

    With `role`, the PIN must belong to someone with that role or above. With `approve`
    (what, asked by whom), it is the organizer's approval of one change: `.approval`.
    `locked` (the lock screen) cannot be dismissed: only a PIN leaves it. Without
    `escape_cancels` Esc does nothing (the first sign-in: a stray Esc must not quit).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        parent: QWidget | None = None,
        *,
        reason: str,
        role: str | None = None,
        register: str | None = None,
        approve: tuple[str, str | None] | None = None,
        locked: bool = False,
        escape_cancels: bool = True,
    ) -> None:
        super().__init__(parent)
        self.uow = uow
        self.role = "organizer" if approve is not None else role
        self.register = register
        self.approve = approve
        self.locked = locked
        self.escape_cancels = escape_cancels and not locked
        self.staff: StaffInfo | None = None
        self.approval: Approval | None = None
        self._wait = QTimer(self)
        self._wait.setInterval(WAIT_TICK_MS)
        self._wait.timeout.connect(self._tick)
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
        self.ui.cancelButton.setVisible(not locked)
        if locked:
            # Nothing on the lock screen closes the app: no Cancel, Esc, or close box.
            flags = self.windowFlags() & ~Qt.WindowType.WindowCloseButtonHint
            self.setWindowFlags(flags | Qt.WindowType.CustomizeWindowHint)
        self._tick()

    @property
    def pin(self) -> str:
        return self.ui.pinDisplay.text()

    def press(self, digit: str) -> None:
        if self.waiting:
            return
        if len(self.pin) < self.ui.pinDisplay.maxLength():
            self.ui.pinDisplay.setText(self.pin + digit)
        _say(self.ui.notice, "")

    def clear(self) -> None:
        self.ui.pinDisplay.clear()

    @property
    def waiting(self) -> bool:
        return self._wait.isActive()

    def submit(self) -> None:
        if self.waiting:
            return
        if not self.pin:
            _say(self.ui.notice, "Enter your PIN first", "info")
            return
        pin = self.pin
        try:
            who = staff.verify_pin(self.uow, pin, register=self.register)
            if who is None:
                self._refuse("Wrong PIN — try again")
                self._tick()
                return
            if self.role is not None:
                staff.require_role(who, self.role)
        except staff.PinWaitError:
            self.clear()
            self._tick()
            return
        except PosError as exc:
            self._refuse(_first_line(exc))
            return
        if staff.pin_too_short(who, pin) and not self._renew(who):
            return
        if self.approve is not None:
            what, actor = self.approve
            try:
                self.approval = staff.approve_signed_in(self.uow, who, what, actor=actor)
            except PosError as exc:
                self._refuse(_first_line(exc))
                return
        self.staff = who
        self.accept()

    def _renew(self, who: StaffInfo) -> bool:
        """An organizer PIN from before the 6-digit rule: a new one before going on."""
        dialog = ChangePinDialog(self.uow, who, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return True
        self.clear()
        _say(self.ui.notice, f"Choose a {staff.ORGANIZER_PIN_MIN}–8 digit PIN")
        return False

    def _tick(self) -> None:
        """Show how long until the next try after repeated wrong PINs; the pad is off
        until then."""
        try:
            left = staff.pin_wait_seconds(self.uow)
        except PosError:
            left = 0
        for digit in "0123456789":
            getattr(self.ui, f"digit{digit}Button").setEnabled(not left)
        self.ui.okButton.setEnabled(not left)
        if left:
            # Short enough for the pad's one line (the service's message is longer).
            _say(self.ui.notice, f"Wrong PINs: wait {left} s")
            if not self._wait.isActive():
                self._wait.start()
        elif self._wait.isActive():
            self._wait.stop()
            _say(self.ui.notice, "Try again", "info")

    def reject(self) -> None:
        if not self.locked:
            super().reject()

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
        elif key == Qt.Key.Key_Escape and not self.escape_cancels:
            event.accept()
        else:
            super().keyPressEvent(event)  # Escape rejects


class ChangePinDialog(QDialog):
    """A new PIN, typed twice: for an organizer whose PIN is shorter than the rule."""

    def __init__(self, uow: UnitOfWork, who: StaffInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uow, self.who = uow, who
        self.setWindowTitle("Choose a longer PIN")
        _roomy(self)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{who.name}, the organizer's PIN is now {staff.ORGANIZER_PIN_MIN} to 8 digits: "
            "a short one can be guessed from a copy of the database. Choose a new one."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.pin_edit, self.confirm_edit = QLineEdit(), QLineEdit()
        for edit in (self.pin_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(QRegularExpressionValidator(PIN_INPUT, edit))
        form.addRow("New PIN", self.pin_edit)
        form.addRow("Again", self.confirm_edit)
        layout.addLayout(form)
        self.notice = QLabel("")
        _prepare_notice(self.notice)
        layout.addWidget(self.notice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change PIN")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin_edit.setFocus()

    def submit(self) -> None:
        pin = self.pin_edit.text()
        if pin != self.confirm_edit.text():
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            _say(self.notice, "The two PINs are different: type the PIN again")
            return
        try:
            staff.change_pin(self.uow, self.who.id, pin, actor=self.who.name)
        except PosError as exc:
            _say(self.notice, _first_line(exc))
            return
        self.accept()
