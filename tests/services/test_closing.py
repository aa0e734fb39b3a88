"""Closing the night: cash-up arithmetic, counts by denomination, count-out, what awaits payment."""

from pathlib import Path

import pytest

from popup_pos.domain.errors import PosError
from popup_pos.services import checkout, closing, events, inventory, payments, reports
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.closing import CashCount, CloseBlockedError
from popup_pos.services.events import EventError


def test_close_computes_over_short(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))  # 30.00 cash
    checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("POSTER"),)),
        (TenderSpec("wallet", reference="Venmo"),),
    )  # fmt: skip
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("LP-NIGHTS"),)))
    payments.refund_to_tenders(shop.uow, r.order_id)  # 28.00 cash back
    events.record_cash_movement(shop.uow, "paid_out", 1000, "ice for the cooler")
    events.record_cash_movement(shop.uow, "paid_in", 2000, "change from the bank")
    result = closing.close_event(shop.uow, 100_00 + 3000 + 2800 - 2800 - 1000 + 2000 - 150)
    assert result.cash.expected_cents == 100_00 + 3000 - 1000 + 2000
    assert result.over_short_cents == -150
    assert events.current_event(shop.uow) is None
    listed = events.list_events(shop.uow)
    assert listed[0][0].status == "closed" and listed[0][1] == 3


def test_close_refused_while_orders_wait(shop):
    r = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    with pytest.raises(EventError, match=r.number):
        closing.close_event(shop.uow, 0)


def test_cash_count_syntax():
    c = closing.parse_cash_count("20x5, 10x3,5x2 1x7; 0.25x8", "USD")
    assert c.denominations == ((2000, 5), (1000, 3), (500, 2), (100, 7), (25, 8))
    assert c.total_cents == 100_00 + 30_00 + 10_00 + 7_00 + 2_00
    assert closing.parse_cash_count("$20 × 2, 0,25*4, 20X1", "USD").denominations == (
        (2000, 3),
        (25, 4),
    )
    assert closing.parse_cash_count("1000x3", "JPY").total_cents == 3000
    for bad, message in (
        ("", "empty"),
        ("20x", "item 1"),
        ("20x5, 5y2", r"item 2 \('5y2'\)"),
        ("0x3", "must be above 0"),
        ("0.001x3", "more decimals"),
        ("€5x2", "not in USD"),
    ):
        with pytest.raises(Exception, match=message):
            closing.parse_cash_count(bad, "USD")


def test_close_with_a_count_by_denomination(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))  # 15.00 cash
    count = closing.parse_cash_count("100x1, 10x1, 5x1, 0.25x4", "USD")
    r = closing.close_event(shop.uow, cash_count=count)
    assert r.cash.expected_cents == 115_00
    assert r.counted_cents == 116_00 and r.over_short_cents == 100
    assert r.denominations == ((100_00, 1), (10_00, 1), (5_00, 1), (25, 4))
    report = reports.build_report(shop.uow, "last")
    assert report.cash.counted == 116_00 and report.cash.over_short == 100
    assert report.cash.denominations == r.denominations


def test_counted_total_and_count_must_agree(shop):
    with pytest.raises(EventError, match="disagree"):
        closing.close_event(shop.uow, 5000, cash_count=CashCount(((2000, 1),)))
    with pytest.raises(EventError, match="how much cash"):
        closing.close_event(shop.uow)
    assert events.current_event(shop.uow) is not None


def _pending_order(shop, sku="POSTER"):
    r = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine(sku),)))
    pid = checkout.begin_payment(
        shop.uow, r.order_id, "stripe_qr", r.total_cents, idempotency_key=f"k-{sku}", request={}
    )
    return r, pid


def test_pending_payments_block_the_close_unless_carried_over(shop):
    r, pid = _pending_order(shop)
    with pytest.raises(CloseBlockedError, match=rf"being checked \({r.number}\)") as blocked:
        closing.close_event(shop.uow, 100_00)
    assert [o.number for o in blocked.value.pending] == [r.number]
    assert blocked.value.unpaid == ()
    preview = closing.close_preview(shop.uow)
    assert [o.pending_cents for o in preview.pending] == [1500] and preview.unpaid == ()
    closed = closing.close_event(shop.uow, 100_00, carry_over=True)
    assert [(o.number, o.status) for o in closed.carried_over] == [(r.number, "awaiting_payment")]
    assert checkout.get_order(shop.uow, r.order_id).status == "awaiting_payment"
    assert reports.build_report(shop.uow, "last").carried_over == (r.number,)
    # The card payment lands after the close: the carried-over order is paid.
    assert checkout.complete_payment(shop.uow, pid).status == "paid"


