"""An event export as a folder of CSV files that Excel, LibreOffice and pandas open as they are."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any

from popup_pos.domain.cells import neutralise
from popup_pos.domain.report import Progress, Table
from popup_pos.exports.common import (
    PROGRESS_EVERY,
    Ticker,
    atomic_folder,
    flag_text,
    money_formatter,
    number_text,
    time_formatter,
)
from popup_pos.files import private_opener


def write_csv_folder(
    target: str | Path,
    tables: Sequence[Table],
    *,
    currency: str,
    tz: tzinfo,
    progress: Progress | None = None,
) -> list[Path]:
    """Write one `<name>.csv` per table into the folder `target`; the files written.

    Amounts are plain decimals in the currency's units (12.50), times ISO 8601 with the
    venue's UTC offset, blanks for missing values; UTF-8 with a byte-order mark, because
    Excel reads accented names wrongly without one. The folder appears whole or not at all,
    readable by its owner only.

    Text cells that a spreadsheet would run as a formula get a leading `'` (see
    domain.cells); the other kinds of column are written as numbers, untouched.
    """
    names = tuple(f"{t.name}.csv" for t in tables)
    ticker = Ticker(sum(t.count for t in tables), progress)
    money, when = money_formatter(currency), time_formatter(tz)
    with atomic_folder(target, names) as temp:
        for table, name in zip(tables, names, strict=True):
            _write_table(temp / name, table, money, when, ticker)
    ticker.finish()
    return [Path(target) / n for n in names]


def _write_table(
    path: Path,
    table: Table,
    money: Callable[[Any], str],
    when: Callable[[Any], str],
    ticker: Ticker,
) -> None:
    # Only money, time, measured and yes/no cells need converting, and text cells
    # guarding: the csv module writes whole numbers and None (as a blank) itself, and
    # touching nothing else keeps the loop close to bare csv.
    by_kind: dict[str, Callable[[Any], Any]] = {
        "money": money,
        "time": when,
        "number": number_text,
        "bool": flag_text,
        "text": neutralise,
    }
    converters = [(i, by_kind[c.kind]) for i, c in enumerate(table.columns) if c.kind in by_kind]
    with open(path, "w", encoding="utf-8-sig", newline="", opener=private_opener) as out:
        writer = csv.writer(out)
        writer.writerow([c.name for c in table.columns])
        batch: list[list[Any]] = []
        for row in table.rows:
            cells = list(row)
            for i, convert in converters:
                cells[i] = convert(cells[i])
            batch.append(cells)
            if len(batch) == PROGRESS_EVERY:
                writer.writerows(batch)
                ticker.add(len(batch))
                batch.clear()
        writer.writerows(batch)
        ticker.add(len(batch))
