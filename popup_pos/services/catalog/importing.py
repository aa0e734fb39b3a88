"""Whole-catalog import: a parsed file applied in one transaction, all of it or none."""

from __future__ import annotations

from popup_pos.domain.catalog_file import (
    ParsedCatalog,
)
from popup_pos.services import audit
from popup_pos.services.catalog.lookups import CatalogError, touch
from popup_pos.services.catalog.planning import ImportReport, plan
from popup_pos.services.views import DEFAULT_LOW_STOCK as DEFAULT_LOW_STOCK
from popup_pos.services.views import VariantView as VariantView
from popup_pos.store import catalog as catalog_store
from popup_pos.store.uow import UnitOfWork


def import_catalog(
    uow: UnitOfWork,
    parsed: ParsedCatalog,
    *,
    source: str,
    dry_run: bool = False,
    actor: str | None = None,
) -> ImportReport:
    """Apply a parsed file in one transaction: all of it, or (on any problem) none of it.

    Variants are matched by SKU, so importing the same file twice changes nothing. A
    quantity in the file sets on-hand, the difference going to the ledger as a count-in
    (new variants) or an adjustment (existing ones). With `dry_run` every check runs and
    nothing is written.

    Every row is checked against a read of the catalog taken without the write lock, so
    a refused file never holds up a sale. The write then re-reads the catalog under the
    lock (another register may have changed it meanwhile), checks again in memory and
    writes with bulk statements: for 20,000 rows the lock is held for about a second
    rather than for the whole import.
    """
    with UnitOfWork(uow.engine, read_only=True) as reading:
        state = catalog_store.import_state(reading)
        mark = catalog_store.catalog_mark(reading)
    report, writes = plan(parsed, state, source=source, dry_run=dry_run)
    if dry_run:
        return report
    with uow:
        if catalog_store.catalog_mark(uow) != mark:
            # Another register changed the catalog meanwhile: check again, under the lock.
            state = catalog_store.import_state(uow)
            report, writes = plan(parsed, state, source=source, dry_run=dry_run)
        refused = catalog_store.apply_import(
            uow, writes, reason=f"catalog import ({parsed.format})"
        )
        if refused is not None:  # a clash no check above foresaw: still all-or-nothing
            raise CatalogError(f"{source}: import refused by the database: {refused}")
        data = {
            "source": source,
            "format": parsed.format,
            "created": report.created_variants,
            "updated": report.updated_variants,
        }
        audit.record(uow, "catalog.import", "catalog", None, data, actor)
        touch(uow)
        uow.commit()
    return report
