"""What every export writer shares: value formatting, progress ticks and atomic writes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import exponent
from popup_pos.domain.report import Progress
from popup_pos.files import PRIVATE_FOLDER, create_private_file

# Progress is reported every this many rows: often enough for a progress bar, rarely
# enough that the callback never shows up in an export's time.
PROGRESS_EVERY = 2_000


class ExportError(PosError):
    """An export that cannot be written where it was asked to go."""


def money_formatter(currency: str) -> Callable[[int | None], str]:
    """A fast formatter for one currency; same text as domain.money.format_amount."""
    exp = exponent(currency)
    scale = 10**exp
    if exp == 0:

        def whole(value: int | None) -> str:
            return "" if value is None else str(value)

        return whole

    def fmt(value: int | None) -> str:
        if value is None:
            return ""
        if value < 0:
            w, f = divmod(-value, scale)
            return f"-{w}.{f:0{exp}d}"
        w, f = divmod(value, scale)
        return f"{w}.{f:0{exp}d}"

    return fmt


def number_text(value: float | None) -> str:
    """A measured quantity (minutes, a percentage) to two decimals; blank when missing."""
    return "" if value is None else f"{value:.2f}"


def flag_text(value: bool | None) -> str:
    """true / false, as JSON and pandas read them; blank when missing."""
    return "" if value is None else ("true" if value else "false")


def time_formatter(tz: tzinfo) -> Callable[[datetime | None], str]:
    """ISO 8601 in the venue's time zone with its offset, to the second."""

    def fmt(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(tz).isoformat(timespec="seconds")

    return fmt


class Ticker:
    """Counts rows written across every table and tells `progress` now and then."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._next = PROGRESS_EVERY
        if progress is not None:
            progress(0, total)

    def add(self, n: int) -> None:
        self.done += n
        if self._progress is not None and self.done >= self._next:
            self._next = self.done + PROGRESS_EVERY
            self._progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total)


def partial_path(target: Path) -> Path:
    """Where a file is written before it is renamed into place (same folder, same disk)."""
    return target.with_name(f".{target.name}.partial")


@contextmanager
def atomic_file(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it over `target` once written.

    A crash, a full disk or an error leaves the old file (if any) as it was. The file is
    created readable by its owner only, before anything is written into it.
    """
    path = Path(target)
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name to write to")
    if not path.parent.is_dir():
        raise ExportError(f"folder {path.parent} does not exist")
    temp = partial_path(path)
    try:
        create_private_file(temp)
        yield temp
        _fsync(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(target: str | Path, names: tuple[str, ...]) -> Iterator[Path]:
    """Yield a temporary folder; it replaces `target` once every file in it is written.

    `target` may be new, empty, or an earlier export holding only files in `names`; a
    folder with anything else in it is refused rather than overwritten. The folder is
    readable by its owner only, like the files written into it.
    """
    path = Path(target)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file: a CSV export is a folder, give a folder name")
    if not path.parent.is_dir():
        raise ExportError(f"folder {path.parent} does not exist")
    if path.is_dir():
        foreign = sorted(p.name for p in path.iterdir() if p.name not in names)
        if foreign:
            raise ExportError(
                f"folder {path} already holds other files ({', '.join(foreign[:3])}): "
                "choose a new or empty folder"
            )
    temp = partial_path(path)
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(mode=PRIVATE_FOLDER)
    try:
        yield temp
        for child in temp.iterdir():
            _fsync(child)
        old = path.with_name(f".{path.name}.old")
        if path.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
        os.replace(temp, path)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())
