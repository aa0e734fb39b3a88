"""Start-up and organizer dialogs: the PIN pad, first run, opening an event and settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPoint,
    QPropertyAnimation,
    QRegularExpression,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QDesktopServices,
    QIntValidator,
    QKeyEvent,
    QRegularExpressionValidator,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos import config
from popup_pos.domain.errors import PosError
from popup_pos.domain.money import (
    exponent,
    format_money,
    format_percent,
    parse_amount,
    parse_percent,
)
from popup_pos.domain.pricing import TaxClass
from popup_pos.gui.forms.ui_first_run import Ui_FirstRunDialog
from popup_pos.gui.forms.ui_open_event import Ui_OpenEventDialog
from popup_pos.gui.forms.ui_pin import Ui_PinDialog
from popup_pos.gui.forms.ui_settings import Ui_SettingsDialog
from popup_pos.gui.theme import GREEN, RED, polish
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, event_terms, events, payments, settings, staff
from popup_pos.services.event_terms import EventTerms
from popup_pos.services.events import EventInfo
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

# Below this the pads and fields stop being comfortable to hit with a finger.
MIN_POINT_SIZE = 14

PIN_INPUT = QRegularExpression(r"[0-9]{0,8}")

# Check boxes and radio buttons big enough for a finger and visible on a dark background;
# palette() colours keep them right with or without the dark theme.
INDICATORS = f"""
QCheckBox::indicator, QRadioButton::indicator {{
    width: 22px; height: 22px; border: 2px solid palette(window-text);
    background: palette(base);
}}
QCheckBox::indicator {{ border-radius: 5px; }}
QRadioButton::indicator {{ border-radius: 13px; }}
QCheckBox::indicator:checked {{ background: {GREEN}; border-color: {GREEN}; }}
QRadioButton::indicator:checked {{
    border-color: {GREEN};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {GREEN}, stop: 0.5 {GREEN}, stop: 0.56 palette(base));
}}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{
    border-color: palette(mid);
}}
QCheckBox, QRadioButton {{ spacing: 10px; }}
"""

# Notes and coins a float is usually made of, largest first, in minor units.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "USD": (10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1),
    "CAD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5),
    "AUD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "NZD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10),
    "EUR": (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "CHF": (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "JPY": (10000, 5000, 1000, 500, 100, 50, 10, 5, 1),
    "KRW": (50000, 10000, 5000, 1000, 500, 100, 50, 10),
    "SEK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100),
    "NOK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 100),
    "DKK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
    "MXN": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
}
_GENERIC_WHOLE = (100, 50, 20, 10, 5, 2, 1)
_GENERIC_CENTS = (50, 20, 10, 5, 2, 1)

# The printing page's combo lists these in this order (see ui/settings.ui).
LABEL_TEMPLATES = (
    "avery-5160",
    "avery-l7160",
    "dymo-30252",
    "dymo-30334",
    "zebra-2.25x1.25",
    "brother-62x29",
)
RECEIPT_WIDTHS = (80, 58)
# The staff page's role combo, in order.
ROLE_CHOICES = ("helper", "seller", "organizer")
ROLE_NAMES = {"organizer": "Organizer", "seller": "Seller", "helper": "Helper"}


def denominations(currency: str) -> tuple[int, ...]:
    """The notes and coins offered for counting a float in `currency`, in minor units."""
    known = DENOMINATIONS.get(currency)
    if known:
        return known
    unit = 10 ** exponent(currency)
    cents = tuple(c * unit // 100 for c in _GENERIC_CENTS) if unit >= 100 else ()
    return tuple(w * unit for w in _GENERIC_WHOLE) + cents


def denomination_label(value: int, currency: str) -> str:
    """'$20', '$0.25': whole notes without the zero decimals people never write."""
    text = format_money(value, currency)
    unit = 10 ** exponent(currency)
    if unit > 1 and value % unit == 0:
        head, sep, _tail = text.partition(".")
        if sep:
            # The currency code, when shown, follows the decimals: keep it.
            code = text.rsplit(" ", 1)[1] if " " in text else ""
            return f"{head} {code}".strip()
    return text


def _setup(form: Any, dialog: QDialog) -> None:
    # The compiled forms are uic's output, unannotated and kept out of type checking.
    form.setupUi(dialog)


def _roomy(dialog: QDialog) -> None:
    """Big enough to use by touch whether or not the dark theme has been applied."""
    font = dialog.font()
    if font.pointSize() < MIN_POINT_SIZE:
        font.setPointSize(MIN_POINT_SIZE)
        dialog.setFont(font)
    dialog.setStyleSheet(INDICATORS)


def _prepare_notice(label: QLabel) -> None:
    # Ignored width: a long message is cut off rather than stretching the dialog.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setText("")


def _themed() -> bool:
    app = QApplication.instance()
    return isinstance(app, QApplication) and bool(app.styleSheet())


def _restyle(widget: QWidget) -> None:
    """Re-apply the theme after a property change; without the theme there is nothing to
    redo, and re-polishing would drop the dialog's larger font."""
    if _themed():
        polish(widget)


