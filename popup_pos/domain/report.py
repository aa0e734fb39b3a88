"""The end-of-night report and settlement as plain data: services build it, writers read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Literal

from popup_pos.domain.money import format_percent
from popup_pos.domain.pricing import PPM, round_half_up

NO_STAFF = "No staff member"

# done, total: called now and then while a long export or close runs.
Progress = Callable[[int, int], None]

# How a column's values are written: text as is, whole numbers, money in minor units
# (written in the currency's units), aware datetimes (written in the event's time zone),
# measured quantities (floats, written to two decimals) or yes/no flags.
ColumnKind = Literal["text", "int", "money", "time", "number", "bool"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of an export: its columns and a one-pass stream of rows (tuples of values)."""

    name: str
    columns: tuple[Column, ...]
    rows: Iterable[Sequence[Any]]
    count: int  # rows the stream will give, for progress


@dataclass(frozen=True, slots=True)
class EventHeader:
    id: int
    name: str
    currency: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    tz: tzinfo  # the venue's time zone: every time in a report is shown in it


@dataclass(frozen=True, slots=True)
class Totals:
    """Sales of the event's sold orders (paid, fulfilled, refunded or partly refunded).

    charged = gross - discounts + tax added on top + tips (what customers were charged);
    net = charged - refunds; net_after_fees = net - fees.
    """

    orders: int
    units: int
    gross: int
    discounts: int
    tax: int
    tax_included: int  # the part of `tax` already inside the prices
    tips: int
    charged: int
    refunds: int
    net: int
    fees: int
    net_after_fees: int
    average_order: int
    deposits: int  # paid so far on orders still awaiting payment (carried over)


@dataclass(frozen=True, slots=True)
class TenderRow:
    tender: str
    payments: int
    amount: int
    refunds: int
    fees: int

    @property
    def net(self) -> int:
        return self.amount - self.refunds


@dataclass(frozen=True, slots=True)
class SalesRow:
    """Sales of one product, variant, category or owner."""

    key: str
    label: str
    units: int
    refunded_units: int
    gross: int
    discounts: int
    tax: int
    total: int  # what its lines charged: gross - discounts + tax added on top
    refunds: int  # the value of its refunded units

    @property
    def net(self) -> int:
        return self.total - self.refunds


@dataclass(frozen=True, slots=True)
class GroupRow:
    """Orders taken by one register or one member of staff."""

    label: str
    orders: int
    total: int
    refunds: int


@dataclass(frozen=True, slots=True)
class HourRow:
    start: datetime  # the hour's start in the venue's time zone
    orders: int
    total: int


@dataclass(frozen=True, slots=True)
class EditionRow:
    """A limited edition: how much of it has gone and when the last one went."""

    sku: str
    label: str
    edition_size: int
    numbered: int  # numbers handed out so far, all events
    sold: int  # units sold in this event, net of cancellations
    on_hand: int
    sold_out_at: datetime | None

    @property
    def sell_through_ppm(self) -> int:
        return self.numbered * 1_000_000 // self.edition_size if self.edition_size else 0


@dataclass(frozen=True, slots=True)
class SoldOut:
    sku: str
    label: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PayTime:
    """Seconds from an order being started to it being paid."""

    orders: int
    average_s: float | None
    median_s: float | None
    max_s: float | None


@dataclass(frozen=True, slots=True)
class Experiences:
    """Experiences sold and their ticket queue."""

    units: int
    revenue: int
    tickets: int
    done: int
    no_show: int
    waiting: int
    average_wait_s: float | None  # ticket created -> called
    average_fulfil_s: float | None  # ticket created -> done


@dataclass(frozen=True, slots=True)
class ProfitRow:
    """Marginal profit of one SKU over the orders kept (paid, fulfilled, partly refunded).

    revenue is what its lines charged less tax and less the value of refunded units (net of
    their tax); cost is the cost at sale of the units kept (None: some unit's cost is
    unknown); fees are the orders' Stripe fees shared over their lines by line total;
    venue_cut is the settlement's cut of its group, shared by the SKUs in it.
    """

    key: str  # the SKU; "custom:<name>" for custom amounts
    label: str
    kind: str  # item | digital | experience
    units: int  # net of refunds
    revenue: int
    cost: int | None
    fees: int
    venue_cut: int

    @property
    def profit(self) -> int | None:
        if self.cost is None:
            return None
        return self.revenue - self.cost - self.fees - self.venue_cut

    @property
    def profit_per_unit(self) -> int | None:
        profit = self.profit
        return None if profit is None or not self.units else round_half_up(profit, self.units)


