"""An event export as one Excel workbook: a summary sheet, then one sheet per table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from popup_pos.domain.money import exponent
from popup_pos.domain.report import ColumnKind, Progress, Report, Table
from popup_pos.exports.common import PROGRESS_EVERY, ExportError, Ticker, atomic_file
from popup_pos.exports.tables import summary_rows

EXCEL_MAX_ROWS = 1_048_576
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

CellWriter = Callable[[int, Any], None]


def write_workbook(
    target: str | Path,
    report: Report,
    tables: Sequence[Table],
    *,
    progress: Progress | None = None,
) -> Path:
    """Write the workbook to `target` (replaced whole once complete); its path.

    Amounts are numbers in the currency's units with the currency's decimals shown, so
    they add up in a spreadsheet; times are the venue's local time (Excel has no time
    zones: the summary sheet says which offset).
    """
    for t in tables:
        if t.count + 1 > EXCEL_MAX_ROWS:
            raise ExportError(
                f"{t.name} has {t.count:,} rows, more than one Excel sheet holds: "
                "export as csv instead"
            )
    ticker = Ticker(sum(t.count for t in tables), progress)
    with atomic_file(target) as temp:
        # constant_memory streams each row to disk as soon as the next one starts, so a
        # 300,000-line sheet never sits in memory.
        wb = xlsxwriter.Workbook(
            str(temp),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False},
        )
        try:
            styles = _Styles(wb, report.event.currency)
            _summary(wb, report, styles)
            for table in tables:
                _sheet(wb, table, styles, report.event.tz, ticker)
        finally:
            wb.close()
    ticker.finish()
    return Path(target)


class _Styles:
    def __init__(self, wb: Any, currency: str) -> None:
        exp = exponent(currency)
        self.exp = exp
        self.money = wb.add_format({"num_format": "0." + "0" * exp if exp else "0"})
        self.time = wb.add_format({"num_format": TIME_FORMAT})
        self.number = wb.add_format({"num_format": "0.00"})
        self.head = wb.add_format({"bold": True, "bottom": 1})
        self.bold = wb.add_format({"bold": True})


def _writers(ws: Any, kinds: Sequence[ColumnKind], styles: _Styles, tz: tzinfo) -> list[CellWriter]:
    """One function per column that writes a value of that column's kind into a row."""
    out: list[CellWriter] = []
    exp = styles.exp
    for col, kind in enumerate(kinds):
        if kind == "money":

            def money(r: int, v: Any, c: int = col) -> None:
                if v is not None:
                    # Exact decimal digits: the cell gets 12.5, never 12.499999….
                    ws.write_number(r, c, Decimal(v).scaleb(-exp), styles.money)

            out.append(money)
        elif kind == "time":

            def when(r: int, v: Any, c: int = col) -> None:
                if v is not None:
                    local = v.astimezone(tz).replace(tzinfo=None)
                    ws.write_datetime(r, c, local, styles.time)

            out.append(when)
        elif kind == "int":

            def whole(r: int, v: Any, c: int = col) -> None:
                if v is not None:
                    ws.write_number(r, c, v)

            out.append(whole)
        elif kind == "number":

            def measured(r: int, v: Any, c: int = col) -> None:
                if v is not None:
                    ws.write_number(r, c, v, styles.number)

            out.append(measured)
        elif kind == "bool":

            def flag(r: int, v: Any, c: int = col) -> None:
                if v is not None:
                    ws.write_boolean(r, c, bool(v))

            out.append(flag)
        else:

            def text(r: int, v: Any, c: int = col) -> None:
                if v is not None and v != "":
                    ws.write_string(r, c, str(v))

            out.append(text)
    return out


def _sheet(wb: Any, table: Table, styles: _Styles, tz: tzinfo, ticker: Ticker) -> None:
    ws = wb.add_worksheet(table.name.capitalize())
    names = [c.name for c in table.columns]
    for col, c in enumerate(table.columns):
        width = {"money": 11, "time": 20, "int": 9, "number": 9, "bool": 8}.get(c.kind, 14)
        ws.set_column(col, col, max(width, len(c.name) + 2))
    ws.freeze_panes(1, 0)
    if table.count:
        ws.autofilter(0, 0, table.count, len(names) - 1)
    for col, name in enumerate(names):
        ws.write_string(0, col, name, styles.head)
    cells = list(enumerate(_writers(ws, [c.kind for c in table.columns], styles, tz)))
    r = 0
    for r, row in enumerate(table.rows, start=1):
        for col, write in cells:
            write(r, row[col])
        if r % PROGRESS_EVERY == 0:
            ticker.add(PROGRESS_EVERY)
    ticker.add(r % PROGRESS_EVERY)


def _summary(wb: Any, report: Report, styles: _Styles) -> None:
    ws = wb.add_worksheet("Summary")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 26)
    tz = report.event.tz
    offset = report.event.opened_at.astimezone(tz).strftime("%z")
    ws.write_string(0, 0, "popup-pos event export", styles.bold)
    ws.write_string(1, 0, f"Times are local to the venue (UTC{offset[:3]}:{offset[3:]})")
    for r, (label, value, kind) in enumerate(summary_rows(report), start=3):
        ws.write_string(r, 0, label)
        if value is None:
            continue
        if kind == "money":
            ws.write_number(r, 1, Decimal(value).scaleb(-styles.exp), styles.money)
        elif kind == "time":
            ws.write_datetime(r, 1, value.astimezone(tz).replace(tzinfo=None), styles.time)
        elif kind == "int":
            ws.write_number(r, 1, value)
        elif kind == "number":
            ws.write_number(r, 1, value, styles.number)
        else:
            ws.write_string(r, 1, str(value))