def _say(label: QLabel, text: str, level: str = "error") -> None:
    """Show one line in a dialog's notice area ('' clears it).

    Too long for the line, it ends in an ellipsis; the tooltip always has all of it.
    """
    label.setProperty("level", level if text else "")
    if _themed():
        polish(label)
    else:
        # The theme styles the notice by its level; without it, errors still stand out.
        size = f"font-size: {label.window().font().pointSize()}pt;"
        error = level == "error" and text
        label.setStyleSheet(f"{size} color: {RED}; font-weight: bold;" if error else size)
    label.setToolTip(text)
    width = label.contentsRect().width()
    if text and label.isVisible() and width > 0:
        text = label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
    label.setText(text)


def _primary(button: QPushButton) -> None:
    """Style the button that finishes a dialog as the theme's big green key."""
    button.setObjectName("tender")
    button.setProperty("primary", True)
    font = button.font()
    font.setBold(True)
    button.setFont(font)
    _restyle(button)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


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


def _count(field: QLineEdit) -> int:
    text = field.text().strip()
    return int(text) if text.isdigit() else 0


class _NextOnEnter(QObject):
    """Enter in a count moves to the next count instead of opening the event half-counted."""

    def __init__(self, order: list[QObject], last: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.order = order
        self.last = last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched in self.order
        ):
            at = self.order.index(watched)
            following = self.order[at + 1] if at + 1 < len(self.order) else self.last
            if isinstance(following, QWidget):
                following.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


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