def test_unpaid_orders_block_the_close_unless_cancelled(shop):
    before = shop.on_hand("TEE-M")
    waiting = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    part = checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("POSTER"),)), (TenderSpec("cash", amount=500),)
    )
    pending, _ = _pending_order(shop, "LP-NIGHTS")
    with pytest.raises(CloseBlockedError) as blocked:
        closing.close_event(shop.uow, 100_00)
    message = str(blocked.value)
    assert waiting.number in message and part.number in message and pending.number in message
    with pytest.raises(CloseBlockedError, match="still await payment"):
        closing.close_event(shop.uow, 100_00, carry_over=True)
    seen = []
    r = closing.close_event(
        shop.uow,
        100_00,
        carry_over=True,
        cancel_unpaid=payments.cancel_order,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert sorted(r.cancelled) == sorted([waiting.number, part.number])
    assert [o.number for o in r.carried_over] == [pending.number]
    assert shop.on_hand("TEE-M") == before
    # The 5.00 paid on the cancelled order went back in cash: the drawer expects the float.
    assert r.cash.expected_cents == 100_00 and r.over_short_cents == 0
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_count_out_records_shrinkage(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 2),)))
    expected = shop.on_hand("TEE-M")  # 24 - 2
    r = closing.close_event(
        shop.uow, 100_00 + 6000, count_out={"tee-m": expected - 3, "POSTER": 40, "LP-NIGHTS": 31}
    )
    stock = {s.sku: s for s in r.stock}
    assert set(stock) == {"TEE-M", "POSTER", "LP-NIGHTS"}
    tee = stock["TEE-M"]
    assert (tee.sold, tee.expected, tee.counted_out, tee.shrinkage) == (2, 22, 19, 3)
    assert (stock["POSTER"].counted_out, stock["POSTER"].shrinkage) == (40, 0)
    assert stock["LP-NIGHTS"].shrinkage == -1  # one more found than expected
    assert r.shrinkage_units == 2
    assert shop.on_hand("TEE-M") == 19 == inventory.ledger_sum(shop.uow, "TEE-M")
    later = {s.sku: s for s in reports.build_report(shop.uow, "last").stock}
    assert later["POSTER"].counted_out == 40 and later["TEE-M"].shrinkage == 3


def test_bad_count_out_changes_nothing(shop):
    with pytest.raises(EventError, match="no variant with SKU 'NOPE'"):
        closing.close_event(shop.uow, 0, count_out={"TEE-M": 1, "NOPE": 2})
    with pytest.raises(EventError, match="TEE-M must be counted as 0 or more"):
        closing.close_event(shop.uow, 0, count_out={"TEE-M": -1})
    with pytest.raises(EventError, match="counted twice"):
        closing.close_event(shop.uow, 0, count_out={"TEE-M": 1, "tee-m": 1})
    assert shop.on_hand("TEE-M") == 24 and events.current_event(shop.uow) is not None


def test_a_count_out_refused_part_way_counts_nothing(shop):
    # TEE-M is counted first; PRINT-LTD's edition of 50 has no room for 60.
    with pytest.raises(PosError, match="PRINT-LTD is a limited edition"):
        closing.close_event(shop.uow, 100_00, count_out={"TEE-M": 5, "PRINT-LTD": 60})
    with pytest.raises(PosError, match="DL-CARD is digital"):
        closing.close_event(shop.uow, 100_00, count_out={"TEE-M": 5, "DL-CARD": 1})
    assert shop.on_hand("TEE-M") == 24 == inventory.ledger_sum(shop.uow, "TEE-M")
    assert events.current_event(shop.uow) is not None
    r = closing.close_event(shop.uow, 100_00, count_out={"TEE-M": 5})
    assert r.stock[0].counted_out == 5 and shop.on_hand("TEE-M") == 5


def test_count_sheet_file(tmp_path: Path):
    sheet = tmp_path / "count.csv"
    sheet.write_text(
        "\ufeffSKU,product,expected,Counted\nTEE-M,Tour tee,22,19\nPOSTER,Tour poster,18,\n\n",
        encoding="utf-8",
    )
    assert closing.read_count_sheet(sheet) == {"TEE-M": 19}
    sheet.write_text("sku,counted\nTEE-M,x\n,4\nTEE-M,2\ntee-m,3\n", encoding="utf-8")
    with pytest.raises(EventError, match="3 problem") as bad:
        closing.read_count_sheet(sheet)
    assert "row 2, TEE-M: counted must be a whole number" in str(bad.value)
    assert "row 3: no SKU" in str(bad.value) and "row 5: tee-m is counted twice" in str(bad.value)
    sheet.write_text("code,qty\n", encoding="utf-8")
    with pytest.raises(EventError, match="needs columns 'sku' and 'counted'"):
        closing.read_count_sheet(sheet)
