"""The outbox and the fans' addresses per order: rows in, due rows claimed, results noted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from popup_pos.store.models import Event, Order, Setting, order_emails, outbox, table_of
from popup_pos.store.uow import UnitOfWork

orders, events, settings = table_of(Order), table_of(Event), table_of(Setting)


def setting_value(uow: UnitOfWork, key: str) -> dict[str, Any]:
    """One setting's JSON value inside the caller's transaction ({} when unset)."""
    value = uow.conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return dict(value) if value else {}


@dataclass(frozen=True, slots=True)
class OrderEmail:
    """The address a fan gave for one order (None once blanked) and their consent."""

    order_id: int
    event_id: int
    email: str | None
    email_hash: str
    consent: bool
    order_status: str
    order_number: str


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One message: what it says once composed, and how its delivery is going."""

    id: int
    order_id: int | None
    order_number: str | None
    kind: str
    recipient: str | None
    subject: str
    body_text: str | None
    body_html: str | None
    raw: str | None
    status: str
    attempts: int
    next_try_at: datetime
    sent_at: datetime | None
    message_id: str
    last_error: str | None
    created_at: datetime


def order_email(uow: UnitOfWork, order_id: int) -> OrderEmail | None:
    row = uow.conn.execute(
        select(
            order_emails.c.order_id,
            order_emails.c.event_id,
            order_emails.c.email,
            order_emails.c.email_hash,
            order_emails.c.consent,
            orders.c.status,
            orders.c.number,
        )
        .join(orders, orders.c.id == order_emails.c.order_id)
        .where(order_emails.c.order_id == order_id)
    ).first()
    if row is None:
        return None
    return OrderEmail(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])


@dataclass(frozen=True, slots=True)
class OrderRef:
    id: int
    number: str
    status: str
    event_id: int


def find_order(uow: UnitOfWork, ref: int | str) -> OrderRef | None:
    """An order by id or by number (case-insensitive, newest event first)."""
    q = select(orders.c.id, orders.c.number, orders.c.status, orders.c.event_id)
    if isinstance(ref, int):
        q = q.where(orders.c.id == ref)
    else:
        q = q.where(func.upper(orders.c.number) == ref.strip().upper()).order_by(orders.c.id.desc())
    row = uow.conn.execute(q).first()
    return None if row is None else OrderRef(row[0], row[1], row[2], row[3])


def set_order_email(
    uow: UnitOfWork,
    order_id: int,
    event_id: int,
    email: str,
    email_hash: str,
    consent: bool,
    now: datetime,
) -> None:
    """Record (or replace) the address given for an order and the fan's choice."""
    values = {
        "event_id": event_id,
        "email": email,
        "email_hash": email_hash,
        "consent": consent,
        "consent_at": now if consent else None,
    }
    done = uow.conn.execute(
        update(order_emails).where(order_emails.c.order_id == order_id).values(**values)
    )
    if not done.rowcount:
        uow.conn.execute(insert(order_emails).values(order_id=order_id, created_at=now, **values))


