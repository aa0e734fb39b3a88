"""Cash at the table: the quick-cash keys a currency's notes suggest, and change due."""

from __future__ import annotations

from popup_pos.domain.errors import MoneyError
from popup_pos.domain.money import check_currency, exponent, format_money

# Banknotes in everyday use, in major units. A customer pays with notes, so the keys
# offered are amounts a hand of notes makes; coins are what change is for.
NOTES: dict[str, tuple[int, ...]] = {
    "USD": (1, 5, 10, 20, 50, 100),
    "CAD": (5, 10, 20, 50, 100),
    "AUD": (5, 10, 20, 50, 100),
    "NZD": (5, 10, 20, 50, 100),
    "EUR": (5, 10, 20, 50, 100, 200),
    "GBP": (5, 10, 20, 50),
    "CHF": (10, 20, 50, 100, 200),
    "SEK": (20, 50, 100, 200, 500),
    "NOK": (50, 100, 200, 500),
    "DKK": (50, 100, 200, 500),
    "MXN": (20, 50, 100, 200, 500),
    "JPY": (1000, 5000, 10000),
    "KRW": (1000, 5000, 10000, 50000),
}
# Elsewhere the 1-2-5 series, which most currencies' notes follow.
_SERIES = tuple(m * 10**k for k in range(7) for m in (1, 2, 5))

# Nobody hands over a fistful of one note: an amount made of more than this many notes
# of one kind is not a sensible key ($65 for $60 would be thirteen fives).
MAX_NOTES_OF_ONE_KIND = 4


def notes(currency: str) -> tuple[int, ...]:
    """The currency's notes in minor units, smallest first."""
    code = check_currency(currency)
    unit = 10 ** exponent(code)
    return tuple(n * unit for n in NOTES.get(code, _SERIES))


def quick_cash_keys(due_cents: int, currency: str, *, limit: int = 3) -> tuple[int, ...]:
    """The round amounts a customer is likely to hand over for `due_cents`, smallest first.

    For each note, the smallest amount above what is due made of that note alone, when at
    most four of them make it: $60 gives $80 (4 x $20) and $100; $30 gives $40, $50 and
    $100. "Exact" has a key of its own, so nothing at or below the amount due is offered.
    """
    if due_cents <= 0:
        return ()
    keys: set[int] = set()
    for note in notes(currency):
        count = due_cents // note + 1
        if count <= MAX_NOTES_OF_ONE_KIND:
            keys.add(count * note)
    return tuple(sorted(keys)[:limit])


def change_due(due_cents: int, handed_cents: int, currency: str) -> int:
    """The change for cash handed over against what is due; refused when it falls short."""
    if handed_cents <= 0:
        raise MoneyError("the amount handed over must be more than zero")
    if handed_cents < due_cents:
        raise MoneyError(
            f"{format_money(handed_cents, currency)} handed over is less than the "
            f"{format_money(due_cents, currency)} due"
        )
    return handed_cents - due_cents
