"""End-of-night aggregates and export streams: each one GROUP BY or one ordered pass in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.types import Float

from popup_pos.store.models import (
    AnyRow,
    Category,
    EditionReturn,
    Order,
    OrderLine,
    Owner,
    Payment,
    Product,
    Refund,
    Register,
    Staff,
    StockMovement,
    Ticket,
    Variant,
    table_of,
)

SOLD = ("paid", "fulfilled", "partially_refunded", "refunded")
# Sold and not refunded in full: what profit, micro-gig revenue and repeat customers count.
KEPT = ("paid", "fulfilled", "partially_refunded")
UNPAID = ("open", "awaiting_payment")
STRIPE = ("stripe_qr", "stripe_card")
# A ticket counts in the queue's figures once it is paid for and until it is cancelled.
QUEUED = ("waiting", "called", "done", "no_show")

orders, lines, payments, refunds = (
    table_of(Order),
    table_of(OrderLine),
    table_of(Payment),
    table_of(Refund),
)
variants, products, categories, owners = (
    table_of(Variant),
    table_of(Product),
    table_of(Category),
    table_of(Owner),
)
registers, staff, movements, tickets = (
    table_of(Register),
    table_of(Staff),
    table_of(StockMovement),
    table_of(Ticket),
)
edition_returns = table_of(EditionReturn)

STREAM_BATCH = 5_000

# A Stripe refund waiting to be sent is owed already; only a refused one does not count.
REFUND_COUNTED = ("succeeded", "pending")


def _sold(event_id: int) -> ColumnElement[bool]:
    return and_(orders.c.event_id == event_id, orders.c.status.in_(SOLD))


def _seconds(conn: Connection, later: Any, earlier: Any) -> ColumnElement[Any]:
    """later - earlier in seconds, as a float, on either database."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(func.extract("epoch", later - earlier), Float)


