"""Catalog queries: variants with their product, category, owner and bundle parts loaded."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from popup_pos.store.models import BundleComponent, Product, Variant


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
