"""Read a Loyverse items export, composite items (bundles) included."""

from __future__ import annotations

from popup_pos.domain.catalog_file import ImportedVariant
from popup_pos.importers.table import Row, Table, first_by_handle, norm, read_options, settle

SOURCE = "a Loyverse items export"


def parse(table: Table) -> list[ImportedVariant]:
    """Read every item row into variants, recording problems on the table."""
    handle_col = table.require("Handle", source=SOURCE)
    sku_col = table.require("SKU", source=SOURCE)
    name_col = table.require("Name", source=SOURCE)
    if handle_col is None or sku_col is None or name_col is None:
        return []
    category_col = table.column("Category")
    description_col = table.column("Description")
    by_weight_col = table.column("Sold by weight")
    cost_col = table.column("Cost")
    barcode_col = table.column("Barcode")
    part_sku_col = table.column("SKU of included item")
    part_qty_col = table.column("Quantity of included item")
    track_col = table.column("Track stock")
    default_price_col = table.column("Default price")
    pairs = [
        (table.column(f"Option {i} name"), table.column(f"Option {i} value")) for i in (1, 2, 3)
    ]

    prices = table.located(r"Price \[(.+)\]")
    stocks = table.located(r"In stock \[(.+)\]")
    store = table.pick_location(
        list(dict.fromkeys([*prices, *stocks])), what="store columns", column="Price [{}]"
    )
    price_col = prices.get(store) if store is not None else None
    qty_col = stocks.get(store) if store is not None else None
    if not prices and default_price_col is None:
        table.problem(1, "Price [store]", f"there is no price column; {SOURCE} has one per store")

    item_cols = [sku_col, name_col, cost_col, barcode_col, price_col, default_price_col]
    item_cols += [value for _, value in pairs]

    handle_of: dict[int, str] = {}
    for row in table.rows:
        if row.get(handle_col):
            handle_of[row.line] = row.get(handle_col)
    names = first_by_handle(table.rows, handle_of, name_col)
    categories = first_by_handle(table.rows, handle_of, category_col)
    descriptions = first_by_handle(table.rows, handle_of, description_col)
    option_names = [first_by_handle(table.rows, handle_of, name) for name, _ in pairs]

    variants: list[ImportedVariant] = []
    for row in table.rows:
        handle = row.get(handle_col)
        if not any(row.get(c) for c in item_cols) and row.get(part_sku_col):
            # Loyverse lists a composite item's further parts on rows of their own.
            composite = variants[-1] if variants else None
            if composite is None or (handle and handle != composite.handle):
                table.problem(
                    row.line, part_sku_col or "", "an included item with no composite item above"
                )
            else:
                composite.components.extend(_part(table, row, part_sku_col, part_qty_col))
            continue
        if not handle:
            table.problem(row.line, handle_col, "no handle: Loyverse names each item here")
            continue
        name = row.get(name_col) or names.get(handle, "")
        if not name:
            table.problem(row.line, name_col, "no item name")
        if norm(row.get(by_weight_col)) == "y":
            table.warn(row.line, f"{name!r} is sold by weight in Loyverse; it sells per unit here")
        tracked = norm(row.get(track_col)) not in ("n", "no", "false")
        variants.append(
            ImportedVariant(
                row=row.line,
                handle=handle,
                product_name=name,
                sku=row.get(sku_col),
                price=_price(table, row, price_col, default_price_col),
                options=read_options(
                    table, row, pairs, [found.get(handle, "") for found in option_names]
                ),
                barcode=table.barcode(row, barcode_col),
                cost=table.money(row, cost_col, what="cost"),
                quantity=table.quantity(row, qty_col) if tracked else None,
                category=categories.get(handle),
                description=descriptions.get(handle),
                components=_part(table, row, part_sku_col, part_qty_col),
            )
        )
    settle(
        table,
        variants,
        sku_column=sku_col,
        barcode_column=barcode_col,
        components_column=part_sku_col,
    )
    return variants


def _price(table: Table, row: Row, store_col: str | None, default_col: str | None) -> int | None:
    """The store's price, else the default; blank or `variable` is priced at sale time."""
    column = store_col if row.get(store_col) else default_col
    if norm(row.get(column)) == "variable":
        return None
    return table.money(row, column, what="price")


def _part(
    table: Table, row: Row, sku_col: str | None, qty_col: str | None
) -> list[tuple[str, int]]:
    sku = row.get(sku_col)
    if not sku or sku_col is None:
        return []
    if not row.get(qty_col):
        table.problem(row.line, qty_col or sku_col, f"how many {sku!r} go in the bundle?")
        return []
    count = table.whole(row, qty_col, what="included quantity", minimum=1)
    return [(sku, count)] if count is not None else []
