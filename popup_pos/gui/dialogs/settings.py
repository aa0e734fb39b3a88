"""Settings: the event's terms, wallets, printing, backups, staff and Stripe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QTableWidgetItem, QWidget

from popup_pos import config
from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_percent, parse_percent
from popup_pos.domain.pricing import TaxClass
from popup_pos.gui.dialogs.kit import (
    PIN_INPUT,
    _first_line,
    _prepare_notice,
    _primary,
    _roomy,
    _say,
    _setup,
    fit_to_screen,
    scroll_in_place,
)
from popup_pos.gui.dialogs.mail_page import MailPage
from popup_pos.gui.dialogs.permissions_page import PermissionsPage
from popup_pos.gui.dialogs.phones_page import PhonesPage
from popup_pos.gui.dialogs.stripe_page import StripePage
from popup_pos.gui.forms.ui_settings import Ui_SettingsDialog
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, event_terms, permissions, settings, staff
from popup_pos.services.event_terms import EventTerms
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


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
        self.phones = PhonesPage(uow, organizer, self)
        self.ui.tabs.addTab(self.phones, "Helpers' phones")
        self.mail = MailPage(uow, self)
        self.ui.tabs.addTab(self.mail, "Mail")
        # The tallest page no longer sets how tall the dialog must be: it scrolls, and
        # Save and Close stay on screen.
        scroll_in_place(self.ui.mainLayout, self.ui.tabs)
        fit_to_screen(self, self.size())
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
        currency = self._terms.currency if self._terms is not None else "USD"
        self.permissions = PermissionsPage(uow, currency, self)
        self.ui.tabs.insertTab(
            self.ui.tabs.indexOf(self.ui.staffPage) + 1, self.permissions, "Limits"
        )

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
        try:
            limits = self.permissions.limits()
            if limits != self.permissions.loaded:
                permissions.put_limits(self.uow, limits, actor=actor)
                self.permissions.loaded = limits
        except PosError as exc:
            self.ui.tabs.setCurrentWidget(self.permissions)
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
