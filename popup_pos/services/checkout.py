"""Selling: price a cart, reserve stock, take payment, cancel and refund, one transaction each."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from popup_pos.domain.customers import hash_handle
from popup_pos.domain.errors import PosError
from popup_pos.domain.gigs import SlotPlan, free_slots, night_of
from popup_pos.domain.limits import (
    LINE_NAME_LENGTH,
    MAX_ID,
    MAX_QUANTITY,
    NOTE_LENGTH,
    ORDER_NOTE_LENGTH,
    REASON_LENGTH,
    REFERENCE_LENGTH,
    brief,
    check_lookup,
    check_text,
    check_whole,
    could_be_code,
)
from popup_pos.domain.money import MAX_AMOUNT, check_amount
from popup_pos.domain.orders import CONSUMES_STOCK, OrderStatus, check_transition
from popup_pos.domain.pricing import (
    Discount,
    DiscountKind,
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
from popup_pos.store import codes as codes_store
from popup_pos.store import customers as customers_store
from popup_pos.store import sales as db
from popup_pos.store import stock
from popup_pos.store import tickets as tickets_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Connection

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
    # Who is buying (email, phone or @handle), for per-person limits; only its hash is kept.
    customer: str | None = None
    # A parked order's customer, already hashed: the handle itself was never stored.
    customer_hash: str | None = None


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
    components: tuple[db.Component, ...]
    totals: LineTotals
    per_person_limit: int | None = None


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


def _default_tax(settings: Mapping[str, Any] | None) -> TaxClass | None:
    spec = (settings or {}).get("default_tax")
    if not spec:
        return None
    return TaxClass(str(spec["name"]), int(spec["rate_ppm"]), bool(spec["inclusive"]))


# A quoted line still waiting for its share of the order's totals.
_Draft = partial[QuotedLine]


def _check_cart_limits(cart: Cart, currency: str) -> None:
    """Quantities, amounts and texts within what popup-pos accepts, before any pricing."""
    for n, ln in enumerate(cart.lines, start=1):
        where = ln.sku or f"line {n}"
        check_whole(ln.quantity, f"{where}: the quantity", low=1, high=MAX_QUANTITY)
        if ln.unit_price is not None:
            check_amount(ln.unit_price, currency, what=f"{where}: the price")
        if ln.discount is not None and ln.discount.kind is DiscountKind.AMOUNT:
            check_amount(ln.discount.value, currency, what=f"{where}: the discount")
        if ln.sku is not None:
            check_lookup(ln.sku, "the SKU", 64)
        if ln.name is not None:
            check_text(ln.name, f"{where}: the name", LINE_NAME_LENGTH, required=False)
        if ln.personalisation is not None:
            check_text(
                ln.personalisation, f"{where}: the personalisation", NOTE_LENGTH, required=False
            )
    for adjustment, what in ((cart.discount, "the discount"), (cart.tip, "the tip")):
        if adjustment is not None and adjustment.kind is DiscountKind.AMOUNT:
            check_amount(adjustment.value, currency, what=what)
    if cart.note is not None:
        check_text(cart.note, "the note", ORDER_NOTE_LENGTH, required=False, multiline=True)


def _quote(conn: Connection, event: db.SaleEvent, cart: Cart) -> Quote:
    if not cart.lines:
        raise CheckoutError("the cart is empty")
    _check_cart_limits(cart, event.currency)
    found = db.variants_for_sale(conn, {ln.sku for ln in cart.lines if ln.sku})
    for ln in cart.lines:
        if ln.sku is not None and (ln.sku not in found or found[ln.sku].archived):
            raise CheckoutError(f"unknown SKU {ln.sku!r}")
    default_tax = _default_tax(event.settings)
    per_variant: dict[str, int] = defaultdict(int)
    inputs: list[LineInput] = []
    drafts: list[_Draft] = []
    for ln in cart.lines:
        if ln.quantity < 1:
            raise CheckoutError(f"quantity must be at least 1, not {ln.quantity}")
        if ln.sku is None:
            line_input, draft = _custom_line(ln, default_tax)
        else:
            v = found[ln.sku]
            per_variant[v.sku] += ln.quantity
            if v.per_order_limit is not None and per_variant[v.sku] > v.per_order_limit:
                raise LimitError(f"{v.sku}: limit {v.per_order_limit} per order")
            line_input, draft = _catalog_line(ln, v, default_tax)
        inputs.append(line_input)
        drafts.append(draft)
    totals = price_order(inputs, cart.discount, cart.tip)
    lines = tuple(d(totals=t) for d, t in zip(drafts, totals.lines, strict=True))
    return Quote(event.currency, lines, totals)


def _custom_line(ln: CartLine, default_tax: TaxClass | None) -> tuple[LineInput, _Draft]:
    if ln.unit_price is None or ln.unit_price <= 0:
        raise CheckoutError("a custom line needs an amount above zero")
    line_input = LineInput(ln.unit_price, ln.quantity, default_tax, ln.discount)
    return line_input, partial(
        QuotedLine,
        variant_id=None,
        sku=None,
        name=ln.name or "Custom amount",
        kind="item",
        quantity=ln.quantity,
        unit_price=ln.unit_price,
        cost=None,
        tax=default_tax,
        discount=ln.discount,
        personalisation=ln.personalisation,
        owner_id=None,
        tracked=False,
        edition_size=None,
        components=(),
    )


def _catalog_line(
    ln: CartLine, v: db.SaleVariant, default_tax: TaxClass | None
) -> tuple[LineInput, _Draft]:
    price = ln.unit_price if ln.unit_price is not None else v.price_cents
    if price is None:
        raise CheckoutError(f"{v.sku} has no fixed price: enter the amount")
    if price < 0:
        raise CheckoutError("a price cannot be negative")
    values = " / ".join(x for x in v.options.values() if x)
    tax = TaxClass(v.tax_name, v.tax_rate_ppm, v.tax_inclusive) if v.tax_name else default_tax
    return LineInput(price, ln.quantity, tax, ln.discount), partial(
        QuotedLine,
        variant_id=v.id,
        sku=v.sku,
        name=f"{v.product_name} — {values}" if values else v.product_name,
        kind=v.kind,
        quantity=ln.quantity,
        unit_price=price,
        cost=v.cost_cents,
        tax=tax,
        discount=ln.discount,
        personalisation=ln.personalisation,
        owner_id=v.owner_id,
        tracked=v.tracked,
        edition_size=v.edition_size,
        components=v.components,
        per_person_limit=v.per_person_limit,
    )


def quote(uow: UnitOfWork, cart: Cart) -> Quote:
    """Price a cart for display, writing nothing."""
    with uow:
        event = _open_event(uow.conn)
        return _quote(uow.conn, event, cart)


def _open_event(conn: Connection, register_id: int | None = None) -> db.SaleEvent:
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


def _reserve(conn: Connection, q: Quote, order_id: int, event_id: int) -> dict[str, int]:
    """Take the order's stock; the change per variant id, for the audit entry."""
    need = _stock_needs(q)
    # Fixed order so two registers taking the same variants on PostgreSQL never deadlock.
    # One conditional UPDATE per variant: its row count says exactly which one ran out.
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
    return {str(vid): -n for vid, (_sku, n) in sorted(need.items())}


