"""Products and their variants read and written whole, with a version per row, for the
catalog window; every function takes the open unit of work and returns typed records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, func, insert, or_, select, update

from popup_pos.store import stock as stock_store
from popup_pos.store.catalog import VERSION_KEY
from popup_pos.store.models import (
    BundleComponent,
    Category,
    Event,
    OrderLine,
    Owner,
    Product,
    Setting,
    StockMovement,
    TaxClass,
    Variant,
    table_of,
    utcnow,
)
from popup_pos.store.uow import UnitOfWork

_p, _v, _bc = table_of(Product), table_of(Variant), table_of(BundleComponent)
_cat, _own, _tax = table_of(Category), table_of(Owner), table_of(TaxClass)
_lines, _moves, _settings = table_of(OrderLine), table_of(StockMovement), table_of(Setting)
_events = table_of(Event)

# The product fields the editor writes, by column.
PRODUCT_FIELDS = (
    "name",
    "kind",
    "description",
    "time_minutes",
    "capacity",
    "slots_from",
    "slots_until",
    "slot_minutes",
    "personalisation_prompt",
    "owner_share_ppm",
)
VARIANT_FIELDS = (
    "sku",
    "barcode",
    "options",
    "price_cents",
    "cost_cents",
    "edition_size",
    "per_order_limit",
    "per_person_limit",
    "low_stock_at",
)


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One variant as the catalog list shows it."""

    variant_id: int
    product_id: int
    product_name: str
    sku: str
    barcode: str | None
    options: tuple[tuple[str, str], ...]
    kind: str
    category: str | None
    price_cents: int | None
    on_hand: int
    track_stock: bool
    low_stock_at: int | None
    archived: bool


@dataclass(frozen=True, slots=True)
class VariantRecord:
    id: int
    sku: str
    barcode: str | None
    options: tuple[tuple[str, str], ...]
    price_cents: int | None
    cost_cents: int | None
    on_hand: int
    track_stock: bool
    edition_size: int | None
    per_order_limit: int | None
    per_person_limit: int | None
    low_stock_at: int | None
    archived: bool
    version: int
    parts: tuple[tuple[str, int], ...]  # bundle components: (SKU, quantity)


@dataclass(frozen=True, slots=True)
class ProductRecord:
    id: int
    handle: str
    name: str
    kind: str
    description: str | None
    category: str | None
    owner: str | None
    tax_class: str | None
    time_minutes: int | None
    capacity: int | None
    slots_from: str | None
    slots_until: str | None
    slot_minutes: int | None
    personalisation_prompt: str | None
    owner_share_ppm: int | None
    archived: bool
    version: int
    variants: tuple[VariantRecord, ...]


@dataclass(frozen=True, slots=True)
class LedgerRow:
    at: datetime
    kind: str
    quantity: int
    reason: str | None
    order_id: int | None


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def list_rows(uow: UnitOfWork) -> list[CatalogRow]:
    """Every variant, archived ones too, by product name."""
    archived = or_(_p.c.archived, _v.c.archived)
    stmt = (
        select(
            _v.c.id,
            _p.c.id,
            _p.c.name,
            _v.c.sku,
            _v.c.barcode,
            _v.c.options,
            _p.c.kind,
            _cat.c.name,
            _v.c.price_cents,
            _v.c.on_hand,
            _v.c.track_stock,
            _v.c.low_stock_at,
            archived,
        )
        .select_from(_v.join(_p, _p.c.id == _v.c.product_id).outerjoin(_cat))
        .order_by(func.lower(_p.c.name), _v.c.id)
    )
    return [
        CatalogRow(
            r[0], r[1], r[2], r[3], r[4], tuple((r[5] or {}).items()), r[6], r[7], r[8],
            r[9], bool(r[10]), r[11], bool(r[12]),
        )
        for r in uow.conn.execute(stmt)
    ]  # fmt: skip


