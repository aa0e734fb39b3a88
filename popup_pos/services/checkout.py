"""Selling: price a cart, reserve stock, take payment, cancel and refund, one transaction each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.orders import CONSUMES_STOCK, OrderStatus, check_transition
from popup_pos.domain.pricing import (
    Discount,
    LineInput,
    LineTotals,
    OrderTotals,
    TaxClass,
    Tip,
    allocate,
    price_order,
)
from popup_pos.services import audit
from popup_pos.services.inventory import NotEnoughStockError
from popup_pos.store import sales as db
from popup_pos.store import stock
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

TENDERS = ("cash", "wallet", "stripe_qr", "stripe_card")
PAID_LIKE = frozenset(s.value for s in CONSUMES_STOCK)


class CheckoutError(PosError):
    """A sale, payment, cancel or refund that cannot go ahead, with the reason."""


class LimitError(CheckoutError):
    """More of a variant than one order may have."""


# ---- carts and quotes ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line the seller built: a catalog SKU, or (sku None) a custom amount."""

    sku: str | None = None
    quantity: int = 1
    unit_price: int | None = None  # override, open price, or the custom amount
    discount: Discount | None = None
    name: str | None = None  # a custom line's note, e.g. "donation"
    personalisation: str | None = None  # e.g. the name for a shoutout


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...]
    discount: Discount | None = None
    tip: Tip | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Component:
    variant_id: int
    sku: str
    per_unit: int
    tracked: bool
    edition_size: int | None


@dataclass(frozen=True, slots=True)
class QuotedLine:
    variant_id: int | None
    sku: str | None
    name: str
    kind: str
    quantity: int
    unit_price: int
    cost: int | None
    tax: TaxClass | None
    discount: Discount | None
    personalisation: str | None
    owner_id: int | None
    tracked: bool
    edition_size: int | None
    components: tuple[_Component, ...]
    totals: LineTotals


@dataclass(frozen=True, slots=True)
class Quote:
    currency: str
    lines: tuple[QuotedLine, ...]
    totals: OrderTotals


@dataclass(frozen=True, slots=True)
class TenderSpec:
    """One tender of a sale: `amount` None means whatever is still due."""

    tender: str = "cash"
    amount: int | None = None
    tendered: int | None = None  # cash handed over, for change
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class OrderResult:
    order_id: int
    number: str
    status: str
    total_cents: int
    paid_cents: int
    change_cents: int = 0
    edition_numbers: dict[str, list[int]] = field(default_factory=dict)

    @property
    def due_cents(self) -> int:
        return max(self.total_cents - self.paid_cents, 0)


def _default_tax(settings: Mapping[str, Any] | None) -> TaxClass | None:
    spec = (settings or {}).get("default_tax")
    if not spec:
        return None
    return TaxClass(str(spec["name"]), int(spec["rate_ppm"]), bool(spec["inclusive"]))


