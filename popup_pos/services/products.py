"""Catalog editing from the app: a product with its variants saved whole, checked by the
importer's rules, refused when another register saved it first; archive; stock ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from popup_pos.domain.catalog_file import CatalogFileError, ImportedVariant, ParsedCatalog
from popup_pos.domain.errors import PosError
from popup_pos.domain.experiences import SlotError, SlotPlan
from popup_pos.domain.limits import MAX_QUANTITY
from popup_pos.importers.table import derive_sku
from popup_pos.services import audit, catalog
from popup_pos.store import products as products_store
from popup_pos.store.products import CatalogRow, LedgerRow, ProductRecord, VariantRecord
from popup_pos.store.uow import UnitOfWork

__all__ = [
    "CatalogRow",
    "ConflictError",
    "LedgerRow",
    "ProductDraft",
    "ProductError",
    "ProductRecord",
    "VariantDraft",
    "VariantRecord",
]

KINDS = ("item", "digital", "experience")
# Importer columns that belong to the product, not to one variant.
PRODUCT_COLUMNS = frozenset(
    {
        "product",
        "handle",
        "kind",
        "category",
        "owner",
        "tax_class",
        "time_minutes",
        "capacity",
        "slots",
        "personalisation",
        "description",
        "owner_share",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad field: `row` is the variant's index in the draft, None for the product."""

    column: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        return self.message


class ProductError(PosError):
    """A product that cannot be saved; `problems` names each field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0].message}{more}" if problems else "cannot be saved")


class ConflictError(ProductError):
    """Someone saved the product after it was opened here."""


@dataclass(frozen=True, slots=True)
class VariantDraft:
    sku: str
    options: tuple[tuple[str, str], ...] = ()
    price_cents: int | None = None
    id: int | None = None  # None: a new variant
    barcode: str | None = None
    cost_cents: int | None = None
    stock: int | None = None  # counted in when the variant is new
    edition_size: int | None = None
    per_order_limit: int | None = None
    per_person_limit: int | None = None
    low_stock_at: int | None = None
    parts: tuple[tuple[str, int], ...] = ()  # bundle components: (SKU, quantity)


@dataclass(frozen=True, slots=True)
class ProductDraft:
    name: str
    variants: tuple[VariantDraft, ...]
    kind: str = "item"
    category: str | None = None
    owner: str | None = None
    owner_share_ppm: int | None = None
    tax_class: str | None = None
    description: str | None = None
    time_minutes: int | None = None
    capacity: int | None = None
    slots: str | None = None  # "20:00-21:00/5"
    personalisation_prompt: str | None = None


def _require_organizer(role: str) -> None:
    if role != "organizer":
        raise ProductError([Problem("role", "Only the organizer can change the catalog")])


def suggest_sku(name: str, option_values: list[str] | tuple[str, ...]) -> str:
    """BAND-TEE-M from ('Band tee', ['M']): the importer's own rule; '' with no name yet."""
    if not name.strip():
        return ""
    return derive_sku(name, [v for v in option_values if v])


def _handle(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:180] or "product"


def rows(uow: UnitOfWork) -> list[CatalogRow]:
    with UnitOfWork(uow.engine, read_only=True) as reading:
        return products_store.list_rows(reading)


def names(uow: UnitOfWork, what: str) -> list[str]:
    """Categories, owners or tax classes by name, for the editor's choices."""
    with UnitOfWork(uow.engine, read_only=True) as reading:
        return products_store.names(reading, what)


def get(uow: UnitOfWork, product_id: int) -> ProductRecord:
    with UnitOfWork(uow.engine, read_only=True) as reading:
        found = products_store.load(reading, product_id)
    if found is None:
        raise ProductError([Problem("product", f"no product with id {product_id}")])
    return found


def ledger(uow: UnitOfWork, variant_id: int) -> list[LedgerRow]:
    with UnitOfWork(uow.engine, read_only=True) as reading:
        return products_store.ledger(reading, variant_id)


# ---- checks ---------------------------------------------------------------------------------


