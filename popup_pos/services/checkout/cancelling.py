"""The end of an unpaid or paid order: cancelled, expired or handed over."""

from __future__ import annotations

from datetime import datetime

from popup_pos.domain.limits import (
    REASON_LENGTH,
    check_text,
)
from popup_pos.domain.orders import OrderStatus, check_transition
from popup_pos.services import audit
from popup_pos.services.checkout.common import CheckoutError, OrderResult
from popup_pos.services.checkout.refunding import _refund_row
from popup_pos.services.checkout.reserving import _release
from popup_pos.store import sales as sales_store
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork


def _cancel_order(
    uow: UnitOfWork, order_id: int, *, reason: str | None = None, actor: str | None = None
) -> OrderResult:
    """The local half of `payments.cancel_order`, the one door to cancel an unpaid order:
    its stock goes back, and any part payment is handed back (a Stripe one as a refund row
    the door then sends). Private so that nothing cancels around Stripe."""
    with uow:
        if reason is not None:
            reason = check_text(reason, "the reason", REASON_LENGTH, required=False) or None
        result = _cancel(uow, order_id, reason, actor)
        uow.commit()
        return result


def _cancel(uow: UnitOfWork, order_id: int, reason: str | None, actor: str | None) -> OrderResult:
    row = sales_store.lock_order(uow, order_id)
    if row is None:
        raise CheckoutError(f"no order {order_id}")
    check_transition(OrderStatus(row.status), OrderStatus.CANCELLED)
    if sales_store.payments_of(uow, order_id, status="pending"):
        raise CheckoutError(
            f"order {row.number} has a payment still being checked: wait for it first"
        )
    now = utcnow()
    moved = _release(uow, order_id, row.event_id)
    tickets_store.cancel_held(uow, order_id)
    handed_back = 0
    for p in sales_store.payments_of(uow, order_id, status="succeeded"):
        sales_store.insert_refund(
            uow,
            _refund_row(order_id, p.id, p.tender, p.amount_cents, "order cancelled", False, now),
        )
        handed_back += p.amount_cents
    sales_store.move_order(
        uow,
        order_id,
        row.status,
        OrderStatus.CANCELLED,
        cancelled_at=now,
        reserved_until=None,
        refunded_cents=handed_back,
    )
    audit.record(
        uow,
        "order.cancel",
        "order",
        row.number,
        {"reason": reason, "handed_back": handed_back, "stock": moved},
        actor,
    )
    return OrderResult(order_id, row.number, OrderStatus.CANCELLED, row.total_cents, row.paid_cents)


def release_expired(uow: UnitOfWork, *, now: datetime | None = None) -> list[str]:
    """Cancel orders whose reservation ran out with no payment under way; their numbers."""
    with uow:
        ids = sales_store.expired_orders(uow, now or utcnow())
        numbers = [_cancel(uow, oid, "reservation expired", None).number for oid in ids]
        uow.commit()
        return numbers


def mark_fulfilled(uow: UnitOfWork, order_id: int, *, actor: str | None = None) -> None:
    """Handed over to the customer."""
    with uow:
        row = sales_store.lock_order(uow, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        sales_store.move_order(
            uow, order_id, row.status, OrderStatus.FULFILLED, fulfilled_at=utcnow()
        )
        audit.record(uow, "order.fulfil", "order", row.number, {}, actor)
        uow.commit()
