"""The night's report on screen: totals, tenders, sellers, an hourly chart, settlement, export."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, format_percent
from popup_pos.exports.model import GigRow, HourRow, ProfitRow, Report
from popup_pos.exports.tables import minutes_text, repeat_text
from popup_pos.gui.dialogs import _first_line, _prepare_notice, _roomy, _say
from popup_pos.gui.theme import AMBER, BORDER, GREEN, RED_TEXT, SURFACE, TEXT, TEXT_MUTED
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, reports
from popup_pos.services.reports import ExportResult

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)

FORMAT_NAMES = {
    "csv": "CSV folder (one file per table)",
    "xlsx": "Excel workbook (.xlsx)",
    "json": "JSON document (.json)",
    "pdf": "PDF report (.pdf)",
}
TENDER_NAMES = {
    "cash": "Cash",
    "wallet": "Wallet QR",
    "stripe_qr": "Stripe QR",
    "stripe_card": "Card reader",
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
KIND_NAMES = {"item": "item", "digital": "digital", "experience": "micro-gig"}
UNKNOWN = "unknown"
# How often the progress bar reads what the export's worker last reported.
PROGRESS_POLL_MS = 80


def over_short_text(cents: int, currency: str) -> str:
    """'Over by $2.00', 'Short by $3.50' or 'Exact'."""
    if cents > 0:
        return f"Over by {format_money(cents, currency)}"
    if cents < 0:
        return f"Short by {format_money(-cents, currency)}"
    return "Exact: not a cent out"


def over_short_colour(cents: int) -> str:
    return GREEN if cents == 0 else AMBER if cents > 0 else RED_TEXT


def default_export_name(event_name: str, opened_at: datetime, fmt: str) -> str:
    """'friday-at-the-bowery-2026-05-01.xlsx'; a CSV export is a folder: '…-csv'."""
    slug = re.sub(r"[^a-z0-9]+", "-", event_name.lower()).strip("-") or "event"
    stem = f"{slug}-{opened_at.astimezone():%Y-%m-%d}"
    return f"{stem}-csv" if fmt == "csv" else f"{stem}.{fmt}"


class ProgressBox:
    """The latest (done, total) of a job, written by the worker and read by a GUI timer.

    A plain lock rather than a signal: nothing here belongs to a thread, so a job still
    running after its window closed has nothing to outlive.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None

    def put(self, done: int, total: int) -> None:
        with self._lock:
            self._latest = (done, total)

    def take(self) -> tuple[int, int] | None:
        with self._lock:
            latest, self._latest = self._latest, None
            return latest


# ---- building blocks ------------------------------------------------------------------------


def _label(text: str, *, size: int | None = None, bold: bool = False, colour: str = "") -> QLabel:
    label = QLabel(text)
    style = []
    if size:
        style.append(f"font-size: {size}pt;")
    if bold:
        style.append("font-weight: bold;")
    if colour:
        style.append(f"color: {colour};")
    if style:
        label.setStyleSheet(" ".join(style))
    return label


def _heading(text: str) -> QLabel:
    label = _label(text, size=17, bold=True)
    label.setContentsMargins(0, 8, 0, 2)
    return label


def _card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("reportCard")
    frame.setStyleSheet(
        f"QFrame#reportCard {{ background: {SURFACE}; border: 1px solid {BORDER};"
        " border-radius: 8px; }"
    )
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    return frame, layout


def _figures(rows: Sequence[tuple[str, str, bool]]) -> QGridLayout:
    """Caption on the left, amount on the right; emphasised rows big and bold."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(4)
    for r, (caption, value, strong) in enumerate(rows):
        size = 19 if strong else None
        name = _label(caption, size=size, bold=strong, colour="" if strong else TEXT_MUTED)
        name.setWordWrap(True)
        amount = _label(value, size=size, bold=strong)
        amount.setAlignment(RIGHT)
        amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(name, r, 0)
        grid.addWidget(amount, r, 1)
    grid.setColumnStretch(0, 1)
    return grid


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, stretch: int = 0
) -> QTableWidget:
    """A read-only table as tall as its rows: the page scrolls, not each table."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    # Room between columns: right-aligned figures must not run into the next column.
    table.setStyleSheet("QTableWidget::item { padding: 0px 8px; }")
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    for c in range(len(headers)):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if c == stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(c, mode)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c != stretch:
                item.setTextAlignment(RIGHT)
            table.setItem(r, c, item)
    # One line per row: heights measured before layout would follow a too-narrow column.
    table.setWordWrap(False)
    row_height = table.fontMetrics().height() + 14
    table.verticalHeader().setDefaultSectionSize(row_height)
    height = header.sizeHint().height() + 2 * table.frameWidth() + row_height * len(rows)
    table.setFixedHeight(height)
    return table


