"""An event's export as CSV, XLSX, JSON or PDF, read from one consistent snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any, Literal

from popup_pos.domain.report import (
    Column,
    EventHeader,
    Progress,
    Report,
    Table,
)
from popup_pos.exports.tables import (
    CODE_COLUMNS,
    LINE_COLUMNS,
    ORDER_COLUMNS,
    PAYMENT_COLUMNS,
    REFUND_COLUMNS,
    REPORT_TABLES,
    TABLE_NAMES,
    TICKET_COLUMNS,
)
from popup_pos.services.events import resolve_event
from popup_pos.services.reports.building import ReportError, build, event_tz
from popup_pos.services.reports.sections import event_header
from popup_pos.store import code_pool as code_pool_store
from popup_pos.store import reports as reports_store
from popup_pos.store.uow import UnitOfWork

Format = Literal["csv", "xlsx", "json", "pdf"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json", "pdf")


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: Format
    path: Path
    files: tuple[Path, ...]
    rows: dict[str, int]  # rows written per table
    event: EventHeader
    report: Report | None  # None when only tables that need no report were written


def export(
    uow: UnitOfWork,
    fmt: str,
    out: str | Path,
    *,
    event: int | str | None = None,
    tables: Sequence[str] | None = None,
    tz: tzinfo | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write an event's export: csv (a folder of files), xlsx, json or pdf (the report).

    `tables` picks some of orders, lines, payments, refunds, stock, settlement and tickets
    (default: all). The whole export reads one consistent snapshot of the database; the
    file (or folder) appears only once it is complete.
    """
    if fmt not in FORMATS:
        raise ReportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    names = TABLE_NAMES if tables is None else tuple(tables)
    unknown = [n for n in names if n not in TABLE_NAMES]
    if unknown:
        raise ReportError(f"no table {unknown[0]!r} to export: use {', '.join(TABLE_NAMES)}")
    path = Path(out).expanduser()
    with uow:
        ev = resolve_event(uow, event)
        zone = tz or event_tz(ev)
        report: Report | None = None
        if fmt != "csv" or set(REPORT_TABLES) & set(names):
            report = build(uow, ev, zone, 10)
        header = report.event if report else event_header(ev, zone)
        if fmt == "pdf":
            assert report is not None
            # Imported here: ReportLab loads only when a PDF is wanted.
            from popup_pos.documents.report import write_report_pdf

            if progress is not None:
                progress(0, 1)
            write_report_pdf(path, report)
            if progress is not None:
                progress(1, 1)
            return ExportResult("pdf", path, (path,), {}, header, report)
        chosen = _tables(uow, ev.id, report, names)
        rows = {t.name: t.count for t in chosen}
        if fmt == "csv":
            from popup_pos.exports.csv_folder import write_csv_folder

            files = write_csv_folder(path, chosen, currency=ev.currency, tz=zone, progress=progress)
            return ExportResult("csv", path, tuple(files), rows, header, report)
        assert report is not None
        if fmt == "xlsx":
            from popup_pos.exports.workbook import write_workbook

            write_workbook(path, report, chosen, progress=progress)
            return ExportResult("xlsx", path, (path,), rows, header, report)
        from popup_pos.exports.json_document import write_json

        write_json(path, report, chosen, progress=progress)
        return ExportResult("json", path, (path,), rows, header, report)


def _tables(
    uow: UnitOfWork, event_id: int, report: Report | None, names: Sequence[str]
) -> list[Table]:
    counts = reports_store.stream_counts(uow, event_id, names)
    if "codes" in names:
        counts["codes"] = code_pool_store.handed_out_count(uow, event_id)
    out = []
    for name in names:
        if name in REPORT_TABLES:
            assert report is not None
            out.append(REPORT_TABLES[name](report))
        else:
            columns, stream = _STREAMS[name]
            out.append(Table(name, columns, stream(uow, event_id), counts[name]))
    return out


def _lines(uow: UnitOfWork, event_id: int) -> Iterator[tuple[Any, ...]]:
    """Each line with its name as sold ("Tour tee 2026 — M") split into product and variant."""
    for row in reports_store.line_stream(uow, event_id):
        number, sku, name, product, qty, unit, discount, total, editions, owner, status = row
        if product and name.startswith(product) and name[len(product) : len(product) + 3] == " — ":
            variant = name[len(product) + 3 :]
            product_name = product
        else:
            # A custom line, or a product renamed since: the name as sold is the product.
            variant, product_name = "", name
        yield (
            number,
            sku,
            product_name,
            variant,
            qty,
            unit,
            discount,
            total,
            editions,
            owner,
            status,
        )


_STREAMS: dict[str, tuple[tuple[Column, ...], Callable[[UnitOfWork, int], Iterator[Any]]]] = {
    "orders": (ORDER_COLUMNS, reports_store.order_stream),
    "lines": (LINE_COLUMNS, _lines),
    "payments": (PAYMENT_COLUMNS, reports_store.payment_stream),
    "refunds": (REFUND_COLUMNS, reports_store.refund_stream),
    "tickets": (TICKET_COLUMNS, reports_store.ticket_stream),
    "codes": (CODE_COLUMNS, code_pool_store.handed_out),
}
