"""End-of-night report of an event, and its export as CSV, XLSX, JSON or PDF."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import allocate, round_half_up
from popup_pos.domain.report import (
    NO_STAFF,
    CashUp,
    Column,
    Customers,
    EditionRow,
    EventHeader,
    Experiences,
    GigRow,
    Gigs,
    GroupRow,
    HourRow,
    PayTime,
    Profit,
    ProfitRow,
    Progress,
    Report,
    SalesRow,
    SoldOut,
    StockLine,
    Table,
    TenderRow,
    Totals,
)
from popup_pos.exports.tables import (
    LINE_COLUMNS,
    ORDER_COLUMNS,
    PAYMENT_COLUMNS,
    REFUND_COLUMNS,
    REPORT_TABLES,
    TABLE_NAMES,
    TICKET_COLUMNS,
)
from popup_pos.services import settlement as settle
from popup_pos.services.events import resolve_event
from popup_pos.store import audit as audit_store
from popup_pos.store import events as event_store
from popup_pos.store import reports as db
from popup_pos.store.models import AnyRow, Event, utcnow
from popup_pos.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Connection

Format = Literal["csv", "xlsx", "json", "pdf"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json", "pdf")
TENDER_ORDER = ("cash", "wallet", "stripe_qr", "stripe_card")
CUSTOM_KEY = "custom"
NO_CATEGORY = "No category"
ORGANIZER = "Organizer (own items)"
UNKNOWN_GIG = ("unknown", "Experience no longer in the catalog")
P90 = 90

__all__ = [
    "FORMATS",
    "ExportResult",
    "Report",
    "ReportError",
    "build_report",
    "event_tz",
    "export",
    "stock_lines",
]


class ReportError(PosError):
    """A report or export that cannot be made, with the reason."""


def event_tz(event: Event) -> tzinfo:
    """The venue's time zone: this computer's offset when the event opened."""
    tz = event.opened_at.astimezone().tzinfo
    assert tz is not None
    return tz


def build_report(
    uow: UnitOfWork,
    event: int | str | None = None,
    *,
    tz: tzinfo | None = None,
    top: int = 10,
) -> Report:
    """The report of an event (default: the open one, else the last closed).

    Every figure is summed by the database; nothing loops over orders here.
    """
    with uow:
        ev = resolve_event(uow, event)
        return _build(uow, ev, tz or event_tz(ev), top)


def stock_lines(uow: UnitOfWork, event: int | str | None = None) -> tuple[StockLine, ...]:
    """Each variant's stock over an event: opening, in, sold, back, adjusted, out."""
    with uow:
        ev = resolve_event(uow, event)
        buckets = db.stock_buckets(uow.conn, ev.id, ev.opened_at, ev.closed_at)
        facts = db.variant_facts(uow.conn, {b[0] for b in buckets})
        return _stock(buckets, facts, _close_info(ev).get("counted_out") or {})


# ---- building the report -------------------------------------------------------------------


def _close_info(ev: Event) -> dict[str, Any]:
    info = (ev.settings or {}).get("close")
    return info if isinstance(info, dict) else {}


def _label(f: AnyRow) -> str:
    # The same as Variant.label: "Tour tee 2026 — M".
    values = " / ".join(str(v) for v in (f.options or {}).values() if v)
    return f"{f.product} — {values}" if values else str(f.product)


class _Sum:
    """Adds up line groups into one SalesRow."""

    __slots__ = (
        "discounts",
        "gross",
        "key",
        "label",
        "refunded",
        "refunds",
        "tax",
        "total",
        "units",
    )

    def __init__(self, key: str, label: str) -> None:
        self.key, self.label = key, label
        self.units = self.refunded = self.gross = self.discounts = 0
        self.tax = self.total = self.refunds = 0

    def add(self, g: AnyRow) -> None:
        self.units += int(g[5])
        self.refunded += int(g[6])
        self.gross += int(g[7])
        self.discounts += int(g[8])
        self.tax += int(g[9])
        self.total += int(g[10])
        self.refunds += int(g[11])

    def row(self) -> SalesRow:
        return SalesRow(
            self.key,
            self.label,
            self.units,
            self.refunded,
            self.gross,
            self.discounts,
            self.tax,
            self.total,
            self.refunds,
        )


def _rollup(rows: dict[str, _Sum]) -> tuple[SalesRow, ...]:
    return tuple(sorted((s.row() for s in rows.values()), key=lambda r: (-r.net, r.label)))


