"""Email delivery through the outbox: messages queued with the sale, sent by a worker.

A message is a row written in the same transaction as what it reports (the payment, the
refund, the seller's request to send again), so nothing is lost offline. The sender
claims a due row, composes it once, hands it to the SMTP server and then marks it sent:
a crash between the transfer and the mark sends the same message (same Message-ID) once
more at worst, and never loses one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import brief
from popup_pos.mail import smtp
from popup_pos.mail.compose import new_message_id
from popup_pos.services import audit
from popup_pos.services import settings as settings_service
from popup_pos.services.mail_queue import (
    DEFAULTS,
    SETTING,
    MailSettings,
    address_hash,
    mail_settings_in,
    queue,
    settings_from,
    subject,
)
from popup_pos.store import outbox as outbox_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

PAID_LIKE = ("paid", "fulfilled", "partially_refunded", "refunded")
LEASE = timedelta(minutes=2)
MAX_BACKOFF_S = 3600
MAX_ADDRESS = 254
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"
)
NOT_SET_UP = "mail is not set up: run `popup-pos mail set --host HOST --from ADDRESS`"


class DeliveryError(PosError):
    """An address or a mail setting that cannot be used."""


def check_address(text: str, what: str = "address") -> str:
    """The address trimmed, or a refusal naming what is wrong with it."""
    addr = text.strip()
    if not addr:
        raise DeliveryError(f"{what} is empty: type an email address (like fan@example.com)")
    if len(addr) > MAX_ADDRESS:
        raise DeliveryError(f"{what} is longer than {MAX_ADDRESS} characters")
    local, _, domain = addr.rpartition("@")
    if (
        not _ADDRESS.match(addr)
        or ".." in addr
        or "." not in domain
        or len(local) > 64
        or local.startswith(".")
        or local.endswith(".")
    ):
        raise DeliveryError(f"{what} {brief(addr)} is not an email address (like fan@example.com)")
    return f"{local}@{domain.lower()}"


# ---- settings ---------------------------------------------------------------------------


def mail_settings(uow: UnitOfWork) -> MailSettings:
    return settings_from(settings_service.get(uow, SETTING))


def save_settings(
    uow: UnitOfWork, changes: dict[str, Any], actor: str | None = None
) -> MailSettings:
    """Change some mail settings (the password is never one of them: see mail.password)."""
    current = {**DEFAULTS, **settings_service.get(uow, SETTING)}
    for key in changes:
        if key not in DEFAULTS:
            raise DeliveryError(f"unknown mail setting {key!r}")
    new = {**current, **changes}
    if new["security"] not in smtp.SECURITY:
        raise DeliveryError(
            f"security {brief(str(new['security']))} is not one of {', '.join(smtp.SECURITY)}"
        )
    if "port" not in changes and "security" in changes:
        new["port"] = smtp.DEFAULT_PORTS[new["security"]]
    try:
        new["port"] = int(new["port"])
    except (TypeError, ValueError):
        raise DeliveryError(f"port {brief(str(new['port']))} is not a number") from None
    if not 0 < new["port"] < 65536:
        raise DeliveryError(f"port {new['port']} is not between 1 and 65535")
    host = str(new["host"]).strip()
    if any(c.isspace() for c in host) or "/" in host:
        raise DeliveryError(f"host {brief(host)} is not a server name (like smtp.example.com)")
    new["host"] = host
    for key, what in (("from", "the sender (--from)"), ("reply_to", "the reply-to address")):
        if str(new[key]).strip():
            new[key] = check_address(str(new[key]), what)
    settings_service.put(uow, SETTING, new, actor)
    return mail_settings(uow)


# ---- queueing (inside the caller's transaction) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Queued:
    order_number: str
    message_id: int | None  # None: the order is not paid yet; it goes when it is


def ask_receipt(
    uow: UnitOfWork,
    order_ref: int | str,
    email: str,
    *,
    consent: bool = False,
    actor: str | None = None,
) -> Queued:
    """The fan's address for an order (typed, scanned, or fixed after a refusal): a paid
    order's receipt is queued now, an unpaid one's when it is paid."""
    addr = check_address(email)
    with uow:
        order = outbox_store.find_order(uow, order_ref)
        if order is None:
            raise DeliveryError(f"no order {brief(str(order_ref))}")
        if order.status == "cancelled":
            raise DeliveryError(f"order {order.number} is cancelled: it has no receipt to send")
        now = utcnow()
        outbox_store.set_order_email(
            uow, order.id, order.event_id, addr, address_hash(addr), consent, now
        )
        audit.record(
            uow,
            "mail.address",
            "order",
            order.number,
            {"consent": consent, "event": order.event_id},
            actor,
        )
        mid = None
        if order.status in PAID_LIKE:
            kind = "refund" if "refunded" in order.status else "receipt"
            mid = queue(uow, order.id, order.number, addr, kind)
        uow.commit()
        return Queued(order.number, mid)


def queue_test(uow: UnitOfWork, to: str, actor: str | None = None) -> int:
    addr = check_address(to)
    with uow:
        s = mail_settings_in(uow)
        mid = outbox_store.add_message(
            uow,
            order_id=None,
            kind="test",
            recipient=addr,
            recipient_hash=address_hash(addr),
            subject=subject("", "test"),
            message_id=new_message_id(s.sender.rpartition("@")[2]),
            now=utcnow(),
        )
        audit.record(uow, "mail.queued", "mail", mid, {"kind": "test"}, actor)
        uow.commit()
        return mid


# ---- reading ---------------------------------------------------------------------------


def waiting(uow: UnitOfWork) -> int:
    """How many messages wait to be sent (the register shows it)."""
    with uow:
        return outbox_store.waiting_count(uow)


def unsent(uow: UnitOfWork) -> list[outbox_store.OutboxRow]:
    with uow:
        return outbox_store.unsent(uow)


def of_order(uow: UnitOfWork, order_ref: int | str) -> list[outbox_store.OutboxRow]:
    with uow:
        order = outbox_store.find_order(uow, order_ref)
        if order is None:
            raise DeliveryError(f"no order {brief(str(order_ref))}")
        return outbox_store.of_order(uow, order.id)


# ---- sending ---------------------------------------------------------------------------


@dataclass(slots=True)
class Flushed:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)
    note: str | None = None


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), MAX_BACKOFF_S))


Composer = Callable[[UnitOfWork, outbox_store.OutboxRow, MailSettings], tuple[str, str, str]]


def _composed(
    uow: UnitOfWork, row: outbox_store.OutboxRow, s: MailSettings, composer: Composer
) -> outbox_store.OutboxRow:
    if row.raw is not None:
        return row
    raw, text, html = composer(uow, row, s)
    with uow:
        outbox_store.set_content(uow, row.id, text, html, raw)
        uow.commit()
        fresh = outbox_store.message(uow, row.id)
    assert fresh is not None and fresh.raw is not None
    return fresh


def _note_all(uow: UnitOfWork, ids: list[int], error: str, now: datetime) -> None:
    with uow:
        for i in ids:
            row = outbox_store.message(uow, i)
            if row is not None and row.status == "pending":
                outbox_store.mark_retry(uow, i, error, now + backoff(max(row.attempts, 1)))
        uow.commit()


def flush(
    uow: UnitOfWork,
    *,
    password: str | None = None,
    all_now: bool = False,
    cafile: str | None = None,
    composer: Composer | None = None,
    limit: int = 50,
) -> Flushed:
    """Send what is due (with `all_now`, everything waiting); returns what happened.

    Server trouble (unreachable, login refused) leaves every message waiting with the
    reason noted on each; a refused address fails that message only, until the seller
    fixes the address (`ask_receipt` again)."""
    if composer is None:
        from popup_pos.services.mail_content import compose

        composer = compose
    s = mail_settings(uow)
    done = Flushed()
    now = utcnow()
    with uow:
        if all_now:
            outbox_store.retry_now(uow, now)
        due = outbox_store.due_ids(uow, now, limit)
        uow.commit()
    if due and not s.configured:
        done.note = NOT_SET_UP
        _note_all(uow, due, done.note, now)
    elif due:
        if password is None:
            from popup_pos.mail import password as keys

            password = keys.load().value
        _send_due(uow, s, due, password, cafile, composer, done)
    done.waiting = waiting(uow)
    return done


def _send_due(
    uow: UnitOfWork,
    s: MailSettings,
    due: list[int],
    password: str | None,
    cafile: str | None,
    composer: Composer,
    done: Flushed,
) -> None:
    conn = None
    try:
        for n, message_id in enumerate(due):
            now = utcnow()
            with uow:
                claimed = outbox_store.claim(uow, message_id, now, LEASE)
                uow.commit()
                row = outbox_store.message(uow, message_id)
            if not claimed or row is None or row.recipient is None:
                continue
            recipient = row.recipient
            try:
                row = _composed(uow, row, s, composer)
                if conn is None:
                    conn = smtp.connect(s.server(cafile), password)
                assert row.raw is not None
                smtp.send(conn, s.sender, recipient, row.raw.encode("utf-8"))
            except smtp.MailError as exc:
                _failed(uow, row, str(exc), exc.permanent, done)
                if not exc.permanent:
                    # The server is the trouble, not this message: the rest wait too.
                    _note_all(uow, due[n + 1 :], str(exc), now)
                    return
                continue
            with uow:
                outbox_store.mark_sent(uow, row.id, utcnow())
                if row.order_id is not None:
                    outbox_store.blank_unconsented(uow, row.order_id)
                audit.record(uow, "mail.sent", "mail", row.id, {"order": row.order_number})
                uow.commit()
            done.sent += 1
    finally:
        if conn is not None:
            smtp.close(conn)


def _failed(
    uow: UnitOfWork, row: outbox_store.OutboxRow, error: str, permanent: bool, done: Flushed
) -> None:
    where = f"order {row.order_number}" if row.order_number else f"message {row.id}"
    done.errors.append(f"{where}: {error}")
    with uow:
        if permanent:
            outbox_store.mark_failed(uow, row.id, error)
            audit.record(uow, "mail.failed", "mail", row.id, {"error": error})
            done.failed += 1
        else:
            outbox_store.mark_retry(uow, row.id, error, utcnow() + backoff(row.attempts))
        uow.commit()


def check_server(uow: UnitOfWork, *, password: str | None = None, cafile: str | None = None) -> str:
    """Connect and log in; returns what was checked, or raises the reason."""
    s = mail_settings(uow)
    if not s.host:
        raise DeliveryError(
            "mail is not set up: run `popup-pos mail set --host HOST --from ADDRESS`"
        )
    if password is None:
        from popup_pos.mail import password as keys

        password = keys.load().value
    smtp.check(s.server(cafile), password)
    who = f" as {s.user}" if s.user else ""
    return f"connected to {s.server().describe()}{who}"


# ---- the password (keyring) -------------------------------------------------------------


def set_password(password: str) -> str:
    """Keep the SMTP password in the system keyring; returns where it went."""
    from popup_pos.mail import password as keys

    keys.store(password)
    return "the system keyring (service popup-pos)"


def password_source() -> str:
    """Where the password comes from, or why there is none; never the password."""
    from popup_pos.mail import password as keys

    found = keys.load()
    if found.source is None:
        return found.note or "none stored"
    return f"{found.source}" + (f" ({found.note})" if found.note else "")
