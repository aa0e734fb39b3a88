"""The back office's download codes: each pool counted, a code found, a code voided."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import brief
from popup_pos.services import audit, codes
from popup_pos.services.codes import CodeImport
from popup_pos.services.events import open_event_row
from popup_pos.services.views import StaffInfo
from popup_pos.store import code_pool as code_pool_store
from popup_pos.store.code_pool import CodeRecord, PoolCount
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork

__all__ = [
    "CodeImport",
    "CodePoolError",
    "CodeRecord",
    "PoolCount",
    "VoidResult",
    "find_code",
    "import_pool",
    "pool_counts",
    "void_code",
]

MAX_CODE = 200


class CodePoolError(PosError):
    """A download-code action that cannot be done."""


@dataclass(frozen=True, slots=True)
class VoidResult:
    code: CodeRecord  # as it is now, void
    was: str  # unused | assigned
    stock_left: int | None  # the variant's stock after an unused code left it


def _organizer(by: StaffInfo, what: str) -> None:
    if by.role != "organizer":
        raise CodePoolError(f"only the organizer can {what}; {by.name} is a {by.role}")


def pool_counts(uow: UnitOfWork) -> list[PoolCount]:
    """Every digital item's codes: unused, held by unpaid orders, assigned and voided."""
    with uow:
        return code_pool_store.pool_counts(uow)


def find_code(uow: UnitOfWork, text: str) -> list[CodeRecord]:
    """The codes spelt like `text` (any case), each with the order that got it, if any."""
    wanted = text.strip()
    if not wanted:
        raise CodePoolError("type or scan the code to find")
    if len(wanted) > MAX_CODE or any(c.isspace() for c in wanted):
        raise CodePoolError(f"no download code {brief(wanted)}: a code has no spaces in it")
    with uow:
        return code_pool_store.find(uow, wanted)


def import_pool(uow: UnitOfWork, sku: str, path: str | Path, *, by: StaffInfo) -> CodeImport:
    """Add the file's codes to the SKU's pool, all or none (the organizer's)."""
    _organizer(by, "import download codes")
    return codes.import_codes(uow, sku.strip().upper(), path, actor=by.name)


def void_code(uow: UnitOfWork, code_id: int, *, by: StaffInfo, reason: str = "") -> VoidResult:
    """Void one code so it is never handed out (again): an unused one leaves the stock, an
    assigned one stays on its order, marked void. One transaction, audited."""
    _organizer(by, "void a download code")
    why = reason.strip()[:200]
    with uow:
        found = code_pool_store.one(uow, code_id, lock=True)
        if found is None:
            raise CodePoolError(f"no download code with id {code_id}")
        if found.status == "void":
            raise CodePoolError(f"code {found.code} of {found.sku} is already void")
        left: int | None = None
        if found.status == "unused":
            # Its unit of stock goes with it; if every unused code is kept for an unpaid
            # order, voiding one would leave that order short.
            if not code_pool_store.take_one(uow, found.variant_id):
                raise CodePoolError(
                    f"every unused code of {found.sku} is held by an order awaiting payment: "
                    "void this one once that order is paid or cancelled"
                )
            event = open_event_row(uow)
            code_pool_store.log_voided(
                uow,
                found.variant_id,
                f"download code {found.code} voided",
                event_id=event.id if event else None,
                staff_id=by.id,
            )
        if not code_pool_store.mark_void(uow, found.id, found.status, utcnow()):
            raise CodePoolError(
                f"code {found.code} changed meanwhile on another register: look it up again"
            )
        if found.status == "unused":
            left = code_pool_store.on_hand(uow, found.variant_id)
        audit.record(
            uow,
            "codes.void",
            "download_code",
            found.code,
            {
                "sku": found.sku,
                "was": found.status,
                "order": found.order_number,
                "reason": why or None,
            },
            by.name,
        )
        after = code_pool_store.one(uow, found.id)
        assert after is not None
        uow.commit()
        return VoidResult(after, found.status, left)
