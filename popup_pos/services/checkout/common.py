"""What every part of checkout shares: its errors, the tenders and what a sale returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from popup_pos.domain.errors import PosError
from popup_pos.domain.orders import CONSUMES_STOCK
from popup_pos.store import sales as sales_store
from popup_pos.store.uow import UnitOfWork

TENDERS = ("cash", "wallet", "stripe_qr", "stripe_card")
PAID_LIKE = frozenset(s.value for s in CONSUMES_STOCK)


class CheckoutError(PosError):
    """A sale, payment, cancel or refund that cannot go ahead, with the reason."""


class LimitError(CheckoutError):
    """More of a variant than one order may have."""


@dataclass(frozen=True, slots=True)
class TenderSpec:
    """One tender of a sale: `amount` None means whatever is still due."""

    tender: str = "cash"
    amount: int | None = None
    tendered: int | None = None  # cash handed over, for change
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveredCode:
    """A download code handed to the buyer of a digital line."""

    sku: str
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class OrderResult:
    order_id: int
    number: str
    status: str
    total_cents: int
    paid_cents: int
    change_cents: int = 0
    edition_numbers: dict[str, list[int]] = field(default_factory=dict)
    codes: tuple[DeliveredCode, ...] = ()

    @property
    def due_cents(self) -> int:
        return max(self.total_cents - self.paid_cents, 0)


def _open_event(uow: UnitOfWork, register_id: int | None = None) -> sales_store.SaleEvent:
    event = (
        sales_store.open_event(uow)
        if register_id is None
        else sales_store.event_of_register(uow, register_id)
    )
    if event is None or event.status != "open":
        raise CheckoutError("no event is open on this register: open one first")
    return event
