"""Download-code pools: the unused codes of a digital variant are its stock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from popup_pos.domain.catalog_file import CatalogFileError, RowProblem
from popup_pos.domain.errors import PosError
from popup_pos.importers.codes import read_codes
from popup_pos.services import audit
from popup_pos.store import codes as codes_store
from popup_pos.store import sales as sales_store
from popup_pos.store import stock as stock_store
from popup_pos.store.models import utcnow
from popup_pos.store.uow import UnitOfWork


class CodeError(PosError):
    """A code pool change that cannot be made."""


@dataclass(frozen=True, slots=True)
class CodeImport:
    sku: str
    added: int
    unused: int  # the pool's unused codes after the import


@dataclass(frozen=True, slots=True)
class PoolView:
    sku: str
    name: str
    on_hand: int  # unused codes not held by an unpaid order
    unused: int
    assigned: int
    void: int


def import_codes(
    uow: UnitOfWork, sku: str, path: str | Path, actor: str | None = None
) -> CodeImport:
    """Add every code in the file to the variant's pool, or none of them.

    A code already in the pool (used or not) is an error naming its line, so a file
    imported twice never doubles the stock.
    """
    lines = read_codes(path)
    with uow:
        v = stock_store.lock_by_sku(uow, sku)
        if v is None:
            raise CodeError(f"no variant with SKU {sku!r}")
        if v.kind != "digital":
            raise CodeError(
                f"{sku} is an {v.kind}, not digital: set its kind to digital in the catalog first"
            )
        known = codes_store.existing(uow, v.id, [cl.code for cl in lines])
        if known:
            raise CatalogFileError(
                str(path),
                [
                    RowProblem(cl.line, "code", f"code {cl.code!r} is already in the {sku} pool")
                    for cl in lines
                    if cl.code in known
                ],
            )
        now = utcnow()
        codes_store.add(uow, v.id, [cl.code for cl in lines], now)
        stock_store.put(uow, v.id, len(lines))
        event = sales_store.open_event(uow)
        stock_store.log_moves(
            uow,
            [
                stock_store.StockMove(
                    v.id,
                    "count_in",
                    len(lines),
                    reason=f"download codes from {Path(path).name}",
                    event_id=event.id if event else None,
                )
            ],
        )
        audit.record(
            uow,
            "codes.import",
            "variant",
            sku,
            {"added": len(lines), "file": Path(path).name},
            actor,
        )
        unused = next((p.unused for p in codes_store.pools(uow) if p.sku == sku), len(lines))
        uow.commit()
        return CodeImport(sku, len(lines), int(unused))


def pools(uow: UnitOfWork) -> list[PoolView]:
    """Every digital variant's pool, counted."""
    with uow:
        return [
            PoolView(r.sku, r.name, r.on_hand, r.unused, r.assigned, r.void)
            for r in codes_store.pools(uow)
        ]
