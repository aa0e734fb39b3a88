"""Money in integer minor units, with strict parsing of what people type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from popup_pos.domain.errors import MoneyError
from popup_pos.domain.limits import brief

# The largest amount anyone may type or a service accept, in minor units: 999,999,999.99
# in a two-decimal currency. Prices, floats, counts and payments stay far below it; the
# 64-bit columns stay safe even after quantities and taxes multiply it.
MAX_AMOUNT = 99_999_999_999

# ISO 4217 minor-unit exponents for the currencies a merch table is likely to see.
# Anything not listed is refused rather than guessed.
CURRENCY_EXPONENTS: dict[str, int] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2, "EUR": 2,
    "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JPY": 0,
    "KRW": 0, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "PHP": 2, "PLN": 2, "RON": 2,
    "SEK": 2, "SGD": 2, "THB": 2, "TWD": 2, "USD": 2, "ZAR": 2, "CLP": 0, "VND": 0,
    "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip

CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "HKD": "$", "SGD": "$", "MXN": "$",
    "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "KRW": "₩", "INR": "₹", "ILS": "₪",
    "PLN": "zł", "BRL": "R$", "CHF": "CHF", "SEK": "kr", "NOK": "kr", "DKK": "kr",
}  # fmt: skip

_ALL_SYMBOLS = sorted(set(CURRENCY_SYMBOLS.values()), key=len, reverse=True)


def check_currency(code: str) -> str:
    """Return the upper-cased ISO code, or raise if it is not one we know."""
    upper = code.strip().upper()
    if upper not in CURRENCY_EXPONENTS:
        raise MoneyError(f"unknown currency {code!r}: use a three-letter ISO code such as USD")
    return upper


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has (USD 2, JPY 0)."""
    return CURRENCY_EXPONENTS[check_currency(currency)]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency's minor units (cents); never a float."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise MoneyError(f"money amounts are whole minor units, not {self.amount!r}")
        object.__setattr__(self, "currency", check_currency(self.currency))

    @classmethod
    def parse(cls, text: str, currency: str, *, allow_negative: bool = False) -> Money:
        return cls(parse_amount(text, currency, allow_negative=allow_negative), currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    # Hand-written rather than order=True, which would compare (amount, currency) tuples
    # and quietly rank 100 USD against 50 EUR.
    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount >= other.amount

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise MoneyError("money can only be multiplied by a whole number")
        return Money(self.amount * factor, self.currency)

    def decimal_str(self) -> str:
        return format_amount(self.amount, self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_amount(amount: int, currency: str) -> str:
    """Plain decimal in the currency's units, e.g. 1250 USD -> '12.50', -5 -> '-0.05'."""
    exp = exponent(currency)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}" if exp else f"{sign}{whole}"


def format_money(amount: int, currency: str) -> str:
    """For people: '$12.50', '€3.00', '1,500 JPY' style with a symbol where we know one."""
    exp = exponent(currency)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**exp)
    body = f"{whole:,}" + (f".{frac:0{exp}d}" if exp else "")
    symbol = CURRENCY_SYMBOLS.get(check_currency(currency))
    if symbol and len(symbol) == 1:
        return f"{sign}{symbol}{body}"
    return f"{sign}{body} {currency.upper()}"


_GROUPED = re.compile(r"\d{1,3}(?:[,.' ]\d{3})+", re.ASCII)
# More digits than this is over MAX_AMOUNT whatever the currency, and never worth int().
_MAX_DIGITS = 20


