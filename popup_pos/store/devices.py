"""Paired phones and their requests' idempotency keys, as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from popup_pos.store.models import (
    Device,
    DeviceRequest,
    Event,
    Order,
    Payment,
    Register,
    Staff,
    table_of,
)
from popup_pos.store.uow import UnitOfWork

devices, requests = table_of(Device), table_of(DeviceRequest)
events, registers, staff = table_of(Event), table_of(Register), table_of(Staff)
orders, payments = table_of(Order), table_of(Payment)


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One phone as the devices list shows it."""

    id: int
    event_id: int
    code_expires_at: datetime
    paired: bool
    staff_id: int | None
    staff_name: str | None
    register_code: str | None
    name: str | None
    created_at: datetime
    paired_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenRow:
    """What a token stands for, with what decides whether it still holds."""

    device_id: int
    event_id: int
    event_open: bool
    staff_id: int
    staff_name: str
    staff_role: str
    staff_active: bool
    register_id: int
    register_code: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class StoredRequest:
    status: str
    response: dict[str, Any] | None


_LIST = select(
    devices.c.id,
    devices.c.event_id,
    devices.c.code_expires_at,
    devices.c.token_hash.is_not(None).label("paired"),
    devices.c.staff_id,
    staff.c.name.label("staff_name"),
    registers.c.code.label("register_code"),
    devices.c.name,
    devices.c.created_at,
    devices.c.paired_at,
    devices.c.revoked_at,
).select_from(
    devices.outerjoin(staff, staff.c.id == devices.c.staff_id).outerjoin(
        registers, registers.c.id == devices.c.register_id
    )
)


def _device(r: Any) -> DeviceRow:
    return DeviceRow(
        r.id,
        r.event_id,
        r.code_expires_at,
        bool(r.paired),
        r.staff_id,
        r.staff_name,
        r.register_code,
        r.name,
        r.created_at,
        r.paired_at,
        r.revoked_at,
    )


def add(uow: UnitOfWork, event_id: int, code_hash: str, expires_at: datetime, now: datetime) -> int:
    result = uow.conn.execute(
        insert(devices)
        .values(event_id=event_id, code_hash=code_hash, code_expires_at=expires_at, created_at=now)
        .returning(devices.c.id)
    )
    return int(result.scalar_one())


def by_code(uow: UnitOfWork, code_hash: str) -> DeviceRow | None:
    r = uow.conn.execute(_LIST.where(devices.c.code_hash == code_hash)).first()
    return None if r is None else _device(r)


def one(uow: UnitOfWork, device_id: int) -> DeviceRow | None:
    r = uow.conn.execute(_LIST.where(devices.c.id == device_id)).first()
    return None if r is None else _device(r)


def of_event(uow: UnitOfWork, event_id: int) -> list[DeviceRow]:
    rows = uow.conn.execute(_LIST.where(devices.c.event_id == event_id).order_by(devices.c.id))
    return [_device(r) for r in rows]


def paired_count(uow: UnitOfWork, event_id: int) -> int:
    q = select(func.count()).where(
        devices.c.event_id == event_id, devices.c.register_id.is_not(None)
    )
    return int(uow.conn.execute(q).scalar_one())


def pair(
    uow: UnitOfWork,
    device_id: int,
    *,
    staff_id: int,
    register_id: int,
    token_hash: str,
    name: str | None,
    now: datetime,
) -> bool:
    """Bind the device to its helper; False if its code was used (or revoked) meanwhile."""
    result = uow.conn.execute(
        update(devices)
        .where(
            devices.c.id == device_id,
            devices.c.token_hash.is_(None),
            devices.c.revoked_at.is_(None),
        )
        .values(
            staff_id=staff_id,
            register_id=register_id,
            token_hash=token_hash,
            name=name,
            paired_at=now,
        )
    )
    return result.rowcount == 1


def by_token(uow: UnitOfWork, token_hash: str) -> TokenRow | None:
    return _signed_in(uow, devices.c.token_hash == token_hash)


