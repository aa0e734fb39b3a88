"""Read a Square item library export (CSV)."""

from __future__ import annotations

import re

from popup_pos.domain.catalog_file import ImportedVariant
from popup_pos.importers.table import Row, Table, first_by_handle, norm, read_options, settle

SOURCE = "a Square item library export"

# Square names a lone variation "Regular"; it is not an option a customer picks.
PLACEHOLDER_VARIATIONS = frozenset({"", "regular"})
VARIABLE_PRICE = "variable"


def parse(table: Table) -> list[ImportedVariant]:
    """Read every variation row into variants, recording problems on the table."""
    name_col = table.require("Item Name", source=SOURCE)
    sku_col = table.require("SKU", source=SOURCE)
    price_col = table.require("Price", source=SOURCE)
    if name_col is None or sku_col is None or price_col is None:
        return []
    ref_col = table.column("Reference Handle")
    variation_col = table.column("Variation Name")
    description_col = table.column("Description")
    reporting_col = table.column("Reporting Category")
    categories_col = table.column("Categories")
    old_category_col = table.column("Category")
    archived_col = table.column("Archived")
    stockable_col = table.column("Stockable")
    barcode_col = table.column("GTIN")
    cost_col = table.column("Default Unit Cost")
    pairs = _option_pairs(table)

    quantities = table.located(r"Current Quantity (.+)")
    place = table.pick_location(
        list(quantities), what="Current Quantity columns", column="Current Quantity {}"
    )
    qty_col = quantities.get(place) if place is not None else None

    handle_of: dict[int, str] = {}
    for row in table.rows:
        key = row.get(ref_col).lstrip("#").strip() or row.get(name_col)
        if not key:
            table.problem(row.line, name_col, "no item name")
            continue
        handle_of[row.line] = key
    names = first_by_handle(table.rows, handle_of, name_col)
    descriptions = first_by_handle(table.rows, handle_of, description_col)
    reporting = first_by_handle(table.rows, handle_of, reporting_col)
    listed = first_by_handle(table.rows, handle_of, categories_col)
    old_single = first_by_handle(table.rows, handle_of, old_category_col)

    variants: list[ImportedVariant] = []
    archived: set[str] = set()
    for row in table.rows:
        handle = handle_of.get(row.line)
        if handle is None:
            continue
        name = row.get(name_col) or names.get(handle, "")
        if norm(row.get(archived_col)) in ("y", "yes", "true"):
            if handle not in archived:
                archived.add(handle)
                table.warn(row.line, f"{name!r} is archived in Square; skipped")
            continue
        options = read_options(table, row, pairs, [])
        variation = row.get(variation_col)
        if not options and norm(variation) not in PLACEHOLDER_VARIATIONS:
            options = {"Variation": variation}
        stockable = norm(row.get(stockable_col)) not in ("n", "no", "false")
        category = (
            reporting.get(handle)
            or _first_category(listed.get(handle, ""))
            or old_single.get(handle)
        )
        variants.append(
            ImportedVariant(
                row=row.line,
                handle=handle,
                product_name=name,
                sku=row.get(sku_col),
                price=_price(table, row, price_col),
                options=options,
                barcode=table.barcode(row, barcode_col),
                cost=table.money(row, cost_col, what="cost"),
                quantity=table.quantity(row, qty_col) if stockable else None,
                category=category,
                description=descriptions.get(handle),
            )
        )
    settle(table, variants, sku_column=sku_col, barcode_column=barcode_col)
    return variants


def _option_pairs(table: Table) -> list[tuple[str | None, str | None]]:
    """Option Name 1 / Option Value 1, Option Name 2 / …, as many as the file has."""
    numbers = sorted(
        int(m.group(1)) for h in table.header if (m := re.fullmatch(r"option name (\d+)", norm(h)))
    )
    return [(table.column(f"Option Name {n}"), table.column(f"Option Value {n}")) for n in numbers]


def _price(table: Table, row: Row, column: str) -> int | None:
    """Blank or `Variable` means the price is typed in at the register."""
    if norm(row.get(column)) == VARIABLE_PRICE:
        return None
    return table.money(row, column, what="price")


def _first_category(text: str) -> str | None:
    """Categories may list several, comma-separated; the first is the item's main one."""
    return text.split(",")[0].strip() or None
