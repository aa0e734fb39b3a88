"""Read the app's own catalog CSV.

One row per variant, a header row with these lower-case column names, in any order:

- ``handle``: optional; groups the rows of one product. Blank means the product name.
- ``sku``: required, unique in the file.
- ``product``: the product name; required on the first row of a handle, later rows of
  the same handle may leave it blank.
- ``option1_name``/``option1_value``, ``option2_name``/``option2_value``,
  ``option3_name``/``option3_value``: e.g. Size / M. Later rows may leave the names
  blank. No options: leave them all blank.
- ``price``: required column; a blank cell means the price is entered at sale time.
- ``cost``: what one unit cost you; optional.
- ``quantity``: whole number on hand; blank means stock is not tracked.
- ``barcode``, ``category``, ``owner`` (the co-seller it belongs to), ``tax_class``,
  ``description``: optional text.
- ``kind``: ``item`` (default), ``digital`` or ``experience``.
- ``edition_size``, ``per_order_limit``: optional whole numbers, at least 1.
- ``per_person_limit``: units one customer (by email, phone or @handle) may buy in an
  event, across orders; the seller is asked for the handle when it applies.
- ``time_minutes``: minutes each unit of an ``experience`` takes.
- ``capacity``: an ``experience``'s places per event.
- ``slots``: an ``experience`` sold by time slot, ``20:00-21:00/5`` (one place every 5
  minutes from 20:00 until 21:00, local time).
- ``personalisation``: what an ``experience`` asks at the sale, e.g. ``Name for the
  shoutout``; the answer goes on the ticket.
- A ``digital`` item's stock is its unused download codes (``popup-pos codes import``):
  leave its ``quantity`` blank.
- ``components``: a bundle's contents, ``TEE-M*1;POSTER*2`` (SKU, ``*``, how many).

Money is a plain decimal in the event's currency (``12.50``). Any other column is an
error, so a typo in a header is caught rather than silently ignored.
"""

from __future__ import annotations

from popup_pos.domain.catalog_file import NATIVE_COLUMNS, ImportedVariant
from popup_pos.domain.experiences import SlotError, SlotPlan
from popup_pos.importers.table import Row, Table, first_by_handle, read_options, settle

REQUIRED: tuple[str, ...] = ("sku", "product", "price")
KINDS: tuple[str, ...] = ("item", "digital", "experience")
OPTION_PAIRS: list[tuple[str, str]] = [(f"option{i}_name", f"option{i}_value") for i in (1, 2, 3)]


def parse(table: Table) -> list[ImportedVariant]:
    """Read every row into variants, recording problems on the table."""
    present = set(table.header)
    for name in table.header:
        if name not in NATIVE_COLUMNS:
            table.problem(
                1, name, f"unknown column; a popup-pos catalog has only {', '.join(NATIVE_COLUMNS)}"
            )
    missing = [name for name in REQUIRED if name not in present]
    for name in missing:
        table.problem(1, name, "this column is missing; a popup-pos catalog needs it")
    if missing:
        return []

    def col(name: str) -> str | None:
        return name if name in present else None

    handle_of = {row.line: row.get(col("handle")) or row.get("product") for row in table.rows}
    names = first_by_handle(table.rows, handle_of, "product")
    option_names = [
        first_by_handle(table.rows, handle_of, col(name_col)) for name_col, _ in OPTION_PAIRS
    ]
    pairs = [(col(n), col(v)) for n, v in OPTION_PAIRS]

    variants: list[ImportedVariant] = []
    for row in table.rows:
        handle = handle_of[row.line]
        product = row.get("product") or names.get(handle, "")
        if not product:
            table.problem(row.line, "product", "no product name")
        carried = [found.get(handle, "") for found in option_names]
        kind = _kind(table, row, col("kind"))
        time_minutes = table.whole(row, col("time_minutes"), what="time", minimum=1)
        capacity = table.whole(row, col("capacity"), what="capacity", minimum=1)
        slots = _slots(table, row, col("slots"))
        personalisation = table.text(row, col("personalisation"))
        for name, value in (
            ("time_minutes", time_minutes),
            ("capacity", capacity),
            ("slots", slots),
            ("personalisation", personalisation),
        ):
            if value is not None and kind != "experience":
                table.problem(
                    row.line, name, f"only an experience has {name}; set kind to experience"
                )
        quantity = table.quantity(row, col("quantity"))
        if kind == "digital" and quantity is not None:
            table.problem(
                row.line,
                "quantity",
                "leave it blank for a digital item: its stock is its unused download codes "
                "(popup-pos codes import SKU FILE)",
            )
        edition_size = table.whole(row, col("edition_size"), what="edition size", minimum=1)
        if quantity is not None and edition_size is not None and quantity > edition_size:
            table.problem(
                row.line,
                "quantity",
                f"quantity {row.as_written('quantity')!r} is more than the edition of "
                f"{edition_size}: a numbered edition cannot have more copies than numbers",
            )
        variants.append(
            ImportedVariant(
                row=row.line,
                handle=handle,
                product_name=product,
                sku=row.get("sku"),
                price=table.money(row, "price", what="price"),
                options=read_options(table, row, pairs, carried),
                barcode=table.barcode(row, col("barcode")),
                cost=table.money(row, col("cost"), what="cost"),
                quantity=quantity,
                category=table.text(row, col("category")),
                kind=kind,
                owner=table.text(row, col("owner")),
                description=table.text(row, col("description")),
                tax_class=table.text(row, col("tax_class")),
                edition_size=edition_size,
                per_order_limit=table.whole(
                    row, col("per_order_limit"), what="per-order limit", minimum=1
                ),
                per_person_limit=table.whole(
                    row, col("per_person_limit"), what="per-person limit", minimum=1
                ),
                time_minutes=time_minutes,
                capacity=capacity,
                slots=slots,
                personalisation=personalisation,
                components=_components(table, row, col("components")),
            )
        )
    settle(
        table,
        variants,
        sku_column="sku",
        barcode_column=col("barcode"),
        components_column=col("components"),
        derive=False,
    )
    return variants


def _kind(table: Table, row: Row, column: str | None) -> str:
    text = row.get(column).lower()
    if not text:
        return "item"
    if text not in KINDS:
        table.problem(row.line, column or "kind", f"kind {text!r} is not one of {', '.join(KINDS)}")
        return "item"
    return text


def _slots(table: Table, row: Row, column: str | None) -> str | None:
    text = row.get(column)
    if not text or column is None:
        return None
    try:
        return str(SlotPlan.parse(text))
    except SlotError as exc:
        table.problem(row.line, column, str(exc))
        return None


def _components(table: Table, row: Row, column: str | None) -> list[tuple[str, int]]:
    """Parse ``TEE-M*1;POSTER*2``; a part without ``*`` means one of it."""
    text = row.get(column)
    if not text or column is None:
        return []
    parts: list[tuple[str, int]] = []
    for piece in text.split(";"):
        piece = piece.strip()
        if not piece:
            continue
        sku, star, count = piece.rpartition("*")
        if not star:
            sku, count = piece, "1"
        sku, count = sku.strip(), count.strip()
        if not sku or not count.isdigit() or int(count) < 1:
            table.problem(
                row.line,
                column,
                f"bundle part {piece!r} should look like SKU*2 (a SKU and how many, at least 1)",
            )
            continue
        parts.append((sku, int(count)))
    return parts
