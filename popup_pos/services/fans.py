"""Fans who opted in, across events: the mailing-list export and forgetting an address."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from popup_pos.services import audit
from popup_pos.services.delivery import DeliveryError, check_address
from popup_pos.services.mail_queue import address_hash
from popup_pos.store import fans as fans_store
from popup_pos.store.uow import UnitOfWork

COLUMNS = ("email", "first_event", "last_event", "orders", "spent", "currency")


@dataclass(frozen=True, slots=True)
class Fan:
    email: str
    first_event: str
    last_event: str
    orders: int
    spent_cents: int
    currency: str


def fans(uow: UnitOfWork) -> list[Fan]:
    """One row per opted-in address, with its first and last event and what it spent."""
    with uow:
        rows = fans_store.opted_in_orders(uow)
    by: dict[str, list[fans_store.FanOrder]] = {}
    for r in rows:
        by.setdefault(r.email_hash, []).append(r)
    out = []
    for group in by.values():
        email = next((r.email for r in reversed(group) if r.email), None)
        if email is None:
            continue
        out.append(
            Fan(
                email=email,
                first_event=group[0].event_name,
                last_event=group[-1].event_name,
                orders=len({r.order_id for r in group}),
                spent_cents=sum(r.spent_cents for r in group),
                currency=group[-1].currency,
            )
        )
    return sorted(out, key=lambda f: f.email)


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def export(uow: UnitOfWork, out: Path, actor: str | None = None) -> int:
    """Write the fans CSV (UTF-8, a header row, amounts in major units); returns rows."""
    found = fans(uow)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for fan in found:
            w.writerow(
                (
                    fan.email,
                    fan.first_event,
                    fan.last_event,
                    fan.orders,
                    _amount(fan.spent_cents),
                    fan.currency,
                )
            )
    with uow:
        audit.record(uow, "fans.export", "fans", None, {"rows": len(found)}, actor)
        uow.commit()
    return len(found)


def forget(uow: UnitOfWork, email: str, actor: str | None = None) -> int:
    """Remove an address everywhere (sales stay, anonymous); how many rows held it."""
    addr = check_address(email)
    with uow:
        n = fans_store.forget(uow, address_hash(addr))
        if not n:
            raise DeliveryError(f"no order or message has the address {addr}")
        audit.record(uow, "fans.forget", "fans", None, {"rows": n}, actor)
        uow.commit()
    return n


def repeat_fans(uow: UnitOfWork) -> tuple[int, int]:
    """Opted-in fans who bought in more than one event, and all opted-in fans."""
    with uow:
        by = fans_store.opted_in_hashes_by_event(uow)
    return sum(len(v) > 1 for v in by.values()), len(by)
