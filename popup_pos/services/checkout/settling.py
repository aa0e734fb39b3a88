"""Payments that settle later (Stripe): recorded before they are sent, completed or ended."""

from __future__ import annotations

from typing import Any

from popup_pos.domain.orders import OrderStatus
from popup_pos.services import audit
from popup_pos.services.checkout.common import TENDERS, CheckoutError, OrderResult
from popup_pos.services.checkout.paying import _mark_paid
from popup_pos.store import sales as sales_store
from popup_pos.store.models import utcnow
from popup_pos.store.records import NewPayment
from popup_pos.store.uow import UnitOfWork


def begin_payment(
    uow: UnitOfWork,
    order_id: int,
    tender: str,
    amount_cents: int,
    *,
    idempotency_key: str,
    request: dict[str, Any],
    staff_id: int | None = None,
) -> int:
    """Record a pending payment with the exact request about to be sent, before sending it.

    After a crash or a dropped connection the same key and parameters are resent, so the
    provider charges once. Returns the payment id.
    """
    if tender not in TENDERS:
        raise CheckoutError(f"unknown tender {tender!r}")
    with uow:
        row = sales_store.lock_order(uow, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        if row.status != OrderStatus.AWAITING_PAYMENT:
            raise CheckoutError(f"order {row.number} is {row.status.replace('_', ' ')}")
        due = row.total_cents - row.paid_cents - sales_store.pending_total(uow, order_id)
        if amount_cents <= 0 or amount_cents > due:
            raise CheckoutError(f"payment must be between 0 and the {due} still due")
        now = utcnow()
        payment_id = sales_store.insert_payment(
            uow,
            NewPayment(
                order_id=order_id,
                tender=tender,
                status="pending",
                amount_cents=amount_cents,
                tendered_cents=None,
                change_cents=0,
                fee_cents=None,
                refunded_cents=0,
                reference=None,
                provider_id=None,
                idempotency_key=idempotency_key,
                staff_id=staff_id,
                created_at=now,
                updated_at=now,
            ),
            request,
        )
        audit.record(
            uow,
            "payment.begin",
            "order",
            row.number,
            {"payment": payment_id, "tender": tender, "amount": amount_cents},
        )
        uow.commit()
        return payment_id


def note_provider_id(uow: UnitOfWork, payment_id: int, provider_id: str) -> None:
    """Keep the provider's id (Checkout Session, PaymentIntent) as soon as it is known."""
    with uow:
        sales_store.note_provider_id(uow, payment_id, provider_id, utcnow())
        uow.commit()


def complete_payment(
    uow: UnitOfWork,
    payment_id: int,
    *,
    provider_id: str | None = None,
    fee_cents: int | None = None,
    reference: str | None = None,
    actor: str | None = None,
) -> OrderResult:
    """The provider says the money arrived: the payment succeeds and, once the order is
    covered, the order is paid. Calling it again for the same payment changes nothing."""
    with uow:
        pay = sales_store.payment(uow, payment_id)
        if pay is None:
            raise CheckoutError(f"no payment {payment_id}")
        order = sales_store.lock_order(uow, pay.order_id)
        assert order is not None
        if pay.status == "succeeded":
            return OrderResult(
                order.id, order.number, order.status, order.total_cents, order.paid_cents
            )
        if pay.status != "pending":
            raise CheckoutError(f"payment {payment_id} is already {pay.status}")
        now = utcnow()
        sales_store.payment_succeeded(
            uow,
            payment_id,
            now,
            provider_id=provider_id or pay.provider_id,
            fee_cents=fee_cents,
            reference=reference or pay.reference,
        )
        paid = order.paid_cents + pay.amount_cents
        audit.record(
            uow,
            "payment.succeeded",
            "order",
            order.number,
            {"payment": payment_id, "amount": pay.amount_cents},
            actor,
        )
        if paid >= order.total_cents and order.status == OrderStatus.AWAITING_PAYMENT:
            result = _mark_paid(uow, order.id, order.number, order.total_cents, paid, 0, now, actor)
        else:
            sales_store.set_paid(uow, order.id, paid)
            result = OrderResult(order.id, order.number, order.status, order.total_cents, paid)
        uow.commit()
        return result


def end_payment(uow: UnitOfWork, payment_id: int, status: str, *, actor: str | None = None) -> None:
    """A pending payment that will not arrive: `failed` (declined) or `cancelled`."""
    if status not in ("failed", "cancelled"):
        raise CheckoutError(f"a payment ends as failed or cancelled, not {status!r}")
    with uow:
        pay = sales_store.payment(uow, payment_id)
        if pay is None:
            raise CheckoutError(f"no payment {payment_id}")
        if pay.status != "pending":
            raise CheckoutError(f"payment {payment_id} is already {pay.status}")
        sales_store.payment_ended(uow, payment_id, status, utcnow())
        audit.record(uow, f"payment.{status}", "payment", payment_id, {}, actor)
        uow.commit()
