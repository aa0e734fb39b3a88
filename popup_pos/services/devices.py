"""Helpers' phones: pairing by a one-time code and a PIN, tokens, revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from popup_pos.domain.errors import PosError
from popup_pos.services import audit, events, staff
from popup_pos.store import devices as devices_store
from popup_pos.store.uow import UnitOfWork

# A pairing code is typed by nobody (it travels in the QR), but it must not be guessable
# in the minutes it lives: 10 characters of 31 is about 50 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_MINUTES = 15
NAME_LENGTH = 100


class DeviceError(PosError):
    """A pairing or a device change that cannot go ahead, with the reason."""


class NotSignedInError(DeviceError):
    """No token, or one that no longer holds (revoked, event closed, helper removed)."""


@dataclass(frozen=True, slots=True)
class Pairing:
    device_id: int
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Paired:
    token: str
    device_id: int
    staff_name: str
    register_code: str


@dataclass(frozen=True, slots=True)
class Phone:
    """A signed-in phone: who uses it, as which register, in which event."""

    device_id: int
    event_id: int
    staff_id: int
    staff_name: str
    role: str
    register_id: int
    register_code: str


def _hash(secret: str) -> str:
    # Codes and tokens are long random strings, so a plain hash is enough to keep the
    # database from holding anything that signs a phone in.
    return hashlib.sha256(secret.encode()).hexdigest()


def start_pairing(
    uow: UnitOfWork, *, actor: str | None = None, now: datetime | None = None
) -> Pairing:
    """A one-time code for the pairing QR, valid for `CODE_MINUTES`, for the open event."""
    now = now or datetime.now(UTC)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + timedelta(minutes=CODE_MINUTES)
    with uow:
        event = events.require_open_event(uow)
        device_id = devices_store.add(uow, event.id, _hash(code), expires, now)
        audit.record(uow, "device.pairing", "device", device_id, {"event_id": event.id}, actor)
        uow.commit()
    return Pairing(device_id, code, expires)


def _usable_code(uow: UnitOfWork, code: str, now: datetime) -> devices_store.DeviceRow:
    with uow:
        found = devices_store.by_code(uow, _hash(code.strip().upper()))
    if found is None or found.paired or found.revoked_at is not None:
        raise DeviceError("this pairing code is not valid: show a new pairing QR on the register")
    if found.code_expires_at <= now:
        raise DeviceError("this pairing code has expired: show a new pairing QR on the register")
    return found


def pair(
    uow: UnitOfWork, code: str, pin: str, *, name: str | None = None, now: datetime | None = None
) -> Paired:
    """The phone holding `code` signs in with a staff PIN: a token for that person and the
    open event. PINs are throttled like at the register (PinWaitError)."""
    now = now or datetime.now(UTC)
    device = _usable_code(uow, code, now)
    who = staff.verify_pin(uow, pin, register="phone", now=now)
    if who is None:
        raise DeviceError("wrong PIN")
    if who.event_id is not None and who.event_id != device.event_id:
        raise DeviceError(f"{who.name}'s PIN belongs to another event")
    with uow:
        number = devices_store.paired_count(uow, device.event_id) + 1
    register = events.join_register(uow, f"P{number}")
    token = secrets.token_urlsafe(32)
    label = (name or "").strip()[:NAME_LENGTH] or None
    with uow:
        done = devices_store.pair(
            uow,
            device.id,
            staff_id=who.id,
            register_id=register.id,
            token_hash=_hash(token),
            name=label,
            now=now,
        )
        if not done:
            raise DeviceError("this pairing code was just used: show a new pairing QR")
        data = {"register": register.code, "staff": who.name, "phone": label}
        audit.record(uow, "device.pair", "device", device.id, data, who.name)
        uow.commit()
    return Paired(token, device.id, who.name, register.code)


def authenticate(uow: UnitOfWork, token: str | None) -> Phone:
    """The phone this token signs in, or NotSignedInError saying why not."""
    if not token:
        raise NotSignedInError("not signed in: scan the pairing QR on the register")
    with uow:
        row = devices_store.by_token(uow, _hash(token))
    _refuse_signed_out(row)
    assert row is not None
    return Phone(
        row.device_id,
        row.event_id,
        row.staff_id,
        row.staff_name,
        row.staff_role,
        row.register_id,
        row.register_code,
    )


def check_signed_in(uow: UnitOfWork, phone: Phone) -> None:
    """NotSignedInError if the phone was signed out since its token was checked (revoked,
    the event closed, its helper deactivated): for a change, as the first read of its own
    transaction, so a phone signed out while its request waited is refused."""
    _refuse_signed_out(devices_store.by_device(uow, phone.device_id))


def _refuse_signed_out(row: devices_store.TokenRow | None) -> None:
    if row is None:
        raise NotSignedInError("not signed in: scan the pairing QR on the register")
    if row.revoked:
        raise NotSignedInError("this phone was signed out by the organizer")
    if not row.event_open:
        raise NotSignedInError("the event has closed: this phone is signed out")
    if not row.staff_active:
        raise NotSignedInError(f"{row.staff_name} can no longer sign in")


def list_devices(uow: UnitOfWork) -> list[devices_store.DeviceRow]:
    """The open event's paired phones (pairing codes never used are left out)."""
    with uow:
        event = events.open_event_row(uow)
        if event is None:
            return []
        return [d for d in devices_store.of_event(uow, event.id) if d.paired]


def revoke(
    uow: UnitOfWork, device_id: int, *, actor: str | None = None, now: datetime | None = None
) -> None:
    """Sign a phone out for good: its token is refused from the next request on."""
    with uow:
        if not devices_store.revoke(uow, device_id, now or datetime.now(UTC)):
            raise DeviceError(f"no phone {device_id} to sign out (already signed out?)")
        audit.record(uow, "device.revoke", "device", device_id, {}, actor)
        uow.commit()


def cash_taken(uow: UnitOfWork) -> dict[str, int]:
    """Phone register code -> cash its helpers took this event, for the cash-up."""
    with uow:
        event = events.open_event_row(uow)
        return {} if event is None else devices_store.cash_taken(uow, event.id)