def _basic(draft: ProductDraft) -> list[Problem]:
    out: list[Problem] = []
    if not draft.name.strip():
        out.append(Problem("product", "The product needs a name"))
    if draft.kind not in KINDS:
        out.append(Problem("kind", f"kind {draft.kind!r} is not one of {', '.join(KINDS)}"))
    if not draft.variants:
        out.append(Problem("sku", "A product needs at least one variant"))
    if draft.owner_share_ppm is not None and not 0 <= draft.owner_share_ppm <= 1_000_000:
        out.append(Problem("owner_share", "The owner's share is between 0 and 100 %"))
    if draft.slots:
        try:
            SlotPlan.parse(draft.slots)
        except SlotError as exc:
            out.append(Problem("slots", str(exc)))
    seen: dict[str, int] = {}
    for i, v in enumerate(draft.variants):
        if not v.sku.strip():
            out.append(Problem("sku", f"variant {i + 1} needs an SKU", i))
        elif v.sku.upper() in seen:
            out.append(Problem("sku", f"SKU {v.sku} is on two rows", i))
        seen[v.sku.upper()] = i
        if v.stock is not None and not 0 <= v.stock <= MAX_QUANTITY:
            out.append(Problem("quantity", f"stock {v.stock} of {v.sku} is out of range", i))
        for name in ("cost_cents", "low_stock_at"):
            value = getattr(v, name)
            if value is not None and value < 0:
                what = name.replace("_cents", "").replace("_", " ")
                out.append(Problem(name.replace("_cents", ""), f"{what} cannot be negative", i))
    return out


def _imported(draft: ProductDraft, handle: str, on_hand: dict[str, int]) -> ParsedCatalog:
    rows_: list[ImportedVariant] = []
    for i, v in enumerate(draft.variants):
        quantity = on_hand.get(v.sku, v.stock if v.id is None else None)
        if draft.kind == "digital" and v.id is not None:
            quantity = None  # its stock is its code pool, which the importer leaves alone
        rows_.append(
            ImportedVariant(
                row=i + 2,
                handle=handle,
                product_name=draft.name.strip(),
                sku=v.sku.strip(),
                price=v.price_cents,
                options=dict(v.options),
                barcode=v.barcode,
                cost=v.cost_cents,
                quantity=quantity,
                category=draft.category,
                kind=draft.kind,
                owner=draft.owner,
                description=draft.description,
                tax_class=draft.tax_class,
                edition_size=v.edition_size,
                per_order_limit=v.per_order_limit,
                time_minutes=draft.time_minutes,
                capacity=draft.capacity,
                slots=draft.slots,
                personalisation=draft.personalisation_prompt,
                per_person_limit=v.per_person_limit,
                components=list(v.parts),
            )
        )
    return ParsedCatalog("native", rows_)


def check(uow: UnitOfWork, draft: ProductDraft, original: ProductRecord | None = None) -> None:
    """Every rule an import applies to the same rows; raises ProductError naming each field."""
    problems = _basic(draft)
    if problems:
        raise ProductError(problems)
    handle = original.handle if original else _handle(draft.name)
    known = {v.sku: v.on_hand for v in original.variants} if original else {}
    parsed = _imported(draft, handle, {s: n for s, n in known.items() if n})
    try:
        catalog.import_catalog(UnitOfWork(uow.engine), parsed, source="product", dry_run=True)
    except CatalogFileError as exc:
        raise ProductError(
            [
                Problem(p.column, p.message, None if p.column in PRODUCT_COLUMNS else p.row - 2)
                for p in exc.problems
            ]
        ) from None
    except PosError as exc:
        raise ProductError([Problem("product", str(exc))]) from None


# ---- saving ---------------------------------------------------------------------------------


