"""The top bar's tools: organizer PIN, lock, help, customer display, report, close, printing,
and the catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint

    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services.products import ProductRecord


def require_organizer(self: SellingWindow, what: str) -> bool:
    if self.staff.role == "organizer":
        return True
    if self._ask_pin is None:
        self.panel.say(f"Only the organizer can {what}", "error")
        return False
    who = self._ask_pin(f"The organizer's PIN is needed to {what}")
    if who is None or who.role != "organizer":
        self.panel.say(f"Only the organizer can {what}", "error")
        return False
    return True


def lock(self: SellingWindow) -> None:
    self.locked.emit()


def show_help(self: SellingWindow) -> None:
    from popup_pos.gui.help import HelpOverlay

    HelpOverlay(self.shortcuts, self).exec()


def toggle_customer_display(self: SellingWindow) -> None:
    if self.customer is None:
        # Loaded on demand: the QR library is not needed until the second screen is.
        from popup_pos.gui.customer import CustomerDisplay

        self.customer = CustomerDisplay(self.pos_event.name)
        # The register's keys (tenders, cart, Esc) work with the display focused too.
        self.customer.addActions(self.actions())
        self.customer.show_cart(self.cart)
        # Full screen on a second monitor when there is one, never over the register.
        self.customer.present(self)
    else:
        self.customer.close()
        self.customer = None


def show_messages(self: SellingWindow) -> None:
    """The last twenty messages of the notice line, with their times."""
    from PySide6.QtCore import Qt

    from popup_pos.gui.messages import MessageLog

    log = MessageLog(self.panel.notice, self)
    log.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    log.exec()


def show_about(self: SellingWindow) -> None:
    from popup_pos.gui.about import show_about

    show_about(self, self.uow.engine.url.render_as_string(hide_password=True))


def show_report(self: SellingWindow) -> None:
    from popup_pos.gui.report_view import ReportView

    ReportView(self.uow, self, event="current").exec()


def close_event(self: SellingWindow) -> None:
    """Cash-up and close: the organizer's, at the end of the night."""
    if not self.require_organizer("close the event"):
        return
    from popup_pos.gui.close_event import CloseEventDialog

    organizer = self.staff
    dialog = CloseEventDialog(self.uow, organizer, self)
    closed: list[object] = []
    dialog.closed.connect(closed.append)
    dialog.exec()
    if closed:
        # The night is over on this register: back to the open-event screen.
        self.event_closed.emit()


def print_labels(self: SellingWindow) -> None:
    from popup_pos.gui.printing import LabelsDialog

    index = self.tiles.currentIndex()
    sku = self.model.variant_at(index.row()).sku if index.isValid() else None
    LabelsDialog(self.uow, self, sku=sku).exec()


def print_receipt(self: SellingWindow) -> None:
    """The receipt of the order on screen (picked in the queue and shown in the cart
    panel), else of the last sale made here; the notice says which."""
    from popup_pos.gui.printing import receipt_action
    from popup_pos.services import checkout

    shown = self.order_id if self.order_id is not None and self.orders.selected else None
    order_id = shown if shown is not None else self.last_order_id
    if order_id is None:
        self.panel.say("Sell something first, or pick an order in the queue", "warn")
        return
    try:
        number = checkout.get_order(self.uow, order_id).number
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    which = "the order on screen" if shown is not None else "the last sale"
    self.panel.say(f"Printing the receipt of {number} ({which})", "info")
    receipt_action(self.uow, self, order_id, notify=self.panel.say)


def print_slips(self: SellingWindow) -> None:
    """Ticket slips for the fans of an order with experiences: the selected ticket's order, the
    selected order, or the last sale."""
    from popup_pos.gui.printing import ticket_slips_action

    picked = self.tickets.selected_order_id() if self.queue_tabs.currentIndex() == 1 else None
    order_id = picked or (self.orders.selected[0] if self.orders.selected else self.last_order_id)
    if order_id is None:
        self.panel.say("Sell an experience first, or pick a ticket in the queue", "warn")
        return
    ticket_slips_action(self.uow, self, order_id, notify=self.panel.say)


# ---- the back office from the register (gui/backoffice/) -------------------------------------


def show_catalog(self: SellingWindow) -> None:
    """The catalog window: the organizer changes it; others look (read-only)."""
    from popup_pos.gui.backoffice.catalog import CatalogWindow

    CatalogWindow(self.uow, role=self.staff.role, actor=self.staff.name, parent=self).exec()
    self.load_catalog()


def _edit_product(
    self: SellingWindow, product_id: int | None, name: str = "", price: int | None = None
) -> ProductRecord | None:
    from popup_pos.gui.backoffice.product_editor import ProductEditor
    from popup_pos.services import products

    if not self.require_organizer("change the catalog"):
        return None
    try:
        record = products.get(self.uow, product_id) if product_id is not None else None
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return None
    editor = ProductEditor(
        self.uow, record, currency=self.cart.currency, actor=self.staff.name, parent=self,
        name=name, price_cents=price,
    )  # fmt: skip
    if editor.exec() and editor.saved is not None:
        self.load_catalog()
        self.panel.say(f"Saved {editor.saved.name}: the tiles show it now", "info")
        return editor.saved
    return None


def save_as_product(self: SellingWindow) -> None:
    """The selected custom line, as a catalog product with its name and price filled in."""
    row = self.selected_line()
    line = self.cart.lines[row] if 0 <= row < len(self.cart.lines) else None
    if line is None or line.view is not None:
        self.panel.say("Select a custom line (Ctrl+K) to save it as a product", "warn")
        return
    saved = _edit_product(self, None, line.name or "", line.price)
    view = self.by_id.get(saved.variants[0].id) if saved and len(saved.variants) == 1 else None
    if view is None or view.price_cents != line.price:
        return
    # The line becomes the product's, so the sale counts for it (and its stock).
    quantity = line.quantity
    self.cart.remove(row)
    try:
        self.cart.add(view, quantity=quantity)
    except PosError as exc:
        self.cart.lines.insert(row, line)
        self.panel.say(f"Saved, but the line stays a custom amount: {exc}", "warn")
    self.show_cart()


def edit_tile_product(self: SellingWindow) -> None:
    """The product of the selected tile, in the product editor."""
    index = self.tiles.currentIndex()
    if not index.isValid():
        self.panel.say("Pick a tile first (arrow keys or a click)", "warn")
        return
    _edit_product(self, self.model.variant_at(index.row()).product_id)


def tile_menu(self: SellingWindow, pos: QPoint) -> None:
    """Right-click on a tile: edit its product, count it in, print its labels."""
    from PySide6.QtWidgets import QMenu

    index = self.tiles.indexAt(pos)
    if not index.isValid():
        return
    self.tiles.setCurrentIndex(index)
    menu = QMenu(self)
    menu.addAction("Edit this product…  (Ctrl+Shift+P)", self.edit_tile_product)
    menu.addAction("Print its labels…", self.print_labels)
    menu.addAction("Catalog…  (F3)", self.show_catalog)
    menu.exec(self.tiles.viewport().mapToGlobal(pos))
