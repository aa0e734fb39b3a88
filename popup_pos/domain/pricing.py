"""Order pricing in integer minor units: discounts, per-line tax, tips and exact allocation.

Rules:

* Amounts are whole minor units (cents) and rates are parts per million (10% -> 100_000).
  Nothing is computed with floats or Decimal; every division rounds explicitly.
* Rounding is half up, meaning away from zero at exactly .5, to the minor unit.
* A line's gross is unit price times quantity. A line discount applies to that gross.
* The order discount applies to the sum of the line nets after line discounts. It is
  shared out to the lines in proportion to those nets by the largest-remainder method, so
  the shares add up to exactly the order discount.
* Percent discounts are rounded half up. Amount discounts are capped at what they apply
  to, so no net is ever negative.
* Tax is computed per line on the line's net after both discounts. Exclusive tax is
  net * rate and is added on top. Inclusive tax is already in the price and is
  net * rate / (1 + rate), i.e. net - net / (1 + rate).
* A percent tip is on subtotal - discount + exclusive tax and is rounded half up. An
  amount tip is taken as given.
* The subtotal is the sum of line grosses. The discount is all line discounts plus the
  order discount. Then total == subtotal - discount + exclusive tax + tip, and the line
  totals plus the tip add up to the same total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from popup_pos.domain.errors import MoneyError

PPM = 1_000_000
"""Parts per million in the whole: a rate of PPM is 100%."""


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero.

    Symmetric for negatives: round_half_up(-5, 2) == -3 just as round_half_up(5, 2) == 3.
    """
    if denominator == 0:
        raise ZeroDivisionError("round_half_up: denominator is zero")
    negative = (numerator < 0) != (denominator < 0)
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    if 2 * remainder >= abs(denominator):
        quotient += 1
    return -quotient if negative else quotient


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` so the parts add up to exactly `total`.

    Each part is the floor of its exact share; the units left over go one each to the
    largest remainders, earlier positions first on ties. Every part is within one unit of
    its exact share. If all weights are zero the total is split evenly, remainder to the
    first parts. A negative total is split as the mirror image of the positive one.
    """
    for weight in weights:
        _check_whole(weight, "allocation weight")
        if weight < 0:
            raise MoneyError(f"allocation weights cannot be negative, got {weight}")
    _check_whole(total, "amount to allocate")
    if not weights:
        if total:
            raise MoneyError(f"cannot allocate {total} over no parts")
        return []
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        part, remainder = divmod(total * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    leftover = total - sum(parts)
    # Stable sort keeps earlier positions first among equal remainders.
    for index in sorted(range(len(parts)), key=lambda i: -remainders[i])[:leftover]:
        parts[index] += 1
    return parts


def _check_whole(value: object, what: str) -> None:
    # bool is an int subclass, but True as a price is always a mistake.
    if not isinstance(value, int) or isinstance(value, bool):
        raise MoneyError(f"{what} must be a whole number, not {value!r}")


class DiscountKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


def _check_adjustment(kind: DiscountKind, value: int, what: str) -> None:
    _check_whole(value, f"{what} value")
    if value < 0:
        raise MoneyError(f"{what} cannot be negative, got {value}")
    if kind is DiscountKind.PERCENT and value > PPM:
        raise MoneyError(f"{what} cannot be over 100% ({PPM} ppm), got {value} ppm")


@dataclass(frozen=True, slots=True)
class Discount:
    """A percent (value in ppm) or fixed amount (value in minor units) off."""

    kind: DiscountKind
    value: int

    def __post_init__(self) -> None:
        # Coerce so a kind read back from storage as plain text still compares by identity.
        object.__setattr__(self, "kind", DiscountKind(self.kind))
        _check_adjustment(self.kind, self.value, "discount")

    @classmethod
    def percent(cls, ppm: int) -> Discount:
        return cls(DiscountKind.PERCENT, ppm)

    @classmethod
    def amount(cls, minor: int) -> Discount:
        return cls(DiscountKind.AMOUNT, minor)

    def on(self, base: int) -> int:
        """How much comes off `base`: percent rounded half up, amount capped at `base`."""
        if self.kind is DiscountKind.PERCENT:
            return round_half_up(base * self.value, PPM)
        return min(self.value, base)


@dataclass(frozen=True, slots=True)
class TaxClass:
    """A named tax rate in ppm, either already in the price (inclusive) or added on top."""

    name: str
    rate_ppm: int
    inclusive: bool

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise MoneyError("a tax class needs a name")
        _check_whole(self.rate_ppm, f"tax rate of {self.name!r}")
        if self.rate_ppm < 0:
            raise MoneyError(f"tax rate of {self.name!r} cannot be negative")

    def on(self, net: int) -> int:
        """The tax in `net`, rounded half up to the minor unit."""
        if self.inclusive:
            return round_half_up(net * self.rate_ppm, PPM + self.rate_ppm)
        return round_half_up(net * self.rate_ppm, PPM)


@dataclass(frozen=True, slots=True)
class Tip:
    """A percent (value in ppm) or fixed amount (value in minor units) tip."""

    kind: DiscountKind
    value: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DiscountKind(self.kind))
        _check_adjustment(self.kind, self.value, "tip")

    @classmethod
    def percent(cls, ppm: int) -> Tip:
        return cls(DiscountKind.PERCENT, ppm)

    @classmethod
    def amount(cls, minor: int) -> Tip:
        return cls(DiscountKind.AMOUNT, minor)

    def on(self, base: int) -> int:
        if self.kind is DiscountKind.PERCENT:
            return round_half_up(base * self.value, PPM)
        return self.value


@dataclass(frozen=True, slots=True)
class LineInput:
    """One cart line as priced: unit price in minor units, quantity, optional tax and discount."""

    unit_price: int
    quantity: int
    tax: TaxClass | None = None
    discount: Discount | None = None

    def __post_init__(self) -> None:
        _check_whole(self.unit_price, "unit price")
        _check_whole(self.quantity, "quantity")
        if self.unit_price < 0:
            raise MoneyError(f"unit price cannot be negative, got {self.unit_price}")
        if self.quantity < 1:
            raise MoneyError(f"quantity must be at least 1, got {self.quantity}")


@dataclass(frozen=True, slots=True)
class LineTotals:
    gross: int
    line_discount: int
    order_discount: int
    net: int
    tax: int
    total: int


@dataclass(frozen=True, slots=True)
class OrderTotals:
    lines: tuple[LineTotals, ...]
    subtotal: int
    discount: int
    tax: int
    exclusive_tax: int
    inclusive_tax: int
    tip: int
    total: int


def price_order(
    lines: Sequence[LineInput],
    order_discount: Discount | None = None,
    tip: Tip | None = None,
) -> OrderTotals:
    """Price a cart following the rules in this module's docstring."""
    grosses = [line.unit_price * line.quantity for line in lines]
    line_discounts = [
        line.discount.on(gross) if line.discount else 0
        for line, gross in zip(lines, grosses, strict=True)
    ]
    after_line = [gross - off for gross, off in zip(grosses, line_discounts, strict=True)]
    order_off = order_discount.on(sum(after_line)) if order_discount else 0
    shares = allocate(order_off, after_line)

    totals: list[LineTotals] = []
    exclusive_tax = inclusive_tax = 0
    for line, gross, line_off, base, share in zip(
        lines, grosses, line_discounts, after_line, shares, strict=True
    ):
        net = base - share
        tax = line.tax.on(net) if line.tax else 0
        if line.tax and line.tax.inclusive:
            inclusive_tax += tax
            total = net
        else:
            exclusive_tax += tax
            total = net + tax
        totals.append(LineTotals(gross, line_off, share, net, tax, total))

    subtotal = sum(grosses)
    discount = sum(line_discounts) + order_off
    before_tip = subtotal - discount + exclusive_tax
    tip_amount = tip.on(before_tip) if tip else 0
    return OrderTotals(
        lines=tuple(totals),
        subtotal=subtotal,
        discount=discount,
        tax=exclusive_tax + inclusive_tax,
        exclusive_tax=exclusive_tax,
        inclusive_tax=inclusive_tax,
        tip=tip_amount,
        total=before_tip + tip_amount,
    )
