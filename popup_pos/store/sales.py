"""Statements for selling: orders, lines, payments, refunds and edition numbers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, func, insert, select, update

from popup_pos.domain.orders import OrderStatus, check_transition
from popup_pos.store.engine import DriverSql, time_binder
from popup_pos.store.models import (
    BundleComponent,
    EditionReturn,
    Order,
    OrderLine,
    Payment,
    Refund,
    RefundLine,
    Variant,
    table_of,
)
from popup_pos.store.records import (
    LineRecord,
    NewLine,
    NewOrder,
    NewPayment,
    NewRefund,
    NewRefundLine,
    OrderRecord,
    PaymentRecord,
    all_of,
    columns,
    one_of,
)
from popup_pos.store.uow import UnitOfWork

orders, lines, payments = table_of(Order), table_of(OrderLine), table_of(Payment)
variants, bundles = table_of(Variant), table_of(BundleComponent)
refunds, refund_lines = table_of(Refund), table_of(RefundLine)
edition_returns = table_of(EditionReturn)


# A sale is one short transaction of a dozen statements, and committing it should cost
# little more than the fsync: so the statements every sale runs, from here to insert_payments,
# are written by hand (DriverSql) and return plain typed records. The rarer actions
# (cancel, refund, lookups) use Core.

# ---- what a sale reads ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaleEvent:
    id: int
    currency: str
    status: str
    reservation_minutes: int
    settings: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a bundle: `per_unit` of this variant go with each bundle sold."""

    variant_id: int
    sku: str
    per_unit: int
    tracked: bool
    edition_size: int | None


@dataclass(frozen=True, slots=True)
class SaleVariant:
    """A variant as pricing and stock need it, with its product, tax class and parts."""

    id: int
    sku: str
    price_cents: int | None
    cost_cents: int | None
    per_order_limit: int | None
    per_person_limit: int | None
    edition_size: int | None
    tracked: bool
    options: dict[str, str]
    archived: bool
    product_name: str
    kind: str
    owner_id: int | None
    tax_name: str | None  # None: the product has no tax class of its own
    tax_rate_ppm: int
    tax_inclusive: bool
    components: tuple[Component, ...]


def _json(value: Any) -> Any:
    # SQLite hands JSON columns back as text; psycopg has already parsed them.
    return json.loads(value) if isinstance(value, str) else value


_EVENT_COLUMNS = "e.id, e.currency, e.status, e.reservation_minutes, e.settings"
_EVENT_OF_REGISTER = DriverSql(
    f"""SELECT {_EVENT_COLUMNS} FROM registers r JOIN events e ON e.id = r.event_id
    WHERE r.id = :register_id"""
)
_OPEN_EVENT = DriverSql(f"SELECT {_EVENT_COLUMNS} FROM events e WHERE e.status = 'open'")


def _event(row: tuple[Any, ...] | None) -> SaleEvent | None:
    if row is None:
        return None
    event_id, currency, status, minutes, settings = row
    return SaleEvent(event_id, currency, status, minutes, _json(settings) or {})


def event_of_register(uow: UnitOfWork, register_id: int) -> SaleEvent | None:
    conn = uow.conn
    return _event(_EVENT_OF_REGISTER.first(conn, {"register_id": register_id}))


def open_event(uow: UnitOfWork) -> SaleEvent | None:
    conn = uow.conn
    return _event(_OPEN_EVENT.first(conn, {}))


@lru_cache(maxsize=64)
def _variants_sql(count: int) -> DriverSql:
    """Variants by SKU with their product, tax class and bundle parts: one row per part
    (or one with NULL parts), so a cart of any size costs one round trip."""
    skus = ", ".join(f":sku{i}" for i in range(count))
    return DriverSql(
        f"""SELECT v.id, v.sku, v.price_cents, v.cost_cents, v.per_order_limit,
            v.per_person_limit, v.edition_size, v.track_stock, v.options, v.archived,
            p.name, p.kind, p.owner_id, t.name, t.rate_ppm, t.inclusive,
            c.id, c.sku, b.quantity, c.track_stock, c.edition_size
        FROM variants v
        JOIN products p ON p.id = v.product_id
        LEFT JOIN tax_classes t ON t.id = p.tax_class_id
        LEFT JOIN bundle_components b ON b.bundle_id = v.id
        LEFT JOIN variants c ON c.id = b.component_id
        WHERE v.sku IN ({skus})
        ORDER BY v.id, b.id"""
    )


