"""Staff and PINs: the organizer, sellers and per-event helpers, with PINs stored hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from popup_pos.domain.errors import PosError
from popup_pos.services import audit
from popup_pos.services.views import StaffInfo as StaffInfo
from popup_pos.store import models as models_store
from popup_pos.store import staff as staff_store
from popup_pos.store.uow import UnitOfWork

Role = Literal["organizer", "seller", "helper"]
ROLES: tuple[Role, ...] = ("organizer", "seller", "helper")
# Higher ranks may do what lower ones may: an organizer can stand in for a seller.
_RANK: dict[str, int] = {"helper": 1, "seller": 2, "organizer": 3}
_NEEDS = {
    "organizer": "this needs the organizer's PIN",
    "seller": "this needs a seller's or the organizer's PIN",
    "helper": "this needs a staff PIN",
}

PIN_PATTERN = re.compile(r"[0-9]{4,8}")
# The organizer's PIN opens settings, refunds and the close: a 4-digit one falls to a
# search of a copied database in minutes, so new and changed ones are longer.
ORGANIZER_PIN_MIN = 6
NAME_MAX = 100

# Wrong PINs in a row before each further try waits, and how long: 5 s, 10 s, 20 s …
# up to 5 minutes. Kept in the shared settings table, so restarting the app or walking
# to another register does not reset it.
FREE_TRIES = 5
FIRST_WAIT_S = 5
MAX_WAIT_S = 300
THROTTLE_KEY = "pin_failures"

# scrypt cost, kept in each stored hash so it can be raised later without breaking old
# PINs: a hash made with less than this is upgraded the next time its PIN is entered.
# N=2**14, r=8 is scrypt's interactive-login setting; every active PIN is tried in turn
# on sign-in, so the cost is multiplied by the number of staff.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
# Refuse stored parameters that would eat the machine (a damaged or hostile row).
_MAX_MEM = 512 * 1024 * 1024
_HASH_FORMAT = re.compile(
    r"scrypt\$n=(?P<n>\d+),r=(?P<r>\d+),p=(?P<p>\d+)\$(?P<salt>[A-Za-z0-9+/=]+)\$(?P<key>[A-Za-z0-9+/=]+)"
)


class StaffError(PosError):
    """A staff change that cannot go ahead, with the reason."""


class RoleError(StaffError):
    """The person signed in may not do this; someone with a higher role must enter a PIN."""


class PinWaitError(StaffError):
    """Too many wrong PINs in a row: no PIN is checked until the wait is over."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"too many wrong PINs in a row: wait {seconds} s before trying again")
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class Approval:
    """The organizer's PIN, entered at the register for one change someone else makes."""

    staff_id: int
    name: str


# --- PIN hashing --------------------------------------------------------------------


def check_pin(pin: str, role: str | None = None) -> str:
    """Return the PIN if it is 4 to 8 digits (an organizer's: 6 to 8), else raise with a
    message saying so."""
    if not PIN_PATTERN.fullmatch(pin):
        raise StaffError("a PIN is 4 to 8 digits (0–9), nothing else")
    if role == "organizer" and len(pin) < ORGANIZER_PIN_MIN:
        raise StaffError(f"an organizer's PIN is {ORGANIZER_PIN_MIN} to 8 digits")
    return pin


def pin_too_short(who: StaffInfo, pin: str) -> bool:
    """True when `who` signed in with a PIN shorter than their role now asks for: an
    organizer PIN set before the 6-digit rule, to be changed at sign-in."""
    return who.role == "organizer" and len(pin) < ORGANIZER_PIN_MIN


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEM, dklen=_KEY_BYTES)