def _release(conn: Connection, order_id: int, event_id: int) -> dict[str, int]:
    """Put back everything the order's reservation took, as sale_cancel ledger rows; the
    change per variant id, for the audit entry."""
    rows: list[dict[str, Any]] = []
    # Ascending ids, like the takes, so a cancel and a sale never deadlock on PostgreSQL.
    for vid, qty in sorted(stock.held_by_order(conn, order_id)):
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
    return {str(r["variant_id"]): r["quantity"] for r in rows}


# ---- placing and paying ---------------------------------------------------------------


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
    conn = uow.conn
    event = _open_event(conn, register_id)
    q = _quote(conn, event, cart)
    total = q.totals.total
    if tenders is None:
        tenders = (TenderSpec("cash"),) if total else ()
    if parked_order_id is None:
        number = db.next_order_number(conn, register_id)
    else:
        number = _take_over_parked(conn, parked_order_id)
    taken, paid, change = _check_tenders(number, total, 0, tenders)
    settled = paid >= total
    customer = _customer_hash(conn, event.id, cart)
    row = _order_row(event, register_id, number, q, cart, staff_id, now, paid, settled)
    row["customer_hash"] = customer
    handed = settled and hand_over
    if handed:
        check_transition(OrderStatus.PAID, OrderStatus.FULFILLED)
        row["status"] = OrderStatus.FULFILLED.value
        row["fulfilled_at"] = now
    if parked_order_id is None:
        order_id = db.insert_order(conn, row)
    else:
        order_id = parked_order_id
        db.update_order(conn, order_id, **_without_identity(row))
    moved = _reserve(conn, q, order_id, event.id)
    gigs = any(ln.kind == "experience" for ln in q.lines)
    if gigs or any(ln.per_person_limit is not None for ln in q.lines):
        _check_places(conn, event.id, q, customer)
    labels: list[str | None] = [None] * len(q.lines)
    editions: dict[str, list[int]] = {}
    if settled:
        labels, editions = _claim_editions(
            conn, [(_edition_parts(ln), ln.quantity) for ln in q.lines]
        )
    db.insert_lines(
        conn, [_line_row(order_id, ln, label) for ln, label in zip(q.lines, labels, strict=True)]
    )
    db.insert_payments(conn, [_payment_row(order_id, t, a, staff_id, now) for t, a in taken])
    if gigs:
        _book_gigs(conn, event.id, order_id, "waiting" if settled else "held", now)
    codes: tuple[DeliveredCode, ...] = ()
    if settled and any(ln.kind == "digital" for ln in q.lines):
        codes = _deliver_codes(conn, order_id, now)
    entries = _placed_entries(number, total, paid, settled, editions, len(codes), moved, actor)
    if handed:
        entries.append(_handed_over_entry(number, actor))
    audit.record_all(uow, entries)
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


