"""The one place that talks to Stripe: a typed wrapper over `stripe.StripeClient`."""

# Every call returns small frozen dataclasses and raises only the provider errors of
# `payments.base`, so nothing above this module depends on the SDK's types or exceptions.

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    import stripe

from popup_pos.payments.base import (
    ProviderAuthError,
    ProviderDeclinedError,
    ProviderError,
    ProviderOfflineError,
    ProviderRejectedError,
    RefundOutcome,
    State,
)

API_BASE_ENV = "POPUP_POS_STRIPE_API_BASE"
TIMEOUT_S = 15
NETWORK_RETRIES = 2
# Enough for a busy night: a list call never walks more than this many pages.
MAX_PAGES = 20
_KEYLIKE = re.compile(r"\b[rsp]k_(?:test|live)_[A-Za-z0-9*]+")

T = TypeVar("T")


# ---- what comes back ------------------------------------------------------------------------


def _get(obj: Mapping[str, Any] | None, *path: str) -> Any:
    """obj[a][b]… or None when any step is missing or not expanded."""
    cur: Any = obj
    for p in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(p)
    return cur


def _id(value: Any) -> str | None:
    """An id whether the field holds the id or the expanded object."""
    if isinstance(value, Mapping):
        return cast(str | None, value.get("id"))
    return cast(str | None, value)


@dataclass(frozen=True, slots=True)
class PaymentIntent:
    id: str
    status: str
    amount: int
    currency: str
    metadata: Mapping[str, str]
    fee_cents: int | None  # from the charge's balance transaction, when expanded
    card: str | None  # e.g. "visa 4242", for the receipt
    error: str | None  # the last payment error, for the seller

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PaymentIntent:
        charge = d.get("latest_charge")
        fee = _get(charge, "balance_transaction", "fee") if isinstance(charge, Mapping) else None
        card = _get(charge, "payment_method_details", "card") or _get(
            charge, "payment_method_details", "card_present"
        )
        label = None
        if isinstance(card, Mapping) and card.get("last4"):
            label = f"{card.get('brand') or 'card'} {card['last4']}"
        return cls(
            id=str(d["id"]),
            status=str(d.get("status")),
            amount=int(d.get("amount") or 0),
            currency=str(d.get("currency") or ""),
            metadata=dict(d.get("metadata") or {}),
            fee_cents=int(fee) if isinstance(fee, int) else None,
            card=label,
            error=_get(d, "last_payment_error", "message"),
        )


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    url: str | None
    client_reference_id: str | None
    created: int
    expires_at: int
    amount_total: int | None
    metadata: Mapping[str, str]
    payment_intent_id: str | None
    payment_intent: PaymentIntent | None  # when expanded

    @property
    def paid(self) -> bool:
        # Only immediate methods are offered, but a complete-and-unpaid session is
        # never taken as money in hand.
        return self.status == "complete" and self.payment_status == "paid"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CheckoutSession:
        pi = d.get("payment_intent")
        return cls(
            id=str(d["id"]),
            status=str(d.get("status")),
            payment_status=str(d.get("payment_status")),
            url=d.get("url"),
            client_reference_id=d.get("client_reference_id"),
            created=int(d.get("created") or 0),
            expires_at=int(d.get("expires_at") or 0),
            amount_total=d.get("amount_total"),
            metadata=dict(d.get("metadata") or {}),
            payment_intent_id=_id(pi),
            payment_intent=PaymentIntent.from_dict(pi) if isinstance(pi, Mapping) else None,
        )


@dataclass(frozen=True, slots=True)
class ReaderAction:
    type: str
    status: str  # in_progress | succeeded | failed
    payment_intent_id: str | None
    failure_code: str | None
    failure_message: str | None


@dataclass(frozen=True, slots=True)
class Reader:
    id: str
    label: str
    device_type: str | None
    status: str | None  # online | offline
    location: str | None
    action: ReaderAction | None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Reader:
        a = d.get("action")
        action = None
        if isinstance(a, Mapping):
            action = ReaderAction(
                type=str(a.get("type")),
                status=str(a.get("status")),
                payment_intent_id=_id(_get(a, "process_payment_intent", "payment_intent")),
                failure_code=a.get("failure_code"),
                failure_message=a.get("failure_message"),
            )
        return cls(
            id=str(d["id"]),
            label=str(d.get("label") or d["id"]),
            device_type=d.get("device_type"),
            status=d.get("status"),
            location=_id(d.get("location")),
            action=action,
        )


@dataclass(frozen=True, slots=True)
class RefundInfo:
    id: str
    status: str  # succeeded | pending | requires_action | failed | canceled
    amount: int


@dataclass(frozen=True, slots=True)
class Account:
    id: str | None
    name: str | None  # None when a restricted key may not read the account


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str


# ---- the client ---------------------------------------------------------------------------------