class SettingsDialog(QDialog):
    """The organizer's settings: event terms, wallets, staff and PINs, printing, backups,
    the Stripe key and card readers.

    Staff and Stripe changes apply at once; the other pages are stored by Save.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        organizer: StaffInfo,
        parent: QWidget | None = None,
        *,
        register_code: str | None = None,
    ) -> None:
        staff.require_role(organizer, "organizer")
        super().__init__(parent)
        self.uow = uow
        self.organizer = organizer
        self.ui = Ui_SettingsDialog()
        _setup(self.ui, self)
        self.stripe = StripePage(uow, register_code, self)
        self.ui.tabs.addTab(self.stripe, "Stripe")
        _roomy(self)
        _prepare_notice(self.ui.notice)
        _primary(self.ui.saveButton)
        if self.ui.labelTemplateCombo.count() != len(LABEL_TEMPLATES):
            raise RuntimeError("ui/settings.ui and LABEL_TEMPLATES list different label stock")
        self.ui.staffPinEdit.setValidator(QRegularExpressionValidator(PIN_INPUT, self))
        for edit in (self.ui.tip1Edit, self.ui.tip2Edit, self.ui.tip3Edit):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table = self.ui.staffTable
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self._terms: EventTerms | None = None
        self._loaded: dict[str, Any] = {}
        self._backing_up = False
        self._load()

        self.ui.tipsEnabledCheck.toggled.connect(self._tips_toggled)
        self.ui.staffTable.itemSelectionChanged.connect(self._staff_selected)
        self.ui.addStaffButton.clicked.connect(self.add_staff)
        self.ui.changePinButton.clicked.connect(self.change_pin)
        self.ui.deactivateButton.clicked.connect(self.deactivate)
        self.ui.openFolderButton.clicked.connect(self._open_data_folder)
        self.ui.chooseBackupFolderButton.clicked.connect(self._choose_backup_folder)
        self.ui.backupNowButton.clicked.connect(self.back_up_now)
        self.ui.saveButton.clicked.connect(self.save)
        self.ui.closeButton.clicked.connect(self.reject)
        self._staff_selected()

    # --- loading ----------------------------------------------------------------------

    def _load(self) -> None:
        ui = self.ui
        self._terms = terms = event_terms.get_terms(self.uow)
        for widget in (
            ui.taxNameEdit,
            ui.taxRateEdit,
            ui.taxInclusiveCheck,
            ui.tipsEnabledCheck,
            ui.tip1Edit,
            ui.tip2Edit,
            ui.tip3Edit,
        ):
            widget.setEnabled(terms is not None)
        if terms is None:
            ui.termsHintLabel.setText("No event is open: open one to set its tax and tips.")
            ui.eventNameValue.setText("—")
            ui.currencyValue.setText("—")
        else:
            ui.eventNameValue.setText(terms.event_name)
            ui.currencyValue.setText(f"{terms.currency} (chosen when the event was opened)")
            tax = terms.default_tax
            ui.taxNameEdit.setText(tax.name if tax else "")
            ui.taxRateEdit.setText(format_percent(tax.rate_ppm).rstrip("%") if tax else "")
            ui.taxInclusiveCheck.setChecked(bool(tax and tax.inclusive))
            ui.tipsEnabledCheck.setChecked(terms.tips_enabled)
            edits = (ui.tip1Edit, ui.tip2Edit, ui.tip3Edit)
            for edit, ppm in zip(edits, terms.tip_presets_ppm, strict=False):
                edit.setText(format_percent(ppm).rstrip("%"))
            self._tips_toggled(terms.tips_enabled)

        wallets = settings.get(self.uow, "wallets")
        ui.venmoEdit.setText(str(wallets.get("venmo", "")))
        ui.cashappEdit.setText(str(wallets.get("cashapp", "")))
        ui.paypalEdit.setText(str(wallets.get("paypal", "")))

        printing = settings.get(self.uow, "printing")
        template = str(printing.get("label_template", LABEL_TEMPLATES[0]))
        ui.labelTemplateCombo.setCurrentIndex(
            LABEL_TEMPLATES.index(template) if template in LABEL_TEMPLATES else 0
        )
        width = int(printing.get("receipt_width", RECEIPT_WIDTHS[0]))
        ui.receiptWidthCombo.setCurrentIndex(
            RECEIPT_WIDTHS.index(width) if width in RECEIPT_WIDTHS else 0
        )
        ui.receiptFooterEdit.setPlainText(str(printing.get("receipt_footer", "")))

        backups = settings.get(self.uow, "backups")
        ui.dataFolderEdit.setText(str(config.data_dir()))
        ui.backupFolderEdit.setText(str(backups.get("folder", "")))
        ui.backupFolderEdit.setPlaceholderText(f"default: {config.backup_dir()}")
        ui.backupEverySpin.setValue(int(backups.get("every_minutes", 5)))

        self._loaded = {
            "wallets": self._wallets(),
            "printing": self._printing(),
            "backups": self._backups(),
        }
        self.refresh_staff()

    def _tips_toggled(self, on: bool) -> None:
        for edit in (self.ui.tip1Edit, self.ui.tip2Edit, self.ui.tip3Edit):
            edit.setEnabled(on and self._terms is not None)

    # --- reading the pages ------------------------------------------------------------

    def _wallets(self) -> dict[str, Any]:
        return {
            "venmo": self.ui.venmoEdit.text().strip(),
            "cashapp": self.ui.cashappEdit.text().strip(),
            "paypal": self.ui.paypalEdit.text().strip(),
        }

    def _printing(self) -> dict[str, Any]:
        return {
            "label_template": LABEL_TEMPLATES[self.ui.labelTemplateCombo.currentIndex()],
            "receipt_width": RECEIPT_WIDTHS[self.ui.receiptWidthCombo.currentIndex()],
            "receipt_footer": self.ui.receiptFooterEdit.toPlainText().strip(),
        }

    def _backups(self) -> dict[str, Any]:
        return {
            "folder": self.ui.backupFolderEdit.text().strip(),
            "every_minutes": self.ui.backupEverySpin.value(),
        }

    def _read_terms(self) -> tuple[TaxClass | None, list[int] | None, bool]:
        """The terms page as values; raises PosError naming the field that is wrong."""
        ui = self.ui
        rate = ui.taxRateEdit.text().strip()
        tax = None
        if rate:
            tax = TaxClass(
                ui.taxNameEdit.text().strip() or "Tax",
                parse_percent(rate, what="tax rate"),
                ui.taxInclusiveCheck.isChecked(),
            )
        presets = [
            parse_percent(edit.text(), what="tip preset")
            for edit in (ui.tip1Edit, ui.tip2Edit, ui.tip3Edit)
            if edit.text().strip()
        ]
        return tax, presets or None, ui.tipsEnabledCheck.isChecked()

    # --- saving -----------------------------------------------------------------------

    def save(self) -> None:
        """Store every page that changed, then close; on a mistake show it and stay open."""
        actor = self.organizer.name
        try:
            terms = self._read_terms() if self._terms is not None else None
        except PosError as exc:
            self.ui.tabs.setCurrentWidget(self.ui.termsPage)
            _say(self.ui.notice, _first_line(exc))
            return
        pages = {
            "wallets": (self._wallets(), self.ui.walletsPage),
            "printing": (self._printing(), self.ui.printingPage),
            "backups": (self._backups(), self.ui.dataPage),
        }
        try:
            if terms is not None and self._terms_changed(*terms):
                tax, presets, tips_on = terms
                self._terms = event_terms.set_terms(
                    self.uow,
                    default_tax=tax,
                    tip_presets_ppm=presets,
                    tips_enabled=tips_on,
                    actor=actor,
                )
        except PosError as exc:
            self.ui.tabs.setCurrentWidget(self.ui.termsPage)
            _say(self.ui.notice, _first_line(exc))
            return
        for key, (value, page) in pages.items():
            if value == self._loaded.get(key):
                continue
            try:
                settings.put(self.uow, key, value, actor)
            except PosError as exc:
                self.ui.tabs.setCurrentWidget(page)
                _say(self.ui.notice, _first_line(exc))
                return
            self._loaded[key] = value
        self.accept()

    def _terms_changed(self, tax: TaxClass | None, presets: list[int] | None, on: bool) -> bool:
        old = self._terms
        if old is None:
            return True
        # All three left blank means the usual presets.
        wanted = tuple(presets) if presets else event_terms.DEFAULT_TIP_PRESETS_PPM
        return (tax, wanted, on) != (old.default_tax, old.tip_presets_ppm, old.tips_enabled)

    # --- staff ------------------------------------------------------------------------

    def refresh_staff(self) -> None:
        table = self.ui.staffTable
        people = staff.list_staff(self.uow)
        table.setRowCount(len(people))
        for row, person in enumerate(people):
            if person.event_id is None:
                lasts = "Always"
            elif person.expired:
                lasts = f"Ended with {person.event_name}"
            else:
                lasts = f"During {person.event_name}"
            for col, text in enumerate((person.name, ROLE_NAMES.get(person.role, ""), lasts)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                table.setItem(row, col, item)
        self._staff_selected()

    def _selected_staff(self) -> tuple[int, str] | None:
        rows = self.ui.staffTable.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.ui.staffTable.item(rows[0].row(), 0)
        if item is None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole)), item.text()

    def select_staff(self, staff_id: int) -> None:
        table = self.ui.staffTable
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == staff_id:
                table.selectRow(row)
                return

    def _staff_selected(self) -> None:
        chosen = self._selected_staff() is not None
        self.ui.changePinButton.setEnabled(chosen)
        self.ui.deactivateButton.setEnabled(chosen)

    def add_staff(self) -> None:
        ui = self.ui
        role = ROLE_CHOICES[ui.staffRoleCombo.currentIndex()]
        try:
            added = staff.add_staff(
                self.uow,
                ui.staffNameEdit.text(),
                role,
                ui.staffPinEdit.text(),
                actor=self.organizer.name,
            )
        except PosError as exc:
            _say(ui.notice, _first_line(exc))
            return
        ui.staffNameEdit.clear()
        ui.staffPinEdit.clear()
        self.refresh_staff()
        self.select_staff(added.id)
        until = f" for {added.event_name}" if added.event_name else ""
        _say(ui.notice, f"Added {added.name} ({role}{until})", "info")

    def change_pin(self) -> None:
        chosen = self._selected_staff()
        if chosen is None:
            _say(self.ui.notice, "Choose someone in the list first")
            return
        staff_id, name = chosen
        try:
            staff.change_pin(
                self.uow, staff_id, self.ui.staffPinEdit.text(), actor=self.organizer.name
            )
        except PosError as exc:
            _say(self.ui.notice, _first_line(exc))
            return
        self.ui.staffPinEdit.clear()
        _say(self.ui.notice, f"{name} has a new PIN", "info")

    def deactivate(self) -> None:
        chosen = self._selected_staff()
        if chosen is None:
            _say(self.ui.notice, "Choose someone in the list first")
            return
        staff_id, name = chosen
        try:
            staff.deactivate(self.uow, staff_id, actor=self.organizer.name)
        except PosError as exc:
            _say(self.ui.notice, _first_line(exc))
            return
        self.refresh_staff()
        _say(self.ui.notice, f"Removed {name}: their PIN no longer works", "info")

    # --- data and backups -------------------------------------------------------------

    def _open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(config.data_dir())))

    def _choose_backup_folder(self) -> None:
        start = self.ui.backupFolderEdit.text().strip() or str(config.backup_dir())
        folder = QFileDialog.getExistingDirectory(self, "Back up to this folder", start)
        if folder:
            self.ui.backupFolderEdit.setText(folder)

    def back_up_now(self) -> None:
        """Copy the database into the backup folder on a worker thread."""
        if self._backing_up:
            return
        typed = self.ui.backupFolderEdit.text().strip()
        folder = Path(typed).expanduser() if typed else config.backup_dir()
        out = folder / f"popup-pos-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
        self._backing_up = True
        self.ui.backupNowButton.setEnabled(False)
        _say(self.ui.backupStatusLabel, "Backing up…", "info")
        uow = self.uow
        run_in_background(
            lambda: database.backup(uow, out),
            lambda size: self._backed_up(out, size),
            self._backup_failed,
            parent=self,
        )

    def _backed_up(self, out: Path, size: int) -> None:
        self._backing_up = False
        self.ui.backupNowButton.setEnabled(True)
        _say(self.ui.backupStatusLabel, f"Backed up to {out} ({size // 1024:,} KB)", "info")

    def _backup_failed(self, error: BaseException) -> None:
        self._backing_up = False
        self.ui.backupNowButton.setEnabled(True)
        if isinstance(error, PosError | OSError):
            _say(self.ui.backupStatusLabel, _first_line(error))
        else:
            _say(self.ui.backupStatusLabel, f"Backup failed: {_first_line(error)}")


_SOURCES = {"keyring": "from the system keyring", "environment": "from STRIPE_API_KEY"}


def check_line(check: payments.StripeCheck) -> str:
    """One line for the Check button: account, mode and readers."""
    who = check.account_name or ("restricted key" if check.restricted else "unnamed account")
    mode = "test mode" if check.test_mode else "live mode"
    n = len(check.readers)
    online = sum(1 for r in check.readers if r.status == "online")
    readers = f"{n} reader{'s' if n != 1 else ''}" + (f" ({online} online)" if n else "")
    return f"Key works: {who} · {mode} · {readers}"


def reader_line(reader: payments.ReaderInfo) -> str:
    parts = [reader.label, reader.device_type or "reader", reader.stripe_id]
    if reader.register_code:
        parts.append(f"register {reader.register_code}")
    if reader.status:
        parts.append(reader.status)
    return " · ".join(parts)


class StripePage(QWidget):
    """Settings → Stripe: the key (masked, and where it comes from), Check, card readers.

    Anything that reaches Stripe or the keyring runs on a worker: a slow network or a
    keyring that asks to be unlocked never freezes the dialog. The key typed here goes
    straight to the keyring; it is never kept in settings, logs or the audit log.
    """

    def __init__(self, uow: UnitOfWork, register_code: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("stripePage")
        self.uow = uow
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        hint = QLabel(
            "Stripe takes QR and card-reader payments. The key is kept in the system "
            "keyring, never in the database; without a keyring, set STRIPE_API_KEY."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.key_label = QLabel("checking…")
        self.key_label.setObjectName("stripeKeyLabel")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        form.addRow("Key in use", self.key_label)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("stripeKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("sk_live_…, sk_test_… or rk_…")
        # Neither the clipboard nor an undo history may keep a secret key.
        self.key_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.save_key_button = QPushButton("Save key")
        self.check_button = QPushButton("Check")
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.save_key_button)
        row.addWidget(self.check_button)
        form.addRow("New key", row)
        self.check_label = QLabel("")
        self.check_label.setObjectName("notice")
        _prepare_notice(self.check_label)
        form.addRow("", self.check_label)
        layout.addLayout(form)

        layout.addWidget(QLabel("Card readers"))
        self.readers = QListWidget()
        self.readers.setObjectName("stripeReaders")
        self.readers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.readers, 1)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("shown on the reader")
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("e.g. Front table")
        self.register_edit = QLineEdit(register_code or "")
        self.register_edit.setPlaceholderText("any")
        self.register_edit.setMaximumWidth(90)
        self.register_button = QPushButton("Register reader")
        pair = QHBoxLayout()
        pair.addWidget(QLabel("Code"))
        pair.addWidget(self.code_edit, 2)
        pair.addWidget(QLabel("Label"))
        pair.addWidget(self.label_edit, 2)
        pair.addWidget(QLabel("For register"))
        pair.addWidget(self.register_edit)
        pair.addWidget(self.register_button)
        layout.addLayout(pair)

        self.save_key_button.clicked.connect(self.save_key)
        self.key_edit.returnPressed.connect(self.save_key)
        self.check_button.clicked.connect(self.check)
        self.register_button.clicked.connect(self.register_reader)
        self.show_readers(payments.list_readers(uow, live=False))
        self.load_key()

    # --- the key ----------------------------------------------------------------------

    def load_key(self) -> None:
        """Where the key comes from, read on a worker (the keyring may ask to unlock)."""
        run_in_background(payments.key_info, self.show_key, self._failed, parent=self)

    def show_key(self, info: payments.KeyInfo) -> None:
        if info.source is None:
            self.key_label.setText("none: Stripe QR and card reader are off")
        else:
            self.key_label.setText(f"{info.masked} ({_SOURCES.get(info.source, info.source)})")
        self.key_label.setToolTip(info.note or "")

    def save_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key or self.busy:
            return
        # Cleared at once: the key lives on only in the keyring.
        self.key_edit.clear()
        self._start("Saving the key…")
        run_in_background(lambda: payments.set_key(key), self._saved, self._failed, parent=self)

    def _saved(self, info: payments.KeyInfo) -> None:
        self._stop()
        self.show_key(info)
        _say(self.check_label, "Key saved in the system keyring: press Check to try it", "info")

    # --- checking and readers -----------------------------------------------------------

    def check(self) -> None:
        """Ask Stripe whether the key works and which readers the account has."""
        if self.busy:
            return
        self._start("Asking Stripe…")
        worker = database.for_worker(self.uow)
        run_in_background(
            lambda: payments.check_stripe(worker), self._checked, self._failed, parent=self
        )

    def _checked(self, check: payments.StripeCheck) -> None:
        self._stop()
        _say(self.check_label, check_line(check), "info")
        self.show_readers(list(check.readers))
        self.load_key()

    def register_reader(self) -> None:
        code, label = self.code_edit.text().strip(), self.label_edit.text().strip()
        if self.busy:
            return
        if not code or not label:
            _say(self.check_label, "Type the code the reader shows and a label for it", "warn")
            return
        register = self.register_edit.text().strip() or None
        self._start("Registering the reader…")
        worker = database.for_worker(self.uow)

        def pair() -> list[payments.ReaderInfo]:
            payments.register_reader(worker, code, label, register_code=register)
            return payments.list_readers(worker)

        run_in_background(pair, self._registered, self._failed, parent=self)

    def _registered(self, readers: list[payments.ReaderInfo]) -> None:
        self._stop()
        self.code_edit.clear()
        self.label_edit.clear()
        self.show_readers(readers)
        _say(self.check_label, "Reader registered", "info")

    def show_readers(self, readers: list[payments.ReaderInfo]) -> None:
        self.readers.clear()
        for reader in readers:
            self.readers.addItem(reader_line(reader))
        if not readers:
            self.readers.addItem("No card reader registered here")

    # --- busy state -------------------------------------------------------------------

    def _start(self, message: str) -> None:
        # One call at a time: a Check racing a new key would report on the old one.
        self.busy = True
        for b in (self.save_key_button, self.check_button, self.register_button):
            b.setEnabled(False)
        _say(self.check_label, message, "info")

    def _stop(self) -> None:
        self.busy = False
        for b in (self.save_key_button, self.check_button, self.register_button):
            b.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._stop()
        if isinstance(error, PosError):
            _say(self.check_label, _first_line(error))
        else:
            _say(self.check_label, f"Stripe: {_first_line(error)}")


__all__ = [
    "FirstRunDialog",
    "OpenEventDialog",
    "PinDialog",
    "SettingsDialog",
    "StripePage",
    "denominations",
]
