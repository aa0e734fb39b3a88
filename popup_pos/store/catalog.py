"""Catalog queries: variants with their product, category, owner and bundle parts loaded."""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from popup_pos.store import settings as settings_store
from popup_pos.store import stock as stock_store
from popup_pos.store.engine import DriverSql
from popup_pos.store.models import (
    AnyRow,
    BundleComponent,
    Category,
    EditionReturn,
    Owner,
    Product,
    Setting,
    TaxClass,
    Variant,
    table_of,
)
from popup_pos.store.uow import UnitOfWork

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


def catalog_version(uow: UnitOfWork) -> str:
    """Changes whenever the catalog does: the token catalog writers leave, with the
    variant and product counts as a backstop for a writer that left none. One cheap
    statement, for a screen that asks every second."""
    return repr(tuple(uow.conn.execute(_VERSION).one()))


def touch_version(uow: UnitOfWork) -> None:
    """Leave a fresh token: a fresh token, not a counter, so two registers writing at
    once still leave a new value."""
    settings_store.write(uow.session, VERSION_KEY, {"token": secrets.token_hex(8)})


def stock_levels(uow: UnitOfWork) -> dict[int, int | None]:
    """variant id -> on hand, or None when its stock is not tracked."""
    return _levels(uow.conn)


def _levels(conn: Connection) -> dict[int, int | None]:
    return {i: (n if tracked else None) for i, n, tracked in conn.execute(_LEVELS)}


def snapshot_rows(
    uow: UnitOfWork,
) -> tuple[list[AnyRow], dict[int, list[tuple[int, int]]], dict[int, int | None]]:
    """Sellable variants with product, category, owner and tax; bundle parts; stock levels."""
    conn = uow.conn
    rows = list(conn.execute(_SNAPSHOT))
    parts: dict[int, list[tuple[int, int]]] = {}
    for bundle_id, component_id, qty in conn.execute(_PARTS):
        parts.setdefault(bundle_id, []).append((component_id, qty))
    levels = _levels(conn) if parts else {}
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


def by_code(uow: UnitOfWork, code: str) -> Variant | None:
    """Exact SKU (any case) or barcode."""
    stmt = _loaded().where(or_(func.upper(Variant.sku) == code.upper(), Variant.barcode == code))
    return uow.session.scalars(stmt).unique().first()


def by_sku(uow: UnitOfWork, sku: str, *, loaded: bool = True) -> Variant | None:
    """Exact SKU, archived or not when `loaded` is False (imports revive archived ones)."""
    session = uow.session
    if not loaded:
        return session.scalars(select(Variant).where(Variant.sku == sku)).one_or_none()
    return session.scalars(_loaded().where(Variant.sku == sku)).unique().first()


def matching(uow: UnitOfWork, text: str, limit: int) -> list[Variant]:
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
    return list(uow.session.scalars(stmt).unique())


def all_variants(uow: UnitOfWork) -> list[Variant]:
    return list(uow.session.scalars(_loaded().order_by(Product.name, Variant.id)).unique())


