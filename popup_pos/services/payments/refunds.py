"""Cancelling and refunding: the one door for each, the Stripe part included."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from popup_pos.payments.base import (
    ProviderAuthError,
    ProviderOfflineError,
    ProviderRejectedError,
    State,
)
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.services import audit, checkout
from popup_pos.services.checkout import cancelling, refunding
from popup_pos.services.payments.attempts import _cancel_remote
from popup_pos.services.payments.connection import _CONNECTION, _offline, _provider, stripe_gateway
from popup_pos.services.payments.results import (
    CancelResult,
    RefundReport,
    StatusChange,
    StripeNotSetUpError,
    StripeRefund,
)
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


def cancel_order(
    uow: UnitOfWork,
    order_id: int,
    *,
    reason: str | None = None,
    actor: str | None = None,
    gateway: StripeGateway | None = None,
) -> CancelResult:
    """The one door to cancel an unpaid order, whatever paid for it. Any Stripe payment
    under way is stopped first (one that was paid in the meantime wins: the order is then
    paid, not cancelled); then the stock goes back and part payments are handed back,
    card and QR ones through Stripe. An order Stripe never touched needs no key nor
    network."""
    with uow:
        tenders = {p.tender for p in payments_store.pending_remote(uow, order_id)}
    for tender in sorted(tenders):
        res = _cancel_remote(uow, order_id, tender, gateway)
        if res.paid or res.order_status != "awaiting_payment":
            return res
    result = cancelling._cancel_order(uow, order_id, reason=reason, actor=actor)
    with uow:
        unsent = payments_store.unsent_refunds(uow, order_id)
    if unsent:
        try:
            _send_refunds(uow, stripe_gateway(gateway), order_id)
        except (StripeNotSetUpError, ProviderAuthError) as exc:
            # Recorded here already; it is sent once the key works again.
            log.warning("cancel of %s not refunded at Stripe yet: %s", result.number, exc)
        except ProviderOfflineError as exc:
            _offline(exc)
    return CancelResult(result.order_id, result.number, result.status, False, "order cancelled")


def refund_to_tenders(
    uow: UnitOfWork,
    order_id: int,
    *,
    lines: Mapping[int, int] | None = None,
    amount_cents: int | None = None,
    return_to_stock: bool = False,
    reason: str | None = None,
    actor: str | None = None,
    gateway: StripeGateway | None = None,
) -> RefundReport:
    """The one door to refund a paid order, whatever paid for it: some lines (line id →
    quantity), a plain amount, or (neither) everything still unrefunded; the money goes
    back to the tenders it came from, newest first, and with `return_to_stock` refunded
    units go back on the shelf. The Stripe part is then sent to Stripe, each refund row
    with its own key so a resend never refunds twice. Offline, it waits (state "waiting")
    and `check_pending` sends it later. A refund Stripe refuses comes back "failed" with
    the reason: the money must then be given back another way. An order Stripe never
    touched needs no key nor network."""
    result = refunding._refund(
        uow,
        order_id,
        lines=lines,
        amount_cents=amount_cents,
        return_to_stock=return_to_stock,
        reason=reason,
        actor=actor,
    )
    with uow:
        unsent = {r.id: r for r in payments_store.unsent_refunds(uow, order_id)}
    sent: list[StripeRefund] = []
    if unsent:
        try:
            gw = stripe_gateway(gateway)
            sent += [refund for refund, _ in _send_refunds(uow, gw, order_id)]
        except (StripeNotSetUpError, ProviderAuthError) as exc:
            # Recorded here already; it is sent once the key works again.
            log.warning("refund on %s not sent to Stripe: %s", result.number, exc)
        except ProviderOfflineError as exc:
            _offline(exc)
    done = {r.refund_id for r in sent}
    sent += [
        StripeRefund(rid, r.amount_cents, "waiting", None, "Stripe is offline: sent later")
        for rid, r in unsent.items()
        if rid not in done
    ]
    return RefundReport(result, tuple(sent))


def refund_key(payment_key: str | None, payment_id: int, refund_id: int) -> str:
    """Derived from the payment's key and the refund row's id: unique, and the same on a
    resend after a crash."""
    return f"{payment_key or f'popup-pos_payment{payment_id}'}_refund{refund_id}"


def _send_refunds(
    uow: UnitOfWork, gw: StripeGateway, order_id: int | None = None
) -> list[tuple[StripeRefund, StatusChange]]:
    """Send refunds recorded against Stripe tenders and not yet acknowledged. In each
    StatusChange, `payment_id` is the refund row's id."""
    with uow:
        rows = payments_store.unsent_refunds(uow, order_id)
    changes: list[tuple[StripeRefund, StatusChange]] = []
    for r in rows:
        provider = _provider(r.tender, gw)
        key = refund_key(r.payment_key, r.payment_id, r.id)
        try:
            out = provider.refund(r.payment_provider_id, r.amount_cents, idempotency_key=key)
        except ProviderRejectedError as exc:
            out_state, provider_id, why = State.FAILED, None, str(exc)
        else:
            out_state, provider_id, why = out.state, out.provider_id, out.message or ""
        _CONNECTION.health.ok()
        status = "failed" if out_state is State.FAILED else out_state.value
        with uow:
            payments_store.refund_answered(uow, r.id, provider_id, status)
            audit.record(
                uow,
                f"refund.stripe_{status}",
                "order",
                r.number,
                {"refund": r.id, "amount": r.amount_cents, "stripe": provider_id, "why": why},
            )
            uow.commit()
        if out_state is State.FAILED:
            log.warning("refund %s on %s failed at Stripe: %s", r.id, r.number, why)
        order_status = checkout.get_order(uow, r.order_id).status
        refund = StripeRefund(r.id, r.amount_cents, status, provider_id, why)
        change = StatusChange(
            r.id,
            r.order_id,
            r.number,
            r.tender,
            "refund_failed" if out_state is State.FAILED else "refund_sent",
            order_status,
            r.amount_cents,
            why,
        )
        changes.append((refund, change))
    return changes