def _handed_over_entry(number: str, actor: str | None) -> audit.Entry:
    """order.fulfil as *Handed over* records it, marked as done at the table."""
    return audit.Entry("order.fulfil", "order", number, {"at_table": True}, actor)


def _order_row(
    event: db.SaleEvent,
    register_id: int,
    number: str,
    q: Quote,
    cart: Cart,
    staff_id: int | None,
    now: datetime,
    paid: int,
    settled: bool,
) -> dict[str, Any]:
    t = q.totals
    return {
        "event_id": event.id,
        "register_id": register_id,
        "number": number,
        "status": (OrderStatus.PAID if settled else OrderStatus.AWAITING_PAYMENT).value,
        "currency": q.currency,
        "staff_id": staff_id,
        "created_at": now,
        "placed_at": now,
        "paid_at": now if settled else None,
        # A paid order holds nothing: its stock is sold.
        "reserved_until": None if settled else now + timedelta(minutes=event.reservation_minutes),
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
        "paid_cents": paid,
        "refunded_cents": 0,
    }


def _line_row(order_id: int, ln: QuotedLine, edition_numbers: str | None) -> dict[str, Any]:
    return {
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
        "edition_numbers": edition_numbers,
        "personalisation": ln.personalisation,
        "note": None,
        "refunded_quantity": 0,
        "owner_id": ln.owner_id,
    }


def _without_identity(row: Mapping[str, Any]) -> dict[str, Any]:
    """An order row's values that may change when a parked order is taken over."""
    return {k: v for k, v in row.items() if k not in ("event_id", "number", "created_at")}


def _take_over_parked(conn: Connection, order_id: int) -> str:
    """Lock a parked order so a sale (or a re-park) can replace its lines; its number."""
    row = db.lock_order(conn, order_id)
    if row is None or row.status != OrderStatus.OPEN or not row.parked:
        raise CheckoutError("that parked sale was already taken up on another register")
    db.delete_lines(conn, order_id)
    return str(row.number)


# ---- customers, micro-gig places and download codes ------------------------------------


def _customer_hash(conn: Connection, event_id: int, cart: Cart) -> str | None:
    """The cart's customer as this event's hash of their handle (None: nobody named)."""
    if cart.customer is None or not cart.customer.strip():
        return cart.customer_hash
    salt = customers_store.salt(conn, event_id) or customers_store.set_salt(
        conn, event_id, secrets.token_hex(16)
    )
    return hash_handle(salt, cart.customer)


