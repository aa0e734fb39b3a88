"""A catalog file's rows in the neutral shape every reader produces and every writer takes."""

from __future__ import annotations

from dataclasses import dataclass, field

from popup_pos.domain.errors import PosError

# The columns of the app's own catalog CSV (importers/native.py says what each holds):
# read by the native reader, written by the catalog export.
NATIVE_COLUMNS: tuple[str, ...] = (
    "handle",
    "sku",
    "product",
    "option1_name",
    "option1_value",
    "option2_name",
    "option2_value",
    "option3_name",
    "option3_value",
    "price",
    "cost",
    "quantity",
    "barcode",
    "category",
    "kind",
    "owner",
    "tax_class",
    "edition_size",
    "per_order_limit",
    "per_person_limit",
    "time_minutes",
    "capacity",
    "slots",
    "personalisation",
    "components",
    "description",
)


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
