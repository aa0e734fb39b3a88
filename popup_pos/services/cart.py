"""The cart a seller is building: lines, limits and totals, in memory until it is sold.

Pricing here uses the catalog snapshot the screen already holds, so a scan updates the
totals without a database round trip; the sale itself is priced again, authoritatively,
when it is committed (services.checkout).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from popup_pos.domain.customers import normalise_handle
from popup_pos.domain.errors import MoneyError, PosError
from popup_pos.domain.limits import (
    LINE_NAME_LENGTH,
    MAX_QUANTITY,
    NOTE_LENGTH,
    LimitError,
    check_text,
    check_whole,
)
from popup_pos.domain.money import check_amount
from popup_pos.domain.pricing import (
    Discount,
    DiscountKind,
    LineInput,
    OrderTotals,
    TaxClass,
    Tip,
    price_order,
)
from popup_pos.services import permissions
from popup_pos.services.permissions import Limits
from popup_pos.services.views import VariantView

if TYPE_CHECKING:
    from popup_pos.services.checkout import Cart
    from popup_pos.services.staff import Approval
    from popup_pos.store.uow import UnitOfWork


class CartError(PosError):
    """Something the cart refuses, said in one line for the notice bar."""


@contextmanager
def _as_cart_error() -> Iterator[None]:
    # The selling screen shows CartError in its notice bar: a limit reads the same there.
    try:
        yield
    except (LimitError, MoneyError) as exc:
        raise CartError(str(exc)) from None


class OrganizerNeededError(CartError):
    """A change above what the person signed in may do alone: ask for the organizer's PIN
    (services.staff.approve) and try again with the approval."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what  # the change, as the approval's audit entry names it


@dataclass(slots=True)
class LineState:
    """One cart line; `view` is None for a custom amount."""

    view: VariantView | None
    quantity: int = 1
    unit_price: int | None = None  # override, open price or custom amount
    discount: Discount | None = None
    name: str | None = None
    personalisation: str | None = None
    # The organizer who allowed this line's discount, price or amount, if one had to.
    approved_by: str | None = None

    @property
    def sku(self) -> str | None:
        return self.view.sku if self.view else None

    @property
    def title(self) -> str:
        if self.view is None:
            return self.name or "Custom amount"
        return self.view.label

    @property
    def price(self) -> int:
        if self.unit_price is not None:
            return self.unit_price
        assert self.view is not None and self.view.price_cents is not None
        return self.view.price_cents