def parse_amount(
    text: str, currency: str, *, allow_negative: bool = False, what: str = "amount"
) -> int:
    """Parse what a person typed into minor units of `currency`.

    Accepts "12", "12.50", "12,50", "$12.50", "12.50 USD", "1,234.50", "1.234,50".
    When only one kind of separator appears it is the decimal separator, unless it is
    followed by exactly three digits and the currency has fewer decimals, in which case
    a comma (or space) groups thousands and a point is refused as too many decimals.
    """
    exp = exponent(currency)
    raw = brief(text)
    s = text.strip().replace("\u00a0", " ")
    if not s:
        raise MoneyError(f"{what} is empty")
    negative = False
    if s.startswith(("-", "\u2212")):
        negative, s = True, s[1:].strip()
    if s.upper().endswith(currency.upper()):
        s = s[: -len(currency)].strip()
    if s.upper().startswith(currency.upper()):
        s = s[len(currency) :].strip()
    own = CURRENCY_SYMBOLS.get(currency.upper())
    for sym in _ALL_SYMBOLS:
        if s.startswith(sym) or s.endswith(sym):
            if sym != own:
                raise MoneyError(f"{what} {raw} is not in {currency.upper()}")
            s = (s[len(sym) :] if s.startswith(sym) else s[: -len(sym)]).strip()
            break
    if s.startswith("-") and not negative:
        negative, s = True, s[1:].strip()
    if not re.fullmatch(r"[0-9.,][0-9.,' ]*", s) or not s[-1].isdigit():
        raise MoneyError(f"{what} {raw} is not a number")
    if sum(c.isdigit() for c in s.lstrip("0.,' ")) > _MAX_DIGITS:
        raise MoneyError(f"{what} is over the limit of {format_money(MAX_AMOUNT, currency)}")

    whole, frac = s, ""
    last = max(s.rfind("."), s.rfind(","))
    if last == -1:
        whole = _ungroup(s, raw, what)
    else:
        mark, head, tail = s[last], s[:last], s[last + 1 :]
        if mark == "," and "." not in s and len(tail) == 3 and exp < 3:
            # "1,234" means a thousand and more wherever a comma is typed that way.
            whole = _ungroup(s, raw, what)
        else:
            if mark in head:
                raise MoneyError(f"{what} {raw} has more than one decimal separator")
            if not tail.isdigit():
                raise MoneyError(f"{what} {raw} is not a number")
            whole, frac = _ungroup(head, raw, what), tail
    if len(frac) > exp:
        places = "no decimals" if exp == 0 else f"{exp} decimal places"
        raise MoneyError(
            f"{what} {raw} has more decimals than {currency.upper()} allows ({places})"
        )
    value: int = int(whole or "0") * 10**exp + int(frac.ljust(exp, "0") or "0")
    if negative and value:
        if not allow_negative:
            raise MoneyError(f"{what} {raw} cannot be negative")
        value = -value
    return check_amount(value, currency, what=what, allow_negative=allow_negative)


def check_amount(
    amount: int, currency: str, *, what: str = "amount", allow_negative: bool = False
) -> int:
    """`amount` (minor units) if it is within what popup-pos accepts; else a MoneyError
    naming the limit in the currency."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(f"{what} must be whole minor units, not {amount!r}")
    if amount < 0 and not allow_negative:
        raise MoneyError(f"{what} cannot be negative")
    if abs(amount) > MAX_AMOUNT:
        limit = format_money(MAX_AMOUNT, currency)
        raise MoneyError(f"{what} is over the limit of {limit}")
    return amount


def _ungroup(s: str, raw: str, what: str) -> str:
    """Remove thousands separators, insisting on one kind in groups of three."""
    if s.isdigit() or not s:
        return s
    kinds = {c for c in s if not c.isdigit()}
    if len(kinds) != 1 or not _GROUPED.fullmatch(s):
        raise MoneyError(f"{what} {raw} has misplaced thousands separators")
    return s.replace(kinds.pop(), "")


def parse_percent(text: str, *, what: str = "percentage") -> int:
    """Parse "10", "10%", "8.875" into parts per million of the whole (10% -> 100_000)."""
    s = text.strip().removesuffix("%").strip().replace(",", ".")
    m = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,4}))?", s, re.ASCII)
    if not m:
        raise MoneyError(f"{what} {brief(text)} is not a percentage like 10 or 8.875")
    ppm = int(m.group(1)) * 10_000 + int((m.group(2) or "").ljust(4, "0"))
    if ppm > 1_000_000:
        raise MoneyError(f"{what} {brief(text)} is over 100%")
    return ppm


def format_percent(ppm: int) -> str:
    """100_000 -> '10%', 88_750 -> '8.875%'."""
    whole, frac = divmod(ppm, 10_000)
    return f"{whole}.{frac:04d}".rstrip("0").rstrip(".") + "%"
