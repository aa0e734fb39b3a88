"""Stripe card reader: Terminal's server-driven flow (WisePOS E, S700)."""

# A PaymentIntent for `card_present` is created, handed to the reader with
# `process_payment_intent`, and the reader's action is polled until the customer has
# tapped: `in_progress` -> `succeeded` or `failed`. Cancelling clears the reader's action
# first and then cancels the PaymentIntent, so the card cannot be charged afterwards.

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
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
)
from popup_pos.payments.stripe_api import PaymentIntent, StripeGateway, refund_outcome

# Stripe keeps an idempotent answer for at least 24 hours; past that a resend could
# create a second PaymentIntent, so older ones are looked up by metadata instead.
RESEND_WITHIN_S = 23 * 3600
UNSETTLED = ("requires_payment_method", "requires_confirmation", "requires_action")


def intent_key(attempt: str) -> str:
    return f"popup-pos_{attempt}_intent"


class StripeCardProvider:
    tender = "stripe_card"
    settles = Settles.REMOTE

    def __init__(self, gateway: StripeGateway, *, clock: Callable[[], float] = time.time) -> None:
        self.gateway = gateway
        self.clock = clock

    def prepare(self, charge: Charge) -> Prepared:
        if not charge.reader_id:
            raise ProviderRejectedError("no card reader chosen")
        request: dict[str, Any] = {
            "payment_intent": {
                "amount": charge.amount_cents,
                "currency": charge.currency.lower(),
                "payment_method_types": ["card_present"],
                "capture_method": "automatic",
                "metadata": {
                    "order_id": str(charge.order_id),
                    "order_number": charge.order_number,
                    "attempt": charge.attempt,
                },
            },
            "reader": charge.reader_id,
        }
        return Prepared(intent_key(charge.attempt), request)

    def _reader_id(self, pending: Pending) -> str:
        return str(pending.request["reader"])

    def send(self, pending: Pending, note_id: NoteId) -> Outcome:
        key = str(pending.idempotency_key)
        if pending.provider_id:
            pi = self.gateway.retrieve_intent(pending.provider_id)
        else:
            pi = self.gateway.create_intent(pending.request["payment_intent"], key)
            note_id(pi.id)
        if pi.status not in UNSETTLED:
            return self._settled(pi)
        try:
            self.gateway.process_intent(self._reader_id(pending), pi.id, f"{key}_process")
        except ProviderRejectedError as e:
            # Busy or unreachable reader: give the intent up so it can never be charged.
            self._cancel_intent(pi.id)
            return Outcome(State.FAILED, provider_id=pi.id, message=f"card reader: {e}")
        return Outcome(State.PENDING, provider_id=pi.id)

    def _settled(self, pi: PaymentIntent) -> Outcome:
        if pi.status == "succeeded":
            fee = pi.fee_cents
            if fee is None:
                fee = self.gateway.retrieve_intent(pi.id).fee_cents
            return Outcome(State.SUCCEEDED, provider_id=pi.id, fee_cents=fee, reference=pi.card)
        if pi.status == "canceled":
            return Outcome(State.CANCELLED, provider_id=pi.id, message="cancelled")
        return Outcome(State.PENDING, provider_id=pi.id)

    def check(self, pending: Pending) -> Outcome:
        if not pending.provider_id:
            return Outcome(State.PENDING)
        pi = self.gateway.retrieve_intent(pending.provider_id)
        if pi.status not in UNSETTLED:
            return self._settled(pi)
        action = self.gateway.retrieve_reader(self._reader_id(pending)).action
        if action is not None and action.payment_intent_id == pi.id:
            if action.status == "failed":
                # Declined or cancelled on the reader. The intent is cancelled so a later
                # tap cannot charge an order the seller has moved on from.
                self._cancel_intent(pi.id)
                why = action.failure_message or action.failure_code or "the card was declined"
                return Outcome(State.FAILED, provider_id=pi.id, message=why)
            return Outcome(State.PENDING, provider_id=pi.id)
        if pi.error:
            self._cancel_intent(pi.id)
            return Outcome(State.FAILED, provider_id=pi.id, message=pi.error)
        return Outcome(State.PENDING, provider_id=pi.id)

    def cancel(self, pending: Pending) -> Outcome:
        pi_id = pending.provider_id or self._find(pending)
        if not pi_id:
            return Outcome(State.CANCELLED, message="cancelled before it reached Stripe")
        # Rejected when nothing is in progress on the reader: nothing to clear then.
        with contextlib.suppress(ProviderRejectedError):
            self.gateway.cancel_reader_action(self._reader_id(pending))
        return self._cancel_intent(pi_id)

    def _cancel_intent(self, pi_id: str) -> Outcome:
        try:
            return self._settled(self.gateway.cancel_intent(pi_id))
        except ProviderRejectedError:
            # Not cancellable: it succeeded (the tap won the race) or was already cancelled.
            return self._settled(self.gateway.retrieve_intent(pi_id))

    def _find(self, pending: Pending) -> str | None:
        """The PaymentIntent this attempt created, without creating one."""
        attempt = str(pending.request["payment_intent"]["metadata"]["attempt"])
        found = self.gateway.search_intents("attempt", attempt)
        return found[0].id if found else None

    def recover(self, pending: Pending) -> Outcome:
        if not pending.provider_id:
            if self.clock() - pending.created_at.timestamp() < RESEND_WITHIN_S:
                key = str(pending.idempotency_key)
                # Same key, same parameters: Stripe answers with the intent it already
                # made, or makes it now if the first request never arrived.
                pi_id = self.gateway.create_intent(pending.request["payment_intent"], key).id
            else:
                found = self._find(pending)
                if found is None:
                    return Outcome(State.CANCELLED, message="never reached Stripe")
                pi_id = found
            pending = replace(pending, provider_id=pi_id)
        out = self.check(pending)
        if out.state is not State.PENDING:
            return out
        action = self.gateway.retrieve_reader(self._reader_id(pending)).action
        at_reader = action is not None and action.payment_intent_id == pending.provider_id
        if at_reader and action is not None and action.status == "in_progress":
            return out  # the customer is at the reader right now
        # The restart cut this attempt off before the tap: end it cleanly.
        cancelled = self._cancel_intent(str(pending.provider_id))
        if cancelled.state is State.CANCELLED:
            return replace(cancelled, message="interrupted by a restart; charge again")
        return cancelled

    def refund(
        self, provider_id: str | None, amount_cents: int, *, idempotency_key: str
    ) -> RefundOutcome:
        if not provider_id:
            return RefundOutcome(State.FAILED, message="no Stripe payment to refund")
        return refund_outcome(
            self.gateway.create_refund(provider_id, amount_cents, idempotency_key)
        )
