"""The report's sections made from the store's rows: tenders, totals, hours, stock, editions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from popup_pos.domain.pricing import allocate, round_half_up
from popup_pos.domain.report import (
    EditionRow,
    EventHeader,
    HourRow,
    SoldOut,
    StockLine,
    TenderRow,
    Totals,
)
from popup_pos.store import models as models_store
from popup_pos.store import reports as reports_store
from popup_pos.store.uow import UnitOfWork

TENDER_ORDER = ("cash", "wallet", "stripe_qr", "stripe_card")
CUSTOM_KEY = "custom"
NO_CATEGORY = "No category"
ORGANIZER = "Organizer (own items)"


def close_info(ev: models_store.Event) -> dict[str, Any]:
    info = (ev.settings or {}).get("close")
    return info if isinstance(info, dict) else {}


def label_of(f: reports_store.VariantFacts) -> str:
    # The same as Variant.label: "Tour tee 2026 — M".
    values = " / ".join(str(v) for v in (f.options or {}).values() if v)
    return f"{f.product} — {values}" if values else str(f.product)


def event_header(ev: models_store.Event, tz: tzinfo) -> EventHeader:
    return EventHeader(ev.id, ev.name, ev.currency, ev.status, ev.opened_at, ev.closed_at, tz)


def tenders_of(
    pay: Sequence[reports_store.TenderTotal], back: Sequence[reports_store.TenderRefund]
) -> tuple[TenderRow, ...]:
    acc: dict[str, list[int]] = {}
    for p in pay:
        if p.status != "succeeded":
            continue
        a = acc.setdefault(p.tender, [0, 0, 0, 0])
        a[0] += int(p.payments)
        a[1] += int(p.amount)
        a[3] += int(p.fees)
    for r in back:
        acc.setdefault(r.tender, [0, 0, 0, 0])[2] += int(r.refunded)
    order = {t: i for i, t in enumerate(TENDER_ORDER)}
    return tuple(
        TenderRow(t, *v)
        for t, v in sorted(acc.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    )


def totals_of(
    by_status: dict[str, reports_store.StatusTotals],
    groups: Sequence[reports_store.LineGroup],
    tenders: Sequence[TenderRow],
) -> Totals:
    def total(field: str, statuses: Iterable[str]) -> int:
        return sum(int(getattr(by_status[s], field)) for s in statuses if s in by_status)

    sold = reports_store.SOLD
    orders = total("orders", sold)
    charged = total("total", sold)
    refunds = total("refunded", sold)
    fees = sum(t.fees for t in tenders)
    net = charged - refunds
    return Totals(
        orders=orders,
        units=sum(int(g.units) for g in groups),
        gross=total("subtotal", sold),
        discounts=total("discount", sold),
        tax=total("tax", sold),
        tax_included=sum(int(g.tax) for g in groups if g.tax_inclusive),
        tips=total("tip", sold),
        charged=charged,
        refunds=refunds,
        net=net,
        fees=fees,
        net_after_fees=net - fees,
        average_order=round_half_up(charged, orders) if orders else 0,
        deposits=total("paid", reports_store.UNPAID) - total("refunded", reports_store.UNPAID),
    )


def hours_of(rows: Sequence[reports_store.HourTotal], tz: tzinfo) -> tuple[HourRow, ...]:
    """Every hour from the first sale's to the last's, quiet ones as zero."""
    seen = {
        datetime.strptime(r.hour, "%Y-%m-%d %H").replace(tzinfo=tz): (int(r.orders), int(r.total))
        for r in rows
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


def stock_of(
    buckets: Sequence[reports_store.StockBucket],
    facts: dict[int, reports_store.VariantFacts],
    counted: dict[str, int],
) -> tuple[StockLine, ...]:
    per: dict[int, dict[str, int]] = {}
    for bucket in buckets:
        per.setdefault(bucket.variant_id, {})[bucket.bucket] = int(bucket.units or 0)
    out = []
    for vid, b in per.items():
        f = facts.get(vid)
        if f is None or (set(b) == {"opening"} and not b["opening"] and f.sku not in counted):
            continue
        line = StockLine(
            sku=f.sku,
            label=label_of(f),
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


def editions_of(
    uow: UnitOfWork,
    ev: models_store.Event,
    buckets: Sequence[reports_store.StockBucket],
    facts: dict[int, reports_store.VariantFacts],
    edition_ids: Sequence[int],
) -> tuple[tuple[EditionRow, ...], tuple[SoldOut, ...]]:
    sold: dict[int, int] = {}
    for b in buckets:
        if b.bucket in ("sale", "sale_cancel"):
            sold[b.variant_id] = sold.get(b.variant_id, 0) - int(b.units or 0)
    editions = set(edition_ids)
    # Sold out: anything that sold tonight and has none left, and every limited edition.
    candidates = {v for v in sold if v in facts and facts[v].on_hand == 0} | (editions & set(sold))
    when: dict[int, datetime] = {}
    for row in reports_store.sold_out_rows(uow, candidates, ev.closed_at):
        # Only variants sold in this event are asked about, so the last unit went in it.
        if row.kind == "sale":
            when[row.variant_id] = row.paid_at or row.created_at
    edition_rows = tuple(
        EditionRow(
            sku=f.sku,
            label=label_of(f),
            edition_size=int(f.edition_size or 0),
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
            (SoldOut(facts[v].sku, label_of(facts[v]), at) for v, at in when.items()),
            key=lambda s: s.at,
        )
    )
    return edition_rows, sold_out


def fees_by_line(
    rows: Iterable[reports_store.FeeLine], key_of: Callable[[int | None, str | None], str]
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

    for line in rows:
        if line.order_id != order:
            if line_keys:
                share_out()
            order, fee = line.order_id, int(line.fee)
            line_keys, weights = [], []
        at = (line.variant_id, line.custom_name)
        key = keys.get(at)
        if key is None:
            key = keys[at] = key_of(*at)
        line_keys.append(key)
        weights.append(int(line.total))
    if line_keys:
        share_out()
    return out
