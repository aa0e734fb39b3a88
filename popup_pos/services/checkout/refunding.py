"""Refunds: money back to the tenders it came from, units back on the shelf."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from popup_pos.domain.limits import (
    REASON_LENGTH,
    check_text,
)
from popup_pos.domain.orders import OrderStatus
from popup_pos.domain.pricing import (
    allocate,
)
from popup_pos.services import audit, mail_queue
from popup_pos.services.checkout.common import PAID_LIKE, CheckoutError
from popup_pos.services.checkout.editions import _edition_label, _parse_edition_label
from popup_pos.services.checkout.orders import OrderView
from popup_pos.store import codes as codes_store
from popup_pos.store import sales as sales_store
from popup_pos.store import stock as stock_store
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import utcnow
from popup_pos.store.records import NewRefund, NewRefundLine
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RefundPart:
    """One refund row: what goes back through one payment."""

    refund_id: int
    payment_id: int | None
    tender: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_id: int
    number: str
    status: str
    amount_cents: int
    by_tender: dict[str, int]
    parts: tuple[RefundPart, ...] = ()


# Money that went through Stripe comes back only once Stripe has sent it.
_SENT_LATER = ("stripe_qr", "stripe_card")


def _refund_row(
    order_id: int,
    payment_id: int | None,
    tender: str,
    amount: int,
    reason: str | None,
    to_stock: bool,
    now: datetime,
) -> NewRefund:
    return NewRefund(
        order_id=order_id,
        payment_id=payment_id,
        tender=tender,
        amount_cents=amount,
        reason=reason,
        return_to_stock=to_stock,
        status="pending" if tender in _SENT_LATER else "succeeded",
        provider_id=None,
        staff_id=None,
        created_at=now,
    )


def refund_amount(order: OrderView, lines: Mapping[int, int] | None = None) -> int:
    """What `payments.refund_to_tenders` would give back for these lines (line id →
    quantity; None: all that is left), for a confirmation that names the amount before
    anything is done."""
    if lines is None:
        return max(order.paid_cents - order.refunded_cents, 0)
    amount = 0
    for ln in order.lines:
        qty = lines.get(ln.id, 0)
        if qty > 0:
            units = allocate(ln.total_cents, [1] * ln.quantity)
            amount += sum(units[ln.refunded_quantity : ln.refunded_quantity + qty])
    return amount


def _refund(
    uow: UnitOfWork,
    order_id: int,
    *,
    lines: Mapping[int, int] | None = None,
    amount_cents: int | None = None,
    return_to_stock: bool = False,
    reason: str | None = None,
    actor: str | None = None,
) -> RefundResult:
    """The local half of `payments.refund_to_tenders`, the one door to refund a paid order:
    some lines (line id → quantity), a plain amount, or (neither) everything still
    unrefunded. The money goes back to the tenders it came from, newest first (a Stripe
    part as a refund row the door then sends); with `return_to_stock`, refunded units go
    back on the shelf. Private so that nothing refunds around Stripe."""
    if reason is not None:
        reason = check_text(reason, "the refund reason", REASON_LENGTH, required=False) or None
    with uow:
        order = sales_store.lock_order(uow, order_id)
        if order is None:
            raise CheckoutError(f"no order {order_id}")
        if order.status not in PAID_LIKE or order.status == OrderStatus.REFUNDED:
            raise CheckoutError(
                f"order {order.number} is {order.status.replace('_', ' ')}: "
                "only paid orders can be refunded"
            )
        remaining = order.paid_cents - order.refunded_cents
        order_lines = {ln.id: ln for ln in sales_store.lines_of(uow, order_id)}
        picked: dict[int, int] = {}
        if lines is None and amount_cents is None:
            picked = {
                i: ln.quantity - ln.refunded_quantity
                for i, ln in order_lines.items()
                if ln.quantity > ln.refunded_quantity
            }
            amount = remaining
        elif lines is not None:
            amount = 0
            for line_id, qty in lines.items():
                ln = order_lines.get(line_id)
                if ln is None:
                    raise CheckoutError(f"line {line_id} is not on order {order.number}")
                left = ln.quantity - ln.refunded_quantity
                if qty < 1 or qty > left:
                    raise CheckoutError(
                        f"{ln.name}: can refund 1 to {left}, not {qty}"
                        if left
                        else f"{ln.name} is already fully refunded"
                    )
                picked[line_id] = qty
                # Each unit's exact share of what the line charged; refunding every unit
                # one by one adds up to the line total to the cent.
                units = allocate(ln.total_cents, [1] * ln.quantity)
                amount += sum(units[ln.refunded_quantity : ln.refunded_quantity + qty])
            amount = amount if amount_cents is None else amount_cents
        else:
            amount = amount_cents or 0
        if amount <= 0:
            raise CheckoutError("the refund must be more than zero")
        if amount > remaining:
            raise CheckoutError(f"cannot refund {amount}: only {remaining} is left to refund")
        now = utcnow()
        parts = _refund_tenders(
            uow, order_id, amount, reason, return_to_stock, now, picked, order_lines
        )
        by_tender: dict[str, int] = {}
        for part in parts:
            by_tender[part.tender] = by_tender.get(part.tender, 0) + part.amount_cents
        moved = _restock(uow, order, picked, order_lines) if return_to_stock and picked else {}
        voided = _undo_deliveries(uow, picked, order_lines, now)
        for line_id, qty in picked.items():
            sales_store.add_refunded_quantity(uow, line_id, qty)
        refunded = order.refunded_cents + amount
        status = (
            OrderStatus.REFUNDED if refunded >= order.paid_cents else OrderStatus.PARTIALLY_REFUNDED
        )
        sales_store.move_order(uow, order_id, order.status, status, refunded_cents=refunded)
        audit.record(
            uow,
            "order.refund",
            "order",
            order.number,
            {
                "amount": amount,
                "lines": {str(k): v for k, v in picked.items()},
                "to_stock": return_to_stock,
                "stock": moved,
                "reason": reason,
                **({"codes_voided": voided} if voided else {}),
            },
            actor,
        )
        mail_queue.on_refund(uow, order_id)
        uow.commit()
        return RefundResult(order_id, order.number, status, amount, by_tender, tuple(parts))


def _refund_tenders(
    uow: UnitOfWork,
    order_id: int,
    amount: int,
    reason: str | None,
    to_stock: bool,
    now: datetime,
    picked: Mapping[int, int],
    order_lines: Mapping[int, Any],
) -> list[RefundPart]:
    left = amount
    parts: list[RefundPart] = []
    first_refund_id: int | None = None
    for p in sales_store.payments_of(uow, order_id, status="succeeded", newest_first=True):
        part = min(p.amount_cents - p.refunded_cents, left)
        if part <= 0:
            continue
        rid = sales_store.insert_refund(
            uow, _refund_row(order_id, p.id, p.tender, part, reason, to_stock, now)
        )
        first_refund_id = first_refund_id or rid
        parts.append(RefundPart(rid, p.id, p.tender, part))
        left -= part
        if not left:
            break
    if left:
        raise CheckoutError("the payments on this order cannot cover that refund")
    if first_refund_id is not None and picked:
        line_ids = sorted(picked)
        shares = allocate(amount, [order_lines[i].total_cents * picked[i] for i in line_ids])
        sales_store.insert_refund_lines(
            uow,
            [
                NewRefundLine(first_refund_id, i, picked[i], a)
                for i, a in zip(line_ids, shares, strict=True)
            ],
        )
    return parts


def _undo_deliveries(
    uow: UnitOfWork, picked: Mapping[int, int], order_lines: Mapping[int, Any], now: datetime
) -> int:
    """Refunded units give up what they were promised: a download code is voided (never
    reissued) and a ticket not yet done leaves the queue. Codes voided."""
    voided = 0
    for line_id, qty in sorted(picked.items()):
        kind = order_lines[line_id].kind
        if kind == "digital":
            voided += len(codes_store.void_last(uow, line_id, qty, now))
        elif kind == "experience":
            tickets_store.cancel_for_refund(uow, line_id, qty)
    return voided


def _restock(
    uow: UnitOfWork, order: Any, picked: Mapping[int, int], order_lines: Mapping[int, Any]
) -> dict[str, int]:
    """Put refunded units back; the change per variant id, for the audit entry."""
    back: dict[int, int] = defaultdict(int)
    for line_id, qty in picked.items():
        ln = order_lines[line_id]
        # A refunded code is voided, not put back: digital stock is the unused codes.
        if ln.variant_id is None or ln.kind == "digital":
            continue
        parts = sales_store.bundle_parts(uow, ln.variant_id)
        for vid, n in [(cid, per * qty) for cid, per in parts] or [(ln.variant_id, qty)]:
            back[vid] += n
        _return_editions(uow, ln, qty)
    tracked = stock_store.tracked_ids(uow, back)
    rows: list[stock_store.StockMove] = []
    # Ascending ids, like a sale's takes, so a refund and a sale never deadlock on PostgreSQL.
    for vid in sorted(back):
        if vid in tracked:
            stock_store.put(uow, vid, back[vid])
            rows.append(
                stock_store.StockMove(
                    vid, "refund_return", back[vid], order_id=order.id, event_id=order.event_id
                )
            )
    stock_store.log_moves(uow, rows)
    return {str(r.variant_id): r.quantity for r in rows}


def _return_editions(uow: UnitOfWork, ln: Any, qty: int) -> None:
    """The numbers of the last `qty` units on a refunded line go back to be handed out
    again, each to the edition it came from (a bundle's numbers belong to its parts)."""
    if not ln.edition_numbers or ln.variant_id is None:
        return
    parts = sales_store.edition_parts(uow, [ln.variant_id])[ln.variant_id]
    by_sku = {p.sku: p for p in parts}
    only = parts[0] if len(parts) == 1 else None  # what an unnamed label belongs to
    kept: list[tuple[str | None, list[int]]] = []
    for sku, nums in _parse_edition_label(ln.edition_numbers):
        part = by_sku.get(sku) if sku is not None else only
        # If the catalog changed since the sale, the numbers stay on the line: never
        # handing one out twice matters more than reusing it.
        if part is not None:
            cut = max(len(nums) - part.per_unit * qty, 0)
            sales_store.return_editions(uow, part.variant_id, nums[cut:])
            nums = nums[:cut]
        kept.append((sku, nums))
    sales_store.set_edition_numbers(uow, ln.id, _edition_label(kept))