def customer_holds(
    uow: UnitOfWork, customer: str | None, customer_hash: str | None, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Units of these variants the customer (a handle, or a parked order's hash) already
    holds in the open event: read when a limited drop is added, before the price is said."""
    handle = (customer or "").strip()
    with uow:
        conn = uow.conn
        event = db.open_event(conn)
        if event is None:
            return {}
        if handle:
            salt = customers_store.salt(conn, event.id)
            # No handle was ever hashed in this event: nobody has bought anything yet.
            customer_hash = None if salt is None else hash_handle(salt, handle)
        if customer_hash is None:
            return {}
        return customers_store.bought(conn, event.id, customer_hash, variant_ids)


def _check_places(conn: Connection, event_id: int, q: Quote, customer: str | None) -> None:
    """Per-person limits across the event's orders, and the capacity and slots of each
    experience. Called after the stock is taken, so every lock here comes after the
    sale's ascending stock locks and two registers never wait on each other in a cycle."""
    wanted: dict[int, int] = defaultdict(int)
    limited: dict[int, QuotedLine] = {}
    for ln in q.lines:
        if ln.variant_id is not None:
            wanted[ln.variant_id] += ln.quantity
            if ln.per_person_limit is not None or ln.kind == "experience":
                limited[ln.variant_id] = ln
    customers_store.lock_variants(conn, limited)
    person = [ln for ln in limited.values() if ln.per_person_limit is not None]
    if person:
        if customer is None:
            first = person[0]
            raise LimitError(
                f"{first.name}: limited to {first.per_person_limit} per person; "
                "enter the customer's email, phone or @handle first"
            )
        had = customers_store.bought(
            conn, event_id, customer, [ln.variant_id or 0 for ln in person]
        )
        for ln in person:
            assert ln.variant_id is not None and ln.per_person_limit is not None
            before = had.get(ln.variant_id, 0)
            if before + wanted[ln.variant_id] > ln.per_person_limit:
                raise LimitError(
                    f"{ln.name}: limit {ln.per_person_limit} per person; "
                    f"this customer already has {before}"
                )
    for vid, ln in limited.items():
        if ln.kind == "experience":
            _check_capacity(conn, event_id, vid, wanted[vid])


def _check_capacity(conn: Connection, event_id: int, variant_id: int, n: int) -> None:
    rules = tickets_store.lock_experience(conn, variant_id)
    if rules is None:
        return
    count, _slots = tickets_store.booked(conn, event_id, variant_id)
    if rules.capacity is not None and count + n > rules.capacity:
        left = max(rules.capacity - count, 0)
        raise LimitError(
            f"{rules.name}: fully booked ({rules.capacity} places)"
            if not left
            else f"{rules.name}: only {left} of {rules.capacity} places left"
        )


def _slot_plan(rules: Any) -> SlotPlan | None:
    if not (rules.slots_from and rules.slots_until and rules.slot_minutes):
        return None
    return SlotPlan.parse(f"{rules.slots_from}-{rules.slots_until}/{rules.slot_minutes}")


def _book_gigs(conn: Connection, event_id: int, order_id: int, status: str, now: datetime) -> None:
    """One ticket per unit of each experience line: `held` until the order is paid, then
    `waiting` in the queue; an experience sold by time slot gives each its own slot,
    the first free one tonight."""
    night, tz = night_of(now)
    rows: list[dict[str, Any]] = []
    free: dict[int, list[datetime]] = {}
    for ln in db.lines_of(conn, order_id):
        if ln.kind != "experience":
            continue
        slots: list[datetime | None] = [None] * ln.quantity
        rules = tickets_store.lock_experience(conn, ln.variant_id) if ln.variant_id else None
        plan = _slot_plan(rules) if rules is not None else None
        if plan is not None and ln.variant_id is not None:
            if ln.variant_id not in free:
                _count, taken = tickets_store.booked(conn, event_id, ln.variant_id)
                free[ln.variant_id] = free_slots(plan, night, tz, taken, now)
            left = free[ln.variant_id]
            if len(left) < ln.quantity:
                raise LimitError(
                    f"{ln.name}: no time slot left tonight (slots {plan})"
                    if not left
                    else f"{ln.name}: only {len(left)} time slot(s) left tonight"
                )
            slots, free[ln.variant_id] = list(left[: ln.quantity]), left[ln.quantity :]
        rows.extend(
            {
                "event_id": event_id,
                "order_line_id": ln.id,
                "variant_id": ln.variant_id,
                "status": status,
                "personalisation": ln.personalisation,
                "slot_at": slot,
                "created_at": now,
            }
            for slot in slots
        )
    tickets_store.create(conn, rows)


def _deliver_codes(conn: Connection, order_id: int, now: datetime) -> tuple[DeliveredCode, ...]:
    """Give each unit of each digital line one unused code from its variant's pool."""
    out: list[DeliveredCode] = []
    for ln in db.lines_of(conn, order_id):
        if ln.kind != "digital" or ln.variant_id is None:
            continue
        got = codes_store.assign(conn, ln.variant_id, ln.id, ln.quantity, now)
        if len(got) < ln.quantity:
            # The sale reserved stock, which counts unused codes, so this means the pool
            # was changed behind the app's back: refuse rather than sell without a code.
            raise CheckoutError(
                f"{ln.sku}: its download codes ran out; import more with "
                f"popup-pos codes import {ln.sku} FILE"
            )
        out.extend(DeliveredCode(ln.sku or "", ln.name, c) for c in got)
    return tuple(out)


# ---- parking -------------------------------------------------------------------------------


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
        conn = uow.conn
        event = _open_event(conn, register_id)
        q = _quote(conn, event, cart)
        now = utcnow()
        number = "" if order_id is None else _take_over_parked(conn, order_id)
        row = _order_row(event, register_id, number, q, cart, staff_id, now, 0, False)
        row.update(status=OrderStatus.OPEN.value, parked=True, placed_at=None, reserved_until=None)
        row["customer_hash"] = _customer_hash(conn, event.id, cart)
        if order_id is None:
            number = row["number"] = db.next_order_number(conn, register_id)
            order_id = db.insert_order(conn, row)
        else:
            db.update_order(conn, order_id, **_without_identity(row))
        db.insert_lines(conn, [_line_row(order_id, ln, None) for ln in q.lines])
        audit.record(uow, "order.park", "order", number, {"total": q.totals.total}, actor)
        uow.commit()
        return OrderResult(order_id, number, OrderStatus.OPEN, q.totals.total, 0)


def resume(uow: UnitOfWork, order_id: int) -> Cart:
    """The cart a parked order saved, priced as it was (overrides and discounts kept)."""
    with uow:
        conn = uow.conn
        order = db.order_by_ref(conn, order_id)
        if order is None or order.status != OrderStatus.OPEN or not order.parked:
            raise CheckoutError("that sale is no longer parked")
        saved = db.lines_of(conn, order_id)
        now_priced = db.variants_for_sale(conn, {ln.sku for ln in saved if ln.sku})
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
        row = db.lock_order(uow.conn, order_id)
        if row is None:
            raise CheckoutError(f"no order {order_id}")
        if row.status != OrderStatus.AWAITING_PAYMENT:
            raise CheckoutError(f"order {row.number} is {row.status.replace('_', ' ')}")
        pending = db.pending_total(uow.conn, order_id)
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
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "tender": t.tender,
        "status": "succeeded",
        "amount_cents": amount,
        "tendered_cents": t.tendered,
        "change_cents": (t.tendered - amount) if t.tendered is not None else 0,
        "fee_cents": None,
        "refunded_cents": 0,
        "reference": t.reference,
        "provider_id": None,
        "idempotency_key": None,
        "staff_id": staff_id,
        "created_at": now,
        "updated_at": now,
    }


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
    db.insert_payments(uow.conn, [_payment_row(order_id, t, a, staff_id, now) for t, a in taken])
    if paid >= total:
        result = _mark_paid(uow, order_id, number, total, paid, change, now, actor)
        return _hand_over(uow, result, now, actor) if hand_over else result
    db.update_order(uow.conn, order_id, paid_cents=paid)
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
    """An order placed earlier is now covered: number its editions, queue its micro-gigs
    and mark it paid."""
    editions = _number_placed_order(uow.conn, order_id)
    tickets_store.release_held(uow.conn, order_id, now)
    codes = _deliver_codes(uow.conn, order_id, now)
    db.update_order(
        uow.conn,
        order_id,
        status=OrderStatus.PAID.value,
        paid_cents=paid,
        paid_at=now,
        reserved_until=None,
    )
    audit.record(uow, "order.paid", "order", number, _paid(paid, editions, len(codes)), actor)
    return OrderResult(order_id, number, OrderStatus.PAID, total, paid, change, editions, codes)


def _hand_over(
    uow: UnitOfWork, result: OrderResult, now: datetime, actor: str | None
) -> OrderResult:
    """Paid → fulfilled in the paying transaction: the customer takes the items there."""
    check_transition(OrderStatus(result.status), OrderStatus.FULFILLED)
    db.update_order(uow.conn, result.order_id, status=OrderStatus.FULFILLED.value, fulfilled_at=now)
    audit.record_all(uow, [_handed_over_entry(result.number, actor)])
    return replace(result, status=OrderStatus.FULFILLED)


# ---- limited-edition numbers -------------------------------------------------------------


def _edition_parts(ln: QuotedLine) -> list[db.EditionPart]:
    """The editions a quoted line's units are numbered in (as `db.edition_parts` reads them)."""
    if ln.variant_id is None or ln.sku is None:
        return []
    own = [db.EditionPart(ln.variant_id, ln.sku, 1)] if ln.edition_size is not None else []
    return own + [
        db.EditionPart(c.variant_id, c.sku, c.per_unit)
        for c in ln.components
        if c.edition_size is not None
    ]


def _number_placed_order(conn: Connection, order_id: int) -> dict[str, list[int]]:
    """Number the limited-edition units of an order whose lines are already written."""
    order_lines = [ln for ln in db.lines_of(conn, order_id) if ln.variant_id is not None]
    if not order_lines:
        return {}
    parts = db.edition_parts(conn, {ln.variant_id for ln in order_lines})
    labels, out = _claim_editions(conn, [(parts[ln.variant_id], ln.quantity) for ln in order_lines])
    for ln, label in zip(order_lines, labels, strict=True):
        if label:
            db.update_line(conn, ln.id, edition_numbers=label)
    return out


def _claim_editions(
    conn: Connection, lines: Sequence[tuple[Sequence[db.EditionPart], int]]
) -> tuple[list[str | None], dict[str, list[int]]]:
    """Number each unit of limited-edition stock, line by line: returned numbers first,
    then new ones. Each line's label (None if it has no numbers) and the numbers by SKU."""
    labels: list[str | None] = []
    out: dict[str, list[int]] = {}
    for parts, quantity in lines:
        held: list[tuple[str | None, list[int]]] = []
        for p in parts:
            nums = _take_edition_numbers(conn, p.variant_id, p.sku, p.per_unit * quantity)
            out.setdefault(p.sku, []).extend(nums)
            # A line numbered in several editions (a bundle) names each one.
            held.append((p.sku if len(parts) > 1 else None, nums))
        labels.append(_edition_label(held))
    return labels, out


def _edition_label(held: Sequence[tuple[str | None, list[int]]]) -> str | None:
    """'17,18' for one edition; 'PRINT#3;PIN#9' when the line names several."""
    text = ";".join(
        ",".join(map(str, nums)) if sku is None else f"{sku}#{','.join(map(str, nums))}"
        for sku, nums in held
        if nums
    )
    return text or None


def _parse_edition_label(text: str) -> list[tuple[str | None, list[int]]]:
    out: list[tuple[str | None, list[int]]] = []
    for part in text.split(";"):
        sku, _, nums = part.rpartition("#")
        out.append((sku or None, [int(n) for n in nums.split(",")]))
    return out


def _take_edition_numbers(conn: Connection, variant_id: int, sku: str, n: int) -> list[int]:
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
    moved = _release(conn, order_id, row.event_id)
    tickets_store.cancel_held(conn, order_id)
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
        {"reason": reason, "handed_back": handed_back, "stock": moved},
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
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "payment_id": payment_id,
        "tender": tender,
        "amount_cents": amount,
        "reason": reason,
        "return_to_stock": to_stock,
        "status": "pending" if tender in _SENT_LATER else "succeeded",
        "provider_id": None,
        "staff_id": None,
        "created_at": now,
    }


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
        parts = _refund_tenders(
            conn, order_id, amount, reason, return_to_stock, now, picked, order_lines
        )
        by_tender: dict[str, int] = {}
        for part in parts:
            by_tender[part.tender] = by_tender.get(part.tender, 0) + part.amount_cents
        moved = _restock(conn, order, picked, order_lines) if return_to_stock and picked else {}
        voided = _undo_deliveries(conn, picked, order_lines, now)
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
                "stock": moved,
                "reason": reason,
                **({"codes_voided": voided} if voided else {}),
            },
            actor,
        )
        uow.commit()
        return RefundResult(order_id, order.number, status, amount, by_tender, tuple(parts))


