"""Printing from the register: the labels dialog, receipts, ticket slips, Save as PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _primary, _roomy, _say
from popup_pos.gui.theme import TEXT_DISABLED, TEXT_MUTED
from popup_pos.gui.worker import run_in_background
from popup_pos.services import catalog, database, printing, settings
from popup_pos.services.catalog import VariantView
from popup_pos.services.printing import LabelsPrinted, ReceiptPrinted, SlipsPrinted

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

Notify = Callable[[str, str], None]  # (text, level) as the register's notice line takes them

# Both are CUPS options: the first for older filters, the second (IPP print-scaling) for
# CUPS 2.2 and later and driverless printers. Any scaling moves sheet labels off their die
# cuts and shrinks bars below what scanners read.
ACTUAL_SIZE = ("-o", "fit-to-page=false", "-o", "print-scaling=none")
# lp hands the file to the local CUPS scheduler and returns; longer means CUPS is stuck.
SPOOL_TIMEOUT_S = 15
MAX_COPIES = 999
# The largest label sheet (Avery 5160) has 30 cells; the service names the right range.
MAX_START_CELL = 30
NO_PRINTER = "no printer is set up on this laptop"

# Arrows wide enough to tap (the theme's padding squeezes them to slivers), and fields
# that look switched off when "all stock" makes them moot.
LABELS_STYLE = f"""
QSpinBox {{ padding-right: 34px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: 30px; }}
QLineEdit:disabled, QSpinBox:disabled {{ color: {TEXT_DISABLED}; }}
"""


# ---- sending a PDF to a printer ------------------------------------------------------------


def _spooler() -> str | None:
    """CUPS's `lp` (or its `lpr`) on Linux and macOS; None where there is neither."""
    if sys.platform == "win32":
        return None
    return shutil.which("lp") or shutil.which("lpr")


def _printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def _choose_printer(parent: QWidget, printers: list[str], title: str) -> tuple[str, int] | None:
    """The system's print dialog, for the printer and the number of copies; None if cancelled.

    The dialog only chooses: the PDF itself goes to the spooler, which prints its pages at
    their own size, so page range, selection and "print to file" are not offered.
    """
    printer = QPrinter()
    printer.setDocName(title)
    default = QPrinterInfo.defaultPrinterName()
    printer.setPrinterName(default if default in printers else printers[0])
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    option = QAbstractPrintDialog.PrintDialogOption
    for off in (
        option.PrintToFile,
        option.PrintPageRange,
        option.PrintSelection,
        option.PrintCurrentPage,
    ):
        dialog.setOption(off, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer.printerName(), max(1, printer.copyCount())


def _spool_command(
    spooler: str, pdf_path: Path, title: str, printer: str | None, copies: int
) -> list[str]:
    if Path(spooler).name == "lpr":
        cmd = [spooler, "-T", title, "-#", str(copies), *ACTUAL_SIZE]
        return [*cmd, *(["-P", printer] if printer else []), "--", str(pdf_path)]
    cmd = [spooler, "-t", title, "-n", str(copies), *ACTUAL_SIZE]
    return [*cmd, *(["-d", printer] if printer else []), "--", str(pdf_path)]


def _spool(
    spooler: str, pdf_path: Path, title: str, printer: str | None, copies: int
) -> str | None:
    """Hand the PDF to the spooler; None when it took it, else the reason in one line."""
    cmd = _spool_command(spooler, pdf_path, title, printer, copies)
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=SPOOL_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return f"the print system did not answer within {SPOOL_TIMEOUT_S} s"
    except OSError as exc:
        return f"{Path(spooler).name} could not run: {exc.strerror or exc}"
    if done.returncode != 0:
        name = Path(spooler).name
        said = (done.stderr or done.stdout).strip().splitlines()
        if not said:
            return f"{name} failed ({done.returncode})"
        return f"the print system said: {said[0].removeprefix(f'{name}: ').rstrip('.')}"
    return None


def _start_file_print(pdf_path: Path) -> str | None:
    """Windows: the PDF viewer's own "print" verb; None when it started."""
    start = getattr(os, "startfile", None)  # exists on Windows only
    if start is None:
        return "this system has no print handler for PDF files"
    try:
        start(str(pdf_path), "print")
    except OSError as exc:
        return f"no program is set up to print PDF files ({exc.strerror or exc})"
    return None


def _documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def save_pdf(parent: QWidget, pdf_path: Path, *, title: str, name: str | None = None) -> str:
    """Ask where to save a copy of the PDF (suggesting `name`) and save it; the line to show."""
    return _save(parent, pdf_path, title, name)[0]


def _save(parent: QWidget, pdf_path: Path, title: str, name: str | None) -> tuple[str, str]:
    suggested = _documents_dir() / (name or pdf_path.name)
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, f"Save {title} as PDF", str(suggested), "PDF files (*.pdf)"
    )
    if not chosen:
        return f"{title}: not saved", "warn"
    target = Path(chosen)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    try:
        shutil.copyfile(pdf_path, target)
    except OSError as exc:
        return f"{title} not saved to {target}: {exc.strerror or exc}", "error"
    return f"{title} saved to {target}", "info"


