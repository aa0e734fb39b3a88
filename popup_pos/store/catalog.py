"""Catalog queries: variants with their product, category, owner and bundle parts loaded."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from popup_pos.store.models import (
    AnyRow,
    BundleComponent,
    Category,
    Owner,
    Product,
    Setting,
    TaxClass,
    Variant,
    table_of,
)

_v, _p, _bc = table_of(Variant), table_of(Product), table_of(BundleComponent)
_cat, _own, _tax = table_of(Category), table_of(Owner), table_of(TaxClass)
_SNAPSHOT = (
    select(
        _v.c.id,
        _v.c.sku,
        _v.c.barcode,
        _v.c.product_id,
        _v.c.options,
        _v.c.price_cents,
        _v.c.cost_cents,
        _v.c.track_stock,
        _v.c.on_hand,
        _v.c.per_order_limit,
        _v.c.edition_size,
        _v.c.low_stock_at,
        _p.c.name.label("product_name"),
        _p.c.kind,
        _cat.c.name.label("category"),
        _own.c.name.label("owner"),
        _tax.c.name.label("tax_name"),
        _tax.c.rate_ppm,
        _tax.c.inclusive,
        _v.c.per_person_limit,
        _p.c.personalisation_prompt,
    )
    .select_from(
        _v.join(_p, _p.c.id == _v.c.product_id)
        .outerjoin(_cat, _cat.c.id == _p.c.category_id)
        .outerjoin(_own, _own.c.id == _p.c.owner_id)
        .outerjoin(_tax, _tax.c.id == _p.c.tax_class_id)
    )
    .where(_v.c.archived.is_(False), _p.c.archived.is_(False))
    .order_by(_p.c.name, _v.c.id)
)
_PARTS = select(_bc.c.bundle_id, _bc.c.component_id, _bc.c.quantity)
_LEVELS = select(_v.c.id, _v.c.on_hand, _v.c.track_stock)


# The settings row every catalog change rewrites with a fresh token.
VERSION_KEY = "catalog_version"
_settings = table_of(Setting)
_VERSION = select(
    select(_settings.c.value).where(_settings.c.key == VERSION_KEY).scalar_subquery(),
    select(func.count()).select_from(_v).scalar_subquery(),
    select(func.max(_v.c.id)).scalar_subquery(),
    select(func.count()).select_from(_p).scalar_subquery(),
)


def catalog_version(conn: Connection) -> str:
    """Changes whenever the catalog does: the token catalog writers leave, with the
    variant and product counts as a backstop for a writer that left none. One cheap
    statement, for a screen that asks every second."""
    return repr(tuple(conn.execute(_VERSION).one()))


def stock_levels(conn: Connection) -> dict[int, int | None]:
    """variant id -> on hand, or None when its stock is not tracked."""
    return {i: (n if tracked else None) for i, n, tracked in conn.execute(_LEVELS)}


def snapshot_rows(
    conn: Connection,
) -> tuple[list[AnyRow], dict[int, list[tuple[int, int]]], dict[int, int | None]]:
    """Sellable variants with product, category, owner and tax; bundle parts; stock levels."""
    rows = list(conn.execute(_SNAPSHOT))
    parts: dict[int, list[tuple[int, int]]] = {}
    for bundle_id, component_id, qty in conn.execute(_PARTS):
        parts.setdefault(bundle_id, []).append((component_id, qty))
    levels = stock_levels(conn) if parts else {}
    return rows, parts, levels


def _loaded() -> Select[Variant]:
    return (
        select(Variant)
        .join(Variant.product)
        .options(
            joinedload(Variant.product).joinedload(Product.category),
            joinedload(Variant.product).joinedload(Product.owner),
            joinedload(Variant.product).joinedload(Product.tax_class),
            selectinload(Variant.components).joinedload(BundleComponent.component),
        )
        .where(Variant.archived.is_(False))
    )


def by_code(session: Session, code: str) -> Variant | None:
    """Exact SKU (any case) or barcode."""
    stmt = _loaded().where(or_(func.upper(Variant.sku) == code.upper(), Variant.barcode == code))
    return session.scalars(stmt).unique().first()


def by_sku(session: Session, sku: str, *, loaded: bool = True) -> Variant | None:
    """Exact SKU, archived or not when `loaded` is False (imports revive archived ones)."""
    if not loaded:
        return session.scalars(select(Variant).where(Variant.sku == sku)).one_or_none()
    return session.scalars(_loaded().where(Variant.sku == sku)).unique().first()


def matching(session: Session, text: str, limit: int) -> list[Variant]:
    """Name, SKU or barcode containing `text`, case-insensitively."""
    needle = f"%{text.strip().lower()}%"
    stmt = (
        _loaded()
        .where(
            or_(
                func.lower(Product.name).like(needle),
                func.lower(Variant.sku).like(needle),
                func.lower(func.coalesce(Variant.barcode, "")).like(needle),
            )
        )
        .order_by(Product.name, Variant.id)
        .limit(limit)
    )
    return list(session.scalars(stmt).unique())


def all_variants(session: Session) -> list[Variant]:
    return list(session.scalars(_loaded().order_by(Product.name, Variant.id)).unique())


def barcode_owner(
    session: Session,
    barcode: str,
    *,
    except_id: int | None = None,
    except_skus: Collection[str] = (),
) -> str | None:
    """The SKU that already has this barcode, leaving out the given variant or SKUs."""
    stmt = select(Variant.sku).where(Variant.barcode == barcode)
    if except_id is not None:
        stmt = stmt.where(Variant.id != except_id)
    if except_skus:
        stmt = stmt.where(Variant.sku.not_in(list(except_skus)))
    return session.scalar(stmt.limit(1))


def product_by_handle(session: Session, handle: str) -> Product | None:
    return session.scalars(select(Product).where(Product.handle == handle)).one_or_none()


def by_name(session: Session, model: Any, name: str) -> Any:
    """A Category, Owner or TaxClass row by its unique name."""
    return session.scalars(select(model).where(model.name == name)).one_or_none()


def flush(session: Session) -> str | None:
    """Write pending rows; the database's reason if a constraint refused them."""
    try:
        session.flush()
    except IntegrityError as exc:
        return str(exc.orig)
    return None
