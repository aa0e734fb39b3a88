"""The rows of a catalog file and the cell checks every format shares."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from popup_pos.domain.catalog_file import ImportedVariant, RowProblem
from popup_pos.domain.errors import MoneyError
from popup_pos.domain.money import parse_amount

SKU_MAX = 32
# The database's column types: Integer (counts, limits) and BigInteger (money).
INT_MAX = 2**31 - 1
MONEY_MAX = 2**63 - 1

_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
_WHOLE = re.compile(r"([-+\u2212]?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.0*)?")


def norm(name: str) -> str:
    """Compare header names the way a person reads them: case and spacing ignored."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Row:
    """One record of the file; `line` is its spreadsheet row (the header is row 1)."""

    line: int
    cells: dict[str, str]
    written: dict[str, str] = field(default_factory=dict)  # as in the file, unstripped

    def get(self, column: str | None) -> str:
        return self.cells.get(column, "") if column else ""

    def as_written(self, column: str | None) -> str:
        """The cell as the file has it, for messages: the seller searches for that."""
        if not column:
            return ""
        return self.written.get(column, self.cells.get(column, ""))


@dataclass(slots=True)
class Table:
    """A catalog file read into rows, plus the problems and warnings found so far."""

    path: str
    header: list[str]
    rows: list[Row]
    currency: str
    location: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def warn(self, row: int | None, message: str) -> None:
        """Something the seller should know that does not stop the import."""
        self.notes.append((row or 0, f"row {row}: {message}" if row is not None else message))

    def warnings(self) -> list[str]:
        """Warnings about the whole file first, then by row."""
        return [text for _, text in sorted(self.notes, key=lambda note: note[0])]

    def column(self, *names: str) -> str | None:
        """The header text of the first of `names` present in the file, if any."""
        wanted = [norm(n) for n in names]
        for target in wanted:
            for actual in self.header:
                if norm(actual) == target:
                    return actual
        return None

    def require(self, *names: str, source: str) -> str | None:
        """Like column(), but a missing column is a problem on the header row."""
        found = self.column(*names)
        if found is None:
            either = " or ".join(repr(n) for n in names)
            self.problem(1, names[0], f"the column {either} is missing; {source} has it")
        return found

    def located(self, pattern: str) -> dict[str, str]:
        """Columns named after a location, e.g. `Current Quantity (.+)`: {location: header}."""
        rx = re.compile(pattern, re.IGNORECASE)
        found: dict[str, str] = {}
        for actual in self.header:
            m = rx.fullmatch(" ".join(actual.split()))
            if m and m.group(1).strip():
                found.setdefault(m.group(1).strip(), actual)
        return found

    def pick_location(self, places: list[str], *, what: str, column: str) -> str | None:
        """Choose which location's columns to read, as asked or the first one found.

        `column` is a format string given the location, used to name the missing column.
        """
        if not places:
            return None
        if self.location is not None:
            for place in places:
                if norm(place) == norm(self.location):
                    return place
            self.problem(
                1,
                column.format(self.location),
                f"there is no {what} for location {self.location!r}; "
                f"the file has {', '.join(repr(p) for p in places)}",
            )
            return None
        if len(places) > 1:
            others = ", ".join(repr(p) for p in places[1:])
            self.warn(
                None,
                f"the file has {what} for several locations; using {places[0]!r} "
                f"(not {others}). Choose a location to import another one.",
            )
        return places[0]

    def money(self, row: Row, column: str | None, *, what: str) -> int | None:
        """A price or cost in minor units; blank is None; a bad one is a problem."""
        text = row.get(column)
        if not text or column is None:
            return None
        try:
            value = parse_amount(_drop_trailing_zeros(text), self.currency, what=what)
        except MoneyError as exc:
            self.problem(row.line, column, str(exc))
            return None
        if abs(value) > MONEY_MAX:
            self.problem(row.line, column, f"{what} {row.as_written(column)!r} is too large")
            return None
        return value

    def whole(
        self,
        row: Row,
        column: str | None,
        *,
        what: str,
        minimum: int | None = None,
        maximum: int = INT_MAX,
    ) -> int | None:
        """A whole number such as 12 (or 12.0 as spreadsheets write it); blank is None."""
        text = row.get(column)
        if not text or column is None:
            return None
        written = row.as_written(column)
        m = _WHOLE.fullmatch(text)
        if not m or not m.group(2).isascii():
            self.problem(row.line, column, f"{what} {written!r} is not a whole number")
            return None
        digits = m.group(2).replace(",", "")
        # Compare lengths first: int() of a thousand-digit string is slow and pointless.
        value = int(digits) if len(digits) <= 20 else maximum + 1
        if m.group(1) in ("-", "\u2212"):
            value = -value
        if minimum is not None and value < minimum:
            self.problem(row.line, column, f"{what} {written!r} must be at least {minimum}")
            return None
        if abs(value) > maximum:
            self.problem(row.line, column, f"{what} {written!r} is too large (at most {maximum:,})")
            return None
        return value

    def quantity(self, row: Row, column: str | None) -> int | None:
        """Stock on hand; blank means not tracked, and an oversold count becomes 0."""
        value = self.whole(row, column, what="quantity")
        if value is not None and value < 0:
            self.warn(row.line, f"quantity {value} in column {column!r} is below zero; using 0")
            return 0
        return value

    def barcode(self, row: Row, column: str | None) -> str | None:
        text = row.get(column)
        if not text or column is None:
            return None
        if _SCIENTIFIC.fullmatch(text):
            # Excel turns long digit strings into 1.23457E+12 and loses digits for good.
            self.problem(
                row.line,
                column,
                f"barcode {row.as_written(column)!r} was turned into a number by a spreadsheet; "
                "format the column as text and type the barcode again",
            )
            return None
        return text

    def text(self, row: Row, column: str | None) -> str | None:
        return row.get(column) or None