def by_device(uow: UnitOfWork, device_id: int) -> TokenRow | None:
    return _signed_in(uow, devices.c.id == device_id)


def _signed_in(uow: UnitOfWork, which: ColumnElement[bool]) -> TokenRow | None:
    q = (
        select(
            devices.c.id,
            devices.c.event_id,
            events.c.status,
            staff.c.id.label("staff_id"),
            staff.c.name,
            staff.c.role,
            staff.c.active,
            registers.c.id.label("register_id"),
            registers.c.code,
            devices.c.revoked_at,
        )
        .select_from(
            devices.join(events, events.c.id == devices.c.event_id)
            .join(staff, staff.c.id == devices.c.staff_id)
            .join(registers, registers.c.id == devices.c.register_id)
        )
        .where(which)
    )
    r = uow.conn.execute(q).first()
    if r is None:
        return None
    return TokenRow(
        r.id,
        r.event_id,
        r.status == "open",
        r.staff_id,
        r.name,
        r.role,
        bool(r.active),
        r.register_id,
        r.code,
        r.revoked_at is not None,
    )


def revoke(uow: UnitOfWork, device_id: int, now: datetime) -> bool:
    result = uow.conn.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1


def claim_request(uow: UnitOfWork, device_id: int, key: str, now: datetime) -> bool:
    """Note a request as under way; False if this key was seen before (a retry). A copy
    of it still under way in another transaction is waited for first."""
    add = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    claimed = uow.conn.execute(
        add(requests)
        .values(device_id=device_id, key=key, status="pending", created_at=now)
        .on_conflict_do_nothing()
        .returning(requests.c.key)
    )
    return claimed.first() is not None


def request_of(uow: UnitOfWork, device_id: int, key: str) -> StoredRequest | None:
    r = uow.conn.execute(
        select(requests.c.status, requests.c.response).where(
            requests.c.device_id == device_id, requests.c.key == key
        )
    ).first()
    return None if r is None else StoredRequest(r.status, r.response)


def finish_request(uow: UnitOfWork, device_id: int, key: str, response: dict[str, Any]) -> None:
    uow.conn.execute(
        update(requests)
        .where(requests.c.device_id == device_id, requests.c.key == key)
        .values(status="done", response=response)
    )


@dataclass(frozen=True, slots=True)
class PhoneCash:
    """Cash taken on one phone's register this event, and the helper who holds it."""

    register_code: str
    helper: str | None
    cents: int

    @property
    def label(self) -> str:
        return f"{self.register_code} ({self.helper})" if self.helper else self.register_code


def cash_by_phone(uow: UnitOfWork, event_id: int) -> list[PhoneCash]:
    """The cash taken on each phone's register of the event (change already given back),
    with the helper who paired it: at the cash-up, who holds what."""
    holder = (
        select(staff.c.name)
        .select_from(devices.join(staff, staff.c.id == devices.c.staff_id))
        .where(devices.c.register_id == registers.c.id)
        .order_by(devices.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    phone_registers = select(devices.c.register_id).where(
        devices.c.event_id == event_id, devices.c.register_id.is_not(None)
    )
    q = (
        select(registers.c.code, holder, func.coalesce(func.sum(payments.c.amount_cents), 0))
        .select_from(
            payments.join(orders, orders.c.id == payments.c.order_id).join(
                registers, registers.c.id == orders.c.register_id
            )
        )
        .where(
            orders.c.event_id == event_id,
            orders.c.register_id.in_(phone_registers),
            payments.c.tender == "cash",
            payments.c.status == "succeeded",
        )
        .group_by(registers.c.id, registers.c.code)
        .order_by(registers.c.code)
    )
    return [PhoneCash(str(code), name, int(cents)) for code, name, cents in uow.conn.execute(q)]


def cash_taken(uow: UnitOfWork, event_id: int) -> dict[str, int]:
    """Register code -> cash taken on the phones' registers of the event."""
    return {p.register_code: p.cents for p in cash_by_phone(uow, event_id)}