def variants_for_sale(uow: UnitOfWork, skus: Iterable[str]) -> dict[str, SaleVariant]:
    """Price, limits, stock flags, product, tax and bundle parts of each SKU, by SKU."""
    conn = uow.conn
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    params = {f"sku{i}": sku for i, sku in enumerate(wanted)}
    heads: dict[str, tuple[Any, ...]] = {}
    parts: dict[str, list[Component]] = {}
    for row in _variants_sql(len(wanted)).all(conn, params):
        sku = row[1]
        if sku not in heads:
            heads[sku], parts[sku] = tuple(row[:16]), []
        if row[16] is not None:
            cid, csku, per_unit, tracked, edition = row[16:]
            parts[sku].append(Component(cid, csku, per_unit, bool(tracked), edition))
    return {sku: _sale_variant(head, parts[sku]) for sku, head in heads.items()}


def _sale_variant(head: tuple[Any, ...], parts: list[Component]) -> SaleVariant:
    vid, sku, price, cost, limit, person_limit, edition, tracked, options, archived = head[:10]
    product, kind, owner, tax_name, rate, inclusive = head[10:]
    return SaleVariant(
        vid,
        sku,
        price,
        cost,
        limit,
        person_limit,
        edition,
        bool(tracked),  # SQLite stores booleans as 0/1
        _json(options) or {},
        bool(archived),
        product,
        kind,
        owner,
        tax_name,
        rate or 0,
        bool(inclusive),
        tuple(parts),
    )


# ---- what a sale writes --------------------------------------------------------------------

_NEXT_SEQ = DriverSql(
    """UPDATE registers SET last_order_seq = last_order_seq + 1 WHERE id = :register_id
    RETURNING last_order_seq, code"""
)


