"""The tables of an event export: their columns, and the ones made from the report itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from popup_pos.domain.money import format_percent
from popup_pos.domain.report import (
    Column,
    ColumnKind,
    ExperienceRow,
    ProfitRow,
    Report,
    Table,
    repeat_text,
)


def _cols(*spec: str) -> tuple[Column, ...]:
    """'name' is text; 'name:kind' another kind."""
    out = []
    for item in spec:
        name, _, kind = item.partition(":")
        out.append(Column(name, _kind(kind or "text")))
    return tuple(out)


def _kind(kind: str) -> ColumnKind:
    if kind not in ("text", "int", "money", "time", "number", "bool"):
        raise ValueError(f"unknown column kind {kind!r}")
    return kind  # type: ignore[return-value]


ORDER_COLUMNS = _cols(
    "order_number", "status", "created_at:time", "paid_at:time", "register", "staff",
    "subtotal:money", "discount:money", "tax:money", "tip:money", "total:money", "currency",
)  # fmt: skip
# order_status comes last so a spreadsheet can leave out lines of cancelled orders.
LINE_COLUMNS = _cols(
    "order_number", "sku", "product", "variant", "qty:int", "unit_price:money",
    "discount:money", "line_total:money", "edition_numbers", "owner", "order_status",
)  # fmt: skip
PAYMENT_COLUMNS = _cols(
    "order_number", "tender", "amount:money", "fee:money", "status", "reference"
)
REFUND_COLUMNS = _cols("order_number", "amount:money", "tender", "created_at:time")
STOCK_COLUMNS = _cols(
    "sku", "product", "opening:int", "counted_in:int", "sold:int", "refunded_to_stock:int",
    "adjusted:int", "comped:int", "expected:int", "counted_out:int", "shrinkage:int",
)  # fmt: skip
SETTLEMENT_COLUMNS = _cols(
    "section", "party", "detail", "sales:money", "tax:money", "fees:money",
    "venue_cut:money", "amount:money",
)  # fmt: skip
TICKET_COLUMNS = _cols(
    "order_number", "sku", "personalisation", "status", "created_at:time", "called_at:time",
    "done_at:time", "slot_at:time",
)  # fmt: skip
# Download codes given to the event's orders: the code, what it was for, and when.
CODE_COLUMNS = _cols("code", "sku", "order_number", "status", "assigned_at:time", "voided_at:time")
# The last row of profit and of the experiences table, with no SKU, is the total.
PROFIT_COLUMNS = _cols(
    "sku", "product", "kind", "units:int", "net_revenue:money", "cost:money", "fees:money",
    "venue_cut:money", "profit:money", "profit_per_unit:money",
)  # fmt: skip
# The experiences table's file, sheet and JSON key, and its experience-time column, keep
# the names earlier exports and the schema (schema.json) gave them: readers rely on them.
EXPERIENCES_TABLE = "gigs"
EXPERIENCE_MINUTES_COLUMN = "gig_minutes"
EXPERIENCE_COLUMNS = _cols(
    "sku", "experience", "units:int", "net_revenue:money", "done:int", "no_show:int",
    "waiting:int", "fulfil_mean_min:number", "fulfil_p90_min:number", "wait_mean_min:number",
    "wait_p90_min:number", f"{EXPERIENCE_MINUTES_COLUMN}:number", "planned:bool",
    "revenue_per_hour:money",
)  # fmt: skip
CUSTOMER_COLUMNS = _cols(
    "orders:int", "orders_with_handle:int", "handle_share_percent:number", "customers:int",
    "repeat_customers:int", "repeat_rate_percent:number",
)  # fmt: skip

# The files of a CSV export and the sheets of a workbook, in this order.
TABLE_NAMES = (
    "orders", "lines", "payments", "refunds", "stock", "settlement", "tickets", "profit",
    EXPERIENCES_TABLE, "customers", "codes",
)  # fmt: skip


def stock_table(report: Report) -> Table:
    rows = [
        (
            s.sku,
            s.label,
            s.opening,
            s.counted_in,
            s.sold,
            s.refunded_to_stock,
            s.adjusted,
            s.comped,
            s.expected,
            s.counted_out,
            s.shrinkage,
        )
        for s in report.stock
    ]
    return Table("stock", STOCK_COLUMNS, rows, len(rows))


def settlement_rows(report: Report) -> list[tuple[Any, ...]]:
    """Who is owed what and who holds the money, one party per row (see SETTLEMENT_COLUMNS)."""
    s = report.settlement
    basis = "gross" if s.terms.on == "gross" else "net of tax"
    if s.terms.card_fees_first:
        basis += " after card fees"
    rows: list[tuple[Any, ...]] = []
    for v in s.venue:
        detail = f"{v.cls}: {format_percent(v.cut_ppm)} of {basis}"
        rows.append(("venue", "Venue", detail, v.sales, None, None, v.cut, v.cut))
    own_items = None
    for o in s.owners:
        if o.owner is None:
            own_items = o
            continue
        shares = ", ".join(format_percent(p) for p in o.shares_ppm)
        rows.append(
            (
                "co-seller",
                o.owner,
                f"share {shares} of what is left",
                o.sales,
                o.tax,
                o.fees,
                o.venue_cut,
                o.owed,
            )
        )
    if own_items is not None:
        o = own_items
        rows.append(
            ("organizer", "Organizer", "own items", o.sales, o.tax, o.fees, o.venue_cut,
             o.after_costs)
        )  # fmt: skip
    kept = sum(o.organizer_part for o in s.owners if o.owner is not None)
    for detail, amount in (
        ("kept of co-sellers' items", kept),
        ("tips", s.tips),
        ("refunds not tied to an item", -s.unattached_refunds),
        ("paid on orders still awaiting payment", s.deposits),
    ):
        if amount:
            rows.append(("organizer", "Organizer", detail, None, None, None, None, amount))
    rows.append(("organizer", "Organizer", "total", None, None, None, None, s.organizer_total))
    rows.append(("tax", "Organizer", "tax collected, to pay on", None, None, None, None, s.tax))
    for h in s.holdings:
        rows.append(("holds", h.holder, h.tenders, None, None, None, None, h.amount))
    return rows


def settlement_table(report: Report) -> Table:
    rows = settlement_rows(report)
    return Table("settlement", SETTLEMENT_COLUMNS, rows, len(rows))


def profit_row(r: ProfitRow) -> tuple[Any, ...]:
    return (r.key, r.label, r.kind, r.units, r.revenue, r.cost, r.fees, r.venue_cut, r.profit,
            r.profit_per_unit)  # fmt: skip


def profit_table(report: Report) -> Table:
    p = report.profit
    rows = [profit_row(r) for r in p.rows]
    if rows:
        rows.append(profit_row(p.total))
    return Table("profit", PROFIT_COLUMNS, rows, len(rows))


def experience_row(g: ExperienceRow) -> tuple[Any, ...]:
    return (g.key, g.label, g.units, g.revenue, g.done, g.no_show, g.waiting, g.fulfil_mean_min,
            g.fulfil_p90_min, g.wait_mean_min, g.wait_p90_min, g.experience_minutes, g.planned,
            g.revenue_per_hour)  # fmt: skip


def experience_table(report: Report) -> Table:
    g = report.experience_times
    rows = [experience_row(r) for r in g.rows]
    if rows:
        rows.append(experience_row(g.total))
    return Table(EXPERIENCES_TABLE, EXPERIENCE_COLUMNS, rows, len(rows))


def percent(ppm: int | None) -> float | None:
    """A rate in ppm as a percentage (250_000 -> 25.0)."""
    return None if ppm is None else ppm / 10_000


def customer_row(report: Report) -> tuple[Any, ...]:
    c = report.customers
    return (c.orders, c.orders_with_handle, percent(c.handle_share_ppm), c.identified, c.repeat,
            percent(c.repeat_rate_ppm))  # fmt: skip


def customers_table(report: Report) -> Table:
    return Table("customers", CUSTOMER_COLUMNS, [customer_row(report)], 1)


# The tables made from the report rather than streamed from the database.
REPORT_TABLES: dict[str, Callable[[Report], Table]] = {
    "stock": stock_table,
    "settlement": settlement_table,
    "profit": profit_table,
    EXPERIENCES_TABLE: experience_table,
    "customers": customers_table,
}


def summary_rows(report: Report) -> list[tuple[str, Any, ColumnKind]]:
    """(label, value, kind) lines of the summary: the event, its totals and the cash-up."""
    e, t, c = report.event, report.totals, report.cash
    rows: list[tuple[str, Any, ColumnKind]] = [
        ("Event", e.name, "text"),
        ("Status", e.status, "text"),
        ("Opened", e.opened_at, "time"),
        ("Closed", e.closed_at, "time"),
        ("Currency", e.currency, "text"),
        ("Orders", t.orders, "int"),
        ("Units", t.units, "int"),
        ("Gross sales", t.gross, "money"),
        ("Discounts", t.discounts, "money"),
        ("Tax", t.tax, "money"),
        ("  of which included in prices", t.tax_included, "money"),
        ("Tips", t.tips, "money"),
        ("Charged", t.charged, "money"),
        ("Refunds", t.refunds, "money"),
        ("Net", t.net, "money"),
        ("Card fees", t.fees, "money"),
        ("Net after fees", t.net_after_fees, "money"),
        ("Average order", t.average_order, "money"),
        ("Paid on orders awaiting payment", t.deposits, "money"),
    ]
    for tr in report.tenders:
        rows.append((f"Taken by {tr.tender} (net of refunds)", tr.net, "money"))
    rows += [
        ("Cash float", c.float_cents, "money"),
        ("Cash sales", c.cash_sales, "money"),
        ("Cash refunds", c.cash_refunds, "money"),
        ("Paid in", c.paid_in, "money"),
        ("Paid out", c.paid_out, "money"),
        ("Cash expected", c.expected, "money"),
        ("Cash counted", c.counted, "money"),
        ("Over (+) / short (-)", c.over_short, "money"),
    ]
    if report.carried_over:
        rows.append(("Carried over, awaiting payment", ", ".join(report.carried_over), "text"))
    p, g, cu = report.profit.total, report.experience_times.total, report.customers
    experience_time = "Experience time, minutes" + (" (includes planned time)" if g.planned else "")
    rows += [
        ("Net revenue of items kept (net of tax)", p.revenue, "money"),
        ("Cost of items kept", p.cost, "money"),
        ("Marginal profit (blank: a cost unknown)", p.profit, "money"),
        ("Card fees on orders with nothing kept", report.profit.other_fees, "money"),
        ("Experience revenue", g.revenue, "money"),
        (experience_time, g.experience_minutes, "number"),
        ("Experience revenue per hour of experience time", g.revenue_per_hour, "money"),
        ("Customers who gave a handle", cu.identified, "int"),
        ("Customers with 2 or more orders", cu.repeat, "int"),
        ("Repeat rate", repeat_text(cu.repeat, cu.identified, cu.repeat_rate_ppm), "text"),
        (
            "Orders with a customer handle",
            repeat_text(cu.orders_with_handle, cu.orders, cu.handle_share_ppm),
            "text",
        ),
    ]
    return rows