@dataclass(frozen=True, slots=True)
class Profit:
    """Marginal profit per SKU, most profitable first (unknown profit last)."""

    rows: tuple[ProfitRow, ...]
    # Stripe fees of orders with nothing kept (refunded in full, cancelled, unpaid): no
    # SKU bears them, so the rows' fees fall short of the night's by this much.
    other_fees: int

    @property
    def total(self) -> ProfitRow:
        rows = self.rows
        costs = [r.cost for r in rows]
        return ProfitRow(
            key="",
            label="Total",
            kind="",
            units=sum(r.units for r in rows),
            revenue=sum(r.revenue for r in rows),
            cost=None if None in costs else sum(c for c in costs if c is not None),
            fees=sum(r.fees for r in rows),
            venue_cut=sum(r.venue_cut for r in rows),
        )


@dataclass(frozen=True, slots=True)
class ExperienceRow:
    """One experience (by SKU): its queue and what an hour of experience time earned.

    Tickets held for payment or cancelled are left out. Fulfilment is done_at - called_at
    of done tickets, wait is called_at - created_at (payment) of tickets called; p90 is
    the nearest-rank 90th percentile. Experience time is the measured fulfilment of done tickets,
    or, while none is done, the planned time x units sold (`planned`); revenue_per_hour
    is revenue / experience time, None when there is no experience time to divide by.
    """

    key: str  # the SKU; "" for the total over every experience
    label: str
    units: int  # sold, net of refunds
    revenue: int  # net revenue, as in ProfitRow
    done: int
    no_show: int
    waiting: int  # waiting or called, not done yet
    fulfil_mean_min: float | None
    fulfil_p90_min: float | None
    wait_mean_min: float | None
    wait_p90_min: float | None
    experience_minutes: float | None
    planned: bool
    revenue_per_hour: int | None


@dataclass(frozen=True, slots=True)
class ExperienceTimes:
    """Experiences per SKU, by revenue; `total` pools every ticket, and its revenue per hour
    is over the SKUs whose experience time is known (planned when any of theirs is)."""

    rows: tuple[ExperienceRow, ...]
    total: ExperienceRow

    @property
    def partly_planned(self) -> bool:
        """Some experience times measured and others planned: the total's is neither."""
        timed = [g.planned for g in self.rows if g.experience_minutes is not None]
        return any(timed) and not all(timed)


@dataclass(frozen=True, slots=True)
class Customers:
    """Repeat purchases over the kept orders, from the hashed customer handles; only
    counts, never a hash."""

    orders: int
    orders_with_handle: int
    identified: int  # distinct customers
    repeat: int  # customers with two or more orders

    @property
    def repeat_rate_ppm(self) -> int | None:
        return round_half_up(self.repeat * PPM, self.identified) if self.identified else None

    @property
    def handle_share_ppm(self) -> int | None:
        return round_half_up(self.orders_with_handle * PPM, self.orders) if self.orders else None


@dataclass(frozen=True, slots=True)
class StockLine:
    """One variant's stock over the event, from the ledger.

    expected = opening + counted_in - sold + refunded_to_stock + adjusted - comped;
    counted_out is the end-of-night count (None: not counted); shrinkage = expected -
    counted_out, positive when units are missing.
    """

    sku: str
    label: str
    opening: int
    counted_in: int
    sold: int
    refunded_to_stock: int
    adjusted: int
    comped: int
    counted_out: int | None
    shrinkage: int

    @property
    def expected(self) -> int:
        return (
            self.opening
            + self.counted_in
            - self.sold
            + self.refunded_to_stock
            + self.adjusted
            - self.comped
        )


@dataclass(frozen=True, slots=True)
class CashUp:
    float_cents: int
    cash_sales: int
    cash_refunds: int
    paid_in: int
    paid_out: int
    counted: int | None
    denominations: tuple[tuple[int, int], ...] = ()  # (denomination, how many)
    # Cash taken on helpers' phones, part of `expected`: (register and helper, amount).
    held_by_phones: tuple[tuple[str, int], ...] = ()

    @property
    def expected(self) -> int:
        return self.float_cents + self.cash_sales - self.cash_refunds + self.paid_in - self.paid_out

    @property
    def over_short(self) -> int | None:
        """Positive: more cash than expected; negative: short; None: not counted yet."""
        return None if self.counted is None else self.counted - self.expected


@dataclass(frozen=True, slots=True)
class VenueTerms:
    """What the venue takes: a cut per class of goods, each category mapped to a class.

    `on` is "gross" (the cut is on what customers paid, tax included) or "net_of_tax";
    with `card_fees_first` the card fees come off before the cut is taken. A category not
    in `category_class` is in class "other"; a class with no cut pays none.
    """

    cut_ppm_by_class: dict[str, int] = field(default_factory=dict)
    category_class: dict[str, str] = field(default_factory=dict)
    on: Literal["gross", "net_of_tax"] = "gross"
    card_fees_first: bool = False

    @property
    def empty(self) -> bool:
        return not self.cut_ppm_by_class


