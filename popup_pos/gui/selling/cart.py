"""The cart: scans, lines, quantities, discounts, the customer and a new sale."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import parse_amount, parse_percent
from popup_pos.domain.pricing import Discount
from popup_pos.gui.lazy import Deferred
from popup_pos.services.cart import CartError, CartSession
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow
    from popup_pos.services import checkout, payments, tickets
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    payments = Deferred("popup_pos.services.payments")
    tickets = Deferred("popup_pos.services.tickets")

ORDER_NUMBER = re.compile(r"[A-Z][A-Z0-9]{0,3}-\d{4,}")
# What a scanned customer handle looks like: an email, a mailto: link or an @handle.
HANDLE_SCAN = re.compile(r"^(mailto:\S+|[^@\s]+@[^@\s]+\.\S+|@[\w.\-]+)$", re.I)


def show_cart(self: MainWindow) -> None:
    title = "New sale" if self.order_id is None else self._order_title
    if self.order_id is None and self.cart.has_customer:
        title += f"  ·  for {self.cart.customer or 'the saved customer'}"
    self.panel.show_cart(self.cart, title=title)
    if self.customer is not None and self.order_id is None:
        self.customer.show_cart(self.cart, self._wait_note())


def _wait_note(self: MainWindow) -> str | None:
    """What a micro-gig in the cart means for the customer: about how long they wait."""
    if not any(ln.view and ln.view.kind == "experience" for ln in self.cart.lines):
        return None
    minutes = round(self.gig_wait)
    return "Your turn: now" if minutes < 1 else f"Your turn: in about {minutes} min"


def add_variant(self: MainWindow, view: VariantView) -> bool:
    if self.order_id is not None:
        self.new_sale()
    view = self.by_id.get(view.id, view)
    personalisation: str | None = None
    if view.personalisation_prompt:
        # A shoutout needs the name before the line exists; Esc means not this one.
        text, ok = QInputDialog.getText(self, view.label, f"{view.personalisation_prompt}:")
        self._back_to_selling()
        if not ok:
            self.panel.say(f"{view.label} not added", "warn")
            return False
        personalisation = text.strip() or None
    try:
        line = self.cart.add(view, personalisation=personalisation)
    except CartError as exc:
        self.panel.say(str(exc), "error")
        self.sounds.buzz()
        return False
    self.panel.say(f"Added {line.title}", "info")
    self.show_cart()
    if view.per_person_limit is not None and not self.cart.has_customer:
        self.ask_customer(f"{view.label} is limited to {view.per_person_limit} per person.")
    return True


def ask_customer(self: MainWindow, why: str = "") -> None:
    """Who is buying (for limited drops): typed here, or scanned from their phone."""
    if self.order_id is not None:
        return
    text, ok = QInputDialog.getText(
        self,
        "Customer",
        (why + "\n" if why else "") + "Email, phone or @handle (kept only as a hash):",
        text=self.cart.customer or "",
    )
    self._back_to_selling()
    if ok:
        self.set_customer(text)


def _back_to_selling(self: MainWindow) -> None:
    """After a question, the keys (F5, the next scan) belong to the selling screen."""
    self.activateWindow()
    self.tiles.setFocus()


def set_customer(self: MainWindow, text: str) -> bool:
    try:
        shown = self.cart.set_customer(text)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        self.sounds.buzz()
        return False
    self.show_cart()
    self.panel.say(f"Customer: {shown}" if shown else "No customer on this sale", "info")
    return True


def on_scan(self: MainWindow, code: str) -> None:
    """A scanner burst: an item adds, an order ticket opens, anything else buzzes."""
    code = code.strip()
    upper = code.upper()
    view = self.by_code.get(upper) or self.by_code.get(code)
    if view is not None:
        if self.add_variant(view):
            self.sounds.beep()
        return
    ticket_id = tickets.parse_ticket_code(code)
    if ticket_id is not None:
        self.call_gig(ticket_id)
        return
    if ORDER_NUMBER.fullmatch(upper):
        self.open_order_by_number(upper)
        return
    paid_by_qr = payments.order_for_scan(self.uow, code)
    if paid_by_qr is not None:
        self.open_order_by_number(checkout.get_order(self.uow, paid_by_qr).number)
        return
    if HANDLE_SCAN.match(code) and self.order_id is None:
        # A fan showing their email or @handle as a QR names the buyer of a drop.
        if self.set_customer(code):
            self.sounds.beep()
        return
    self.sounds.buzz()
    self.panel.say(f"Unknown code: {code}", "error")


def _search_enter(self: MainWindow) -> None:
    if self.model.rowCount() == 1:
        self.add_variant(self.model.variant_at(0))
        self.search.clear()
        self.tiles.setFocus()


def selected_line(self: MainWindow) -> int:
    row = self.panel.selected_row()
    if row < 0 and self.cart.lines:
        row = len(self.cart.lines) - 1
    return row


def change_quantity(self: MainWindow, delta: int) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        return
    try:
        self.cart.set_quantity(row, self.cart.lines[row].quantity + delta)
    except CartError as exc:
        self.panel.say(str(exc), "error")
        return
    self.show_cart()


def move_selection(self: MainWindow, step: int) -> None:
    if self.cart.lines:
        row = max(0, min(len(self.cart.lines) - 1, self.selected_line() + step))
        self.panel.table.selectRow(row)


def remove_line(self: MainWindow) -> None:
    row = self.selected_line()
    if row >= 0 and self.order_id is None:
        self.cart.remove(row)
        self.show_cart()


def _ask_discount(self: MainWindow, title: str) -> Discount | None:
    text, ok = QInputDialog.getText(self, title, "Percent (10%) or amount (5.00):")
    if not ok or not text.strip():
        return None
    try:
        if text.strip().endswith("%"):
            return Discount.percent(parse_percent(text))
        return Discount.amount(parse_amount(text, self.cart.currency, what="discount"))
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return None


def line_discount(self: MainWindow) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        self.panel.say("Select a line to discount", "warn")
        return
    discount = self._ask_discount("Line discount")
    if discount is not None:
        self.cart.set_line_discount(row, discount)
        self.show_cart()


def order_discount(self: MainWindow) -> None:
    if self.cart.empty or self.order_id is not None:
        return
    discount = self._ask_discount("Order discount")
    if discount is not None:
        self.cart.discount = discount
        self.show_cart()


def custom_amount(self: MainWindow) -> None:
    if self.order_id is not None:
        self.new_sale()
    text, ok = QInputDialog.getText(self, "Custom amount", "Amount:")
    if not ok or not text.strip():
        return
    try:
        amount = parse_amount(text, self.cart.currency)
        note, ok = QInputDialog.getText(self, "Custom amount", "Note (what it is for):")
        self.cart.add_custom(amount, note if ok else None)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.show_cart()


def price_override(self: MainWindow) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        return
    if not self.require_organizer("change a price"):
        return
    text, ok = QInputDialog.getText(self, "New price", f"Price for {self.cart.lines[row].title}:")
    if ok and text.strip():
        try:
            self.cart.set_price(row, parse_amount(text, self.cart.currency))
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.show_cart()


def escape(self: MainWindow) -> None:
    if self.search.hasFocus() and self.search.text():
        self.search.clear()
        return
    self.new_sale()


def new_sale(self: MainWindow, *, keep_customer_screen: bool = False) -> None:
    self.order_id = None
    self.cart = CartSession(self.cart.currency, default_tax=self.cart.default_tax)
    self.panel.say(" ")
    self.panel.show_cart(self.cart)
    if self.customer is not None and not keep_customer_screen:
        self.customer.show_cart(self.cart)
    self.tiles.setFocus()


def focus_search(self: MainWindow) -> None:
    self.search.setFocus()
    self.search.selectAll()
