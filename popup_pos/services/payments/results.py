"""What taking money answers: its errors and results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from popup_pos.domain.errors import PosError
from popup_pos.services.checkout import RefundResult


class PaymentsError(PosError):
    """A payment that cannot be taken, cancelled or refunded, with the reason."""


class StripeNotSetUpError(PaymentsError):
    """No Stripe key: Stripe tenders are unavailable; cash and wallets still work."""


class StripeOfflineError(PaymentsError):
    """Stripe cannot be reached; nothing is lost, and the answer is fetched later."""


@dataclass(frozen=True, slots=True)
class QrCharge:
    payment_id: int
    order_id: int
    order_number: str
    amount_cents: int
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CardCharge:
    payment_id: int
    order_id: int
    order_number: str
    amount_cents: int
    reader_id: str
    reader_label: str


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A pending payment (or refund) whose outcome just became known."""

    payment_id: int
    order_id: int
    order_number: str
    tender: str
    state: str  # succeeded | failed | cancelled, or for refunds: refund_sent | refund_failed
    order_status: str
    amount_cents: int
    message: str | None = None


@dataclass(frozen=True, slots=True)
class StripeStatus:
    """For the banner: `offline` only once a call has failed; `waiting` counts payments
    and refunds whose outcome is still to be fetched from Stripe."""

    configured: bool
    online: bool
    waiting: int
    message: str

    @property
    def banner(self) -> str | None:
        if not self.configured or self.online:
            return None
        n = self.waiting
        return f"Stripe is offline — {n} payment{'s' if n != 1 else ''} waiting to be checked"


@dataclass(frozen=True, slots=True)
class CancelResult:
    order_id: int
    order_number: str
    order_status: str
    paid: bool  # the customer paid before the cancel reached Stripe
    message: str


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    stripe_id: str
    label: str
    device_type: str | None
    register_code: str | None
    status: str | None  # online | offline, None when Stripe was not asked


@dataclass(frozen=True, slots=True)
class StripeRefund:
    refund_id: int
    amount_cents: int
    state: str  # succeeded | pending | failed | waiting (not sent yet: offline)
    provider_id: str | None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RefundReport:
    result: RefundResult
    stripe: tuple[StripeRefund, ...]

    @property
    def waiting(self) -> bool:
        return any(r.state == "waiting" for r in self.stripe)


@dataclass(frozen=True, slots=True)
class StripeCheck:
    key_masked: str
    key_source: str | None
    note: str | None
    test_mode: bool
    restricted: bool
    account_name: str | None
    readers: tuple[ReaderInfo, ...]
