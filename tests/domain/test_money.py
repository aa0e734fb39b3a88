"""Tests for money parsing, formatting and Money arithmetic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from popup_pos.domain.errors import MoneyError
from popup_pos.domain.money import (
    MAX_AMOUNT,
    Money,
    check_amount,
    check_currency,
    exponent,
    format_amount,
    format_money,
    format_percent,
    parse_amount,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("12.50", "USD", 1250),
        ("12,50", "USD", 1250),
        ("$12.50", "USD", 1250),
        ("$ 12.50", "USD", 1250),
        ("12", "USD", 1200),
        ("12.5", "USD", 1250),
        ("12.50 USD", "USD", 1250),
        ("usd 12.50", "USD", 1250),
        ("1,234.50", "USD", 123450),
        ("1.234,50", "EUR", 123450),
        ("1 234,50", "EUR", 123450),
        ("1,234", "USD", 123400),
        ("1,234,567.89", "USD", 123456789),
        (".5", "USD", 50),
        ("0", "USD", 0),
        ("  7  ", "USD", 700),
        ("€3", "EUR", 300),
        ("3€", "EUR", 300),
        ("R$10,00", "BRL", 1000),
        ("12 kr", "SEK", 1200),
        ("1500", "JPY", 1500),
        ("¥1,500", "JPY", 1500),
        ("12.345", "KWD", 12345),
        ("12,345", "KWD", 12345),
        ("1,234.567 KWD", "KWD", 1234567),
        ("-0", "USD", 0),
    ],
)
def test_parse_amount_accepts(text: str, currency: str, expected: int) -> None:
    assert parse_amount(text, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("abc", "USD", "not a number"),
        ("", "USD", "empty"),
        ("   ", "USD", "empty"),
        ("$", "USD", "not a number"),
        ("12.", "USD", "not a number"),
        ("12.345", "USD", "more decimals than USD allows (2 decimal places)"),
        ("1.5", "JPY", "more decimals than JPY allows (no decimals)"),
        ("1.234", "JPY", "more decimals than JPY allows"),
        ("12.3456", "KWD", "more decimals than KWD allows"),
        ("-5", "USD", "cannot be negative"),
        ("-$5.00", "USD", "cannot be negative"),
        ("€12.50", "USD", "not in USD"),
        ("12.50£", "USD", "not in USD"),
        ("R$12", "USD", "not in USD"),
        ("$12", "EUR", "not in EUR"),
        ("12.50 EUR", "USD", "not a number"),
        ("1.2.3", "USD", "more than one decimal separator"),
        ("12,34,56", "USD", "separator"),
        ("1,23,456.00", "USD", "misplaced thousands separators"),
    ],
)
def test_parse_amount_rejects(text: str, currency: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_amount(text, currency)


def test_parse_amount_negative_when_allowed() -> None:
    assert parse_amount("-12.50", "USD", allow_negative=True) == -1250
    assert parse_amount("-$12.50", "USD", allow_negative=True) == -1250
    assert parse_amount("$-12.50", "USD", allow_negative=True) == -1250
    assert parse_amount("\u22123", "USD", allow_negative=True) == -300


def test_parse_amount_names_the_field() -> None:
    with pytest.raises(MoneyError, match=r"^unit price 'x' is not a number$"):
        parse_amount("x", "USD", what="unit price")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(MoneyError, match="unknown currency 'XYZ'"):
        parse_amount("1", "XYZ")
    with pytest.raises(MoneyError, match="unknown currency"):
        Money(1, "XYZ")
    assert check_currency(" usd ") == "USD"
    assert (exponent("USD"), exponent("JPY"), exponent("KWD")) == (2, 0, 3)


@pytest.mark.parametrize(
    ("amount", "currency", "plain", "display"),
    [
        (1250, "USD", "12.50", "$12.50"),
        (-5, "USD", "-0.05", "-$0.05"),
        (0, "USD", "0.00", "$0.00"),
        (123456789, "USD", "1234567.89", "$1,234,567.89"),
        (300, "EUR", "3.00", "€3.00"),
        (1500, "JPY", "1500", "¥1,500"),
        (1234567, "KWD", "1234.567", "1,234.567 KWD"),
        (1250, "CHF", "12.50", "12.50 CHF"),
        (1000, "BRL", "10.00", "10.00 BRL"),
    ],
)
def test_format(amount: int, currency: str, plain: str, display: str) -> None:
    assert format_amount(amount, currency) == plain
    assert format_money(amount, currency) == display
    money = Money(amount, currency)
    assert money.decimal_str() == plain
    assert str(money) == display


@pytest.mark.parametrize(
    ("text", "ppm"),
    [
        ("10", 100_000),
        ("10%", 100_000),
        (" 10 % ", 100_000),
        ("8.875", 88_750),
        ("8,875%", 88_750),
        ("0", 0),
        ("0.0001", 1),
        ("100", 1_000_000),
        ("20.5", 205_000),
    ],
)
def test_parse_percent(text: str, ppm: int) -> None:
    assert parse_percent(text) == ppm


@pytest.mark.parametrize("text", ["", "abc", "-5", "100.01", "250", "8.87501", "1e2", "%"])
def test_parse_percent_rejects(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_percent(text)


@pytest.mark.parametrize(
    ("ppm", "text"),
    [(100_000, "10%"), (88_750, "8.875%"), (0, "0%"), (1, "0.0001%"), (1_000_000, "100%")],
)
def test_format_percent(ppm: int, text: str) -> None:
    assert format_percent(ppm) == text


@given(st.integers(min_value=0, max_value=1_000_000))
def test_percent_round_trip(ppm: int) -> None:
    assert parse_percent(format_percent(ppm)) == ppm


currencies = st.sampled_from(["USD", "JPY", "KWD", "EUR", "CHF", "BRL"])
amounts = st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT)


@given(amounts, currencies)
def test_format_amount_round_trip(amount: int, currency: str) -> None:
    assert parse_amount(format_amount(amount, currency), currency, allow_negative=True) == amount


@given(amounts, currencies)
def test_format_money_round_trip(amount: int, currency: str) -> None:
    assert parse_amount(format_money(amount, currency), currency, allow_negative=True) == amount


def test_money_arithmetic() -> None:
    a, b = Money(1250, "USD"), Money(250, "usd")
    assert a + b == Money(1500, "USD")
    assert a - b == Money(1000, "USD")
    assert -a == Money(-1250, "USD")
    assert a * 3 == Money(3750, "USD")
    assert Money.parse("$12.50", "USD") == a


def test_money_refuses_mixed_currencies() -> None:
    usd, eur = Money(100, "USD"), Money(100, "EUR")
    with pytest.raises(MoneyError, match="cannot combine USD with EUR"):
        usd + eur
    with pytest.raises(MoneyError, match="cannot combine EUR with USD"):
        eur - usd


def test_money_ordering_within_a_currency() -> None:
    small, big = Money(50, "USD"), Money(100, "USD")
    assert small < big and small <= big and big > small and big >= small
    assert small <= Money(50, "USD") and small >= Money(50, "USD")
    assert sorted([big, small]) == [small, big]


def test_money_ordering_refuses_mixed_currencies() -> None:
    usd, eur = Money(100, "USD"), Money(50, "EUR")
    with pytest.raises(MoneyError, match="cannot combine"):
        _ = usd < eur
    with pytest.raises(MoneyError, match="cannot combine"):
        _ = usd >= eur
    assert usd != Money(100, "EUR")


def test_money_ordering_against_other_types_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Money(100, "USD") < 100  # type: ignore[operator]


@pytest.mark.parametrize("amount", [12.5, "1250", True, None])
def test_money_amount_must_be_int(amount: object) -> None:
    with pytest.raises(MoneyError, match="whole minor units"):
        Money(amount, "USD")  # type: ignore[arg-type]


def test_money_multiplies_by_whole_numbers_only() -> None:
    with pytest.raises(MoneyError, match="whole number"):
        Money(100, "USD") * 1.5  # type: ignore[operator]


def test_amounts_have_an_upper_limit_named_in_the_currency():
    assert parse_amount("999999999.99", "USD") == MAX_AMOUNT
    with pytest.raises(MoneyError, match=r"^float is over the limit of \$999,999,999\.99$"):
        parse_amount("1000000000", "USD", what="float")
    with pytest.raises(MoneyError, match="over the limit"):
        parse_amount("9" * 5000, "USD")
    with pytest.raises(MoneyError, match=r"over the limit of ¥99,999,999,999$"):
        parse_amount("-100000000000", "JPY", allow_negative=True)
    with pytest.raises(MoneyError, match="over the limit"):
        check_amount(MAX_AMOUNT + 1, "EUR")
    assert check_amount(-MAX_AMOUNT, "EUR", allow_negative=True) == -MAX_AMOUNT


@pytest.mark.parametrize("typed", ["١٢", "1_000", "²", "۱۲.۵۰", "12.5²"])
def test_amounts_are_written_with_ascii_digits(typed):
    with pytest.raises(MoneyError, match="is not a number"):
        parse_amount(typed, "USD")


@pytest.mark.parametrize("typed", ["١٠", "١٠%", "²"])
def test_percentages_are_written_with_ascii_digits(typed):
    with pytest.raises(MoneyError, match="is not a percentage"):
        parse_percent(typed)