def _quote(conn: Any, event: Any, cart: Cart) -> Quote:
    if not cart.lines:
        raise CheckoutError("the cart is empty")
    skus = {ln.sku for ln in cart.lines if ln.sku}
    rows = db.variants_for_sale(conn, skus) if skus else {}
    missing = [s for s in skus if s not in rows or rows[s].archived]
    if missing:
        raise CheckoutError(f"unknown SKU {missing[0]!r}")
    comps: dict[int, list[_Component]] = defaultdict(list)
    if rows:
        for c in db.components_of(conn, [r.id for r in rows.values()]):
            comps[c.bundle_id].append(
                _Component(c.id, c.sku, c.quantity, c.track_stock, c.edition_size)
            )
    default_tax = _default_tax(event.settings)
    per_variant: dict[str, int] = defaultdict(int)
    partial: list[tuple[CartLine, dict[str, Any], LineInput]] = []
    for ln in cart.lines:
        if ln.quantity < 1:
            raise CheckoutError(f"quantity must be at least 1, not {ln.quantity}")
        if ln.sku is None:
            if ln.unit_price is None or ln.unit_price <= 0:
                raise CheckoutError("a custom line needs an amount above zero")
            info: dict[str, Any] = {
                "variant_id": None,
                "sku": None,
                "name": ln.name or "Custom amount",
                "kind": "item",
                "cost": None,
                "owner_id": None,
                "tracked": False,
                "edition_size": None,
                "components": (),
                "tax": default_tax,
            }
            price = ln.unit_price
        else:
            r = rows[ln.sku]
            per_variant[r.sku] += ln.quantity
            if r.per_order_limit is not None and per_variant[r.sku] > r.per_order_limit:
                raise LimitError(f"{r.sku}: limit {r.per_order_limit} per order")
            price = ln.unit_price if ln.unit_price is not None else r.price_cents
            if price is None:
                raise CheckoutError(f"{r.sku} has no fixed price: enter the amount")
            if price < 0:
                raise CheckoutError("a price cannot be negative")
            values = " / ".join(v for v in (r.options or {}).values() if v)
            tax = TaxClass(r.tax_name, r.rate_ppm, r.inclusive) if r.tax_name else default_tax
            info = {
                "variant_id": r.id,
                "sku": r.sku,
                "name": f"{r.name} — {values}" if values else r.name,
                "kind": r.kind,
                "cost": r.cost_cents,
                "owner_id": r.owner_id,
                "tracked": r.track_stock,
                "edition_size": r.edition_size,
                "components": tuple(comps.get(r.id, ())),
                "tax": tax,
            }
        partial.append((ln, info, LineInput(price, ln.quantity, info["tax"], ln.discount)))
    totals = price_order([p[2] for p in partial], cart.discount, cart.tip)
    lines = tuple(
        QuotedLine(
            variant_id=info["variant_id"],
            sku=info["sku"],
            name=info["name"],
            kind=info["kind"],
            quantity=ln.quantity,
            unit_price=li.unit_price,
            cost=info["cost"],
            tax=info["tax"],
            discount=ln.discount,
            personalisation=ln.personalisation,
            owner_id=info["owner_id"],
            tracked=info["tracked"],
            edition_size=info["edition_size"],
            components=info["components"],
            totals=lt,
        )
        for (ln, info, li), lt in zip(partial, totals.lines, strict=True)
    )
    return Quote(event.currency, lines, totals)


def quote(uow: UnitOfWork, cart: Cart) -> Quote:
    """Price a cart for display, writing nothing."""
    with uow:
        event = _open_event(uow.conn)
        return _quote(uow.conn, event, cart)


def _open_event(conn: Any, register_id: int | None = None) -> Any:
    event = db.open_event(conn) if register_id is None else db.event_of_register(conn, register_id)
    if event is None or event.status != "open":
        raise CheckoutError("no event is open on this register: open one first")
    return event


# ---- stock ---------------------------------------------------------------------------


def _stock_needs(q: Quote) -> dict[int, tuple[str, int]]:
    """variant_id -> (sku, units) for every tracked variant the order takes."""
    need: dict[int, tuple[str, int]] = {}
    for ln in q.lines:
        parts = (
            [(c.variant_id, c.sku, c.per_unit * ln.quantity) for c in ln.components if c.tracked]
            if ln.components
            else [(ln.variant_id, ln.sku or "", ln.quantity)]
            if ln.tracked and ln.variant_id
            else []
        )
        for vid, sku, n in parts:
            prev = need.get(vid, (sku, 0))[1]
            need[vid] = (sku, prev + n)
    return need


def _reserve(conn: Any, q: Quote, order_id: int, event_id: int) -> None:
    need = _stock_needs(q)
    # Fixed order so two registers taking the same variants on PostgreSQL never deadlock.
    for vid in sorted(need):
        sku, n = need[vid]
        if not stock.take(conn, vid, n):
            raise NotEnoughStockError(sku, n, stock.on_hand(conn, vid))
    stock.log_movements(
        conn,
        [
            {
                "variant_id": vid,
                "kind": "sale",
                "quantity": -n,
                "order_id": order_id,
                "event_id": event_id,
            }
            for vid, (_sku, n) in sorted(need.items())
        ],
    )


