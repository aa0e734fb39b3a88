"""The catalog window: find, add, edit and archive products, count stock, import a file and
print labels; helpers and sellers see it read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.dialogs.kit import _roomy, _say, fit_to_screen
from popup_pos.gui.theme import TEXT_DISABLED
from popup_pos.services import events, products
from popup_pos.services.views import DEFAULT_LOW_STOCK

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

ALL = "All"
HEADERS = ("Product", "Options", "SKU", "Category", "Kind", "Price", "On hand")
LOW_COLOUR = "#f5a623"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
EMPTY = "The catalog is empty: New product (Ctrl+N) or Import a file (Ctrl+O)"


def matches(row: products.CatalogRow, needle: str, category: str, kind: str, low: bool) -> bool:
    """The filters of the window, for one row (archived rows are filtered by the caller)."""
    if category != ALL and (row.category or "") != category:
        return False
    if kind != ALL and row.kind != kind:
        return False
    if low and not (row.track_stock and row.on_hand <= (row.low_stock_at or DEFAULT_LOW_STOCK)):
        return False
    if needle:
        hay = " ".join(
            [row.product_name, row.sku, row.barcode or "", *(v for _k, v in row.options)]
        )
        return needle.casefold() in hay.casefold()
    return True


class CatalogWindow(QDialog):
    """Every variant in a table; the organizer's keys change it, others only look."""

    def __init__(
        self, uow: UnitOfWork, *, role: str, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.role, self.actor = uow, role, actor
        self.can_edit = role == "organizer"
        self.currency = events.display_currency(uow)
        self.rows: list[products.CatalogRow] = []
        self.shown: list[products.CatalogRow] = []
        _roomy(self)
        self.setWindowTitle("Catalog" if self.can_edit else "Catalog (read-only)")
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters())
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("catalogTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        layout.addLayout(self._buttons())
        self.reload()
        fit_to_screen(self, QSize(1240, 700), share=0.8)
        self.search.setFocus()

    # ---- building -----------------------------------------------------------------------

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText("Search name, SKU, barcode or size  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refilter)
        # Enter in the search goes to the rows found; Enter there opens the selected one.
        self.search.returnPressed.connect(self.table_focus)
        self.category = QComboBox()
        self.category.setObjectName("categoryFilter")
        self.category.currentTextChanged.connect(self.refilter)
        self.kind = QComboBox()
        self.kind.setObjectName("kindFilter")
        self.kind.addItems([ALL, *products.KINDS])
        self.kind.currentTextChanged.connect(self.refilter)
        self.low = QCheckBox("&Low stock")
        self.low.setObjectName("lowFilter")
        self.low.toggled.connect(self.refilter)
        self.archived = QCheckBox("Arc&hived")
        self.archived.setObjectName("archivedFilter")
        self.archived.setToolTip("Show archived products instead of the ones on sale")
        self.archived.toggled.connect(self.refilter)
        row.addWidget(self.search, 3)
        row.addWidget(QLabel("Category"))
        row.addWidget(self.category, 1)
        row.addWidget(QLabel("Kind"))
        row.addWidget(self.kind)
        row.addWidget(self.low)
        row.addWidget(self.archived)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.search.setFocus)
        return row

    def _buttons(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        spec = (
            (first, "new", "&New product  (Ctrl+N)", "Ctrl+N", self.new, True),
            (first, "edit", "&Edit  (Enter)", None, self.edit, True),
            (first, "archive", "&Archive / restore  (Ctrl+Del)", "Ctrl+Del", self.archive, True),
            (first, "import", "&Import a file…  (Ctrl+O)", "Ctrl+O", self.import_file, True),
            (second, "count", "&Count in  (Ctrl+I)", "Ctrl+I", self.count_in, True),
            (second, "adjust", "A&djust stock  (Ctrl+J)", "Ctrl+J", self.adjust, True),
            (second, "ledger", "Stock led&ger  (Ctrl+G)", "Ctrl+G", self.ledger, False),
            (second, "labels", "Print la&bels  (Ctrl+P)", "Ctrl+P", self.labels, False),
        )
        for row, key, text, keys, slot, organizer_only in spec:
            button = QPushButton(text)
            button.setObjectName(f"catalog_{key}")
            button.clicked.connect(slot)
            button.setAutoDefault(False)
            if organizer_only and not self.can_edit:
                button.setEnabled(False)
                button.setToolTip("Only the organizer can change the catalog and stock")
            elif keys:
                QShortcut(QKeySequence(keys), self).activated.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        close = QPushButton("Close  (Esc)")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        second.addStretch(1)
        second.addWidget(close)
        rows.addLayout(first)
        rows.addLayout(second)
        return rows

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        from PySide6.QtGui import QKeyEvent

        if (
            isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.hasFocus()
        ):
            self.edit()
            return
        if isinstance(event, QKeyEvent):
            super().keyPressEvent(event)

    # ---- the table ----------------------------------------------------------------------

    def reload(self) -> None:
        self.rows = products.rows(self.uow)
        current = self.category.currentText() or ALL
        cats = sorted({r.category for r in self.rows if r.category})
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItems([ALL, *cats])
        self.category.setCurrentText(current if current in cats else ALL)
        self.category.blockSignals(False)
        self.refilter()

    def refilter(self) -> None:
        args = (
            self.search.text().strip(),
            self.category.currentText() or ALL,
            self.kind.currentText(),
            self.low.isChecked(),
        )
        want_archived = self.archived.isChecked()
        self.shown = [r for r in self.rows if r.archived == want_archived and matches(r, *args)]
        self.table.setRowCount(len(self.shown))
        for i, r in enumerate(self.shown):
            price = format_money(r.price_cents, self.currency) if r.price_cents is not None else ""
            stock = str(r.on_hand) if r.track_stock else "—"
            cells = (
                r.product_name,
                " / ".join(v for _k, v in r.options),
                r.sku,
                r.category or "",
                r.kind,
                price or "at sale",
                stock,
            )
            low = r.track_stock and r.on_hand <= (r.low_stock_at or DEFAULT_LOW_STOCK)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (5, 6):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if r.archived:
                    item.setForeground(QBrush(QColor(TEXT_DISABLED)))
                elif c == 6 and low:
                    item.setForeground(QBrush(QColor(LOW_COLOUR)))
                self.table.setItem(i, c, item)
        total = len([r for r in self.rows if not r.archived])
        if not self.rows:
            _say(
                self.notice,
                "The catalog is empty: New product (Ctrl+N) or Import a file (Ctrl+O)",
                "info",
            )
        else:
            _say(self.notice, f"{len(self.shown)} shown of {total} variants on sale", "info")
        if self.shown and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def table_focus(self) -> None:
        if self.shown:
            if not self.selected():
                self.table.selectRow(0)
            self.table.setFocus()

    def selected(self) -> list[products.CatalogRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.shown[r] for r in rows if r < len(self.shown)]

    def current(self) -> products.CatalogRow | None:
        picked = self.selected()
        if picked:
            return picked[0]
        _say(self.notice, "Pick a row first")
        return None

    def select_sku(self, sku: str) -> None:
        for i, r in enumerate(self.shown):
            if r.sku == sku:
                self.table.selectRow(i)
                return

    # ---- actions ------------------------------------------------------------------------

    def _editor(self, record: products.ProductRecord | None) -> None:
        from popup_pos.gui.backoffice.product_editor import ProductEditor

        editor = ProductEditor(
            self.uow, record, currency=self.currency, actor=self.actor, parent=self
        )
        if editor.exec() and editor.saved is not None:
            self.reload()
            self.select_sku(editor.saved.variants[0].sku)
            _say(self.notice, f"Saved {editor.saved.name}", "info")

    def new(self) -> None:
        if self.can_edit:
            self._editor(None)

    def edit(self) -> None:
        row = self.current()
        if row is None:
            return
        if not self.can_edit:
            _say(self.notice, "Only the organizer can change the catalog")
            return
        try:
            self._editor(products.get(self.uow, row.product_id))
        except PosError as exc:
            _say(self.notice, str(exc))

    def archive(self) -> None:
        row = self.current()
        if row is None or not self.can_edit:
            return
        record = products.get(self.uow, row.product_id)
        restore = record.archived
        verb = "Bring back" if restore else "Archive"
        answer = QMessageBox.question(
            self,
            f"{verb} {record.name}",
            f"{verb} {record.name} and its {len(record.variants)} variant(s)?"
            + ("" if restore else " Its sales and stock history stay; it leaves the tiles."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            products.archive(self.uow, record, restore=restore, role=self.role, actor=self.actor)
        except PosError as exc:
            _say(self.notice, str(exc))
            return
        self.reload()
        _say(self.notice, f"{record.name} {'is back on sale' if restore else 'archived'}", "info")

    def count_in(self) -> None:
        if not self.can_edit:
            return
        from popup_pos.gui.backoffice.stock import CountInDialog

        row = self.selected()
        CountInDialog(self.uow, actor=self.actor, parent=self).exec()
        self.reload()
        if row:
            self.select_sku(row[0].sku)

    def adjust(self) -> None:
        row = self.current()
        if row is None or not self.can_edit:
            return
        from popup_pos.gui.backoffice.stock import AdjustDialog

        dialog = AdjustDialog(self.uow, row.sku, actor=self.actor, parent=self)
        if dialog.exec():
            self.reload()
            self.select_sku(row.sku)
            _say(self.notice, f"{row.sku}: {dialog.result_on_hand} on hand", "info")

    def ledger(self) -> None:
        row = self.current()
        if row is None:
            return
        from popup_pos.gui.backoffice.stock import LedgerDialog

        LedgerDialog(self.uow, row.variant_id, row.sku, self).exec()

    def labels(self) -> None:
        picked = self.selected()
        if not picked:
            _say(self.notice, "Select the variants to label first (Ctrl+click, Shift+click)")
            return
        from popup_pos.gui.backoffice.labels import CatalogLabelsDialog

        CatalogLabelsDialog(self.uow, [(r.sku, r.on_hand) for r in picked], self).exec()

    def import_file(self) -> None:
        if not self.can_edit:
            return
        from popup_pos.gui.backoffice.import_file import ImportDialog

        dialog = ImportDialog(self.uow, actor=self.actor, parent=self)
        dialog.exec()
        if dialog.imported:
            self.reload()
            _say(self.notice, dialog.imported, "info")
