"""The cart: scans, lines, quantities, discounts, the customer and a new sale."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import parse_amount, parse_percent
from popup_pos.domain.pricing import Discount
from popup_pos.gui.lazy import Deferred
from popup_pos.services import cart as cart_service
from popup_pos.services.cart import CartError, CartSession
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import checkout, payments, scan_routing, tickets
    from popup_pos.services.staff import Approval
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    payments = Deferred("popup_pos.services.payments")
    tickets = Deferred("popup_pos.services.tickets")
    scan_routing = Deferred("popup_pos.services.scan_routing")


def show_cart(self: SellingWindow) -> None:
    title = "New sale" if self.order_id is None else self._order_title
    if self.order_id is None and self.cart.has_customer:
        title += f"  ·  for {self.cart.customer or 'the saved customer'}"
    self.panel.show_cart(self.cart, title=title)
    # A payment QR held for the customer before stays until they are done: the next
    # customer's cart waits on the seller's screen.
    if self.customer is not None and self.order_id is None and self._qr_on_display is None:
        self.customer.show_cart(self.cart, self._wait_note())
        self.show_customer_tips()


def _wait_note(self: SellingWindow) -> str | None:
    """What an experience in the cart means for the customer: about how long they wait."""
    if not any(ln.view and ln.view.kind == "experience" for ln in self.cart.lines):
        return None
    minutes = round(self.ticket_wait)
    return "Your turn: now" if minutes < 1 else f"Your turn: in about {minutes} min"


def add_variant(self: SellingWindow, view: VariantView) -> bool:
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
        if view.per_person_limit is not None and self.cart.has_customer:
            # What this fan already bought, read now: refused before the price is said.
            cart_service.load_bought(self.uow, self.cart, [view])
        line = self.cart.add(view, personalisation=personalisation)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        self.sounds.buzz()
        return False
    self.show_cart()
    held = self._qr_on_display
    # Said after the cart is shown: a warning lasts until the cart changes again.
    if held is not None:
        self.panel.say(
            f"Added {line.title}  ·  {held[1]}'s QR stays on the customer display "
            "(Ctrl+Shift+Q takes it off)",
            "warn",
        )
    else:
        self.panel.say(f"Added {line.title}", "info")
    # The line just scanned is the one shown, however long the cart has grown.
    rows = [i for i, ln in enumerate(self.cart.lines) if ln is line]
    if rows:
        self.panel.reveal(rows[0])
    if view.per_person_limit is not None and not self.cart.has_customer:
        self.ask_customer(f"{view.label} is limited to {view.per_person_limit} per person.")
    return True


def ask_customer(self: SellingWindow, why: str = "") -> None:
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


def _back_to_selling(self: SellingWindow) -> None:
    """After a question, the keys (F5, the next scan) belong to the selling screen."""
    self.activateWindow()
    self.tiles.setFocus()


def set_customer(self: SellingWindow, text: str) -> bool:
    """Name the buyer; False if refused, or if what they may not buy was taken off."""
    try:
        shown = self.cart.set_customer(text)
        limited = [ln.view for ln in self.cart.lines if ln.view and ln.view.per_person_limit]
        cart_service.load_bought(self.uow, self.cart, limited)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        self.sounds.buzz()
        return False
    refused = _drop_over_limit(self)
    self.show_cart()
    if refused:
        self.panel.say(refused, "error")
        self.sounds.buzz()
        return False
    self.panel.say(f"Customer: {shown}" if shown else "No customer on this sale", "info")
    return True


def _drop_over_limit(self: SellingWindow) -> str | None:
    """Take off the sale what this customer may not buy any more; the reason, if any."""
    try:
        self.cart.check_per_person()
        return None
    except CartError as exc:
        reason = str(exc)
    for index in reversed(range(len(self.cart.lines))):
        view = self.cart.lines[index].view
        if view is None or view.per_person_limit is None:
            continue
        room = max(view.per_person_limit - self.cart.bought.get(view.id, 0), 0)
        others = sum(
            ln.quantity
            for i, ln in enumerate(self.cart.lines)
            if i != index and ln.view is not None and ln.view.id == view.id
        )
        keep = max(min(self.cart.lines[index].quantity, room - others), 0)
        if keep:
            self.cart.lines[index].quantity = keep
        else:
            self.cart.remove(index)
    return f"{reason}: taken off this sale"


def on_scan(self: SellingWindow, code: str) -> None:
    """A scanner burst: an item adds, an order ticket opens, anything else buzzes."""
    try:
        found = scan_routing.route(self.uow, code, self.by_code)
    except PosError as exc:
        self.sounds.buzz()
        self.panel.say(str(exc), "error")
        return
    if isinstance(found, scan_routing.ItemScan):
        if self.add_variant(found.item):
            self.sounds.beep()
    elif isinstance(found, scan_routing.TicketScan):
        self.call_ticket(found.ticket_id)
    elif isinstance(found, scan_routing.OrderScan):
        self.show_scanned_order(found.order, found.section)
    elif isinstance(found, scan_routing.UnknownOrder):
        self.sounds.buzz()
        self.panel.say(f"Unknown order {found.number}", "error")
    elif isinstance(found, scan_routing.BuyerScan) and self.order_id is None:
        # A fan showing their email or @handle as a QR names the buyer of a drop.
        if self.set_customer(found.handle):
            self.sounds.beep()
    else:
        self.sounds.buzz()
        self.panel.say(f"Unknown code: {code.strip()}", "error")


def _search_enter(self: SellingWindow) -> None:
    if self.model.rowCount() == 1:
        self.add_variant(self.model.variant_at(0))
        self.search.clear()
        self.tiles.setFocus()


def selected_line(self: SellingWindow) -> int:
    row = self.panel.selected_row()
    if row < 0 and self.cart.lines:
        row = len(self.cart.lines) - 1
    return row


def change_quantity(self: SellingWindow, delta: int) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        return
    try:
        self.cart.set_quantity(row, self.cart.lines[row].quantity + delta)
    except CartError as exc:
        self.panel.say(str(exc), "error")
        return
    self.show_cart()


def move_selection(self: SellingWindow, step: int) -> None:
    if self.cart.lines:
        row = max(0, min(len(self.cart.lines) - 1, self.selected_line() + step))
        self.panel.table.selectRow(row)


def remove_line(self: SellingWindow) -> None:
    row = self.selected_line()
    if row >= 0 and self.order_id is None:
        self.cart.remove(row)
        self.show_cart()


def _ask_discount(self: SellingWindow, title: str) -> Discount | None:
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


def line_discount(self: SellingWindow) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        self.panel.say("Select a line to discount", "warn")
        return
    discount = self._ask_discount("Line discount")
    if discount is not None:
        set_it = partial(self.cart.set_line_discount, row, discount)
        if self.with_organizer(lambda ok: set_it(approval=ok)):
            self.show_cart()


def order_discount(self: SellingWindow) -> None:
    if self.cart.empty or self.order_id is not None:
        return
    discount = self._ask_discount("Order discount")
    if discount is not None:
        set_it = partial(self.cart.set_order_discount, discount)
        if self.with_organizer(lambda ok: set_it(approval=ok)):
            self.show_cart()


def custom_amount(self: SellingWindow) -> None:
    if self.order_id is not None:
        self.new_sale()
    text, ok = QInputDialog.getText(self, "Custom amount", "Amount:")
    if not ok or not text.strip():
        return
    try:
        amount = parse_amount(text, self.cart.currency)
        note, ok = QInputDialog.getText(self, "Custom amount", "Note (what it is for):")
        add = partial(self.cart.add_custom, amount, note if ok else None)
        if not self.with_organizer(lambda approval: add(approval=approval)):
            return
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.show_cart()


def price_override(self: SellingWindow) -> None:
    row = self.selected_line()
    if row < 0 or self.order_id is not None:
        return
    title = self.cart.lines[row].title
    approval: Approval | None = None
    if self.staff.role != "organizer":
        # Asked first, so nobody types a price only to be told it needs the organizer.
        approval = self.ask_approval(
            "a price change needs the organizer's PIN", f"price of {title}"
        )
        if approval is None:
            self.panel.say("Not changed: a price change needs the organizer's PIN", "warn")
            return
    text, ok = QInputDialog.getText(self, "New price", f"Price for {title}:")
    if ok and text.strip():
        try:
            self.cart.set_price(row, parse_amount(text, self.cart.currency), approval=approval)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.show_cart()


def escape(self: SellingWindow) -> None:
    if self.search.hasFocus() and self.search.text():
        self.search.clear()
        return
    self.clear_cart()


def clear_cart(self: SellingWindow) -> None:
    """A new sale; a cart of more than one line can be brought back with Ctrl+Z."""
    cleared = self.cart if self.order_id is None and len(self.cart.lines) > 1 else None
    self.new_sale()
    if cleared is not None:
        self._cleared = cleared
        n = len(cleared.lines)
        self.panel.say(f"Cart of {n} lines cleared — Ctrl+Z brings it back", "warn")


def undo_clear(self: SellingWindow) -> None:
    cleared = self._cleared
    if cleared is None:
        self.panel.say("Nothing to bring back", "info")
        return
    if not self.cart.empty or self.order_id is not None:
        self.panel.say("Finish or clear this sale first, then Ctrl+Z", "warn")
        return
    self._cleared = None
    cleared.role, cleared.limits = self.staff.role, self.limits
    self.cart = cleared
    self.show_cart()
    self.panel.say(f"Cart of {len(cleared.lines)} lines back", "info")


def new_sale(self: SellingWindow, *, keep_customer_screen: bool = False) -> None:
    self.order_id = None
    self._cleared = None
    self.cart = CartSession(
        self.cart.currency,
        default_tax=self.cart.default_tax,
        role=self.staff.role,
        limits=self.limits,
    )
    self.panel.say(" ")
    self.panel.show_cart(self.cart)
    if self.customer is not None and not keep_customer_screen and self._qr_on_display is None:
        self.customer.show_cart(self.cart)
    self.tiles.setFocus()


def focus_search(self: SellingWindow) -> None:
    self.search.setFocus()
    self.search.selectAll()