def hash_pin(pin: str) -> str:
    """`scrypt$n=…,r=…,p=…$salt$key`, base64, with a fresh random salt."""
    check_pin(pin)
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def _parsed(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    m = _HASH_FORMAT.fullmatch(stored)
    if m is None:
        return None
    n, r, p = int(m["n"]), int(m["r"]), int(m["p"])
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or 128 * n * r * p > _MAX_MEM:
        return None
    return n, r, p, base64.b64decode(m["salt"]), base64.b64decode(m["key"])


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time check of a PIN against a stored hash; False for any malformed hash."""
    parsed = _parsed(stored)
    if parsed is None or not PIN_PATTERN.fullmatch(pin):
        return False
    n, r, p, salt, key = parsed
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p), key)


def needs_rehash(stored: str) -> bool:
    parsed = _parsed(stored)
    return parsed is None or parsed[:3] != (SCRYPT_N, SCRYPT_R, SCRYPT_P)


# --- queries ------------------------------------------------------------------------


def needs_organizer(uow: UnitOfWork) -> bool:
    """True on first run (or if every organizer was removed): nobody can run settings."""
    with uow:
        return staff_store.active_organizer_count(uow) == 0


def list_staff(uow: UnitOfWork, *, include_inactive: bool = False) -> list[StaffInfo]:
    """Organizers first, then everyone else by name."""
    with uow:
        rows = staff_store.with_events(uow, include_inactive=include_inactive)
        return [StaffInfo.of(s, e) for s, e in rows]


def get_staff(uow: UnitOfWork, staff_id: int) -> StaffInfo | None:
    """One staff member (active or not) with their event, as `list_staff` shows them."""
    with uow:
        found = staff_store.with_event(uow, staff_id)
        return None if found is None else StaffInfo.of(*found)


def _wait_for(failures: int) -> int:
    """Seconds the next try waits after `failures` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0
    doublings = min(failures - FREE_TRIES, MAX_WAIT_S.bit_length())
    return min(FIRST_WAIT_S << doublings, MAX_WAIT_S)


def _throttle(uow: UnitOfWork) -> tuple[int, datetime | None]:
    stored = staff_store.read_setting(uow, THROTTLE_KEY) or {}
    until = stored.get("until")
    try:
        when = datetime.fromisoformat(until) if isinstance(until, str) and until else None
    except ValueError:  # a damaged row must not lock everyone out for good
        when = None
    count = stored.get("count")
    return (count if isinstance(count, int) and count > 0 else 0), when


def _seconds_left(until: datetime | None, now: datetime) -> int:
    if until is None or until <= now:
        return 0
    # Never longer than the longest wait: a register whose clock ran ahead cannot lock
    # the others out for hours.
    return min(-int(-(until - now).total_seconds() // 1), MAX_WAIT_S)


def pin_wait_seconds(uow: UnitOfWork, *, now: datetime | None = None) -> int:
    """How long before the next PIN may be tried (0: now)."""
    with uow:
        _count, until = _throttle(uow)
    return _seconds_left(until, now or datetime.now(UTC))


def _record_failure(uow: UnitOfWork, register: str | None, now: datetime) -> None:
    # Serialised like PIN changes, so two registers failing at once both count.
    staff_store.lock_pins(uow)
    # Read again under the lock: another register may have counted a failure meanwhile.
    staff_store.reread(uow)
    count, _until = _throttle(uow)
    count += 1
    wait = _wait_for(count)
    value: dict[str, Any] = {"count": count, "until": ""}
    if wait:
        value["until"] = (now + timedelta(seconds=wait)).isoformat()
    staff_store.write_setting(uow, THROTTLE_KEY, value)
    data: dict[str, Any] = {"in_a_row": count, "wait_seconds": wait}
    if register:
        data["register"] = register
    audit.record(uow, "staff.pin_failed", "staff", None, data)
    uow.commit()


def verify_pin(
    uow: UnitOfWork, pin: str, *, register: str | None = None, now: datetime | None = None
) -> StaffInfo | None:
    """The active staff member with this PIN, or None; helpers of a closed event never match.

    Every wrong PIN is audited; after `FREE_TRIES` in a row each further try must wait
    (PinWaitError says how long) and no PIN, right or wrong, is checked until then.
    """
    now = now or datetime.now(UTC)
    with uow:
        failures, until = _throttle(uow)
        left = _seconds_left(until, now)
        if left:
            raise PinWaitError(left)
        if PIN_PATTERN.fullmatch(pin):
            for row, event in staff_store.can_sign_in(uow):
                if not pin_matches(pin, row.pin_hash):
                    continue
                if needs_rehash(row.pin_hash):
                    staff_store.set_pin_hash(uow, row, hash_pin(pin))
                    audit.record(uow, "staff.pin_rehash", "staff", row.id, {"name": row.name})
                if failures:
                    staff_store.write_setting(uow, THROTTLE_KEY, {"count": 0, "until": ""})
                uow.commit()
                return StaffInfo.of(row, event)
        _record_failure(uow, register, now)
    return None


def approve(
    uow: UnitOfWork,
    pin: str,
    what: str,
    *,
    actor: str | None = None,
    register: str | None = None,
    now: datetime | None = None,
) -> Approval:
    """The organizer's PIN for `what` (a discount, a price change …) asked for by `actor`:
    throttled and audited like a sign-in; RoleError if the PIN is not an organizer's."""
    who = verify_pin(uow, pin, register=register, now=now)
    if who is None:
        raise StaffError("wrong PIN")
    return approve_signed_in(uow, who, what, actor=actor)


def approve_signed_in(
    uow: UnitOfWork, who: StaffInfo, what: str, *, actor: str | None = None
) -> Approval:
    """`who`, just verified by their PIN, approves `what`: audited; RoleError unless
    `who` is an organizer."""
    require_role(who, "organizer")
    with uow:
        data = {"what": what, "by": who.name}
        audit.record(uow, "staff.approve", "staff", who.id, data, actor)
        uow.commit()
    return Approval(who.id, who.name)


def require_role(staff: StaffInfo | None, role: str) -> StaffInfo:
    """Return `staff` if their role is `role` or above, else raise RoleError."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}")
    if staff is None or _RANK.get(staff.role, 0) < _RANK[role]:
        raise RoleError(_NEEDS[role])
    return staff


# --- changes ------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise StaffError("enter a name for the staff member")
    if len(name) > NAME_MAX:
        raise StaffError(f"a name can be at most {NAME_MAX} characters")
    if not name.isprintable():
        raise StaffError("a name cannot hold control characters")
    return name


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise StaffError(f"role must be organizer, seller or helper, not {role!r}")
    return role


def _refuse_taken(uow: UnitOfWork, pin: str, *, except_id: int | None = None) -> None:
    # Sign-in finds staff by PIN alone, so a shared PIN would sign in the wrong person.
    for row, _event in staff_store.can_sign_in(uow):
        if row.id != except_id and pin_matches(pin, row.pin_hash):
            raise StaffError("that PIN is already used by someone else: choose another")


def _event_for(uow: UnitOfWork, role: Role, event_id: int | None) -> models_store.Event | None:
    if role == "organizer":
        if event_id is not None:
            raise StaffError("an organizer is not tied to one event")
        return None
    if role == "seller" and event_id is None:
        return None
    current = staff_store.open_event(uow)
    if current is None:
        raise StaffError(f"open an event first: a {role}'s PIN lasts for one event")
    if event_id is not None and event_id != current.id:
        raise StaffError(f"a {role} can only be added for the open event, {current.name!r}")
    return current


def _add(
    uow: UnitOfWork,
    name: str,
    role: Role,
    pin: str,
    event: models_store.Event | None,
    actor: str | None,
) -> StaffInfo:
    staff_store.lock_pins(uow)
    _refuse_taken(uow, pin)
    event_id = None if event is None else event.id
    row = staff_store.add(uow, name, role, hash_pin(pin), event_id)
    audit.record(
        uow,
        "staff.add",
        "staff",
        row.id,
        {"name": name, "role": role, "event_id": event_id},
        actor,
    )
    uow.commit()
    return StaffInfo.of(row, event)


def set_organizer(uow: UnitOfWork, name: str, pin: str) -> StaffInfo:
    """First run: create the organizer. Refused once an active organizer exists."""
    name, pin = _clean_name(name), check_pin(pin, "organizer")
    with uow:
        if staff_store.active_organizer_count(uow):
            raise StaffError(
                "an organizer is already set up: sign in with the organizer's PIN to add staff"
            )
        return _add(uow, name, "organizer", pin, None, name)


def add_staff(
    uow: UnitOfWork,
    name: str,
    role: str,
    pin: str,
    *,
    event_id: int | None = None,
    actor: str | None = None,
) -> StaffInfo:
    """Add a staff member. Helpers always belong to the open event; a seller is permanent
    unless `event_id` (the open event) is given; organizers are always permanent."""
    name, checked = _clean_name(name), _check_role(role)
    pin = check_pin(pin, checked)
    with uow:
        return _add(uow, name, checked, pin, _event_for(uow, checked, event_id), actor)


def _require_staff(
    uow: UnitOfWork, staff_id: int
) -> tuple[models_store.Staff, models_store.Event | None]:
    found = staff_store.with_event(uow, staff_id)
    if found is None or not found[0].active:
        raise StaffError(f"staff member #{staff_id} is not active (removed or never added)")
    return found


def change_pin(
    uow: UnitOfWork, staff_id: int, new_pin: str, *, actor: str | None = None
) -> StaffInfo:
    check_pin(new_pin)
    with uow:
        row, event = _require_staff(uow, staff_id)
        check_pin(new_pin, row.role)
        if event is not None and event.status != "open":
            raise StaffError(f"{row.name}'s PIN ended with {event.name!r}: add them again")
        staff_store.lock_pins(uow)
        _refuse_taken(uow, new_pin, except_id=row.id)
        staff_store.set_pin_hash(uow, row, hash_pin(new_pin))
        audit.record(uow, "staff.change_pin", "staff", row.id, {"name": row.name}, actor)
        uow.commit()
        return StaffInfo.of(row, event)


def deactivate(uow: UnitOfWork, staff_id: int, *, actor: str | None = None) -> StaffInfo:
    """Stop a PIN working for good; the last active organizer cannot be removed."""
    with uow:
        row, event = _require_staff(uow, staff_id)
        if row.role == "organizer" and staff_store.active_organizer_count(uow) <= 1:
            raise StaffError("the last organizer cannot be removed: add another organizer first")
        staff_store.deactivate(uow, row)
        audit.record(
            uow, "staff.deactivate", "staff", row.id, {"name": row.name, "role": row.role}, actor
        )
        uow.commit()
        return StaffInfo.of(row, event)
