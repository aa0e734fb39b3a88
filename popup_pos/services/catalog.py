"""Catalog use cases: look up, search, list, edit, and import or export whole catalogs."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any, cast

from popup_pos.domain.errors import MoneyError, PosError
from popup_pos.domain.gigs import SlotPlan
from popup_pos.domain.limits import SEARCH_LENGTH, could_be_code
from popup_pos.domain.money import format_percent, parse_percent
from popup_pos.domain.pricing import TaxClass as TaxClassSpec
from popup_pos.importers.base import CatalogFileError, ImportedVariant, ParsedCatalog, RowProblem
from popup_pos.services import audit
from popup_pos.services.views import DEFAULT_LOW_STOCK as DEFAULT_LOW_STOCK
from popup_pos.services.views import VariantView as VariantView
from popup_pos.services.views import variant_views
from popup_pos.store import catalog as store
from popup_pos.store import settings as settings_store
from popup_pos.store.models import (
    BundleComponent,
    Category,
    Owner,
    Product,
    StockMovement,
    TaxClass,
    Variant,
)
from popup_pos.store.uow import UnitOfWork

KINDS = ("item", "digital", "experience")


class CatalogError(PosError):
    """A catalog lookup or edit that cannot be done."""


class _RowError(CatalogError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _available(v: Variant) -> int | None:
    if v.components:
        limits = [
            c.component.on_hand // c.quantity for c in v.components if c.component.track_stock
        ]
        return min(limits) if limits else None
    return v.on_hand if v.track_stock else None


def view(v: Variant) -> VariantView:
    p = v.product
    tc = p.tax_class
    return VariantView(
        id=v.id,
        sku=v.sku,
        barcode=v.barcode,
        product_id=p.id,
        product_name=p.name,
        label=v.label,
        options=dict(v.options or {}),
        kind=p.kind,
        category=p.category.name if p.category else None,
        owner=p.owner.name if p.owner else None,
        price_cents=v.price_cents,
        cost_cents=v.cost_cents,
        track_stock=v.track_stock,
        on_hand=v.on_hand,
        available=_available(v),
        per_order_limit=v.per_order_limit,
        edition_size=v.edition_size,
        is_bundle=bool(v.components),
        low_stock_at=v.low_stock_at if v.low_stock_at is not None else DEFAULT_LOW_STOCK,
        tax=TaxClassSpec(tc.name, tc.rate_ppm, tc.inclusive) if tc else None,
        parts=tuple((c.component_id, c.quantity) for c in v.components),
        per_person_limit=v.per_person_limit,
        personalisation_prompt=p.personalisation_prompt,
    )


def find_by_code(uow: UnitOfWork, code: str) -> VariantView | None:
    """Exact SKU or barcode, as a scanner or a typed SKU gives it (SKU case-insensitive)."""
    code = code.strip()
    if not could_be_code(code):
        # Nothing stored looks like it (too long, control characters): no query needed,
        # and PostgreSQL would refuse a NUL byte in one.
        return None
    with uow:
        v = store.by_code(uow.session, code)
        return view(v) if v else None


def search(uow: UnitOfWork, text: str, *, limit: int = 50) -> list[VariantView]:
    """Name, SKU or barcode containing `text`, case-insensitively."""
    if not text.isprintable() or len(text) > SEARCH_LENGTH:
        return []
    with uow:
        return [view(v) for v in store.matching(uow.session, text, limit)]


def list_variants(uow: UnitOfWork, *, low_stock: bool = False) -> list[VariantView]:
    with uow:
        rows = [view(v) for v in store.all_variants(uow.session)]
    if low_stock:
        rows = [r for r in rows if r.low_stock or r.sold_out]
    return rows


def snapshot(uow: UnitOfWork) -> list[VariantView]:
    """Every sellable variant, read with two plain queries: fast enough for a selling
    screen to load a 10,000-variant catalog at start-up."""
    with uow:
        rows, parts, levels = store.snapshot_rows(uow.conn)
    return variant_views(rows, parts, levels)


def version(uow: UnitOfWork) -> str:
    """A value that changes whenever the catalog changes (not its stock): a register
    compares it every second and reloads the catalog only when it moved."""
    with uow:
        return store.catalog_version(uow.conn)


def _touch(uow: UnitOfWork) -> None:
    # A fresh token, not a counter: two registers writing at once still leave a new value.
    settings_store.write(uow.session, store.VERSION_KEY, {"token": secrets.token_hex(8)})


def stock_levels(uow: UnitOfWork) -> dict[int, int | None]:
    """variant id -> on hand (None when not tracked): a cheap refresh of stock badges."""
    with uow:
        return store.stock_levels(uow.conn)


def update_variant(
    uow: UnitOfWork,
    sku: str,
    *,
    price_cents: int | None = None,
    cost_cents: int | None = None,
    barcode: str | None = None,
    per_order_limit: int | None = None,
    low_stock_at: int | None = None,
    actor: str | None = None,
) -> VariantView:
    """Change the given fields of one variant; unspecified ones stay as they are."""
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "price_cents": price_cents,
            "cost_cents": cost_cents,
            "barcode": barcode,
            "per_order_limit": per_order_limit,
            "low_stock_at": low_stock_at,
        }.items()
        if v is not None
    }
    for key in ("price_cents", "cost_cents", "per_order_limit", "low_stock_at"):
        if key in changes and changes[key] < 0:
            raise CatalogError(f"{key.replace('_cents', '').replace('_', ' ')} cannot be negative")
    with uow:
        v = store.by_sku(uow.session, sku)
        if v is None:
            raise CatalogError(f"no variant with SKU {sku!r}")
        if barcode is not None:
            clash = store.barcode_owner(uow.session, barcode, except_id=v.id)
            if clash:
                raise CatalogError(f"barcode {barcode!r} already belongs to {clash}")
        for key, value in changes.items():
            setattr(v, key, value)
        audit.record(uow, "variant.update", "variant", v.sku, changes, actor)
        _touch(uow)
        uow.commit()
        return view(v)


# ---- import ------------------------------------------------------------------------

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


def _get_or_create(uow: UnitOfWork, model: Any, name: str | None) -> Any:
    if not name:
        return None
    # Imports run without autoflush, so rows made earlier in this import are remembered
    # here rather than found by a query.
    made: dict[tuple[Any, str], Any] = uow.session.info.setdefault("made_by_name", {})
    row = made.get((model, name))
    if row is None:
        row = store.by_name(uow.session, model, name)
    if row is None:
        row = model(name=name)
        uow.session.add(row)
    made[(model, name)] = row
    return row


def _tax_class(uow: UnitOfWork, spec: str | None) -> TaxClass | None:
    """A tax class by name, or made from a rate such as '8.875' or '20% incl'."""
    if not spec:
        return None
    existing: TaxClass | None = store.by_name(uow.session, TaxClass, spec)
    if existing:
        return existing
    m = _TAX_SPEC.fullmatch(spec.strip())
    if not m:
        raise CatalogError(f"unknown tax class {spec!r}: give a rate like 8.875 or '20% incl'")
    rate = parse_percent(m.group("rate"))
    inclusive = bool(m.group("incl"))
    name = format_percent(rate) + (" incl." if inclusive else "")
    row = _get_or_create(uow, TaxClass, name)
    row.rate_ppm, row.inclusive = rate, inclusive
    return cast(TaxClass, row)


def _describe(iv: ImportedVariant) -> str:
    opts = " / ".join(iv.options.values())
    return f"{iv.sku} ({iv.product_name}{' — ' + opts if opts else ''})"


def import_catalog(
    uow: UnitOfWork,
    parsed: ParsedCatalog,
    *,
    source: str,
    dry_run: bool = False,
    actor: str | None = None,
) -> ImportReport:
    """Apply a parsed file in one transaction: all of it, or (on any problem) none of it.

    Variants are matched by SKU, so importing the same file twice changes nothing. A
    quantity in the file sets on-hand, the difference going to the ledger as a count-in
    (new variants) or an adjustment (existing ones). With `dry_run` every check runs and
    the transaction is rolled back.
    """
    report = ImportReport(parsed.format, dry_run, warnings=list(parsed.warnings))
    problems: list[RowProblem] = []
    with uow:
        s = uow.session
        by_sku: dict[str, Variant] = {}
        products: dict[str, Product] = {}
        stock: list[tuple[Variant, str, int]] = []
        file_skus = {iv.sku for iv in parsed.variants}
        # Nothing reaches the database until every row has been checked.
        with s.no_autoflush:
            for iv in parsed.variants:
                try:
                    v, created = _apply_variant(uow, iv, products, report, file_skus, stock)
                except _RowError as exc:
                    problems.append(RowProblem(iv.row, exc.column, str(exc)))
                    continue
                by_sku[iv.sku] = v
                report.created_variants += created
            for iv in parsed.variants:
                if iv.components and iv.sku in by_sku:
                    problems.extend(_apply_components(uow, iv, by_sku[iv.sku], by_sku, report))
        if problems:
            raise CatalogFileError(source, sorted(problems, key=lambda p: p.row))
        refused = store.flush(s)
        if refused is None:
            for v, kind, delta in stock:
                reason = f"catalog import ({parsed.format})"
                s.add(StockMovement(variant_id=v.id, kind=kind, quantity=delta, reason=reason))
            refused = store.flush(s)
        if refused is not None:  # a clash no check above foresaw: still all-or-nothing
            raise CatalogError(f"{source}: import refused by the database: {refused}")
        if not dry_run:
            data = {
                "source": source,
                "format": parsed.format,
                "created": report.created_variants,
                "updated": report.updated_variants,
            }
            audit.record(uow, "catalog.import", "catalog", None, data, actor)
            _touch(uow)
            uow.commit()
    return report


def _snapshot(v: Variant) -> tuple[object, ...]:
    return (
        v.product,
        v.options,
        v.price_cents,
        v.cost_cents,
        v.barcode,
        v.per_order_limit,
        v.per_person_limit,
        v.edition_size,
        v.track_stock,
        v.on_hand,
    )


def _apply_variant(
    uow: UnitOfWork,
    iv: ImportedVariant,
    products: dict[str, Product],
    report: ImportReport,
    file_skus: set[str],
    stock: list[tuple[Variant, str, int]],
) -> tuple[Variant, bool]:
    s = uow.session
    if iv.kind not in KINDS:
        raise _RowError("kind", f"kind {iv.kind!r} is not one of {', '.join(KINDS)}")
    if iv.barcode:
        # Barcodes within the file were checked by the reader; here, against the rest.
        clash = store.barcode_owner(s, iv.barcode, except_skus=file_skus)
        if clash:
            raise _RowError("barcode", f"barcode {iv.barcode} already belongs to {clash}")
    product = products.get(iv.handle)
    if product is None:
        product = store.product_by_handle(s, iv.handle)
        if product is None:
            product = Product(handle=iv.handle, name=iv.product_name, kind=iv.kind)
            s.add(product)
            report.created_products += 1
            report.changes.append(f"new product {iv.product_name!r}")
        products[iv.handle] = product
        product.name = iv.product_name or product.name
        product.kind = iv.kind
        product.description = iv.description or product.description
        if iv.category:
            product.category = _get_or_create(uow, Category, iv.category)
        if iv.owner:
            product.owner = _get_or_create(uow, Owner, iv.owner)
        if iv.tax_class:
            try:
                product.tax_class = _tax_class(uow, iv.tax_class)
            except (CatalogError, MoneyError) as exc:
                raise _RowError("tax_class", str(exc)) from None
        if iv.kind == "experience":
            product.time_minutes = iv.time_minutes
            product.capacity = iv.capacity
            product.personalisation_prompt = iv.personalisation
            plan = SlotPlan.parse(iv.slots) if iv.slots else None
            product.slots_from = f"{plan.start:%H:%M}" if plan else None
            product.slots_until = f"{plan.end:%H:%M}" if plan else None
            product.slot_minutes = plan.minutes if plan else None
    v = store.by_sku(s, iv.sku, loaded=False)
    created = v is None
    if v is None:
        v = Variant(sku=iv.sku, product=product, on_hand=0, next_edition=1)
        s.add(v)
        report.changes.append(f"new variant {_describe(iv)}")
    before = _snapshot(v)
    v.product = product
    v.options = dict(iv.options)
    v.price_cents = iv.price
    v.cost_cents = iv.cost
    v.barcode = iv.barcode or None
    v.per_order_limit = iv.per_order_limit
    v.per_person_limit = iv.per_person_limit
    v.edition_size = iv.edition_size
    v.archived = False
    if iv.kind == "digital":
        if iv.quantity is not None:
            raise _RowError(
                "quantity",
                "a digital item's stock is its unused download codes: leave quantity blank "
                "and use popup-pos codes import",
            )
        if iv.components:
            raise _RowError("components", "a digital item cannot be a bundle")
        # Its on-hand moves only with its code pool (imports, sales, refunds).
        v.track_stock = True
    else:
        v.track_stock = iv.quantity is not None and not iv.components
    if iv.quantity is not None and not iv.components and iv.quantity != v.on_hand:
        stock.append((v, "count_in" if created else "adjustment", iv.quantity - v.on_hand))
        if not created:
            report.changes.append(f"stock {iv.sku}: {v.on_hand} → {iv.quantity}")
        v.on_hand = iv.quantity
    if not created:
        if _snapshot(v) != before:
            report.updated_variants += 1
            if before[2] != v.price_cents:
                report.changes.append(f"price {iv.sku}: {before[2]} → {v.price_cents}")
        else:
            report.unchanged_variants += 1
    return v, created


def _apply_components(
    uow: UnitOfWork,
    iv: ImportedVariant,
    bundle: Variant,
    by_sku: dict[str, Variant],
    report: ImportReport,
) -> list[RowProblem]:
    problems: list[RowProblem] = []
    wanted: dict[str, tuple[Variant, int]] = {}
    for sku, qty in iv.components:
        comp = by_sku.get(sku) or store.by_sku(uow.session, sku, loaded=False)
        if comp is None:
            problems.append(RowProblem(iv.row, "components", f"component SKU {sku!r} not found"))
        elif comp is bundle:
            problems.append(RowProblem(iv.row, "components", "a bundle cannot contain itself"))
        elif comp.product.kind != "item":
            problems.append(
                RowProblem(
                    iv.row,
                    "components",
                    f"{sku} is {comp.product.kind}: sell it on its own line, not in a bundle",
                )
            )
        else:
            wanted[comp.sku] = (comp, wanted.get(comp.sku, (comp, 0))[1] + qty)
    if problems:
        return problems
    existing = {c.component.sku: c for c in bundle.components}
    if {k: c.quantity for k, c in existing.items()} == {k: q for k, (_, q) in wanted.items()}:
        return problems
    # Update in place rather than delete and re-add, so the (bundle, component) pair
    # never exists twice within one flush.
    for sku, row in existing.items():
        if sku not in wanted:
            bundle.components.remove(row)
    for sku, (comp, qty) in wanted.items():
        if sku in existing:
            existing[sku].quantity = qty
        else:
            bundle.components.append(BundleComponent(component=comp, quantity=qty))
    report.changes.append(f"bundle {iv.sku}: {len(wanted)} component(s)")
    return problems


def export_rows(uow: UnitOfWork) -> list[ImportedVariant]:
    """The catalog in the importers' neutral shape, for writing back out."""
    with uow:
        out: list[ImportedVariant] = []
        for v in store.all_variants(uow.session):
            p = v.product
            out.append(
                ImportedVariant(
                    row=len(out) + 2,
                    handle=p.handle,
                    product_name=p.name,
                    sku=v.sku,
                    price=v.price_cents,
                    options=dict(v.options or {}),
                    barcode=v.barcode,
                    cost=v.cost_cents,
                    quantity=v.on_hand if v.track_stock and p.kind != "digital" else None,
                    category=p.category.name if p.category else None,
                    kind=p.kind,
                    owner=p.owner.name if p.owner else None,
                    description=p.description,
                    tax_class=p.tax_class.name if p.tax_class else None,
                    edition_size=v.edition_size,
                    per_order_limit=v.per_order_limit,
                    per_person_limit=v.per_person_limit,
                    time_minutes=p.time_minutes,
                    capacity=p.capacity,
                    slots=(
                        f"{p.slots_from}-{p.slots_until}/{p.slot_minutes}"
                        if p.slots_from and p.slots_until and p.slot_minutes
                        else None
                    ),
                    personalisation=p.personalisation_prompt,
                    components=[(c.component.sku, c.quantity) for c in v.components],
                )
            )
        return out
