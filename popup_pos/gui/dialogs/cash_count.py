"""Notes and coins: what a float or a cash-up is counted in, and how they are written."""

from __future__ import annotations

from popup_pos.domain.money import exponent, format_money

# Notes and coins a float is usually made of, largest first, in minor units.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "USD": (10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1),
    "CAD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5),
    "AUD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "NZD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10),
    "EUR": (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "CHF": (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "JPY": (10000, 5000, 1000, 500, 100, 50, 10, 5, 1),
    "KRW": (50000, 10000, 5000, 1000, 500, 100, 50, 10),
    "SEK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100),
    "NOK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 100),
    "DKK": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
    "MXN": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
}
_GENERIC_WHOLE = (100, 50, 20, 10, 5, 2, 1)
_GENERIC_CENTS = (50, 20, 10, 5, 2, 1)


def denominations(currency: str) -> tuple[int, ...]:
    """The notes and coins offered for counting a float in `currency`, in minor units."""
    known = DENOMINATIONS.get(currency)
    if known:
        return known
    unit = 10 ** exponent(currency)
    cents = tuple(c * unit // 100 for c in _GENERIC_CENTS) if unit >= 100 else ()
    return tuple(w * unit for w in _GENERIC_WHOLE) + cents


def denomination_label(value: int, currency: str) -> str:
    """'$20', '$0.25': whole notes without the zero decimals people never write."""
    text = format_money(value, currency)
    unit = 10 ** exponent(currency)
    if unit > 1 and value % unit == 0:
        head, sep, _tail = text.partition(".")
        if sep:
            # The currency code, when shown, follows the decimals: keep it.
            code = text.rsplit(" ", 1)[1] if " " in text else ""
            return f"{head} {code}".strip()
    return text
