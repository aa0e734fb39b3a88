"""The report queries' rows, each as a record with named fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple


class StatusTotals(NamedTuple):
    """Orders of one status and their money."""

    status: str
    orders: int
    subtotal: int
    discount: int
    tax: int
    tip: int
    total: int
    paid: int
    refunded: int


class LineGroup(NamedTuple):
    """Sold lines grouped by variant (custom lines by name), owner, kind and tax mode.

    refunds is the value of the refunded units (total x refunded / quantity, rounded half
    up per line); refunded_order is 1 for lines of orders refunded in full; cost is cost x
    units kept for lines with a known cost, unknown_cost_units the units kept without one.
    """

    variant_id: int | None
    custom_name: str | None
    owner_id: int | None
    kind: str
    tax_inclusive: bool
    units: int
    refunded_units: int
    gross: int
    discounts: int
    tax: int
    total: int
    refunds: int
    refund_tax: int
    refunded_order: int
    cost: int
    unknown_cost_units: int


class TenderTotal(NamedTuple):
    tender: str
    status: str
    payments: int
    amount: int
    fees: int


class TenderRefund(NamedTuple):
    tender: str
    refunded: int


class FeeLine(NamedTuple):
    """A line of a kept order with Stripe fees: the order's whole fee, the line's total."""

    order_id: int
    fee: int
    variant_id: int | None
    custom_name: str | None
    total: int


class CustomerCounts(NamedTuple):
    """Kept orders, those with a customer handle, distinct customers, repeat customers."""

    orders: int
    with_handle: int
    customers: int
    repeat: int


class HourTotal(NamedTuple):
    hour: str  # 'YYYY-MM-DD HH' in venue time
    orders: int
    total: int


class SellerTotal(NamedTuple):
    """A register's or a staff member's sold orders (name None: no staff recorded)."""

    name: str | None
    orders: int
    total: int
    refunded: int


class PayTimes(NamedTuple):
    """Seconds from an order's start to its payment."""

    orders: int
    average_s: float | None
    median_s: float | None
    longest_s: float | None


class TicketStatus(NamedTuple):
    status: str
    tickets: int
    wait_s: float | None  # average seconds to called
    fulfil_s: float | None  # average seconds to done


class ExperienceTickets(NamedTuple):
    """Queued tickets of one experience and status: fulfil_s sums done - called over the
    `fulfilled` ones with both times, wait_s sums called - created over the `waited` ones."""

    variant_id: int | None
    status: str
    tickets: int
    fulfil_s: float | None
    fulfilled: int
    wait_s: float | None
    waited: int


class ExperienceTime(NamedTuple):
    """One called ticket's wait, and its fulfilment time once done."""

    variant_id: int | None
    status: str
    wait_s: float | None
    fulfil_s: float | None


class VariantFacts(NamedTuple):
    id: int
    sku: str
    options: dict[str, Any] | None
    product_id: int
    product: str
    kind: str
    category: str | None
    owner: str | None
    owner_share_ppm: int | None
    edition_size: int | None
    next_edition: int
    on_hand: int
    track_stock: bool
    returned: int
    time_minutes: int | None


class StockBucket(NamedTuple):
    """Units of the ledger around an event: bucket is "opening" or a movement kind."""

    variant_id: int
    bucket: str
    units: int | None


class SoldOutRow(NamedTuple):
    """The movement after which a variant's stock stayed at zero."""

    variant_id: int
    kind: str
    created_at: datetime
    paid_at: datetime | None
