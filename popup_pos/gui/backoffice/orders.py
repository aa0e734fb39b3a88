"""Orders: this event's and past events', searched by number, SKU, amount, time or code; one
opened with its lines, payments, codes and tickets, its receipt reprinted or refunded."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.backoffice.parts import (
    AskPin,
    fill,
    first_line,
    local_time,
    organizer_for,
    say,
    table,
)
from popup_pos.services import order_lookup
from popup_pos.services.views import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

HEADERS = ("Number", "Event", "Time", "Items", "Total", "Tenders", "Status")
SEARCH_DELAY_MS = 250  # typing pauses this long before the list is searched
STATUS_NAMES = {
    "awaiting_payment": "awaiting payment",
    "partially_refunded": "partly refunded",
}


def _status(status: str) -> str:
    return STATUS_NAMES.get(status, status)


class OrdersWindow(QDialog):
    """Anyone signed in can look and reprint; a refund needs the organizer."""

    def __init__(
        self,
        uow: UnitOfWork,
        staff: StaffInfo,
        parent: QWidget | None = None,
        *,
        ask_pin: AskPin | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ordersWindow")
        self.uow, self.staff, self.ask_pin = uow, staff, ask_pin
        self.setWindowTitle("Orders")
        self.resize(1180, 620)
        self.rows: list[order_lookup.OrderRow] = []
        self.detail: order_lookup.OrderDetail | None = None
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText(
            "Order number, SKU, amount, time (21:30), date (2026-12-04) or download code"
        )
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.every_event = QCheckBox("Past events too")
        top.addWidget(self.every_event)
        layout.addLayout(top)
        self.count = QLabel("")
        layout.addWidget(self.count)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.table = table(HEADERS, 1)
        split.addWidget(self.table)
        self.view = QTextBrowser()
        self.view.setObjectName("orderDetail")
        self.view.setOpenLinks(False)
        split.addWidget(self.view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([200, 300])
        layout.addWidget(split, 1)

        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        actions = QHBoxLayout()
        self.reprint_button = QPushButton("Reprint receipt")
        self.reprint_button.clicked.connect(self.reprint)
        self.refund_button = QPushButton("Refund…")
        self.refund_button.clicked.connect(self.refund)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        for b in (self.reprint_button, self.refund_button, self.close_button):
            # Enter searches (or opens the newest match): it must never press a button.
            b.setAutoDefault(False)
            b.setDefault(False)
            actions.addWidget(b)
        actions.insertStretch(2, 1)
        self.reprint_button.setEnabled(False)
        self.refund_button.setEnabled(False)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.every_event.toggled.connect(lambda _on: self.run_search())
        self.table.itemSelectionChanged.connect(self._picked)
        self.run_search()
        self.search.setFocus()

    # ---- the list -------------------------------------------------------------------------

    def _search_now(self) -> None:
        """Enter: search now and open the newest match, with the keys on the list."""
        self._timer.stop()
        self.run_search()
        if self.rows:
            if not self.table.selectionModel().selectedRows():
                self.table.selectRow(0)
            self.table.setFocus()

    def run_search(self) -> None:
        keep = self.detail.head.id if self.detail is not None else None
        try:
            found, self.rows = order_lookup.search_orders(
                self.uow, self.search.text(), every_event=self.every_event.isChecked()
            )
        except PosError as exc:
            self.rows = []
            self._fill()
            self.count.setText("")
            say(self.notice, first_line(exc), "warn")
            return
        self._fill()
        n = len(self.rows)
        more = f" (the newest {n:,})" if n >= order_lookup.MAX_RESULTS else ""
        scope = "all events" if found.every_event else "this event"
        what = f" matching {found.text.strip()!r}" if found.match is not None else ""
        self.count.setText(f"{n:,} order{'s' if n != 1 else ''} of {scope}{what}{more}")
        say(self.notice, "", "info")
        ids = [r.id for r in self.rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif n == 1:
            self.table.selectRow(0)
        else:
            self.show_order(None)

    def open_on(self, number: str, order_id: int) -> None:
        """Show one order, of whichever event (a download code's, say)."""
        self.every_event.blockSignals(True)
        self.every_event.setChecked(True)
        self.every_event.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(number)
        self.search.blockSignals(False)
        self.run_search()
        ids = [r.id for r in self.rows]
        if order_id in ids:
            self.table.selectRow(ids.index(order_id))

    def _fill(self) -> None:
        fill(
            self.table,
            [
                (
                    r.number,
                    r.event_name,
                    local_time(r.created_at),
                    str(r.units),
                    format_money(r.total_cents, r.currency),
                    ", ".join(r.tenders),
                    _status(r.status),
                )
                for r in self.rows
            ],
            numeric=(3, 4),
        )

    def _picked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.rows):
            self.show_order(self.rows[rows[0].row()].id)

    # ---- one order ------------------------------------------------------------------------

    def show_order(self, order_id: int | None) -> None:
        self.detail = None
        if order_id is not None:
            try:
                self.detail = order_lookup.open_order(self.uow, order_id)
            except PosError as exc:
                say(self.notice, first_line(exc), "error")
        d = self.detail
        self.view.setHtml(order_html(d) if d is not None else "<p>Pick an order to see it.</p>")
        self.reprint_button.setEnabled(d is not None and d.head.status != "cancelled")
        self.refund_button.setEnabled(d is not None and d.refundable)

    def reprint(self) -> None:
        if self.detail is None:
            return
        from popup_pos.gui.printing import receipt_action

        number = self.detail.head.number
        say(self.notice, f"Printing the receipt of {number}…", "info")
        receipt_action(self.uow, self, self.detail.head.id, notify=self.said)

    def said(self, text: str, level: str) -> None:
        say(self.notice, text, level)

    def refund(self) -> None:
        d = self.detail
        if d is None or not d.refundable:
            return
        who = organizer_for(self.staff, self.ask_pin, "refund an order")
        if who is None:
            say(self.notice, "Only the organizer can refund an order", "error")
            return
        from popup_pos.gui.refund import RefundDialog

        dialog = RefundDialog(self.uow, d.head.id, actor=who.name, parent=self)
        refunded = dialog.exec() == QDialog.DialogCode.Accepted
        self.run_search()
        self.show_order(d.head.id)
        if refunded:
            say(self.notice, dialog.result_text, "info")


