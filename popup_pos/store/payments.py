"""Statements for pending Stripe payments, refunds still to send, and card readers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, cast, func, insert, select, update

from popup_pos.store.models import (
    Event,
    Order,
    Payment,
    Refund,
    Register,
    StripeReader,
    table_of,
)
from popup_pos.store.records import ReaderRecord, RefundRecord, all_of, columns, one_of
from popup_pos.store.uow import UnitOfWork

orders, payments, refunds = table_of(Order), table_of(Payment), table_of(Refund)
events, registers, readers = table_of(Event), table_of(Register), table_of(StripeReader)

REMOTE_TENDERS = ("stripe_qr", "stripe_card")


class PendingPayment(NamedTuple):
    """A Stripe payment still pending, with the request stored before it was sent."""

    id: int
    order_id: int
    tender: str
    amount_cents: int
    provider_id: str | None
    idempotency_key: str | None
    request: Any
    created_at: datetime
    number: str
    currency: str


class UnsentRefund(NamedTuple):
    """A Stripe refund not yet acknowledged, with the payment it goes back to."""

    id: int
    order_id: int
    payment_id: int
    tender: str
    amount_cents: int
    payment_provider_id: str | None
    payment_key: str | None
    number: str


class ChargeOrder(NamedTuple):
    """An order as a charge needs it: what is due, and what is being checked already."""

    id: int
    number: str
    status: str
    currency: str
    total_cents: int
    paid_cents: int
    pending_cents: int
    event_name: str
    register_code: str


_PENDING_Q = (
    select(
        payments.c.id,
        payments.c.order_id,
        payments.c.tender,
        payments.c.amount_cents,
        payments.c.provider_id,
        payments.c.idempotency_key,
        payments.c.request,
        payments.c.created_at,
        orders.c.number,
        orders.c.currency,
    )
    .select_from(payments.join(orders, orders.c.id == payments.c.order_id))
    .where(payments.c.status == "pending", payments.c.tender.in_(REMOTE_TENDERS))
    .order_by(payments.c.id)
)


def pending_remote(uow: UnitOfWork, order_id: int | None = None) -> list[PendingPayment]:
    """Pending Stripe payments, oldest first."""
    conn = uow.conn
    stmt = _PENDING_Q if order_id is None else _PENDING_Q.where(payments.c.order_id == order_id)
    return all_of(PendingPayment, conn.execute(stmt))


def pending_remote_one(uow: UnitOfWork, payment_id: int) -> PendingPayment | None:
    conn = uow.conn
    return one_of(
        PendingPayment, conn.execute(_PENDING_Q.where(payments.c.id == payment_id)).first()
    )


def waiting_count(uow: UnitOfWork) -> int:
    """Stripe payments and refunds whose outcome the app has yet to learn."""
    conn = uow.conn
    pays = select(func.count()).where(
        payments.c.status == "pending", payments.c.tender.in_(REMOTE_TENDERS)
    )
    refs = select(func.count()).where(*_UNSENT)
    return int(conn.execute(pays).scalar_one()) + int(conn.execute(refs).scalar_one())


# A refund against a Stripe tender is recorded first and sent to Stripe after; until
# Stripe's refund id is stored it still has to be sent (with the same key, so a resend
# after a crash refunds once).
_UNSENT = (
    refunds.c.tender.in_(REMOTE_TENDERS),
    refunds.c.provider_id.is_(None),
    refunds.c.status != "failed",
)


def unsent_refunds(uow: UnitOfWork, order_id: int | None = None) -> list[UnsentRefund]:
    """Stripe refunds not yet acknowledged by Stripe, oldest first."""
    conn = uow.conn
    stmt = (
        select(
            refunds.c.id,
            refunds.c.order_id,
            refunds.c.payment_id,
            refunds.c.tender,
            refunds.c.amount_cents,
            payments.c.provider_id.label("payment_provider_id"),
            payments.c.idempotency_key.label("payment_key"),
            orders.c.number,
        )
        .select_from(
            refunds.join(payments, payments.c.id == refunds.c.payment_id).join(
                orders, orders.c.id == refunds.c.order_id
            )
        )
        .where(*_UNSENT)
        .order_by(refunds.c.id)
    )
    if order_id is not None:
        stmt = stmt.where(refunds.c.order_id == order_id)
    return all_of(UnsentRefund, conn.execute(stmt))


def refund_answered(uow: UnitOfWork, refund_id: int, provider_id: str | None, status: str) -> None:
    """Stripe's answer to a refund: its id (None if it refused) and the refund's status."""
    uow.conn.execute(
        update(refunds)
        .where(refunds.c.id == refund_id)
        .values(provider_id=provider_id, status=status)
    )


def refunds_of(uow: UnitOfWork, order_id: int) -> list[RefundRecord]:
    conn = uow.conn
    stmt = select(*columns(refunds, RefundRecord)).where(refunds.c.order_id == order_id)
    return all_of(RefundRecord, conn.execute(stmt.order_by(refunds.c.id)))


# ---- orders, as a charge needs them --------------------------------------------------------


def order_for_charge(uow: UnitOfWork, order_id: int) -> ChargeOrder | None:
    conn = uow.conn
    pending = (
        select(cast(func.coalesce(func.sum(payments.c.amount_cents), 0), BigInteger))
        .where(payments.c.order_id == orders.c.id, payments.c.status == "pending")
        .scalar_subquery()
    )
    stmt = (
        select(
            orders.c.id,
            orders.c.number,
            orders.c.status,
            orders.c.currency,
            orders.c.total_cents,
            orders.c.paid_cents,
            pending.label("pending_cents"),
            events.c.name.label("event_name"),
            registers.c.code.label("register_code"),
        )
        .select_from(
            orders.join(events, events.c.id == orders.c.event_id).join(
                registers, registers.c.id == orders.c.register_id
            )
        )
        .where(orders.c.id == order_id)
    )
    return one_of(ChargeOrder, conn.execute(stmt).first())


def attempts_of(uow: UnitOfWork, order_id: int) -> int:
    """How many payments the order has had, of any tender and status."""
    conn = uow.conn
    return int(
        conn.execute(select(func.count()).where(payments.c.order_id == order_id)).scalar_one()
    )


# ---- card readers ------------------------------------------------------------------------------


_READER = select(*columns(readers, ReaderRecord))


def all_readers(uow: UnitOfWork) -> list[ReaderRecord]:
    conn = uow.conn
    return all_of(ReaderRecord, conn.execute(_READER.order_by(readers.c.id)))


def reader_by_stripe_id(uow: UnitOfWork, stripe_id: str) -> ReaderRecord | None:
    conn = uow.conn
    return one_of(
        ReaderRecord, conn.execute(_READER.where(readers.c.stripe_id == stripe_id)).first()
    )


def reader_by_label(uow: UnitOfWork, label: str) -> ReaderRecord | None:
    conn = uow.conn
    stmt = _READER.where(func.lower(readers.c.label) == label.strip().lower())
    return one_of(ReaderRecord, conn.execute(stmt).first())


def readers_for_register(uow: UnitOfWork, code: str) -> list[ReaderRecord]:
    conn = uow.conn
    stmt = _READER.where(readers.c.register_code == code).order_by(readers.c.id)
    return all_of(ReaderRecord, conn.execute(stmt))


class NewReader(NamedTuple):
    """A card reader as Stripe registered it, and the register it serves (if one)."""

    stripe_id: str
    label: str
    device_type: str | None
    register_code: str | None


def upsert_reader(uow: UnitOfWork, reader: NewReader) -> int:
    """Insert a reader, or update the row with the same Stripe id (registering again)."""
    conn = uow.conn
    values = reader._asdict()
    row = reader_by_stripe_id(uow, reader.stripe_id)
    if row is not None:
        conn.execute(update(readers).where(readers.c.id == row.id).values(**values))
        return int(row.id)
    return int(conn.execute(insert(readers).returning(readers.c.id), values).scalar_one())


def order_by_reference(uow: UnitOfWork, reference: str) -> int | None:
    """The order a provider id or reference (a Checkout Session id) belongs to."""
    conn = uow.conn
    return conn.execute(
        select(payments.c.order_id)
        .where((payments.c.reference == reference) | (payments.c.provider_id == reference))
        .order_by(payments.c.id.desc())
        .limit(1)
    ).scalar()
