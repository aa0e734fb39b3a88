"""What an order still owes and what paid it, and which tenders can work right now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from popup_pos.domain.cash import quick_cash_keys
from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money
from popup_pos.payments.wallets import WALLETS
from popup_pos.services import payments
from popup_pos.services.checkout import OrderView
from popup_pos.store import sales as sales_store
from popup_pos.store.records import OrderRecord, PaymentRecord
from popup_pos.store.uow import UnitOfWork

_TENDER_NAMES = {
    "cash": "cash",
    "wallet": "wallet",
    "stripe_qr": "card by QR",
    "stripe_card": "card",
}


class TenderError(PosError):
    """An order's payments cannot be read (no such order)."""


@dataclass(frozen=True, slots=True)
class PaidTender:
    """One payment that went through: '$20.00 cash', '$40.00 Venmo'."""

    tender: str
    label: str
    amount_cents: int
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class AmountDue:
    """The selling screen's big figure after a part payment, and the tenders beside it."""

    order_id: int
    number: str
    status: str
    currency: str
    total_cents: int
    paid: tuple[PaidTender, ...]
    pending_cents: int  # a QR still payable: not due again, not paid yet
    pending_tenders: tuple[str, ...] = ()  # e.g. ("stripe_qr",): what to show again

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.paid)

    @property
    def due_cents(self) -> int:
        """What the customer still has to hand over, a pending QR aside."""
        return max(self.total_cents - self.paid_cents - self.pending_cents, 0)

    @property
    def quick_cash(self) -> tuple[int, ...]:
        return quick_cash_keys(self.due_cents, self.currency)

    def paid_text(self) -> str:
        return paid_text(self.paid, self.currency)


def tender_label(tender: str, reference: str | None = None) -> str:
    """'cash', 'Venmo' (from a wallet payment's reference 'Venmo: Sam'), 'card by QR'."""
    if tender == "wallet" and reference:
        name = reference.split(":", 1)[0].strip()
        if name in WALLETS.values():
            return name
    return _TENDER_NAMES.get(tender, tender)


def paid_text(paid: Sequence[PaidTender], currency: str) -> str:
    """'paid $20.00 cash + $40.00 Venmo'; one tender reads 'paid $60.00 cash'."""
    if not paid:
        return "nothing paid yet"
    parts = [f"{format_money(p.amount_cents, currency)} {p.label}" for p in paid]
    return "paid " + " + ".join(parts)


def amount_due(uow: UnitOfWork, order_id: int) -> AmountDue:
    """The order's total, the payments that went through, and what is still due."""
    with uow:
        order = sales_store.order_by_ref(uow, order_id)
        if order is None:
            raise TenderError(f"no order {order_id}")
        return _due(order, sales_store.payments_of(uow, order_id))


def due_of(order: OrderView) -> AmountDue:
    """The same, from an order already read with its payments (nothing is read again)."""
    return _due(order, order.payments)


def _due(order: OrderRecord | OrderView, payments_: Sequence[PaymentRecord]) -> AmountDue:
    paid = tuple(
        PaidTender(p.tender, tender_label(p.tender, p.reference), p.amount_cents, p.reference)
        for p in payments_
        if p.status == "succeeded"
    )
    pending = [p for p in payments_ if p.status == "pending"]
    return AmountDue(
        order.id,
        order.number,
        order.status,
        order.currency,
        order.total_cents,
        paid,
        sum(p.amount_cents for p in pending),
        tuple(dict.fromkeys(p.tender for p in pending)),
    )


@dataclass(frozen=True, slots=True)
class TenderState:
    """Whether a tender key can work; when it cannot, why, in words for the key's tooltip."""

    tender: str
    usable: bool
    reason: str = ""


def tender_states(uow: UnitOfWork) -> dict[str, TenderState]:
    """Cash always works; a wallet needs a handle, Stripe needs its key (no network asked)."""
    states = {"cash": TenderState("cash", True)}
    if payments.wallet_handles(uow):
        states["wallet"] = TenderState("wallet", True)
    else:
        states["wallet"] = TenderState(
            "wallet", False, "No wallet set up: add a Venmo, Cash App or PayPal handle in Settings"
        )
    stripe = payments.stripe_status(uow)
    for tender in ("stripe_qr", "stripe_card"):
        if stripe.configured:
            states[tender] = TenderState(tender, True)
        else:
            states[tender] = TenderState(
                tender, False, "Stripe is not set up: add a key in Settings"
            )
    return states
