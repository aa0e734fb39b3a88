"""Time slots and the queue's estimated wait."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from popup_pos.domain.experiences import (
    QueuedTicket,
    SlotError,
    SlotPlan,
    durations,
    estimate_waits,
    free_slots,
)

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def test_slot_plans_parse_count_and_wrap_past_midnight():
    plan = SlotPlan.parse(" 20:00-21:00/5 ")
    assert (plan.start, plan.end, plan.minutes, plan.count()) == (time(20), time(21), 5, 12)
    late = SlotPlan.parse("23:30-0:30/20")
    assert str(late) == "23:30-00:30/20" and late.count() == 3
    times = late.times(date(2026, 11, 24), UTC)
    assert times[-1] == datetime(2026, 11, 25, 0, 10, tzinfo=UTC)
    # An after-hours plan belongs to the night that started the evening before.
    after = SlotPlan.parse("01:00-02:00/30").times(date(2026, 11, 24), UTC)
    assert after == [
        datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 1, 30, tzinfo=UTC),
    ]


@pytest.mark.parametrize("bad", ["20:00-21:00", "8pm-9pm/5", "20:00-21:00/0", "20:00-20:03/5"])
def test_bad_slot_plans_are_refused(bad):
    with pytest.raises(SlotError):
        SlotPlan.parse(bad)


def test_free_slots_skip_taken_and_finished_ones():
    plan = SlotPlan.parse("19:50-20:20/10")
    taken = {datetime(2026, 11, 24, 20, 0, tzinfo=UTC)}
    got = free_slots(plan, date(2026, 11, 24), UTC, taken, NOW)
    assert got == [datetime(2026, 11, 24, 20, 10, tzinfo=UTC)]


def test_durations_prefer_three_measured_times_to_the_plan():
    got = durations({1: 5, 2: 10, 3: None}, {1: [2.0, 4.0, 6.0], 2: [30.0]}, 7.0)
    assert got == {1: 4.0, 2: 10.0, 3: 7.0}


def test_a_slot_holds_its_fan_back_but_not_the_walk_in():
    m = timedelta(minutes=1)
    queue = [
        QueuedTicket(1, 1, "called", NOW - 10 * m, False, called_at=NOW - 1 * m),
        QueuedTicket(2, 1, "waiting", NOW - 5 * m, False),
        QueuedTicket(3, 2, "waiting", NOW + 30 * m, True),
        QueuedTicket(4, 1, "waiting", NOW - 2 * m, False),
    ]
    est = estimate_waits(queue, {1: 3.0, 2: 10.0}, NOW, 5.0)
    assert est.by_ticket == {2: pytest.approx(2), 4: pytest.approx(5), 3: pytest.approx(30)}
    assert est.walk_in == pytest.approx(8)