class _Margin:
    """Adds up one SKU's kept lines, fees and venue cut into a ProfitRow."""

    __slots__ = ("cost", "fees", "kept", "key", "kind", "label", "revenue", "units", "unknown",
                 "venue")  # fmt: skip

    def __init__(self, key: str, label: str, kind: str) -> None:
        self.key, self.label, self.kind = key, label, kind
        self.units = self.revenue = self.cost = self.unknown = self.fees = self.venue = 0
        self.kept = False

    def add(self, g: AnyRow) -> None:
        self.kept = True
        self.units += int(g[5]) - int(g[6])
        # What the lines charged, less their tax, less the refunded units net of their tax.
        self.revenue += int(g[10]) - int(g[11]) - (int(g[9]) - int(g[12]))
        self.cost += int(g.cost)
        self.unknown += int(g.unknown_cost_units)

    def row(self) -> ProfitRow:
        cost = None if self.unknown else self.cost
        return ProfitRow(
            self.key, self.label, self.kind, self.units, self.revenue, cost, self.fees, self.venue
        )


def _by_profit(r: ProfitRow) -> tuple[int, int, int, str]:
    # Unknown profits go last, biggest revenue first among them.
    profit = r.profit
    return (profit is None, -(profit or 0), -r.revenue, r.label)


