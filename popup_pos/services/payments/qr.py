"""Stripe QR: a Checkout Session the customer pays on their phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from popup_pos.payments.base import Outcome, Pending, ProviderOfflineError, State
from popup_pos.payments.stripe_api import StripeGateway
from popup_pos.services.payments.attempts import (
    _apply,
    _begin,
    _cancel_remote,
    _order,
    _pending,
    _send,
)
from popup_pos.services.payments.connection import _CONNECTION, _offline, _provider, stripe_gateway
from popup_pos.services.payments.results import CancelResult, PaymentsError, QrCharge
from popup_pos.store import payments as payments_store
from popup_pos.store.uow import UnitOfWork


def charge_by_qr(
    uow: UnitOfWork,
    order_id: int,
    *,
    amount_cents: int | None = None,
    staff_id: int | None = None,
    gateway: StripeGateway | None = None,
) -> QrCharge:
    """A Checkout Session for what the order still owes (or `amount_cents` of it, for a
    split); its URL goes on the customer display as a QR. The order keeps awaiting
    payment; `check_pending` reports when it is paid. Asking again while the QR is still
    open gives the same QR: one session per order at a time."""
    gw = stripe_gateway(gateway)
    provider = _provider("stripe_qr", gw)
    with uow:
        open_qr = [
            p for p in payments_store.pending_remote(uow, order_id) if p.tender == "stripe_qr"
        ]
    if open_qr and open_qr[-1].provider_id:
        pending = _pending(open_qr[-1])
        try:
            out = provider.check(pending)
        except ProviderOfflineError as exc:
            raise _offline(exc) from exc
        _CONNECTION.health.ok()
        if out.state is State.PENDING and out.url:
            return _qr(pending, out)
        if done := _apply(uow, pending, provider.tender, out):
            raise PaymentsError(f"order {done.order_number}: the QR payment {done.state}")
    if open_qr and not open_qr[-1].provider_id:
        raise PaymentsError("a QR for this order is still being made: try again in a moment")
    order = _order(uow, order_id)
    pending = _begin(uow, provider, order, amount_cents, None, staff_id)
    out, done = _send(uow, provider, pending)
    if done is not None or out.state is not State.PENDING or not out.url:
        why = out.message or (done.state if done else "no QR came back")
        raise PaymentsError(f"order {order.number}: the QR could not be made ({why})")
    return _qr(pending, out)


def _qr(pending: Pending, out: Outcome) -> QrCharge:
    expires = int(pending.request.get("expires_at") or out.expires_at or 0)
    return QrCharge(
        pending.payment_id,
        pending.order_id,
        pending.order_number,
        pending.amount_cents,
        str(out.url),
        datetime.fromtimestamp(expires, UTC),
    )


def cancel_qr(
    uow: UnitOfWork, order_id: int, *, gateway: StripeGateway | None = None
) -> CancelResult:
    """Take the QR off: its session is expired at Stripe. If the customer paid just as the
    seller cancelled, Stripe refuses to expire it and the order ends up paid instead."""
    return _cancel_remote(uow, order_id, "stripe_qr", gateway)


_SESSION_ID = re.compile(r"\b(cs_(?:test|live)_[A-Za-z0-9]+)")


def order_for_scan(uow: UnitOfWork, code: str) -> int | None:
    """The order whose payment QR was scanned: the QR is also the order's ticket."""
    match = _SESSION_ID.search(code)
    if match is None:
        return None
    with uow:
        return payments_store.order_by_reference(uow, match.group(1))