def _insert_sql(table: str, columns: str, returning: str = "") -> DriverSql:
    """INSERT of the named columns, each from the parameter of the same name."""
    names = columns.split()
    values = ", ".join(f":{n}" for n in names)
    tail = f" RETURNING {returning}" if returning else ""
    return DriverSql(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({values}){tail}")


_INSERT_ORDER = _insert_sql(
    "orders",
    """event_id register_id number status currency staff_id created_at placed_at paid_at
    reserved_until parked note discount_kind discount_value tip_kind tip_value
    subtotal_cents discount_cents tax_cents tip_cents total_cents paid_cents refunded_cents
    customer_hash fulfilled_at""",
    returning="id",
)
_INSERT_LINE = _insert_sql(
    "order_lines",
    """order_id variant_id sku name kind quantity unit_price_cents cost_cents tax_rate_ppm
    tax_inclusive discount_kind discount_value line_discount_cents order_discount_cents
    tax_cents total_cents edition_numbers personalisation note refunded_quantity owner_id""",
)
# `request` (JSON) is left out, so it is NULL: only payments that settle later keep one.
_INSERT_PAYMENT = _insert_sql(
    "payments",
    """order_id tender status amount_cents tendered_cents change_cents fee_cents
    refunded_cents reference provider_id idempotency_key staff_id created_at updated_at""",
)
_ORDER_TIMES = ("created_at", "placed_at", "paid_at", "reserved_until", "fulfilled_at")
_PAYMENT_TIMES = ("created_at", "updated_at")


def _with_times(conn: Connection, values: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    bind = time_binder(conn.dialect)
    return {**values, **{k: bind(values[k]) for k in keys}}


def next_order_number(uow: UnitOfWork, register_id: int) -> str:
    """The register's next number, like A-0042; the counter is bumped atomically."""
    conn = uow.conn
    seq, code = _NEXT_SEQ.one(conn, {"register_id": register_id})
    return f"{code}-{seq:04d}"


def insert_order(uow: UnitOfWork, order: NewOrder) -> int:
    """The order's id; timestamps as aware UTC datetimes (or None)."""
    conn = uow.conn
    row = _INSERT_ORDER.one(conn, _with_times(conn, order._asdict(), _ORDER_TIMES))
    return int(row[0])


def insert_lines(uow: UnitOfWork, rows: Sequence[NewLine]) -> None:
    conn = uow.conn
    _INSERT_LINE.many(conn, [r._asdict() for r in rows])


def insert_payments(uow: UnitOfWork, rows: Sequence[NewPayment]) -> None:
    """Payments settled as they are recorded (no request kept); timestamps as aware UTC
    datetimes."""
    conn = uow.conn
    _INSERT_PAYMENT.many(conn, [_with_times(conn, r._asdict(), _PAYMENT_TIMES) for r in rows])


_IDENTITY = frozenset({"event_id", "number", "created_at", "status"})


def rewrite_parked(
    uow: UnitOfWork, order_id: int, order: NewOrder, *, via: Sequence[OrderStatus] = ()
) -> None:
    """A parked (open) order takes the values of `order`, keeping its event, number and
    creation time; its status moves through `via` to `order.status` (see `move_order`),
    or stays open when `order` is open too (parking it again)."""
    values = {k: v for k, v in order._asdict().items() if k not in _IDENTITY}
    target = OrderStatus(order.status)
    if target is OrderStatus.OPEN and not via:
        update_order(uow, order_id, **values)
    else:
        move_order(uow, order_id, OrderStatus.OPEN, target, via=via, **values)


# ---- orders ----------------------------------------------------------------------------


def update_order(uow: UnitOfWork, order_id: int, **values: Any) -> None:
    """Change an order's columns other than its status (`move_order` changes that)."""
    if "status" in values:
        raise ValueError("an order's status changes through move_order")
    _update_order(uow.conn, order_id, values)


def move_order(
    uow: UnitOfWork,
    order_id: int,
    current: str,
    target: OrderStatus,
    *,
    via: Sequence[OrderStatus] = (),
    **values: Any,
) -> None:
    """The order goes from `current` to `target`, through the statuses `via` in one write,
    with other columns changing alongside; InvalidTransitionError, and nothing written,
    unless the order's state machine allows every step."""
    steps = [OrderStatus(current), *via, target]
    for before, after in pairwise(steps):
        check_transition(before, after)
    _update_order(uow.conn, order_id, {**values, "status": target.value})


def _update_order(conn: Connection, order_id: int, values: Mapping[str, Any]) -> None:
    conn.execute(update(orders).where(orders.c.id == order_id).values(**values))


def set_paid(uow: UnitOfWork, order_id: int, paid_cents: int) -> None:
    """What has been paid so far on an order still awaiting the rest."""
    _update_order(uow.conn, order_id, {"paid_cents": paid_cents})


def set_edition_numbers(uow: UnitOfWork, line_id: int, label: str | None) -> None:
    uow.conn.execute(update(lines).where(lines.c.id == line_id).values(edition_numbers=label))


def delete_lines(uow: UnitOfWork, order_id: int) -> None:
    """Only for an order that was never placed (a parked cart being replaced)."""
    conn = uow.conn
    conn.execute(delete(lines).where(lines.c.order_id == order_id))


def add_refunded_quantity(uow: UnitOfWork, line_id: int, qty: int) -> None:
    uow.conn.execute(
        update(lines)
        .where(lines.c.id == line_id)
        .values(refunded_quantity=lines.c.refunded_quantity + qty)
    )


_ORDER = select(*columns(orders, OrderRecord))
_LINE = select(*columns(lines, LineRecord))
_PAYMENT = select(*columns(payments, PaymentRecord))


def lock_order(uow: UnitOfWork, order_id: int) -> OrderRecord | None:
    """The whole order, locked on PostgreSQL until the transaction ends."""
    conn = uow.conn
    row = conn.execute(_ORDER.where(orders.c.id == order_id).with_for_update()).first()
    return one_of(OrderRecord, row)


def order_by_ref(uow: UnitOfWork, ref: int | str) -> OrderRecord | None:
    """By id, or by number in any case (the newest event's, if numbers repeat)."""
    conn = uow.conn
    where = (
        orders.c.id == ref
        if isinstance(ref, int)
        else func.upper(orders.c.number) == ref.strip().upper()
    )
    return one_of(
        OrderRecord, conn.execute(_ORDER.where(where).order_by(orders.c.id.desc())).first()
    )


def lines_of(uow: UnitOfWork, order_id: int) -> list[LineRecord]:
    conn = uow.conn
    return all_of(
        LineRecord, conn.execute(_LINE.where(lines.c.order_id == order_id).order_by(lines.c.id))
    )


class OrderSummary(NamedTuple):
    """An order as a list of orders shows it."""

    id: int
    number: str
    status: str
    total_cents: int


def orders_in(uow: UnitOfWork, event_id: int, statuses: Sequence[str]) -> list[OrderSummary]:
    conn = uow.conn
    stmt = select(*columns(orders, OrderSummary)).where(orders.c.event_id == event_id)
    if statuses:
        stmt = stmt.where(orders.c.status.in_(statuses))
    return all_of(OrderSummary, conn.execute(stmt.order_by(orders.c.id)))


def expired_orders(uow: UnitOfWork, now: datetime) -> list[int]:
    """Awaiting-payment orders past their hold, with no payment still being checked."""
    conn = uow.conn
    pending = select(payments.c.order_id).where(payments.c.status == "pending")
    return list(
        conn.execute(
            select(orders.c.id).where(
                orders.c.status == "awaiting_payment",
                orders.c.reserved_until < now,
                orders.c.id.not_in(pending),
            )
        ).scalars()
    )


# ---- payments and refunds ----------------------------------------------------------------


def insert_payment(uow: UnitOfWork, pay: NewPayment, request: dict[str, Any]) -> int:
    """A payment that settles later, with the exact request sent for it; its id."""
    conn = uow.conn
    values = {**pay._asdict(), "request": request}
    return int(conn.execute(insert(payments).returning(payments.c.id), values).scalar_one())


def payment(uow: UnitOfWork, payment_id: int) -> PaymentRecord | None:
    conn = uow.conn
    return one_of(PaymentRecord, conn.execute(_PAYMENT.where(payments.c.id == payment_id)).first())


def _update_payment(uow: UnitOfWork, payment_id: int, **values: Any) -> None:
    uow.conn.execute(update(payments).where(payments.c.id == payment_id).values(**values))


def note_provider_id(uow: UnitOfWork, payment_id: int, provider_id: str, at: datetime) -> None:
    _update_payment(uow, payment_id, provider_id=provider_id, updated_at=at)


def payment_succeeded(
    uow: UnitOfWork,
    payment_id: int,
    at: datetime,
    *,
    provider_id: str | None,
    fee_cents: int | None,
    reference: str | None,
) -> None:
    _update_payment(
        uow,
        payment_id,
        status="succeeded",
        updated_at=at,
        provider_id=provider_id,
        fee_cents=fee_cents,
        reference=reference,
    )


def payment_ended(uow: UnitOfWork, payment_id: int, status: str, at: datetime) -> None:
    """A pending payment that will not arrive: `failed` or `cancelled`."""
    _update_payment(uow, payment_id, status=status, updated_at=at)


def pending_total(uow: UnitOfWork, order_id: int) -> int:
    """What pending payments on the order would add if they all arrived."""
    conn = uow.conn
    return int(
        conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_cents), 0)).where(
                payments.c.order_id == order_id, payments.c.status == "pending"
            )
        ).scalar_one()
    )


