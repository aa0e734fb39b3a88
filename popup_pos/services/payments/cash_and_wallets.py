"""Money that never touches Stripe: cash and wallet payments."""

from __future__ import annotations

from popup_pos.payments.wallets import WALLETS, WalletLink, link
from popup_pos.services import checkout
from popup_pos.services import settings as settings_service
from popup_pos.services.checkout import OrderResult, TenderSpec
from popup_pos.services.payments.attempts import _order
from popup_pos.services.payments.results import PaymentsError
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork


def wallet_handles(uow: UnitOfWork) -> dict[str, str]:
    """The wallets set up in settings, e.g. {"venmo": "merchtable"}."""
    handles = settings_service.get(uow, "wallets")
    return {w: str(h) for w, h in handles.items() if w in WALLETS and h}


def wallet_link(
    uow: UnitOfWork, order_id: int, wallet: str, *, amount_cents: int | None = None
) -> WalletLink:
    """The seller's wallet link for what the order owes, for the customer display's QR.
    Nothing is recorded: a helper confirms with `confirm_wallet` once the money shows."""
    handle = wallet_handles(uow).get(wallet)
    if not handle:
        raise PaymentsError(f"no {WALLETS.get(wallet, wallet)} handle is set up in settings")
    order = _order(uow, order_id)
    amount = order.due_cents if amount_cents is None else amount_cents
    if amount <= 0 or amount > order.due_cents:
        raise PaymentsError(f"the amount must be between 0 and the {order.due_cents} still due")
    return link(wallet, handle, amount, order.currency, f"{order.number} {order.shop_name}")


def confirm_wallet(
    uow: UnitOfWork,
    order_id: int,
    wallet: str,
    *,
    amount_cents: int | None = None,
    reference: str | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """A helper saw the money arrive in the wallet app: record it as a wallet tender, with
    the wallet's name and (optionally) the sender or transaction note as the reference.

    `hand_over`: confirmed while the customer is at the table, so a covered order is handed
    over at once; confirmed later (from the queue), it waits in *Paid — hand over*."""
    if wallet not in WALLETS:
        raise PaymentsError(f"unknown wallet {wallet!r}: use venmo, cashapp or paypal")
    _no_overlap(uow, order_id, amount_cents)
    ref = WALLETS[wallet] + (f": {reference.strip()}" if reference and reference.strip() else "")
    return checkout.add_payment(
        uow,
        order_id,
        TenderSpec("wallet", amount_cents, reference=ref[:200]),
        staff_id=staff_id,
        actor=actor,
        hand_over=hand_over,
    )


def _no_overlap(uow: UnitOfWork, order_id: int, amount_cents: int | None) -> None:
    """Refuse money that, with a Stripe payment still under way, could pay the order
    twice (a QR on the customer's phone can still be paid)."""
    with uow:
        row = payments_store.order_for_charge(uow, order_id)
    if row is None or not row.pending_cents:
        return
    due = int(row.total_cents) - int(row.paid_cents)
    if (amount_cents if amount_cents is not None else due) > due - int(row.pending_cents):
        raise PaymentsError(f"order {row.number} has a Stripe payment under way: cancel it first")


def pay_cash(
    uow: UnitOfWork,
    order_id: int,
    *,
    amount_cents: int | None = None,
    tendered_cents: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """Cash for an order awaiting payment (the rest of a split, say); never needs Stripe.
    `hand_over` as for `confirm_wallet`."""
    _no_overlap(uow, order_id, amount_cents)
    return checkout.add_payment(
        uow,
        order_id,
        TenderSpec("cash", amount_cents, tendered_cents),
        staff_id=staff_id,
        actor=actor,
        hand_over=hand_over,
    )


def wallet_label(wallet: str) -> str:
    """'venmo' -> 'Venmo', for buttons and messages."""
    return WALLETS.get(wallet, wallet)
