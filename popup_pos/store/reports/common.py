"""What the report's queries share: the statuses they count, the tables, time arithmetic."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    cast,
    func,
    literal_column,
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
# Sold and not refunded in full: what profit, experience revenue and repeat customers count.
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
T = TypeVar("T")

REFUND_COUNTED = ("succeeded", "pending")


def sold(event_id: int) -> ColumnElement[bool]:
    return and_(orders.c.event_id == event_id, orders.c.status.in_(SOLD))


def seconds(conn: Connection, later: Any, earlier: Any) -> ColumnElement[Any]:
    """later - earlier in seconds, as a float, on either database."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(func.extract("epoch", later - earlier), Float)


def hour_label(conn: Connection, at: Any, offset_minutes: int) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' of a stored UTC time moved by the venue's UTC offset."""
    if conn.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H", at, f"{offset_minutes:+d} minutes")
    shifted = at + literal_column(f"interval '{int(offset_minutes)} minutes'")
    return func.to_char(shifted, "YYYY-MM-DD HH24")


def as_seconds(value: Any) -> float | None:
    return None if value is None else max(float(value), 0.0)


def stream(conn: Connection, stmt: Any) -> Iterator[AnyRow]:
    # Batches from a server-side cursor on PostgreSQL; never the whole event in memory.
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    yield from result


def typed(record: Callable[..., T], rows: Iterable[Any]) -> list[T]:
    """Each result row as the named record."""
    return [record(*r) for r in rows]