def _product_values(uow: UnitOfWork, draft: ProductDraft) -> dict[str, Any]:
    plan = SlotPlan.parse(draft.slots) if draft.slots else None
    tax_id = products_store.name_id(uow, "tax_class", draft.tax_class, create=False)
    if draft.tax_class and tax_id is None:
        raise ProductError([Problem("tax_class", f"no tax class {draft.tax_class!r}")])
    return {
        "name": draft.name.strip(),
        "kind": draft.kind,
        "description": draft.description or None,
        "category_id": products_store.name_id(uow, "category", draft.category, create=True),
        "owner_id": products_store.name_id(uow, "owner", draft.owner, create=True),
        "tax_class_id": tax_id,
        "time_minutes": draft.time_minutes,
        "capacity": draft.capacity,
        "slots_from": f"{plan.start:%H:%M}" if plan else None,
        "slots_until": f"{plan.end:%H:%M}" if plan else None,
        "slot_minutes": plan.minutes if plan else None,
        "personalisation_prompt": draft.personalisation_prompt or None,
        "owner_share_ppm": draft.owner_share_ppm,
    }


def _variant_values(v: VariantDraft, *, archived: bool) -> dict[str, Any]:
    return {
        "sku": v.sku.strip(),
        "barcode": v.barcode or None,
        "options": dict(v.options),
        "price_cents": v.price_cents,
        "cost_cents": v.cost_cents,
        "edition_size": v.edition_size,
        "per_order_limit": v.per_order_limit,
        "per_person_limit": v.per_person_limit,
        "low_stock_at": v.low_stock_at,
        # An archived product's variants stay archived with it until it is restored.
        "archived": archived,
    }


_PRODUCT_WORDS = {
    "name": "name",
    "kind": "kind",
    "category": "category",
    "owner": "owner",
    "tax_class": "tax class",
    "description": "description",
    "time_minutes": "minutes",
    "capacity": "capacity",
    "slots_from": "time slots",
    "slot_minutes": "time slots",
    "personalisation_prompt": "personalisation",
    "owner_share_ppm": "owner's share",
    "archived": "archived",
}
_VARIANT_WORDS = {
    "sku": "SKU",
    "barcode": "barcode",
    "options": "options",
    "price_cents": "price",
    "cost_cents": "cost",
    "edition_size": "edition size",
    "per_order_limit": "per-order limit",
    "per_person_limit": "per-person limit",
    "low_stock_at": "low-stock level",
    "archived": "archived",
    "parts": "bundle parts",
}


def what_changed(before: ProductRecord, now: ProductRecord | None) -> str:
    """'price of TEE-M, category': what another save changed since `before` was read."""
    if now is None:
        return "it was deleted"
    changed = [w for k, w in _PRODUCT_WORDS.items() if getattr(before, k) != getattr(now, k)]
    old = {v.id: v for v in before.variants}
    for v in now.variants:
        was = old.get(v.id)
        if was is None:
            changed.append(f"new variant {v.sku}")
            continue
        diff = [w for k, w in _VARIANT_WORDS.items() if getattr(was, k) != getattr(v, k)]
        changed.extend(f"{w} of {was.sku}" for w in diff)
    return ", ".join(dict.fromkeys(changed)) or "its version"


def _conflict(uow: UnitOfWork, original: ProductRecord) -> ConflictError:
    now = products_store.load(uow, original.id)
    return ConflictError(
        [
            Problem(
                "version",
                f"{original.name} was changed on another register after you opened it "
                f"({what_changed(original, now)}); your save was not applied: "
                "reopen it to see the change",
            )
        ]
    )


def save(
    uow: UnitOfWork,
    draft: ProductDraft,
    *,
    original: ProductRecord | None = None,
    role: str = "organizer",
    actor: str | None = None,
) -> ProductRecord:
    """Create the product (original None) or write the editor's copy over `original`, in
    one transaction with one audit entry. Variants left out of the draft are archived.
    A save made from a read older than the database's is refused with ConflictError."""
    _require_organizer(role)
    check(uow, draft, original)
    with uow:
        product_id = _write(uow, draft, original)
        audit.record(
            uow,
            "product.update" if original else "product.create",
            "product",
            product_id,
            {"name": draft.name, "skus": [v.sku for v in draft.variants]},
            actor,
        )
        products_store.touch_catalog(uow)
        uow.commit()
    return get(uow, product_id)


