"""The night's report on screen: totals, tenders, sellers, an hourly chart, settlement, export."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, format_percent
from popup_pos.domain.report import ExperienceRow, ProfitRow, Report, minutes_text, repeat_text
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _roomy, _say, fit_to_screen
from popup_pos.gui.report_export import ExportBar
from popup_pos.gui.report_parts import (
    HourChart,
    _bold_last_row,
    _card,
    _figures,
    _full_labels,
    _heading,
    _label,
    _mean_p90,
    _table,
    _time,
    experience_basis,
    over_short_colour,
    over_short_text,
)
from popup_pos.gui.theme import AMBER, GREEN, TEXT_MUTED
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, reports

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


TENDER_NAMES = {
    "cash": "Cash",
    "wallet": "Wallet QR",
    "stripe_qr": "Stripe QR",
    "stripe_card": "Card reader",
}
KIND_NAMES = {"item": "item", "digital": "digital", "experience": "experience"}
UNKNOWN = "unknown"


class ReportView(QDialog):
    """The figures of one event (default: the open one), built on a worker thread.

    `loaded` fires with the Report once it is on screen; `.report` holds it.
    """

    loaded = Signal(object)

    def __init__(
        self, uow: UnitOfWork, parent: QWidget | None = None, *, event: int | str = "current"
    ) -> None:
        super().__init__(parent)
        self.uow, self.which = uow, event
        self.report: Report | None = None
        _roomy(self)
        self.setWindowTitle("Report")
        fit_to_screen(self, QSize(1180, 820), share=0.85)

        layout = QVBoxLayout(self)
        self.title = QLabel("Report")
        self.title.setObjectName("heading")
        self.title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.subtitle = _label("", colour=TEXT_MUTED)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        _prepare_notice(self.notice)
        layout.addWidget(self.notice)

        self.page_area = QScrollArea()
        self.page_area.setWidgetResizable(True)
        self.page_area.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps or elides to the window's width: only ever scroll down.
        self.page_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.page_area, 1)
        self.chart = HourChart()

        bottom = QHBoxLayout()
        self.export_bar = ExportBar(uow, event, self)
        self.export_bar.setEnabled(False)
        self.pdf_button = QPushButton("PDF report…")
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.pdf_report)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        bottom.addWidget(self.export_bar, 1)
        bottom.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        """Build the report again, off the GUI thread."""
        uow, event = self.uow, self.which
        self._tell("Adding up the night…", "info")

        def job() -> Report:
            return reports.build_report(database.for_worker(uow, read_only=True), event)

        run_in_background(job, self._show, self._failed, parent=self)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, PosError):
            log.error("report failed", exc_info=error)
        self._tell(f"The report could not be made: {_first_line(error)}")

    def _show(self, report: Report) -> None:
        self.report = report
        ev = report.event
        opened = ev.opened_at.astimezone(ev.tz)
        self.setWindowTitle(f"Report — {ev.name}")
        self.title.setText(f"{ev.name}: the night's figures")
        closed = (
            f", closed {ev.closed_at.astimezone(ev.tz):%a %d %b %H:%M}"
            if ev.closed_at
            else " (still open)"
        )
        self.subtitle.setText(f"Opened {opened:%a %d %b %H:%M}{closed} · {ev.currency}")
        # Exports follow the event shown, even after a new one opens.
        self.export_bar.which = ev.id
        self.export_bar.describe(ev.name, ev.opened_at)
        self.export_bar.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self._tell("")

        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setSpacing(12)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        outer.addLayout(columns)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, share in ((left, 5), (right, 6)):
            column.setSpacing(12)
            columns.addLayout(column, share)
        left.addWidget(self._totals(report))
        left.addWidget(self._cash(report))
        left.addWidget(self._settlement(report))
        left.addWidget(self._customers(report))
        left.addStretch(1)
        right.addWidget(self._hours(report))
        right.addWidget(self._tenders(report))
        right.addWidget(self._top_sellers(report))
        right.addWidget(self._editions(report))
        right.addStretch(1)
        # The widest tables get the page's whole width, under both columns.
        outer.addWidget(self._profit(report))
        outer.addWidget(self._experience_times(report))
        self.page_area.setWidget(page)
        self.loaded.emit(report)

    def _tell(self, text: str, level: str = "error") -> None:
        # Hidden when empty: the figures start right under the title.
        self.notice.setVisible(bool(text))
        _say(self.notice, text, level)

    def pdf_report(self) -> None:
        """Save the report as a PDF and open it to hand to the venue."""
        self.export_bar.open_when_done = True
        self.export_bar.export("pdf")

    # ---- sections ----------------------------------------------------------------------------

    def _totals(self, r: Report) -> QFrame:
        t, cur = r.totals, r.event.currency

        def m(cents: int) -> str:
            return format_money(cents, cur)

        frame, layout = _card()
        layout.addWidget(_heading("Takings"))
        tax = m(t.tax) + (f" ({m(t.tax_included)} in prices)" if t.tax_included else "")
        self.net_label = _label(m(t.net), size=34, bold=True, colour=GREEN)
        self.net_label.setAccessibleName("net takings")
        layout.addWidget(_label("Net takings", colour=TEXT_MUTED))
        layout.addWidget(self.net_label)
        layout.addLayout(
            _figures(
                [
                    ("Orders", f"{t.orders} (average {m(t.average_order)})", False),
                    ("Gross sales", m(t.gross), False),
                    ("Discounts", f"− {m(t.discounts)}", False),
                    ("Tax", tax, False),
                    ("Tips", m(t.tips), False),
                    ("Refunds", f"− {m(t.refunds)}", False),
                    ("Net", m(t.net), True),
                    ("Card fees", f"− {m(t.fees)}", False),
                    ("Net after fees", m(t.net_after_fees), True),
                ]
            )
        )
        if r.carried_over:
            shown = ", ".join(r.carried_over[:6]) + (" …" if len(r.carried_over) > 6 else "")
            layout.addWidget(_label(f"Carried over, still awaiting payment: {shown}", colour=AMBER))
        return frame

    def _tenders(self, r: Report) -> QFrame:
        cur = r.event.currency
        frame, layout = _card()
        layout.addWidget(_heading("By tender"))
        rows = [
            (
                f"{TENDER_NAMES.get(t.tender, t.tender)} ({t.payments})",
                format_money(t.amount, cur),
                format_money(t.refunds, cur),
                format_money(t.fees, cur),
                format_money(t.net, cur),
            )
            for t in r.tenders
        ]
        if rows:
            layout.addWidget(_table(("Tender", "Taken", "Refunded", "Fees", "Net"), rows))
        else:
            layout.addWidget(_label("No payments yet", colour=TEXT_MUTED))
        return frame

    def _cash(self, r: Report) -> QFrame:
        c, cur = r.cash, r.event.currency
        frame, layout = _card()
        layout.addWidget(_heading("Cash drawer"))
        layout.addLayout(
            _figures(
                [
                    ("Float", format_money(c.float_cents, cur), False),
                    ("Cash sales", format_money(c.cash_sales, cur), False),
                    ("Cash refunds", f"− {format_money(c.cash_refunds, cur)}", False),
                    ("Paid in", format_money(c.paid_in, cur), False),
                    ("Paid out", f"− {format_money(c.paid_out, cur)}", False),
                    ("Expected", format_money(c.expected, cur), True),
                    (
                        "Counted",
                        "not counted yet" if c.counted is None else format_money(c.counted, cur),
                        True,
                    ),
                ]
            )
        )
        if c.over_short is not None:
            layout.addWidget(
                _label(
                    over_short_text(c.over_short, cur),
                    size=19,
                    bold=True,
                    colour=over_short_colour(c.over_short),
                )
            )
        return frame

    def _hours(self, r: Report) -> QFrame:
        frame, layout = _card()
        per_hour = r.orders_per_hour
        rate = "" if per_hour is None else f" · {per_hour:.1f} orders an hour"
        layout.addWidget(_heading(f"By hour{rate}"))
        self.chart.set_hours(r.hours, r.event.currency)
        layout.addWidget(self.chart)
        return frame

    def _top_sellers(self, r: Report) -> QFrame:
        cur = r.event.currency
        frame, layout = _card()
        layout.addWidget(_heading("Top sellers"))
        rows = [
            (s.label, str(s.units - s.refunded_units), format_money(s.net, cur))
            for s in r.top_sellers
        ]
        if rows:
            layout.addWidget(_table(("Item", "Sold", "Net"), rows))
        else:
            layout.addWidget(_label("Nothing sold yet", colour=TEXT_MUTED))
        return frame

    def _editions(self, r: Report) -> QFrame:
        frame, layout = _card()
        layout.addWidget(_heading("Limited editions and sell-outs"))
        rows = [
            (
                e.label,
                str(e.sold),
                f"{e.numbered} of {e.edition_size} ({format_percent(e.sell_through_ppm)})",
                "sold out " + _time(e.sold_out_at, r) if e.sold_out_at else f"{e.on_hand} left",
            )
            for e in r.editions
        ]
        editions = {e.sku for e in r.editions}
        rows += [
            (s.label, "", "", f"sold out {_time(s.at, r)}")
            for s in r.sold_out
            if s.sku not in editions
        ]
        if rows:
            layout.addWidget(_table(("Item", "Sold", "Numbered", "Status"), rows))
        else:
            layout.addWidget(
                _label("No limited editions sold, nothing sold out", colour=TEXT_MUTED)
            )
        return frame

    def _profit(self, r: Report) -> QFrame:
        cur = r.event.currency

        def m(cents: int | None, sign: int = 1) -> str:
            return UNKNOWN if cents is None else format_money(sign * cents, cur)

        def cells(p: ProfitRow) -> tuple[str, ...]:
            return (
                p.label,
                KIND_NAMES.get(p.kind, p.kind),
                str(p.units),
                m(p.revenue),
                m(p.cost, -1),
                m(p.fees, -1),
                m(p.venue_cut, -1),
                m(p.profit),
                m(p.profit_per_unit),
            )

        frame, layout = _card()
        layout.addWidget(_heading("Profit by item"))
        self.profit_table: QTableWidget | None = None
        if not r.profit.rows:
            layout.addWidget(_label("Nothing sold yet", colour=TEXT_MUTED))
            return frame
        rows = [cells(p) for p in r.profit.rows] + [cells(r.profit.total)]
        table = _table(
            ("Item", "Kind", "Units", "Revenue", "Cost", "Card fees", "Venue cut", "Profit",
             "Per unit"),
            rows,
        )  # fmt: skip
        table.setAccessibleName("profit by item")
        _bold_last_row(table)
        _full_labels(table)
        self.profit_table = table
        layout.addWidget(table)
        notes = [
            "Revenue is net of tax and refunds; cost is the cost at sale (unknown where an item "
            "has none); card fees are each order's Stripe fees shared over its lines; the "
            "venue's cut is the settlement's. Most profitable first."
        ]
        if r.profit.other_fees:
            notes.append(
                "Card fees of orders with nothing kept (refunded in full, cancelled or unpaid), "
                f"not in the table: {format_money(r.profit.other_fees, cur)}"
            )
        for note in notes:
            note_label = _label(note, colour=TEXT_MUTED)
            note_label.setWordWrap(True)
            layout.addWidget(note_label)
        return frame

    def _experience_times(self, r: Report) -> QFrame:
        cur = r.event.currency
        g = r.experience_times

        def cells(row: ExperienceRow, mixed: bool = False) -> tuple[str, ...]:
            per_hour = row.revenue_per_hour
            return (
                row.label,
                str(row.units),
                f"{row.done} / {row.no_show} / {row.waiting}",
                _mean_p90(row.fulfil_mean_min, row.fulfil_p90_min),
                _mean_p90(row.wait_mean_min, row.wait_p90_min),
                minutes_text(row.experience_minutes),
                experience_basis(row, mixed),
                "—" if per_hour is None else format_money(per_hour, cur),
            )

        frame, layout = _card()
        layout.addWidget(_heading("Experiences: fulfilment and revenue per hour"))
        self.experience_table: QTableWidget | None = None
        if not g.rows:
            layout.addWidget(_label("No experiences sold", colour=TEXT_MUTED))
            return frame
        rows = [cells(row) for row in g.rows] + [cells(g.total, g.partly_planned)]
        table = _table(
            ("Experience", "Sold", "Done / no-show\n/ waiting", "Fulfil, min\nmean / p90",
             "Wait, min\nmean / p90", "Experience\ntime", "Basis", "Revenue\nper hour"),
            rows,
        )  # fmt: skip
        table.setAccessibleName("experiences")
        _bold_last_row(table)
        _full_labels(table)
        self.experience_table = table
        layout.addWidget(table)
        note = _label(
            "Fulfilment: called to done; wait: paid to called. Experience time is the measured "
            "fulfilment of the tickets done, or the planned time while none is done.",
            colour=TEXT_MUTED,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        return frame

    def _customers(self, r: Report) -> QFrame:
        c = r.customers
        frame, layout = _card()
        layout.addWidget(_heading("Repeat customers"))
        self.repeat_rate_text = repeat_text(c.repeat, c.identified, c.repeat_rate_ppm)
        layout.addLayout(
            _figures(
                [
                    ("Customers who gave a handle", str(c.identified), False),
                    ("Repeat rate", self.repeat_rate_text, True),
                    (
                        "Orders with a customer handle",
                        repeat_text(c.orders_with_handle, c.orders, c.handle_share_ppm),
                        False,
                    ),
                ]
            )
        )
        note = _label(
            "Repeat: customers with two or more orders tonight, told apart by the handle "
            "entered at sale (kept only as a hash).",
            colour=TEXT_MUTED,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        return frame

    def _settlement(self, r: Report) -> QFrame:
        s, cur = r.settlement, r.event.currency

        def m(cents: int) -> str:
            return format_money(cents, cur)

        frame, layout = _card()
        layout.addWidget(_heading("Settlement: who is owed what"))
        owed: list[tuple[str, str, bool]] = []
        if s.venue:
            cuts = ", ".join(f"{v.cls} {format_percent(v.cut_ppm)}" for v in s.venue if v.cut_ppm)
            owed.append((f"Venue ({cuts})" if cuts else "Venue", m(s.venue_total), False))
        owed += [(o.owner, m(o.owed), False) for o in s.owners if o.owner is not None]
        owed.append(("Tax to pay on", m(s.tax), False))
        owed.append(("Organizer keeps", m(s.organizer_total), True))
        layout.addLayout(_figures(owed))
        layout.addWidget(_heading("Who holds the money"))
        held = [(f"{h.holder}: {h.tenders}", m(h.amount), False) for h in s.holdings]
        held.append(("Held in all", m(s.held), True))
        layout.addLayout(_figures(held))
        for note in s.notes:
            note_label = _label(note, colour=TEXT_MUTED)
            note_label.setWordWrap(True)
            layout.addWidget(note_label)
        return frame
