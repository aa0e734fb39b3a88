"""The order queue's actions: open, resume, cancel, hand over and refund an order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.selling import safety
from popup_pos.gui.worker import run_in_background
from popup_pos.services.cart import CartSession, LineState
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow
    from popup_pos.services import checkout, database, payments, tenders
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    tenders = Deferred("popup_pos.services.tenders")

# Orders already handed over (a sale paid at the table) open in the panel for a receipt
# or a refund; they are not in the queue.
DONE_STATUSES = ("fulfilled", "partially_refunded")


def open_order_by_number(self: MainWindow, number: str) -> None:
    try:
        order = checkout.get_order(self.uow, number)
    except PosError:
        self.sounds.buzz()
        self.panel.say(f"Unknown order {number}", "error")
        return
    self.sounds.beep()
    section = {"awaiting_payment": "awaiting_payment", "paid": "paid"}.get(order.status)
    if order.status == "open":
        section = "parked"
    if section is None and order.status in DONE_STATUSES:
        self.open_order(order.id, "done")
        return
    if section is None:
        self.panel.say(f"{number} is {order.status.replace('_', ' ')}", "warn")
        return
    self.show_queue(0)
    self.orders.select_order(order.id, section)


def open_order(self: MainWindow, order_id: int, section: str) -> None:
    """Show an order from the queue in the cart panel, to take payment or hand over."""
    try:
        order = checkout.get_order(self.uow, order_id)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.order_id = order_id
    view = CartSession(order.currency)
    for ln in order.lines:
        v = self.by_id.get(ln.variant_id) if ln.variant_id else None
        view.lines.append(
            _line_from_order(v, ln.quantity, ln.unit_price_cents, ln.name, ln.personalisation)
        )
    status = order.status.replace("_", " ")
    self._order_title_text = f"{order.number} — {status}"
    self.cart = view
    try:
        owed = tenders.amount_due(self.uow, order_id)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    if section == "awaiting_payment":
        # The big figure is what is still due; the tenders that paid stay listed under it.
        self.panel.show_cart(
            view, title=self._order_title_text, due=owed.due_cents, paid=owed.paid_text()
        )
        waiting = (
            f"  ·  {format_money(owed.pending_cents, order.currency)} being checked"
            if owed.pending_cents
            else ""
        )
        self.panel.say(f"{format_money(owed.due_cents, order.currency)} still due{waiting}", "warn")
        self.show_order_qr(order_id)
    else:
        self.panel.show_cart(
            view, title=self._order_title_text, paid=owed.paid_text(), offer_tip=False
        )
        if section == "paid":
            self.panel.say("Paid — hand it over", "info")
        elif section == "done":
            self.panel.say(f"{order.number} was handed over ({owed.paid_text()})", "info")


def resume_order(self: MainWindow) -> None:
    if self.orders.selected is None:
        return
    order_id, section = self.orders.selected
    if section == "parked":
        try:
            cart = checkout.resume(self.uow, order_id)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
        self.order_id = None
        self.cart = CartSession(
            self.pos_event.currency,
            default_tax=self.cart.default_tax,
            role=self.staff.role,
            limits=self.limits,
        )
        self.cart.order_id = order_id
        for ln in cart.lines:
            v = self.by_code.get((ln.sku or "").upper())
            self.cart.lines.append(
                _line_from_order(v, ln.quantity, ln.unit_price, ln.name, ln.personalisation)
            )
        self.cart.discount, self.cart.tip = cart.discount, cart.tip
        self.cart.customer_hash = cart.customer_hash
        self.show_cart()
        self.panel.say("Parked sale resumed", "info")
    else:
        self.open_order(order_id, section)


def cancel_order(self: MainWindow) -> None:
    if self.orders.selected is None:
        return
    order_id, _ = self.orders.selected
    try:
        order = checkout.get_order(self.uow, order_id)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    money = format_money(order.total_cents, order.currency)
    if order.paid_cents:
        money += f", {format_money(order.paid_cents, order.currency)} paid so far"
    question = f"Cancel {order.number} ({money})? Its stock goes back on sale."
    if not safety.confirm(self, f"Cancel {order.number}", question, f"Cancel {order.number}"):
        return
    worker = database.for_worker(self.uow)
    actor = self.staff.name

    def cancel() -> object:
        # Any Stripe payment under way is stopped first, so nobody pays a dead order.
        return payments.cancel_order(
            worker, order_id, reason="cancelled at the register", actor=actor
        )

    def done(_: object) -> None:
        self.qr_done(order_id)
        self.new_sale()
        self.panel.say("Order cancelled; its stock is back", "info")
        self.refresh()

    run_in_background(cancel, done, lambda exc: self.panel.say(str(exc), "error"), parent=self)


def handed_over(self: MainWindow) -> None:
    if self.orders.selected is None:
        return
    try:
        checkout.mark_fulfilled(self.uow, self.orders.selected[0], actor=self.staff.name)
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.new_sale()
    self.panel.say("Handed over", "info")
    self.refresh()


def refund(self: MainWindow) -> None:
    # The order picked in the queue, else one handed over at the table and opened by its
    # number (its receipt scanned).
    order_id = self.orders.selected[0] if self.orders.selected else self.order_id
    if order_id is None:
        return
    if not self.require_organizer("refund an order"):
        return
    from popup_pos.gui.refund import RefundDialog

    dialog = RefundDialog(self.uow, order_id, actor=self.staff.name, parent=self)
    if dialog.exec() and dialog.result_text:
        self.new_sale()
        self.panel.say(dialog.result_text, "info")
        self.refresh()


def _line_from_order(
    view: VariantView | None,
    quantity: int,
    unit_price: int | None,
    name: str | None,
    personalisation: str | None,
) -> LineState:
    return LineState(view, quantity, unit_price, None, name, personalisation)
