"""Reading orders: one by id or number, or the open event's by status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from popup_pos.domain.limits import (
    MAX_ID,
    brief,
    could_be_code,
)
from popup_pos.services.checkout.common import CheckoutError, _open_event
from popup_pos.store import codes as codes_store
from popup_pos.store import sales as sales_store
from popup_pos.store.records import LineRecord, PaymentRecord
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    number: str
    status: str
    currency: str
    created_at: datetime
    paid_at: datetime | None
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    tip_cents: int
    total_cents: int
    paid_cents: int
    refunded_cents: int
    lines: tuple[LineRecord, ...]
    payments: tuple[PaymentRecord, ...]
    # Digital lines' download codes, by line id; a refunded line's are void.
    codes: dict[int, list[codes_store.LineCode]] = field(default_factory=dict)


def get_order(uow: UnitOfWork, ref: int | str) -> OrderView:
    """By id or by number ('A-0042', any case)."""
    if isinstance(ref, int) and not 0 < ref <= MAX_ID:
        raise CheckoutError(f"no order {ref}")
    if isinstance(ref, str) and not could_be_code(ref.strip()):
        raise CheckoutError(f"no order {brief(ref)}")
    with uow:
        o = sales_store.order_by_ref(uow, ref)
        if o is None:
            raise CheckoutError(f"no order {ref}")
        order_lines = tuple(sales_store.lines_of(uow, o.id))
        digital = [ln.id for ln in order_lines if ln.kind == "digital"]
        return OrderView(
            o.id,
            o.number,
            o.status,
            o.currency,
            o.created_at,
            o.paid_at,
            o.subtotal_cents,
            o.discount_cents,
            o.tax_cents,
            o.tip_cents,
            o.total_cents,
            o.paid_cents,
            o.refunded_cents,
            order_lines,
            tuple(sales_store.payments_of(uow, o.id)),
            codes_store.of_lines(uow, digital) if digital else {},
        )


def orders_by_status(uow: UnitOfWork, *statuses: str) -> list[sales_store.OrderSummary]:
    """The open event's orders in those statuses."""
    with uow:
        event = _open_event(uow)
        return sales_store.orders_in(uow, event.id, statuses)