@dataclass(slots=True)
class CartSession:
    """A cart being built at one register, with the rules a seller expects."""

    currency: str
    default_tax: TaxClass | None = None
    lines: list[LineState] = field(default_factory=list)
    discount: Discount | None = None
    tip: Tip | None = None
    note: str | None = None
    # The order this cart came from when it was parked or resumed.
    order_id: int | None = None
    # Who is buying, for per-person limits: the handle as typed or scanned, or (a resumed
    # parked sale) only its hash.
    customer: str | None = None
    customer_hash: str | None = None
    # Who is selling, for the organizer's limits (None: the caller is trusted, e.g. a
    # script or the organizer's own tools).
    role: str | None = None
    limits: Limits = field(default_factory=Limits)
    approved_by: str | None = None  # of the order discount
    # What the named customer already holds of each per-person-limited variant in this
    # event (from `load_bought`), so a line over the limit is refused as it is added.
    bought: dict[int, int] = field(default_factory=dict)

    # ---- permissions -------------------------------------------------------------------

    def _allow(self, reason: str | None, what: str, approval: Approval | None) -> str | None:
        """The approver's name, or None if nobody had to approve; raises if one must."""
        if reason is None or self.role is None:
            return None
        if approval is None:
            raise OrganizerNeededError(reason, what)
        return approval.name

    # ---- building ----------------------------------------------------------------------

    def add(
        self,
        view: VariantView,
        *,
        quantity: int = 1,
        unit_price: int | None = None,
        personalisation: str | None = None,
        approval: Approval | None = None,
    ) -> LineState:
        """Add a catalog variant, merging with its line when nothing sets them apart.

        `unit_price` is an open item's amount (capped like a custom amount) or, for an
        item with a price, a price change (the organizer's)."""
        if view.price_cents is None and unit_price is None:
            raise CartError(f"{view.label} has no fixed price: enter the amount")
        with _as_cart_error():
            check_whole(quantity, f"{view.label}: the quantity", low=1, high=MAX_QUANTITY)
            if unit_price is not None:
                check_amount(unit_price, self.currency, what=f"{view.label}: the price")
            if personalisation is not None:
                what = f"{view.label}: the personalisation"
                personalisation = (
                    check_text(personalisation, what, NOTE_LENGTH, required=False) or None
                )
        approver = None
        if unit_price is not None and unit_price != view.price_cents:
            role = self.role or ""
            reason = (
                permissions.amount_needs_organizer(self.limits, role, unit_price)
                if view.price_cents is None
                else permissions.price_change_needs_organizer(role)
            )
            approver = self._allow(reason, f"price {unit_price} for {view.label}", approval)
        self._check_room(view, quantity)
        for line in self.lines:
            if (
                line.view is not None
                and line.view.id == view.id
                and line.unit_price == unit_price
                and line.discount is None
                and line.personalisation is None
                and personalisation is None
            ):
                line.quantity += quantity
                return line
        line = LineState(
            view, quantity, unit_price, personalisation=personalisation, approved_by=approver
        )
        self.lines.append(line)
        return line

    def add_custom(
        self, amount_cents: int, note: str | None = None, *, approval: Approval | None = None
    ) -> LineState:
        if amount_cents <= 0:
            raise CartError("a custom amount must be more than zero")
        with _as_cart_error():
            check_amount(amount_cents, self.currency, what="the custom amount")
            if note is not None:
                note = check_text(note, "the note", LINE_NAME_LENGTH, required=False)
        name = (note or "").strip() or "Custom amount"
        reason = permissions.amount_needs_organizer(self.limits, self.role or "", amount_cents)
        approver = self._allow(reason, f"custom amount {amount_cents} ({name})", approval)
        line = LineState(None, 1, amount_cents, name=name, approved_by=approver)
        self.lines.append(line)
        return line

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self.lines[index]
        if quantity <= 0:
            del self.lines[index]
            return
        with _as_cart_error():
            check_whole(quantity, f"{line.title}: the quantity", low=1, high=MAX_QUANTITY)
        if line.view is not None and quantity > line.quantity:
            self._check_room(line.view, quantity - line.quantity)
        line.quantity = quantity

    def remove(self, index: int) -> None:
        del self.lines[index]

    def set_line_discount(
        self, index: int, discount: Discount | None, *, approval: Approval | None = None
    ) -> None:
        line = self.lines[index]
        base = line.price * line.quantity
        reason = permissions.discount_needs_organizer(self.limits, self.role or "", discount, base)
        approver = self._allow(reason, f"discount {_described(discount)} on {line.title}", approval)
        line.discount = discount
        line.approved_by = approver or line.approved_by

    def set_order_discount(
        self, discount: Discount | None, *, approval: Approval | None = None
    ) -> None:
        """A discount on the whole order, measured against it after its line discounts."""
        lines = replace(self, discount=None, tip=None, lines=list(self.lines)).totals()
        base = lines.subtotal - lines.discount
        reason = permissions.discount_needs_organizer(self.limits, self.role or "", discount, base)
        self.approved_by = self._allow(reason, f"order discount {_described(discount)}", approval)
        self.discount = discount

    def set_price(self, index: int, unit_price: int, *, approval: Approval | None = None) -> None:
        if unit_price < 0:
            raise CartError("a price cannot be negative")
        with _as_cart_error():
            check_amount(unit_price, self.currency, what="the price")
        line = self.lines[index]
        reason = permissions.price_change_needs_organizer(self.role or "")
        approver = self._allow(reason, f"price {unit_price} for {line.title}", approval)
        line.unit_price = unit_price
        line.approved_by = approver or line.approved_by

    def clear(self) -> None:
        self.lines.clear()
        self.discount = self.tip = self.note = None
        self.order_id = None
        self.customer = self.customer_hash = None
        self.approved_by = None
        self.bought = {}

    def set_customer(self, text: str | None) -> str | None:
        """Name the buyer by email, phone or @handle (None or blank: nobody); the handle
        as it will be matched, for showing back to the seller."""
        if text is None or not text.strip():
            self.customer = self.customer_hash = None
            self.bought = {}
            return None
        normal = normalise_handle(text)
        if text.strip() != self.customer:
            self.bought = {}  # someone else's history: read again with `load_bought`
        self.customer, self.customer_hash = text.strip(), None
        return normal

    @property
    def has_customer(self) -> bool:
        return bool(self.customer or self.customer_hash)

    def limited_per_person(self) -> VariantView | None:
        """The first line's variant that is limited per person, if the cart has one."""
        for line in self.lines:
            if line.view is not None and line.view.per_person_limit is not None:
                return line.view
        return None

    def check_per_person(self) -> None:
        """Raise if the lines already in the cart go over a per-person limit for the
        customer just named (their history read with `load_bought`)."""
        for line in self.lines:
            if line.view is not None and line.view.per_person_limit is not None:
                self._check_room(line.view, 0)

    def refresh(self, views: Mapping[int, VariantView]) -> None:
        """Take the newest stock and prices for the lines' variants."""
        for line in self.lines:
            if line.view is not None and line.view.id in views:
                line.view = views[line.view.id]

    def _check_room(self, view: VariantView, more: int) -> None:
        have = sum(ln.quantity for ln in self.lines if ln.view and ln.view.id == view.id)
        wanted = have + more
        if view.per_order_limit is not None and wanted > view.per_order_limit:
            raise CartError(f"{view.label}: limit {view.per_order_limit} per order")
        limit = view.per_person_limit
        if limit is not None and self.has_customer:
            had = self.bought.get(view.id, 0)
            if had + wanted > limit:
                raise CartError(
                    f"{view.label}: limit {limit} per person; this customer already has {had}"
                )
        if view.available is not None and wanted > view.available:
            if view.available <= 0:
                raise CartError(f"{view.label} is sold out")
            raise CartError(f"{view.label}: only {view.available} left")

    # ---- reading -----------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def totals(self) -> OrderTotals:
        inputs = [
            LineInput(
                line.price,
                line.quantity,
                (line.view.tax if line.view else None) or self.default_tax,
                line.discount,
            )
            for line in self.lines
        ]
        return price_order(inputs, self.discount, self.tip)

    def to_cart(self) -> Cart:
        """The cart in the shape checkout sells."""
        # Imported here: the selling screen shows a cart before the database stack loads.
        from popup_pos.services.checkout import Cart, CartLine

        return Cart(
            tuple(
                CartLine(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                    name=line.name,
                    personalisation=line.personalisation,
                )
                for line in self.lines
            ),
            discount=self.discount,
            tip=self.tip,
            note=self.note,
            customer=self.customer,
            customer_hash=self.customer_hash,
        )

    def copy(self) -> CartSession:
        return replace(self, lines=[replace(line) for line in self.lines])