def _write(uow: UnitOfWork, draft: ProductDraft, original: ProductRecord | None) -> int:
    values = _product_values(uow, draft)
    if original is None:
        handle = _handle(draft.name)
        n = 1
        while products_store.handle_taken(uow, handle):
            n += 1
            handle = f"{_handle(draft.name)}-{n}"
        product_id = products_store.insert_product(uow, handle, values)
    else:
        product_id = original.id
        if not products_store.update_product(uow, product_id, original.version, values):
            raise _conflict(uow, original)
    old = {v.id: v for v in original.variants} if original else {}
    ids: dict[str, int] = {}
    for i, v in enumerate(draft.variants):
        clash = products_store.variant_id(uow, v.sku.strip())
        if clash is not None and clash != v.id:
            raise ProductError([Problem("sku", f"SKU {v.sku} already belongs to another item", i)])
        vals = _variant_values(v, archived=original.archived if original else False)
        if v.id is None:
            # A blank stock means not tracked, as in an imported file; a digital item's
            # stock is always its code pool.
            tracked = v.stock is not None or draft.kind == "digital"
            vid = products_store.insert_variant(uow, product_id, {**vals, "track_stock": tracked})
            if v.stock:
                products_store.count_in(uow, vid, v.stock, reason="new in the catalog")
        else:
            was = old.get(v.id)
            if was is None or not products_store.update_variant(uow, v.id, was.version, vals):
                assert original is not None
                raise _conflict(uow, original)
            vid = v.id
        ids[v.sku.strip()] = vid
    for v in draft.variants:
        parts = [(products_store.variant_id(uow, s) or 0, q) for s, q in v.parts]
        products_store.set_parts(uow, ids[v.sku.strip()], parts)
    kept = {v.id for v in draft.variants}
    for gone in old.values():
        if gone.id not in kept and not gone.archived:
            products_store.update_variant(uow, gone.id, gone.version, {"archived": True})
    return product_id


def archive(
    uow: UnitOfWork,
    original: ProductRecord,
    *,
    restore: bool = False,
    role: str = "organizer",
    actor: str | None = None,
) -> ProductRecord:
    """Take a product off the tiles (or bring it back); its sales and ledger stay."""
    _require_organizer(role)
    with uow:
        if not products_store.set_archived(uow, original.id, original.version, not restore):
            raise _conflict(uow, original)
        action = "product.restore" if restore else "product.archive"
        audit.record(uow, action, "product", original.id, {"name": original.name}, actor)
        products_store.touch_catalog(uow)
        uow.commit()
    return get(uow, original.id)


def delete(
    uow: UnitOfWork, original: ProductRecord, *, role: str = "organizer", actor: str | None = None
) -> None:
    """Remove a product nobody has sold or counted; a sold one is archived instead."""
    _require_organizer(role)
    ids = [v.id for v in original.variants]
    with uow:
        if products_store.ever_sold(uow, ids):
            raise ProductError(
                [Problem("product", f"{original.name} has sales or stock history: archive it")]
            )
        products_store.delete_unsold(uow, original.id, ids)
        audit.record(uow, "product.delete", "product", original.id, {"name": original.name}, actor)
        products_store.touch_catalog(uow)
        uow.commit()


def draft_of(record: ProductRecord) -> ProductDraft:
    """The product as read, as a draft to change and save."""
    slots = None
    if record.slots_from and record.slots_until and record.slot_minutes:
        slots = f"{record.slots_from}-{record.slots_until}/{record.slot_minutes}"
    return ProductDraft(
        name=record.name,
        kind=record.kind,
        category=record.category,
        owner=record.owner,
        owner_share_ppm=record.owner_share_ppm,
        tax_class=record.tax_class,
        description=record.description,
        time_minutes=record.time_minutes,
        capacity=record.capacity,
        slots=slots,
        personalisation_prompt=record.personalisation_prompt,
        variants=tuple(
            VariantDraft(
                sku=v.sku,
                options=v.options,
                price_cents=v.price_cents,
                id=v.id,
                barcode=v.barcode,
                cost_cents=v.cost_cents,
                edition_size=v.edition_size,
                per_order_limit=v.per_order_limit,
                per_person_limit=v.per_person_limit,
                low_stock_at=v.low_stock_at,
                parts=v.parts,
            )
            for v in record.variants
            if not v.archived
        ),
    )