def barcode_owner(
    uow: UnitOfWork,
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
    return uow.session.scalar(stmt.limit(1))


def update_variant(uow: UnitOfWork, variant: Variant, changes: Mapping[str, int | str]) -> None:
    """Set the given columns of one variant (names checked against the few editable ones)."""
    for key, value in changes.items():
        if key not in _EDITABLE:
            raise ValueError(f"variant column {key!r} cannot be edited here")
        setattr(variant, key, value)
    uow.session.flush()


_EDITABLE = frozenset(("price_cents", "cost_cents", "barcode", "per_order_limit", "low_stock_at"))

# ---- whole-catalog import ------------------------------------------------------------
# An import reads the catalog in a few plain queries, checks every row in memory, and
# writes with one executemany per table: the write lock is held for well under a second
# even for tens of thousands of rows, so registers keep selling.


@dataclass(slots=True)
class ImportState:
    """The parts of the catalog an import compares a file against."""

    variants: dict[str, AnyRow]  # by exact SKU
    products: dict[str, AnyRow]  # by handle
    categories: dict[str, int]
    owners: dict[str, int]
    tax_classes: dict[str, AnyRow]  # by name: id, rate_ppm, inclusive
    components: dict[int, dict[int, int]]  # bundle id -> {component id: quantity}
    returned: dict[int, int]  # variant id -> edition numbers given back by refunds


_STATE_VARIANTS = select(
    _v.c.id,
    _v.c.sku,
    _v.c.barcode,
    _v.c.product_id,
    _v.c.options,
    _v.c.price_cents,
    _v.c.cost_cents,
    _v.c.per_order_limit,
    _v.c.per_person_limit,
    _v.c.edition_size,
    _v.c.next_edition,
    _v.c.track_stock,
    _v.c.on_hand,
    _v.c.archived,
    _p.c.handle,
    _p.c.kind,
).join_from(_v, _p, _p.c.id == _v.c.product_id)


def import_state(uow: UnitOfWork) -> ImportState:
    """The catalog as an import needs it, in one pass over each table."""
    conn = uow.conn
    returns = table_of(EditionReturn)
    components: dict[int, dict[int, int]] = {}
    for bundle_id, component_id, qty in conn.execute(_PARTS):
        components.setdefault(bundle_id, {})[component_id] = qty
    return ImportState(
        variants={row.sku: row for row in conn.execute(_STATE_VARIANTS)},
        products={row.handle: row for row in conn.execute(select(_p))},
        categories={name: i for i, name in conn.execute(select(_cat.c.id, _cat.c.name))},
        owners={name: i for i, name in conn.execute(select(_own.c.id, _own.c.name))},
        tax_classes={row.name: row for row in conn.execute(select(_tax))},
        components=components,
        returned={
            vid: int(n)
            for vid, n in conn.execute(
                select(returns.c.variant_id, func.count()).group_by(returns.c.variant_id)
            )
        },
    )


@dataclass(slots=True)
class ImportWrites:
    """Everything an import changes, as rows for bulk statements.

    Products and variants refer to each other by handle and SKU, and to categories, owners
    and tax classes by name, since new ones have no id until they are inserted.
    """

    categories: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    tax_classes: list[dict[str, Any]] = field(default_factory=list)
    new_products: list[dict[str, Any]] = field(default_factory=list)
    changed_products: list[dict[str, Any]] = field(default_factory=list)  # with "id"
    new_variants: list[dict[str, Any]] = field(default_factory=list)
    changed_variants: list[dict[str, Any]] = field(default_factory=list)  # with "id"
    parts: dict[str, dict[str, int]] = field(default_factory=dict)  # bundle SKU -> parts
    count_ins: list[tuple[str, int]] = field(default_factory=list)  # new SKU, quantity
    # Existing variant id -> on hand wanted; the difference is taken at write time, so a
    # sale made while the file was being checked is not lost from the ledger.
    counts: dict[int, int] = field(default_factory=dict)


# The catalog as raw rows, stock levels left out (sales change them all the time).
_MARK = (
    "SELECT id, sku, barcode, product_id, options, price_cents, cost_cents, per_order_limit,"
    " per_person_limit, edition_size, next_edition, track_stock, archived FROM variants"
    " ORDER BY id",
    "SELECT * FROM products ORDER BY id",
    "SELECT * FROM categories ORDER BY id",
    "SELECT * FROM owners ORDER BY id",
    "SELECT * FROM tax_classes ORDER BY id",
    "SELECT bundle_id, component_id, quantity FROM bundle_components ORDER BY id",
    "SELECT variant_id, number FROM edition_returns ORDER BY id",
)


def catalog_mark(uow: UnitOfWork) -> list[list[tuple[Any, ...]]]:
    """Everything an import's checks depend on, read raw (no JSON decoding) to be cheap:
    equal marks mean a plan made from the first is still right for the second."""
    return [[tuple(row) for row in uow.conn.exec_driver_sql(sql)] for sql in _MARK]


_VARIANT_COLUMNS = (
    "product_id",
    "sku",
    "barcode",
    "options",
    "price_cents",
    "cost_cents",
    "per_order_limit",
    "per_person_limit",
    "edition_size",
    "next_edition",
    "track_stock",
    "on_hand",
    "archived",
)
# Written by hand for speed: a first import of a big catalog inserts tens of thousands of
# variants while holding the write lock (see DriverSql). `options` goes in as JSON text.
_INSERT_VARIANT = DriverSql(
    f"INSERT INTO variants ({', '.join(_VARIANT_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _VARIANT_COLUMNS)})"
)
_REFS = (("category", "category_id"), ("owner", "owner_id"), ("tax_class", "tax_class_id"))


def apply_import(uow: UnitOfWork, w: ImportWrites, *, reason: str) -> str | None:
    """Write a checked import with one statement per table and kind of change; the
    database's reason if a constraint refused it (the caller then rolls back)."""
    try:
        _apply_import(uow, w, reason=reason)
    except IntegrityError as exc:
        return str(exc.orig)
    return None


def _apply_import(uow: UnitOfWork, w: ImportWrites, *, reason: str) -> None:
    conn = uow.conn
    if w.categories:
        conn.execute(insert(_cat), [{"name": n} for n in w.categories])
    if w.owners:
        conn.execute(insert(_own), [{"name": n} for n in w.owners])
    if w.tax_classes:
        conn.execute(insert(_tax), w.tax_classes)
    ids: dict[str, dict[str, int]] = {
        "category": {n: i for i, n in conn.execute(select(_cat.c.id, _cat.c.name))},
        "owner": {n: i for i, n in conn.execute(select(_own.c.id, _own.c.name))},
        "tax_class": {n: i for i, n in conn.execute(select(_tax.c.id, _tax.c.name))},
    }

    def resolved(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for name, column in _REFS:
            if name in out:
                ref = out.pop(name)
                out[column] = ids[name][ref] if ref is not None else None
        return out

    if w.new_products:
        conn.execute(insert(_p), [resolved(r) for r in w.new_products])
    # Every row an import changes gets a new version (see _new_versions).
    _update_many(conn, _p, [resolved(r) for r in w.changed_products], bump=True)
    product_ids = {h: i for i, h in conn.execute(select(_p.c.id, _p.c.handle))}

    def with_product(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        if "handle" in out:
            out["product_id"] = product_ids[out.pop("handle")]
        return out

    # A barcode moving from one variant to another must leave before it arrives.
    moving = [r["id"] for r in w.changed_variants if "barcode" in r]
    # Which product each variant is in before the import moves any (read whole, as below:
    # an IN list the size of a big catalog would pass the databases' parameter limits).
    was_in: dict[int, int] = {i: p for i, p in conn.execute(select(_v.c.id, _v.c.product_id))}
    if moving:
        _update_many(conn, _v, [{"id": i, "barcode": None} for i in moving])
    _update_many(conn, _v, [with_product(r) for r in w.changed_variants], bump=True)
    _INSERT_VARIANT.many(
        conn,
        [
            {
                **{k: r[k] for k in _VARIANT_COLUMNS if k not in ("product_id", "options")},
                "product_id": product_ids[r["handle"]],
                "options": json.dumps(r["options"]),
            }
            for r in w.new_variants
        ],
    )
    variant_ids = {s: i for i, s in conn.execute(select(_v.c.id, _v.c.sku))}

    if w.parts:
        bundle_ids = [variant_ids[sku] for sku in w.parts]
        conn.execute(delete(_bc).where(_bc.c.bundle_id.in_(bundle_ids)))
        rows = [
            {"bundle_id": variant_ids[sku], "component_id": variant_ids[part], "quantity": q}
            for sku, parts in w.parts.items()
            for part, q in parts.items()
        ]
        if rows:
            conn.execute(insert(_bc), rows)
    _new_versions(conn, w, was_in, product_ids, variant_ids)
    moves = [
        stock_store.StockMove(variant_ids[sku], "count_in", n, reason=reason)
        for sku, n in w.count_ins
    ]
    if w.counts:
        now: dict[int, int] = {i: n for i, n in conn.execute(select(_v.c.id, _v.c.on_hand))}
        counted = [(i, n) for i, n in w.counts.items() if now[i] != n]
        _update_many(conn, _v, [{"id": i, "on_hand": n} for i, n in counted])
        moves.extend(
            stock_store.StockMove(i, "adjustment", n - now[i], reason=reason) for i, n in counted
        )
    stock_store.log_moves(uow, moves)


def _new_versions(
    conn: Connection,
    w: ImportWrites,
    was_in: Mapping[int, int],
    product_ids: Mapping[str, int],
    variant_ids: Mapping[str, int],
) -> None:
    """Versions up for what the import changed beyond its updated rows, as a save from the
    product editor does, so an editor left open over any of it is refused at its next save
    instead of writing its stale copy back over the import.

    The editor saves a product whole, product row first: a product whose variants changed,
    gained a variant, lost one to another product or whose bundle parts changed
    gets a new version; a bundle whose parts changed gets one too (changed variants and
    products already got theirs with their update).
    """
    new_skus = {r["sku"] for r in w.new_variants}
    bundles = {variant_ids[sku] for sku in w.parts if sku not in new_skus}
    rows = (*w.new_variants, *w.changed_variants)
    products = {product_ids[r["handle"]] for r in rows if "handle" in r}
    products.update(was_in[r["id"]] for r in w.changed_variants)
    products.update(was_in[i] for i in bundles)
    products -= {product_ids[r["handle"]] for r in w.new_products}
    products -= {r["id"] for r in w.changed_products}
    for table, ids in ((_v, bundles), (_p, products)):
        if ids:
            stmt = update(table).where(table.c.id == bindparam("_id"))
            conn.execute(
                stmt.values(version=table.c.version + 1), [{"_id": i} for i in sorted(ids)]
            )


def _update_many(
    conn: Connection, table: Any, rows: list[dict[str, Any]], *, bump: bool = False
) -> None:
    """One executemany per set of columns changed (executemany needs the same keys);
    with `bump`, each row's version goes up by one."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        keys = tuple(sorted(k for k in row if k != "id"))
        if keys:
            groups.setdefault(keys, []).append(row)
    for keys, group in groups.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({k: bindparam(f"_{k}") for k in keys})
        )
        if bump:
            stmt = stmt.values(version=table.c.version + 1)
        conn.execute(stmt, [{f"_{k}": v for k, v in r.items()} for r in group])
