"""The order queue's actions: open, resume, cancel, hand over and refund an order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.operations import CollectionOp
from popup_pos.gui.selling import safety
from popup_pos.services.cart import CartSession, LineState
from popup_pos.services.changes import ALL_STOCK, Changes
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import checkout, database, payments, scan_routing, tenders
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    scan_routing = Deferred("popup_pos.services.scan_routing")
    tenders = Deferred("popup_pos.services.tenders")


def open_order_by_number(self: SellingWindow, number: str) -> None:
    try:
        order = checkout.get_order(self.uow, number)
    except PosError:
        self.sounds.buzz()
        self.panel.say(f"Unknown order {number}", "error")
        return
    self.show_scanned_order(order, scan_routing.section_of(order.status))


def show_scanned_order(self: SellingWindow, order: checkout.OrderView, section: str | None) -> None:
    """An order whose number or payment QR was scanned, read once: pulled up in the queue
    and shown in the panel, or opened for a receipt or refund if it was handed over."""
    self.sounds.beep()
    if section == "done":
        self.open_order(order.id, "done", order=order)
        return
    if section is None:
        self.panel.say(f"{order.number} is {order.status.replace('_', ' ')}", "warn")
        return
    self.show_queue(0)
    if self.orders.select_order(order.id, section, emit=False):
        self.open_order(order.id, section, order=order)


def open_order(
    self: SellingWindow, order_id: int, section: str, *, order: checkout.OrderView | None = None
) -> None:
    """Show an order from the queue in the cart panel, to take payment or hand over;
    `order` when the caller has just read it."""
    if order is None or order.id != order_id:
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
    # From the payments read with the order: it is read once, not again for the figures.
    owed = tenders.due_of(order)
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
        self.show_order_qr(order_id, due=owed)
    else:
        self.panel.show_cart(
            view, title=self._order_title_text, paid=owed.paid_text(), offer_tip=False
        )
        if section == "paid":
            self.panel.say("Paid — hand it over", "info")
        elif section == "done":
            self.panel.say(f"{order.number} was handed over ({owed.paid_text()})", "info")


def resume_order(self: SellingWindow) -> None:
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


def cancel_order(self: SellingWindow) -> None:
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

    # Its lines' stock comes back and its tickets leave the queue.
    variants = frozenset(ln.variant_id for ln in order.lines if ln.variant_id is not None)
    CollectionOp(
        self, cancel, changes=Changes.of_sale(variants, order_id), notify=self.changed
    ).success(done).failure(lambda exc: self.panel.say(str(exc), "error")).run_in_background()


def handed_over(self: SellingWindow) -> None:
    if self.orders.selected is None:
        return
    order_id = self.orders.selected[0]

    def handed(_: object) -> None:
        self.new_sale()
        self.panel.say("Handed over", "info")

    # Its stock moved when it was placed: only the queue changes.
    CollectionOp(
        self,
        lambda: checkout.mark_fulfilled(self.uow, order_id, actor=self.staff.name),
        changes=Changes(queue=True, order=order_id),
        notify=self.changed,
    ).success(handed).failure(lambda exc: self.panel.say(str(exc), "error")).run_now()


def refund(self: SellingWindow) -> None:
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
        # Returned items go back on sale (a bundle's parts too) and a ticket may go.
        self.changed(ALL_STOCK | Changes(order=order_id))


def _line_from_order(
    view: VariantView | None,
    quantity: int,
    unit_price: int | None,
    name: str | None,
    personalisation: str | None,
) -> LineState:
    return LineState(view, quantity, unit_price, None, name, personalisation)
