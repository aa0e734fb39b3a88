"""An import planned in memory: each row checked against the catalog, the writes worked out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from popup_pos.domain.catalog_file import (
    CatalogFileError,
    ImportedVariant,
    ParsedCatalog,
    RowProblem,
)
from popup_pos.domain.errors import MoneyError
from popup_pos.domain.experiences import SlotPlan
from popup_pos.domain.money import format_percent, parse_percent
from popup_pos.importers.reader import TEXT_LIMITS
from popup_pos.importers.table import INT_MAX, MONEY_MAX
from popup_pos.services.catalog.lookups import KINDS, CatalogError
from popup_pos.services.views import DEFAULT_LOW_STOCK as DEFAULT_LOW_STOCK
from popup_pos.services.views import VariantView as VariantView
from popup_pos.store import catalog as catalog_store


class RowError(CatalogError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


_TAX_SPEC = re.compile(r"(?P<rate>\d{1,3}(?:[.,]\d{1,4})?)\s*%?\s*(?P<incl>incl(?:usive)?)?", re.I)


@dataclass(slots=True)
class ImportReport:
    """What an import did, or with --dry-run what it would do."""

    format: str
    dry_run: bool
    created_products: int = 0
    created_variants: int = 0
    updated_variants: int = 0
    unchanged_variants: int = 0
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def tax_spec(spec: str, known: dict[str, Any]) -> tuple[str, int, bool]:
    """(name, rate ppm, inclusive) of a tax class by name, or made from a rate such as
    '8.875' or '20% incl'."""
    if spec in known:
        row = known[spec]
        return spec, row.rate_ppm, row.inclusive
    m = _TAX_SPEC.fullmatch(spec.strip())
    if not m:
        raise CatalogError(f"unknown tax class {spec!r}: give a rate like 8.875 or '20% incl'")
    rate = parse_percent(m.group("rate"))
    inclusive = bool(m.group("incl"))
    return format_percent(rate) + (" incl." if inclusive else ""), rate, inclusive


def describe(iv: ImportedVariant) -> str:
    opts = " / ".join(iv.options.values())
    return f"{iv.sku} ({iv.product_name}{' — ' + opts if opts else ''})"


_VARIANT_FIELDS = (
    "product_id",
    "options",
    "price_cents",
    "cost_cents",
    "barcode",
    "per_order_limit",
    "per_person_limit",
    "edition_size",
    "track_stock",
    "on_hand",
)
_PRODUCT_FIELDS = (
    "name",
    "kind",
    "description",
    "category_id",
    "owner_id",
    "tax_class_id",
    "time_minutes",
    "capacity",
    "personalisation_prompt",
    "slots_from",
    "slots_until",
    "slot_minutes",
)
_INT_FIELDS = (
    ("quantity", "quantity"),
    ("edition_size", "edition_size"),
    ("per_order_limit", "per_order_limit"),
    ("per_person_limit", "per_person_limit"),
    ("time_minutes", "time_minutes"),
    ("capacity", "capacity"),
)


class Planner:
    """Works out, in memory, what a parsed file changes in the catalog read in `state`."""

    def __init__(
        self, parsed: ParsedCatalog, state: catalog_store.ImportState, dry_run: bool
    ) -> None:
        self.parsed = parsed
        self.state = state
        self.report = ImportReport(parsed.format, dry_run, warnings=list(parsed.warnings))
        self.writes = catalog_store.ImportWrites()
        self.problems: list[RowProblem] = []
        self.refused: set[str] = set()  # SKUs of rows with a problem already
        self.in_file = {iv.sku: iv for iv in parsed.variants}
        self.file_skus = set(self.in_file)
        self.upper = {sku.upper(): sku for sku in state.variants}
        self.barcodes = {
            row.barcode.casefold(): row.sku for row in state.variants.values() if row.barcode
        }
        self.handles: dict[str, str] = {}  # handle -> kind, as the file leaves it
        self.bundles: dict[str, list[tuple[str, int]]] = {}  # SKU -> parts after import
        self.new_taxes: set[str] = set()  # names of tax classes this file adds
        self.new_names: dict[str, set[str]] = {"category": set(), "owner": set()}

    def problem(self, iv: ImportedVariant, column: str, message: str) -> None:
        self.problems.append(RowProblem(iv.row, column, message))

    def run(self) -> None:
        for iv in self.parsed.variants:
            try:
                self.variant(iv)
            except RowError as exc:
                self.problem(iv, exc.column, str(exc))
                self.refused.add(iv.sku)
        for sku, parts in self.state_bundles().items():
            self.bundles.setdefault(sku, parts)
        for iv in self.parsed.variants:
            # A row already refused has its one problem; its parts would only add noise.
            if iv.components and iv.sku not in self.refused:
                self.components(iv)
        self.cycles()

    def state_bundles(self) -> dict[str, list[tuple[str, int]]]:
        by_id = {row.id: row.sku for row in self.state.variants.values()}
        return {
            by_id[b]: [(by_id[c], q) for c, q in parts.items()]
            for b, parts in self.state.components.items()
            if b in by_id
        }

    def checks(self, iv: ImportedVariant) -> None:
        """What the file's reader checks too, for callers that build variants themselves."""
        if iv.kind not in KINDS:
            raise RowError("kind", f"kind {iv.kind!r} is not one of {', '.join(KINDS)}")
        for name, (what, limit) in TEXT_LIMITS.items():
            value = getattr(iv, name)
            if value is not None and len(value) > limit:
                raise RowError(name, f"the {what} is longer than {limit} characters")
        for name, column in _INT_FIELDS:
            value = getattr(iv, name)
            if value is not None and abs(value) > INT_MAX:
                raise RowError(column, f"{name.replace('_', ' ')} {value} is too large")
        for name in ("price", "cost"):
            value = getattr(iv, name)
            if value is not None and abs(value) > MONEY_MAX:
                raise RowError(name, f"{name} {value} is too large")
        if iv.quantity is not None and iv.quantity < 0:
            raise RowError("quantity", f"quantity {iv.quantity} is below zero")

    def variant(self, iv: ImportedVariant) -> None:
        self.checks(iv)
        existing = self.state.variants.get(iv.sku)
        spelled = self.upper.get(iv.sku.upper())
        if existing is None and spelled is not None:
            raise RowError(
                "sku",
                f"SKU {iv.sku!r} differs only in case from {spelled!r} in the catalog; a scan "
                f"cannot tell them apart: write it as {spelled!r} to update that one",
            )
        if iv.barcode:
            # Barcodes within the file were checked by the reader; here, against the rest.
            owner = self.barcodes.get(iv.barcode.casefold())
            if owner is not None and owner not in self.file_skus:
                raise RowError("barcode", f"barcode {iv.barcode} already belongs to {owner}")
        if iv.kind == "digital":
            if iv.quantity is not None:
                raise RowError(
                    "quantity",
                    "a digital item's stock is its unused download codes: leave quantity "
                    "blank and use popup-pos codes import",
                )
            if iv.components:
                raise RowError("components", "a digital item cannot be a bundle")
        self.edition(iv, existing)
        product_id = self.product(iv)
        if iv.components:
            self.bundles[iv.sku] = list(iv.components)

        track = True if iv.kind == "digital" else iv.quantity is not None and not iv.components
        on_hand = existing.on_hand if existing is not None else 0
        counted = iv.quantity is not None and not iv.components
        if counted and iv.quantity is not None:
            if existing is None:
                if iv.quantity:
                    self.writes.count_ins.append((iv.sku, iv.quantity))
            else:
                self.writes.counts[existing.id] = iv.quantity
                if iv.quantity != on_hand:
                    self.report.changes.append(f"stock {iv.sku}: {on_hand} → {iv.quantity}")
            on_hand = iv.quantity
        row: dict[str, Any] = {
            "options": dict(iv.options),
            "price_cents": iv.price,
            "cost_cents": iv.cost,
            "barcode": iv.barcode or None,
            "per_order_limit": iv.per_order_limit,
            "per_person_limit": iv.per_person_limit,
            "edition_size": iv.edition_size,
            "track_stock": track,
            "on_hand": on_hand,
        }
        if existing is None:
            self.report.changes.append(f"new variant {describe(iv)}")
            self.report.created_variants += 1
            self.writes.new_variants.append(
                {**row, "sku": iv.sku, "handle": iv.handle, "next_edition": 1, "archived": False}
            )
            return
        same_product = product_id is not None and product_id == existing.product_id
        if same_product and all(row[k] == getattr(existing, k) for k in row):
            self.report.unchanged_variants += 1
        else:
            self.report.updated_variants += 1
            if existing.price_cents != iv.price:
                self.report.changes.append(f"price {iv.sku}: {existing.price_cents} → {iv.price}")
        if (
            same_product
            and not existing.archived
            and all(row[k] == getattr(existing, k) for k in row)
        ):
            return
        del row["on_hand"]  # written with the stock counts, as it stands at write time
        if existing.barcode == row["barcode"]:
            del row["barcode"]  # only barcodes that move are cleared first
        self.writes.changed_variants.append(
            {**row, "id": existing.id, "handle": iv.handle, "archived": False}
        )

    def edition(self, iv: ImportedVariant, existing: Any) -> None:
        if iv.edition_size is None:
            return
        numbered = 0
        if existing is not None:
            numbered = existing.next_edition - 1 - self.state.returned.get(existing.id, 0)
        if numbered > iv.edition_size:
            raise RowError(
                "edition_size",
                f"{numbered} of this edition are already numbered; the edition cannot be "
                f"{iv.edition_size}",
            )
        if iv.quantity is not None and iv.quantity > iv.edition_size - numbered:
            sold = f" ({numbered} already sold)" if numbered else ""
            raise RowError(
                "quantity",
                f"quantity {iv.quantity} is more than the edition of {iv.edition_size}"
                f"{sold} has numbers for",
            )

    def product(self, iv: ImportedVariant) -> int | None:
        """The product's id (None if new), writing its fields on the handle's first row."""
        existing = self.state.products.get(iv.handle)
        if iv.handle in self.handles:
            return existing.id if existing is not None else None
        self.handles[iv.handle] = iv.kind
        tax = None
        if iv.tax_class:
            try:
                name, rate, inclusive = tax_spec(iv.tax_class, self.state.tax_classes)
            except (CatalogError, MoneyError) as exc:
                raise RowError("tax_class", str(exc)) from None
            if name not in self.state.tax_classes and name not in self.new_taxes:
                self.new_taxes.add(name)
                self.writes.tax_classes.append(
                    {"name": name, "rate_ppm": rate, "inclusive": inclusive}
                )
            tax = name
        for ref, known, new in (
            ("category", self.state.categories, self.writes.categories),
            ("owner", self.state.owners, self.writes.owners),
        ):
            name = getattr(iv, ref)
            if name and name not in known and name not in self.new_names[ref]:
                self.new_names[ref].add(name)
                new.append(name)
        fields: dict[str, Any] = {"kind": iv.kind}
        if iv.product_name or existing is None:
            fields["name"] = iv.product_name
        if iv.description or existing is None:
            fields["description"] = iv.description
        for ref, value in (("category", iv.category), ("owner", iv.owner), ("tax_class", tax)):
            if value or existing is None:
                fields[ref] = value or None
        if iv.kind == "experience" or existing is None:
            plan = SlotPlan.parse(iv.slots) if iv.slots else None
            fields.update(
                time_minutes=iv.time_minutes,
                capacity=iv.capacity,
                personalisation_prompt=iv.personalisation,
                slots_from=f"{plan.start:%H:%M}" if plan else None,
                slots_until=f"{plan.end:%H:%M}" if plan else None,
                slot_minutes=plan.minutes if plan else None,
            )
        if existing is None:
            self.report.created_products += 1
            self.report.changes.append(f"new product {iv.product_name!r}")
            self.writes.new_products.append({**fields, "handle": iv.handle})
            return None
        if self.product_changed(existing, fields):
            self.writes.changed_products.append({**fields, "id": existing.id})
        return int(existing.id)

    def product_changed(self, existing: Any, fields: dict[str, Any]) -> bool:
        ids = {
            "category": self.state.categories,
            "owner": self.state.owners,
            "tax_class": {n: r.id for n, r in self.state.tax_classes.items()},
        }
        for key, value in fields.items():
            if key in ids:
                if value is None or ids[key].get(value) != getattr(existing, f"{key}_id"):
                    return True
            elif getattr(existing, key) != value:
                return True
        return False

    def kind_of(self, sku: str) -> str | None:
        """The kind of the SKU's product once the file is in."""
        iv = self.in_file.get(sku)
        if iv is not None:
            return self.handles.get(iv.handle, iv.kind)
        row = self.state.variants.get(sku)
        return row.kind if row is not None else None

    def components(self, iv: ImportedVariant) -> None:
        wanted: dict[str, int] = {}
        bad = False
        for sku, qty in iv.components:
            kind = self.kind_of(sku)
            if kind is None:
                self.problem(iv, "components", f"component SKU {sku!r} not found")
                bad = True
            elif sku == iv.sku:
                self.problem(iv, "components", "a bundle cannot contain itself")
                bad = True
            elif kind != "item":
                self.problem(
                    iv, "components", f"{sku} is {kind}: sell it on its own line, not in a bundle"
                )
                bad = True
            else:
                wanted[sku] = wanted.get(sku, 0) + qty
        if bad:
            return
        for sku, qty in wanted.items():
            if qty > INT_MAX:
                self.problem(iv, "components", f"{qty} of {sku} is too many")
                return
        existing = self.state.variants.get(iv.sku)
        before: dict[str, int] = {}
        if existing is not None:
            by_id = {row.id: row.sku for row in self.state.variants.values()}
            parts = self.state.components.get(existing.id, {})
            before = {by_id[c]: q for c, q in parts.items()}
        if before != wanted:
            self.writes.parts[iv.sku] = wanted
            self.report.changes.append(f"bundle {iv.sku}: {len(wanted)} component(s)")

    def cycles(self) -> None:
        """A bundle that holds itself through other bundles could never be counted."""
        for start, iv in self.in_file.items():
            if not iv.components or start in self.refused:
                continue
            path = self.loop(start)
            if path:
                self.problem(
                    iv,
                    "components",
                    f"bundle {start!r} contains itself through {' → '.join(path)}",
                )

    def loop(self, start: str) -> list[str] | None:
        """The chain of bundles leading from `start` back to it, if there is one."""
        stack: list[tuple[str, list[str]]] = [(sku, [sku]) for sku, _ in self.bundles[start]]
        seen: set[str] = set()
        while stack:
            sku, path = stack.pop()
            if sku == start:
                return path
            if sku in seen:
                continue
            seen.add(sku)
            stack.extend((part, [*path, part]) for part, _ in self.bundles.get(sku, []))
        return None


def plan(
    parsed: ParsedCatalog, state: catalog_store.ImportState, *, source: str, dry_run: bool
) -> tuple[ImportReport, catalog_store.ImportWrites]:
    """What the import would do, or CatalogFileError naming every row it cannot take."""
    planner = Planner(parsed, state, dry_run)
    planner.run()
    if planner.problems:
        raise CatalogFileError(source, sorted(planner.problems, key=lambda p: p.row))
    return planner.report, planner.writes
