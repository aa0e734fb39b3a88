"""Helpers shared by the command modules: errors, numbers and money for the terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class UsageError(PosError):
    """A command-line value that cannot be used."""


def money(uow: UnitOfWork, amount: int | None) -> str:
    from popup_pos.services.events import display_currency

    if amount is None:
        return "—"
    return format_money(amount, display_currency(uow))


def whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{what} must be a whole number, not {text!r}") from None


MAX_PROBLEMS_SHOWN = 30


def print_file_problems(path: str | Path, problems: Sequence[object]) -> int:
    """Every bad row of a refused file (up to a screenful) on stderr; the exit status."""
    n = len(problems)
    print(
        f"popup-pos: {path}: {n} problem{'s' if n != 1 else ''}, nothing was imported",
        file=sys.stderr,
    )
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(f"  {problem}", file=sys.stderr)
    if n > MAX_PROBLEMS_SHOWN:
        print(f"  … and {n - MAX_PROBLEMS_SHOWN} more", file=sys.stderr)
    return 1
