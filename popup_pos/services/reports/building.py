"""The end-of-night report of an event, built from the database's sums."""

from __future__ import annotations

from datetime import timedelta, tzinfo

from popup_pos.domain import settlement as settle
from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import allocate
from popup_pos.domain.report import (
    NO_STAFF,
    CashUp,
    Customers,
    GroupRow,
    PayTime,
    Profit,
    ProfitRow,
    Report,
    SalesRow,
    StockLine,
)
from popup_pos.services.events import resolve_event
from popup_pos.services.reports.experiences import experience_times_of, experiences_of
from popup_pos.services.reports.sections import (
    CUSTOM_KEY,
    NO_CATEGORY,
    ORGANIZER,
    close_info,
    editions_of,
    event_header,
    fees_by_line,
    hours_of,
    label_of,
    stock_of,
    tenders_of,
    totals_of,
)
from popup_pos.store import audit as audit_store
from popup_pos.store import devices as devices_store
from popup_pos.store import events as events_store
from popup_pos.store import fans as fans_store
from popup_pos.store import models as models_store
from popup_pos.store import reports as reports_store
from popup_pos.store.uow import UnitOfWork


class ReportError(PosError):
    """A report or export that cannot be made, with the reason."""


def event_tz(event: models_store.Event) -> tzinfo:
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
        return build(uow, ev, tz or event_tz(ev), top)


def stock_lines(uow: UnitOfWork, event: int | str | None = None) -> tuple[StockLine, ...]:
    """Each variant's stock over an event: opening, in, sold, back, adjusted, out."""
    with uow:
        ev = resolve_event(uow, event)
        buckets = reports_store.stock_buckets(uow, ev.id, ev.opened_at, ev.closed_at)
        facts = reports_store.variant_facts(uow, {b.variant_id for b in buckets})
        return stock_of(buckets, facts, close_info(ev).get("counted_out") or {})


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

    def add(self, g: reports_store.LineGroup) -> None:
        self.units += int(g.units)
        self.refunded += int(g.refunded_units)
        self.gross += int(g.gross)
        self.discounts += int(g.discounts)
        self.tax += int(g.tax)
        self.total += int(g.total)
        self.refunds += int(g.refunds)

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

    def add(self, g: reports_store.LineGroup) -> None:
        self.kept = True
        self.units += int(g.units) - int(g.refunded_units)
        # What the lines charged, less their tax, less the refunded units net of their tax.
        self.revenue += int(g.total) - int(g.refunds) - (int(g.tax) - int(g.refund_tax))
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


def build(uow: UnitOfWork, ev: models_store.Event, tz: tzinfo, top: int) -> Report:
    offset = ev.opened_at.astimezone(tz).utcoffset() or timedelta(0)
    header = event_header(ev, tz)
    info = close_info(ev)

    by_status = {r.status: r for r in reports_store.orders_by_status(uow, ev.id)}
    groups = reports_store.line_groups(uow, ev.id)
    buckets = reports_store.stock_buckets(uow, ev.id, ev.opened_at, ev.closed_at)
    edition_ids = reports_store.edition_ids(uow)
    experience_tickets = reports_store.experience_ticket_rows(uow, ev.id)
    ids = {g.variant_id for g in groups if g.variant_id is not None}
    ids |= {b.variant_id for b in buckets} | set(edition_ids)
    ids |= {t.variant_id for t in experience_tickets if t.variant_id is not None}
    facts = reports_store.variant_facts(uow, ids)
    owner_names = reports_store.owner_names(uow)

    tenders = tenders_of(*reports_store.tender_rows(uow, ev.id))
    totals = totals_of(by_status, groups, tenders)

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
            vkey, vlabel = f.sku, label_of(f)
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
        sales = int(g.total) - int(g.refunds)
        tax = int(g.tax) - int(g.refund_tax)
        item = items.setdefault((owner, category, share), [0, 0])
        item[0] += sales
        item[1] += tax
        per_sku = item_skus.setdefault((owner, category, share), {}).setdefault(vkey, [0, 0])
        per_sku[0] += sales
        per_sku[1] += tax
        line_refunds += int(g.refunds)
        if g.kind == "experience":
            exp_units += int(g.units) - int(g.refunded_units)
            exp_revenue += sales

    variant_rows = _rollup(variants)
    top_sellers = tuple(
        sorted(variant_rows, key=lambda r: (-(r.units - r.refunded_units), -r.net, r.label))[:top]
    )
    hours = hours_of(reports_store.hour_rows(uow, ev.id, int(offset.total_seconds() // 60)), tz)
    took = reports_store.pay_time(uow, ev.id)
    stock = stock_of(buckets, facts, info.get("counted_out") or {})
    editions, sold_out = editions_of(uow, ev, buckets, facts, edition_ids)

    drawer = events_store.cash_totals(uow, ev.id)
    cash = CashUp(
        ev.float_cents,
        drawer.cash_sales_cents,
        drawer.cash_refunds_cents,
        drawer.paid_in_cents,
        drawer.paid_out_cents,
        ev.counted_cash_cents,
        tuple((int(v), int(c)) for v, c in info.get("denominations") or ()),
        tuple((p.label, p.cents) for p in devices_store.cash_by_phone(uow, ev.id)),
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
    for k, fee in fees_by_line(reports_store.fee_lines(uow, ev.id), key_of).items():
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
            GroupRow(str(r.name), int(r.orders), int(r.total), int(r.refunded))
            for r in reports_store.register_rows(uow, ev.id)
        ),
        staff=tuple(
            sorted(
                (
                    GroupRow(s.name or NO_STAFF, int(s.orders), int(s.total), int(s.refunded))
                    for s in reports_store.staff_rows(uow, ev.id)
                ),
                key=lambda g: -g.total,
            )
        ),
        hours=hours,
        top_sellers=top_sellers,
        editions=editions,
        sold_out=sold_out,
        pay_time=PayTime(took.orders, took.average_s, took.median_s, took.longest_s),
        experiences=experiences_of(reports_store.ticket_rows(uow, ev.id), exp_units, exp_revenue),
        profit=profit,
        experience_times=experience_times_of(
            profit.rows, experience_tickets, reports_store.experience_time_rows(uow, ev.id), facts
        ),
        customers=_customers(
            reports_store.customer_counts(uow, ev.id), fans_store.fan_counts(uow, ev.id)
        ),
        stock=stock,
        cash=cash,
        settlement=settlement,
        carried_over=tuple(info.get("carried_over") or ()),
        generated_at=models_store.utcnow(),
        audit_head=_audit_head(uow, ev.id),
    )


def _audit_head(uow: UnitOfWork, event_id: int) -> str | None:
    found = audit_store.close_position(uow, event_id)
    return None if found is None else f"{found.entries}:{found.entry_hash}"


def _customers(c: reports_store.CustomerCounts, fans: tuple[int, int]) -> Customers:
    """Repeat purchases by customer handle within the event, plus opted-in email fans
    (without a handle) who bought again, in this event or another."""
    fan_count, fans_repeat = fans
    return Customers(c.orders, c.with_handle, c.customers + fan_count, c.repeat + fans_repeat)
