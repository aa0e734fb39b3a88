"""Catalog lookups and edits: find by code, search, list, the selling screen's snapshot."""

from __future__ import annotations

from typing import Any

from popup_pos.domain.catalog_file import (
    ImportedVariant,
)
from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import SEARCH_LENGTH, could_be_code
from popup_pos.domain.pricing import TaxClass as TaxClassSpec
from popup_pos.services import audit
from popup_pos.services.views import DEFAULT_LOW_STOCK as DEFAULT_LOW_STOCK
from popup_pos.services.views import VariantView as VariantView
from popup_pos.services.views import variant_views
from popup_pos.store import catalog as catalog_store
from popup_pos.store import models as models_store
from popup_pos.store.uow import UnitOfWork

KINDS = ("item", "digital", "experience")


class CatalogError(PosError):
    """A catalog lookup or edit that cannot be done."""


def _available(v: models_store.Variant) -> int | None:
    if v.components:
        limits = [
            c.component.on_hand // c.quantity for c in v.components if c.component.track_stock
        ]
        return min(limits) if limits else None
    return v.on_hand if v.track_stock else None


def view(v: models_store.Variant) -> VariantView:
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
        v = catalog_store.by_code(uow, code)
        return view(v) if v else None


def search(uow: UnitOfWork, text: str, *, limit: int = 50) -> list[VariantView]:
    """Name, SKU or barcode containing `text`, case-insensitively."""
    if not text.isprintable() or len(text) > SEARCH_LENGTH:
        return []
    with uow:
        return [view(v) for v in catalog_store.matching(uow, text, limit)]


def list_variants(uow: UnitOfWork, *, low_stock: bool = False) -> list[VariantView]:
    with uow:
        rows = [view(v) for v in catalog_store.all_variants(uow)]
    if low_stock:
        rows = [r for r in rows if r.low_stock or r.sold_out]
    return rows


def snapshot(uow: UnitOfWork) -> list[VariantView]:
    """Every sellable variant, read with two plain queries: fast enough for a selling
    screen to load a 10,000-variant catalog at start-up."""
    with uow:
        rows, parts, levels = catalog_store.snapshot_rows(uow)
    return variant_views(rows, parts, levels)


def version(uow: UnitOfWork) -> str:
    """A value that changes whenever the catalog changes (not its stock): a register
    compares it every second and reloads the catalog only when it moved."""
    with uow:
        return catalog_store.catalog_version(uow)


def touch(uow: UnitOfWork) -> None:
    catalog_store.touch_version(uow)


def stock_levels(uow: UnitOfWork) -> dict[int, int | None]:
    """variant id -> on hand (None when not tracked): a cheap refresh of stock badges."""
    with uow:
        return catalog_store.stock_levels(uow)


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
        v = catalog_store.by_sku(uow, sku)
        if v is None:
            raise CatalogError(f"no variant with SKU {sku!r}")
        if barcode is not None:
            clash = catalog_store.barcode_owner(uow, barcode, except_id=v.id)
            if clash:
                raise CatalogError(f"barcode {barcode!r} already belongs to {clash}")
        catalog_store.update_variant(uow, v, changes)
        audit.record(uow, "variant.update", "variant", v.sku, changes, actor)
        touch(uow)
        uow.commit()
        return view(v)


def export_rows(uow: UnitOfWork) -> list[ImportedVariant]:
    """The catalog as a catalog file's neutral rows, for writing back out."""
    with uow:
        out: list[ImportedVariant] = []
        for v in catalog_store.all_variants(uow):
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
