"""A closed night with every kind of record an export has to carry."""

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from popup_pos.domain.pricing import Discount, Tip
from popup_pos.exports.tables import TABLE_NAMES
from popup_pos.services import checkout, closing, events, payments, settlement
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.settlement import VenueTerms
from popup_pos.store import events as event_store
from popup_pos.store.models import Ticket

SOLD = {"paid", "fulfilled", "partially_refunded", "refunded"}


def make_night(shop):
    """Tax, discounts, tips, card fees, line and amount refunds, a cancel, a carried-over
    card payment, cash in and out, a ticket, venue terms; closed with a count."""
    uow, reg = shop.uow, shop.register_id
    with uow:
        ev = event_store.open_event(uow.session)
        ev.settings = {
            **ev.settings,
            "default_tax": {"name": "Sales tax", "rate_ppm": 88_750, "inclusive": False},
        }
        uow.commit()
    settlement.set_terms(
        uow,
        VenueTerms(
            {"apparel": 200_000, "music": 100_000, "other": 150_000},
            {"Apparel": "apparel", "Music": "music"},
            "gross",
            True,
        ),
    )
    start = datetime.now(UTC) - timedelta(hours=3)
    a = checkout.sell(uow, reg, Cart((CartLine("TEE-M", 2), CartLine("POSTER"))), now=start)
    checkout.sell(
        uow,
        reg,
        Cart((CartLine("LP-NIGHTS"), CartLine("DL-CARD")), discount=Discount.percent(100_000)),
        (TenderSpec("wallet", reference="Venmo @band"),),
        now=start + timedelta(minutes=20),
    )
    c = checkout.place_order(
        uow,
        reg,
        Cart((CartLine("PRINT-LTD", 2),), tip=Tip.percent(150_000)),
        now=start + timedelta(minutes=50),
    )
    pid = checkout.begin_payment(uow, c.order_id, "stripe_qr", c.total_cents,
                                 idempotency_key="c", request={})  # fmt: skip
    checkout.complete_payment(uow, pid, fee_cents=30 + c.total_cents * 29 // 1000)
    shoutout = checkout.sell(
        uow,
        reg,
        Cart((CartLine("SHOUTOUT-60", personalisation='Zoë, "the best", =1+1'),)),
        (TenderSpec("cash", tendered=5000),),
        now=start + timedelta(minutes=70),
    )
    d = checkout.sell(
        uow,
        reg,
        Cart((CartLine("TEE-L", discount=Discount.amount(500)), CartLine("PACK-TEE-M-POSTER"))),
        (TenderSpec("cash", amount=2000), TenderSpec("wallet", reference="Cash App")),
        now=start + timedelta(minutes=95),
    )
    line = checkout.get_order(uow, a.order_id).lines[0]
    payments.refund_to_tenders(
        uow, a.order_id, lines={line.id: 1}, return_to_stock=True, reason="size"
    )
    payments.refund_to_tenders(uow, d.order_id, amount_cents=300, reason="scuffed")
    dropped = checkout.place_order(uow, reg, Cart((CartLine("TEE-S"),)))
    payments.cancel_order(uow, dropped.order_id)
    part = checkout.sell(uow, reg, Cart((CartLine("POSTER"),)), (TenderSpec("cash", amount=700),))
    payments.cancel_order(uow, part.order_id)
    late = checkout.place_order(uow, reg, Cart((CartLine("LP-NIGHTS"),)))
    checkout.begin_payment(uow, late.order_id, "stripe_card", late.total_cents,
                           idempotency_key="late", request={})  # fmt: skip
    events.record_cash_movement(uow, "paid_out", 1500, "ice")
    events.record_cash_movement(uow, "paid_in", 2000, "change")
    experience_line = checkout.get_order(uow, shoutout.order_id).lines[0]
    with uow:
        # The sale queued the shoutout; it was called and done a few minutes later.
        t0 = start + timedelta(minutes=71)
        ticket = uow.session.scalars(
            select(Ticket).where(Ticket.order_line_id == experience_line.id)
        ).one()
        ticket.status = "done"
        ticket.created_at = t0
        ticket.called_at = t0 + timedelta(minutes=5)
        ticket.done_at = t0 + timedelta(minutes=7)
        uow.commit()
    count = closing.parse_cash_count("100x2, 20x3, 5x1, 1x4, 0.25x3", "USD")
    closing.close_event(
        uow, cash_count=count, carry_over=True, count_out={"TEE-M": 20, "POSTER": 36}
    )
    return uow


@pytest.fixture
def night(shop):
    return make_night(shop)


def cents(text):
    """'12.50' -> 1250 (USD), exactly."""
    return int(Decimal(text) * 100) if text not in ("", None) else 0


def read_csv_folder(folder: Path, names=TABLE_NAMES) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in names:
        raw = (folder / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no BOM for Excel"
        out[name] = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    return out


def check_totals(tables, report):
    """lines -> orders -> payments - refunds, and each against the report."""
    status = {o["order_number"]: o["status"] for o in tables["orders"]}
    sold = [o for o in tables["orders"] if o["status"] in SOLD]
    charged = sum(cents(o["total"]) for o in sold)
    tips = sum(cents(o["tip"]) for o in sold)
    line_total = sum(cents(x["line_total"]) for x in tables["lines"] if x["order_status"] in SOLD)
    assert line_total + tips == charged == report.totals.charged
    assert all(x["order_status"] == status[x["order_number"]] for x in tables["lines"])
    assert sum(cents(o["subtotal"]) for o in sold) == report.totals.gross
    assert sum(cents(o["discount"]) for o in sold) == report.totals.discounts
    assert sum(cents(o["tax"]) for o in sold) == report.totals.tax
    ok = [p for p in tables["payments"] if p["status"] == "succeeded"]
    taken = sum(cents(p["amount"]) for p in ok)
    back = sum(cents(r["amount"]) for r in tables["refunds"])
    assert taken - back == report.totals.net + report.totals.deposits
    sold_back = sum(
        cents(r["amount"]) for r in tables["refunds"] if status[r["order_number"]] in SOLD
    )
    assert sold_back == report.totals.refunds
    assert sum(cents(p["fee"]) for p in ok) == report.totals.fees
    for t in report.tenders:
        assert sum(cents(p["amount"]) for p in ok if p["tender"] == t.tender) == t.amount
    held = [s for s in tables["settlement"] if s["section"] == "holds"]
    assert sum(cents(s["amount"]) for s in held) == taken - back - report.totals.fees
    stock = {s["sku"]: s for s in tables["stock"]}
    for line in report.stock:
        row = stock[line.sku]
        assert int(row["expected"]) == line.expected
        assert row["counted_out"] == ("" if line.counted_out is None else str(line.counted_out))


@pytest.fixture
def checks():
    """The CSV reader and the cross-table totals check, for the export tests."""
    return SimpleNamespace(cents=cents, read_csv_folder=read_csv_folder, check_totals=check_totals)