def _bold_last_row(table: QTableWidget) -> None:
    """The total row stands out from the rows it adds up."""
    last = table.rowCount() - 1
    for c in range(table.columnCount()):
        item = table.item(last, c)
        if item is not None:
            font = item.font()
            font.setBold(True)
            item.setFont(font)


def _full_labels(table: QTableWidget) -> None:
    """A name cut short by a narrow window keeps its end (the size, the variant) and is
    shown whole on hover."""
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    for r in range(table.rowCount()):
        item = table.item(r, 0)
        if item is not None:
            item.setToolTip(item.text())


def _mean_p90(mean: float | None, p90: float | None) -> str:
    if mean is None:
        return "—"
    return f"{mean:.1f} / {p90:.1f}" if p90 is not None else f"{mean:.1f}"


def gig_basis(g: GigRow, mixed: bool = False) -> str:
    """How a gig time was found: measured, planned (nothing done yet) or partly planned."""
    if g.gig_minutes is None:
        return "—"
    return "partly planned" if mixed else "planned" if g.planned else "measured"


def _time(at: datetime | None, report: Report) -> str:
    return "—" if at is None else f"{at.astimezone(report.event.tz):%H:%M}"


# ---- the hourly chart ---------------------------------------------------------------------


class HourChart(QWidget):
    """Takings per hour as bars, painted by hand (QtCharts is not in pyside6-essentials)."""

    MARGIN_TOP = 34
    MARGIN_BOTTOM = 34
    MARGIN_SIDE = 12
    GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours: tuple[HourRow, ...] = ()
        self.currency = "USD"
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("takings by hour")

    def set_hours(self, hours: Sequence[HourRow], currency: str) -> None:
        self.hours, self.currency = tuple(hours), currency
        busiest = max(hours, key=lambda h: h.total, default=None)
        self.setToolTip(
            ""
            if busiest is None
            else f"Busiest hour {busiest.start:%H:00}: {format_money(busiest.total, currency)}"
            f", {busiest.orders} order(s)"
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(560, 260)

    def bars(self) -> list[QRectF]:
        """Each hour's bar in widget coordinates; a quiet hour has a flat (empty) bar."""
        if not self.hours:
            return []
        area = QRectF(self.rect()).adjusted(
            self.MARGIN_SIDE, self.MARGIN_TOP, -self.MARGIN_SIDE, -self.MARGIN_BOTTOM
        )
        peak = max(h.total for h in self.hours) or 1
        slot = area.width() / len(self.hours)
        width = max(slot - self.GAP, 2.0)
        out = []
        for i, h in enumerate(self.hours):
            height = area.height() * max(h.total, 0) / peak
            x = area.left() + i * slot + (slot - width) / 2
            out.append(QRectF(x, area.bottom() - height, width, height))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(SURFACE))
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize() - 3, 10))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        if not self.hours:
            painter.setPen(QColor(TEXT_MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No sales yet")
            return
        bars = self.bars()
        baseline = self.height() - self.MARGIN_BOTTOM
        painter.setPen(QColor(BORDER))
        painter.drawLine(self.MARGIN_SIDE, baseline, self.width() - self.MARGIN_SIDE, baseline)
        # Label every hour when there is room, else every second or third one.
        label_w = metrics.horizontalAdvance("00:00") + 8
        slot = bars[0].width() + self.GAP
        every = max(1, int(label_w // slot) + (1 if label_w % slot else 0))
        peak = max(h.total for h in self.hours)
        for i, (h, bar) in enumerate(zip(self.hours, bars, strict=True)):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(GREEN if h.total == peak else "#3fa86a"))
            painter.drawRoundedRect(bar, 3, 3)
            if i % every == 0:
                painter.setPen(QColor(TEXT_MUTED))
                cell = QRectF(bar.center().x() - label_w / 2, baseline + 4, label_w, 26)
                painter.drawText(cell, Qt.AlignmentFlag.AlignHCenter, f"{h.start:%H}:00")
            amount = format_money(h.total, self.currency)
            if h.total and metrics.horizontalAdvance(amount) <= slot:
                painter.setPen(QColor(TEXT))
                cell = QRectF(bar.left() - self.GAP, bar.top() - 26, slot, 24)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, amount)
        painter.end()


# ---- exporting ----------------------------------------------------------------------------


class ExportBar(QWidget):
    """Format, "Export…" and a progress bar; the export runs on a worker thread.

    `finished` carries the ExportResult once the file or folder is complete.
    """

    finished = Signal(object)

    def __init__(self, uow: UnitOfWork, event: int | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uow, self.which = uow, event
        self.event_name, self.opened_at = "event", datetime.now().astimezone()
        self.open_when_done = False
        self.busy = False
        self.last: ExportResult | None = None
        self._box = ProgressBox()
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_POLL_MS)
        self._timer.timeout.connect(self._poll)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("export format")
        for fmt in reports.FORMATS:
            self.format_combo.addItem(FORMAT_NAMES[fmt], fmt)
        self.format_combo.setCurrentIndex(reports.FORMATS.index("xlsx"))
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(lambda: self.export())
        row.addWidget(self.format_combo, 1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setObjectName("notice")
        _prepare_notice(self.status)
        layout.addWidget(self.status)

    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def describe(self, name: str, opened_at: datetime) -> None:
        """Name and date the suggested file after the event."""
        self.event_name, self.opened_at = name, opened_at

    def export(self, fmt: str | None = None) -> None:
        """Ask where to write the export, then write it in the background."""
        fmt = fmt or self.fmt
        suggested = str(Path.home() / default_export_name(self.event_name, self.opened_at, fmt))
        if fmt == "csv":
            # A folder that does not exist yet: the export creates it with one file per table.
            caption, pattern = "Export as a new CSV folder", "Folder (*)"
        else:
            caption, pattern = f"Export as {fmt.upper()}", f"{fmt.upper()} (*.{fmt})"
        path, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        if path:
            self.start(fmt, Path(path))

    def start(self, fmt: str, path: Path) -> None:
        if self.busy:
            return
        if fmt != "csv" and path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        uow, event, box = self.uow, self.which, self._box

        def job() -> ExportResult:
            worker_uow = database.for_worker(uow, read_only=True)
            return reports.export(worker_uow, fmt, path, event=event, progress=box.put)

        self.busy = True
        self.export_button.setEnabled(False)
        self.format_combo.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(True)
        _say(self.status, f"Writing {path.name}…", "info")
        self._timer.start()
        run_in_background(job, self._done, self._failed, parent=self)

    def _poll(self) -> None:
        latest = self._box.take()
        if latest is not None:
            done, total = latest
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))

    def _stop(self) -> None:
        self._timer.stop()
        self._box.take()
        self.busy = False
        self.export_button.setEnabled(True)
        self.format_combo.setEnabled(True)

    def _done(self, result: ExportResult) -> None:
        self._stop()
        self.last = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        what = f"{len(result.files)} files" if result.format == "csv" else result.path.name
        _say(self.status, f"Saved {what} to {result.path}", "info")
        self.finished.emit(result)
        if self.open_when_done:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

    def _failed(self, error: BaseException) -> None:
        self._stop()
        self.progress.setVisible(False)
        if not isinstance(error, PosError | OSError):
            log.error("export failed", exc_info=error)
        _say(self.status, f"Export failed: {_first_line(error)}")


# ---- the report screen ----------------------------------------------------------------------


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
        self.resize(1180, 820)

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
        outer.addWidget(self._gigs(report))
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
            layout.addWidget(
                _table(("Tender (payments)", "Taken", "Refunded", "Fees", "Net"), rows)
            )
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

    def _gigs(self, r: Report) -> QFrame:
        cur = r.event.currency
        g = r.gigs

        def cells(row: GigRow, mixed: bool = False) -> tuple[str, ...]:
            per_hour = row.revenue_per_hour
            return (
                row.label,
                str(row.units),
                f"{row.done} / {row.no_show} / {row.waiting}",
                _mean_p90(row.fulfil_mean_min, row.fulfil_p90_min),
                _mean_p90(row.wait_mean_min, row.wait_p90_min),
                minutes_text(row.gig_minutes),
                gig_basis(row, mixed),
                "—" if per_hour is None else format_money(per_hour, cur),
            )

        frame, layout = _card()
        layout.addWidget(_heading("Micro-gigs: fulfilment and revenue per hour"))
        self.gigs_table: QTableWidget | None = None
        if not g.rows:
            layout.addWidget(_label("No micro-gigs sold", colour=TEXT_MUTED))
            return frame
        rows = [cells(row) for row in g.rows] + [cells(g.total, g.partly_planned)]
        table = _table(
            ("Micro-gig", "Sold", "Done / no-show\n/ waiting", "Fulfil, min\nmean / p90",
             "Wait, min\nmean / p90", "Gig time", "Basis", "Revenue\nper hour"),
            rows,
        )  # fmt: skip
        table.setAccessibleName("micro-gigs")
        _bold_last_row(table)
        _full_labels(table)
        self.gigs_table = table
        layout.addWidget(table)
        note = _label(
            "Fulfilment: called to done; wait: paid to called. Gig time is the measured "
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
