"""Paid in, paid out and no-sale: each with a reason, audited, and in the cash-up."""

from __future__ import annotations

import pytest

from popup_pos.services import audit, closing, drawer, events


def test_paid_in_and_out_move_the_expected_cash(shop):
    drawer.paid_in(shop.uow, 50_00, "change from the bank", actor="Ana", register="A")
    drawer.paid_out(shop.uow, 12_50, "  ice for\nthe cooler ", actor="Ben")
    status = events.event_status(shop.uow)
    assert status is not None
    cash = status[1]
    assert (cash.paid_in_cents, cash.paid_out_cents) == (50_00, 12_50)
    assert cash.expected_cents == 100_00 + 50_00 - 12_50
    log = drawer.drawer_log(shop.uow)
    assert [(e.kind, e.amount_cents, e.reason, e.by, e.register) for e in log] == [
        ("paid_in", 50_00, "change from the bank", "Ana", "A"),
        ("paid_out", 12_50, "ice for the cooler", "Ben", None),
    ]
    assert log[0].currency == "USD" and log[0].label == "paid in"
    assert audit.verify(shop.uow).ok


def test_no_sale_keeps_the_cash_and_is_listed(shop):
    drawer.no_sale(shop.uow, "change for a fifty", actor="Ana")
    status = events.event_status(shop.uow)
    assert status is not None and status[1].expected_cents == 100_00
    [entry] = drawer.drawer_log(shop.uow)
    assert (entry.kind, entry.amount_cents, entry.reason, entry.label) == (
        "no_sale",
        0,
        "change for a fifty",
        "no sale",
    )


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_reason_is_needed(shop, reason):
    with pytest.raises(events.EventError, match="say why the drawer was opened"):
        drawer.no_sale(shop.uow, reason)
    with pytest.raises(events.EventError, match="say why the drawer was opened"):
        drawer.paid_out(shop.uow, 100, reason)
    assert drawer.drawer_log(shop.uow) == []


def test_a_long_reason_is_refused_with_its_length(shop):
    with pytest.raises(events.EventError, match="the reason is 201 characters: keep it to 200"):
        drawer.paid_in(shop.uow, 100, "x" * 201)


def test_amount_must_be_positive(shop):
    with pytest.raises(events.EventError, match="more than zero"):
        drawer.paid_in(shop.uow, 0, "float top-up")


def test_the_log_stays_with_its_event(shop):
    drawer.paid_in(shop.uow, 10_00, "float top-up")
    closing.close_event(shop.uow, counted_cents=110_00)
    events.open_event(shop.uow, "Next night", currency="USD")
    assert drawer.drawer_log(shop.uow) == []
    assert [e.reason for e in drawer.drawer_log(shop.uow, "last")] == ["float top-up"]


def test_nothing_without_an_open_event(uow):
    with pytest.raises(events.EventError, match="no event is open"):
        drawer.no_sale(uow, "checking the float")


def test_no_sales_are_counted_in_the_cash_summary(shop):
    drawer.no_sale(shop.uow, "change for a fifty")
    drawer.no_sale(shop.uow, "checking the float")
    preview = closing.close_preview(shop.uow)
    assert preview.cash.no_sales == 2
    assert preview.cash.expected_cents == 100_00
