"""Taking payment: cash, part cash, wallets, Stripe QR and card, parking, and the sale's end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.operations import CollectionOp
from popup_pos.services.changes import Changes

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import checkout, database, payments, tenders, tickets
    from popup_pos.store.uow import UnitOfWork
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    tenders = Deferred("popup_pos.services.tenders")
    tickets = Deferred("popup_pos.services.tickets")

# A sale paid here, with the customer at the table, is handed over as it is paid: only
# orders paid later (a QR paid after they walked off, a wallet payment confirmed as
# "collect later") wait in *Paid — hand over*.
AT_THE_TABLE = True


def pay_cash(self: SellingWindow, tendered: int | None) -> None:
    """Cash exact (tendered None) or a round amount: the sale completes at once."""
    result = self._take_cash(tendered=tendered)
    if result is not None:
        self._sold(result, "cash", tendered=tendered)


def _take_cash(
    self: SellingWindow, *, tendered: int | None = None, amount: int | None = None
) -> checkout.OrderResult | None:
    """Cash for the order in the panel, or for the cart (placed and paid in one go);
    None, with the reason on the notice line, when it was refused."""
    try:
        if self.order_id is not None:
            return payments.pay_cash(
                self.uow,
                self.order_id,
                amount_cents=amount,
                tendered_cents=tendered,
                staff_id=self.staff.id,
                actor=self.staff.name,
                hand_over=AT_THE_TABLE,
            )
        if self.cart.empty:
            self.panel.say("Scan or tap an item first", "warn")
            return None
        return checkout.sell(
            self.uow,
            self.register.id,
            self.cart.to_cart(),
            (checkout.TenderSpec("cash", amount=amount, tendered=tendered),),
            staff_id=self.staff.id,
            actor=self.staff.name,
            parked_order_id=self.cart.order_id,
            hand_over=AT_THE_TABLE,
        )
    except PosError as exc:
        self.sounds.buzz()
        self.panel.say(str(exc), "error")
        return None


def _owed(self: SellingWindow) -> int:
    """What the customer in front of the register still owes: the open order's due, else
    the cart's total."""
    if self.order_id is not None:
        try:
            return tenders.amount_due(self.uow, self.order_id).due_cents
        except PosError:
            return 0
    return self.cart.totals().total if self.cart.lines else 0


def cash_keypad(self: SellingWindow) -> None:
    """Any amount handed over, typed on a keypad; the change is shown before it is taken."""
    from popup_pos.gui.keypad import CashKeypad

    if self.cart.empty:
        self.panel.say("Scan or tap an item first", "warn")
        return
    owed = self._owed()
    if owed <= 0:
        self.panel.say("Nothing is due", "warn")
        return
    dialog = CashKeypad(owed, self.cart.currency, self)
    accepted = dialog.exec()
    self._back_to_selling()
    if accepted and dialog.tendered is not None:
        self.pay_cash(dialog.tendered)


def part_cash(self: SellingWindow) -> None:
    """Split tender: some cash now, the rest by card, QR or wallet."""
    text, ok = QInputDialog.getText(self, "Part payment in cash", "Cash amount:")
    if not ok or not text.strip():
        return
    try:
        amount = parse_amount(text, self.cart.currency, what="cash amount")
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    result = self._take_cash(amount=amount)
    if result is None:
        return
    if result.status in ("paid", "fulfilled"):
        self._sold(result, "cash")
        return
    self.changed(self.cart_changes(result.order_id))
    # The order stays in the panel: the big figure is what is still due, the cash paid is
    # listed under it, and the quick-cash keys are worked out from the due amount.
    self.open_order(result.order_id, "awaiting_payment")
    self.panel.say(
        f"{format_money(result.paid_cents, self.cart.currency)} cash taken; "
        f"{format_money(result.due_cents, self.cart.currency)} still due",
        "warn",
    )


def _paid_by(self: SellingWindow, result: checkout.OrderResult, how: str) -> str:
    """'paid $20.00 cash + $40.00 Venmo': every tender of the order, read back once."""
    try:
        return tenders.amount_due(self.uow, result.order_id).paid_text()
    except PosError:
        return f"paid by {how}: {format_money(result.total_cents, self.cart.currency)}"


