"""Limits on what a person types: whole numbers and text checked before they reach a table."""

from __future__ import annotations

import re
import unicodedata

from popup_pos.domain.errors import PosError

# Far above anything a merch table sells or counts, far below what the columns hold
# (32-bit counts, 64-bit amounts), so a slipped key gets a message, never an overflow.
MAX_QUANTITY = 100_000  # units in one go: a count-in, an adjustment, a cart line, a count
MAX_ON_HAND = 1_000_000  # units of one variant in stock
MAX_COPIES = 1_000  # labels of one SKU in one PDF
MAX_LABELS = 10_000  # labels in one PDF, however they were asked for
MAX_DEMO_ORDERS = 5_000
MAX_ID = 2**31 - 1  # event, order and ticket numbers: beyond it, there is no such thing
# The longest whole number worth reading: more digits is over every limit above, and
# converting thousands of digits is slow (Python refuses past 4,300).
_MAX_DIGITS = 24

# Column lengths of what people name and explain (store/models.py).
NAME_LENGTH = 200  # event names
REASON_LENGTH = 200  # stock and cash reasons, cancellations, refunds
REFERENCE_LENGTH = 200  # a wallet payment's reference
LABEL_LENGTH = 100  # a card reader's label, a staff member's name
LINE_NAME_LENGTH = 300  # a custom line's name on an order
NOTE_LENGTH = 200  # a line's personalisation (the name for a shoutout)
ORDER_NOTE_LENGTH = 500  # an order's note
CODE_LENGTH = 64  # an SKU or a barcode
SEARCH_LENGTH = 300  # what a search can match: the longest name

_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)


def brief(text: str, width: int = 40) -> str:
    """`text` quoted for a message, cut short: a mistyped paste must not fill the screen."""
    return repr(text if len(text) <= width else text[:width] + "…")


class LimitError(PosError, ValueError):
    """A number or a text outside what popup-pos accepts."""


def check_whole(value: int, what: str, *, low: int = 0, high: int = MAX_QUANTITY) -> int:
    """`value` if it lies in [low, high]; else a LimitError naming the limit."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise LimitError(f"{what} must be a whole number, not {value!r}")
    if value < low:
        if low == 0:
            raise LimitError(f"{what} cannot be negative ({value:,})")
        raise LimitError(f"{what} must be at least {low:,}, not {value:,}")
    if value > high:
        raise LimitError(f"{what} {value:,} is over the limit of {high:,}")
    return value


def parse_whole(text: str, what: str, *, low: int = 0, high: int = MAX_QUANTITY) -> int:
    """A whole number typed with the digits 0-9 (an optional sign first), within [low, high].

    Python's int() also reads `1_000`, `١٢` (Arabic-Indic) and `²`; a register must not:
    what a person sees on the screen would not be what was counted.
    """
    s = text.strip()
    if not _WHOLE.fullmatch(s):
        raise LimitError(f"{what} must be a whole number written with 0-9, not {brief(text)}")
    digits = s.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        sign = "-" if s.startswith("-") else ""
        limit = f"{low:,}" if sign else f"{high:,}"
        side = "below" if sign else "over"
        raise LimitError(f"{what} {sign}{digits[:6]}… is {side} the limit of {limit}")
    return check_whole(int(s), what, low=low, high=high)


def check_text(
    text: str, what: str, max_length: int, *, required: bool = True, multiline: bool = False
) -> str:
    """`text` stripped, if it fits its column and holds no control characters.

    NUL and the other control characters cannot be stored on PostgreSQL or shown on a
    receipt; lone surrogates (undecodable bytes on a command line) cannot be stored at
    all. Line breaks and tabs are allowed in multi-line notes only.
    """
    s = text.strip()
    if required and not s:
        raise LimitError(f"{what} is empty")
    for c in s:
        if unicodedata.category(c) in ("Cc", "Cs") and not (multiline and c in "\n\t"):
            raise LimitError(f"{what} contains a control character (U+{ord(c):04X}): remove it")
    if len(s) > max_length:
        raise LimitError(f"{what} is {len(s):,} characters long: the most is {max_length}")
    return s


def check_lookup(text: str, what: str, max_length: int = 200) -> str:
    """A code typed or scanned to find something (an SKU, an order number): the same rules
    as stored text, so a lookup fails with a message instead of a driver error."""
    return check_text(text, what, max_length)


def could_be_code(text: str) -> bool:
    """Whether a scan or a typed code could be an SKU or barcode at all: something,
    printable, and no longer than the column. Anything else finds nothing."""
    return 0 < len(text) <= CODE_LENGTH and text.isprintable()