def _release(conn: Any, order_id: int, event_id: int) -> None:
    """Put back everything the order's reservation took, as sale_cancel ledger rows."""
    rows: list[dict[str, Any]] = []
    for vid, qty in stock.held_by_order(conn, order_id):
        stock.put(conn, vid, qty)
        rows.append(
            {
                "variant_id": vid,
                "kind": "sale_cancel",
                "quantity": qty,
                "order_id": order_id,
                "event_id": event_id,
            }
        )
    stock.log_movements(conn, rows)


# ---- placing and paying ---------------------------------------------------------------


def _insert_order(
    conn: Any,
    event: Any,
    register_id: int,
    q: Quote,
    cart: Cart,
    staff_id: int | None,
    now: datetime,
) -> tuple[int, str]:
    number = db.next_order_number(conn, register_id)
    t = q.totals
    order_id = db.insert_order(
        conn,
        {
            "event_id": event.id,
            "register_id": register_id,
            "number": number,
            "status": OrderStatus.AWAITING_PAYMENT.value,
            "currency": q.currency,
            "staff_id": staff_id,
            "created_at": now,
            "placed_at": now,
            "reserved_until": now + timedelta(minutes=event.reservation_minutes),
            "parked": False,
            "note": cart.note,
            "discount_kind": cart.discount.kind.value if cart.discount else None,
            "discount_value": cart.discount.value if cart.discount else None,
            "tip_kind": cart.tip.kind.value if cart.tip else None,
            "tip_value": cart.tip.value if cart.tip else None,
            "subtotal_cents": t.subtotal,
            "discount_cents": t.discount,
            "tax_cents": t.tax,
            "tip_cents": t.tip,
            "total_cents": t.total,
            "paid_cents": 0,
            "refunded_cents": 0,
        },
    )
    db.insert_lines(
        conn,
        [
            {
                "order_id": order_id,
                "variant_id": ln.variant_id,
                "sku": ln.sku,
                "name": ln.name,
                "kind": ln.kind,
                "quantity": ln.quantity,
                "unit_price_cents": ln.unit_price,
                "cost_cents": ln.cost,
                "tax_rate_ppm": ln.tax.rate_ppm if ln.tax else 0,
                "tax_inclusive": bool(ln.tax and ln.tax.inclusive),
                "discount_kind": ln.discount.kind.value if ln.discount else None,
                "discount_value": ln.discount.value if ln.discount else None,
                "line_discount_cents": ln.totals.line_discount,
                "order_discount_cents": ln.totals.order_discount,
                "tax_cents": ln.totals.tax,
                "total_cents": ln.totals.total,
                "edition_numbers": None,
                "personalisation": ln.personalisation,
                "note": None,
                "refunded_quantity": 0,
                "owner_id": ln.owner_id,
            }
            for ln in q.lines
        ],
    )
    return order_id, number


def place_order(
    uow: UnitOfWork,
    register_id: int,
    cart: Cart,
    *,
    staff_id: int | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> OrderResult:
    """Order → awaiting payment, its stock reserved until paid, cancelled or expired."""
    with uow:
        conn = uow.conn
        event = _open_event(conn, register_id)
        q = _quote(conn, event, cart)
        now = now or utcnow()
        order_id, number = _insert_order(conn, event, register_id, q, cart, staff_id, now)
        _reserve(conn, q, order_id, event.id)
        audit.record(uow, "order.place", "order", number, {"total": q.totals.total}, actor)
        result = OrderResult(order_id, number, OrderStatus.AWAITING_PAYMENT, q.totals.total, 0)
        if q.totals.total == 0:
            result = _mark_paid(uow, order_id, number, q.totals.total, 0, 0, now, actor)
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
) -> OrderResult:
    """Place and pay in one transaction: the scan, cash, done sale.

    With no tenders this is one exact cash payment. If the tenders cover less than the
    total, the order stays awaiting payment with what was paid recorded.
    """
    tenders = tenders or (TenderSpec("cash"),)
    with uow:
        conn = uow.conn
        event = _open_event(conn, register_id)
        q = _quote(conn, event, cart)
        now = now or utcnow()
        order_id, number = _insert_order(conn, event, register_id, q, cart, staff_id, now)
        _reserve(conn, q, order_id, event.id)
        audit.record(uow, "order.place", "order", number, {"total": q.totals.total}, actor)
        result = _apply_tenders(
            uow, order_id, number, q.totals.total, 0, tenders, now, staff_id, actor
        )
        uow.commit()
        return result