def add_message(
    uow: UnitOfWork,
    *,
    order_id: int | None,
    kind: str,
    recipient: str,
    recipient_hash: str,
    subject: str,
    message_id: str,
    now: datetime,
) -> int:
    """A pending message, due now; composed by the sender before its first attempt."""
    result = uow.conn.execute(
        insert(outbox).values(
            order_id=order_id,
            kind=kind,
            recipient=recipient,
            recipient_hash=recipient_hash,
            subject=subject,
            message_id=message_id,
            status="pending",
            attempts=0,
            next_try_at=now,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def replace_pending(uow: UnitOfWork, order_id: int) -> int:
    """Pending and failed messages of an order are superseded by a newer one: an older
    receipt may list a code a refund has since voided."""
    return uow.conn.execute(
        update(outbox)
        .where(outbox.c.order_id == order_id, outbox.c.status.in_(("pending", "failed")))
        .values(status="replaced")
    ).rowcount


def _rows(uow: UnitOfWork, *where: object, limit: int | None = None) -> list[OutboxRow]:
    q = (
        select(outbox, orders.c.number)
        .outerjoin(orders, orders.c.id == outbox.c.order_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(outbox.c.id)
    )
    if limit is not None:
        q = q.limit(limit)
    return [
        OutboxRow(
            id=r.id,
            order_id=r.order_id,
            order_number=r.number,
            kind=r.kind,
            recipient=r.recipient,
            subject=r.subject,
            body_text=r.body_text,
            body_html=r.body_html,
            raw=r.raw,
            status=r.status,
            attempts=r.attempts,
            next_try_at=r.next_try_at,
            sent_at=r.sent_at,
            message_id=r.message_id,
            last_error=r.last_error,
            created_at=r.created_at,
        )
        for r in uow.conn.execute(q)
    ]


def message(uow: UnitOfWork, message_id: int) -> OutboxRow | None:
    found = _rows(uow, outbox.c.id == message_id)
    return found[0] if found else None


def unsent(uow: UnitOfWork) -> list[OutboxRow]:
    """What waits or failed, oldest first."""
    return _rows(uow, outbox.c.status.in_(("pending", "failed")))


def of_order(uow: UnitOfWork, order_id: int) -> list[OutboxRow]:
    return _rows(uow, outbox.c.order_id == order_id)


def waiting_count(uow: UnitOfWork) -> int:
    return int(
        uow.conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.status == "pending")
        ).scalar_one()
    )


def due_ids(uow: UnitOfWork, now: datetime, limit: int = 50) -> list[int]:
    return list(
        uow.conn.execute(
            select(outbox.c.id)
            .where(outbox.c.status == "pending", outbox.c.next_try_at <= now)
            .order_by(outbox.c.next_try_at, outbox.c.id)
            .limit(limit)
        ).scalars()
    )


def claim(uow: UnitOfWork, message_id: int, now: datetime, lease: timedelta) -> bool:
    """Take a due message for one attempt: pushing its next try past the lease is the
    claim, so two senders (the app and `mail flush`) never take it at once."""
    return bool(
        uow.conn.execute(
            update(outbox)
            .where(
                outbox.c.id == message_id,
                outbox.c.status == "pending",
                outbox.c.next_try_at <= now,
            )
            .values(next_try_at=now + lease, attempts=outbox.c.attempts + 1)
        ).rowcount
    )


def set_content(uow: UnitOfWork, message_id: int, text: str, html: str, raw: str) -> None:
    uow.conn.execute(
        update(outbox)
        .where(outbox.c.id == message_id, outbox.c.raw.is_(None))
        .values(body_text=text, body_html=html, raw=raw, size=len(raw))
    )


def mark_sent(uow: UnitOfWork, message_id: int, now: datetime) -> None:
    uow.conn.execute(
        update(outbox)
        .where(outbox.c.id == message_id)
        .values(status="sent", sent_at=now, last_error=None)
    )


def mark_retry(uow: UnitOfWork, message_id: int, error: str, next_try: datetime) -> None:
    uow.conn.execute(
        update(outbox)
        .where(outbox.c.id == message_id, outbox.c.status == "pending")
        .values(last_error=error[:500], next_try_at=next_try)
    )


def mark_failed(uow: UnitOfWork, message_id: int, error: str) -> None:
    uow.conn.execute(
        update(outbox)
        .where(outbox.c.id == message_id, outbox.c.status == "pending")
        .values(status="failed", last_error=error[:500])
    )


def retry_now(uow: UnitOfWork, now: datetime) -> int:
    """Every pending message is due now (the seller pressed flush)."""
    return uow.conn.execute(
        update(outbox).where(outbox.c.status == "pending").values(next_try_at=now)
    ).rowcount


def blank_unconsented(uow: UnitOfWork, order_id: int) -> None:
    """Once an order's messages are all sent, a fan who did not opt in leaves no plain
    address behind: neither in the order's address row nor in its sent messages."""
    oe = order_email(uow, order_id)
    if oe is None or oe.consent:
        return
    left = uow.conn.execute(
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.order_id == order_id, outbox.c.status.in_(("pending", "failed")))
    ).scalar_one()
    if left:
        return
    uow.conn.execute(
        update(order_emails).where(order_emails.c.order_id == order_id).values(email=None)
    )
    uow.conn.execute(
        update(outbox).where(outbox.c.order_id == order_id).values(recipient=None, raw=None)
    )
