"""Read a Shopify product export, with the classic header or the 2024+ one."""

from __future__ import annotations

import html
import re

from popup_pos.domain.catalog_file import ImportedVariant
from popup_pos.importers.table import Row, Table, first_by_handle, norm, read_options, settle

SOURCE = "a Shopify product export"

# (classic header, 2024+ header); case and spacing differences are ignored anyway.
HANDLE = ("Handle", "URL handle")
TITLE = ("Title",)
BODY = ("Body (HTML)", "Description")
TYPE = ("Type",)
PRODUCT_CATEGORY = ("Product Category",)
SKU = ("Variant SKU", "SKU")
PRICE = ("Variant Price", "Price")
COST = ("Cost per item",)
BARCODE = ("Variant Barcode", "Barcode")
TRACKER = ("Variant Inventory Tracker", "Inventory tracker")
QUANTITY = ("Variant Inventory Qty", "Inventory quantity")
STATUS = ("Status",)
GRAMS = ("Variant Grams", "Weight value (grams)")

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/li|/h\d|/div)\s*>", re.IGNORECASE)


def parse(table: Table) -> list[ImportedVariant]:
    """Read every variant row into variants, recording problems on the table."""
    handle_col = table.require(*HANDLE, source=SOURCE)
    title_col = table.require(*TITLE, source=SOURCE)
    sku_col = table.require(*SKU, source=SOURCE)
    price_col = table.require(*PRICE, source=SOURCE)
    if handle_col is None or title_col is None or sku_col is None or price_col is None:
        return []
    body_col = table.column(*BODY)
    type_col = table.column(*TYPE)
    category_col = table.column(*PRODUCT_CATEGORY)
    cost_col = table.column(*COST)
    barcode_col = table.column(*BARCODE)
    tracker_col = table.column(*TRACKER)
    qty_col = table.column(*QUANTITY)
    status_col = table.column(*STATUS)
    pairs = [(table.column(f"Option{i} Name"), table.column(f"Option{i} Value")) for i in (1, 2, 3)]
    variant_cols = [
        sku_col,
        price_col,
        cost_col,
        barcode_col,
        qty_col,
        table.column(*GRAMS),
        *(value for _, value in pairs),
    ]

    handle_of: dict[int, str] = {}
    variant_rows: list[Row] = []
    for row in table.rows:
        handle = row.get(handle_col)
        is_variant = any(row.get(c) for c in variant_cols)
        if not handle:
            if is_variant:
                table.problem(row.line, handle_col, "no handle: Shopify names each product here")
            continue
        handle_of[row.line] = handle
        if is_variant:
            variant_rows.append(row)
        # Rows with only a handle and an image add a picture to the product: nothing to sell.

    titles = first_by_handle(table.rows, handle_of, title_col)
    bodies = first_by_handle(table.rows, handle_of, body_col)
    types = first_by_handle(table.rows, handle_of, type_col)
    categories = first_by_handle(table.rows, handle_of, category_col)
    statuses = first_by_handle(table.rows, handle_of, status_col)
    option_names = [first_by_handle(table.rows, handle_of, name) for name, _ in pairs]

    variants: list[ImportedVariant] = []
    archived: set[str] = set()
    for row in variant_rows:
        handle = handle_of[row.line]
        title = row.get(title_col) or titles.get(handle, "")
        if norm(statuses.get(handle, "")) == "archived":
            if handle not in archived:
                archived.add(handle)
                table.warn(row.line, f"{title or handle!r} is archived in Shopify; skipped")
            continue
        if not title:
            table.problem(row.line, title_col, f"no product name for handle {handle!r}")
        price = table.money(row, price_col, what="price")
        if not row.get(price_col):
            table.problem(row.line, price_col, "no price; type one in (0.00 if it is free)")
        tracked = tracker_col is None or bool(row.get(tracker_col))
        variants.append(
            ImportedVariant(
                row=row.line,
                handle=handle,
                product_name=title,
                sku=row.get(sku_col),
                price=price,
                options=read_options(
                    table, row, pairs, [found.get(handle, "") for found in option_names]
                ),
                barcode=table.barcode(row, barcode_col),
                cost=table.money(row, cost_col, what="cost"),
                quantity=table.quantity(row, qty_col) if tracked else None,
                category=_category(types.get(handle), categories.get(handle)),
                description=_plain_text(bodies.get(handle, "")),
            )
        )
    settle(table, variants, sku_column=sku_col, barcode_column=barcode_col)
    return variants


def _category(product_type: str | None, product_category: str | None) -> str | None:
    """Type if set, else the last step of Shopify's taxonomy path (… > Shirts & Tops)."""
    if product_type:
        return product_type
    if product_category:
        return product_category.split(">")[-1].strip() or None
    return None


def _plain_text(body: str) -> str | None:
    """Product descriptions are HTML; a till shows plain text."""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", body)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None
