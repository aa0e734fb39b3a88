"""Carts and quotes: a cart checked against the catalog and priced, writing nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from popup_pos.domain.limits import (
    LINE_NAME_LENGTH,
    MAX_QUANTITY,
    NOTE_LENGTH,
    ORDER_NOTE_LENGTH,
    check_lookup,
    check_text,
    check_whole,
)
from popup_pos.domain.money import check_amount
from popup_pos.domain.pricing import (
    Discount,
    DiscountKind,
    LineInput,
    LineTotals,
    OrderTotals,
    TaxClass,
    Tip,
    price_order,
)
from popup_pos.services.checkout.common import CheckoutError, LimitError, _open_event
from popup_pos.store import sales as sales_store
from popup_pos.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line the seller built: a catalog SKU, or (sku None) a custom amount."""

    sku: str | None = None
    quantity: int = 1
    unit_price: int | None = None  # override, open price, or the custom amount
    discount: Discount | None = None
    name: str | None = None  # a custom line's note, e.g. "donation"
    personalisation: str | None = None  # e.g. the name for a shoutout


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...]
    discount: Discount | None = None
    tip: Tip | None = None
    note: str | None = None
    # Who is buying (email, phone or @handle), for per-person limits; only its hash is kept.
    customer: str | None = None
    # A parked order's customer, already hashed: the handle itself was never stored.
    customer_hash: str | None = None


@dataclass(frozen=True, slots=True)
class QuotedLine:
    variant_id: int | None
    sku: str | None
    name: str
    kind: str
    quantity: int
    unit_price: int
    cost: int | None
    tax: TaxClass | None
    discount: Discount | None
    personalisation: str | None
    owner_id: int | None
    tracked: bool
    edition_size: int | None
    components: tuple[sales_store.Component, ...]
    totals: LineTotals
    per_person_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    currency: str
    lines: tuple[QuotedLine, ...]
    totals: OrderTotals


def _default_tax(settings: Mapping[str, Any] | None) -> TaxClass | None:
    spec = (settings or {}).get("default_tax")
    if not spec:
        return None
    return TaxClass(str(spec["name"]), int(spec["rate_ppm"]), bool(spec["inclusive"]))


# A quoted line still waiting for its share of the order's totals.
_Draft = partial[QuotedLine]


def _check_cart_limits(cart: Cart, currency: str) -> None:
    """Quantities, amounts and texts within what popup-pos accepts, before any pricing."""
    for n, ln in enumerate(cart.lines, start=1):
        where = ln.sku or f"line {n}"
        check_whole(ln.quantity, f"{where}: the quantity", low=1, high=MAX_QUANTITY)
        if ln.unit_price is not None:
            check_amount(ln.unit_price, currency, what=f"{where}: the price")
        if ln.discount is not None and ln.discount.kind is DiscountKind.AMOUNT:
            check_amount(ln.discount.value, currency, what=f"{where}: the discount")
        if ln.sku is not None:
            check_lookup(ln.sku, "the SKU", 64)
        if ln.name is not None:
            check_text(ln.name, f"{where}: the name", LINE_NAME_LENGTH, required=False)
        if ln.personalisation is not None:
            check_text(
                ln.personalisation, f"{where}: the personalisation", NOTE_LENGTH, required=False
            )
    for adjustment, what in ((cart.discount, "the discount"), (cart.tip, "the tip")):
        if adjustment is not None and adjustment.kind is DiscountKind.AMOUNT:
            check_amount(adjustment.value, currency, what=what)
    if cart.note is not None:
        check_text(cart.note, "the note", ORDER_NOTE_LENGTH, required=False, multiline=True)


def _quote(uow: UnitOfWork, event: sales_store.SaleEvent, cart: Cart) -> Quote:
    if not cart.lines:
        raise CheckoutError("the cart is empty")
    _check_cart_limits(cart, event.currency)
    found = sales_store.variants_for_sale(uow, {ln.sku for ln in cart.lines if ln.sku})
    for ln in cart.lines:
        if ln.sku is not None and (ln.sku not in found or found[ln.sku].archived):
            raise CheckoutError(f"unknown SKU {ln.sku!r}")
    default_tax = _default_tax(event.settings)
    per_variant: dict[str, int] = defaultdict(int)
    inputs: list[LineInput] = []
    drafts: list[_Draft] = []
    for ln in cart.lines:
        if ln.quantity < 1:
            raise CheckoutError(f"quantity must be at least 1, not {ln.quantity}")
        if ln.sku is None:
            line_input, draft = _custom_line(ln, default_tax)
        else:
            v = found[ln.sku]
            per_variant[v.sku] += ln.quantity
            if v.per_order_limit is not None and per_variant[v.sku] > v.per_order_limit:
                raise LimitError(f"{v.sku}: limit {v.per_order_limit} per order")
            line_input, draft = _catalog_line(ln, v, default_tax)
        inputs.append(line_input)
        drafts.append(draft)
    totals = price_order(inputs, cart.discount, cart.tip)
    lines = tuple(d(totals=t) for d, t in zip(drafts, totals.lines, strict=True))
    return Quote(event.currency, lines, totals)


def _custom_line(ln: CartLine, default_tax: TaxClass | None) -> tuple[LineInput, _Draft]:
    if ln.unit_price is None or ln.unit_price <= 0:
        raise CheckoutError("a custom line needs an amount above zero")
    line_input = LineInput(ln.unit_price, ln.quantity, default_tax, ln.discount)
    return line_input, partial(
        QuotedLine,
        variant_id=None,
        sku=None,
        name=ln.name or "Custom amount",
        kind="item",
        quantity=ln.quantity,
        unit_price=ln.unit_price,
        cost=None,
        tax=default_tax,
        discount=ln.discount,
        personalisation=ln.personalisation,
        owner_id=None,
        tracked=False,
        edition_size=None,
        components=(),
    )


def _catalog_line(
    ln: CartLine, v: sales_store.SaleVariant, default_tax: TaxClass | None
) -> tuple[LineInput, _Draft]:
    price = ln.unit_price if ln.unit_price is not None else v.price_cents
    if price is None:
        raise CheckoutError(f"{v.sku} has no fixed price: enter the amount")
    if price < 0:
        raise CheckoutError("a price cannot be negative")
    values = " / ".join(x for x in v.options.values() if x)
    tax = TaxClass(v.tax_name, v.tax_rate_ppm, v.tax_inclusive) if v.tax_name else default_tax
    return LineInput(price, ln.quantity, tax, ln.discount), partial(
        QuotedLine,
        variant_id=v.id,
        sku=v.sku,
        name=f"{v.product_name} — {values}" if values else v.product_name,
        kind=v.kind,
        quantity=ln.quantity,
        unit_price=price,
        cost=v.cost_cents,
        tax=tax,
        discount=ln.discount,
        personalisation=ln.personalisation,
        owner_id=v.owner_id,
        tracked=v.tracked,
        edition_size=v.edition_size,
        components=v.components,
        per_person_limit=v.per_person_limit,
    )


def quote(uow: UnitOfWork, cart: Cart) -> Quote:
    """Price a cart for display, writing nothing."""
    with uow:
        event = _open_event(uow)
        return _quote(uow, event, cart)