def names(uow: UnitOfWork, what: str) -> list[str]:
    """The names of the categories, owners or tax classes, sorted."""
    table = {"category": _cat, "owner": _own, "tax_class": _tax}[what]
    return sorted(str(n) for n in uow.conn.scalars(select(table.c.name)))


def load(uow: UnitOfWork, product_id: int) -> ProductRecord | None:
    stmt = (
        select(_p, _cat.c.name.label("cat"), _own.c.name.label("own"), _tax.c.name.label("tax"))
        .select_from(_p.outerjoin(_cat).outerjoin(_own).outerjoin(_tax))
        .where(_p.c.id == product_id)
    )
    row = uow.conn.execute(stmt).mappings().one_or_none()
    if row is None:
        return None
    skus: dict[int, str] = {i: s for i, s in uow.conn.execute(select(_v.c.id, _v.c.sku))}
    parts: dict[int, list[tuple[str, int]]] = {}
    vrows = list(
        uow.conn.execute(select(_v).where(_v.c.product_id == product_id).order_by(_v.c.id))
        .mappings()
        .all()
    )
    ids = [v["id"] for v in vrows]
    if ids:
        query = select(_bc.c.bundle_id, _bc.c.component_id, _bc.c.quantity).where(
            _bc.c.bundle_id.in_(ids)
        )
        for bundle, comp, qty in uow.conn.execute(query.order_by(_bc.c.id)):
            parts.setdefault(bundle, []).append((skus[comp], qty))
    variants = tuple(
        VariantRecord(
            id=v["id"],
            sku=v["sku"],
            barcode=v["barcode"],
            options=tuple((v["options"] or {}).items()),
            price_cents=v["price_cents"],
            cost_cents=v["cost_cents"],
            on_hand=v["on_hand"],
            track_stock=bool(v["track_stock"]),
            edition_size=v["edition_size"],
            per_order_limit=v["per_order_limit"],
            per_person_limit=v["per_person_limit"],
            low_stock_at=v["low_stock_at"],
            archived=bool(v["archived"]),
            version=v["version"],
            parts=tuple(parts.get(v["id"], ())),
        )
        for v in vrows
    )
    return ProductRecord(
        id=row["id"],
        handle=row["handle"],
        name=row["name"],
        kind=row["kind"],
        description=row["description"],
        category=row["cat"],
        owner=row["own"],
        tax_class=row["tax"],
        time_minutes=row["time_minutes"],
        capacity=row["capacity"],
        slots_from=row["slots_from"],
        slots_until=row["slots_until"],
        slot_minutes=row["slot_minutes"],
        personalisation_prompt=row["personalisation_prompt"],
        owner_share_ppm=row["owner_share_ppm"],
        archived=bool(row["archived"]),
        version=row["version"],
        variants=variants,
    )


def handle_taken(uow: UnitOfWork, handle: str) -> bool:
    return uow.conn.scalar(select(func.count()).where(_p.c.handle == handle)) != 0


def name_id(uow: UnitOfWork, what: str, name: str | None, *, create: bool) -> int | None:
    """The id of a category, owner or tax class by name; new categories and owners are
    made when `create`; None for no name (or an unknown tax class)."""
    if not name:
        return None
    table = {"category": _cat, "owner": _own, "tax_class": _tax}[what]
    found = uow.conn.scalar(select(table.c.id).where(table.c.name == name))
    if found is not None or not create or what == "tax_class":
        return found
    return _new_id(uow.conn.execute(insert(table).values(name=name)))


def insert_product(uow: UnitOfWork, handle: str, values: dict[str, Any]) -> int:
    result = uow.conn.execute(insert(_p).values(handle=handle, version=1, **values))
    return _new_id(result)


def update_product(uow: UnitOfWork, product_id: int, version: int, values: dict[str, Any]) -> bool:
    """Write and bump the version if it is still `version`; False when someone else's
    save came first (one conditional update, so two registers cannot both win)."""
    stmt = (
        update(_p)
        .where(_p.c.id == product_id, _p.c.version == version)
        .values(version=_p.c.version + 1, **values)
    )
    return uow.conn.execute(stmt).rowcount == 1