def add_payment(
    uow: UnitOfWork,
    order_id: int,
    tender: TenderSpec,
    *,
    staff_id: int | None = None,
    actor: str | None = None,
) -> OrderResult:
    """Record one tender against an order awaiting payment (split tender: call again)."""
    with uow:
        row = db.lock_order(uow.conn, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        if row.status != OrderStatus.AWAITING_PAYMENT:
            raise CheckoutError(f"order {row.number} is {row.status.replace('_', ' ')}")
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
        )
        uow.commit()
        return result


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
) -> OrderResult:
    change = 0
    rows = []
    for t in tenders:
        if t.tender not in TENDERS:
            raise CheckoutError(f"unknown tender {t.tender!r}")
        due = total - paid
        if due <= 0:
            raise CheckoutError(f"order {number} is already fully paid")
        amount = due if t.amount is None else t.amount
        if amount <= 0:
            raise CheckoutError("a payment must be more than zero")
        if amount > due:
            raise CheckoutError(f"payment is more than the {due} still due")
        given = t.tendered
        if t.tender == "cash" and given is not None:
            if given < amount:
                raise CheckoutError("the cash handed over is less than the amount")
            change += given - amount
        rows.append(
            {
                "order_id": order_id,
                "tender": t.tender,
                "status": "succeeded",
                "amount_cents": amount,
                "tendered_cents": given,
                "change_cents": (given - amount) if given is not None else 0,
                "fee_cents": None,
                "refunded_cents": 0,
                "reference": t.reference,
                "provider_id": None,
                "idempotency_key": None,
                "request": None,
                "staff_id": staff_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        paid += amount
    db.insert_payments(uow.conn, rows)
    if paid >= total:
        return _mark_paid(uow, order_id, number, total, paid, change, now, actor)
    db.update_order(uow.conn, order_id, paid_cents=paid)
    audit.record(uow, "order.part_paid", "order", number, {"paid": paid}, actor)
    return OrderResult(order_id, number, OrderStatus.AWAITING_PAYMENT, total, paid, change)


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
    editions = _assign_editions(uow.conn, order_id)
    db.update_order(
        uow.conn,
        order_id,
        status=OrderStatus.PAID.value,
        paid_cents=paid,
        paid_at=now,
        reserved_until=None,
    )
    data: dict[str, Any] = {"paid": paid}
    if editions:
        data["editions"] = editions
    audit.record(uow, "order.paid", "order", number, data, actor)
    return OrderResult(order_id, number, OrderStatus.PAID, total, paid, change, editions)


def _assign_editions(conn: Any, order_id: int) -> dict[str, list[int]]:
    """Number each unit of limited-edition stock: returned numbers first, then new ones."""
    order_lines = [ln for ln in db.lines_of(conn, order_id) if ln.variant_id is not None]
    if not order_lines:
        return {}
    ids = {ln.variant_id for ln in order_lines}
    numbered = db.numbered_variants(conn, ids)
    comp_rows = db.numbered_components(conn, ids)
    if not numbered and not comp_rows:
        return {}
    out: dict[str, list[int]] = {}
    for ln in order_lines:
        parts = (
            [(ln.variant_id, numbered[ln.variant_id], ln.quantity)]
            if (ln.variant_id in numbered)
            else []
        )
        parts += [
            (c.id, c.sku, c.quantity * ln.quantity)
            for c in comp_rows
            if c.bundle_id == ln.variant_id
        ]
        labels = []
        for vid, sku, n in parts:
            nums = _take_edition_numbers(conn, vid, sku, n)
            out.setdefault(sku, []).extend(nums)
            text = ",".join(map(str, nums))
            # A bundle line may carry numbers of several components: name each one.
            labels.append(text if len(parts) == 1 else f"{sku}#{text}")
        if labels:
            db.update_line(conn, ln.id, edition_numbers=";".join(labels))
    return out


def _take_edition_numbers(conn: Any, variant_id: int, sku: str, n: int) -> list[int]:
    nums: list[int] = []
    while len(nums) < n and (got := db.take_returned_edition(conn, variant_id)) is not None:
        nums.append(got)
    rest = n - len(nums)
    if rest:
        last = db.advance_edition(conn, variant_id, rest)
        if last is None:
            raise CheckoutError(f"{sku}: every number of the edition has been sold")
        nums.extend(range(last - rest, last))
    return sorted(nums)


# ---- payments that settle later (Stripe) ------------------------------------------------


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
        row = db.lock_order(uow.conn, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        if row.status != OrderStatus.AWAITING_PAYMENT:
            raise CheckoutError(f"order {row.number} is {row.status.replace('_', ' ')}")
        due = row.total_cents - row.paid_cents - db.pending_total(uow.conn, order_id)
        if amount_cents <= 0 or amount_cents > due:
            raise CheckoutError(f"payment must be between 0 and the {due} still due")
        now = utcnow()
        payment_id = db.insert_payment(
            uow.conn,
            {
                "order_id": order_id,
                "tender": tender,
                "status": "pending",
                "amount_cents": amount_cents,
                "tendered_cents": None,
                "change_cents": 0,
                "fee_cents": None,
                "refunded_cents": 0,
                "reference": None,
                "provider_id": None,
                "idempotency_key": idempotency_key,
                "request": request,
                "staff_id": staff_id,
                "created_at": now,
                "updated_at": now,
            },
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
        db.update_payment(uow.conn, payment_id, provider_id=provider_id, updated_at=utcnow())
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
        conn = uow.conn
        pay = db.payment(conn, payment_id)
        if pay is None:
            raise CheckoutError(f"no payment {payment_id}")
        order = db.lock_order(conn, pay.order_id)
        assert order is not None
        if pay.status == "succeeded":
            return OrderResult(
                order.id, order.number, order.status, order.total_cents, order.paid_cents
            )
        if pay.status != "pending":
            raise CheckoutError(f"payment {payment_id} is already {pay.status}")
        now = utcnow()
        db.update_payment(
            conn,
            payment_id,
            status="succeeded",
            updated_at=now,
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
            db.update_order(conn, order.id, paid_cents=paid)
            result = OrderResult(order.id, order.number, order.status, order.total_cents, paid)
        uow.commit()
        return result


def end_payment(uow: UnitOfWork, payment_id: int, status: str, *, actor: str | None = None) -> None:
    """A pending payment that will not arrive: `failed` (declined) or `cancelled`."""
    if status not in ("failed", "cancelled"):
        raise CheckoutError(f"a payment ends as failed or cancelled, not {status!r}")
    with uow:
        pay = db.payment(uow.conn, payment_id)
        if pay is None:
            raise CheckoutError(f"no payment {payment_id}")
        if pay.status != "pending":
            raise CheckoutError(f"payment {payment_id} is already {pay.status}")
        db.update_payment(uow.conn, payment_id, status=status, updated_at=utcnow())
        audit.record(uow, f"payment.{status}", "payment", payment_id, {}, actor)
        uow.commit()


# ---- cancel, expire, fulfil ---------------------------------------------------------------


def cancel_order(
    uow: UnitOfWork, order_id: int, *, reason: str | None = None, actor: str | None = None
) -> OrderResult:
    """Cancel an unpaid order: its stock goes back, and any part payment is handed back."""
    with uow:
        result = _cancel(uow, order_id, reason, actor)
        uow.commit()
        return result


def _cancel(uow: UnitOfWork, order_id: int, reason: str | None, actor: str | None) -> OrderResult:
    conn = uow.conn
    row = db.lock_order(conn, order_id)
    if row is None:
        raise CheckoutError(f"no order {order_id}")
    check_transition(OrderStatus(row.status), OrderStatus.CANCELLED)
    if db.payments_of(conn, order_id, status="pending"):
        raise CheckoutError(
            f"order {row.number} has a payment still being checked: wait for it first"
        )
    now = utcnow()
    _release(conn, order_id, row.event_id)
    handed_back = 0
    for p in db.payments_of(conn, order_id, status="succeeded"):
        db.insert_refund(
            conn,
            _refund_row(order_id, p.id, p.tender, p.amount_cents, "order cancelled", False, now),
        )
        handed_back += p.amount_cents
    db.update_order(
        conn,
        order_id,
        status=OrderStatus.CANCELLED.value,
        cancelled_at=now,
        reserved_until=None,
        refunded_cents=handed_back,
    )
    audit.record(
        uow,
        "order.cancel",
        "order",
        row.number,
        {"reason": reason, "handed_back": handed_back},
        actor,
    )
    return OrderResult(order_id, row.number, OrderStatus.CANCELLED, row.total_cents, row.paid_cents)


def release_expired(uow: UnitOfWork, *, now: datetime | None = None) -> list[str]:
    """Cancel orders whose reservation ran out with no payment under way; their numbers."""
    with uow:
        ids = db.expired_orders(uow.conn, now or utcnow())
        numbers = [_cancel(uow, oid, "reservation expired", None).number for oid in ids]
        uow.commit()
        return numbers


def mark_fulfilled(uow: UnitOfWork, order_id: int, *, actor: str | None = None) -> None:
    """Handed over to the customer."""
    with uow:
        row = db.lock_order(uow.conn, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        check_transition(OrderStatus(row.status), OrderStatus.FULFILLED)
        db.update_order(
            uow.conn, order_id, status=OrderStatus.FULFILLED.value, fulfilled_at=utcnow()
        )
        audit.record(uow, "order.fulfil", "order", row.number, {}, actor)
        uow.commit()


# ---- refunds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_id: int
    number: str
    status: str
    amount_cents: int
    by_tender: dict[str, int]


def _refund_row(
    order_id: int,
    payment_id: int | None,
    tender: str,
    amount: int,
    reason: str | None,
    to_stock: bool,
    now: datetime,
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "payment_id": payment_id,
        "tender": tender,
        "amount_cents": amount,
        "reason": reason,
        "return_to_stock": to_stock,
        "status": "succeeded",
        "provider_id": None,
        "staff_id": None,
        "created_at": now,
    }


def refund(
    uow: UnitOfWork,
    order_id: int,
    *,
    lines: Mapping[int, int] | None = None,
    amount_cents: int | None = None,
    return_to_stock: bool = False,
    reason: str | None = None,
    actor: str | None = None,
) -> RefundResult:
    """Refund a paid order: some lines (line id → quantity), a plain amount, or (neither)
    everything still unrefunded. The money goes back to the tenders it came from, newest
    first; with `return_to_stock`, refunded units go back on the shelf."""
    with uow:
        conn = uow.conn
        order = db.lock_order(conn, order_id)
        if order is None:
            raise CheckoutError(f"no order {order_id}")
        if order.status not in PAID_LIKE or order.status == OrderStatus.REFUNDED:
            raise CheckoutError(
                f"order {order.number} is {order.status.replace('_', ' ')}: "
                "only paid orders can be refunded"
            )
        remaining = order.paid_cents - order.refunded_cents
        order_lines = {ln.id: ln for ln in db.lines_of(conn, order_id)}
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
        by_tender = _refund_tenders(
            conn, order_id, amount, reason, return_to_stock, now, picked, order_lines
        )
        if return_to_stock and picked:
            _restock(conn, order, picked, order_lines)
        for line_id, qty in picked.items():
            db.add_refunded_quantity(conn, line_id, qty)
        refunded = order.refunded_cents + amount
        status = (
            OrderStatus.REFUNDED if refunded >= order.paid_cents else OrderStatus.PARTIALLY_REFUNDED
        )
        check_transition(OrderStatus(order.status), status)
        db.update_order(conn, order_id, status=status.value, refunded_cents=refunded)
        audit.record(
            uow,
            "order.refund",
            "order",
            order.number,
            {
                "amount": amount,
                "lines": {str(k): v for k, v in picked.items()},
                "to_stock": return_to_stock,
                "reason": reason,
            },
            actor,
        )
        uow.commit()
        return RefundResult(order_id, order.number, status, amount, by_tender)


def _refund_tenders(
    conn: Any,
    order_id: int,
    amount: int,
    reason: str | None,
    to_stock: bool,
    now: datetime,
    picked: Mapping[int, int],
    order_lines: Mapping[int, Any],
) -> dict[str, int]:
    left = amount
    by_tender: dict[str, int] = {}
    first_refund_id: int | None = None
    for p in db.payments_of(conn, order_id, status="succeeded", newest_first=True):
        part = min(p.amount_cents - p.refunded_cents, left)
        if part <= 0:
            continue
        rid = db.insert_refund(
            conn, _refund_row(order_id, p.id, p.tender, part, reason, to_stock, now)
        )
        first_refund_id = first_refund_id or rid
        by_tender[p.tender] = by_tender.get(p.tender, 0) + part
        left -= part
        if not left:
            break
    if left:
        raise CheckoutError("the payments on this order cannot cover that refund")
    if first_refund_id is not None and picked:
        line_ids = sorted(picked)
        shares = allocate(amount, [order_lines[i].total_cents * picked[i] for i in line_ids])
        db.insert_refund_lines(
            conn,
            [
                {
                    "refund_id": first_refund_id,
                    "order_line_id": i,
                    "quantity": picked[i],
                    "amount_cents": a,
                }
                for i, a in zip(line_ids, shares, strict=True)
            ],
        )
    return by_tender


def _restock(
    conn: Any, order: Any, picked: Mapping[int, int], order_lines: Mapping[int, Any]
) -> None:
    rows: list[dict[str, Any]] = []
    for line_id, qty in picked.items():
        ln = order_lines[line_id]
        if ln.variant_id is None:
            continue
        parts = db.bundle_parts(conn, ln.variant_id)
        targets = [(cid, per * qty) for cid, per in parts] or [(ln.variant_id, qty)]
        tracked = stock.tracked_ids(conn, [vid for vid, _ in targets])
        for vid, n in targets:
            if vid in tracked:
                stock.put(conn, vid, n)
                rows.append(
                    {
                        "variant_id": vid,
                        "kind": "refund_return",
                        "quantity": n,
                        "order_id": order.id,
                        "event_id": order.event_id,
                    }
                )
        _return_editions(conn, ln, qty)
    stock.log_movements(conn, rows)


def _return_editions(conn: Any, ln: Any, qty: int) -> None:
    """The last `qty` numbers on a refunded line go back to be handed out again."""
    if not ln.edition_numbers or ";" in ln.edition_numbers or "#" in ln.edition_numbers:
        return
    nums = [int(n) for n in ln.edition_numbers.split(",")]
    back, keep = nums[len(nums) - qty :], nums[: len(nums) - qty]
    db.return_editions(conn, ln.variant_id, back)
    db.update_line(conn, ln.id, edition_numbers=",".join(map(str, keep)) or None)


# ---- reading orders ---------------------------------------------------------------------


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
    lines: tuple[Any, ...]
    payments: tuple[Any, ...]


def get_order(uow: UnitOfWork, ref: int | str) -> OrderView:
    """By id or by number ('A-0042', any case)."""
    with uow:
        conn = uow.conn
        o = db.order_by_ref(conn, ref)
        if o is None:
            raise CheckoutError(f"no order {ref}")
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
            tuple(db.lines_of(conn, o.id)),
            tuple(db.payments_of(conn, o.id)),
        )


def orders_by_status(uow: UnitOfWork, *statuses: str) -> list[tuple[int, str, str, int]]:
    """(id, number, status, total) of the open event's orders in those statuses."""
    with uow:
        event = _open_event(uow.conn)
        return [
            (r.id, r.number, r.status, r.total_cents)
            for r in db.orders_in(uow.conn, event.id, statuses)
        ]
