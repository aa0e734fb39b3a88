"""What the back office's windows share: tables, the notice line, times, the organizer's PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from popup_pos.services.views import StaffInfo

if TYPE_CHECKING:
    from datetime import datetime

AskPin = Callable[[str], StaffInfo | None]


def organizer_for(staff: StaffInfo, ask_pin: AskPin | None, what: str) -> StaffInfo | None:
    """The organizer to act as: the one signed in, else whoever types the organizer's PIN;
    None (the caller says why) when nobody does."""
    if staff.role == "organizer":
        return staff
    if ask_pin is None:
        return None
    who = ask_pin(f"The organizer's PIN is needed to {what}")
    return who if who is not None and who.role == "organizer" else None


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def local_time(at: datetime | None) -> str:
    return "" if at is None else at.astimezone().strftime("%a %d %b %H:%M")


def table(headers: tuple[str, ...], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    head = t.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    head.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def fill(t: QTableWidget, rows: list[tuple[str, ...]], numeric: tuple[int, ...] = ()) -> None:
    t.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            t.setItem(r, c, item)


def say(notice: QLabel, text: str, level: str) -> None:
    """Show a message in a notice line, coloured by its level (info, warn, error)."""
    notice.setText(text)
    notice.setToolTip(text)
    # No level while it is empty: the theme draws a level's bar even with no text.
    notice.setProperty("level", level if text else "")
    # The theme styles by the property: the label is restyled when it changes.
    notice.style().unpolish(notice)
    notice.style().polish(notice)