def _sold(
    self: SellingWindow, result: checkout.OrderResult, how: str, *, tendered: int | None = None
) -> None:
    """The sale is done: say so, show the change due on both screens and thank the
    customer; `tendered` is the cash handed over, when there was change."""
    self.last_order_id = result.order_id
    cur = self.cart.currency
    paid_by = self._paid_by(result, how)
    # Only a sale with an experience has tickets to read back (a read on the GUI thread).
    had_experiences = any(
        ln.view is not None and ln.view.kind == "experience" for ln in self.cart.lines
    )
    editions = "".join(
        f"  ·  {sku} #{', #'.join(map(str, nums))}" for sku, nums in result.edition_numbers.items()
    )
    changes = self.cart_changes(result.order_id)
    self.new_sale()
    change = f"Change {format_money(result.change_cents, cur)}" if result.change_cents else ""
    if change:
        # Whole and large until the next scan (show_cart hides it when a line is added).
        self.panel.show_change(change)
    codes = "".join(f"  ·  code {c.code}" for c in result.codes)
    paid = result.status in ("paid", "fulfilled")
    sold_tickets = self._order_tickets(result.order_id) if paid and had_experiences else []
    self.changed(changes)
    slips = "".join(f"  ·  {t.code}" for t in sold_tickets)
    # Codes and tickets are worth emailing: offered here, never asked (Ctrl+E).
    offer = "  ·  Ctrl+E: email them" if result.codes or sold_tickets else ""
    self.panel.say(f"{result.number} {paid_by}{editions}{codes}{slips}{offer}", "info")
    if self.customer is not None:
        self._thank(result.codes, sold_tickets)
        if result.change_cents:
            # On the thank-you page, until the next scan.
            self.customer.show_change(result.change_cents, cur, tendered)


def _order_tickets(self: SellingWindow, order_id: int) -> list[tickets.TicketView]:
    try:
        return tickets.of_order(self.uow, order_id)
    except PosError:
        return []


def _thank(
    self: SellingWindow,
    codes: Sequence[checkout.DeliveredCode],
    sold_tickets: Sequence[tickets.TicketView],
) -> None:
    """The thank-you screen: each download code as a QR, each experience's ticket. A
    payment QR held for another customer stays until that customer is done."""
    if self.customer is None or self._qr_on_display is not None:
        return
    lines = []
    for t in sold_tickets:
        if t.slot_at is not None:
            when = f"at {t.slot_at.astimezone():%H:%M}"
        elif t.wait_minutes is not None and t.wait_minutes >= 1:
            when = f"in about {round(t.wait_minutes)} min"
        else:
            when = "next"
        who = f" for {t.personalisation}" if t.personalisation else ""
        lines.append(f"{t.name}{who}: {t.code}, {when}")
    self.customer.show_thanks(codes=[(c.name, c.code) for c in codes], tickets=lines)


def _thank_for(self: SellingWindow, number: str) -> None:
    """An order paid later (by QR): its codes and tickets on the customer display."""
    try:
        order = checkout.get_order(self.uow, number)
    except PosError:
        return
    codes = [
        checkout.DeliveredCode(ln.sku or "", ln.name, code)
        for ln in order.lines
        for code, status in order.codes.get(ln.id, [])
        if status == "assigned"
    ]
    self._thank(codes, self._order_tickets(order.id))


def cart_changes(self: SellingWindow, order_id: int | None) -> Changes:
    """What placing or paying the cart shown changes: its variants' stock (a bundle's
    parts too), the ticket queue if it sells an experience, and the order queue (an order
    paid from the queue, or a wallet payment confirmed there, leaves it)."""
    ids: set[int] = set()
    sells_experience = False
    for ln in self.cart.lines:
        if ln.view is not None:
            ids.add(ln.view.id)
            ids.update(cid for cid, _ in ln.view.parts)
            sells_experience = sells_experience or ln.view.kind == "experience"
    return Changes(stock=frozenset(ids), queue=True, tickets=sells_experience, order=order_id)


def _place_for_payment(self: SellingWindow) -> tuple[int, str, int] | None:
    """The order to charge: the one open in the panel, or the cart placed now (its
    stock held), so the register is free for the next customer at once."""
    if self.order_id is not None:
        order = checkout.get_order(self.uow, self.order_id)
        return order.id, order.number, order.total_cents - order.paid_cents
    if self.cart.empty:
        self.panel.say("Scan or tap an item first", "warn")
        return None
    placed = checkout.place_order(
        self.uow,
        self.register.id,
        self.cart.to_cart(),
        staff_id=self.staff.id,
        actor=self.staff.name,
        parked_order_id=self.cart.order_id,
    )
    return placed.order_id, placed.number, placed.due_cents


