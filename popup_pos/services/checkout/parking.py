"""Parking a cart for later without holding its stock, and resuming it."""

from __future__ import annotations

from popup_pos.domain.orders import OrderStatus
from popup_pos.domain.pricing import (
    Discount,
    DiscountKind,
    Tip,
)
from popup_pos.services import audit
from popup_pos.services.checkout.common import CheckoutError, OrderResult, _open_event
from popup_pos.services.checkout.deliveries import _customer_hash
from popup_pos.services.checkout.placing import (
    _line_row,
    _order_row,
    _take_over_parked,
)
from popup_pos.services.checkout.quoting import Cart, CartLine, _quote
from popup_pos.store import sales as sales_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork


def park(
    uow: UnitOfWork,
    register_id: int,
    cart: Cart,
    *,
    order_id: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
) -> OrderResult:
    """Save a cart for later (the customer went to find cash) without holding its stock.

    It gets an order number and shows in every register's Parked queue; `resume` gives
    the cart back, and selling it (with `parked_order_id`) turns it into that order.
    Parking a resumed cart again (`order_id`) replaces what was saved.
    """
    with uow:
        event = _open_event(uow, register_id)
        q = _quote(uow, event, cart)
        now = utcnow()
        number = "" if order_id is None else _take_over_parked(uow, order_id)
        row = _order_row(event, register_id, number, q, cart, staff_id, now, 0, False)._replace(
            status=OrderStatus.OPEN.value,
            parked=True,
            placed_at=None,
            reserved_until=None,
            customer_hash=_customer_hash(uow, event.id, cart),
        )
        if order_id is None:
            number = sales_store.next_order_number(uow, register_id)
            order_id = sales_store.insert_order(uow, row._replace(number=number))
        else:
            sales_store.rewrite_parked(uow, order_id, row)
        sales_store.insert_lines(uow, [_line_row(order_id, ln, None) for ln in q.lines])
        audit.record(uow, "order.park", "order", number, {"total": q.totals.total}, actor)
        uow.commit()
        return OrderResult(order_id, number, OrderStatus.OPEN, q.totals.total, 0)


def resume(uow: UnitOfWork, order_id: int) -> Cart:
    """The cart a parked order saved, priced as it was (overrides and discounts kept)."""
    with uow:
        order = sales_store.order_by_ref(uow, order_id)
        if order is None or order.status != OrderStatus.OPEN or not order.parked:
            raise CheckoutError("that sale is no longer parked")
        saved = sales_store.lines_of(uow, order_id)
        now_priced = sales_store.variants_for_sale(uow, {ln.sku for ln in saved if ln.sku})
    lines = []
    for ln in saved:
        current = now_priced.get(ln.sku) if ln.sku else None
        same_price = current is not None and current.price_cents == ln.unit_price_cents
        lines.append(
            CartLine(
                sku=ln.sku,
                quantity=ln.quantity,
                unit_price=None if same_price else ln.unit_price_cents,
                discount=_discount(ln.discount_kind, ln.discount_value),
                name=ln.name if ln.sku is None else None,
                personalisation=ln.personalisation,
            )
        )
    tip = _discount(order.tip_kind, order.tip_value)
    return Cart(
        tuple(lines),
        discount=_discount(order.discount_kind, order.discount_value),
        tip=Tip(tip.kind, tip.value) if tip else None,
        note=order.note,
        customer_hash=order.customer_hash,
    )


def _discount(kind: str | None, value: int | None) -> Discount | None:
    return None if kind is None or value is None else Discount(DiscountKind(kind), value)
