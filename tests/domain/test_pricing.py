"""Tests for order pricing: worked examples checked by hand, and invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from popup_pos.domain.errors import MoneyError
from popup_pos.domain.pricing import (
    PPM,
    Discount,
    DiscountKind,
    LineInput,
    LineTotals,
    OrderTotals,
    TaxClass,
    Tip,
    allocate,
    price_order,
    round_half_up,
)

NYC = TaxClass("NYC sales tax", 88_750, inclusive=False)
VAT = TaxClass("UK VAT", 200_000, inclusive=True)


# --- round_half_up -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 7, 0),
        (1, 3, 0),
        (2, 3, 1),
        (5, 2, 3),
        (-5, 2, -3),
        (5, -2, -3),
        (-5, -2, 3),
        (7, 2, 4),
        (-7, 2, -4),
        (-1, 3, 0),
        (-2, 3, -1),
        (6, 3, 2),
        (-6, 3, -2),
        (355, 1000, 0),
        (35_500_000, 1_000_000, 36),
        (10**30 + 1, 2, 5 * 10**29 + 1),
    ],
)
def test_round_half_up(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up(numerator, denominator) == expected


def test_round_half_up_zero_denominator() -> None:
    with pytest.raises(ZeroDivisionError):
        round_half_up(1, 0)


nonzero = st.integers(min_value=-(10**12), max_value=10**12).filter(bool)


@given(st.integers(min_value=-(10**15), max_value=10**15), nonzero)
def test_round_half_up_is_nearest_with_halves_away_from_zero(n: int, d: int) -> None:
    r = round_half_up(n, d)
    # |r - n/d| <= 1/2, kept in integers.
    assert abs(2 * (r * d - n)) <= abs(d)
    if abs(2 * (r * d - n)) == abs(d):
        assert abs(r * d) > abs(n)
    assert round_half_up(-n, d) == -r


# --- allocate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (100, [0, 0, 0], [34, 33, 33]),
        (2, [0, 0, 0], [1, 1, 0]),
        (100, [1, 0, 1], [50, 0, 50]),
        (10, [3, 3, 4], [3, 3, 4]),
        (500, [1500, 2500, 999], [150, 250, 100]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (0, [5, 7], [0, 0]),
        (7, [1], [7]),
        (0, [], []),
    ],
)
def test_allocate_examples(total: int, weights: list[int], expected: list[int]) -> None:
    assert allocate(total, weights) == expected


def test_allocate_rejects_bad_input() -> None:
    with pytest.raises(MoneyError, match="cannot be negative"):
        allocate(10, [1, -1])
    with pytest.raises(MoneyError, match="over no parts"):
        allocate(10, [])
    with pytest.raises(MoneyError, match="whole number"):
        allocate(10, [1.5])  # type: ignore[list-item]


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=20),
)
def test_allocate_sums_exactly_and_is_proportional(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    effective = weights if any(weights) else [1] * len(weights)
    whole = sum(effective)
    for part, weight in zip(parts, effective, strict=True):
        # Within one unit of the exact share total * weight / whole.
        assert abs(part * whole - total * weight) < whole
        if weight == 0:
            assert part == 0


# --- validation --------------------------------------------------------------------


def test_discount_helpers_and_validation() -> None:
    assert Discount.percent(100_000) == Discount(DiscountKind.PERCENT, 100_000)
    assert Discount.amount(250) == Discount(DiscountKind.AMOUNT, 250)
    assert Discount("percent", 5).kind is DiscountKind.PERCENT  # type: ignore[arg-type]
    assert Discount.percent(PPM).value == PPM
    with pytest.raises(MoneyError, match="over 100%"):
        Discount.percent(PPM + 1)
    with pytest.raises(MoneyError, match="cannot be negative"):
        Discount.amount(-1)
    with pytest.raises(ValueError):
        Discount("bogus", 1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="whole number"):
        Discount.amount(2.5)  # type: ignore[arg-type]


def test_tip_helpers_and_validation() -> None:
    assert Tip.percent(150_000) == Tip(DiscountKind.PERCENT, 150_000)
    assert Tip.amount(300) == Tip(DiscountKind.AMOUNT, 300)
    with pytest.raises(MoneyError, match="tip cannot be negative"):
        Tip.amount(-5)
    with pytest.raises(MoneyError, match="tip cannot be over 100%"):
        Tip.percent(PPM + 1)


def test_tax_class_validation() -> None:
    with pytest.raises(MoneyError, match="cannot be negative"):
        TaxClass("odd", -1, inclusive=False)
    with pytest.raises(MoneyError, match="needs a name"):
        TaxClass("  ", 1000, inclusive=False)


@pytest.mark.parametrize(
    ("unit_price", "quantity", "message"),
    [
        (100, 0, "quantity must be at least 1, got 0"),
        (100, -2, "quantity must be at least 1, got -2"),
        (-1, 1, "unit price cannot be negative, got -1"),
        (1.5, 1, "unit price must be a whole number"),
        (100, True, "quantity must be a whole number"),
    ],
)
def test_line_input_validation(unit_price: int, quantity: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LineInput(unit_price, quantity)


def test_line_errors_are_money_errors() -> None:
    with pytest.raises(MoneyError):
        LineInput(100, 0)


# --- worked examples ---------------------------------------------------------------


def test_empty_order() -> None:
    assert price_order([]) == OrderTotals((), 0, 0, 0, 0, 0, 0, 0)
    assert price_order([], Discount.amount(500), Tip.amount(200)).total == 200


def test_exclusive_sales_tax_is_rounded_per_line() -> None:
    # $4.00 at 8.875% is 35.5 cents, so 36 on each line. Taxing the 1200 cents as a whole
    # would give 106.5 -> 107; per line it is 3 * 36 = 108.
    totals = price_order([LineInput(400, 1, NYC)] * 3)
    assert totals.lines == (LineTotals(400, 0, 0, 400, 36, 436),) * 3
    assert totals == OrderTotals(totals.lines, 1200, 0, 108, 108, 0, 0, 1308)


def test_exclusive_sales_tax_rounds_down_below_half() -> None:
    # 3 x $10.00 = 3000; 3000 * 0.08875 = 266.25 -> 266.
    totals = price_order([LineInput(1000, 3, NYC)])
    assert totals.lines == (LineTotals(3000, 0, 0, 3000, 266, 3266),)
    assert (totals.exclusive_tax, totals.total) == (266, 3266)


def test_inclusive_vat() -> None:
    # £12.00 with 20% VAT inside: 1200 * 0.2 / 1.2 = 200.
    # £9.99: 999 * 0.2 / 1.2 = 166.5 -> 167. The shelf price is what is paid.
    totals = price_order([LineInput(1200, 1, VAT), LineInput(999, 1, VAT)])
    assert totals.lines == (
        LineTotals(1200, 0, 0, 1200, 200, 1200),
        LineTotals(999, 0, 0, 999, 167, 999),
    )
    assert totals == OrderTotals(totals.lines, 2199, 0, 367, 0, 367, 0, 2199)


def test_ten_percent_order_discount_over_three_lines() -> None:
    # Nets 1500 + 2500 + 999 = 4999; 10% = 499.9 -> 500.
    # Exact shares 150.03, 250.05, 99.92: floors 150 + 250 + 99 = 499, and the one unit
    # left goes to the largest remainder, the third line.
    totals = price_order(
        [LineInput(1500, 1), LineInput(2500, 1), LineInput(999, 1)], Discount.percent(100_000)
    )
    assert totals.lines == (
        LineTotals(1500, 0, 150, 1350, 0, 1350),
        LineTotals(2500, 0, 250, 2250, 0, 2250),
        LineTotals(999, 0, 100, 899, 0, 899),
    )
    assert (totals.subtotal, totals.discount, totals.total) == (4999, 500, 4499)


def test_order_discount_after_line_discounts_then_tax() -> None:
    # A: 2 x 12.00 = 2400, 25% off -> 600 off, 1800 left.
    # B: 7.50, no line discount, 750.
    # C: 3 x 3.33 = 999, 1.00 off, 899.
    # 10% of 3449 = 344.9 -> 345, shared over 1800 / 750 / 899:
    #   345*1800/3449 = 180.05, 345*750/3449 = 75.02, 345*899/3449 = 89.93
    #   floors 180 + 75 + 89 = 344, the spare unit goes to C -> 90.
    # Nets 1620, 675, 809; 8.875% tax: 143.775 -> 144, 59.906 -> 60, 71.799 -> 72.
    totals = price_order(
        [
            LineInput(1200, 2, NYC, Discount.percent(250_000)),
            LineInput(750, 1, NYC),
            LineInput(333, 3, NYC, Discount.amount(100)),
        ],
        Discount.percent(100_000),
    )
    assert totals.lines == (
        LineTotals(2400, 600, 180, 1620, 144, 1764),
        LineTotals(750, 0, 75, 675, 60, 735),
        LineTotals(999, 100, 90, 809, 72, 881),
    )
    assert totals == OrderTotals(totals.lines, 4149, 1045, 276, 276, 0, 0, 3380)


def test_amount_discounts_are_capped() -> None:
    # $8.00 off a $5.00 line takes it to zero, not below. The $50.00 order discount is
    # capped at the $10.00 that is left.
    totals = price_order(
        [LineInput(500, 1, NYC, Discount.amount(800)), LineInput(1000, 1, NYC)],
        Discount.amount(5000),
    )
    assert totals.lines == (
        LineTotals(500, 500, 0, 0, 0, 0),
        LineTotals(1000, 0, 1000, 0, 0, 0),
    )
    assert totals == OrderTotals(totals.lines, 1500, 1500, 0, 0, 0, 0, 0)


def test_percent_tip_is_on_the_taxed_total() -> None:
    # 20.00 + 8.875% = 20.00 + 1.775 -> 1.78; 18% of 21.78 = 3.9204 -> 3.92.
    totals = price_order([LineInput(2000, 1, NYC)], tip=Tip.percent(180_000))
    assert totals == OrderTotals(totals.lines, 2000, 0, 178, 178, 0, 392, 2570)


def test_percent_tip_rounds_half_up() -> None:
    # 15% of 10.30 = 1.545 -> 1.55.
    assert price_order([LineInput(1030, 1)], tip=Tip.percent(150_000)).tip == 155


def test_percent_tip_ignores_inclusive_tax_because_it_is_already_in_the_price() -> None:
    # 10% of 12.00 (VAT inside) is 1.20.
    assert price_order([LineInput(1200, 1, VAT)], tip=Tip.percent(100_000)).tip == 120


def test_amount_tip_is_taken_as_given() -> None:
    totals = price_order([LineInput(500, 1)], tip=Tip.amount(1000))
    assert (totals.tip, totals.total) == (1000, 1500)


def test_percent_line_discount_rounds_half_up() -> None:
    # 15% of 0.50 = 7.5 cents -> 8.
    assert price_order([LineInput(50, 1, discount=Discount.percent(150_000))]).discount == 8


# --- properties --------------------------------------------------------------------

taxes = st.none() | st.builds(
    TaxClass,
    name=st.just("tax"),
    rate_ppm=st.integers(min_value=0, max_value=400_000),
    inclusive=st.booleans(),
)
discounts = st.none() | st.builds(
    Discount,
    kind=st.sampled_from(DiscountKind),
    value=st.integers(min_value=0, max_value=PPM),
)
tips = st.none() | st.builds(
    Tip,
    kind=st.sampled_from(DiscountKind),
    value=st.integers(min_value=0, max_value=PPM),
)
line_inputs = st.builds(
    LineInput,
    unit_price=st.integers(min_value=0, max_value=500_000),
    quantity=st.integers(min_value=1, max_value=100),
    tax=taxes,
    discount=discounts,
)
orders = st.tuples(st.lists(line_inputs, max_size=10), discounts, tips)


@given(orders)
def test_order_invariants(order: tuple[list[LineInput], Discount | None, Tip | None]) -> None:
    lines, order_discount, tip = order
    totals = price_order(lines, order_discount, tip)

    assert len(totals.lines) == len(lines)
    assert totals.total == totals.subtotal - totals.discount + totals.exclusive_tax + totals.tip
    assert sum(line.total for line in totals.lines) + totals.tip == totals.total
    assert totals.tax == totals.exclusive_tax + totals.inclusive_tax
    assert totals.subtotal == sum(line.gross for line in totals.lines)
    assert totals.discount == sum(line.line_discount + line.order_discount for line in totals.lines)

    after_line = sum(line.gross - line.line_discount for line in totals.lines)
    order_off = sum(line.order_discount for line in totals.lines)
    if order_discount is None:
        assert order_off == 0
    elif order_discount.kind is DiscountKind.PERCENT:
        assert order_off == round_half_up(after_line * order_discount.value, PPM)
    else:
        assert order_off == min(order_discount.value, after_line)

    exclusive = inclusive = 0
    for given_line, line in zip(lines, totals.lines, strict=True):
        assert line.gross == given_line.unit_price * given_line.quantity
        assert 0 <= line.line_discount <= line.gross
        assert 0 <= line.order_discount <= line.gross - line.line_discount
        assert line.net == line.gross - line.line_discount - line.order_discount
        assert line.net >= 0
        assert line.tax >= 0
        tax = given_line.tax
        if tax is None:
            assert (line.tax, line.total) == (0, line.net)
        elif tax.inclusive:
            assert line.tax == round_half_up(line.net * tax.rate_ppm, PPM + tax.rate_ppm)
            assert line.tax <= line.net
            assert line.total == line.net
            inclusive += line.tax
        else:
            assert line.tax == round_half_up(line.net * tax.rate_ppm, PPM)
            assert line.total == line.net + line.tax
            exclusive += line.tax
    assert (totals.exclusive_tax, totals.inclusive_tax) == (exclusive, inclusive)

    base = totals.subtotal - totals.discount + totals.exclusive_tax
    if tip is None:
        assert totals.tip == 0
    elif tip.kind is DiscountKind.PERCENT:
        assert totals.tip == round_half_up(base * tip.value, PPM)
    else:
        assert totals.tip == tip.value
    assert totals.total >= 0