def _refund_tenders(
    conn: Connection,
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
    for p in db.payments_of(conn, order_id, status="succeeded", newest_first=True):
        part = min(p.amount_cents - p.refunded_cents, left)
        if part <= 0:
            continue
        rid = db.insert_refund(
            conn, _refund_row(order_id, p.id, p.tender, part, reason, to_stock, now)
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
    return parts


def _undo_deliveries(
    conn: Connection, picked: Mapping[int, int], order_lines: Mapping[int, Any], now: datetime
) -> int:
    """Refunded units give up what they were promised: a download code is voided (never
    reissued) and a micro-gig ticket not yet done leaves the queue. Codes voided."""
    voided = 0
    for line_id, qty in sorted(picked.items()):
        kind = order_lines[line_id].kind
        if kind == "digital":
            voided += len(codes_store.void_last(conn, line_id, qty, now))
        elif kind == "experience":
            tickets_store.cancel_for_refund(conn, line_id, qty)
    return voided


def _restock(
    conn: Connection, order: Any, picked: Mapping[int, int], order_lines: Mapping[int, Any]
) -> dict[str, int]:
    """Put refunded units back; the change per variant id, for the audit entry."""
    back: dict[int, int] = defaultdict(int)
    for line_id, qty in picked.items():
        ln = order_lines[line_id]
        # A refunded code is voided, not put back: digital stock is the unused codes.
        if ln.variant_id is None or ln.kind == "digital":
            continue
        parts = db.bundle_parts(conn, ln.variant_id)
        for vid, n in [(cid, per * qty) for cid, per in parts] or [(ln.variant_id, qty)]:
            back[vid] += n
        _return_editions(conn, ln, qty)
    tracked = stock.tracked_ids(conn, back)
    rows: list[dict[str, Any]] = []
    # Ascending ids, like a sale's takes, so a refund and a sale never deadlock on PostgreSQL.
    for vid in sorted(back):
        if vid in tracked:
            stock.put(conn, vid, back[vid])
            rows.append(
                {
                    "variant_id": vid,
                    "kind": "refund_return",
                    "quantity": back[vid],
                    "order_id": order.id,
                    "event_id": order.event_id,
                }
            )
    stock.log_movements(conn, rows)
    return {str(r["variant_id"]): r["quantity"] for r in rows}


def _return_editions(conn: Connection, ln: Any, qty: int) -> None:
    """The numbers of the last `qty` units on a refunded line go back to be handed out
    again, each to the edition it came from (a bundle's numbers belong to its parts)."""
    if not ln.edition_numbers or ln.variant_id is None:
        return
    parts = db.edition_parts(conn, [ln.variant_id])[ln.variant_id]
    by_sku = {p.sku: p for p in parts}
    only = parts[0] if len(parts) == 1 else None  # what an unnamed label belongs to
    kept: list[tuple[str | None, list[int]]] = []
    for sku, nums in _parse_edition_label(ln.edition_numbers):
        part = by_sku.get(sku) if sku is not None else only
        # If the catalog changed since the sale, the numbers stay on the line: never
        # handing one out twice matters more than reusing it.
        if part is not None:
            cut = max(len(nums) - part.per_unit * qty, 0)
            db.return_editions(conn, part.variant_id, nums[cut:])
            nums = nums[:cut]
        kept.append((sku, nums))
    db.update_line(conn, ln.id, edition_numbers=_edition_label(kept))


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
    # Digital lines' download codes: line id -> [(code, "assigned" | "void")].
    codes: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def get_order(uow: UnitOfWork, ref: int | str) -> OrderView:
    """By id or by number ('A-0042', any case)."""
    if isinstance(ref, int) and not 0 < ref <= MAX_ID:
        raise CheckoutError(f"no order {ref}")
    if isinstance(ref, str) and not could_be_code(ref.strip()):
        raise CheckoutError(f"no order {brief(ref)}")
    with uow:
        conn = uow.conn
        o = db.order_by_ref(conn, ref)
        if o is None:
            raise CheckoutError(f"no order {ref}")
        order_lines = tuple(db.lines_of(conn, o.id))
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
            tuple(db.payments_of(conn, o.id)),
            codes_store.of_lines(conn, digital) if digital else {},
        )


def orders_by_status(uow: UnitOfWork, *statuses: str) -> list[tuple[int, str, str, int]]:
    """(id, number, status, total) of the open event's orders in those statuses."""
    with uow:
        event = _open_event(uow.conn)
        return [
            (r.id, r.number, r.status, r.total_cents)
            for r in db.orders_in(uow.conn, event.id, statuses)
        ]