def payments_of(
    uow: UnitOfWork, order_id: int, *, status: str | None = None, newest_first: bool = False
) -> list[PaymentRecord]:
    conn = uow.conn
    stmt = _PAYMENT.where(payments.c.order_id == order_id)
    if status:
        stmt = stmt.where(payments.c.status == status)
    order = payments.c.id.desc() if newest_first else payments.c.id
    return all_of(PaymentRecord, conn.execute(stmt.order_by(order)))


def insert_refund(uow: UnitOfWork, refund: NewRefund) -> int:
    """One refund row; the payment it came from (if any) records the amount as refunded."""
    conn = uow.conn
    stmt = insert(refunds).returning(refunds.c.id)
    refund_id = int(conn.execute(stmt, refund._asdict()).scalar_one())
    if refund.payment_id is not None:
        conn.execute(
            update(payments)
            .where(payments.c.id == refund.payment_id)
            .values(
                refunded_cents=payments.c.refunded_cents + refund.amount_cents,
                updated_at=refund.created_at,
            )
        )
    return refund_id


def insert_refund_lines(uow: UnitOfWork, rows: Sequence[NewRefundLine]) -> None:
    conn = uow.conn
    if rows:
        conn.execute(insert(refund_lines), [r._asdict() for r in rows])


# ---- bundles and editions --------------------------------------------------------------


