"""End-of-night aggregates: totals, tenders, fees, customers, hours, sellers, queues."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, case, func, literal_column, select

from popup_pos.store.reports.common import (
    KEPT,
    QUEUED,
    REFUND_COUNTED,
    STRIPE,
    as_seconds,
    hour_label,
    lines,
    orders,
    payments,
    refunds,
    registers,
    seconds,
    sold,
    staff,
    stream,
    tickets,
    typed,
)
from popup_pos.store.reports.records import (
    CustomerCounts,
    ExperienceTickets,
    ExperienceTime,
    FeeLine,
    HourTotal,
    LineGroup,
    PayTimes,
    SellerTotal,
    StatusTotals,
    TenderRefund,
    TenderTotal,
    TicketStatus,
)
from popup_pos.store.uow import UnitOfWork

# ---- totals ---------------------------------------------------------------------------


def orders_by_status(uow: UnitOfWork, event_id: int) -> list[StatusTotals]:
    """Per status: orders, subtotal, discount, tax, tip, total, paid, refunded."""
    conn = uow.conn
    return typed(
        StatusTotals,
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
        ),
    )


def line_groups(uow: UnitOfWork, event_id: int) -> list[LineGroup]:
    """Sold lines grouped by variant (custom lines by name), owner, kind and tax mode.

    Columns: variant_id, custom_name, owner_id, kind, tax_inclusive, units, refunded_units,
    gross, discounts, tax, total, refunds, refund_tax, refunded_order, cost, unknown_cost_units.
    A line's refunds are the value of its refunded units: total x refunded / quantity, rounded
    half up per line. refunded_order is 1 for lines of orders refunded in full; cost is
    cost x units kept for lines with a known cost, unknown_cost_units the units kept of
    lines without one.
    """
    conn = uow.conn
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
        .where(sold(event_id))
        .group_by(
            lines.c.variant_id,
            custom,
            lines.c.owner_id,
            lines.c.kind,
            lines.c.tax_inclusive,
            refunded_order,
        )
    )
    return typed(LineGroup, conn.execute(stmt))


def tender_rows(uow: UnitOfWork, event_id: int) -> tuple[list[TenderTotal], list[TenderRefund]]:
    """(tender, status, payments, amount, fees) and (tender, refunded) over every order."""
    conn = uow.conn
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
    return typed(TenderTotal, pay), typed(TenderRefund, back)


def fee_lines(uow: UnitOfWork, event_id: int) -> Iterator[FeeLine]:
    """(order_id, fee, variant_id, custom_name, total) of every line of each kept order
    with Stripe fees, by order then line, for sharing each order's fees over its lines."""
    conn = uow.conn
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
    return (FeeLine(*r) for r in stream(conn, stmt))


def customer_counts(uow: UnitOfWork, event_id: int) -> CustomerCounts:
    """(orders, orders with a customer handle, distinct customers, customers with two or
    more orders) over the event's kept orders; the hashes themselves never leave SQL."""
    conn = uow.conn
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
    return CustomerCounts(int(n), int(handled), int(identified), int(repeat))


def hour_rows(uow: UnitOfWork, event_id: int, offset_minutes: int) -> list[HourTotal]:
    """('YYYY-MM-DD HH' in venue time, orders, total) of sold orders by the hour they were paid."""
    conn = uow.conn
    hour = hour_label(conn, orders.c.paid_at, offset_minutes)
    return typed(
        HourTotal,
        conn.execute(
            select(hour, func.count(), func.sum(orders.c.total_cents))
            .where(sold(event_id), orders.c.paid_at.is_not(None))
            .group_by(hour)
            .order_by(hour)
        ),
    )


def register_rows(uow: UnitOfWork, event_id: int) -> list[SellerTotal]:
    """(register code, orders, total, refunded) of sold orders."""
    conn = uow.conn
    return typed(
        SellerTotal,
        conn.execute(
            select(
                registers.c.code,
                func.count(),
                func.sum(orders.c.total_cents),
                func.sum(orders.c.refunded_cents),
            )
            .select_from(orders.join(registers, registers.c.id == orders.c.register_id))
            .where(sold(event_id))
            .group_by(registers.c.code)
            .order_by(registers.c.code)
        ),
    )


def staff_rows(uow: UnitOfWork, event_id: int) -> list[SellerTotal]:
    """(staff name or None, orders, total, refunded) of sold orders."""
    conn = uow.conn
    return typed(
        SellerTotal,
        conn.execute(
            select(
                staff.c.name,
                func.count(),
                func.sum(orders.c.total_cents),
                func.sum(orders.c.refunded_cents),
            )
            .select_from(orders.outerjoin(staff, staff.c.id == orders.c.staff_id))
            .where(sold(event_id))
            .group_by(staff.c.name)
        ),
    )


def pay_time(uow: UnitOfWork, event_id: int) -> PayTimes:
    """(orders, average, median, max) seconds from an order's start to its payment."""
    conn = uow.conn
    took = seconds(conn, orders.c.paid_at, orders.c.created_at)
    where = and_(sold(event_id), orders.c.paid_at.is_not(None))
    n, avg, top = conn.execute(
        select(func.count(), func.avg(took), func.max(took)).where(where)
    ).one()
    if not n:
        return PayTimes(0, None, None, None)
    # The median is the middle of the sorted times: one indexed-free sort, no rows fetched.
    mid = conn.execute(select(took).where(where).order_by(took).offset((n - 1) // 2).limit(1))
    median = mid.scalar()
    return PayTimes(int(n), as_seconds(avg), as_seconds(median), as_seconds(top))


def ticket_rows(uow: UnitOfWork, event_id: int) -> list[TicketStatus]:
    """(status, tickets, average seconds to called, average seconds to done)."""
    conn = uow.conn
    return typed(
        TicketStatus,
        conn.execute(
            select(
                tickets.c.status,
                func.count(),
                func.avg(seconds(conn, tickets.c.called_at, tickets.c.created_at)),
                func.avg(seconds(conn, tickets.c.done_at, tickets.c.created_at)),
            )
            .where(tickets.c.event_id == event_id)
            .group_by(tickets.c.status)
        ),
    )


def experience_ticket_rows(uow: UnitOfWork, event_id: int) -> list[ExperienceTickets]:
    """(variant_id, status, tickets, fulfil_s, fulfilled, wait_s, waited) of queued tickets:
    fulfil_s sums done_at - called_at over the `fulfilled` tickets with both times, wait_s
    sums called_at - created_at over the `waited` ones that were called."""
    conn = uow.conn
    fulfil = seconds(conn, tickets.c.done_at, tickets.c.called_at)
    wait = seconds(conn, tickets.c.called_at, tickets.c.created_at)
    return typed(
        ExperienceTickets,
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
        ),
    )


def experience_time_rows(uow: UnitOfWork, event_id: int) -> list[ExperienceTime]:
    """(variant_id, status, wait_s, fulfil_s) of each queued ticket that was called, for
    percentiles; fulfil_s is None unless it is done."""
    conn = uow.conn
    fulfil = case(
        (tickets.c.status == "done", seconds(conn, tickets.c.done_at, tickets.c.called_at)),
        else_=None,
    )
    return typed(
        ExperienceTime,
        conn.execute(
            select(
                tickets.c.variant_id,
                tickets.c.status,
                seconds(conn, tickets.c.called_at, tickets.c.created_at),
                fulfil,
            ).where(
                tickets.c.event_id == event_id,
                tickets.c.status.in_(("called", "done", "no_show")),
                tickets.c.called_at.is_not(None),
            )
        ),
    )
