"""The close dialog's second page: over/short, what happened to orders and stock, reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.gui.dialogs.kit import _primary, scrolling
from popup_pos.gui.report_export import ExportBar
from popup_pos.gui.report_parts import (
    _card,
    _figures,
    _heading,
    _label,
    over_short_colour,
    over_short_text,
)
from popup_pos.gui.report_view import ReportView
from popup_pos.services import audit
from popup_pos.services.closing import (
    CloseBlockedError,
    ClosePreview,
    CloseResult,
    OpenOrder,
)

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class CloseEventDialog(Protocol):
    """What the result page uses of the closing dialog (gui/close_event.py), which binds
    these functions as its methods: named here so this module need not import it."""

    uow: UnitOfWork
    preview: ClosePreview
    currency: str
    close_result: CloseResult | None
    result_title: QLabel
    result_layout: QVBoxLayout
    result_over_short: QLabel
    result_details: QLabel
    result_audit_head: QLabel
    result_figures: QFrame
    report_button: QPushButton
    export_bar: ExportBar
    done_button: QPushButton

    def _m(self, cents: int) -> str: ...

    def accept(self) -> None: ...

    def window(self) -> QWidget: ...  # the dialog itself, as the widget it is

    def open_report(self) -> ReportView: ...


# Orders listed by number before the rest are summed up as "and N more".
SHOWN_ORDERS = 6


def _numbers(orders: tuple[OpenOrder, ...]) -> str:
    shown = ", ".join(o.number for o in orders[:SHOWN_ORDERS])
    extra = len(orders) - SHOWN_ORDERS
    return f"{shown} and {extra} more" if extra > 0 else shown


def blocked_message(error: CloseBlockedError) -> str:
    """One line naming the orders in the way and the box that lets the close go ahead."""
    parts = []
    if error.unpaid:
        parts.append(f"{_numbers(error.unpaid)} still awaiting payment (tick “Cancel unpaid”)")
    if error.pending:
        parts.append(
            f"payment still being checked for {_numbers(error.pending)} (tick “Carry over”)"
        )
    return "Not closed: " + "; ".join(parts)


def _result_page(self: CloseEventDialog) -> QWidget:
    # The figures scroll; Done always shows.
    page = QWidget()
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    body = QWidget()
    layout = QVBoxLayout(body)
    outer.addWidget(scrolling(body), 1)
    self.result_title = QLabel()
    self.result_title.setStyleSheet("font-size: 22pt; font-weight: bold;")
    layout.addWidget(self.result_title)
    card, layout_ = _card()
    self.result_layout = layout_
    layout.addWidget(card)
    self.result_over_short = _label("", size=34, bold=True)
    self.result_over_short.setAccessibleName("over or short")
    self.result_details = QLabel()
    self.result_details.setWordWrap(True)
    self.result_figures = QFrame()
    self.result_layout.addWidget(self.result_over_short)
    self.result_layout.addWidget(self.result_figures)
    self.result_layout.addWidget(self.result_details)
    # Written down or photographed, it lets `audit verify --head` prove later that no
    # entry up to the close was removed or rewritten.
    self.result_audit_head = QLabel()
    self.result_audit_head.setWordWrap(True)
    self.result_audit_head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    self.result_audit_head.setAccessibleName("audit head at close")
    self.result_layout.addWidget(self.result_audit_head)

    actions, actions_layout = _card()
    actions_layout.addWidget(_heading("Reports for the venue and co-sellers"))
    row = QHBoxLayout()
    self.report_button = QPushButton("Report…")
    self.report_button.clicked.connect(self.open_report)
    self.export_bar = ExportBar(self.uow, self.preview.event.id, self.window())
    self.export_bar.describe(self.preview.event.name, self.preview.event.opened_at)
    row.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(self.export_bar, 1)
    actions_layout.addLayout(row)
    layout.addWidget(actions)
    layout.addStretch(1)

    layout = outer
    buttons = QHBoxLayout()
    self.done_button = QPushButton("Done")
    _primary(self.done_button)
    self.done_button.setMinimumWidth(200)
    self.done_button.clicked.connect(self.accept)
    buttons.addStretch(1)
    buttons.addWidget(self.done_button)
    layout.addLayout(buttons)
    return page


def _fill_result(self: CloseEventDialog, r: CloseResult) -> None:
    self.result_title.setText(f"“{r.event.name}” is closed")
    gap = r.over_short_cents
    self.result_over_short.setText(over_short_text(gap, self.currency))
    self.result_over_short.setStyleSheet(
        f"font-size: 34pt; font-weight: bold; color: {over_short_colour(gap)};"
    )
    figures = _figures(
        [
            ("Expected in the drawer", self._m(r.cash.expected_cents), False),
            ("Counted", self._m(r.counted_cents), True),
        ]
    )
    self.result_figures.setLayout(figures)
    lines = []
    if r.carried_over:
        lines.append(f"Carried over, still awaiting payment: {_numbers(r.carried_over)}")
    if r.cancelled:
        shown = ", ".join(r.cancelled[:SHOWN_ORDERS])
        more = len(r.cancelled) - SHOWN_ORDERS
        lines.append(f"Cancelled: {shown}" + (f" and {more} more" if more > 0 else ""))
    if r.released:
        lines.append(f"Holds that had run out, released: {', '.join(r.released[:SHOWN_ORDERS])}")
    if r.stock:
        short = [s for s in r.stock if s.shrinkage]
        if short:
            worst = ", ".join(
                f"{s.sku} {'−' if s.shrinkage > 0 else '+'}{abs(s.shrinkage)}"
                for s in short[:SHOWN_ORDERS]
            )
            lines.append(
                f"Stock counted out: {len(r.stock)} item(s), "
                f"{r.shrinkage_units} unit(s) missing ({worst})"
            )
        else:
            lines.append(f"Stock counted out: {len(r.stock)} item(s), nothing missing")
    self.result_details.setText("\n".join(lines))
    self.result_details.setVisible(bool(lines))
    head = audit.close_head(self.uow, r.event.id)
    self.result_audit_head.setText(
        f"Audit head at close (keep a copy): {head}" if head is not None else ""
    )
    self.result_audit_head.setVisible(head is not None)


def open_report(self: CloseEventDialog) -> ReportView:
    """Show the closed night's report; returned so a caller (or a test) can reach it."""
    done = self.close_result
    event = done.event.id if done is not None else self.preview.event.id
    view = ReportView(self.uow, self.window(), event=event)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view