def _offer_save(
    parent: QWidget, pdf_path: Path, title: str, reason: str, name: str | None
) -> tuple[str, str]:
    """Say why it cannot print, in one line, and offer to save the PDF instead."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(f"Print {title}")
    box.setText(f"{reason[:1].upper()}{reason[1:].rstrip('.')}.")
    save = box.addButton("Save as PDF…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    if box.clickedButton() is not save:
        return f"{title} not printed: {reason}", "warn"
    return _save(parent, pdf_path, title, name)


def _print(parent: QWidget, pdf_path: Path, title: str, name: str | None = None) -> tuple[str, str]:
    """print_pdf, with the notice level ("info" or "warn") beside the message."""
    printers = _printer_names()
    if sys.platform == "win32":
        if not printers:
            return _offer_save(parent, pdf_path, title, NO_PRINTER, name)
        failed = _start_file_print(pdf_path)
        if failed:
            return _offer_save(parent, pdf_path, title, failed, name)
        return f"{title} sent to the default printer: print at Actual size (100 %)", "info"
    spooler = _spooler()
    if spooler is None:
        reason = NO_PRINTER if not printers else "no print command (lp) was found"
        return _offer_save(parent, pdf_path, title, reason, name)
    printer: str | None = None
    copies = 1
    if printers:
        chosen = _choose_printer(parent, printers, title)
        if chosen is None:
            return f"{title}: printing cancelled", "info"
        printer, copies = chosen
    # With no printer listed, lp still tries the default destination (LPDEST, lpoptions);
    # when there is none it says so, and that is the reason given.
    failed = _spool(spooler, pdf_path, title, printer, copies)
    if failed:
        return _offer_save(parent, pdf_path, title, failed, name)
    where = printer or "the default printer"
    times = f" ×{copies}" if copies > 1 else ""
    return f"{title}{times} sent to {where}", "info"


def print_pdf(parent: QWidget, pdf_path: Path, *, title: str) -> str:
    """Print a PDF at 100 % and return one line for the register's notice.

    Linux and macOS: the system's print dialog picks the printer and copies, then CUPS
    (`lp`) prints the PDF itself with scaling off. Windows: the PDF viewer's "print" verb
    on the default printer. No printer, or a refusal: a one-line reason and an offer to
    save the PDF instead. Never raises for a missing or broken printer.
    """
    return _print(parent, pdf_path, title)[0]


def _scratch_pdf(stem: str) -> Path:
    """A temporary file to draw into; the system's temp folder clears what is left."""
    handle, name = tempfile.mkstemp(prefix=f"popup-pos-{stem}-", suffix=".pdf")
    os.close(handle)
    return Path(name)


def _done_with(pdf_path: Path) -> None:
    # On Windows the viewer opens the file after startfile returns: it must stay.
    if sys.platform != "win32":
        pdf_path.unlink(missing_ok=True)


# ---- labels ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelJob:
    """What the labels dialog asks for."""

    sku: str
    copies: int
    all_stock: bool
    template: str
    start_cell: int

    @property
    def file_name(self) -> str:
        return "labels-stock.pdf" if self.all_stock else f"labels-{self.sku}.pdf"


