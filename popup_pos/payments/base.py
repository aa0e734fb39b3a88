"""The tender-provider interface every way of taking money implements, and its results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from popup_pos.domain.errors import PosError


class State(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Settles(StrEnum):
    """How a tender's money is known to have arrived."""

    NOW = "now"  # cash in hand
    BY_HAND = "by_hand"  # a helper looks at their phone and confirms
    REMOTE = "remote"  # the provider says so; the request is stored before it is sent


class ProviderError(PosError):
    """The provider refused or could not be asked; `message` is for the seller."""


class ProviderOfflineError(ProviderError):
    """The provider could not be reached, or answered with a passing fault (rate limit,
    server error). The request may or may not have arrived: resend it with its key."""


class ProviderAuthError(ProviderError):
    """The key is missing, wrong, revoked, or lacks a permission."""


class ProviderRejectedError(ProviderError):
    """The provider understood the request and refused it for good (bad parameter,
    wrong state, idempotency conflict); resending the same request will not help."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Charge:
    """One payment to take for one order."""

    order_id: int
    order_number: str
    amount_cents: int
    currency: str
    shop_name: str
    attempt: str  # unique per order and attempt; names the idempotency keys
    reader_id: str | None = None  # card readers only


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request ready to send, stored with the pending payment before it goes out."""

    idempotency_key: str | None
    request: dict[str, Any]
    expires_at: int | None = None  # unix time; QR sessions only


@dataclass(frozen=True, slots=True)
class Pending:
    """A payment that was begun and has not settled, as the database holds it."""

    payment_id: int
    order_id: int
    order_number: str
    amount_cents: int
    provider_id: str | None
    idempotency_key: str | None
    request: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a payment stands at the provider."""

    state: State
    provider_id: str | None = None
    fee_cents: int | None = None
    reference: str | None = None
    url: str | None = None  # what the customer scans while pending
    expires_at: int | None = None
    message: str | None = None  # why it failed or was cancelled, for the seller
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    state: State  # succeeded, pending (the provider is still sending it) or failed
    provider_id: str | None = None
    message: str | None = None


NoteId = Callable[[str], None]


def no_note(provider_id: str) -> None:
    """A `note_id` for callers that keep the id from the outcome instead."""


class TenderProvider(Protocol):
    """One way of taking money. Services store what `prepare` returns before calling
    `send`, so a crash or a lost answer is recovered by sending it again."""

    tender: str
    settles: Settles

    def prepare(self, charge: Charge) -> Prepared: ...

    def send(self, pending: Pending, note_id: NoteId) -> Outcome:
        """Send the stored request, the first time or again; the same key charges once.
        `note_id` is called with the provider's id as soon as it is known, before any
        further request, so a crash after it loses nothing."""
        ...

    def check(self, pending: Pending) -> Outcome: ...

    def cancel(self, pending: Pending) -> Outcome:
        """Stop the payment; may answer SUCCEEDED when the customer paid just then."""
        ...

    def recover(self, pending: Pending) -> Outcome:
        """At start-up: find out what happened to a payment the app lost track of."""
        ...

    def refund(
        self, provider_id: str | None, amount_cents: int, *, idempotency_key: str
    ) -> RefundOutcome: ...


class ProviderDeclinedError(ProviderRejectedError):
    """The customer's card was declined."""
