"""Statements for selling: orders, lines, payments, refunds and edition numbers, in Core.

A cash sale is one short transaction of these plain statements, so committing it costs
little more than the fsync; the ORM's flush machinery stays off the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from popup_pos.store.models import (
    AnyRow,
    BundleComponent,
    EditionReturn,
    Event,
    Order,
    OrderLine,
    Payment,
    Product,
    Refund,
    RefundLine,
    Register,
    TaxClass,
    Variant,
    table_of,
)

orders, lines, payments = table_of(Order), table_of(OrderLine), table_of(Payment)
variants, products, taxes = table_of(Variant), table_of(Product), table_of(TaxClass)
bundles, registers, events = table_of(BundleComponent), table_of(Register), table_of(Event)
refunds, refund_lines = table_of(Refund), table_of(RefundLine)
edition_returns = table_of(EditionReturn)

_EVENT_Q = select(
    events.c.id,
    events.c.currency,
    events.c.status,
    events.c.reservation_minutes,
    events.c.settings,
)
_VARIANT_Q = select(
    variants.c.id,
    variants.c.sku,
    variants.c.price_cents,
    variants.c.cost_cents,
    variants.c.per_order_limit,
    variants.c.edition_size,
    variants.c.track_stock,
    variants.c.options,
    variants.c.archived,
    products.c.name,
    products.c.kind,
    products.c.owner_id,
    taxes.c.name.label("tax_name"),
    taxes.c.rate_ppm,
    taxes.c.inclusive,
).select_from(variants.join(products).outerjoin(taxes))
_COMPONENT_Q = select(
    bundles.c.bundle_id,
    bundles.c.quantity,
    variants.c.id,
    variants.c.sku,
    variants.c.track_stock,
    variants.c.edition_size,
).select_from(bundles.join(variants, variants.c.id == bundles.c.component_id))
_insert_order = insert(orders).returning(orders.c.id)
_insert_lines = insert(lines)
_insert_payments = insert(payments)
_next_seq = (
    update(registers)
    .values(last_order_seq=registers.c.last_order_seq + 1)
    .returning(registers.c.last_order_seq, registers.c.code)
)


# ---- reads for pricing -------------------------------------------------------------------


def event_of_register(conn: Connection, register_id: int) -> AnyRow | None:
    """(id, currency, status, reservation_minutes, settings) of the register's event."""
    stmt = _EVENT_Q.join(registers, registers.c.event_id == events.c.id).where(
        registers.c.id == register_id
    )
    return conn.execute(stmt).first()


def open_event(conn: Connection) -> AnyRow | None:
    return conn.execute(_EVENT_Q.where(events.c.status == "open")).first()


def variants_for_sale(conn: Connection, skus: Iterable[str]) -> dict[str, AnyRow]:
    """Price, limits, stock flags, product and tax of each SKU, keyed by SKU."""
    return {r.sku: r for r in conn.execute(_VARIANT_Q.where(variants.c.sku.in_(list(skus))))}


def components_of(conn: Connection, bundle_ids: Iterable[int]) -> list[AnyRow]:
    """(bundle_id, quantity, id, sku, track_stock, edition_size) of each bundle component."""
    return list(conn.execute(_COMPONENT_Q.where(bundles.c.bundle_id.in_(list(bundle_ids)))))


# ---- orders ----------------------------------------------------------------------------


def next_order_number(conn: Connection, register_id: int) -> str:
    """The register's next number, like A-0042; the counter is bumped atomically."""
    seq, code = conn.execute(_next_seq.where(registers.c.id == register_id)).one()
    return f"{code}-{seq:04d}"


def insert_order(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(_insert_order, values).scalar_one())


