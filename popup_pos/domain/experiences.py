"""Experience rules: time slots, the estimated wait of their ticket queue, the ticket code."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from popup_pos.domain.errors import PosError

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# A ticket's printed and QR code is this prefix, '-' and its id: GIG-12. Slips already
# handed out and scanned carry it, so the printed text stays though the entry is a ticket.
TICKET_CODE_PREFIX = "GIG"

# A night's slots belong to the day it started: until 06:00 it is still last night.
NIGHT_STARTS = timedelta(hours=6)


class SlotError(PosError, ValueError):
    """A slot definition that cannot be used."""


def parse_clock(text: str) -> time:
    """'20:00' (or '9:05') as a time of day."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise SlotError(f"{text!r} is not a time of day like 20:00")
    return time(int(m.group(1)), int(m.group(2)))


@dataclass(frozen=True, slots=True)
class SlotPlan:
    """A slot every `minutes` from `start` until `end`, local time; `end` at or before
    `start` runs past midnight."""

    start: time
    end: time
    minutes: int

    @classmethod
    def parse(cls, text: str) -> SlotPlan:
        """'20:00-21:00/5': from 20:00 until 21:00, one slot every 5 minutes."""
        span, slash, every = text.strip().partition("/")
        first, dash, last = span.partition("-")
        if not slash or not dash or not every.strip().isdigit():
            raise SlotError(f"slots {text!r} should look like 20:00-21:00/5")
        minutes = int(every)
        if not 1 <= minutes <= 240:
            raise SlotError(f"slots {text!r}: a slot lasts 1 to 240 minutes")
        plan = cls(parse_clock(first), parse_clock(last), minutes)
        if not plan.count():
            raise SlotError(f"slots {text!r}: no {minutes}-minute slot fits in that time")
        return plan

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}/{self.minutes}"

    def span_minutes(self) -> int:
        a = self.start.hour * 60 + self.start.minute
        b = self.end.hour * 60 + self.end.minute
        return (b - a) % (24 * 60) or 24 * 60

    def count(self) -> int:
        return self.span_minutes() // self.minutes

    def times(self, day: date, tz: tzinfo) -> list[datetime]:
        """Every slot's start in the night that began on `day`, as aware datetimes: a plan
        starting before 06:00 starts after that night's midnight."""
        if self.start < time(NIGHT_STARTS.seconds // 3600):
            day += timedelta(days=1)
        first = datetime.combine(day, self.start, tzinfo=tz)
        return [first + timedelta(minutes=self.minutes * i) for i in range(self.count())]


def night_of(moment: datetime) -> tuple[date, tzinfo]:
    """The local date of the night `moment` falls in, and the local time zone."""
    local = moment.astimezone()
    return (local - NIGHT_STARTS).date(), local.tzinfo or UTC


def free_slots(
    plan: SlotPlan, day: date, tz: tzinfo, taken: set[datetime], now: datetime
) -> list[datetime]:
    """Slots not yet taken and not yet over, earliest first."""
    length = timedelta(minutes=plan.minutes)
    return [t for t in plan.times(day, tz) if t not in taken and t + length > now]


@dataclass(frozen=True, slots=True)
class QueuedTicket:
    """A ticket as the wait estimate sees it."""

    ticket_id: int
    variant_id: int | None
    status: str  # waiting | called
    due: datetime  # slot start, or when it joined the queue
    slotted: bool
    called_at: datetime | None = None


def durations(
    planned: Mapping[int, int | None], measured: Mapping[int, Sequence[float]], default: float
) -> dict[int, float]:
    """Minutes one unit of each experience takes: the mean of at least three measured
    (called to done) times this event, otherwise its planned time cost."""
    out: dict[int, float] = {}
    for vid in set(planned) | set(measured):
        times = measured.get(vid, ())
        plan = planned.get(vid)
        if len(times) >= 3:
            out[vid] = sum(times) / len(times)
        else:
            out[vid] = float(plan) if plan else default
    return out


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    by_ticket: dict[int, float]  # minutes until each waiting ticket is likely called
    walk_in: float  # minutes a ticket sold now would wait


def estimate_waits(
    queue: Sequence[QueuedTicket], minutes: Mapping[int, float], now: datetime, default: float
) -> WaitEstimate:
    """One performer, one fan at a time: those called finish their planned time, then the
    waiting are served in due order, none before their slot starts.

    A ticket sold now joins after everyone already due; slots later in the evening are
    not counted against it.
    """

    def length(g: QueuedTicket) -> float:
        return minutes.get(g.variant_id, default) if g.variant_id is not None else default

    clock = now
    for g in queue:
        if g.status == "called" and g.called_at is not None:
            end = g.called_at + timedelta(minutes=length(g))
            clock = max(clock, end)
    waiting = sorted(
        (g for g in queue if g.status == "waiting"), key=lambda g: (g.due, g.ticket_id)
    )
    by_ticket: dict[int, float] = {}
    walk_in: float | None = None
    for g in waiting:
        if walk_in is None and g.due > now:
            walk_in = (clock - now).total_seconds() / 60
        start = max(clock, g.due) if g.slotted else clock
        by_ticket[g.ticket_id] = max((start - now).total_seconds() / 60, 0.0)
        clock = start + timedelta(minutes=length(g))
    if walk_in is None:
        walk_in = (clock - now).total_seconds() / 60
    return WaitEstimate(by_ticket, max(walk_in, 0.0))
