"""The neutral shape every catalog reader produces, and the errors it raises."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from popup_pos.domain.errors import PosError


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One bad cell: `row` is the spreadsheet's row number (the header is row 1); a cell
    whose quoted text runs over several lines does not add rows."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"


class CatalogFileError(PosError):
    """A catalog file that cannot be imported; lists every bad row found."""

    def __init__(self, path: str, problems: list[RowProblem]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0] if problems else None
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{path}: {first}{more}" if first else f"{path}: cannot be read")


@dataclass(slots=True)
class ImportedVariant:
    """One sellable variant read from a file, before it touches the database."""

    row: int
    handle: str  # groups the variants of one product
    product_name: str
    sku: str
    price: int | None  # minor units; None means the price is entered at sale time
    options: dict[str, str] = field(default_factory=dict)  # {"Size": "M"}; {} if none
    barcode: str | None = None
    cost: int | None = None
    quantity: int | None = None  # None means stock is not tracked
    category: str | None = None
    kind: str = "item"  # item | digital | experience
    owner: str | None = None
    description: str | None = None
    tax_class: str | None = None
    edition_size: int | None = None
    per_order_limit: int | None = None
    time_minutes: int | None = None  # experiences: time cost per unit
    capacity: int | None = None  # experiences: places per event
    slots: str | None = None  # experiences: "20:00-21:00/5", one unit per slot
    personalisation: str | None = None  # experiences: what to ask at sale, e.g. "Name"
    per_person_limit: int | None = None  # units one customer may buy per event
    components: list[tuple[str, int]] = field(default_factory=list)  # bundle: (sku, qty)


@dataclass(slots=True)
class ParsedCatalog:
    """Everything read from one file, ready to apply in one transaction."""

    format: str  # native | shopify | square | loyverse
    variants: list[ImportedVariant]
    warnings: list[str] = field(default_factory=list)


def read_utf8(path: str | Path) -> str:
    """The file's text; a file that is not UTF-8 is refused naming its first bad line."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _row_of(data[: exc.start].decode("utf-8-sig"))
        message = (
            "this line is not UTF-8 text; in your spreadsheet save the file as "
            "\u201cCSV UTF-8\u201d and import it again"
        )
        raise CatalogFileError(str(path), [RowProblem(line, "", message)]) from None


def _row_of(before: str) -> int:
    """The spreadsheet row the text after `before` is on (quoted cells may span lines)."""
    rows = sum(1 for _ in csv.reader(io.StringIO(before, newline="")))
    return rows + 1 if not before or before.endswith("\n") else max(rows, 1)