def insert_lines(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(_insert_lines, rows)


def update_order(conn: Connection, order_id: int, **values: Any) -> None:
    conn.execute(update(orders).where(orders.c.id == order_id).values(**values))


def update_line(conn: Connection, line_id: int, **values: Any) -> None:
    conn.execute(update(lines).where(lines.c.id == line_id).values(**values))


def add_refunded_quantity(conn: Connection, line_id: int, qty: int) -> None:
    update_line(conn, line_id, refunded_quantity=lines.c.refunded_quantity + qty)


def lock_order(conn: Connection, order_id: int) -> AnyRow | None:
    """The whole order row, locked on PostgreSQL until the transaction ends."""
    return conn.execute(select(orders).where(orders.c.id == order_id).with_for_update()).first()


def order_by_ref(conn: Connection, ref: int | str) -> AnyRow | None:
    """By id, or by number in any case (the newest event's, if numbers repeat)."""
    where = (
        orders.c.id == ref
        if isinstance(ref, int)
        else func.upper(orders.c.number) == ref.strip().upper()
    )
    return conn.execute(select(orders).where(where).order_by(orders.c.id.desc())).first()


def lines_of(conn: Connection, order_id: int) -> list[AnyRow]:
    return list(
        conn.execute(select(lines).where(lines.c.order_id == order_id).order_by(lines.c.id))
    )


def orders_in(conn: Connection, event_id: int, statuses: Sequence[str]) -> list[AnyRow]:
    stmt = select(orders.c.id, orders.c.number, orders.c.status, orders.c.total_cents).where(
        orders.c.event_id == event_id
    )
    if statuses:
        stmt = stmt.where(orders.c.status.in_(statuses))
    return list(conn.execute(stmt.order_by(orders.c.id)))


def expired_orders(conn: Connection, now: datetime) -> list[int]:
    """Awaiting-payment orders past their hold, with no payment still being checked."""
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


def insert_payments(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(_insert_payments, rows)


def insert_payment(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(payments).returning(payments.c.id), values).scalar_one())


def payment(conn: Connection, payment_id: int) -> AnyRow | None:
    return conn.execute(select(payments).where(payments.c.id == payment_id)).first()


def update_payment(conn: Connection, payment_id: int, **values: Any) -> None:
    conn.execute(update(payments).where(payments.c.id == payment_id).values(**values))


def pending_total(conn: Connection, order_id: int) -> int:
    """What pending payments on the order would add if they all arrived."""
    return int(
        conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_cents), 0)).where(
                payments.c.order_id == order_id, payments.c.status == "pending"
            )
        ).scalar_one()
    )


def payments_of(
    conn: Connection, order_id: int, *, status: str | None = None, newest_first: bool = False
) -> list[AnyRow]:
    stmt = select(payments).where(payments.c.order_id == order_id)
    if status:
        stmt = stmt.where(payments.c.status == status)
    order = payments.c.id.desc() if newest_first else payments.c.id
    return list(conn.execute(stmt.order_by(order)))


def insert_refund(conn: Connection, values: dict[str, Any]) -> int:
    """One refund row; the payment it came from (if any) records the amount as refunded."""
    refund_id = int(conn.execute(insert(refunds).returning(refunds.c.id), values).scalar_one())
    if values.get("payment_id") is not None:
        conn.execute(
            update(payments)
            .where(payments.c.id == values["payment_id"])
            .values(
                refunded_cents=payments.c.refunded_cents + values["amount_cents"],
                updated_at=values["created_at"],
            )
        )
    return refund_id


def insert_refund_lines(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(refund_lines), rows)


# ---- bundles and editions --------------------------------------------------------------


def bundle_parts(conn: Connection, bundle_id: int) -> list[tuple[int, int]]:
    """(component variant id, units per bundle)."""
    rows = conn.execute(
        select(bundles.c.component_id, bundles.c.quantity).where(bundles.c.bundle_id == bundle_id)
    )
    return [(int(cid), int(q)) for cid, q in rows]


def numbered_variants(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """id -> SKU of those variants that are limited editions."""
    rows = conn.execute(
        select(variants.c.id, variants.c.sku).where(
            variants.c.id.in_(list(ids)), variants.c.edition_size.is_not(None)
        )
    )
    return {int(i): s for i, s in rows}


def numbered_components(conn: Connection, bundle_ids: Iterable[int]) -> list[AnyRow]:
    """(bundle_id, quantity, id, sku) of limited-edition components of those bundles."""
    return [r for r in components_of(conn, bundle_ids) if r.edition_size is not None]


def take_returned_edition(conn: Connection, variant_id: int) -> int | None:
    """Claim the lowest number a refund gave back; deleting the row is the claim, so two
    registers never share one."""
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


def advance_edition(conn: Connection, variant_id: int, n: int) -> int | None:
    """Claim the next n new numbers; returns the counter after them, None if the edition
    has fewer than n left."""
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


def return_editions(conn: Connection, variant_id: int, numbers: Iterable[int]) -> None:
    rows = [{"variant_id": variant_id, "number": n} for n in numbers]
    if rows:
        conn.execute(insert(edition_returns), rows)