def _hour_label(conn: Connection, at: Any, offset_minutes: int) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' of a stored UTC time moved by the venue's UTC offset."""
    if conn.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H", at, f"{offset_minutes:+d} minutes")
    shifted = at + literal_column(f"interval '{int(offset_minutes)} minutes'")
    return func.to_char(shifted, "YYYY-MM-DD HH24")


# ---- totals ---------------------------------------------------------------------------


def orders_by_status(conn: Connection, event_id: int) -> list[AnyRow]:
    """Per status: orders, subtotal, discount, tax, tip, total, paid, refunded."""
    return list(
        conn.execute(
            select(
                orders.c.status,
                func.count(),
                func.coalesce(func.sum(orders.c.subtotal_cents), 0),
                func.coalesce(func.sum(orders.c.discount_cents), 0),
                func.coalesce(func.sum(orders.c.tax_cents), 0),
                func.coalesce(func.sum(orders.c.tip_cents), 0),
                func.coalesce(func.sum(orders.c.total_cents), 0),
                func.coalesce(func.sum(orders.c.paid_cents), 0),
                func.coalesce(func.sum(orders.c.refunded_cents), 0),
            )
            .where(orders.c.event_id == event_id)
            .group_by(orders.c.status)
        )
    )


def line_groups(conn: Connection, event_id: int) -> list[AnyRow]:
    """Sold lines grouped by variant (custom lines by name), owner, kind and tax mode.

    Columns: variant_id, custom_name, owner_id, kind, tax_inclusive, units, refunded_units,
    gross, discounts, tax, total, refunds, refund_tax, refunded_order, cost, unknown_cost_units.
    A line's refunds are the value of its refunded units: total x refunded / quantity, rounded
    half up per line. refunded_order is 1 for lines of orders refunded in full; cost is
    cost x units kept for lines with a known cost, unknown_cost_units the units kept of
    lines without one.
    """
    q, rq = lines.c.quantity, lines.c.refunded_quantity
    refund_value = case(
        (rq > 0, (lines.c.total_cents * rq * 2 + q) // (q * 2)),
        else_=0,
    )
    refund_tax = case((rq > 0, (lines.c.tax_cents * rq * 2 + q) // (q * 2)), else_=0)
    custom = case((lines.c.variant_id.is_(None), lines.c.name), else_=None)
    # Literals, not bound parameters: PostgreSQL matches the GROUP BY expression to the
    # selected one by its text, and two parameters never match.
    refunded_order = case(
        (orders.c.status == literal_column("'refunded'"), literal_column("1")),
        else_=literal_column("0"),
    )
    known = lines.c.cost_cents.is_not(None)
    stmt = (
        select(
            lines.c.variant_id,
            custom.label("custom_name"),
            lines.c.owner_id,
            lines.c.kind,
            lines.c.tax_inclusive,
            func.sum(q),
            func.sum(rq),
            func.sum(lines.c.unit_price_cents * q),
            func.sum(lines.c.line_discount_cents + lines.c.order_discount_cents),
            func.sum(lines.c.tax_cents),
            func.sum(lines.c.total_cents),
            func.sum(refund_value),
            func.sum(refund_tax),
            refunded_order.label("refunded_order"),
            func.sum(case((known, lines.c.cost_cents * (q - rq)), else_=0)).label("cost"),
            func.sum(case((known, 0), else_=q - rq)).label("unknown_cost_units"),
        )
        .select_from(lines.join(orders, orders.c.id == lines.c.order_id))
        .where(_sold(event_id))
        .group_by(
            lines.c.variant_id,
            custom,
            lines.c.owner_id,
            lines.c.kind,
            lines.c.tax_inclusive,
            refunded_order,
        )
    )
    return list(conn.execute(stmt))


def tender_rows(conn: Connection, event_id: int) -> tuple[list[AnyRow], list[AnyRow]]:
    """(tender, status, payments, amount, fees) and (tender, refunded) over every order."""
    pay = conn.execute(
        select(
            payments.c.tender,
            payments.c.status,
            func.count(),
            func.coalesce(func.sum(payments.c.amount_cents), 0),
            func.coalesce(func.sum(payments.c.fee_cents), 0),
        )
        .select_from(payments.join(orders, orders.c.id == payments.c.order_id))
        .where(orders.c.event_id == event_id)
        .group_by(payments.c.tender, payments.c.status)
    )
    back = conn.execute(
        select(refunds.c.tender, func.coalesce(func.sum(refunds.c.amount_cents), 0))
        .select_from(refunds.join(orders, orders.c.id == refunds.c.order_id))
        .where(orders.c.event_id == event_id, refunds.c.status.in_(REFUND_COUNTED))
        .group_by(refunds.c.tender)
    )
    return list(pay), list(back)


def fee_lines(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """(order_id, fee, variant_id, custom_name, total) of every line of each kept order
    with Stripe fees, by order then line, for sharing each order's fees over its lines."""
    fees = (
        select(payments.c.order_id, func.sum(payments.c.fee_cents).label("fee"))
        .select_from(payments.join(orders, orders.c.id == payments.c.order_id))
        .where(
            orders.c.event_id == event_id,
            orders.c.status.in_(KEPT),
            payments.c.tender.in_(STRIPE),
            payments.c.status == "succeeded",
            payments.c.fee_cents > 0,
        )
        .group_by(payments.c.order_id)
        .subquery("fees")
    )
    custom = case((lines.c.variant_id.is_(None), lines.c.name), else_=None)
    stmt = (
        select(fees.c.order_id, fees.c.fee, lines.c.variant_id, custom, lines.c.total_cents)
        .select_from(fees.join(lines, lines.c.order_id == fees.c.order_id))
        .order_by(fees.c.order_id, lines.c.id)
    )
    return _stream(conn, stmt)


def customer_counts(conn: Connection, event_id: int) -> tuple[int, int, int, int]:
    """(orders, orders with a customer handle, distinct customers, customers with two or
    more orders) over the event's kept orders; the hashes themselves never leave SQL."""
    kept = and_(orders.c.event_id == event_id, orders.c.status.in_(KEPT))
    per = (
        select(func.count().label("n"))
        .where(kept, orders.c.customer_hash.is_not(None))
        .group_by(orders.c.customer_hash)
        .subquery("per_customer")
    )
    people = select(
        func.count(), func.coalesce(func.sum(case((per.c.n >= 2, 1), else_=0)), 0)
    ).select_from(per)
    n, handled = conn.execute(
        select(func.count(), func.count(orders.c.customer_hash)).where(kept)
    ).one()
    identified, repeat = conn.execute(people).one()
    return int(n), int(handled), int(identified), int(repeat)


def hour_rows(conn: Connection, event_id: int, offset_minutes: int) -> list[AnyRow]:
    """('YYYY-MM-DD HH' in venue time, orders, total) of sold orders by the hour they were paid."""
    hour = _hour_label(conn, orders.c.paid_at, offset_minutes)
    return list(
        conn.execute(
            select(hour, func.count(), func.sum(orders.c.total_cents))
            .where(_sold(event_id), orders.c.paid_at.is_not(None))
            .group_by(hour)
            .order_by(hour)
        )
    )