def order_html(d: order_lookup.OrderDetail) -> str:
    """The order as a person reads it: lines, totals, payments, refunds, codes, tickets."""
    h, cur = d.head, d.head.currency

    def m(cents: int) -> str:
        return escape(format_money(cents, cur))

    out = [
        f"<h3>{escape(h.number)} — {escape(_status(h.status))}</h3>",
        f"<p>{escape(h.event_name)}, {escape(local_time(h.created_at))}"
        + (f"; paid {escape(local_time(h.paid_at))}" if h.paid_at else "")
        + "</p>",
        "<table cellspacing=0 cellpadding=6>",
    ]
    for ln in d.lines:
        extra = []
        if ln.refunded_quantity:
            extra.append(f"{ln.refunded_quantity} refunded")
        if ln.edition_numbers:
            extra.append("#" + ln.edition_numbers.replace(",", ", #"))
        if ln.personalisation:
            extra.append(f"for {ln.personalisation}")
        note = f" <i>({escape('; '.join(extra))})</i>" if extra else ""
        out.append(
            f"<tr><td>{ln.quantity} ×</td><td>{escape(ln.name)}{note}</td>"
            f"<td>{escape(ln.sku or '')}</td><td align=right>{m(ln.total_cents)}</td></tr>"
        )
    out.append("</table>")
    sums = [("Subtotal", h.subtotal_cents), ("Discount", -h.discount_cents), ("Tax", h.tax_cents),
            ("Tip", h.tip_cents)]  # fmt: skip
    shown = [f"{k} {m(v)}" for k, v in sums if v] + [f"<b>Total {m(h.total_cents)}</b>"]
    out.append("<p>" + " · ".join(shown) + "</p>")
    if d.payments:
        out.append("<p><b>Payments</b><br>")
        out.append(
            "<br>".join(
                f"{escape(p.tender)} {m(p.amount_cents)} — {escape(p.status)}"
                + (f", ref {escape(p.reference)}" if p.reference else "")
                + (f", {m(p.refunded_cents)} refunded" if p.refunded_cents else "")
                + f" ({escape(local_time(p.created_at))})"
                for p in d.payments
            )
        )
        out.append("</p>")
    if d.refunds:
        out.append("<p><b>Refunds</b><br>")
        out.append(
            "<br>".join(
                f"{m(r.amount_cents)} to {escape(r.tender)} — {escape(r.status)}"
                + (f": {escape(r.reason)}" if r.reason else "")
                + f" ({escape(local_time(r.created_at))})"
                for r in d.refunds
            )
        )
        out.append("</p>")
    if d.codes:
        out.append("<p><b>Download codes</b><br>")
        out.append(
            "<br>".join(
                f"<tt>{escape(c.code)}</tt> {escape(c.sku)} — "
                + ("void" if c.status == "void" else "handed out")
                for c in d.codes
            )
        )
        out.append("</p>")
    if d.tickets:
        out.append("<p><b>Tickets</b><br>")
        out.append(
            "<br>".join(
                f"{escape(t.name)} — {escape(t.status.replace('_', '-'))}"
                + (f", for {escape(t.personalisation)}" if t.personalisation else "")
                + (f", slot {escape(local_time(t.slot_at))}" if t.slot_at else "")
                for t in d.tickets
            )
        )
        out.append("</p>")
    if h.note:
        out.append(f"<p>Note: {escape(h.note)}</p>")
    return "".join(out)
