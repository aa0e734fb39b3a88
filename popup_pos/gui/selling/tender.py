"""Taking payment: cash, part cash, wallets, Stripe QR and card, parking, and the sale's end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, parse_amount
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.worker import run_in_background

if TYPE_CHECKING:
    from popup_pos.gui.main_window import MainWindow
    from popup_pos.services import checkout, database, payments, tickets
else:
    # Deferred: they load SQLAlchemy and the models, after the first paint.
    checkout = Deferred("popup_pos.services.checkout")
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    tickets = Deferred("popup_pos.services.tickets")


def pay_cash(self: MainWindow, tendered: int | None) -> None:
    """Cash exact (tendered None) or a round amount: the sale completes at once."""
    result = self._take_cash(tendered=tendered)
    if result is not None:
        self._sold(result, "cash")


def _take_cash(
    self: MainWindow, *, tendered: int | None = None, amount: int | None = None
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
        )
    except PosError as exc:
        self.sounds.buzz()
        self.panel.say(str(exc), "error")
        return None


def part_cash(self: MainWindow) -> None:
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
    if result.status == "paid":
        self._sold(result, "cash")
        return
    self.refresh()
    self.open_order(result.order_id, "awaiting_payment")
    self.panel.say(
        f"{format_money(result.paid_cents, self.cart.currency)} cash taken; "
        f"{format_money(result.due_cents, self.cart.currency)} still due",
        "warn",
    )


def _sold(self: MainWindow, result: checkout.OrderResult, how: str) -> None:
    self.last_order_id = result.order_id
    cur = self.cart.currency
    # Only a sale with a micro-gig has tickets to read back (a read on the GUI thread).
    had_gigs = any(ln.view is not None and ln.view.kind == "experience" for ln in self.cart.lines)
    editions = "".join(
        f"  ·  {sku} #{', #'.join(map(str, nums))}" for sku, nums in result.edition_numbers.items()
    )
    self.new_sale()
    if result.change_cents:
        self.panel.show_change(f"Change {format_money(result.change_cents, cur)}")
    codes = "".join(f"  ·  code {c.code}" for c in result.codes)
    paid = result.status == "paid"
    gigs = self._gig_tickets(result.order_id) if paid and had_gigs else []
    self.refresh_after_sale()
    slips = "".join(f"  ·  {t.code}" for t in gigs)
    self.panel.say(
        f"{result.number} paid by {how}: {format_money(result.total_cents, cur)}"
        f"{editions}{codes}{slips}",
        "info",
    )
    if self.customer is not None:
        self._thank(result.codes, gigs)


def _gig_tickets(self: MainWindow, order_id: int) -> list[tickets.TicketView]:
    try:
        return tickets.of_order(self.uow, order_id)
    except PosError:
        return []


def _thank(
    self: MainWindow, codes: Sequence[checkout.DeliveredCode], gigs: Sequence[tickets.TicketView]
) -> None:
    """The thank-you screen: each download code as a QR, each micro-gig's ticket."""
    if self.customer is None:
        return
    lines = []
    for t in gigs:
        if t.slot_at is not None:
            when = f"at {t.slot_at.astimezone():%H:%M}"
        elif t.wait_minutes is not None and t.wait_minutes >= 1:
            when = f"in about {round(t.wait_minutes)} min"
        else:
            when = "next"
        who = f" for {t.personalisation}" if t.personalisation else ""
        lines.append(f"{t.name}{who}: {t.code}, {when}")
    self.customer.show_thanks(codes=[(c.name, c.code) for c in codes], gigs=lines)


def _thank_for(self: MainWindow, number: str) -> None:
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
    self._thank(codes, self._gig_tickets(order.id))


def refresh_after_sale(self: MainWindow) -> None:
    self.refresh()


def _place_for_payment(self: MainWindow) -> tuple[int, str, int] | None:
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


def charge_wallet(self: MainWindow) -> None:
    """Order → awaiting payment, the wallet QRs on the customer display, register free."""
    wallets = payments.wallet_handles(self.uow)
    if not wallets:
        self.panel.say("Set up a Venmo, Cash App or PayPal handle in Settings", "warn")
        return
    try:
        placed = self._place_for_payment()
        if placed is None:
            return
        order_id, number, due = placed
        links = [payments.wallet_link(self.uow, order_id, w) for w in wallets]
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    cur = self.cart.currency
    if self.customer is not None:
        self.customer.show_payment(
            [(f"{link.label} {link.handle}", link.url) for link in links],
            format_money(due, cur),
            f"Order {number}: put {number} in the note",
        )
    self.new_sale(keep_customer_screen=True)
    self.panel.say(
        f"{number} waits for {format_money(due, cur)} by wallet: "
        "press Wallet paid in the queue when it arrives",
        "info",
    )
    self.refresh()


def confirm_wallet(self: MainWindow) -> None:
    if self.order_id is None:
        return
    wallets = list(payments.wallet_handles(self.uow)) or ["venmo"]
    wallet = wallets[0]
    if len(wallets) > 1:
        names = {payments.wallet_label(w): w for w in wallets}
        choice, ok = QInputDialog.getItem(
            self, "Wallet payment received", "Which app?", list(names), 0, False
        )
        if not ok:
            return
        wallet = names[choice]
    reference, ok = QInputDialog.getText(
        self, "Wallet payment received", "Who paid (name or note on the payment):"
    )
    if not ok:
        return
    try:
        result = payments.confirm_wallet(
            self.uow,
            self.order_id,
            wallet,
            reference=reference.strip() or None,
            staff_id=self.staff.id,
            actor=self.staff.name,
        )
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self._sold(result, payments.wallet_label(wallet))


def charge_stripe_qr(self: MainWindow) -> None:
    self._charge_stripe("qr")


def charge_card(self: MainWindow) -> None:
    self._charge_stripe("card")


def _charge_stripe(self: MainWindow, how: str) -> None:
    if not payments.stripe_status(self.uow).configured:
        self.panel.say("Set up Stripe in Settings", "warn")
        return
    try:
        placed = self._place_for_payment()
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    if placed is None:
        return
    order_id, number, due = placed
    worker = database.for_worker(self.uow)
    staff_id = self.staff.id

    def charge() -> object:
        if how == "qr":
            return payments.charge_by_qr(worker, order_id, staff_id=staff_id)
        return payments.charge_by_card(worker, order_id, staff_id=staff_id)

    self.new_sale(keep_customer_screen=True)
    self.panel.say(f"{number}: asking Stripe…", "info")
    run_in_background(
        charge,
        lambda charge_: self._charged(number, due, charge_),
        lambda exc: self.panel.say(f"{number}: {exc}", "error"),
        parent=self,
    )
    self.refresh()


def _charged(self: MainWindow, number: str, due: int, charge: object) -> None:
    cur = self.cart.currency
    url = getattr(charge, "url", None)
    if url and self.customer is not None:
        self.customer.show_payment(
            [("Card, Apple Pay or Google Pay", url)], format_money(due, cur), f"Order {number}"
        )
    where = "the QR is on the customer screen" if url else "tap the card on the reader"
    self.panel.say(f"{number} waits for {format_money(due, cur)}: {where}", "info")


def park(self: MainWindow) -> None:
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
    self.new_sale()
    self.panel.say(f"Parked as {result.number}", "info")
    self.refresh()
