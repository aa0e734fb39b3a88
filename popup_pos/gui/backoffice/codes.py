"""Download codes: each digital item's pool counted, a pool imported, a code found or voided."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.backoffice.parts import (
    AskPin,
    fill,
    first_line,
    local_time,
    organizer_for,
    say,
    table,
)
from popup_pos.gui.worker import run_in_background
from popup_pos.services import code_pool, database
from popup_pos.services.views import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

POOL_HEADERS = ("Item", "SKU", "Unused", "Held", "Assigned", "Voided")
FOUND_HEADERS = ("Code", "SKU", "Status", "Order", "Event", "When")
STATUS_NAMES = {"unused": "unused", "assigned": "handed out", "void": "void"}


class CodesWindow(QDialog):
    """Sellers and helpers can look; importing and voiding are the organizer's."""

    def __init__(
        self,
        uow: UnitOfWork,
        staff: StaffInfo,
        parent: QWidget | None = None,
        *,
        ask_pin: AskPin | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codesWindow")
        self.uow, self.staff, self.ask_pin = uow, staff, ask_pin
        self.setWindowTitle("Download codes")
        self.resize(1040, 600)
        self.pools: list[code_pool.PoolCount] = []
        self.found: list[code_pool.CodeRecord] = []
        layout = QVBoxLayout(self)

        layout.addWidget(
            QLabel("Each digital item's codes. Held: kept for orders awaiting payment.")
        )
        self.pool_table = table(POOL_HEADERS, 0)
        layout.addWidget(self.pool_table, 3)
        row = QHBoxLayout()
        self.import_button = QPushButton("Import codes for the selected item…")
        self.import_button.clicked.connect(self.import_codes)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)

        find = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("codeSearch")
        self.search.setPlaceholderText("Type or scan a download code, then Enter")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_code)
        find.addWidget(self.search, 1)
        self.find_button = QPushButton("Find")
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find_code)
        find.addWidget(self.find_button)
        layout.addLayout(find)
        self.found_table = table(FOUND_HEADERS, 0)
        layout.addWidget(self.found_table, 2)
        actions = QHBoxLayout()
        self.void_button = QPushButton("Void this code…")
        self.void_button.setEnabled(False)
        self.void_button.clicked.connect(self.void_selected)
        self.found_table.itemSelectionChanged.connect(self._selection_changed)
        actions.addWidget(self.void_button)
        self.order_button = QPushButton("Open its order…")
        self.order_button.setEnabled(False)
        self.order_button.clicked.connect(self.open_order)
        actions.addWidget(self.order_button)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Enter searches (or finds a scanned code); it must never close the window.
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setDefault(False)
        layout.addWidget(buttons)
        for b in (self.import_button, self.void_button, self.order_button):
            b.setAutoDefault(False)
        self.load()
        self.search.setFocus()

    # ---- the pools ------------------------------------------------------------------------

    def load(self) -> None:
        try:
            self.pools = code_pool.pool_counts(self.uow)
        except PosError as exc:
            self.say(first_line(exc), "error")
            return
        fill(
            self.pool_table,
            [
                (p.name, p.sku, str(p.unused), str(p.held), str(p.assigned), str(p.void))
                for p in self.pools
            ],
            numeric=(2, 3, 4, 5),
        )
        if self.pools and not self.pool_table.selectedItems():
            self.pool_table.selectRow(0)

    def selected_pool(self) -> code_pool.PoolCount | None:
        rows = self.pool_table.selectionModel().selectedRows()
        return self.pools[rows[0].row()] if rows else None

    def choose_file(self, sku: str) -> str:
        """The file to import (a seam for tests); "" when the organizer gives up."""
        path, _filter = QFileDialog.getOpenFileName(
            self, f"Download codes for {sku}", "", "Code files (*.txt *.csv);;All files (*)"
        )
        return path

    def import_codes(self) -> None:
        pool = self.selected_pool()
        if pool is None:
            self.say("Add a digital item in the catalog first, then import its codes", "warn")
            return
        who = organizer_for(self.staff, self.ask_pin, "import download codes")
        if who is None:
            self.say("Only the organizer can import download codes", "error")
            return
        path = self.choose_file(pool.sku)
        if not path:
            return
        worker = database.for_worker(self.uow)
        sku = pool.sku

        def run() -> code_pool.CodeImport:
            # A pool of thousands is checked against the database: never on the GUI thread.
            return code_pool.import_pool(worker, sku, path, by=who)

        self.import_button.setEnabled(False)
        self.say(f"Importing {Path(path).name}…", "info")
        run_in_background(run, self._imported, self._import_failed, parent=self)

    def _imported(self, done: code_pool.CodeImport) -> None:
        self.import_button.setEnabled(True)
        self.load()
        self.say(f"Added {done.added:,} codes to {done.sku}: {done.unused:,} unused now", "info")

    def _import_failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        # A bad file's message names its first bad row and how many more there are.
        self.say(f"Nothing imported: {first_line(error)}", "error")

    # ---- one code -------------------------------------------------------------------------

    def find_code(self) -> None:
        try:
            self.found = code_pool.find_code(self.uow, self.search.text())
        except PosError as exc:
            self.found = []
            self._show_found()
            self.say(first_line(exc), "warn")
            return
        self._show_found()
        text = self.search.text().strip()
        if not self.found:
            self.say(f"No download code {text!r} in any pool", "warn")
        elif len(self.found) == 1 and self.found[0].order_number:
            c = self.found[0]
            self.say(f"{c.code} went to order {c.order_number} ({c.event_name})", "info")
        else:
            self.say(f"{len(self.found)} code(s) spelt {text!r}", "info")
        if self.found:
            self.found_table.selectRow(0)

    def _show_found(self) -> None:
        fill(
            self.found_table,
            [
                (
                    c.code,
                    c.sku,
                    STATUS_NAMES.get(c.status, c.status),
                    c.order_number or "",
                    c.event_name or "",
                    local_time(c.voided_at or c.assigned_at or c.imported_at),
                )
                for c in self.found
            ],
        )
        self._selection_changed()

    def selected_code(self) -> code_pool.CodeRecord | None:
        rows = self.found_table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows and rows[0].row() < len(self.found) else None

    def _selection_changed(self) -> None:
        code = self.selected_code()
        self.void_button.setEnabled(code is not None and code.status != "void")
        self.order_button.setEnabled(code is not None and code.order_id is not None)

    def open_order(self) -> None:
        """The order the selected code went to, in the Orders window."""
        code = self.selected_code()
        if code is None or code.order_id is None or code.order_number is None:
            return
        from popup_pos.gui.backoffice.orders import OrdersWindow

        orders = OrdersWindow(self.uow, self.staff, self, ask_pin=self.ask_pin)
        orders.open_on(code.order_number, code.order_id)
        orders.exec()

    def ask_reason(self, code: code_pool.CodeRecord) -> str | None:
        """Why the code is voided (a seam for tests); None when the organizer cancels."""
        where = f", given with {code.order_number}" if code.order_number else ""
        text, ok = QInputDialog.getText(
            self,
            "Void a download code",
            f"Void {code.code} ({code.sku}{where})? It can never be handed out again.\n"
            "Reason (optional):",
        )
        return text if ok else None

    def void_selected(self) -> None:
        code = self.selected_code()
        if code is None:
            self.say("Find the code to void first", "warn")
            return
        who = organizer_for(self.staff, self.ask_pin, "void a download code")
        if who is None:
            self.say("Only the organizer can void a download code", "error")
            return
        reason = self.ask_reason(code)
        if reason is None:
            return
        try:
            done = code_pool.void_code(self.uow, code.id, by=who, reason=reason)
        except PosError as exc:
            self.say(first_line(exc), "error")
            return
        left = f"; {done.stock_left} left to sell" if done.stock_left is not None else ""
        self.say(f"Voided {done.code.code} of {done.code.sku}{left}", "info")
        self.found = [done.code if c.id == done.code.id else c for c in self.found]
        self._show_found()
        self.load()

    def say(self, text: str, level: str) -> None:
        say(self.notice, text, level)
