"""Helpers shared by the command modules: errors, numbers and money for the terminal."""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos.domain.errors import PosError
from popup_pos.domain.limits import MAX_QUANTITY, parse_whole
from popup_pos.domain.money import format_money

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork


class UsageError(PosError):
    """A command-line value that cannot be used."""


def actor() -> str:
    """Who makes a change from the command line, for the audit log: `cli:` and the name
    of the OS user, `cli:unknown` where the system has none (a bare container)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        name = ""
    # The name lands in a 100-character column: no control characters, not too long.
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()[:80]
    return f"cli:{name or 'unknown'}"


def money(uow: UnitOfWork, amount: int | None) -> str:
    from popup_pos.services.events import display_currency

    if amount is None:
        return "—"
    return format_money(amount, display_currency(uow))


def whole(text: str, what: str, *, low: int = 0, high: int = MAX_QUANTITY) -> int:
    """A whole number typed on the command line, within [low, high] (the message names
    the limit)."""
    return parse_whole(text, what, low=low, high=high)


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


RECEIPT_WIDTHS = (80, 58)  # mm of paper; kept here so `--help` loads no services


def add_roll_output(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """`--width 80|58` and `--out FILE.pdf`, as every receipt-printer document takes them."""
    parser.add_argument(
        "--width",
        type=int,
        choices=RECEIPT_WIDTHS,
        help="paper width in mm (default: the printing setting, 80 unless changed)",
    )
    parser.add_argument("--out", metavar="FILE.pdf", required=required, help="the PDF to write")
