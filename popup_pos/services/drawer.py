"""The cash drawer outside sales: paid in, paid out and no-sale, each with a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from popup_pos.services import audit
from popup_pos.services.events import EventError, record_cash_movement, require_open_event
from popup_pos.services.events import resolve_event as _resolve_event
from popup_pos.store import drawer as drawer_store
from popup_pos.store.uow import UnitOfWork

# The audit entries a drawer log is read from: they carry who, when, and the reason.
_ACTIONS = {"cash.paid_in": "paid_in", "cash.paid_out": "paid_out", "drawer.no_sale": "no_sale"}
KIND_LABELS = {"paid_in": "paid in", "paid_out": "paid out", "no_sale": "no sale"}
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class DrawerEntry:
    """One opening of the drawer that was not a sale: what, how much, why, who, when."""

    kind: str  # paid_in | paid_out | no_sale
    amount_cents: int
    reason: str
    by: str | None
    at: datetime
    currency: str
    register: str | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise EventError("say why the drawer was opened (the reason is empty)")
    if len(text) > MAX_REASON:
        raise EventError(f"the reason is {len(text)} characters: keep it to {MAX_REASON}")
    return text


def paid_in(
    uow: UnitOfWork,
    amount_cents: int,
    reason: str,
    *,
    actor: str | None = None,
    register: str | None = None,
) -> None:
    """Cash put into the drawer (more change brought from the bank, say)."""
    record_cash_movement(
        uow, "paid_in", amount_cents, _reason(reason), actor=actor, register=register
    )


def paid_out(
    uow: UnitOfWork,
    amount_cents: int,
    reason: str,
    *,
    actor: str | None = None,
    register: str | None = None,
) -> None:
    """Cash taken from the drawer (a runner bought ice, say)."""
    record_cash_movement(
        uow, "paid_out", amount_cents, _reason(reason), actor=actor, register=register
    )


def no_sale(
    uow: UnitOfWork, reason: str, *, actor: str | None = None, register: str | None = None
) -> None:
    """The drawer opened with no money moving (change for a busker's note, say): only the
    audit log keeps it, so the cash-up can list every opening."""
    text = _reason(reason)
    with uow:
        event = require_open_event(uow)
        data: dict[str, object] = {"reason": text}
        if register:
            data["register"] = register
        audit.record(uow, "drawer.no_sale", "event", event.id, data, actor)
        uow.commit()


def drawer_log(uow: UnitOfWork, event: int | str | None = None) -> list[DrawerEntry]:
    """Every paid in, paid out and no-sale of an event (default: the open one, else the
    last closed), oldest first."""
    with uow:
        ev = _resolve_event(uow, event)
        rows = drawer_store.openings(uow, ev.id, list(_ACTIONS))
    out = []
    for row in rows:
        data = json.loads(row.data)
        out.append(
            DrawerEntry(
                _ACTIONS[row.action],
                int(data.get("amount", 0)),
                str(data.get("reason", "")),
                row.actor,
                datetime.fromisoformat(row.at),
                ev.currency,
                data.get("register"),
            )
        )
    return out
