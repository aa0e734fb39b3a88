"""Stripe QR: one Checkout Session per payment attempt, its URL shown as a QR code."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from popup_pos.payments.base import (
    Charge,
    NoteId,
    Outcome,
    Pending,
    Prepared,
    ProviderRejectedError,
    RefundOutcome,
    Settles,
    State,
    no_note,
)
from popup_pos.payments.stripe_api import CheckoutSession, StripeGateway, refund_outcome

# Stripe accepts 30 minutes to 24 hours. A little over the minimum keeps stock on hold no
# longer than needed, and still lets a request resent after a quick restart be accepted.
QR_LIFETIME_S = 35 * 60
# Sessions are listed from a little before the payment was begun: clocks differ.
CLOCK_SLACK_S = 300


def session_key(attempt: str) -> str:
    return f"popup-pos_{attempt}_session"


class StripeQrProvider:
    tender = "stripe_qr"
    settles = Settles.REMOTE

    def __init__(
        self,
        gateway: StripeGateway,
        *,
        success_url: str | None = None,
        lifetime_s: int = QR_LIFETIME_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.gateway = gateway
        self.success_url = success_url
        self.lifetime_s = lifetime_s
        self.clock = clock

    def prepare(self, charge: Charge) -> Prepared:
        # expires_at is fixed here and stored with the request: a resend must carry the
        # very same parameters, or Stripe refuses the idempotency key.
        expires_at = int(self.clock()) + self.lifetime_s
        metadata = {
            "order_id": str(charge.order_id),
            "order_number": charge.order_number,
            "attempt": charge.attempt,
        }
        request: dict[str, Any] = {
            "mode": "payment",
            # Cards (and the wallets that pay by card) settle at once; delayed methods
            # could leave a "complete" session unpaid while the customer walks away.
            "payment_method_types": ["card"],
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": charge.currency.lower(),
                        "unit_amount": charge.amount_cents,
                        "product_data": {
                            "name": f"Order {charge.order_number}"
                            + (f" — {charge.shop_name}" if charge.shop_name else "")
                        },
                    },
                }
            ],
            "client_reference_id": charge.attempt,
            "metadata": metadata,
            # Session metadata is not copied to the PaymentIntent: set it there too, so
            # the payment can be found from the Dashboard and from a refund.
            "payment_intent_data": {"metadata": metadata},
            "expires_at": expires_at,
        }
        if self.success_url:
            request["success_url"] = self.success_url
        return Prepared(session_key(charge.attempt), request, expires_at)

    # ---- outcomes ----

    def _outcome(self, s: CheckoutSession) -> Outcome:
        if s.paid:
            fee = s.payment_intent.fee_cents if s.payment_intent else None
            if fee is None and s.payment_intent_id:
                fee = self.gateway.retrieve_intent(s.payment_intent_id).fee_cents
            return Outcome(
                State.SUCCEEDED,
                provider_id=s.payment_intent_id or s.id,
                fee_cents=fee,
                reference=s.id,
                expires_at=s.expires_at,
            )
        if s.status == "expired":
            return Outcome(
                State.CANCELLED, provider_id=s.id, expires_at=s.expires_at, message="QR expired"
            )
        return Outcome(State.PENDING, provider_id=s.id, url=s.url, expires_at=s.expires_at)

    def send(self, pending: Pending, note_id: NoteId) -> Outcome:
        if pending.provider_id:
            return self.check(pending)
        try:
            s = self.gateway.create_session(pending.request, str(pending.idempotency_key))
        except ProviderRejectedError as e:
            if e.code == "idempotency_error":
                raise
            # The stored request can no longer be sent as it is (its expiry is too close,
            # say): this attempt is over, the seller starts another.
            return Outcome(State.FAILED, message=f"Stripe refused the QR: {e}")
        note_id(s.id)
        return self._outcome(s)

    def check(self, pending: Pending) -> Outcome:
        if not pending.provider_id:
            # Still being sent (or lost in a crash, which start-up recovery handles).
            return Outcome(State.PENDING)
        return self._outcome(self.gateway.retrieve_session(self._session_id(pending)))

    def cancel(self, pending: Pending) -> Outcome:
        if pending.provider_id:
            sid = self._session_id(pending)
        else:
            found = self._find(pending)
            if found is None:
                return Outcome(State.CANCELLED, message="cancelled before it reached Stripe")
            sid = found.id
        try:
            return self._outcome(self.gateway.expire_session(sid))
        except ProviderRejectedError:
            # Only open sessions can be expired: the customer most likely paid just now.
            return self._outcome(self.gateway.retrieve_session(sid))

    def recover(self, pending: Pending) -> Outcome:
        if pending.provider_id:
            return self.check(pending)
        found = self._find(pending)
        if found is not None:
            return self._outcome(found)
        expires_at = int(pending.request.get("expires_at") or 0)
        if expires_at - self.clock() < 60:
            return Outcome(
                State.CANCELLED, message="the QR never reached Stripe and has run out of time"
            )
        # Never arrived: send it now, with its key, exactly as stored.
        return self.send(pending, no_note)

    def _find(self, pending: Pending) -> CheckoutSession | None:
        """The session this attempt created, if any: Checkout Sessions cannot be searched,
        so list those created since the attempt began and match the reference."""
        ref = pending.request.get("client_reference_id")
        since = int(pending.created_at.timestamp()) - CLOCK_SLACK_S
        for s in self.gateway.sessions_created_since(since):
            if s.client_reference_id == ref:
                return s
        return None

    def refund(
        self, provider_id: str | None, amount_cents: int, *, idempotency_key: str
    ) -> RefundOutcome:
        intent = provider_id
        if intent and intent.startswith("cs_"):
            intent = self.gateway.retrieve_session(intent).payment_intent_id
        if not intent:
            return RefundOutcome(State.FAILED, message="no Stripe payment to refund")
        return refund_outcome(self.gateway.create_refund(intent, amount_cents, idempotency_key))

    def _session_id(self, pending: Pending) -> str:
        pid = str(pending.provider_id)
        if pid.startswith("cs_"):
            return pid
        # Paid payments keep the PaymentIntent id; the session id is in the reference.
        raise ProviderRejectedError(f"payment {pending.payment_id} has no Checkout Session id")