def register_rows(conn: Connection, event_id: int) -> list[AnyRow]:
    """(register code, orders, total, refunded) of sold orders."""
    return list(
        conn.execute(
            select(
                registers.c.code,
                func.count(),
                func.sum(orders.c.total_cents),
                func.sum(orders.c.refunded_cents),
            )
            .select_from(orders.join(registers, registers.c.id == orders.c.register_id))
            .where(_sold(event_id))
            .group_by(registers.c.code)
            .order_by(registers.c.code)
        )
    )


def staff_rows(conn: Connection, event_id: int) -> list[AnyRow]:
    """(staff name or None, orders, total, refunded) of sold orders."""
    return list(
        conn.execute(
            select(
                staff.c.name,
                func.count(),
                func.sum(orders.c.total_cents),
                func.sum(orders.c.refunded_cents),
            )
            .select_from(orders.outerjoin(staff, staff.c.id == orders.c.staff_id))
            .where(_sold(event_id))
            .group_by(staff.c.name)
        )
    )


def pay_time(
    conn: Connection, event_id: int
) -> tuple[int, float | None, float | None, float | None]:
    """(orders, average, median, max) seconds from an order's start to its payment."""
    took = _seconds(conn, orders.c.paid_at, orders.c.created_at)
    where = and_(_sold(event_id), orders.c.paid_at.is_not(None))
    n, avg, top = conn.execute(
        select(func.count(), func.avg(took), func.max(took)).where(where)
    ).one()
    if not n:
        return 0, None, None, None
    # The median is the middle of the sorted times: one indexed-free sort, no rows fetched.
    mid = conn.execute(select(took).where(where).order_by(took).offset((n - 1) // 2).limit(1))
    median = mid.scalar()
    return int(n), _float(avg), _float(median), _float(top)


def _float(value: Any) -> float | None:
    return None if value is None else max(float(value), 0.0)


def ticket_rows(conn: Connection, event_id: int) -> list[AnyRow]:
    """(status, tickets, average seconds to called, average seconds to done)."""
    return list(
        conn.execute(
            select(
                tickets.c.status,
                func.count(),
                func.avg(_seconds(conn, tickets.c.called_at, tickets.c.created_at)),
                func.avg(_seconds(conn, tickets.c.done_at, tickets.c.created_at)),
            )
            .where(tickets.c.event_id == event_id)
            .group_by(tickets.c.status)
        )
    )


def gig_ticket_rows(conn: Connection, event_id: int) -> list[AnyRow]:
    """(variant_id, status, tickets, fulfil_s, fulfilled, wait_s, waited) of queued tickets:
    fulfil_s sums done_at - called_at over the `fulfilled` tickets with both times, wait_s
    sums called_at - created_at over the `waited` ones that were called."""
    fulfil = _seconds(conn, tickets.c.done_at, tickets.c.called_at)
    wait = _seconds(conn, tickets.c.called_at, tickets.c.created_at)
    return list(
        conn.execute(
            select(
                tickets.c.variant_id,
                tickets.c.status,
                func.count(),
                func.sum(fulfil),
                func.count(fulfil),
                func.sum(wait),
                func.count(wait),
            )
            .where(tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED))
            .group_by(tickets.c.variant_id, tickets.c.status)
        )
    )


def gig_times(conn: Connection, event_id: int) -> list[AnyRow]:
    """(variant_id, status, wait_s, fulfil_s) of each queued ticket that was called, for
    percentiles; fulfil_s is None unless it is done."""
    fulfil = case(
        (tickets.c.status == "done", _seconds(conn, tickets.c.done_at, tickets.c.called_at)),
        else_=None,
    )
    return list(
        conn.execute(
            select(
                tickets.c.variant_id,
                tickets.c.status,
                _seconds(conn, tickets.c.called_at, tickets.c.created_at),
                fulfil,
            ).where(
                tickets.c.event_id == event_id,
                tickets.c.status.in_(("called", "done", "no_show")),
                tickets.c.called_at.is_not(None),
            )
        )
    )


# ---- catalog facts the aggregates are labelled with --------------------------------------


def variant_facts(conn: Connection, ids: Iterable[int]) -> dict[int, AnyRow]:
    """id -> (id, sku, options, product_id, product, kind, category, owner, owner_share_ppm,
    edition_size, next_edition, on_hand, track_stock, returned, time_minutes)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    returned = (
        select(edition_returns.c.variant_id, func.count().label("n"))
        .group_by(edition_returns.c.variant_id)
        .subquery()
    )
    stmt = (
        select(
            variants.c.id,
            variants.c.sku,
            variants.c.options,
            products.c.id.label("product_id"),
            products.c.name.label("product"),
            products.c.kind,
            categories.c.name.label("category"),
            owners.c.name.label("owner"),
            products.c.owner_share_ppm,
            variants.c.edition_size,
            variants.c.next_edition,
            variants.c.on_hand,
            variants.c.track_stock,
            func.coalesce(returned.c.n, 0).label("returned"),
            products.c.time_minutes,
        )
        .select_from(
            variants.join(products, products.c.id == variants.c.product_id)
            .outerjoin(categories, categories.c.id == products.c.category_id)
            .outerjoin(owners, owners.c.id == products.c.owner_id)
            .outerjoin(returned, returned.c.variant_id == variants.c.id)
        )
        .where(variants.c.id.in_(wanted))
    )
    return {r.id: r for r in conn.execute(stmt)}


def edition_ids(conn: Connection) -> list[int]:
    return list(
        conn.execute(select(variants.c.id).where(variants.c.edition_size.is_not(None))).scalars()
    )


def owner_names(conn: Connection) -> dict[int, str]:
    return {int(i): n for i, n in conn.execute(select(owners.c.id, owners.c.name))}


# ---- stock over the event ---------------------------------------------------------------


def stock_buckets(
    conn: Connection, event_id: int, opened_at: datetime, end: datetime | None
) -> list[AnyRow]:
    """(variant_id, bucket, units) of the ledger around the event.

    The bucket is "opening" for movements before the event opened, else the movement's
    kind, for movements of this event or of no event while it was open (a catalog import
    mid-evening). Movements of later events are left out.
    """
    during: ColumnElement[bool] = movements.c.created_at >= opened_at
    if end is not None:
        during = and_(during, movements.c.created_at <= end)
    before = and_(
        movements.c.created_at < opened_at,
        or_(movements.c.event_id.is_(None), movements.c.event_id != event_id),
    )
    mine: ColumnElement[bool] = or_(
        movements.c.event_id == event_id, and_(movements.c.event_id.is_(None), during)
    )
    if end is not None:
        # A closed event's stock stays as it was counted, whatever happens to it later.
        mine = and_(mine, movements.c.created_at <= end)
    bucket = case((before, "opening"), else_=movements.c.kind)
    return list(
        conn.execute(
            select(movements.c.variant_id, bucket, func.sum(movements.c.quantity))
            .where(or_(before, mine))
            .group_by(movements.c.variant_id, bucket)
        )
    )


def sold_out_rows(
    conn: Connection, variant_ids: Iterable[int], end: datetime | None
) -> list[AnyRow]:
    """(variant_id, kind, created_at, paid_at) of the movement after which each variant's
    stock stayed at zero up to `end`; variants with stock left at `end` are left out.

    A running sum over the ledger finds the last movement that left stock above zero;
    the one right after it is when the variant sold out for good.
    """
    wanted = sorted(set(variant_ids))
    if not wanted:
        return []
    scope: ColumnElement[bool] = movements.c.variant_id.in_(wanted)
    if end is not None:
        scope = and_(scope, movements.c.created_at <= end)
    running = (
        select(
            movements.c.variant_id,
            movements.c.id,
            func.sum(movements.c.quantity)
            .over(partition_by=movements.c.variant_id, order_by=movements.c.id)
            .label("balance"),
        )
        .where(scope)
        .cte("running")
    )
    last_stocked = (
        select(
            running.c.variant_id,
            func.coalesce(func.max(case((running.c.balance != 0, running.c.id))), 0).label(
                "last_id"
            ),
        )
        .group_by(running.c.variant_id)
        .cte("last_stocked")
    )
    first_empty = (
        select(running.c.variant_id, func.min(running.c.id).label("id"))
        .select_from(running.join(last_stocked, last_stocked.c.variant_id == running.c.variant_id))
        .where(running.c.id > last_stocked.c.last_id)
        .group_by(running.c.variant_id)
        .cte("first_empty")
    )
    stmt = select(
        movements.c.variant_id, movements.c.kind, movements.c.created_at, orders.c.paid_at
    ).select_from(
        first_empty.join(movements, movements.c.id == first_empty.c.id).outerjoin(
            orders, orders.c.id == movements.c.order_id
        )
    )
    return list(conn.execute(stmt))


# ---- export streams ------------------------------------------------------------------------


def stream_counts(conn: Connection, event_id: int, names: Iterable[str]) -> dict[str, int]:
    """How many rows each named export stream (orders, lines, payments, refunds, tickets)
    will give."""
    of_event = orders.c.event_id == event_id

    def joined(table: Any, *where: Any) -> Any:
        return (
            select(func.count())
            .select_from(table.join(orders, orders.c.id == table.c.order_id))
            .where(of_event, *where)
        )

    queries = {
        "orders": select(func.count()).where(of_event),
        "lines": joined(lines),
        "payments": joined(payments),
        "refunds": joined(refunds, refunds.c.status.in_(REFUND_COUNTED)),
        "tickets": select(func.count()).where(
            tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED)
        ),
    }
    return {n: int(conn.execute(queries[n]).scalar_one()) for n in names if n in queries}


def _stream(conn: Connection, stmt: Any) -> Iterator[AnyRow]:
    # Batches from a server-side cursor on PostgreSQL; never the whole event in memory.
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    yield from result


def order_stream(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """number, status, created_at, paid_at, register, staff, subtotal, discount, tax, tip,
    total, currency of every order, in order."""
    stmt = (
        select(
            orders.c.number,
            orders.c.status,
            orders.c.created_at,
            orders.c.paid_at,
            registers.c.code,
            staff.c.name,
            orders.c.subtotal_cents,
            orders.c.discount_cents,
            orders.c.tax_cents,
            orders.c.tip_cents,
            orders.c.total_cents,
            orders.c.currency,
        )
        .select_from(
            orders.join(registers, registers.c.id == orders.c.register_id).outerjoin(
                staff, staff.c.id == orders.c.staff_id
            )
        )
        .where(orders.c.event_id == event_id)
        .order_by(orders.c.id)
    )
    return _stream(conn, stmt)


def line_stream(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """number, sku, line name, product name, quantity, unit price, discount, total,
    edition numbers, owner, order status of every line, in order."""
    stmt = (
        select(
            orders.c.number,
            lines.c.sku,
            lines.c.name,
            products.c.name,
            lines.c.quantity,
            lines.c.unit_price_cents,
            lines.c.line_discount_cents + lines.c.order_discount_cents,
            lines.c.total_cents,
            lines.c.edition_numbers,
            owners.c.name,
            orders.c.status,
        )
        .select_from(
            lines.join(orders, orders.c.id == lines.c.order_id)
            .outerjoin(variants, variants.c.id == lines.c.variant_id)
            .outerjoin(products, products.c.id == variants.c.product_id)
            .outerjoin(owners, owners.c.id == lines.c.owner_id)
        )
        .where(orders.c.event_id == event_id)
        .order_by(lines.c.id)
    )
    return _stream(conn, stmt)


def payment_stream(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """number, tender, amount, fee, status, reference of every payment, in order."""
    stmt = (
        select(
            orders.c.number,
            payments.c.tender,
            payments.c.amount_cents,
            payments.c.fee_cents,
            payments.c.status,
            payments.c.reference,
        )
        .select_from(payments.join(orders, orders.c.id == payments.c.order_id))
        .where(orders.c.event_id == event_id)
        .order_by(payments.c.id)
    )
    return _stream(conn, stmt)


def refund_stream(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """number, amount, tender, created_at of every refund that went through, in order."""
    stmt = (
        select(orders.c.number, refunds.c.amount_cents, refunds.c.tender, refunds.c.created_at)
        .select_from(refunds.join(orders, orders.c.id == refunds.c.order_id))
        .where(orders.c.event_id == event_id, refunds.c.status.in_(REFUND_COUNTED))
        .order_by(refunds.c.id)
    )
    return _stream(conn, stmt)


def ticket_stream(conn: Connection, event_id: int) -> Iterator[AnyRow]:
    """number, sku, personalisation, status, created_at, called_at, done_at, slot_at of every
    ticket paid for and not cancelled, in order."""
    stmt = (
        select(
            orders.c.number,
            lines.c.sku,
            tickets.c.personalisation,
            tickets.c.status,
            tickets.c.created_at,
            tickets.c.called_at,
            tickets.c.done_at,
            tickets.c.slot_at,
        )
        .select_from(
            tickets.join(lines, lines.c.id == tickets.c.order_line_id).join(
                orders, orders.c.id == lines.c.order_id
            )
        )
        .where(tickets.c.event_id == event_id, tickets.c.status.in_(QUEUED))
        .order_by(tickets.c.id)
    )
    return _stream(conn, stmt)