def _placed_or_said(self: SellingWindow) -> tuple[int, str, int] | None:
    """The cart placed for a payment to come, or None with the reason on the notice line."""
    try:
        return self._place_for_payment()
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return None


def charge_wallet(self: SellingWindow) -> None:
    """Order → awaiting payment, the wallet QRs on the customer display (or on this screen
    when there is none), register free."""
    if not payments.wallet_handles(self.uow):
        self.panel.say(
            "Wallet QR is off: set up a Venmo, Cash App or PayPal handle in Settings", "warn"
        )
        return
    placed = _placed_or_said(self)
    if placed is None:
        return
    order_id, number, due = placed
    if not self._show_wallet_qr(order_id, number, due):
        return
    cur = self.cart.currency
    changes = self.cart_changes(order_id)
    self.new_sale(keep_customer_screen=True)
    self.panel.say(
        f"{number} waits for {format_money(due, cur)} by wallet: "
        "Wallet paid (in the queue or under the QR) when it arrives",
        "info",
    )
    self.changed(changes)


def confirm_wallet(self: SellingWindow) -> None:
    """The queue's *Wallet paid*: for the order open in the panel."""
    if self.order_id is None:
        return
    self.confirm_wallet_for(self.order_id)


def charge_stripe_qr(self: SellingWindow) -> None:
    self._charge_stripe("qr")


def charge_card(self: SellingWindow) -> None:
    self._charge_stripe("card")


def _charge_stripe(self: SellingWindow, how: str) -> None:
    if not payments.stripe_status(self.uow).configured:
        self.panel.say("Set up Stripe in Settings", "warn")
        return
    placed = _placed_or_said(self)
    if placed is None:
        return
    order_id, number, due = placed
    worker = database.for_worker(self.uow)
    staff_id = self.staff.id

    def charge() -> object:
        if how != "qr":
            return payments.charge_by_card(worker, order_id, staff_id=staff_id)
        return checkout_qr(worker, order_id, staff_id)

    # Placed and its stock held now, on this thread: the queue and badges show it at once;
    # the Stripe request that follows changes nothing the screen shows until it settles.
    changes = self.cart_changes(order_id)
    self.new_sale(keep_customer_screen=True)
    self.panel.say(f"{number}: asking Stripe…", "info")
    # Asking Stripe changes nothing the screen shows: the order is already in the queue.
    CollectionOp(self, charge, changes=Changes(), notify=self.changed).success(
        lambda charge_: self._charged(number, due, charge_)
    ).failure(lambda exc: self.panel.say(f"{number}: {exc}", "error")).run_in_background()
    self.changed(changes)


def checkout_qr(worker: UnitOfWork, order_id: int, staff_id: int) -> object:
    """On a worker: the order's Stripe Checkout (the same session when it has one), with
    its QR's matrix built here and cached, so the GUI thread only paints it."""
    charged = payments.charge_by_qr(worker, order_id, staff_id=staff_id)
    url = getattr(charged, "url", None)
    if url:
        from popup_pos.gui.qr import qr_matrix

        qr_matrix(url)
    return charged


def _charged(self: SellingWindow, number: str, due: int, charge: object) -> None:
    cur = self.cart.currency
    url = getattr(charge, "url", None)
    order_id = getattr(charge, "order_id", None)
    if url and order_id is not None:
        self.show_payment_qr(
            order_id,
            number,
            due,
            [("Card, Apple Pay or Google Pay", url)],
            f"Order {number}",
            wallet=False,
        )
    screen = "customer screen" if self.customer is not None else "QR window"
    where = f"the QR is on the {screen}" if url else "tap the card on the reader"
    self.panel.say(f"{number} waits for {format_money(due, cur)}: {where}", "info")


def park(self: SellingWindow) -> None:
    if self.cart.empty or self.order_id is not None:
        return
    try:
        result = checkout.park(
            self.uow,
            self.register.id,
            self.cart.to_cart(),
            order_id=self.cart.order_id,
            actor=self.staff.name,
        )
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    # Parking holds no stock: only the queue moves.
    self.new_sale()
    self.panel.say(f"Parked as {result.number}", "info")
    self.changed(Changes(queue=True, order=result.order_id))