def _described(discount: Discount | None) -> str:
    if discount is None:
        return "none"
    if discount.kind is DiscountKind.PERCENT:
        return f"{discount.value / 10_000:g}%"
    return str(discount.value)


def load_bought(uow: UnitOfWork, cart: CartSession, views: list[VariantView]) -> None:
    """Read what the cart's customer already holds of the per-person-limited `views`
    in the open event, so adding one more than the limit is refused at once."""
    ids = [v.id for v in views if v.per_person_limit is not None]
    if not ids or not cart.has_customer:
        return
    # Imported here: the cart itself works before the database stack is loaded.
    from popup_pos.services.checkout import customer_holds

    cart.bought.update(customer_holds(uow, cart.customer, cart.customer_hash, ids))


def next_round_amounts(total: int, exponent: int, count: int = 3) -> list[int]:
    """Cash keys after 'exact': the amounts a customer is likely to hand over.

    The next whole unit when there are cents, then the next multiple of each common note
    (5, 10, 20, 50, 100 …) above the total: $17.40 gives $18, $20, $50; $30 gives $35,
    $40, $50.
    """
    unit = 10**exponent
    candidates = [(total // unit + 1) * unit] if total % unit else []
    for note in (5, 10, 20, 50, 100, 200, 500, 1000):
        size = note * unit
        candidates.append((total // size + 1) * size)
    return sorted(set(candidates))[:count]
