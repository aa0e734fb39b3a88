"""Paying an order placed earlier: tenders checked and recorded, the order paid and handed over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from popup_pos.domain.limits import (
    REFERENCE_LENGTH,
    check_text,
)
from popup_pos.domain.money import MAX_AMOUNT
from popup_pos.domain.orders import OrderStatus
from popup_pos.services import audit, mail_queue
from popup_pos.services.checkout.common import TENDERS, CheckoutError, OrderResult, TenderSpec
from popup_pos.services.checkout.deliveries import _deliver_codes
from popup_pos.services.checkout.editions import _number_placed_order
from popup_pos.store import sales as sales_store
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import utcnow
from popup_pos.store.records import NewPayment
from popup_pos.store.uow import UnitOfWork


def add_payment(
    uow: UnitOfWork,
    order_id: int,
    tender: TenderSpec,
    *,
    staff_id: int | None = None,
    actor: str | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """Record one tender against an order awaiting payment (split tender: call again).

    `hand_over`: the customer is at the table, so once the order is covered it is handed
    over in the same transaction."""
    with uow:
        row = sales_store.lock_order(uow, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        if row.status != OrderStatus.AWAITING_PAYMENT:
            raise CheckoutError(f"order {row.number} is {row.status.replace('_', ' ')}")
        pending = sales_store.pending_total(uow, order_id)
        if pending:
            # Money being checked (a QR still payable) must not be taken a second time.
            room = row.total_cents - row.paid_cents - pending
            if room <= 0 or (tender.amount is not None and tender.amount > room):
                raise CheckoutError(
                    f"order {row.number} has a payment still being checked: "
                    "wait for it, or cancel it first"
                )
            if tender.amount is None:
                tender = replace(tender, amount=room)
        result = _apply_tenders(
            uow,
            order_id,
            row.number,
            row.total_cents,
            row.paid_cents,
            (tender,),
            utcnow(),
            staff_id,
            actor,
            hand_over=hand_over,
        )
        uow.commit()
        return result


def _check_tenders(
    number: str, total: int, paid: int, tenders: Sequence[TenderSpec]
) -> tuple[list[tuple[TenderSpec, int]], int, int]:
    """Each tender with the amount it pays, what is paid after them, and the change due."""
    change = 0
    taken: list[tuple[TenderSpec, int]] = []
    for t in tenders:
        if t.tender not in TENDERS:
            raise CheckoutError(f"unknown tender {t.tender!r}")
        due = total - paid
        if due <= 0:
            raise CheckoutError(f"order {number} is already fully paid")
        amount = due if t.amount is None else t.amount
        if amount <= 0:
            raise CheckoutError("a payment must be more than zero")
        if t.tendered is not None and t.tendered > MAX_AMOUNT:
            raise CheckoutError("the cash handed over is over the limit of what can be taken")
        if t.reference is not None:
            check_text(t.reference, "the payment reference", REFERENCE_LENGTH, required=False)
        if amount > due:
            raise CheckoutError(f"payment is more than the {due} still due")
        if t.tender == "cash" and t.tendered is not None:
            if t.tendered < amount:
                raise CheckoutError("the cash handed over is less than the amount")
            change += t.tendered - amount
        taken.append((t, amount))
        paid += amount
    return taken, paid, change


def _payment_row(
    order_id: int, t: TenderSpec, amount: int, staff_id: int | None, now: datetime
) -> NewPayment:
    return NewPayment(
        order_id=order_id,
        tender=t.tender,
        status="succeeded",
        amount_cents=amount,
        tendered_cents=t.tendered,
        change_cents=(t.tendered - amount) if t.tendered is not None else 0,
        fee_cents=None,
        refunded_cents=0,
        reference=t.reference,
        provider_id=None,
        idempotency_key=None,
        staff_id=staff_id,
        created_at=now,
        updated_at=now,
    )


def _apply_tenders(
    uow: UnitOfWork,
    order_id: int,
    number: str,
    total: int,
    paid: int,
    tenders: Sequence[TenderSpec],
    now: datetime,
    staff_id: int | None,
    actor: str | None,
    *,
    hand_over: bool = False,
) -> OrderResult:
    taken, paid, change = _check_tenders(number, total, paid, tenders)
    sales_store.insert_payments(
        uow, [_payment_row(order_id, t, a, staff_id, now) for t, a in taken]
    )
    if paid >= total:
        result = _mark_paid(uow, order_id, number, total, paid, change, now, actor)
        return _hand_over(uow, result, now, actor) if hand_over else result
    sales_store.set_paid(uow, order_id, paid)
    audit.record(uow, "order.part_paid", "order", number, {"paid": paid}, actor)
    return OrderResult(order_id, number, OrderStatus.AWAITING_PAYMENT, total, paid, change)


def _paid(paid: int, editions: Mapping[str, list[int]], codes: int = 0) -> dict[str, Any]:
    """The order.paid audit entry's details (download codes by count, never the codes)."""
    data: dict[str, Any] = {"paid": paid}
    if editions:
        data["editions"] = dict(editions)
    if codes:
        data["codes"] = codes
    return data


def _mark_paid(
    uow: UnitOfWork,
    order_id: int,
    number: str,
    total: int,
    paid: int,
    change: int,
    now: datetime,
    actor: str | None,
) -> OrderResult:
    """An order placed earlier is now covered: number its editions, queue its experiences
    and mark it paid."""
    editions = _number_placed_order(uow, order_id)
    tickets_store.release_held(uow, order_id, now)
    codes = _deliver_codes(uow, order_id, now)
    # Both callers hold the order locked and have seen it awaiting payment.
    sales_store.move_order(
        uow,
        order_id,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
        paid_cents=paid,
        paid_at=now,
        reserved_until=None,
    )
    audit.record(uow, "order.paid", "order", number, _paid(paid, editions, len(codes)), actor)
    mail_queue.on_paid(uow, order_id)
    return OrderResult(order_id, number, OrderStatus.PAID, total, paid, change, editions, codes)


def _hand_over(
    uow: UnitOfWork, result: OrderResult, now: datetime, actor: str | None
) -> OrderResult:
    """Paid → fulfilled in the paying transaction: the customer takes the items there."""
    sales_store.move_order(
        uow, result.order_id, result.status, OrderStatus.FULFILLED, fulfilled_at=now
    )
    audit.record_all(uow, [_handed_over_entry(result.number, actor)])
    return replace(result, status=OrderStatus.FULFILLED)


def _handed_over_entry(number: str, actor: str | None) -> audit.Entry:
    """order.fulfil as *Handed over* records it, marked as done at the table."""
    return audit.Entry("order.fulfil", "order", number, {"at_table": True}, actor)
