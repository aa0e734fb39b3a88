"""What the screens show of variants, events, registers and staff, importable without a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from popup_pos.domain.pricing import TaxClass

if TYPE_CHECKING:
    from popup_pos.store import models as models_store

DEFAULT_LOW_STOCK = 3


@dataclass(frozen=True, slots=True)
class VariantView:
    """What a screen or a report needs to know about one sellable variant."""

    id: int
    sku: str
    barcode: str | None
    product_id: int
    product_name: str
    label: str
    options: dict[str, str]
    kind: str
    category: str | None
    owner: str | None
    price_cents: int | None
    cost_cents: int | None
    track_stock: bool
    on_hand: int
    available: int | None  # None: not limited; bundles: what their components allow
    per_order_limit: int | None
    edition_size: int | None
    is_bundle: bool
    low_stock_at: int
    tax: TaxClass | None = None
    # Bundles: (component variant id, units per bundle), to recompute availability.
    parts: tuple[tuple[int, int], ...] = ()
    per_person_limit: int | None = None
    personalisation_prompt: str | None = None  # experiences: asked when it is added

    @property
    def sold_out(self) -> bool:
        return self.available is not None and self.available <= 0

    @property
    def low_stock(self) -> bool:
        return self.available is not None and 0 < self.available <= self.low_stock_at


def variant_views(
    rows: Iterable[Sequence[Any]],
    parts: Mapping[int, Sequence[tuple[int, int]]],
    levels: Mapping[int, int | None],
) -> list[VariantView]:
    """The selling screen's catalog from the snapshot's rows (variant, product, category,
    owner and tax columns, in the store's order), bundle parts and stock levels."""
    out = []
    taxes: dict[tuple[str, int, bool], TaxClass] = {}
    for (
        vid,
        sku,
        barcode,
        product_id,
        options,
        price,
        cost,
        tracked,
        on_hand,
        limit,
        edition,
        low_at,
        product_name,
        kind,
        category,
        owner,
        tax_name,
        rate,
        incl,
        person_limit,
        prompt,
    ) in rows:
        mine = parts.get(vid)
        if mine:
            mine = tuple(mine)
            counted = [(cid, q) for cid, q in mine if levels.get(cid) is not None]
            available = min(int(levels[cid] or 0) // q for cid, q in counted) if counted else None
        else:
            mine = ()
            available = on_hand if tracked else None
        label = product_name
        if options:
            values = " / ".join([v for v in options.values() if v])
            if values:
                label = f"{product_name} — {values}"
        else:
            options = {}
        tax = None
        if tax_name:
            # One shared object per tax class: ten thousand copies would cost memory.
            tax = taxes.get((tax_name, rate, incl))
            if tax is None:
                tax = taxes[tax_name, rate, incl] = TaxClass(tax_name, rate, incl)
        out.append(
            VariantView(
                vid,
                sku,
                barcode,
                product_id,
                product_name,
                label,
                options,
                kind,
                category,
                owner,
                price,
                cost,
                tracked,
                on_hand,
                available,
                limit,
                edition,
                bool(mine),
                DEFAULT_LOW_STOCK if low_at is None else low_at,
                tax,
                mine,
                person_limit,
                prompt,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    name: str
    currency: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    float_cents: int
    counted_cash_cents: int | None

    @classmethod
    def of(cls, e: models_store.Event) -> EventInfo:
        return cls(
            e.id,
            e.name,
            e.currency,
            e.status,
            e.opened_at,
            e.closed_at,
            e.float_cents,
            e.counted_cash_cents,
        )


@dataclass(frozen=True, slots=True)
class RegisterInfo:
    id: int
    event_id: int
    code: str


@dataclass(frozen=True, slots=True)
class StaffInfo:
    id: int
    name: str
    role: str
    event_id: int | None
    active: bool
    # The event a helper (or event-only seller) belongs to; None for permanent staff.
    event_name: str | None = None
    # True once that event has closed: the PIN no longer works.
    expired: bool = False

    @classmethod
    def of(cls, s: models_store.Staff, event: models_store.Event | None = None) -> StaffInfo:
        return cls(
            s.id,
            s.name,
            s.role,
            s.event_id,
            s.active,
            None if event is None else event.name,
            event is not None and event.status != "open",
        )


def default_tax_of(settings: Mapping[str, Any]) -> TaxClass | None:
    """An event's default tax, from its settings; checkout reads it the same way."""
    spec = settings.get("default_tax")
    if not spec:
        return None
    return TaxClass(str(spec["name"]), int(spec["rate_ppm"]), bool(spec["inclusive"]))
