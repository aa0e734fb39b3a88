"""Opening an event: its name, currency and the counted float."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.gui.dialogs.cash_count import denomination_label, denominations
from popup_pos.gui.dialogs.kit import (
    _count,
    _first_line,
    _NextOnEnter,
    _prepare_notice,
    _primary,
    _roomy,
    _say,
    _setup,
)
from popup_pos.gui.forms.ui_open_event import Ui_OpenEventDialog
from popup_pos.services import events
from popup_pos.services.events import EventInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class OpenEventDialog(QDialog):
    """Name the night, pick its currency and count the float in; opens the event.

    After `exec()` returns Accepted, `.opened` is the event just opened.
    """

    def __init__(
        self, uow: UnitOfWork, parent: QWidget | None = None, *, actor: str | None = None
    ) -> None:
        super().__init__(parent)
        self.uow = uow
        self.actor = actor
        self.opened: EventInfo | None = None
        self.ui = Ui_OpenEventDialog()
        _setup(self.ui, self)
        _roomy(self)
        _prepare_notice(self.ui.notice)
        _primary(self.ui.openButton)
        self._counts: list[tuple[int, QLineEdit]] = []
        self._enter_filter: _NextOnEnter | None = None

        table = self.ui.denominationTable
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 160)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self._select_currency(events.display_currency(uow))
        self._fill_denominations()
        self.ui.currencyCombo.currentIndexChanged.connect(self._currency_changed)
        self.ui.totalRadio.toggled.connect(self._mode_changed)
        self.ui.floatEdit.textChanged.connect(self._update_total)
        self.ui.openButton.clicked.connect(self.submit)
        self.ui.cancelButton.clicked.connect(self.reject)
        self._update_total()
        self.ui.nameEdit.setFocus()

    @property
    def currency(self) -> str:
        return self.ui.currencyCombo.currentText()[:3]

    def _select_currency(self, code: str) -> None:
        combo = self.ui.currencyCombo
        for i in range(combo.count()):
            if combo.itemText(i).startswith(code):
                combo.setCurrentIndex(i)
                return
        # A currency used before but not in the common list: offer it at the top.
        combo.insertItem(0, code)
        combo.setCurrentIndex(0)

    def _fill_denominations(self) -> None:
        table = self.ui.denominationTable
        currency = self.currency
        values = denominations(currency)
        table.setRowCount(len(values))
        self._counts = []
        for row, value in enumerate(values):
            name = QTableWidgetItem(denomination_label(value, currency))
            table.setItem(row, 0, name)
            # A plain field rather than a spin box: blank means none, and a tap anywhere
            # in it never leaves a stray 0 in front of what is typed.
            count = QLineEdit()
            count.setValidator(QIntValidator(0, 9999, count))
            count.setPlaceholderText("0")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setAccessibleName(f"number of {name.text()}")
            count.textChanged.connect(self._update_total)
            table.setCellWidget(row, 1, count)
            amount = QTableWidgetItem("")
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 2, amount)
            self._counts.append((value, count))
        fields: list[QObject] = [field for _, field in self._counts]
        self._enter_filter = _NextOnEnter(fields, self.ui.openButton, self)
        for field in fields:
            field.installEventFilter(self._enter_filter)

    def set_count(self, value: int, count: int) -> None:
        """Set how many of one note or coin (in minor units) are in the float."""
        for each, field in self._counts:
            if each == value:
                field.setText(str(count) if count else "")
                return
        raise KeyError(f"{value} is not a {self.currency} denomination here")

    def _currency_changed(self) -> None:
        self._fill_denominations()
        self._update_total()

    def _mode_changed(self) -> None:
        by_total = self.ui.totalRadio.isChecked()
        self.ui.floatStack.setCurrentIndex(0 if by_total else 1)
        if by_total:
            self.ui.floatEdit.setFocus()
        elif self._counts:
            self._counts[0][1].setFocus(Qt.FocusReason.TabFocusReason)
        self._update_total()

    def float_cents(self) -> int:
        """The float as entered; raises PosError for an amount that cannot be read."""
        if self.ui.totalRadio.isChecked():
            text = self.ui.floatEdit.text()
            if not text.strip():
                return 0
            return parse_amount(text, self.currency, what="float")
        return sum(value * _count(field) for value, field in self._counts)

    def _update_total(self) -> None:
        currency = self.currency
        for row, (value, field) in enumerate(self._counts):
            item = self.ui.denominationTable.item(row, 2)
            if item is not None:
                count = _count(field)
                item.setText(format_money(value * count, currency) if count else "")
        try:
            total = format_money(self.float_cents(), currency)
        except PosError:
            total = "—"
        self.ui.floatTotalLabel.setText(f"Float: {total}")
        _say(self.ui.notice, "")

    def submit(self) -> None:
        try:
            self.opened = events.open_event(
                self.uow,
                self.ui.nameEdit.text(),
                currency=self.currency,
                float_cents=self.float_cents(),
                actor=self.actor,
            )
        except PosError as exc:
            _say(self.ui.notice, _first_line(exc))
            return
        self.accept()