class BundlePart(NamedTuple):
    variant_id: int
    per_unit: int


def bundle_parts(uow: UnitOfWork, bundle_id: int) -> list[BundlePart]:
    """The bundle's component variants, with the units of each per bundle."""
    conn = uow.conn
    rows = conn.execute(
        select(bundles.c.component_id, bundles.c.quantity).where(bundles.c.bundle_id == bundle_id)
    )
    return [BundlePart(int(cid), int(q)) for cid, q in rows]


@dataclass(frozen=True, slots=True)
class EditionPart:
    """A limited edition whose numbers a line carries: `per_unit` numbers per unit sold."""

    variant_id: int
    sku: str
    per_unit: int


def edition_parts(uow: UnitOfWork, variant_ids: Iterable[int]) -> dict[int, list[EditionPart]]:
    """For each variant, the editions one unit of it is numbered in, in numbering order:
    the variant itself if it is limited, then its limited bundle parts."""
    conn = uow.conn
    ids = sorted(set(variant_ids))
    out: dict[int, list[EditionPart]] = {vid: [] for vid in ids}
    own = select(variants.c.id, variants.c.sku).where(
        variants.c.id.in_(ids), variants.c.edition_size.is_not(None)
    )
    for vid, sku in conn.execute(own):
        out[vid].append(EditionPart(vid, sku, 1))
    part = variants.alias("part")
    parts = (
        select(bundles.c.bundle_id, part.c.id, part.c.sku, bundles.c.quantity)
        .join_from(bundles, part, part.c.id == bundles.c.component_id)
        .where(bundles.c.bundle_id.in_(ids), part.c.edition_size.is_not(None))
        .order_by(bundles.c.id)
    )
    for bundle_id, vid, sku, per_unit in conn.execute(parts):
        out[bundle_id].append(EditionPart(vid, sku, per_unit))
    return out


def take_returned_edition(uow: UnitOfWork, variant_id: int) -> int | None:
    """Claim the lowest number a refund gave back; deleting the row is the claim, so two
    registers never share one."""
    conn = uow.conn
    pick = (
        select(edition_returns.c.id)
        .where(edition_returns.c.variant_id == variant_id)
        .order_by(edition_returns.c.number)
        .limit(1)
        .scalar_subquery()
    )
    got = conn.execute(
        delete(edition_returns)
        .where(edition_returns.c.id == pick)
        .returning(edition_returns.c.number)
    ).scalar()
    return None if got is None else int(got)


def advance_edition(uow: UnitOfWork, variant_id: int, n: int) -> int | None:
    """Claim the next n new numbers; returns the counter after them, None if the edition
    has fewer than n left."""
    conn = uow.conn
    last = conn.execute(
        update(variants)
        .where(
            variants.c.id == variant_id,
            variants.c.next_edition + n <= variants.c.edition_size + 1,
        )
        .values(next_edition=variants.c.next_edition + n)
        .returning(variants.c.next_edition)
    ).scalar()
    return None if last is None else int(last)


def return_editions(uow: UnitOfWork, variant_id: int, numbers: Iterable[int]) -> None:
    conn = uow.conn
    rows = [{"variant_id": variant_id, "number": n} for n in numbers]
    if rows:
        conn.execute(insert(edition_returns), rows)
