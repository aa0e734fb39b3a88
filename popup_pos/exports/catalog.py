"""Write the catalog as the app's own CSV, or as Shopify's inventory CSV after an event."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from popup_pos.domain.catalog_file import NATIVE_COLUMNS, ImportedVariant
from popup_pos.domain.cells import neutralise
from popup_pos.domain.money import check_currency, format_amount
from popup_pos.files import private_opener

MAX_OPTIONS = 3

# The layout of Shopify's own inventory export (Products > Inventory > Export), so the
# file imports there unchanged. Only "On hand (new)" is filled in; blank
# "On hand (current)" tells Shopify to set the count without comparing first.
SHOPIFY_INVENTORY_COLUMNS: tuple[str, ...] = (
    "Handle",
    "Title",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "SKU",
    "HS Code",
    "COO",
    "Location",
    "Bin name",
    "Incoming (not editable)",
    "Unavailable (not editable)",
    "Committed (not editable)",
    "Available (not editable)",
    "On hand (current)",
    "On hand (new)",
)

# Columns written as numbers; every other column is text (see domain.cells).
NATIVE_NUMBERS = frozenset(
    ("price", "cost", "quantity", "edition_size", "per_order_limit", "per_person_limit",
     "time_minutes", "capacity")
)  # fmt: skip
SHOPIFY_NUMBERS = frozenset(
    c
    for c in SHOPIFY_INVENTORY_COLUMNS
    if c.startswith(("On hand", "Incoming", "Unavailable", "Committed", "Available"))
)


def write_native_csv(
    path: str | Path, variants: Iterable[ImportedVariant], *, currency: str
) -> int:
    """Write variants in the app's catalog format; returns the number of rows written.

    read_catalog() gives back the same variants (apart from their row numbers).
    """
    code = check_currency(currency)
    rows = [_native_row(v, code) for v in variants]
    # Excel only reads accented names in a CSV correctly when it starts with a BOM.
    _write(path, NATIVE_COLUMNS, rows, encoding="utf-8-sig", numeric=NATIVE_NUMBERS)
    return len(rows)


def write_shopify_inventory_csv(
    path: str | Path, variants: Iterable[ImportedVariant], *, location: str
) -> int:
    """Write stock counts for Shopify's inventory import at `location`; returns rows written.

    Only stocked physical items are written: untracked variants, bundles (their stock is
    their parts'), digital codes and experiences have no on-hand count in Shopify.
    """
    place = location.strip()
    if not place:
        raise ValueError("name the Shopify location the stock counts are for")
    rows: list[dict[str, str]] = []
    for v in variants:
        if v.quantity is None or v.kind != "item" or v.components:
            continue
        row = dict.fromkeys(SHOPIFY_INVENTORY_COLUMNS, "")
        options = _checked_options(v)
        if not options:
            options = [("Title", "Default Title")]  # how Shopify names a lone variant
        for i, (name, value) in enumerate(options, start=1):
            row[f"Option{i} Name"], row[f"Option{i} Value"] = name, value
        row.update(
            {
                "Handle": shopify_handle(v.handle),
                "Title": v.product_name,
                "SKU": v.sku,
                "Location": place,
                "On hand (new)": str(max(v.quantity, 0)),
            }
        )
        rows.append(row)
    _write(path, SHOPIFY_INVENTORY_COLUMNS, rows, encoding="utf-8", numeric=SHOPIFY_NUMBERS)
    return len(rows)


def shopify_handle(handle: str) -> str:
    """Shopify's handle for a product: lower case, words joined by hyphens."""
    return re.sub(r"[\W_]+", "-", handle.casefold()).strip("-")


def _native_row(v: ImportedVariant, currency: str) -> dict[str, str]:
    row = dict.fromkeys(NATIVE_COLUMNS, "")
    for i, (name, value) in enumerate(_checked_options(v), start=1):
        row[f"option{i}_name"], row[f"option{i}_value"] = name, value
    for sku, _ in v.components:
        if ";" in sku:
            raise ValueError(f"bundle {v.sku!r}: part SKU {sku!r} cannot contain ';'")
    row.update(
        {
            "handle": v.handle,
            "sku": v.sku,
            "product": v.product_name,
            "price": _money(v.price, currency),
            "cost": _money(v.cost, currency),
            "quantity": _number(v.quantity),
            "barcode": v.barcode or "",
            "category": v.category or "",
            "kind": v.kind,
            "owner": v.owner or "",
            "tax_class": v.tax_class or "",
            "edition_size": _number(v.edition_size),
            "per_order_limit": _number(v.per_order_limit),
            "per_person_limit": _number(v.per_person_limit),
            "time_minutes": _number(v.time_minutes),
            "capacity": _number(v.capacity),
            "slots": v.slots or "",
            "personalisation": v.personalisation or "",
            "components": ";".join(f"{sku}*{count}" for sku, count in v.components),
            "description": v.description or "",
        }
    )
    return row


def _checked_options(v: ImportedVariant) -> list[tuple[str, str]]:
    if len(v.options) > MAX_OPTIONS:
        raise ValueError(
            f"{v.sku!r} has {len(v.options)} options; a catalog file holds at most {MAX_OPTIONS}"
        )
    return list(v.options.items())


def _money(amount: int | None, currency: str) -> str:
    return "" if amount is None else format_amount(amount, currency)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _write(
    path: str | Path,
    columns: Sequence[str],
    rows: list[dict[str, str]],
    *,
    encoding: str,
    numeric: frozenset[str],
) -> None:
    """Write next to the target and rename, so a full disk never leaves half a file.

    Text cells that a spreadsheet would run as a formula get a leading `'` (the importer
    takes it off again); number columns are left as they are.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    text = [c for c in columns if c not in numeric]
    try:
        with open(partial, "w", encoding=encoding, newline="", opener=private_opener) as out:
            writer = csv.DictWriter(out, fieldnames=list(columns))
            writer.writeheader()
            for row in rows:
                for column in text:
                    row[column] = str(neutralise(row[column]))
            writer.writerows(rows)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
