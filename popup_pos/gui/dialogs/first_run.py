"""First run: the organizer's name and PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QWidget

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
from popup_pos.gui.forms.ui_first_run import Ui_FirstRunDialog
from popup_pos.services import staff
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class FirstRunDialog(QDialog):
    """First start on a database: name the organizer and choose their PIN."""

    def __init__(self, uow: UnitOfWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uow = uow
        self.staff: StaffInfo | None = None
        self.ui = Ui_FirstRunDialog()
        _setup(self.ui, self)
        _roomy(self)
        _prepare_notice(self.ui.notice)
        _primary(self.ui.okButton)
        for edit in (self.ui.pinEdit, self.ui.confirmEdit):
            edit.setValidator(QRegularExpressionValidator(PIN_INPUT, edit))
        self.ui.okButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self.ui.nameEdit.setFocus()

    def submit(self) -> None:
        pin = self.ui.pinEdit.text()
        if pin != self.ui.confirmEdit.text():
            self.ui.confirmEdit.clear()
            self.ui.confirmEdit.setFocus()
            _say(self.ui.notice, "The two PINs are different: type the PIN again")
            return
        try:
            self.staff = staff.set_organizer(self.uow, self.ui.nameEdit.text(), pin)
        except PosError as exc:
            _say(self.ui.notice, _first_line(exc))
            return
        self.accept()
