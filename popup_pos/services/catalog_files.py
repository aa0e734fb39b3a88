"""A catalog file in or out: the readers and writers behind one call each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from popup_pos.exports.catalog import write_native_csv, write_shopify_inventory_csv
from popup_pos.importers.reader import read_catalog
from popup_pos.services import catalog, events
from popup_pos.services.catalog import ImportReport
from popup_pos.store.uow import UnitOfWork

ExportFormat = Literal["native", "shopify-inventory"]


@dataclass(frozen=True, slots=True)
class FileImport:
    """What importing one file did (or, on a dry run, would do)."""

    format: str  # native | shopify | square | loyverse: as read, not as asked
    variants: int  # variants read from the file
    report: ImportReport


def import_file(
    uow: UnitOfWork,
    path: str | Path,
    *,
    fmt: str = "auto",
    currency: str | None = None,
    location: str | None = None,
    dry_run: bool = False,
    actor: str | None = None,
) -> FileImport:
    """Read a catalog file and apply it in one transaction, all or nothing.

    Prices are read in `currency`, else the event's (catalog.import_catalog says how rows
    are matched). A file that cannot be read or applied raises CatalogFileError naming
    every bad row.
    """
    parsed = read_catalog(
        path, currency=currency or events.display_currency(uow), fmt=fmt, location=location
    )
    report = catalog.import_catalog(uow, parsed, source=str(path), dry_run=dry_run, actor=actor)
    return FileImport(parsed.format, len(parsed.variants), report)


def export_file(
    uow: UnitOfWork,
    path: str | Path,
    *,
    fmt: ExportFormat = "native",
    location: str = "Shop location",
) -> int:
    """Write the catalog (native) or its stock counts for Shopify's inventory import at
    `location`; returns the number of variants written."""
    rows = catalog.export_rows(uow)
    if fmt == "native":
        return write_native_csv(path, rows, currency=events.display_currency(uow))
    return write_shopify_inventory_csv(path, rows, location=location)
