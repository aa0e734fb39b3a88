"""Read a catalog CSV in any supported format into one ParsedCatalog, or refuse it whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from popup_pos.domain.cells import restore
from popup_pos.domain.money import check_currency
from popup_pos.importers import loyverse, native, shopify, square
from popup_pos.importers.base import (
    CatalogFileError,
    ImportedVariant,
    ParsedCatalog,
    RowProblem,
    read_utf8,
)
from popup_pos.importers.detect import FORMATS, detect_format
from popup_pos.importers.table import Row, Table

PARSERS: dict[str, Callable[[Table], list[ImportedVariant]]] = {
    "native": native.parse,
    "shopify": shopify.parse,
    "square": square.parse,
    "loyverse": loyverse.parse,
}


def read_catalog(
    path: str | Path, *, currency: str, fmt: str = "auto", location: str | None = None
) -> ParsedCatalog:
    """Read every variant in the file, or raise one CatalogFileError listing every problem.

    `fmt` is auto (decided from the header row) or one of native, shopify, square,
    loyverse. `location` picks the store's column in Square and Loyverse exports that
    have one per location; without it the first is used and a warning says so.
    Files that cannot be opened raise OSError as usual.
    """
    code = check_currency(currency)
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown catalog format {fmt!r}: use auto or one of {', '.join(FORMATS)}")
    table = load_table(path, currency=code, location=location)
    chosen = detect_format(table.header, path=table.path) if fmt == "auto" else fmt
    variants = PARSERS[chosen](table)
    if table.problems:
        raise CatalogFileError(table.path, _in_reading_order(table))
    if not variants:
        table.warn(None, "the file has no items to import")
    return ParsedCatalog(format=chosen, variants=variants, warnings=table.warnings())


def load_table(path: str | Path, *, currency: str, location: str | None = None) -> Table:
    """Split the file into a header and rows, each row knowing the line it starts on."""
    name = str(path)
    text = read_utf8(path)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    width = 0
    table = Table(path=name, header=[], rows=[], currency=currency, location=location)
    columns: list[tuple[int, str]] = []
    next_line = 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if header is None:
                header = [cell.strip() for cell in cells]
                width = len(header)
                columns = _columns(table, header)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                table.problem(
                    line,
                    "",
                    f"this row has {len(cells)} cells but the header names {width} columns; "
                    "a value with a comma in it needs quotes around it",
                )
            # restore(): the guard quote our own CSV exports put before formula-like text.
            cells_by_name = {
                column: restore(cells[i]).strip() if i < len(cells) else "" for i, column in columns
            }
            table.rows.append(Row(line, cells_by_name))
    except csv.Error as exc:
        raise CatalogFileError(
            name, [RowProblem(reader.line_num, "", f"the file cannot be read past here: {exc}")]
        ) from None

    if not columns:
        raise CatalogFileError(
            name,
            [RowProblem(1, "", "the first line is empty; it should name the columns")],
        )
    table.header = [column for _, column in columns]
    return table


def _in_reading_order(table: Table) -> list[RowProblem]:
    """By row, and left to right within a row as the seller sees it in a spreadsheet."""
    position = {column: i for i, column in enumerate(table.header)}
    after = len(position)

    def key(p: RowProblem) -> tuple[int, int]:
        return p.row, (position.get(p.column, after) if p.column else -1)

    return sorted(table.problems, key=key)


def _delimiter(text: str) -> str:
    """Spreadsheets set to some languages save CSV with semicolons (or tabs) instead."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _columns(table: Table, header: list[str]) -> list[tuple[int, str]]:
    """Named columns with their positions; a blank header cell hides its column."""
    seen: set[str] = set()
    columns: list[tuple[int, str]] = []
    for i, column in enumerate(header):
        if not column:
            continue
        if column in seen:
            table.problem(1, column, "this column appears twice; delete one of them")
            continue
        seen.add(column)
        columns.append((i, column))
    return columns