def insert_variant(uow: UnitOfWork, product_id: int, values: dict[str, Any]) -> int:
    stmt = insert(_v).values(product_id=product_id, version=1, next_edition=1, **values)
    return _new_id(uow.conn.execute(stmt))


def update_variant(uow: UnitOfWork, variant_id: int, version: int, values: dict[str, Any]) -> bool:
    stmt = (
        update(_v)
        .where(_v.c.id == variant_id, _v.c.version == version)
        .values(version=_v.c.version + 1, **values)
    )
    return uow.conn.execute(stmt).rowcount == 1


def variant_id(uow: UnitOfWork, sku: str) -> int | None:
    return uow.conn.scalar(select(_v.c.id).where(_v.c.sku == sku))


def set_parts(uow: UnitOfWork, bundle_id: int, parts: list[tuple[int, int]]) -> None:
    uow.conn.execute(_bc.delete().where(_bc.c.bundle_id == bundle_id))
    if parts:
        rows = [{"bundle_id": bundle_id, "component_id": c, "quantity": q} for c, q in parts]
        uow.conn.execute(insert(_bc), rows)


def ever_sold(uow: UnitOfWork, variant_ids: list[int]) -> bool:
    """True when any order line or stock movement names one of the variants."""
    if not variant_ids:
        return False
    lines = select(func.count()).where(_lines.c.variant_id.in_(variant_ids))
    moves = select(func.count()).where(_moves.c.variant_id.in_(variant_ids))
    return bool(uow.conn.scalar(lines)) or bool(uow.conn.scalar(moves))


def delete_unsold(uow: UnitOfWork, product_id: int, variant_ids: list[int]) -> None:
    if variant_ids:
        uow.conn.execute(_bc.delete().where(_bc.c.bundle_id.in_(variant_ids)))
        uow.conn.execute(_v.delete().where(_v.c.id.in_(variant_ids)))
    uow.conn.execute(_p.delete().where(_p.c.id == product_id))


def set_archived(uow: UnitOfWork, product_id: int, version: int, archived: bool) -> bool:
    """The product and all its variants, so no scan finds an archived product either."""
    if not update_product(uow, product_id, version, {"archived": archived}):
        return False
    uow.conn.execute(
        update(_v)
        .where(_v.c.product_id == product_id)
        .values(archived=archived, version=_v.c.version + 1)
    )
    return True


def ledger(uow: UnitOfWork, variant_id: int) -> list[LedgerRow]:
    """A variant's stock movements, newest first."""
    stmt = (
        select(_moves.c.created_at, _moves.c.kind, _moves.c.quantity, _moves.c.reason)
        .add_columns(_moves.c.order_id)
        .where(_moves.c.variant_id == variant_id)
        .order_by(_moves.c.id.desc())
    )
    return [LedgerRow(*r) for r in uow.conn.execute(stmt)]


def touch_catalog(uow: UnitOfWork) -> None:
    """A fresh catalog token, so every register reloads its tiles."""
    value = {"token": secrets.token_hex(8)}
    done = uow.conn.execute(
        update(_settings).where(_settings.c.key == VERSION_KEY).values(value=value)
    )
    if done.rowcount == 0:
        uow.conn.execute(
            insert(_settings).values(key=VERSION_KEY, value=value, updated_at=utcnow())
        )


def open_event_id(uow: UnitOfWork) -> int | None:
    return uow.conn.scalar(select(_events.c.id).where(_events.c.status == "open"))


def count_in(uow: UnitOfWork, variant_id: int, n: int, *, reason: str) -> None:
    """A new variant's first stock, with its ledger row, in the caller's transaction."""
    stock_store.put(uow, variant_id, n)
    move = stock_store.StockMove(
        variant_id, "count_in", n, reason=reason, event_id=open_event_id(uow)
    )
    stock_store.log_moves(uow, [move])