@dataclass(frozen=True, slots=True)
class VenueClassRow:
    cls: str
    sales: int  # item sales net of refunds, tax included
    base: int  # what the cut is taken on
    cut_ppm: int
    cut: int


@dataclass(frozen=True, slots=True)
class OwnerRow:
    """A co-seller's items: sales, what comes off, and what they are owed."""

    owner: str | None  # None: the organizer's own items
    sales: int  # net of refunds, tax included
    tax: int
    fees: int
    venue_cut: int
    owed: int
    shares_ppm: tuple[int, ...] = (1_000_000,)  # the owner's share(s) of what is left

    @property
    def after_costs(self) -> int:
        return self.sales - self.tax - self.fees - self.venue_cut

    @property
    def organizer_part(self) -> int:
        """What the organizer keeps of the owner's items (their share below 100%)."""
        return self.after_costs - self.owed


@dataclass(frozen=True, slots=True)
class Holding:
    holder: str
    tenders: str
    amount: int


@dataclass(frozen=True, slots=True)
class Settlement:
    """Who is owed what, and who holds the money.

    held (sum of holdings) = venue + owed to owners + tax + organizer: every cent held
    is assigned to exactly one party.
    """

    terms: VenueTerms
    venue: tuple[VenueClassRow, ...]
    owners: tuple[OwnerRow, ...]  # co-sellers, then the organizer's own items
    tax: int  # collected tax, to be paid on by the organizer
    tips: int
    fees: int
    unattached_refunds: int  # refunds not tied to an item (amounts, tips), borne by the organizer
    deposits: int  # paid on orders still awaiting payment
    holdings: tuple[Holding, ...]
    notes: tuple[str, ...]

    @property
    def venue_total(self) -> int:
        return sum(v.cut for v in self.venue)

    @property
    def owed_to_owners(self) -> int:
        return sum(o.owed for o in self.owners if o.owner is not None)

    @property
    def organizer_total(self) -> int:
        own = sum(o.after_costs if o.owner is None else o.organizer_part for o in self.owners)
        return own + self.tips - self.unattached_refunds + self.deposits

    @property
    def held(self) -> int:
        return sum(h.amount for h in self.holdings)


@dataclass(frozen=True, slots=True)
class Report:
    event: EventHeader
    totals: Totals
    tenders: tuple[TenderRow, ...]
    products: tuple[SalesRow, ...]
    variants: tuple[SalesRow, ...]
    categories: tuple[SalesRow, ...]
    owners: tuple[SalesRow, ...]
    registers: tuple[GroupRow, ...]
    staff: tuple[GroupRow, ...]
    hours: tuple[HourRow, ...]
    top_sellers: tuple[SalesRow, ...]
    editions: tuple[EditionRow, ...]
    sold_out: tuple[SoldOut, ...]
    pay_time: PayTime
    experiences: Experiences
    profit: Profit
    experience_times: ExperienceTimes
    customers: Customers
    stock: tuple[StockLine, ...]
    cash: CashUp
    settlement: Settlement
    carried_over: tuple[str, ...]  # order numbers left awaiting payment at close
    generated_at: datetime
    # "COUNT:HASH" of the audit log as the event closed; None while it is open.
    audit_head: str | None = None

    @property
    def orders_per_hour(self) -> float | None:
        """Sold orders per hour, from the first hour with a sale to the last."""
        if not self.hours:
            return None
        span = (self.hours[-1].start - self.hours[0].start).total_seconds() // 3600 + 1
        return self.totals.orders / span


# How the report's figures read, the same on the screen, in the PDF and in the files.


def short_percent(ppm: int | None) -> str:
    """'33.3%': a rate to one decimal at most, for people; '—' when there is none."""
    if ppm is None:
        return "—"
    return format_percent(round_half_up(ppm, 1_000) * 1_000)


def minutes_text(minutes: float | None) -> str:
    """'4.5 min', '1 h 05 min'; '—' when there is nothing to show."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{minutes:.1f} min"
    whole = round(minutes)
    return f"{whole // 60} h {whole % 60:02d} min"


def repeat_text(part: int, whole: int, ppm: int | None) -> str:
    """'50% (1 of 2)'; '—' when there is nothing to take a share of."""
    return f"{short_percent(ppm)} ({part:,} of {whole:,})" if whole else "—"
