"""An event export as one JSON document, laid out as popup_pos/exports/schema.json describes."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from popup_pos.domain.report import Column, Progress, Report, SalesRow, Table
from popup_pos.exports.common import PROGRESS_EVERY, Ticker, atomic_file, money_formatter
from popup_pos.exports.common import time_formatter as _time_formatter
from popup_pos.exports.tables import (
    CUSTOMER_COLUMNS,
    EXPERIENCE_COLUMNS,
    EXPERIENCES_TABLE,
    PROFIT_COLUMNS,
    customer_row,
    experience_row,
    profit_row,
    settlement_rows,
)

FORMAT = "popup-pos.event-export"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("schema.json")


def write_json(
    target: str | Path,
    report: Report,
    tables: Sequence[Table],
    *,
    progress: Progress | None = None,
) -> Path:
    """Write the document to `target` (replaced whole once complete); its path.

    Amounts are strings of plain decimals in the currency's units ("12.50"), exact and
    the same text as in the CSV files; times are ISO 8601 strings with the venue's offset.
    The report, the settlement, profit, experiences and customers come first, then one
    array per table (orders, lines, payments, refunds, stock, tickets, codes), one row per
    line of the file.
    """
    money = money_formatter(report.event.currency)
    when = _time_formatter(report.event.tz)
    head = _head(report, money, when)
    ticker = Ticker(sum(t.count for t in tables), progress)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with atomic_file(target) as temp, temp.open("w", encoding="utf-8") as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[: text.rindex("}")].rstrip())
        for table in tables:
            if table.name in head:
                # The settlement's rows are already in head["settlement"]["rows"].
                ticker.add(table.count)
                continue
            out.write(f',\n "{table.name}": [')
            names = [c.name for c in table.columns]
            convert = [
                money if c.kind == "money" else when if c.kind == "time" else None
                for c in table.columns
            ]
            sep = "\n  "
            n = 0
            for n, row in enumerate(table.rows, start=1):
                obj = {
                    k: (v if f is None or v is None else f(v))
                    for k, f, v in zip(names, convert, row, strict=True)
                }
                out.write(sep + dumps(obj))
                sep = ",\n  "
                if n % PROGRESS_EVERY == 0:
                    ticker.add(PROGRESS_EVERY)
            ticker.add(n % PROGRESS_EVERY)
            out.write("\n ]" if n else "]")
        out.write("\n}\n")
    ticker.finish()
    return Path(target)


def _head(
    report: Report, money: Callable[[int | None], str], when: Callable[[Any], str]
) -> dict[str, Any]:
    e, t, c, s = report.event, report.totals, report.cash, report.settlement

    def m(v: int | None) -> str | None:
        return None if v is None else money(v)

    def sales(rows: Sequence[SalesRow]) -> list[dict[str, Any]]:
        return [
            {
                "key": r.key,
                "label": r.label,
                "units": r.units,
                "refunded_units": r.refunded_units,
                "gross": m(r.gross),
                "discounts": m(r.discounts),
                "tax": m(r.tax),
                "total": m(r.total),
                "refunds": m(r.refunds),
                "net": m(r.net),
            }
            for r in rows
        ]

    def typed(columns: Sequence[Column], row: Sequence[Any]) -> dict[str, Any]:
        # Money as exact text like everywhere in the document; numbers and flags as JSON's own.
        return {c.name: m(v) if c.kind == "money" else v for c, v in zip(columns, row, strict=True)}

    offset = e.opened_at.astimezone(e.tz).strftime("%z")
    pt, ex = report.pay_time, report.experiences
    profit, times = report.profit, report.experience_times
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": when(report.generated_at),
        "event": {
            "id": e.id,
            "name": e.name,
            "currency": e.currency,
            "status": e.status,
            "opened_at": when(e.opened_at),
            "closed_at": when(e.closed_at) or None,
            "utc_offset": f"{offset[:3]}:{offset[3:]}",
        },
        "totals": {
            "orders": t.orders,
            "units": t.units,
            "gross": m(t.gross),
            "discounts": m(t.discounts),
            "tax": m(t.tax),
            "tax_included": m(t.tax_included),
            "tips": m(t.tips),
            "charged": m(t.charged),
            "refunds": m(t.refunds),
            "net": m(t.net),
            "fees": m(t.fees),
            "net_after_fees": m(t.net_after_fees),
            "average_order": m(t.average_order),
            "deposits": m(t.deposits),
        },
        "tenders": [
            {
                "tender": r.tender,
                "payments": r.payments,
                "amount": m(r.amount),
                "refunds": m(r.refunds),
                "fees": m(r.fees),
                "net": m(r.net),
            }
            for r in report.tenders
        ],
        "cash": {
            "float": m(c.float_cents),
            "cash_sales": m(c.cash_sales),
            "cash_refunds": m(c.cash_refunds),
            "paid_in": m(c.paid_in),
            "paid_out": m(c.paid_out),
            "expected": m(c.expected),
            "counted": m(c.counted),
            "over_short": m(c.over_short),
            "denominations": [{"value": m(d), "count": n} for d, n in c.denominations],
        },
        "by_product": sales(report.products),
        "by_variant": sales(report.variants),
        "by_category": sales(report.categories),
        "by_owner": sales(report.owners),
        "by_register": [
            {"label": g.label, "orders": g.orders, "total": m(g.total), "refunds": m(g.refunds)}
            for g in report.registers
        ],
        "by_staff": [
            {"label": g.label, "orders": g.orders, "total": m(g.total), "refunds": m(g.refunds)}
            for g in report.staff
        ],
        "by_hour": [
            {"start": when(h.start), "orders": h.orders, "total": m(h.total)} for h in report.hours
        ],
        "editions": [
            {
                "sku": r.sku,
                "label": r.label,
                "edition_size": r.edition_size,
                "numbered": r.numbered,
                "sold": r.sold,
                "on_hand": r.on_hand,
                "sold_out_at": when(r.sold_out_at) or None,
            }
            for r in report.editions
        ],
        "sold_out": [{"sku": r.sku, "label": r.label, "at": when(r.at)} for r in report.sold_out],
        "pay_time": {
            "orders": pt.orders,
            "average_s": pt.average_s,
            "median_s": pt.median_s,
            "max_s": pt.max_s,
        },
        "experiences": {
            "units": ex.units,
            "revenue": m(ex.revenue),
            "tickets": ex.tickets,
            "done": ex.done,
            "no_show": ex.no_show,
            "waiting": ex.waiting,
            "average_wait_s": ex.average_wait_s,
            "average_fulfil_s": ex.average_fulfil_s,
        },
        "profit": {
            "rows": [typed(PROFIT_COLUMNS, profit_row(r)) for r in profit.rows],
            "total": typed(PROFIT_COLUMNS, profit_row(profit.total)),
            "other_fees": m(profit.other_fees),
        },
        EXPERIENCES_TABLE: {
            "rows": [typed(EXPERIENCE_COLUMNS, experience_row(g)) for g in times.rows],
            "total": typed(EXPERIENCE_COLUMNS, experience_row(times.total)),
        },
        "customers": typed(CUSTOMER_COLUMNS, customer_row(report)),
        "carried_over": list(report.carried_over),
        "settlement": {
            "terms": {
                "cut_ppm_by_class": dict(s.terms.cut_ppm_by_class),
                "category_class": dict(s.terms.category_class),
                "on": s.terms.on,
                "card_fees_first": s.terms.card_fees_first,
            },
            "venue_total": m(s.venue_total),
            "owed_to_owners": m(s.owed_to_owners),
            "organizer_total": m(s.organizer_total),
            "tax": m(s.tax),
            "held": m(s.held),
            "rows": [
                {
                    "section": r[0],
                    "party": r[1],
                    "detail": r[2],
                    "sales": m(r[3]),
                    "tax": m(r[4]),
                    "fees": m(r[5]),
                    "venue_cut": m(r[6]),
                    "amount": m(r[7]),
                }
                for r in settlement_rows(report)
            ],
            "notes": list(s.notes),
        },
    }