def _build(uow: UnitOfWork, ev: Event, tz: tzinfo, top: int) -> Report:
    conn = uow.conn
    offset = ev.opened_at.astimezone(tz).utcoffset() or timedelta(0)
    header = _header(ev, tz)
    info = _close_info(ev)

    by_status = {r[0]: r for r in db.orders_by_status(conn, ev.id)}
    groups = db.line_groups(conn, ev.id)
    buckets = db.stock_buckets(conn, ev.id, ev.opened_at, ev.closed_at)
    edition_ids = db.edition_ids(conn)
    gig_tickets = db.gig_ticket_rows(conn, ev.id)
    ids = {g.variant_id for g in groups if g.variant_id is not None}
    ids |= {b[0] for b in buckets} | set(edition_ids)
    ids |= {t[0] for t in gig_tickets if t[0] is not None}
    facts = db.variant_facts(conn, ids)
    owner_names = db.owner_names(conn)

    tenders = _tenders(*db.tender_rows(conn, ev.id))
    totals = _totals(by_status, groups, tenders)

    variants: dict[str, _Sum] = {}
    products: dict[str, _Sum] = {}
    categories: dict[str, _Sum] = {}
    owners: dict[str, _Sum] = {}
    items: dict[tuple[str | None, str | None, int | None], list[int]] = {}
    # Each settlement group's sales and tax per SKU, to share the group's venue cut by.
    item_skus: dict[tuple[str | None, str | None, int | None], dict[str, list[int]]] = {}
    margins: dict[str, _Margin] = {}
    line_refunds = 0
    exp_units = exp_revenue = 0
    for g in groups:
        f = facts.get(g.variant_id) if g.variant_id is not None else None
        if f is None:
            name = g.custom_name or "Custom amount"
            vkey, vlabel = f"{CUSTOM_KEY}:{name}", name
            pkey, plabel, category, share = CUSTOM_KEY, "Custom amounts", None, None
        else:
            vkey, vlabel = f.sku, _label(f)
            pkey, plabel = str(f.product_id), str(f.product)
            category, share = f.category, f.owner_share_ppm
        if vkey not in margins:
            margins[vkey] = _Margin(vkey, vlabel, str(g.kind))
        if not g.refunded_order:
            margins[vkey].add(g)
        owner = owner_names.get(g.owner_id) if g.owner_id is not None else None
        for table, key, label in (
            (variants, vkey, vlabel),
            (products, pkey, plabel),
            (categories, category or NO_CATEGORY, category or NO_CATEGORY),
            (owners, owner or ORGANIZER, owner or ORGANIZER),
        ):
            if key not in table:
                table[key] = _Sum(key, label)
            table[key].add(g)
        sales = int(g[10]) - int(g[11])
        tax = int(g[9]) - int(g[12])
        item = items.setdefault((owner, category, share), [0, 0])
        item[0] += sales
        item[1] += tax
        per_sku = item_skus.setdefault((owner, category, share), {}).setdefault(vkey, [0, 0])
        per_sku[0] += sales
        per_sku[1] += tax
        line_refunds += int(g[11])
        if g.kind == "experience":
            exp_units += int(g[5]) - int(g[6])
            exp_revenue += sales

    variant_rows = _rollup(variants)
    top_sellers = tuple(
        sorted(variant_rows, key=lambda r: (-(r.units - r.refunded_units), -r.net, r.label))[:top]
    )
    hours = _hours(db.hour_rows(conn, ev.id, int(offset.total_seconds() // 60)), tz)
    n, avg, median, longest = db.pay_time(conn, ev.id)
    stock = _stock(buckets, facts, info.get("counted_out") or {})
    editions, sold_out = _editions(conn, ev, buckets, facts, edition_ids)

    cash_sales, cash_refunds, paid_in, paid_out = event_store.cash_totals(uow, ev.id)
    cash = CashUp(
        ev.float_cents,
        cash_sales,
        cash_refunds,
        paid_in,
        paid_out,
        ev.counted_cash_cents,
        tuple((int(v), int(c)) for v, c in info.get("denominations") or ()),
    )
    terms = settle.terms_from_settings(ev.settings)
    item_groups = [settle.ItemGroup(o, c, s, v[0], v[1]) for (o, c, s), v in items.items()]
    settlement = settle.compute(
        terms,
        item_groups,
        tips=totals.tips,
        fees=totals.fees,
        unattached_refunds=totals.refunds - line_refunds,
        deposits=totals.deposits,
        tenders=tenders,
    )
    cuts = settle.venue_cuts(terms, item_groups, fees=totals.fees)
    for group, cut in zip(items, cuts, strict=True):
        if cut:
            skus = item_skus[group]
            keys = list(skus)
            weights = [settle.cut_weight(terms, *skus[k]) for k in keys]
            for k, part in zip(keys, allocate(cut, weights), strict=True):
                margins[k].venue += part

    def key_of(variant_id: int | None, custom: str | None) -> str:
        f = facts.get(variant_id) if variant_id is not None else None
        return f.sku if f is not None else f"{CUSTOM_KEY}:{custom or 'Custom amount'}"

    shared_fees = 0
    for k, fee in _fees_by_line(db.fee_lines(conn, ev.id), key_of).items():
        margins[k].fees += fee
        shared_fees += fee
    profit = Profit(
        tuple(
            sorted(
                (m.row() for m in margins.values() if m.kept or m.venue or m.fees),
                key=_by_profit,
            )
        ),
        totals.fees - shared_fees,
    )
    return Report(
        event=header,
        totals=totals,
        tenders=tenders,
        products=_rollup(products),
        variants=variant_rows,
        categories=_rollup(categories),
        owners=_rollup(owners),
        registers=tuple(
            GroupRow(str(c), int(n_), int(t), int(r))
            for c, n_, t, r in db.register_rows(conn, ev.id)
        ),
        staff=tuple(
            sorted(
                (
                    GroupRow(s or NO_STAFF, int(n_), int(t), int(r))
                    for s, n_, t, r in db.staff_rows(conn, ev.id)
                ),
                key=lambda g: -g.total,
            )
        ),
        hours=hours,
        top_sellers=top_sellers,
        editions=editions,
        sold_out=sold_out,
        pay_time=PayTime(n, avg, median, longest),
        experiences=_experiences(db.ticket_rows(conn, ev.id), exp_units, exp_revenue),
        profit=profit,
        gigs=_gigs(profit.rows, gig_tickets, db.gig_times(conn, ev.id), facts),
        customers=Customers(*db.customer_counts(conn, ev.id)),
        stock=stock,
        cash=cash,
        settlement=settlement,
        carried_over=tuple(info.get("carried_over") or ()),
        generated_at=utcnow(),
        audit_head=_audit_head(conn, ev.id),
    )


def _audit_head(conn: Connection, event_id: int) -> str | None:
    found = audit_store.position_of(conn, "event.close", "event", str(event_id))
    return None if found is None else f"{found[0]}:{found[1]}"


def _tenders(pay: Sequence[AnyRow], back: Sequence[AnyRow]) -> tuple[TenderRow, ...]:
    acc: dict[str, list[int]] = {}
    for tender, status, count, amount, fees in pay:
        if status != "succeeded":
            continue
        a = acc.setdefault(tender, [0, 0, 0, 0])
        a[0] += int(count)
        a[1] += int(amount)
        a[3] += int(fees)
    for tender, amount in back:
        acc.setdefault(tender, [0, 0, 0, 0])[2] += int(amount)
    order = {t: i for i, t in enumerate(TENDER_ORDER)}
    return tuple(
        TenderRow(t, *v)
        for t, v in sorted(acc.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    )


def _totals(
    by_status: dict[str, AnyRow], groups: Sequence[AnyRow], tenders: Sequence[TenderRow]
) -> Totals:
    def total(col: int, statuses: Iterable[str]) -> int:
        return sum(int(by_status[s][col]) for s in statuses if s in by_status)

    orders = total(1, db.SOLD)
    charged = total(6, db.SOLD)
    refunds = total(8, db.SOLD)
    fees = sum(t.fees for t in tenders)
    net = charged - refunds
    return Totals(
        orders=orders,
        units=sum(int(g[5]) for g in groups),
        gross=total(2, db.SOLD),
        discounts=total(3, db.SOLD),
        tax=total(4, db.SOLD),
        tax_included=sum(int(g[9]) for g in groups if g.tax_inclusive),
        tips=total(5, db.SOLD),
        charged=charged,
        refunds=refunds,
        net=net,
        fees=fees,
        net_after_fees=net - fees,
        average_order=round_half_up(charged, orders) if orders else 0,
        deposits=total(7, db.UNPAID) - total(8, db.UNPAID),
    )


def _hours(rows: Sequence[AnyRow], tz: tzinfo) -> tuple[HourRow, ...]:
    """Every hour from the first sale's to the last's, quiet ones as zero."""
    seen = {
        datetime.strptime(label, "%Y-%m-%d %H").replace(tzinfo=tz): (int(n), int(t))
        for label, n, t in rows
    }
    if not seen:
        return ()
    out = []
    at, last = min(seen), max(seen)
    while at <= last:
        n, t = seen.get(at, (0, 0))
        out.append(HourRow(at, n, t))
        at += timedelta(hours=1)
    return tuple(out)


def _stock(
    buckets: Sequence[AnyRow], facts: dict[int, AnyRow], counted: dict[str, int]
) -> tuple[StockLine, ...]:
    per: dict[int, dict[str, int]] = {}
    for vid, bucket, units in buckets:
        per.setdefault(vid, {})[bucket] = int(units or 0)
    out = []
    for vid, b in per.items():
        f = facts.get(vid)
        if f is None or (set(b) == {"opening"} and not b["opening"] and f.sku not in counted):
            continue
        line = StockLine(
            sku=f.sku,
            label=_label(f),
            opening=b.get("opening", 0),
            counted_in=b.get("count_in", 0),
            sold=-(b.get("sale", 0) + b.get("sale_cancel", 0)),
            refunded_to_stock=b.get("refund_return", 0),
            adjusted=b.get("adjustment", 0),
            comped=-b.get("comp", 0),
            counted_out=None,
            shrinkage=-b.get("count_out", 0),
        )
        if f.sku in counted or "count_out" in b:
            line = replace(line, counted_out=line.expected - line.shrinkage)
        out.append(line)
    return tuple(sorted(out, key=lambda s: s.sku))


def _editions(
    conn: Any,
    ev: Event,
    buckets: Sequence[AnyRow],
    facts: dict[int, AnyRow],
    edition_ids: Sequence[int],
) -> tuple[tuple[EditionRow, ...], tuple[SoldOut, ...]]:
    sold: dict[int, int] = {}
    for vid, bucket, units in buckets:
        if bucket in ("sale", "sale_cancel"):
            sold[vid] = sold.get(vid, 0) - int(units or 0)
    editions = set(edition_ids)
    # Sold out: anything that sold tonight and has none left, and every limited edition.
    candidates = {v for v in sold if v in facts and facts[v].on_hand == 0} | (editions & set(sold))
    when: dict[int, datetime] = {}
    for vid, kind, created_at, paid_at in db.sold_out_rows(conn, candidates, ev.closed_at):
        # Only variants sold in this event are asked about, so the last unit went in it.
        if kind == "sale":
            when[vid] = paid_at or created_at
    edition_rows = tuple(
        EditionRow(
            sku=f.sku,
            label=_label(f),
            edition_size=int(f.edition_size),
            numbered=int(f.next_edition) - 1 - int(f.returned),
            sold=sold.get(vid, 0),
            on_hand=int(f.on_hand),
            sold_out_at=when.get(vid),
        )
        for vid in sorted(editions & set(sold), key=lambda v: facts[v].sku)
        if (f := facts[vid]) is not None
    )
    sold_out = tuple(
        sorted(
            (SoldOut(facts[v].sku, _label(facts[v]), at) for v, at in when.items()),
            key=lambda s: s.at,
        )
    )
    return edition_rows, sold_out


def _experiences(rows: Sequence[AnyRow], units: int, revenue: int) -> Experiences:
    by = {r[0]: r for r in rows}
    count = sum(int(r[1]) for r in rows)

    def weighted(col: int, statuses: Sequence[str]) -> float | None:
        parts = [
            (int(by[s][1]), by[s][col]) for s in statuses if s in by and by[s][col] is not None
        ]
        n = sum(p[0] for p in parts)
        return sum(k * float(v) for k, v in parts) / n if n else None

    return Experiences(
        units=units,
        revenue=revenue,
        tickets=count,
        done=int(by["done"][1]) if "done" in by else 0,
        no_show=int(by["no_show"][1]) if "no_show" in by else 0,
        waiting=sum(int(by[s][1]) for s in ("waiting", "called") if s in by),
        average_wait_s=weighted(2, ("called", "done", "no_show")),
        average_fulfil_s=weighted(3, ("done",)),
    )


def _fees_by_line(
    rows: Iterable[AnyRow], key_of: Callable[[int | None, str | None], str]
) -> dict[str, int]:
    """Each order's Stripe fees shared over its lines by line total, to the cent, per SKU.

    `rows` are (order_id, fee, variant_id, custom_name, total), an order's lines together.
    """
    out: dict[str, int] = {}
    keys: dict[tuple[int | None, str | None], str] = {}
    order: Any = None
    fee = 0
    line_keys: list[str] = []
    weights: list[int] = []

    def share_out() -> None:
        if len(line_keys) == 1:
            out[line_keys[0]] = out.get(line_keys[0], 0) + fee
            return
        for k, part in zip(line_keys, allocate(fee, weights), strict=True):
            out[k] = out.get(k, 0) + part

    for order_id, order_fee, variant_id, custom, total in rows:
        if order_id != order:
            if line_keys:
                share_out()
            order, fee = order_id, int(order_fee)
            line_keys, weights = [], []
        key = keys.get((variant_id, custom))
        if key is None:
            key = keys[(variant_id, custom)] = key_of(variant_id, custom)
        line_keys.append(key)
        weights.append(int(total))
    if line_keys:
        share_out()
    return out


def nearest_rank(values: Sequence[float], percent: int) -> float | None:
    """The nearest-rank percentile: the smallest value with `percent`% at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-len(ordered) * percent // 100)
    return ordered[max(rank, 1) - 1]


class _Queue:
    """One experience's queue, in seconds: counts and sums from the ticket aggregates, and
    each ticket's times for the percentiles. `waiting` counts called tickets too."""

    __slots__ = ("done", "fulfil_s", "fulfilled", "fulfils", "no_show", "wait_s", "waited",
                 "waiting", "waits")  # fmt: skip

    def __init__(self) -> None:
        self.done = self.no_show = self.waiting = self.fulfilled = self.waited = 0
        self.fulfil_s = self.wait_s = 0.0
        self.fulfils: list[float] = []
        self.waits: list[float] = []

    def add(
        self, status: str, n: int, fulfil_s: Any, fulfilled: int, wait_s: Any, waited: int
    ) -> None:
        if status == "done":
            self.done += n
            self.fulfil_s += float(fulfil_s or 0)
            self.fulfilled += fulfilled
        elif status == "no_show":
            self.no_show += n
        else:
            self.waiting += n
        if status != "waiting":
            self.wait_s += float(wait_s or 0)
            self.waited += waited

    def merge(self, other: _Queue) -> None:
        for name in ("done", "no_show", "waiting", "fulfilled", "waited", "fulfil_s", "wait_s"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.fulfils += other.fulfils
        self.waits += other.waits


def _minutes(seconds: float | None) -> float | None:
    # A clock set differently on another register can make a time negative: never show one.
    return None if seconds is None else max(seconds, 0.0) / 60


def _gig_row(
    key: str,
    label: str,
    units: int,
    revenue: int,
    q: _Queue,
    gig_s: int | None,
    planned: bool,
    timed_revenue: int | None = None,
) -> GigRow:
    """The row; revenue per hour is `timed_revenue` (default: all of it) / gig time."""
    per_hour = revenue if timed_revenue is None else timed_revenue
    return GigRow(
        key=key,
        label=label,
        units=units,
        revenue=revenue,
        done=q.done,
        no_show=q.no_show,
        waiting=q.waiting,
        fulfil_mean_min=_minutes(q.fulfil_s / q.fulfilled) if q.fulfilled else None,
        fulfil_p90_min=_minutes(nearest_rank(q.fulfils, P90)),
        wait_mean_min=_minutes(q.wait_s / q.waited) if q.waited else None,
        wait_p90_min=_minutes(nearest_rank(q.waits, P90)),
        gig_minutes=None if gig_s is None else gig_s / 60,
        planned=planned,
        revenue_per_hour=round_half_up(per_hour * 3600, gig_s) if gig_s else None,
    )


def _gigs(
    profit: Sequence[ProfitRow],
    ticket_rows: Sequence[AnyRow],
    times: Sequence[AnyRow],
    facts: dict[int, AnyRow],
) -> Gigs:
    """Each experience's queue and revenue per hour of gig time, and all of them together."""

    def key_of(variant_id: int | None) -> tuple[str, str]:
        f = facts.get(variant_id) if variant_id is not None else None
        return (f.sku, _label(f)) if f is not None else UNKNOWN_GIG

    queues: dict[str, _Queue] = {}
    labels: dict[str, str] = {}
    planned_min: dict[str, int | None] = {}
    for f in facts.values():
        planned_min[f.sku] = f.time_minutes
    for vid, status, n, fulfil_s, fulfilled, wait_s, waited in ticket_rows:
        key, labels[key] = key_of(vid)
        queues.setdefault(key, _Queue()).add(
            status, int(n), fulfil_s, int(fulfilled), wait_s, int(waited)
        )
    for vid, _status, wait_s, fulfil_s in times:
        q = queues[key_of(vid)[0]]
        if wait_s is not None:
            q.waits.append(float(wait_s))
        if fulfil_s is not None:
            q.fulfils.append(float(fulfil_s))
    sold = {r.key: r for r in profit if r.kind == "experience"}
    rows = []
    total_q = _Queue()
    timed_revenue = timed_s = 0
    any_timed = any_planned = False
    for key in sorted(set(sold) | set(queues)):
        r = sold.get(key)
        units, revenue = (r.units, r.revenue) if r is not None else (0, 0)
        q = queues.get(key) or _Queue()
        total_q.merge(q)
        gig_s: int | None
        if q.fulfilled:
            planned, gig_s = False, max(round(q.fulfil_s), 0)
        else:
            minutes = planned_min.get(key)
            planned, gig_s = True, (None if minutes is None else minutes * units * 60)
        if gig_s is not None:
            timed_revenue += revenue
            timed_s += gig_s
            any_timed = True
            any_planned |= planned
        label = r.label if r is not None else labels.get(key, key)
        rows.append(_gig_row(key, label, units, revenue, q, gig_s, planned))
    total = _gig_row(
        "",
        "All micro-gigs",
        sum(g.units for g in rows),
        sum(g.revenue for g in rows),
        total_q,
        timed_s if any_timed else None,
        any_planned,
        timed_revenue,
    )
    return Gigs(tuple(sorted(rows, key=lambda g: (-g.revenue, g.label))), total)


# ---- exports ------------------------------------------------------------------------------


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
            report = _build(uow, ev, zone, 10)
        header = report.event if report else _header(ev, zone)
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


def _header(ev: Event, tz: tzinfo) -> EventHeader:
    return EventHeader(ev.id, ev.name, ev.currency, ev.status, ev.opened_at, ev.closed_at, tz)


def _tables(
    uow: UnitOfWork, event_id: int, report: Report | None, names: Sequence[str]
) -> list[Table]:
    conn = uow.conn
    counts = db.stream_counts(conn, event_id, names)
    out = []
    for name in names:
        if name in REPORT_TABLES:
            assert report is not None
            out.append(REPORT_TABLES[name](report))
        else:
            columns, stream = _STREAMS[name]
            out.append(Table(name, columns, stream(conn, event_id), counts[name]))
    return out


def _lines(conn: Any, event_id: int) -> Iterator[tuple[Any, ...]]:
    """Each line with its name as sold ("Tour tee 2026 — M") split into product and variant."""
    for row in db.line_stream(conn, event_id):
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


_STREAMS: dict[str, tuple[tuple[Column, ...], Callable[[Any, int], Iterator[Any]]]] = {
    "orders": (ORDER_COLUMNS, db.order_stream),
    "lines": (LINE_COLUMNS, _lines),
    "payments": (PAYMENT_COLUMNS, db.payment_stream),
    "refunds": (REFUND_COLUMNS, db.refund_stream),
    "tickets": (TICKET_COLUMNS, db.ticket_stream),
}