def build_labels(uow: UnitOfWork, job: LabelJob) -> tuple[Path, LabelsPrinted]:
    """Draw the labels of `job` into a temporary PDF (runs on a worker)."""
    if job.all_stock:
        items = printing.labels_for_stock(uow)
    else:
        items = printing.labels_for_sku(uow, job.sku, job.copies)
    out = _scratch_pdf("labels")
    try:
        result = printing.print_labels(
            uow, items, out, template=job.template, start_cell=job.start_cell
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out, result


def _labels_title(result: LabelsPrinted) -> str:
    labels = f"{result.labels} label{'s' if result.labels != 1 else ''}"
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    return f"{labels} ({result.template}, {pages})"


class LabelsDialog(QDialog):
    """Labels for one SKU (scan or type it) or for all stock on hand, printed or saved."""

    def __init__(
        self, uow: UnitOfWork, parent: QWidget | None = None, *, sku: str | None = None
    ) -> None:
        super().__init__(parent)
        self.uow = uow
        self.last_result: LabelsPrinted | None = None
        self.last_message = ""
        self._busy = False
        self.setWindowTitle("Print labels")
        _roomy(self)
        self.setStyleSheet(self.styleSheet() + LABELS_STYLE)

        self._variants: dict[str, VariantView] = {
            v.sku.upper(): v for v in catalog.list_variants(uow)
        }
        self._stock_units = sum(
            v.on_hand
            for v in self._variants.values()
            if v.track_stock and not v.is_bundle and v.on_hand > 0
        )

        self.skuEdit = QLineEdit(sku or "")
        self.skuEdit.setObjectName("skuEdit")
        self.skuEdit.setPlaceholderText("Scan or type a SKU")
        completer = QCompleter(sorted(v.sku for v in self._variants.values()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.skuEdit.setCompleter(completer)
        self.skuHint = QLabel()
        self.skuHint.setObjectName("skuHint")
        self.skuHint.setStyleSheet(f"color: {TEXT_MUTED};")
        self.skuHint.setWordWrap(True)

        self.copiesSpin = QSpinBox()
        self.copiesSpin.setObjectName("copiesSpin")
        self.copiesSpin.setRange(1, MAX_COPIES)
        self.allStockCheck = QCheckBox(f"All stock on hand ({self._stock_units} labels)")
        self.allStockCheck.setObjectName("allStockCheck")
        self.allStockCheck.setEnabled(self._stock_units > 0)

        prefs = settings.get(uow, "printing")
        self.templateCombo = QComboBox()
        self.templateCombo.setObjectName("templateCombo")
        self.templateCombo.addItems(printing.template_names())
        default = self.templateCombo.findText(str(prefs["label_template"]))
        self.templateCombo.setCurrentIndex(max(default, 0))
        self.startCellSpin = QSpinBox()
        self.startCellSpin.setObjectName("startCellSpin")
        self.startCellSpin.setRange(1, MAX_START_CELL)
        self.startCellSpin.setToolTip(
            "The first free cell of a partly used sheet, counted along rows from the top left"
        )

        form = QFormLayout()
        form.addRow("SKU", self.skuEdit)
        form.addRow("", self.skuHint)
        form.addRow("Copies", self.copiesSpin)
        form.addRow("", self.allStockCheck)
        form.addRow("Template", self.templateCombo)
        form.addRow("Start at cell", self.startCellSpin)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        _prepare_notice(self.notice)

        self.closeButton = QPushButton("Close")
        self.closeButton.setObjectName("closeButton")
        self.saveButton = QPushButton("Save PDF…")
        self.saveButton.setObjectName("saveButton")
        self.printButton = QPushButton("Print")
        self.printButton.setObjectName("printButton")
        self.printButton.setDefault(True)
        _primary(self.printButton)
        buttons = QHBoxLayout()
        buttons.addWidget(self.closeButton)
        buttons.addStretch(1)
        buttons.addWidget(self.saveButton)
        buttons.addWidget(self.printButton)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

        self.skuEdit.textChanged.connect(self._sku_changed)
        self.allStockCheck.toggled.connect(self._mode_changed)
        self.closeButton.clicked.connect(self.reject)
        self.saveButton.clicked.connect(lambda: self.start(save=True))
        self.printButton.clicked.connect(lambda: self.start(save=False))
        self._sku_changed()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        field = self.copiesSpin if self.skuEdit.text() else self.skuEdit
        field.setFocus()
        if field is self.copiesSpin:
            self.copiesSpin.selectAll()

    def job(self) -> LabelJob:
        return LabelJob(
            sku=self.skuEdit.text().strip().upper(),
            copies=self.copiesSpin.value(),
            all_stock=self.allStockCheck.isChecked(),
            template=self.templateCombo.currentText(),
            start_cell=self.startCellSpin.value(),
        )

    def _sku_changed(self) -> None:
        found = self._variants.get(self.skuEdit.text().strip().upper())
        if found is None:
            self.skuHint.setText(" ")
        else:
            parts = [found.product_name]
            parts += [f"{k} {v}" if k else v for k, v in found.options.items() if v]
            if found.track_stock:
                parts.append(f"{found.on_hand} on hand")
            self.skuHint.setText(" · ".join(parts))
        _say(self.notice, "")

    def _mode_changed(self, all_stock: bool) -> None:
        self.skuEdit.setEnabled(not all_stock)
        self.copiesSpin.setEnabled(not all_stock)
        self.skuHint.setEnabled(not all_stock)
        _say(self.notice, "")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.printButton.setEnabled(not busy)
        self.saveButton.setEnabled(not busy)

    def start(self, *, save: bool) -> None:
        """Build the PDF on a worker, then print it or ask where to save it."""
        if self._busy:
            return
        job = self.job()
        if not job.all_stock and not job.sku:
            _say(self.notice, "Scan or type the SKU to label first")
            self.skuEdit.setFocus()
            return
        self._set_busy(True)
        _say(self.notice, "Making the labels…", "info")
        reader = database.for_worker(self.uow, read_only=True)
        run_in_background(
            lambda: build_labels(reader, job),
            lambda built: self._built(built, job, save=save),
            self._failed,
            parent=self,
        )

    def _built(self, built: tuple[Path, LabelsPrinted], job: LabelJob, *, save: bool) -> None:
        pdf_path, result = built
        self._set_busy(False)
        self.last_result = result
        title = _labels_title(result)
        try:
            if not self.isVisible():  # closed while the labels were drawn: nothing to do
                return
            if save:
                message, level = _save(self, pdf_path, title, job.file_name)
            else:
                message, level = _print(self, pdf_path, title, job.file_name)
        finally:
            _done_with(pdf_path)
        if result.warnings:
            message, level = f"{message}; {result.warnings[0]}", "warn"
        self.last_message = message
        _say(self.notice, message, level)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        _say(self.notice, _first_line(error))


# ---- receipts and ticket slips --------------------------------------------------------------

# Draws a PDF into the given file on a worker: (title, suggested file name, warnings).
_Build = Callable[["UnitOfWork", Path], tuple[str, str, tuple[str, ...]]]


def _order_pdf_action(
    uow: UnitOfWork, parent: QWidget, stem: str, what: str, build: _Build, notify: Notify | None
) -> None:
    """Draw a PDF on a worker, then print it or offer to save it; the outcome, or why it
    failed ("`what` not printed: …"), goes to `notify(text, level)`."""

    def tell(text: str, level: str) -> None:
        if notify is not None:
            notify(text, level)

    reader = database.for_worker(uow, read_only=True)

    def run() -> tuple[Path, str, str, tuple[str, ...]]:
        out = _scratch_pdf(stem)
        try:
            return (out, *build(reader, out))
        except BaseException:
            out.unlink(missing_ok=True)
            raise

    def built(done: tuple[Path, str, str, tuple[str, ...]]) -> None:
        pdf_path, title, file_name, warnings = done
        try:
            message, level = _print(parent, pdf_path, title, file_name)
        finally:
            _done_with(pdf_path)
        if warnings:
            message, level = f"{message}; {warnings[0]}", "warn"
        tell(message, level)

    def failed(error: BaseException) -> None:
        tell(f"{what} not printed: {_first_line(error)}", "error")

    run_in_background(run, built, failed, parent=parent)


def receipt_action(
    uow: UnitOfWork, parent: QWidget, order_id: int, *, notify: Notify | None = None
) -> None:
    """Draw the order's receipt (width from the printing settings) on a worker, then print
    it or offer to save it. `notify(text, level)` gets the outcome for the notice line."""

    def build(reader: UnitOfWork, out: Path) -> tuple[str, str, tuple[str, ...]]:
        done: ReceiptPrinted = printing.print_receipt(reader, order_id, out)
        number = done.order_number
        return f"Receipt {number}", f"receipt-{number}.pdf", done.warnings

    _order_pdf_action(uow, parent, "receipt", "Receipt", build, notify)


def ticket_slips_action(
    uow: UnitOfWork, parent: QWidget, order_id: int, *, notify: Notify | None = None
) -> None:
    """Draw a slip for each of the order's tickets still to be served (one page, so one
    cut, each; width from the printing settings) on a worker, then print them or offer to
    save them. `notify(text, level)` gets the outcome for the notice line; an order with
    no experiences says so there."""

    def build(reader: UnitOfWork, out: Path) -> tuple[str, str, tuple[str, ...]]:
        done: SlipsPrinted = printing.print_ticket_slips(reader, order_id, out)
        number, n = done.order_number, done.slips
        title = f"{n} ticket slip{'s' if n != 1 else ''} of {number}"
        return title, f"ticket-slips-{number}.pdf", ()

    _order_pdf_action(uow, parent, "ticket-slips", "Ticket slips", build, notify)