def default_api_base() -> str | None:
    """The API address from POPUP_POS_STRIPE_API_BASE (tests, a local fake), else Stripe's."""
    return os.environ.get(API_BASE_ENV) or None


def scrub(text: str) -> str:
    """Remove anything that looks like a key (Stripe quotes part of a rejected one)."""
    return _KEYLIKE.sub("[key]", text)


class StripeGateway:
    """Typed calls to Stripe through one `StripeClient`. Thread-safe enough for a worker
    thread and the GUI thread to share: each call is one HTTP request with its own state."""

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str | None = None,
        max_network_retries: int = NETWORK_RETRIES,
        timeout_s: float = TIMEOUT_S,
    ) -> None:
        base = api_base or default_api_base()
        self.api_base = base or "https://api.stripe.com"
        self.test_mode = "_test_" in api_key
        self.restricted = api_key.startswith("rk_")
        # Imported on first use: the library and its HTTP stack are large, and a register
        # that only takes cash never needs them.
        import stripe

        self._client = stripe.StripeClient(
            api_key,
            max_network_retries=max_network_retries,
            http_client=stripe.RequestsClient(timeout=timeout_s),
            base_addresses={"api": base} if base else None,
        )

    # -- errors --

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        import stripe

        try:
            return fn()
        except stripe.APIConnectionError as e:
            raise ProviderOfflineError(f"cannot reach Stripe to {what}") from e
        except stripe.RateLimitError as e:
            raise ProviderOfflineError(f"Stripe is busy; will {what} again shortly") from e
        except stripe.AuthenticationError as e:
            raise ProviderAuthError(f"Stripe refused the API key ({_msg(e)})") from e
        except stripe.PermissionError as e:
            raise ProviderAuthError(f"the Stripe key may not {what} ({_msg(e)})") from e
        except stripe.CardError as e:
            raise ProviderDeclinedError(e.user_message or _msg(e), e.code) from e
        except stripe.IdempotencyError as e:
            raise ProviderRejectedError(_msg(e), "idempotency_error") from e
        except stripe.InvalidRequestError as e:
            raise ProviderRejectedError(_msg(e), e.code) from e
        except stripe.APIError as e:
            # A 5xx: Stripe had a problem; the same request with its key is safe to resend.
            raise ProviderOfflineError(f"Stripe had a problem and could not {what}") from e
        except stripe.StripeError as e:
            raise ProviderError(f"Stripe could not {what}: {_msg(e)}") from e

    @staticmethod
    def _opts(idempotency_key: str | None) -> Any:
        return {"idempotency_key": idempotency_key} if idempotency_key else None

    # -- account --

    def account(self) -> Account:
        """Who the key belongs to; a restricted key that may not read it still works."""
        v1 = self._client.v1
        try:
            acct = self._call("read the account", lambda: v1.accounts.retrieve_current())
        except ProviderAuthError:
            if not self.restricted:
                raise
            # A restricted key needs no account permission to take payments: prove it
            # works with a call it does need.
            self._call("list card readers", lambda: v1.terminal.readers.list({"limit": 1}))
            return Account(None, None)
        d = acct.to_dict()
        name = _get(d, "settings", "dashboard", "display_name") or _get(
            d, "business_profile", "name"
        )
        return Account(d.get("id"), name)

    # -- Checkout Sessions --

    _SESSION_EXPAND = ("payment_intent.latest_charge.balance_transaction",)

    def create_session(self, params: Mapping[str, Any], idempotency_key: str) -> CheckoutSession:
        s = self._call(
            "create a payment QR",
            lambda: self._client.v1.checkout.sessions.create(
                cast(Any, dict(params)), self._opts(idempotency_key)
            ),
        )
        return CheckoutSession.from_dict(s.to_dict())

    def retrieve_session(self, session_id: str) -> CheckoutSession:
        s = self._call(
            "check a payment QR",
            lambda: self._client.v1.checkout.sessions.retrieve(
                session_id, {"expand": list(self._SESSION_EXPAND)}
            ),
        )
        return CheckoutSession.from_dict(s.to_dict())

    def sessions_created_since(self, created_gte: int) -> Iterator[CheckoutSession]:
        """Newest first; Checkout Sessions cannot be searched, only listed."""
        after: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"created": {"gte": created_gte}, "limit": 100}
            if after:
                params["starting_after"] = after
            page = self._call("list payment QRs", partial(self._list_sessions, params))
            data = [CheckoutSession.from_dict(s.to_dict()) for s in page.data]
            yield from data
            if not page.has_more or not data:
                return
            after = data[-1].id

    def _list_sessions(self, params: dict[str, Any]) -> Any:
        return self._client.v1.checkout.sessions.list(cast(Any, params))

    def expire_session(self, session_id: str) -> CheckoutSession:
        s = self._call(
            "cancel a payment QR",
            lambda: self._client.v1.checkout.sessions.expire(session_id),
        )
        return CheckoutSession.from_dict(s.to_dict())

    # -- PaymentIntents --

    _PI_EXPAND = ("latest_charge.balance_transaction",)

    def create_intent(self, params: Mapping[str, Any], idempotency_key: str) -> PaymentIntent:
        pi = self._call(
            "start a card payment",
            lambda: self._client.v1.payment_intents.create(
                cast(Any, dict(params)), self._opts(idempotency_key)
            ),
        )
        return PaymentIntent.from_dict(pi.to_dict())

    def retrieve_intent(self, intent_id: str) -> PaymentIntent:
        pi = self._call(
            "check a card payment",
            lambda: self._client.v1.payment_intents.retrieve(
                intent_id, {"expand": list(self._PI_EXPAND)}
            ),
        )
        return PaymentIntent.from_dict(pi.to_dict())

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        pi = self._call(
            "cancel a card payment",
            lambda: self._client.v1.payment_intents.cancel(intent_id),
        )
        return PaymentIntent.from_dict(pi.to_dict())

    def search_intents(self, key: str, value: str) -> list[PaymentIntent]:
        """By metadata; Stripe's search index can lag a minute behind."""
        query = f"metadata['{key}']:'{value}'"
        res = self._call(
            "search card payments",
            lambda: self._client.v1.payment_intents.search({"query": query}),
        )
        return [PaymentIntent.from_dict(pi.to_dict()) for pi in res.data]

    # -- Terminal --

    def locations(self) -> list[Location]:
        res = self._call(
            "list Terminal locations",
            lambda: self._client.v1.terminal.locations.list({"limit": 100}),
        )
        return [
            Location(str(loc.id), str(loc.to_dict().get("display_name") or loc.id))
            for loc in res.data
        ]

    def register_reader(self, registration_code: str, label: str, location: str | None) -> Reader:
        params: dict[str, Any] = {"registration_code": registration_code, "label": label}
        if location:
            params["location"] = location
        r = self._call(
            "register the card reader",
            lambda: self._client.v1.terminal.readers.create(cast(Any, params)),
        )
        return Reader.from_dict(r.to_dict())

    def readers(self) -> list[Reader]:
        res = self._call(
            "list card readers",
            lambda: self._client.v1.terminal.readers.list({"limit": 100}),
        )
        return [Reader.from_dict(r.to_dict()) for r in res.data]

    def retrieve_reader(self, reader_id: str) -> Reader:
        r = self._call(
            "check the card reader",
            lambda: self._client.v1.terminal.readers.retrieve(reader_id),
        )
        return Reader.from_dict(r.to_dict())

    def process_intent(self, reader_id: str, intent_id: str, idempotency_key: str) -> Reader:
        r = self._call(
            "send the payment to the card reader",
            lambda: self._client.v1.terminal.readers.process_payment_intent(
                reader_id, {"payment_intent": intent_id}, self._opts(idempotency_key)
            ),
        )
        return Reader.from_dict(r.to_dict())

    def cancel_reader_action(self, reader_id: str) -> Reader:
        r = self._call(
            "cancel on the card reader",
            lambda: self._client.v1.terminal.readers.cancel_action(reader_id),
        )
        return Reader.from_dict(r.to_dict())

    def present_card(self, reader_id: str, card_number: str | None = None) -> Reader:
        """Test mode only: a simulated reader plays a customer's tap."""
        params: dict[str, Any] = {}
        if card_number:
            params["card_present"] = {"number": card_number}
        r = self._call(
            "simulate a tap",
            lambda: self._client.v1.test_helpers.terminal.readers.present_payment_method(
                reader_id, cast(Any, params)
            ),
        )
        return Reader.from_dict(r.to_dict())

    # -- refunds --

    def create_refund(
        self,
        intent_id: str,
        amount_cents: int | None,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> RefundInfo:
        params: dict[str, Any] = {"payment_intent": intent_id}
        if amount_cents is not None:
            params["amount"] = amount_cents
        if metadata:
            params["metadata"] = dict(metadata)
        r = self._call(
            "refund the card payment",
            lambda: self._client.v1.refunds.create(cast(Any, params), self._opts(idempotency_key)),
        )
        d = r.to_dict()
        return RefundInfo(str(d["id"]), str(d.get("status")), int(d.get("amount") or 0))


def _msg(e: stripe.StripeError) -> str:
    return scrub(str(e.user_message or getattr(e, "_message", None) or e).strip())


def refund_outcome(info: RefundInfo) -> RefundOutcome:
    """A Stripe refund's status in the provider-neutral terms."""
    if info.status == "succeeded":
        return RefundOutcome(State.SUCCEEDED, info.id)
    if info.status in ("pending", "requires_action"):
        return RefundOutcome(State.PENDING, info.id)
    return RefundOutcome(State.FAILED, info.id, f"Stripe says the refund {info.status}")
