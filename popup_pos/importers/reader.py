"""Read a catalog CSV in any supported format into one ParsedCatalog, or refuse it whole."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from popup_pos.domain.catalog_file import (
    CatalogFileError,
    ImportedVariant,
    ParsedCatalog,
    RowProblem,
)
from popup_pos.domain.cells import restore
from popup_pos.domain.money import check_currency
from popup_pos.importers import loyverse, native, shopify, square
from popup_pos.importers.base import read_utf8
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
    _check_fits(table, variants)
    if table.problems:
        raise CatalogFileError(table.path, _in_reading_order(table))
    if not variants:
        table.warn(None, "the file has no items to import")
    return ParsedCatalog(format=chosen, variants=variants, warnings=table.warnings())


def load_table(path: str | Path, *, currency: str, location: str | None = None) -> Table:
    """Split the file into a header and rows, each row numbered as a spreadsheet shows it.

    A record whose quoted cell spans several lines (Shopify's Body (HTML)) is one row, so
    row numbers match the spreadsheet rather than the file's lines.
    """
    name = str(path)
    text = read_utf8(path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    table = Table(path=name, header=[], rows=[], currency=currency, location=location)
    columns: list[tuple[int, str]] = []
    number = 0
    try:
        for cells in reader:
            number += 1
            if header is None:
                header = [cell.strip() for cell in cells]
                columns = _columns(table, header)
                _check_characters(table, number, cells, header)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            _check_characters(table, number, cells, header)
            _check_width(table, number, cells, header, delimiter)
            # restore(): the guard quote our own CSV exports put before formula-like text.
            cells_by_name = {
                column: restore(cells[i]).strip() if i < len(cells) else "" for i, column in columns
            }
            written = {column: cells[i] for i, column in columns if i < len(cells)}
            table.rows.append(Row(number, cells_by_name, written))
    except csv.Error:
        raise CatalogFileError(name, [quoting_problem(text, delimiter, header or [])]) from None

    if not columns:
        raise CatalogFileError(
            name,
            [RowProblem(1, "", "the first line is empty; it should name the columns")],
        )
    table.header = [column for _, column in columns]
    return table


def _column_name(header: list[str], index: int) -> str:
    if index < len(header) and header[index]:
        return header[index]
    return f"cell {index + 1}"


def _check_width(
    table: Table, number: int, cells: list[str], header: list[str], delimiter: str
) -> None:
    """A row with more or fewer cells than the header has lost or gained a comma."""
    width = len(header)
    # Spreadsheets pad rows with empty cells past the last column: harmless.
    used = len(cells)
    while used > width and not cells[used - 1].strip():
        used -= 1
    if used > width:
        table.problem(
            number,
            "",
            f"this row has {used} cells but the header names {width} columns; "
            f"cell {width + 1} holds {cells[width]!r}. A value with a "
            f"{_DELIMITER_NAMES.get(delimiter, 'comma')} in it needs quotes around it",
        )
    elif used < width:
        table.problem(
            number,
            "",
            f"this row has {used} cells but the header names {width} columns; "
            f"{_column_name(header, used)!r} and the columns after it are missing",
        )


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _check_characters(table: Table, number: int, cells: list[str], header: list[str]) -> None:
    """Control characters (NUL above all) are invisible in a spreadsheet and refused by
    PostgreSQL; a line break is kept only where text may run over lines."""
    for i, cell in enumerate(cells):
        bad = _CONTROL.search(cell)
        if bad is None:
            continue
        char = bad.group()
        what = "a NUL byte" if char == "\0" else f"the control character U+{ord(char):04X}"
        table.problem(
            number,
            _column_name(header, i),
            f"{cell!r} holds {what}, which a spreadsheet does not show; delete it",
        )


# C0 controls but tab and line breaks, DEL, and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def quoting_problem(text: str, delimiter: str, header: list[str]) -> RowProblem:
    """Where the quoting goes wrong: an opening quote never closed, or text after a
    closing quote (a quote inside an unquoted cell, as in 7" vinyl, is fine). Run only
    once the csv module has refused the file, so it may be slow."""
    row, cell, line = 1, 0, 1
    opened: tuple[int, int, int] | None = None  # row, cell, line of the open quote
    at_start = True
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if opened is not None:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                opened = None
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt not in (delimiter, "\r", "\n", ""):
                    return RowProblem(
                        row,
                        _column_name(header, cell),
                        f"text follows a closing quote (line {line} of the file); a quote "
                        'inside a quoted cell is written twice ("")',
                    )
            elif ch == "\n":
                line += 1
            i += 1
            continue
        if ch == '"' and at_start:
            opened = (row, cell, line)
        elif ch == delimiter:
            cell += 1
            at_start = True
            i += 1
            continue
        elif ch == "\n":
            row, cell, line = row + 1, 0, line + 1
            at_start = True
            i += 1
            continue
        elif ch == "\r":
            i += 1
            continue
        at_start = False
        i += 1
    if opened is not None:
        o_row, o_cell, o_line = opened
        return RowProblem(
            o_row,
            _column_name(header, o_cell),
            f"this cell opens a quote that is never closed (line {o_line} of the file), so "
            "everything after it would be read into this one cell; close the quote or "
            "delete it",
        )
    return RowProblem(row, "", "the file cannot be read past here: its quoting is broken")


# The longest text each field's database column holds (String(n) in store/models.py).
TEXT_LIMITS: dict[str, tuple[str, int]] = {
    "handle": ("handle", 200),
    "product_name": ("product name", 200),
    "sku": ("SKU", 64),
    "barcode": ("barcode", 64),
    "category": ("category", 100),
    "owner": ("owner", 100),
    "tax_class": ("tax class", 100),
    "personalisation": ("personalisation prompt", 200),
}


def _check_fits(table: Table, variants: list[ImportedVariant]) -> None:
    """Text longer than its database column is refused here, naming the cell it came from,
    rather than by the database halfway through the import."""
    rows = {row.line: row for row in table.rows}
    reported: set[tuple[int, str]] = set()
    for v in variants:
        row = rows.get(v.row)
        for name, what in (("sku", "SKU"), ("barcode", "barcode")):
            value = getattr(v, name)
            if value and any(ch in value for ch in "\t\r\n"):
                column = _holding(table, row, value, default=name)
                reported.add((v.row, column))
                table.problem(
                    v.row,
                    column,
                    f"the {what} {value!r} runs over lines or holds a tab; a scanner "
                    "cannot send that",
                )
        for name, (what, limit) in TEXT_LIMITS.items():
            value = getattr(v, name)
            if value is None or len(value) <= limit:
                continue
            column = _holding(table, row, value, default=name)
            if (v.row, column) in reported:
                continue  # the handle is often the product name: one cell, one problem
            reported.add((v.row, column))
            table.problem(
                v.row,
                column,
                f"the {what} is {len(value)} characters long; it can be at most {limit}",
            )


def _holding(table: Table, row: Row | None, value: str, *, default: str) -> str:
    """The column whose cell gave `value`: formats name their columns differently."""
    if row is not None:
        for column in table.header:
            if row.get(column) == value:
                return column
    return default


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
