"""One Stripe attempt at an order: recorded, sent, its answer applied, or stopped."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from typing import Any

from popup_pos.payments.base import (
    Charge,
    Outcome,
    Pending,
    ProviderError,
    ProviderOfflineError,
    State,
    TenderProvider,
)
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.services import checkout
from popup_pos.services.checkout import CheckoutError
from popup_pos.services.payments.connection import _CONNECTION, _offline, _provider, stripe_gateway
from popup_pos.services.payments.results import CancelResult, PaymentsError, StatusChange
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Order:
    id: int
    number: str
    currency: str
    due_cents: int
    shop_name: str
    register_code: str


def _order(uow: UnitOfWork, order_id: int) -> _Order:
    with uow:
        row = payments_store.order_for_charge(uow, order_id)
    if row is None:
        raise PaymentsError(f"no order {order_id}")
    if row.status != "awaiting_payment":
        raise PaymentsError(f"order {row.number} is {row.status.replace('_', ' ')}")
    # PostgreSQL sums BIGINT to NUMERIC: back to int before it goes into a request.
    due = int(row.total_cents) - int(row.paid_cents) - int(row.pending_cents)
    return _Order(row.id, row.number, row.currency, due, row.event_name, row.register_code)


def _attempt(uow: UnitOfWork, order: _Order) -> str:
    with uow:
        n = payments_store.attempts_of(uow, order.id) + 1
    # The random part keeps keys unique across databases sharing one Stripe account (a
    # demo database, a fresh install): Stripe would otherwise replay an old answer.
    return f"{order.number}_{n}_{secrets.token_hex(6)}"


def _pending(row: Any) -> Pending:
    return Pending(
        payment_id=row.id,
        order_id=row.order_id,
        order_number=row.number,
        amount_cents=row.amount_cents,
        provider_id=row.provider_id,
        idempotency_key=row.idempotency_key,
        request=dict(row.request or {}),
        created_at=row.created_at,
    )


def _begin(
    uow: UnitOfWork,
    provider: TenderProvider,
    order: _Order,
    amount_cents: int | None,
    reader_id: str | None,
    staff_id: int | None,
) -> Pending:
    amount = order.due_cents if amount_cents is None else amount_cents
    if amount <= 0 or amount > order.due_cents:
        raise PaymentsError(
            f"order {order.number}: the amount must be between 0 and the "
            f"{order.due_cents} still due"
        )
    charge = Charge(
        order.id,
        order.number,
        amount,
        order.currency,
        order.shop_name,
        _attempt(uow, order),
        reader_id,
    )
    prepared = provider.prepare(charge)
    payment_id = checkout.begin_payment(
        uow,
        order.id,
        provider.tender,
        amount,
        idempotency_key=str(prepared.idempotency_key),
        request=prepared.request,
        staff_id=staff_id,
    )
    with uow:
        row = payments_store.pending_remote_one(uow, payment_id)
    assert row is not None
    return _pending(row)


def _apply(uow: UnitOfWork, pending: Pending, tender: str, out: Outcome) -> StatusChange | None:
    """Record what the provider said; None while the payment is still pending."""
    try:
        if out.state is State.SUCCEEDED:
            res = checkout.complete_payment(
                uow,
                pending.payment_id,
                provider_id=out.provider_id,
                fee_cents=out.fee_cents,
                reference=out.reference,
            )
            status = res.status
        elif out.state in (State.FAILED, State.CANCELLED):
            if out.provider_id and out.provider_id != pending.provider_id:
                checkout.note_provider_id(uow, pending.payment_id, out.provider_id)
            checkout.end_payment(uow, pending.payment_id, out.state.value)
            status = checkout.get_order(uow, pending.order_id).status
        else:
            if out.provider_id and out.provider_id != pending.provider_id:
                checkout.note_provider_id(uow, pending.payment_id, out.provider_id)
            return None
    except CheckoutError as exc:
        # Another thread or register settled it first; its answer stands.
        log.info("payment %s already settled: %s", pending.payment_id, exc)
        return None
    log.info(
        "payment %s (%s, order %s): %s",
        pending.payment_id,
        tender,
        pending.order_number,
        out.state.value,
    )
    return StatusChange(
        pending.payment_id,
        pending.order_id,
        pending.order_number,
        tender,
        out.state.value,
        str(status),
        pending.amount_cents,
        out.message,
    )


def _send(
    uow: UnitOfWork, provider: TenderProvider, pending: Pending
) -> tuple[Outcome, StatusChange | None]:
    noted: list[str] = []

    def note_id(provider_id: str) -> None:
        checkout.note_provider_id(uow, pending.payment_id, provider_id)
        noted.append(provider_id)

    with _CONNECTION.health.sending(pending.payment_id):
        try:
            out = provider.send(pending, note_id)
        except ProviderOfflineError as exc:
            if not noted:
                # Nothing known reached Stripe and the customer was shown nothing: this
                # attempt is over. (If it did arrive, no one can pay what they never saw.)
                checkout.end_payment(uow, pending.payment_id, "cancelled")
            raise _offline(exc) from exc
        except ProviderError:
            if not noted:
                checkout.end_payment(uow, pending.payment_id, "failed")
            raise
    _CONNECTION.health.ok()
    if noted and not out.provider_id:
        out = Outcome(out.state, provider_id=noted[-1], url=out.url, message=out.message)
    if noted:
        pending = replace(pending, provider_id=noted[-1])
    return out, _apply(uow, pending, provider.tender, out)


def _cancel_remote(
    uow: UnitOfWork, order_id: int, tender: str, gateway: StripeGateway | None
) -> CancelResult:
    gw = stripe_gateway(gateway)
    provider = _provider(tender, gw)
    with uow:
        rows = [p for p in payments_store.pending_remote(uow, order_id) if p.tender == tender]
    paid = False
    for row in rows:
        pending = _pending(row)
        try:
            out = provider.cancel(pending)
        except ProviderOfflineError as exc:
            raise _offline(exc) from exc
        _CONNECTION.health.ok()
        done = _apply(uow, pending, tender, out)
        paid = paid or bool(done and done.state == "succeeded")
    view = checkout.get_order(uow, order_id)
    if paid:
        message = f"order {view.number} was paid just as it was cancelled: hand it over"
    elif rows:
        message = f"order {view.number}: payment cancelled"
    else:
        message = f"order {view.number} had no {tender.replace('_', ' ')} payment under way"
    return CancelResult(view.id, view.number, view.status, paid, message)
