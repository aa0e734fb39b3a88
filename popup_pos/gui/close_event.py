"""Closing the night: count the cash, deal with unpaid orders, count stock out, see over/short."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.gui import close_result
from popup_pos.gui.close_result import _numbers, blocked_message
from popup_pos.gui.dialogs.cash_count import denomination_label, denominations
from popup_pos.gui.dialogs.kit import (
    _count,
    _first_line,
    _NextOnEnter,
    _prepare_notice,
    _primary,
    _roomy,
    _say,
    fit_to_screen,
    scrolling,
)
from popup_pos.gui.report_export import PROGRESS_POLL_MS, ExportBar, ProgressBox
from popup_pos.gui.report_parts import (
    RIGHT,
    _card,
    _figures,
    _heading,
    _label,
    over_short_colour,
    over_short_text,
)
from popup_pos.gui.theme import AMBER, TEXT_MUTED
from popup_pos.gui.worker import run_in_background
from popup_pos.services import catalog, closing, database, payments
from popup_pos.services.closing import (
    CashCount,
    CloseBlockedError,
    ClosePreview,
    CloseResult,
)
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


class CloseEventDialog(QDialog):
    """The organizer closes the open event; `closed` fires with the CloseResult.

    The dialog then shows over/short and what happened to orders and stock, with
    "Report…" and "Export…" for the night just closed.
    """

    closed = Signal(object)

    # Built by the result page (close_result.py).
    result_title: QLabel
    result_layout: QVBoxLayout
    result_over_short: QLabel
    result_details: QLabel
    result_audit_head: QLabel
    result_figures: QFrame
    report_button: QPushButton
    export_bar: ExportBar
    done_button: QPushButton

    def __init__(
        self, uow: UnitOfWork, organizer: StaffInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.uow, self.organizer = uow, organizer
        self.preview: ClosePreview = closing.close_preview(uow)
        self.currency = self.preview.event.currency
        self.close_result: CloseResult | None = None
        self.busy = False
        self._counts: list[tuple[int, QLineEdit]] = []
        self._stock: list[tuple[str, int, QLineEdit]] = []
        self._box = ProgressBox()
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_POLL_MS)
        self._timer.timeout.connect(self._poll)
        _roomy(self)
        self.setWindowTitle(f"Close {self.preview.event.name}")
        fit_to_screen(self, QSize(1180, 840), share=0.75)

        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self.pages.addWidget(self._count_page())
        self.pages.addWidget(self._result_page())
        self._show_orders()
        self._update_total()

    # ---- page 1: counting ------------------------------------------------------------------

    def _count_page(self) -> QWidget:
        # The four steps scroll; the notice and the buttons under them always show.
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        layout = QVBoxLayout(body)
        outer.addWidget(scrolling(body), 1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        _prepare_notice(self.notice)
        # Room kept for a message, so the dialog does not jump when one appears.
        self.notice.setMinimumHeight(self.notice.fontMetrics().height() + 20)
        title = QLabel(f"Close “{self.preview.event.name}”")
        title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        layout.addWidget(title)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        layout.addLayout(columns, 1)

        left = QVBoxLayout()
        columns.addLayout(left, 5)
        cash, cash_layout = _card()
        cash_layout.addWidget(_heading("1. Count the cash in the drawer"))
        modes = QHBoxLayout()
        self.by_count_radio = QRadioButton("Note by note")
        self.by_total_radio = QRadioButton("Type the total")
        self.by_count_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_count_radio)
        group.addButton(self.by_total_radio)
        modes.addWidget(self.by_count_radio)
        modes.addWidget(self.by_total_radio)
        modes.addStretch(1)
        cash_layout.addLayout(modes)
        self.cash_stack = QStackedWidget()
        self.count_table = self._denomination_table()
        self.cash_stack.addWidget(self.count_table)
        total_page = QWidget()
        total_layout = QVBoxLayout(total_page)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("e.g. 1234.50")
        self.total_edit.setAccessibleName("cash counted in total")
        self.total_edit.setStyleSheet("font-size: 22pt;")
        self.total_edit.textChanged.connect(self._update_total)
        total_layout.addWidget(_label("All the cash in the drawer, float included:"))
        total_layout.addWidget(self.total_edit)
        total_layout.addStretch(1)
        self.cash_stack.addWidget(total_page)
        cash_layout.addWidget(self.cash_stack, 1)
        self.by_total_radio.toggled.connect(self._mode_changed)
        left.addWidget(cash, 1)

        right = QVBoxLayout()
        columns.addLayout(right, 6)
        drawer, drawer_layout = _card()
        drawer_layout.addWidget(_heading("2. Over or short"))
        c = self.preview.cash
        drawer_layout.addLayout(
            _figures(
                [
                    ("Float", self._m(c.float_cents), False),
                    ("+ cash sales", self._m(c.cash_sales_cents), False),
                    ("− cash refunds", self._m(c.cash_refunds_cents), False),
                    ("+ paid in − paid out", self._m(c.paid_in_cents - c.paid_out_cents), False),
                    ("Expected in the drawer", self._m(c.expected_cents), True),
                ]
                # Who holds what: a phone's cash is in the total, in its helper's hands.
                + [(f"of which with {p.label}", self._m(p.cents), False) for p in c.held_by_phones]
                # Openings with no sale are listed for the count, with no amount.
                + ([("Drawer opened, no sale", f"{c.no_sales}×", False)] if c.no_sales else [])
            )
        )
        self.counted_label = _label("", size=19, bold=True)
        self.counted_label.setAlignment(RIGHT)
        counted_row = QHBoxLayout()
        counted_row.addWidget(_label("Counted", size=19, bold=True))
        counted_row.addWidget(self.counted_label, 1)
        drawer_layout.addLayout(counted_row)
        self.over_short_label = _label("", size=26, bold=True)
        self.over_short_label.setAccessibleName("over or short")
        drawer_layout.addWidget(self.over_short_label)
        right.addWidget(drawer)

        orders, orders_layout = _card()
        self.orders_card = orders
        orders_layout.addWidget(_heading("3. Orders not paid yet"))
        self.orders_label = QLabel()
        self.orders_label.setWordWrap(True)
        orders_layout.addWidget(self.orders_label)
        self.carry_over_check = QCheckBox("Carry over orders with a payment being checked")
        self.carry_over_hint = _label(
            "They stay awaiting payment and become paid when the card payment arrives.",
            colour=TEXT_MUTED,
        )
        self.cancel_unpaid_check = QCheckBox("Cancel unpaid orders")
        self.cancel_unpaid_hint = _label(
            "Their items go back on the shelf; any part payment is handed back.",
            colour=TEXT_MUTED,
        )
        for widget in (
            self.carry_over_check,
            self.carry_over_hint,
            self.cancel_unpaid_check,
            self.cancel_unpaid_hint,
        ):
            orders_layout.addWidget(widget)
        for hint in (self.carry_over_hint, self.cancel_unpaid_hint):
            hint.setWordWrap(True)
            hint.setContentsMargins(34, 0, 0, 4)
        self.carry_over_check.toggled.connect(lambda: _say(self.notice, ""))
        self.cancel_unpaid_check.toggled.connect(lambda: _say(self.notice, ""))
        right.addWidget(orders)

        stock, stock_layout = _card()
        stock_layout.addWidget(_heading("4. Stock (optional)"))
        self.count_out_check = QCheckBox("Count the stock out: set each item to what is left")
        self.count_out_check.toggled.connect(self._count_out_toggled)
        stock_layout.addWidget(self.count_out_check)
        self.stock_table = self._stock_table()
        self.stock_table.setVisible(False)
        stock_layout.addWidget(self.stock_table, 1)
        self.stock_summary = _label("", colour=TEXT_MUTED)
        self.stock_summary.setVisible(False)
        stock_layout.addWidget(self.stock_summary)
        right.addWidget(stock, 1)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout = outer
        layout.addWidget(self.progress)
        layout.addWidget(self.notice)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = QPushButton("Close the event")
        self.close_button.setAutoDefault(False)
        _primary(self.close_button)
        self.close_button.setMinimumWidth(280)
        self.close_button.clicked.connect(self.submit)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._install_enter_order()
        return page

    def _denomination_table(self) -> QTableWidget:
        values = denominations(self.currency)
        table = QTableWidget(len(values), 3)
        table.setHorizontalHeaderLabels(["Note or coin", "How many", "Amount"])
        table.verticalHeader().setVisible(False)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 150)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, value in enumerate(values):
            name = QTableWidgetItem(denomination_label(value, self.currency))
            table.setItem(row, 0, name)
            # A plain field: blank means none, and nothing stray is left in front of a tap.
            count = QLineEdit()
            count.setValidator(QIntValidator(0, 99999, count))
            count.setPlaceholderText("0")
            count.setAlignment(RIGHT)
            count.setAccessibleName(f"number of {name.text()}")
            count.textChanged.connect(self._update_total)
            table.setCellWidget(row, 1, count)
            amount = QTableWidgetItem("")
            amount.setTextAlignment(RIGHT)
            table.setItem(row, 2, amount)
            table.setRowHeight(row, 46)
            self._counts.append((value, count))
        return table

    def _stock_table(self) -> QTableWidget:
        # Bundles are left out: their units are their components'.
        # Download codes are counted by the app itself; there is nothing on the table to count.
        variants = [
            v
            for v in catalog.list_variants(self.uow)
            if v.track_stock and not v.is_bundle and v.kind != "digital"
        ]
        table = QTableWidget(len(variants), 4)
        table.setHorizontalHeaderLabels(["SKU", "Item", "On hand", "Counted"])
        table.verticalHeader().setVisible(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setMinimumHeight(220)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(3, 120)
        for row, v in enumerate(sorted(variants, key=lambda v: v.sku)):
            table.setItem(row, 0, QTableWidgetItem(v.sku))
            table.setItem(row, 1, QTableWidgetItem(v.label))
            on_hand = QTableWidgetItem(str(v.on_hand))
            on_hand.setTextAlignment(RIGHT)
            table.setItem(row, 2, on_hand)
            # Prefilled with what the ledger says: only the items that differ need typing.
            counted = QLineEdit(str(v.on_hand))
            counted.setValidator(QIntValidator(0, 999999, counted))
            counted.setAlignment(RIGHT)
            counted.setAccessibleName(f"{v.sku} counted")
            counted.textChanged.connect(self._update_stock_summary)
            table.setCellWidget(row, 3, counted)
            table.setRowHeight(row, 44)
            self._stock.append((v.sku, v.on_hand, counted))
        return table

    def _install_enter_order(self) -> None:
        fields: list[QObject] = [field for _, field in self._counts]
        self._enter_filter = _NextOnEnter(fields, self.close_button, self)
        for field in fields:
            field.installEventFilter(self._enter_filter)

    def _m(self, cents: int) -> str:
        return format_money(cents, self.currency)

    # ---- live figures ------------------------------------------------------------------------

    def set_count(self, value: int, count: int) -> None:
        """Set how many of one note or coin (in minor units) were counted."""
        for each, field in self._counts:
            if each == value:
                field.setText(str(count) if count else "")
                return
        raise KeyError(f"{value} is not a {self.currency} denomination here")

    def set_stock_count(self, sku: str, counted: int | None) -> None:
        """Set one item's count-out (None: not counted)."""
        for each, _on_hand, field in self._stock:
            if each == sku:
                field.setText("" if counted is None else str(counted))
                return
        raise KeyError(f"{sku} is not a stocked item")

    def cash_count(self) -> CashCount | None:
        """The count by denomination, or None when the total was typed."""
        if self.by_total_radio.isChecked():
            return None
        return CashCount(tuple((v, _count(f)) for v, f in self._counts if _count(f)))

    def counted_cents(self) -> int | None:
        """The cash counted, or None while nothing has been entered.

        Raises PosError for a typed total that cannot be read.
        """
        count = self.cash_count()
        if count is not None:
            return count.total_cents if count.denominations else None
        text = self.total_edit.text()
        if not text.strip():
            return None
        return parse_amount(text, self.currency, what="counted cash")

    def count_out(self) -> dict[str, int] | None:
        """SKU -> units counted, when the stock is being counted out (blank rows skipped)."""
        if not self.count_out_check.isChecked():
            return None
        return {sku: int(f.text()) for sku, _on_hand, f in self._stock if f.text().isdigit()}

    def _mode_changed(self) -> None:
        by_total = self.by_total_radio.isChecked()
        self.cash_stack.setCurrentIndex(1 if by_total else 0)
        if by_total:
            self.total_edit.setFocus()
        elif self._counts:
            self._counts[0][1].setFocus(Qt.FocusReason.TabFocusReason)
        self._update_total()

    def _update_total(self) -> None:
        for row, (value, field) in enumerate(self._counts):
            item = self.count_table.item(row, 2)
            if item is not None:
                n = _count(field)
                item.setText(self._m(value * n) if n else "")
        expected = self.preview.cash.expected_cents
        try:
            counted = self.counted_cents()
        except PosError:
            self.counted_label.setText("—")
            self.over_short_label.setText("Type the total as an amount, e.g. 1234.50")
            self.over_short_label.setStyleSheet(f"font-size: 17pt; color: {AMBER};")
            return
        if counted is None:
            self.counted_label.setText("—")
            self.over_short_label.setText("Count the cash to see over or short")
            self.over_short_label.setStyleSheet(f"font-size: 17pt; color: {TEXT_MUTED};")
        else:
            self.counted_label.setText(self._m(counted))
            gap = counted - expected
            self.over_short_label.setText(over_short_text(gap, self.currency))
            self.over_short_label.setStyleSheet(
                f"font-size: 26pt; font-weight: bold; color: {over_short_colour(gap)};"
            )
        if not self.busy:
            _say(self.notice, "")

    def _count_out_toggled(self, on: bool) -> None:
        self.stock_table.setVisible(on)
        self.stock_summary.setVisible(on)
        self._update_stock_summary()

    def _update_stock_summary(self) -> None:
        differ = []
        for _sku, on_hand, field in self._stock:
            counted = int(field.text()) if field.text().isdigit() else None
            # A count that differs from the ledger stands out for a second look.
            off = counted is not None and counted != on_hand
            field.setStyleSheet(f"color: {AMBER}; font-weight: bold;" if off else "")
            if counted is not None:
                differ.append((on_hand, counted))
        changed = [(a, b) for a, b in differ if a != b]
        missing = sum(a - b for a, b in changed if a > b)
        extra = sum(b - a for a, b in changed if b > a)
        if not changed:
            text = "Every item matches what is on hand."
        else:
            text = f"{len(changed)} item(s) differ from on hand: {missing} missing, {extra} extra."
        self.stock_summary.setText(text)

    def _show_orders(self) -> None:
        pending, unpaid = self.preview.pending, self.preview.unpaid
        lines = []
        if unpaid:
            lines.append(f"Awaiting payment: {_numbers(unpaid)}")
        if pending:
            lines.append(f"Payment being checked: {_numbers(pending)}")
        self.orders_label.setText("\n".join(lines) or "None: every order is paid or cancelled.")
        self.orders_label.setStyleSheet(f"color: {AMBER};" if lines else f"color: {TEXT_MUTED};")
        for widget in (self.carry_over_check, self.carry_over_hint):
            widget.setVisible(bool(pending) or self.carry_over_check.isChecked())
        for widget in (self.cancel_unpaid_check, self.cancel_unpaid_hint):
            widget.setVisible(bool(unpaid) or self.cancel_unpaid_check.isChecked())

    def refresh(self) -> None:
        """Read the drawer and the unpaid orders again (another register may have sold)."""
        self.preview = closing.close_preview(self.uow)
        self._show_orders()
        self._update_total()

    # ---- closing -----------------------------------------------------------------------------

    def submit(self) -> None:
        """Close the event on a worker; the result or the reason it was refused comes back."""
        if self.busy:
            return
        try:
            counted = self.counted_cents()
        except PosError as exc:
            _say(self.notice, _first_line(exc))
            return
        if counted is None:
            _say(self.notice, "Count the cash first, or type the total (0 for an empty drawer)")
            return
        cash_count = self.cash_count()
        total = None if cash_count is not None else counted
        carry, cancel = self.carry_over_check.isChecked(), self.cancel_unpaid_check.isChecked()
        counts = self.count_out()
        uow, actor, box = self.uow, self.organizer.name, self._box

        def job() -> CloseResult:
            return closing.close_event(
                database.for_worker(uow),
                total,
                actor,
                cash_count=cash_count,
                carry_over=carry,
                cancel_unpaid=payments.cancel_order if cancel else None,
                count_out=counts,
                progress=box.put,
            )

        self._set_busy(True)
        _say(self.notice, "Closing the event…", "info")
        run_in_background(job, self._closed, self._refused, parent=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.close_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self._timer.start()
        else:
            self._timer.stop()
            self._box.take()

    def _poll(self) -> None:
        latest = self._box.take()
        if latest is not None:
            done, total = latest
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, CloseBlockedError):
            message = blocked_message(error)
        elif isinstance(error, PosError):
            message = _first_line(error)
        else:
            log.error("closing the event failed", exc_info=error)
            message = f"Closing failed: {_first_line(error)}"
        try:
            # Cancels and counts already saved, or orders taken meanwhile, show up here.
            self.refresh()
        except PosError as exc:
            message = _first_line(exc)
        _say(self.notice, message)

    def _closed(self, result: CloseResult) -> None:
        self._set_busy(False)
        self.close_result = result
        self._fill_result(result)
        self.pages.setCurrentIndex(1)
        self.setWindowTitle(f"{result.event.name} is closed")
        self.done_button.setFocus()
        self.closed.emit(result)

    # ---- page 2: the result (close_result.py) -------------------------------------------

    _result_page = close_result._result_page
    _fill_result = close_result._fill_result
    open_report = close_result.open_report
