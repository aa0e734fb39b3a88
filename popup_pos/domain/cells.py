"""Text cells of a CSV file kept from being read as formulas (OWASP's CSV injection advice).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and a
leading tab or carriage return can hide one. Such a text cell is written with a single
quote in front, which spreadsheets show as text and do not display. Only text columns are
guarded: numbers, amounts (a refund's -12.50), times and yes/no cells are written as they
are, so they stay numbers. A cell that already starts with quotes before one of those
characters gets one more, so that `restore` gives back exactly what was written.
"""

from __future__ import annotations

FORMULA_START = frozenset("=+-@\t\r")
GUARD = "'"
_FIRST = FORMULA_START | {GUARD}


def _risky(text: str) -> bool:
    rest = text.lstrip(GUARD)
    return bool(rest) and rest[0] in FORMULA_START


def neutralise(value: object) -> object:
    """A text cell safe to open in a spreadsheet; anything else unchanged."""
    # The first character alone clears almost every cell: exports run this per text cell.
    if isinstance(value, str) and value[:1] in _FIRST and _risky(value):
        return GUARD + value
    return value


def restore(text: str) -> str:
    """The text a guarded cell stood for: one guard quote taken off; others unchanged."""
    if text.startswith(GUARD) and _risky(text):
        return text[1:]
    return text
