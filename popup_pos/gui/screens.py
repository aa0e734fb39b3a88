"""The screens `--screenshot FILE --screen NAME` renders: each name and how it is built on
the loaded selling window. A new screen is one line in SCREENS."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from popup_pos.gui.main_window import MainWindow

Builder = Callable[["MainWindow"], "QWidget"]
DEFAULT_SCREEN = "selling"


def _selling(window: MainWindow) -> QWidget:
    return window


def _catalog(window: MainWindow) -> QWidget:
    from popup_pos.gui.backoffice.catalog import CatalogWindow

    return CatalogWindow(window.uow, role=window.staff.role, actor=window.staff.name, parent=window)


def _orders(window: MainWindow) -> QWidget:
    from popup_pos.gui.backoffice.orders import OrdersWindow

    shown = OrdersWindow(window.uow, window.staff, window)
    if shown.rows:
        shown.table.selectRow(0)  # an order opened, as it is used
    return shown


def _codes(window: MainWindow) -> QWidget:
    from popup_pos.gui.backoffice.codes import CodesWindow

    return CodesWindow(window.uow, window.staff, window)


def _close(window: MainWindow) -> QWidget:
    from popup_pos.gui.close_event import CloseEventDialog

    return CloseEventDialog(window.uow, window.staff, window)


def _report(window: MainWindow) -> QWidget:
    from popup_pos.gui.report_view import ReportView

    return ReportView(window.uow, window, event="current")


def _settings(window: MainWindow) -> QWidget:
    from popup_pos.gui.dialogs.settings import SettingsDialog

    return SettingsDialog(window.uow, window.staff, window, register_code=window.register.code)


SCREENS: dict[str, Builder] = {
    "selling": _selling,
    "catalog": _catalog,
    "orders": _orders,
    "codes": _codes,
    "close": _close,
    "report": _report,
    "settings": _settings,
}


def screen_name(name: str) -> str:
    """The name as SCREENS has it: `Orders` and ` orders ` are `orders`."""
    return name.strip().lower()


def unknown_screen(name: str) -> str | None:
    """The one-line refusal of a screen that does not exist; None for a known one."""
    if screen_name(name) in SCREENS:
        return None
    shown = name if len(name) <= 40 else name[:39] + "…"
    return f"no screen {shown!r} to take a screenshot of: use one of {', '.join(SCREENS)}"


def build(window: MainWindow, name: str) -> QWidget:
    """The named screen, shown over the selling window (the window itself for selling)."""
    widget = SCREENS[screen_name(name)](window)
    if widget is not window:
        widget.show()
    return widget


def ready(widget: QWidget) -> bool:
    """False while a screen is still reading on a worker (the selling window's first
    refresh, the report being added up)."""
    if getattr(widget, "loading", False):
        return False
    return getattr(widget, "report", True) is not None