def _drop_trailing_zeros(text: str) -> str:
    """Exports write "1500.00" (or "1500,00") even for currencies without decimals."""
    s = text.strip()
    for mark, other in ((".", ","), (",", ".")):
        if s.count(mark) != 1 or other in s:
            continue
        head, _, tail = s.partition(mark)
        digits = len(tail) - len(tail.lstrip("0123456789"))
        if digits == 3:
            return s  # "1,000" or "1.000" may group thousands; parse_amount decides
        kept = tail[:digits].rstrip("0")
        return head + (mark + kept if kept else "") + tail[digits:]
    return s


def derive_sku(handle: str, option_values: Iterable[str]) -> str:
    """A repeatable SKU from the handle and option values: ("band-tee", ["M"]) -> BAND-TEE-M."""
    raw = "-".join([handle, *option_values])
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    sku = re.sub(r"[^A-Z0-9]+", "-", ascii_only.upper()).strip("-")
    if not sku:
        # Names in other scripts leave nothing; a digest still gives the same SKU every time.
        sku = "ITEM-" + hashlib.sha1(raw.encode()).hexdigest()[:8].upper()
    return sku[:SKU_MAX].rstrip("-")


def is_placeholder_option(name: str, value: str) -> bool:
    """Shopify writes Title / Default Title for products without options."""
    return norm(value) == "default title" or (norm(name) == "title" and not value)


def read_options(
    table: Table,
    row: Row,
    pairs: list[tuple[str | None, str | None]],
    carried: list[str],
) -> dict[str, str]:
    """Options from (name column, value column) pairs; `carried` are the product's names.

    Later rows of a product often leave option names blank, so a blank name falls back to
    the name given on an earlier row of the same product, position by position.
    """
    options: dict[str, str] = {}
    for i, (name_col, value_col) in enumerate(pairs):
        value = row.get(value_col)
        own_name = row.get(name_col)
        name = own_name or (carried[i] if i < len(carried) else "")
        if is_placeholder_option(name, value) or not value:
            if own_name and not value and not is_placeholder_option(name, value):
                table.problem(
                    row.line, value_col or "", f"option {own_name!r} has no value on this row"
                )
            continue
        if not name:
            table.problem(row.line, name_col or "", f"option value {value!r} has no option name")
            continue
        if name in options:
            table.problem(row.line, name_col or "", f"option {name!r} is named twice")
            continue
        options[name] = value
    return options


def first_by_handle(
    rows: Iterable[Row], handle_of: dict[int, str], column: str | None
) -> dict[str, str]:
    """The first non-blank value of `column` for each handle, in file order."""
    found: dict[str, str] = {}
    for row in rows:
        handle = handle_of.get(row.line)
        value = row.get(column)
        if handle is not None and value:
            found.setdefault(handle, value)
    return found


def settle(
    table: Table,
    variants: list[ImportedVariant],
    *,
    sku_column: str,
    barcode_column: str | None,
    components_column: str | None = None,
    derive: bool = True,
) -> None:
    """Fill in missing SKUs and report duplicate SKUs and barcodes within the file."""
    seen: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for v in variants:
        if not v.sku:
            continue
        first = seen.setdefault(v.sku.upper(), v.row)
        spelling = spelled.setdefault(v.sku.upper(), v.sku)
        if first == v.row:
            continue
        if spelling != v.sku:
            # A scan or a typed SKU finds either spelling: the second could never be sold.
            table.problem(
                v.row,
                sku_column,
                f"SKU {v.sku!r} differs only in case from {spelling!r} on row {first}; "
                "a scan cannot tell them apart",
            )
        else:
            table.problem(v.row, sku_column, f"SKU {v.sku!r} is already used on row {first}")
    for v in variants:
        if v.sku:
            continue
        if not derive:
            table.problem(v.row, sku_column, "no SKU: every item needs one")
            continue
        sku = derive_sku(v.handle, v.options.values())
        taken = seen.get(sku.upper())
        if taken is not None:
            table.problem(
                v.row,
                sku_column,
                f"no SKU, and the one made from the product and options ({sku}) "
                f"is already used on row {taken}; type a SKU here",
            )
            continue
        seen[sku.upper()] = v.row
        v.sku = sku
        table.warn(v.row, f"no SKU for {v.product_name!r}; using {sku}")

    if barcode_column is not None:
        codes: dict[str, tuple[int, str]] = {}
        for v in variants:
            if v.barcode is None:
                continue
            # A scanner may send either case: codes differing only in case are one code.
            first, code = codes.setdefault(v.barcode.casefold(), (v.row, v.barcode))
            if first == v.row:
                continue
            same = "is already used" if code == v.barcode else f"differs only in case from {code!r}"
            table.problem(v.row, barcode_column, f"barcode {v.barcode!r} {same} on row {first}")

    if components_column is not None:
        for v in variants:
            if v.sku and any(sku.upper() == v.sku.upper() for sku, _ in v.components):
                table.problem(v.row, components_column, f"bundle {v.sku!r} includes itself")
