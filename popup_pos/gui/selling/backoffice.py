"""The selling screen's Back office menu: catalog, orders and download codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow

BUTTON = "Back office"
# The menu's entries, in order: (action label as registered in _build_actions, keys, method).
BACK_OFFICE: tuple[tuple[str, str, str], ...] = (
    ("Catalog: products, stock, import, labels", "F3", "show_catalog"),
    ("Orders…", "Ctrl+Shift+O", "open_orders"),
    ("Download codes…", "Ctrl+Shift+K", "open_codes"),
)


def add_back_office_actions(self: SellingWindow) -> None:
    """Each entry as a window action (its keys work anywhere, F1 lists them)."""
    self.back_office_actions = [
        self._action(label, keys, getattr(self, method)) for label, keys, method in BACK_OFFICE
    ]


def show_back_office(self: SellingWindow) -> None:
    menu = QMenu(self)
    menu.setObjectName("backOfficeMenu")
    for action in self.back_office_actions:
        menu.addAction(action)
    button = self.top_buttons.get(BUTTON)
    at = button.mapToGlobal(QPoint(0, button.height())) if button is not None else self.pos()
    menu.exec(at)


def open_orders(self: SellingWindow) -> None:
    from popup_pos.gui.backoffice.orders import OrdersWindow

    OrdersWindow(self.uow, self.staff, self, ask_pin=self._ask_pin).exec()
    # A refund there puts stock back and changes the queues: show it now.
    self.refresh_in_background()


def open_codes(self: SellingWindow) -> None:
    from popup_pos.gui.backoffice.codes import CodesWindow

    CodesWindow(self.uow, self.staff, self, ask_pin=self._ask_pin).exec()
    # An import or a void changes a digital item's stock.
    self.load_catalog()
