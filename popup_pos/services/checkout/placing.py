"""Placing an order, and the scan, cash, done sale that places and pays in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from popup_pos.domain.orders import OrderStatus, check_transition
from popup_pos.services import audit, mail_queue
from popup_pos.services.checkout.common import (
    CheckoutError,
    DeliveredCode,
    OrderResult,
    TenderSpec,
    _open_event,
)
from popup_pos.services.checkout.deliveries import (
    _book_tickets,
    _check_places,
    _customer_hash,
    _deliver_codes,
)
from popup_pos.services.checkout.editions import _claim_editions, _edition_parts
from popup_pos.services.checkout.paying import (
    _check_tenders,
    _handed_over_entry,
    _paid,
    _payment_row,
)
from popup_pos.services.checkout.quoting import Cart, Quote, QuotedLine, _quote
from popup_pos.services.checkout.reserving import _reserve
from popup_pos.store import sales as sales_store
from popup_pos.store.models import utcnow
from popup_pos.store.records import NewLine, NewOrder
from popup_pos.store.uow import UnitOfWork


def place_order(
    uow: UnitOfWork,
    register_id: int,
    cart: Cart,
    *,
    staff_id: int | None = None,
    actor: str | None = None,
    now: datetime | None = None,
    parked_order_id: int | None = None,
) -> OrderResult:
    """Order → awaiting payment, its stock reserved until paid, cancelled or expired.

    An order with nothing to pay is paid at once. A resumed parked order
    (`parked_order_id`) becomes this order, keeping its number.
    """
    with uow:
        result = _place(
            uow, register_id, cart, (), staff_id, actor, now or utcnow(), parked_order_id
        )
        uow.commit()
        return result


def sell(
    uow: UnitOfWork,
    register_id: int,
    cart: Cart,
    tenders: Sequence[TenderSpec] = (),
    *,
    staff_id: int | None = None,
    actor: str | None = None,
    now: datetime | None = None,
    parked_order_id: int | None = None,
    hand_over: bool = False,
) -> OrderResult:
    """Place and pay in one transaction: the scan, cash, done sale.

    With no tenders this is one exact cash payment (none if the cart is free). If the
    tenders cover less than the total, the order stays awaiting payment with what was
    paid recorded. `hand_over`: the customer is at the table, so a sale paid in full is
    handed over as it is paid (fulfilled) instead of waiting in *Paid — hand over*.
    """
    with uow:
        result = _place(
            uow,
            register_id,
            cart,
            tenders or None,
            staff_id,
            actor,
            now or utcnow(),
            parked_order_id,
            hand_over=hand_over,
        )
        uow.commit()
        return result


# The statuses a placed order goes through, in order, as far as it is paid and handed over.
_PLACED_PATH = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.FULFILLED)


def _place(
    uow: UnitOfWork,
    register_id: int,
    cart: Cart,
    tenders: Sequence[TenderSpec] | None,
    staff_id: int | None,
    actor: str | None,
    now: datetime,
    parked_order_id: int | None = None,
    *,
    hand_over: bool = False,
) -> OrderResult:
    """Record a whole order, paid as far as `tenders` go (None: exact cash).

    The order is written in its final state, with its lines' edition numbers if it is
    paid, so a sale is a dozen statements: two reads, the number, the order, one stock
    decrement per variant, the ledger, lines and payments, and the audit entries.
    """
    event = _open_event(uow, register_id)
    q = _quote(uow, event, cart)
    total = q.totals.total
    if tenders is None:
        tenders = (TenderSpec("cash"),) if total else ()
    if parked_order_id is None:
        number = sales_store.next_order_number(uow, register_id)
    else:
        number = _take_over_parked(uow, parked_order_id)
    taken, paid, change = _check_tenders(number, total, 0, tenders)
    settled = paid >= total
    customer = _customer_hash(uow, event.id, cart)
    row = _order_row(event, register_id, number, q, cart, staff_id, now, paid, settled)
    row = row._replace(customer_hash=customer)
    handed = settled and hand_over
    if handed:
        check_transition(OrderStatus.PAID, OrderStatus.FULFILLED)
        row = row._replace(status=OrderStatus.FULFILLED.value, fulfilled_at=now)
    if parked_order_id is None:
        order_id = sales_store.insert_order(uow, row)
    else:
        order_id = parked_order_id
        # The parked order (open) is placed, and paid and handed over as far as this sale goes.
        target = OrderStatus(row.status)
        sales_store.rewrite_parked(
            uow, order_id, row, via=_PLACED_PATH[: _PLACED_PATH.index(target)]
        )
    moved = _reserve(uow, q, order_id, event.id)
    sells_experience = any(ln.kind == "experience" for ln in q.lines)
    if sells_experience or any(ln.per_person_limit is not None for ln in q.lines):
        _check_places(uow, event.id, q, customer)
    labels: list[str | None] = [None] * len(q.lines)
    editions: dict[str, list[int]] = {}
    if settled:
        labels, editions = _claim_editions(
            uow, [(_edition_parts(ln), ln.quantity) for ln in q.lines]
        )
    sales_store.insert_lines(
        uow, [_line_row(order_id, ln, label) for ln, label in zip(q.lines, labels, strict=True)]
    )
    sales_store.insert_payments(
        uow, [_payment_row(order_id, t, a, staff_id, now) for t, a in taken]
    )
    if sells_experience:
        _book_tickets(uow, event.id, order_id, "waiting" if settled else "held", now)
    codes: tuple[DeliveredCode, ...] = ()
    if settled and any(ln.kind == "digital" for ln in q.lines):
        codes = _deliver_codes(uow, order_id, now)
    entries = _placed_entries(number, total, paid, settled, editions, len(codes), moved, actor)
    if handed:
        entries.append(_handed_over_entry(number, actor))
    audit.record_all(uow, entries)
    if settled and parked_order_id is not None:
        mail_queue.on_paid(uow, order_id)  # a parked order may already have the fan's address
    status = OrderStatus.PAID if settled else OrderStatus.AWAITING_PAYMENT
    if handed:
        status = OrderStatus.FULFILLED
    return OrderResult(order_id, number, status, total, paid, change, editions, codes)


def _placed_entries(
    number: str,
    total: int,
    paid: int,
    settled: bool,
    editions: Mapping[str, list[int]],
    codes: int,
    moved: Mapping[str, int],
    actor: str | None,
) -> list[audit.Entry]:
    """order.place, then order.paid or order.part_paid, as placing and paying separately
    would record them. order.place holds the stock taken per variant id, so `audit
    verify` can hold the stock ledger against the log."""
    entries = [
        audit.Entry("order.place", "order", number, {"total": total, "stock": dict(moved)}, actor)
    ]
    if settled:
        data = _paid(paid, editions, codes)
        entries.append(audit.Entry("order.paid", "order", number, data, actor))
    elif paid:
        entries.append(audit.Entry("order.part_paid", "order", number, {"paid": paid}, actor))
    return entries


def _order_row(
    event: sales_store.SaleEvent,
    register_id: int,
    number: str,
    q: Quote,
    cart: Cart,
    staff_id: int | None,
    now: datetime,
    paid: int,
    settled: bool,
) -> NewOrder:
    t = q.totals
    return NewOrder(
        event_id=event.id,
        register_id=register_id,
        number=number,
        status=(OrderStatus.PAID if settled else OrderStatus.AWAITING_PAYMENT).value,
        currency=q.currency,
        staff_id=staff_id,
        created_at=now,
        placed_at=now,
        paid_at=now if settled else None,
        # A paid order holds nothing: its stock is sold.
        reserved_until=None if settled else now + timedelta(minutes=event.reservation_minutes),
        parked=False,
        note=cart.note,
        discount_kind=cart.discount.kind.value if cart.discount else None,
        discount_value=cart.discount.value if cart.discount else None,
        tip_kind=cart.tip.kind.value if cart.tip else None,
        tip_value=cart.tip.value if cart.tip else None,
        subtotal_cents=t.subtotal,
        discount_cents=t.discount,
        tax_cents=t.tax,
        tip_cents=t.tip,
        total_cents=t.total,
        paid_cents=paid,
        refunded_cents=0,
    )


def _line_row(order_id: int, ln: QuotedLine, edition_numbers: str | None) -> NewLine:
    return NewLine(
        order_id=order_id,
        variant_id=ln.variant_id,
        sku=ln.sku,
        name=ln.name,
        kind=ln.kind,
        quantity=ln.quantity,
        unit_price_cents=ln.unit_price,
        cost_cents=ln.cost,
        tax_rate_ppm=ln.tax.rate_ppm if ln.tax else 0,
        tax_inclusive=bool(ln.tax and ln.tax.inclusive),
        discount_kind=ln.discount.kind.value if ln.discount else None,
        discount_value=ln.discount.value if ln.discount else None,
        line_discount_cents=ln.totals.line_discount,
        order_discount_cents=ln.totals.order_discount,
        tax_cents=ln.totals.tax,
        total_cents=ln.totals.total,
        edition_numbers=edition_numbers,
        personalisation=ln.personalisation,
        note=None,
        refunded_quantity=0,
        owner_id=ln.owner_id,
    )


def _take_over_parked(uow: UnitOfWork, order_id: int) -> str:
    """Lock a parked order so a sale (or a re-park) can replace its lines; its number."""
    row = sales_store.lock_order(uow, order_id)
    if row is None or row.status != OrderStatus.OPEN or not row.parked:
        raise CheckoutError("that parked sale was already taken up on another register")
    sales_store.delete_lines(uow, order_id)
    return str(row.number)
