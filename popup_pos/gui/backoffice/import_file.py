"""Import a Shopify, Square, Loyverse or native catalog file from the app: a preview of
what is new, changed and unchanged and of every problem by row and column, then all of it
or none of it, on a worker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.catalog_file import CatalogFileError
from popup_pos.domain.money import format_money
from popup_pos.gui.dialogs.kit import _first_line, _primary, _roomy, _say, fit_to_screen
from popup_pos.gui.worker import run_in_background
from popup_pos.services import catalog_files, database, events

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

FILE_FILTER = "Catalog files (*.csv *.xlsx *.tsv *.txt);;All files (*)"
_PRICE = re.compile(r"price (?P<sku>\S+): (?P<old>-?\d+|None) → (?P<new>-?\d+|None)")


def describe(change: str, currency: str) -> tuple[str, str]:
    """(what, detail) of one line of the import's report, prices as money."""
    m = _PRICE.fullmatch(change)
    if m:

        def money(raw: str) -> str:
            return "at sale" if raw == "None" else format_money(int(raw), currency)

        return "Price changes", f"{m['sku']}: {money(m['old'])} → {money(m['new'])}"
    for prefix, what in (
        ("new product", "New product"),
        ("new variant", "New variant"),
        ("stock", "Stock changes"),
        ("bundle", "Bundle changes"),
    ):
        if change.startswith(prefix):
            return what, change[len(prefix) :].strip()
    return "Change", change


def _n(count: int, what: str) -> str:
    return f"{count} {what}{'s' if count != 1 else ''}"


class ImportDialog(QDialog):
    def __init__(self, uow: UnitOfWork, *, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uow, self.actor = uow, actor
        self.currency = events.display_currency(uow)
        self.path: Path | None = None
        self.preview: catalog_files.FileImport | None = None
        self.problems: list[str] = []
        self.imported = ""
        _roomy(self)
        self.setWindowTitle("Import a catalog file")
        layout = QVBoxLayout(self)
        pick = QHBoxLayout()
        self.file_label = QLabel("Shopify, Square, Loyverse or popup-pos CSV / XLSX")
        self.file_label.setWordWrap(True)
        choose = QPushButton("&Choose a file…")
        choose.setObjectName("chooseFile")
        choose.clicked.connect(self.choose)
        self.again = QPushButton("Check a&gain")
        self.again.setToolTip("Read the same file again, after fixing it")
        self.again.setEnabled(False)
        self.again.clicked.connect(lambda: self.check(self.path) if self.path else None)
        pick.addWidget(self.file_label, 1)
        pick.addWidget(self.again)
        pick.addWidget(choose)
        layout.addLayout(pick)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("importPreview")
        self.table.setHorizontalHeaderLabels(["What", "Detail"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the import reports no steps
        self.progress.hide()
        layout.addWidget(self.progress)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("&Import all of it")
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        _primary(self.import_button)
        self.import_button.clicked.connect(self.apply)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        fit_to_screen(self, QSize(1000, 640))

    def choose(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(
            self, "Catalog file", str(Path.home()), FILE_FILTER
        )
        if chosen:
            self.check(Path(chosen))

    def _busy(self, text: str) -> None:
        self.import_button.setEnabled(False)
        self.progress.show()
        _say(self.notice, text, "info")

    def check(self, path: Path) -> None:
        """Read and check the file on a worker: nothing is written."""
        self.path, self.preview, self.problems = path, None, []
        self.again.setEnabled(True)
        self.file_label.setText(str(path))
        self.table.setRowCount(0)
        self.summary.setText("")
        self._busy(f"Checking {path.name}…")
        reader = database.for_worker(self.uow, read_only=True)
        run_in_background(
            lambda: catalog_files.import_file(reader, path, dry_run=True, actor=self.actor),
            self._previewed,
            self._refused,
            parent=self,
        )

    def _rows(self, rows: list[tuple[str, str]]) -> None:
        self.table.setRowCount(len(rows))
        for r, (what, detail) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(detail))
        self.table.resizeColumnToContents(0)

    def _previewed(self, result: catalog_files.FileImport) -> None:
        self.progress.hide()
        self.preview = result
        rep = result.report
        changed = rep.updated_variants - rep.unchanged_variants
        self.summary.setText(
            f"{result.format} file, {_n(result.variants, 'variant')}: "
            f"{_n(rep.created_products, 'new product')}, "
            f"{_n(rep.created_variants, 'new variant')}, {max(changed, 0)} changed, "
            f"{rep.unchanged_variants} unchanged"
        )
        rows = [describe(c, self.currency) for c in rep.changes]
        rows += [("Warning", w) for w in rep.warnings]
        self._rows(rows or [("Nothing", "the catalog already matches this file")])
        self.import_button.setEnabled(bool(rep.changes))
        _say(
            self.notice, "Nothing is written until you press Import" if rep.changes else "", "info"
        )

    def _refused(self, error: BaseException) -> None:
        self.progress.hide()
        if isinstance(error, CatalogFileError):
            self.problems = [str(p) for p in error.problems]
            self._rows([(f"Row {p.row}", f"{p.column}: {p.message}") for p in error.problems])
            n = len(error.problems)
            self.summary.setText(
                f"{n} problem{'s' if n != 1 else ''}: nothing will be imported until the file "
                "is fixed (row numbers are the spreadsheet's)"
            )
            _say(self.notice, str(error.problems[0]) if error.problems else str(error))
        else:
            _say(self.notice, _first_line(error))

    def apply(self) -> None:
        """All of it in one transaction, on a worker; a problem found now writes nothing."""
        path = self.path
        if path is None or self.preview is None:
            return
        self._busy(f"Importing {path.name}…")
        writer = database.for_worker(self.uow)
        run_in_background(
            lambda: catalog_files.import_file(writer, path, actor=self.actor),
            self._done,
            self._refused,
            parent=self,
        )

    def _done(self, result: catalog_files.FileImport) -> None:
        self.progress.hide()
        rep = result.report
        self.imported = (
            f"Imported {self.path.name if self.path else 'the file'}: "
            f"{rep.created_variants} new, {rep.updated_variants} updated"
        )
        self.preview = None
        _say(self.notice, self.imported, "info")
