"""Quick-cash keys follow the currency's notes; change is refused when cash falls short."""

from __future__ import annotations

import pytest

from popup_pos.domain.cash import change_due, notes, quick_cash_keys
from popup_pos.domain.errors import MoneyError


@pytest.mark.parametrize(
    ("due", "keys"),
    [
        (6000, (8000, 10000)),
        (3000, (4000, 5000, 10000)),
        (2500, (3000, 4000, 5000)),
        (1250, (1500, 2000, 5000)),
        (300, (400, 500, 1000)),
        (1, (100, 500, 1000)),
    ],
)
def test_keys_in_dollars(due: int, keys: tuple[int, ...]) -> None:
    assert quick_cash_keys(due, "USD") == keys


def test_no_key_at_or_below_exact() -> None:
    for due in range(1, 30_000, 37):
        assert all(k > due for k in quick_cash_keys(due, "USD", limit=10))


def test_nothing_due_offers_nothing() -> None:
    assert quick_cash_keys(0, "USD") == ()
    assert quick_cash_keys(-500, "EUR") == ()


def test_pounds_start_at_the_five_note() -> None:
    assert quick_cash_keys(300, "GBP") == (500, 1000, 2000)


def test_yen_have_no_minor_unit() -> None:
    assert notes("JPY")[0] == 1000
    assert quick_cash_keys(3500, "JPY") == (4000, 5000, 10000)


def test_unlisted_currency_follows_one_two_five() -> None:
    assert quick_cash_keys(1700, "PLN") == (2000, 5000, 10000)


def test_limit_keeps_the_smallest() -> None:
    assert quick_cash_keys(3000, "USD", limit=2) == (4000, 5000)


def test_change_for_cash_handed_over() -> None:
    assert change_due(2750, 5000, "USD") == 2250
    assert change_due(2750, 2750, "USD") == 0


def test_short_cash_is_refused_with_both_amounts() -> None:
    with pytest.raises(MoneyError, match=r"\$20\.00 handed over is less than the \$27\.50 due"):
        change_due(2750, 2000, "USD")
    with pytest.raises(MoneyError, match="more than zero"):
        change_due(100, 0, "USD")
