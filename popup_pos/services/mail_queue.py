"""Queueing email in the caller's transaction: the hooks the paying and refunding
transactions call, kept free of composing and sending so checkout can import them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from popup_pos.mail import smtp
from popup_pos.mail.compose import new_message_id
from popup_pos.services import audit
from popup_pos.store import outbox as outbox_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

SETTING = "mail"
DEFAULTS: dict[str, Any] = {
    "host": "",
    "port": 587,
    "security": "starttls",
    "user": "",
    "from": "",
    "from_name": "",
    "reply_to": "",
}


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    sender: str
    sender_name: str
    reply_to: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    def server(self, cafile: str | None = None) -> smtp.Server:
        return smtp.Server(self.host, self.port, self.security, self.user, cafile=cafile)


def address_hash(addr: str) -> str:
    """The same fan across events, without keeping their address."""
    return hashlib.sha256(f"popup-pos-fan:{addr.strip().lower()}".encode()).hexdigest()


def settings_from(stored: dict[str, Any]) -> MailSettings:
    v = {**DEFAULTS, **stored}
    return MailSettings(
        host=str(v["host"]),
        port=int(v["port"]),
        security=str(v["security"]),
        user=str(v["user"]),
        sender=str(v["from"]),
        sender_name=str(v["from_name"]),
        reply_to=str(v["reply_to"]),
    )


def subject(number: str, kind: str) -> str:
    return {
        "refund": f"Updated receipt for order {number} (refund)",
        "test": "popup-pos test message",
    }.get(kind, f"Your receipt for order {number}")


def queue(uow: UnitOfWork, order_id: int, number: str, addr: str, kind: str) -> int:
    now = utcnow()
    outbox_store.replace_pending(uow, order_id)
    domain = addr.rpartition("@")[2]
    sender = mail_settings_in(uow).sender
    mid = outbox_store.add_message(
        uow,
        order_id=order_id,
        kind=kind,
        recipient=addr,
        recipient_hash=address_hash(addr),
        subject=subject(number, kind),
        message_id=new_message_id(sender.rpartition("@")[2] or domain),
        now=now,
    )
    audit.record(uow, "mail.queued", "order", number, {"message": mid, "kind": kind})
    return mid


def mail_settings_in(uow: UnitOfWork) -> MailSettings:
    """The settings read inside an open transaction (settings.get opens its own)."""
    return settings_from(outbox_store.setting_value(uow, SETTING))


def on_paid(uow: UnitOfWork, order_id: int) -> None:
    """Called in the paying transaction: a fan who gave an address gets the receipt."""
    oe = outbox_store.order_email(uow, order_id)
    if oe is not None and oe.email:
        queue(uow, order_id, oe.order_number, oe.email, "receipt")


def on_refund(uow: UnitOfWork, order_id: int) -> None:
    """Called in the refunding transaction: the fan gets the updated receipt, and any
    unsent older one (which may list a code now void) is dropped."""
    oe = outbox_store.order_email(uow, order_id)
    if oe is not None and oe.email:
        queue(uow, order_id, oe.order_number, oe.email, "refund")
