"""The report's building blocks: cards, figure grids, tables and the hourly chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.money import format_money
from popup_pos.domain.report import ExperienceRow, HourRow, Report
from popup_pos.gui.theme import AMBER, BORDER, GREEN, RED_TEXT, SURFACE, TEXT, TEXT_MUTED

if TYPE_CHECKING:
    pass


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def over_short_text(cents: int, currency: str) -> str:
    """'Over by $2.00', 'Short by $3.50' or 'Exact'."""
    if cents > 0:
        return f"Over by {format_money(cents, currency)}"
    if cents < 0:
        return f"Short by {format_money(-cents, currency)}"
    return "Exact: not a cent out"


def over_short_colour(cents: int) -> str:
    return GREEN if cents == 0 else AMBER if cents > 0 else RED_TEXT


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


def experience_basis(g: ExperienceRow, mixed: bool = False) -> str:
    """How an experience time was found: measured, planned (nothing done yet) or partly planned."""
    if g.experience_minutes is None:
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
