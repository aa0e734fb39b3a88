"""The customer's payment QR: kept on screen until that customer is done, shown again on
request, and the two-action wallet confirmation that names the amount to look for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.gui.dialogs.payment_qr import PaymentQrDialog, WalletConfirm
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.operations import CollectionOp
from popup_pos.services.changes import Changes

if TYPE_CHECKING:
    from popup_pos.gui.selling.window import SellingWindow
    from popup_pos.services import database, payments, tenders
else:
    database = Deferred("popup_pos.services.database")
    payments = Deferred("popup_pos.services.payments")
    tenders = Deferred("popup_pos.services.tenders")


def show_payment_qr(
    self: SellingWindow,
    order_id: int,
    number: str,
    due: int,
    codes: Sequence[tuple[str, str]],
    hint: str,
    *,
    wallet: bool,
) -> None:
    """On the customer display when there is one (held there for this order), else on the
    seller's screen."""
    amount = format_money(due, self.cart.currency)
    if wallet:
        self._wallet_qr_orders.add(order_id)
    if self.customer is not None:
        self.customer.show_payment(list(codes), amount, hint)
        self._qr_on_display = (order_id, number)
        return
    if self._qr_dialog is None:
        self._qr_dialog = PaymentQrDialog(self)
        self._qr_dialog.wallet_paid.connect(self._confirm_from_qr)
    self._qr_dialog.show_codes(order_id, number, codes, amount, hint, wallet=wallet)


def _confirm_from_qr(self: SellingWindow) -> None:
    dialog = self._qr_dialog
    if dialog is not None and dialog.order_id is not None:
        self.confirm_wallet_for(dialog.order_id)


def qr_done(self: SellingWindow, order_id: int | None = None) -> None:
    """That order's customer is done (paid, cancelled), or with None the seller moves on:
    the QR leaves both screens."""
    if self._qr_on_display is not None and order_id in (None, self._qr_on_display[0]):
        self._qr_on_display = None
        if self.customer is not None:
            self.customer.show_cart(self.cart, self._wait_note())
    dialog = self._qr_dialog
    if dialog is not None and order_id in (None, dialog.order_id):
        dialog.close()
        dialog.order_id = None


def clear_payment_qr(self: SellingWindow) -> None:
    """Take the payment QR off the customer display (the seller moves on deliberately)."""
    if self._qr_on_display is None and (self._qr_dialog is None or not self._qr_dialog.isVisible()):
        self.panel.say("No payment QR is showing", "info")
        return
    number = self._qr_on_display[1] if self._qr_on_display else ""
    self.qr_done(None)
    self.panel.say(f"{number} QR taken off the screen; the order still waits".strip(), "info")


def show_order_qr(
    self: SellingWindow, order_id: int, *, due: tenders.AmountDue | None = None
) -> None:
    """An awaiting order picked in the queue: its Stripe QR (the same session) or its wallet
    QR for what is still due, back on screen; `due` when the caller has just read it."""
    if due is None or due.order_id != order_id:
        try:
            due = tenders.amount_due(self.uow, order_id)
        except PosError as exc:
            self.panel.say(str(exc), "error")
            return
    if "stripe_qr" in due.pending_tenders:
        # The same Checkout Session comes back (nothing is charged twice), on a worker;
        # the order stays open in the panel meanwhile.
        from popup_pos.gui.selling.tender import checkout_qr

        worker = database.for_worker(self.uow)
        owed = due.total_cents - due.paid_cents
        staff_id = self.staff.id
        number = due.number
        # The session is recorded, not the order's state: nothing else on screen moves.
        CollectionOp(
            self,
            lambda: checkout_qr(worker, order_id, staff_id),
            changes=Changes(),
            notify=self.changed,
        ).success(lambda charge: self._charged(number, owed, charge)).failure(
            lambda exc: self.panel.say(f"{number}: {exc}", "error")
        ).run_in_background()
        return
    if order_id in self._wallet_qr_orders and due.due_cents:
        self._show_wallet_qr(order_id, due.number, due.due_cents)


def _show_wallet_qr(self: SellingWindow, order_id: int, number: str, due: int) -> bool:
    """The wallet QRs for `due`; False, with the reason said, when they cannot be made."""
    try:
        wallets = payments.wallet_handles(self.uow)
        links = [payments.wallet_link(self.uow, order_id, w, amount_cents=due) for w in wallets]
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return False
    self.show_payment_qr(
        order_id,
        number,
        due,
        [(f"{link.label} {link.handle}", link.url) for link in links],
        f"Order {number}: put {number} in the note",
        wallet=True,
    )
    return True


def confirm_wallet_for(self: SellingWindow, order_id: int) -> None:
    """Wallet paid: one dialog naming the amount to look for; Enter hands the order over."""
    try:
        due = tenders.amount_due(self.uow, order_id)
        handles = payments.wallet_handles(self.uow) or {"venmo": ""}
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    cur = due.currency
    wallets = [(w, payments.wallet_label(w)) for w in handles]
    dialog = WalletConfirm(due.number, format_money(due.due_cents, cur), wallets, self)
    if not dialog.exec():
        self._back_to_selling()
        return
    self._back_to_selling()
    wallet = dialog.chosen_wallet
    try:
        result = payments.confirm_wallet(
            self.uow,
            order_id,
            wallet,
            reference=dialog.reference.text().strip() or None,
            staff_id=self.staff.id,
            actor=self.staff.name,
            hand_over=dialog.hand_over,
        )
    except PosError as exc:
        self.panel.say(str(exc), "error")
        return
    self.qr_done(order_id)
    if result.status in ("paid", "fulfilled"):
        self._sold(result, payments.wallet_label(wallet))
    else:
        # Part paid: the order stays in the queue with less due; no stock moved.
        self.changed(Changes(queue=True, order=order_id))
        self.open_order(order_id, "awaiting_payment")
