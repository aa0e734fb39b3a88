"""Cash: settled the moment it is in the drawer."""

from __future__ import annotations

from popup_pos.payments.base import (
    Charge,
    NoteId,
    Outcome,
    Pending,
    Prepared,
    RefundOutcome,
    Settles,
    State,
)


class CashProvider:
    tender = "cash"
    settles = Settles.NOW

    def prepare(self, charge: Charge) -> Prepared:
        return Prepared(None, {})

    def send(self, pending: Pending, note_id: NoteId) -> Outcome:
        return Outcome(State.SUCCEEDED)

    def check(self, pending: Pending) -> Outcome:
        return Outcome(State.SUCCEEDED)

    def cancel(self, pending: Pending) -> Outcome:
        return Outcome(State.CANCELLED)

    def recover(self, pending: Pending) -> Outcome:
        return Outcome(State.SUCCEEDED)

    def refund(
        self, provider_id: str | None, amount_cents: int, *, idempotency_key: str
    ) -> RefundOutcome:
        return RefundOutcome(State.SUCCEEDED, message="hand it back from the drawer")
