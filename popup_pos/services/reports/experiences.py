"""The ticket queue in the report: tickets, waits and revenue per hour of experience time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from popup_pos.domain.pricing import round_half_up
from popup_pos.domain.report import (
    ExperienceRow,
    Experiences,
    ExperienceTimes,
    ProfitRow,
)
from popup_pos.services.reports.sections import label_of
from popup_pos.store import reports as reports_store

UNKNOWN_EXPERIENCE = ("unknown", "Experience no longer in the catalog")
P90 = 90


def experiences_of(
    rows: Sequence[reports_store.TicketStatus], units: int, revenue: int
) -> Experiences:
    by = {r.status: r for r in rows}
    count = sum(int(r.tickets) for r in rows)

    def weighted(field: str, statuses: Sequence[str]) -> float | None:
        parts = [
            (int(by[s].tickets), value)
            for s in statuses
            if s in by and (value := getattr(by[s], field)) is not None
        ]
        n = sum(p[0] for p in parts)
        return sum(k * float(v) for k, v in parts) / n if n else None

    return Experiences(
        units=units,
        revenue=revenue,
        tickets=count,
        done=int(by["done"].tickets) if "done" in by else 0,
        no_show=int(by["no_show"].tickets) if "no_show" in by else 0,
        waiting=sum(int(by[s].tickets) for s in ("waiting", "called") if s in by),
        average_wait_s=weighted("wait_s", ("called", "done", "no_show")),
        average_fulfil_s=weighted("fulfil_s", ("done",)),
    )


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


def _experience_row(
    key: str,
    label: str,
    units: int,
    revenue: int,
    q: _Queue,
    experience_s: int | None,
    planned: bool,
    timed_revenue: int | None = None,
) -> ExperienceRow:
    """The row; revenue per hour is `timed_revenue` (default: all of it) / experience time."""
    per_hour = revenue if timed_revenue is None else timed_revenue
    return ExperienceRow(
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
        experience_minutes=None if experience_s is None else experience_s / 60,
        planned=planned,
        revenue_per_hour=round_half_up(per_hour * 3600, experience_s) if experience_s else None,
    )


def experience_times_of(
    profit: Sequence[ProfitRow],
    ticket_rows: Sequence[reports_store.ExperienceTickets],
    times: Sequence[reports_store.ExperienceTime],
    facts: dict[int, reports_store.VariantFacts],
) -> ExperienceTimes:
    """Each experience's queue and revenue per hour of experience time, and all of them together."""

    def key_of(variant_id: int | None) -> tuple[str, str]:
        f = facts.get(variant_id) if variant_id is not None else None
        return (f.sku, label_of(f)) if f is not None else UNKNOWN_EXPERIENCE

    queues: dict[str, _Queue] = {}
    labels: dict[str, str] = {}
    planned_min: dict[str, int | None] = {}
    for f in facts.values():
        planned_min[f.sku] = f.time_minutes
    for t in ticket_rows:
        key, labels[key] = key_of(t.variant_id)
        queues.setdefault(key, _Queue()).add(
            t.status, int(t.tickets), t.fulfil_s, int(t.fulfilled), t.wait_s, int(t.waited)
        )
    for time in times:
        q = queues[key_of(time.variant_id)[0]]
        if time.wait_s is not None:
            q.waits.append(float(time.wait_s))
        if time.fulfil_s is not None:
            q.fulfils.append(float(time.fulfil_s))
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
        experience_s: int | None
        if q.fulfilled:
            planned, experience_s = False, max(round(q.fulfil_s), 0)
        else:
            minutes = planned_min.get(key)
            planned, experience_s = True, (None if minutes is None else minutes * units * 60)
        if experience_s is not None:
            timed_revenue += revenue
            timed_s += experience_s
            any_timed = True
            any_planned |= planned
        label = r.label if r is not None else labels.get(key, key)
        rows.append(_experience_row(key, label, units, revenue, q, experience_s, planned))
    total = _experience_row(
        "",
        "All experiences",
        sum(g.units for g in rows),
        sum(g.revenue for g in rows),
        total_q,
        timed_s if any_timed else None,
        any_planned,
        timed_revenue,
    )
    return ExperienceTimes(tuple(sorted(rows, key=lambda g: (-g.revenue, g.label))), total)
