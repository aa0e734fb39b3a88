"""Random event histories: whatever happened, every export and the report balance."""

import shutil
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import (
    catalog,
    checkout,
    closing,
    demo,
    events,
    inventory,
    payments,
    reports,
)
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork

SKUS = ("TEE-S", "TEE-M", "POSTER", "LP-NIGHTS", "PRINT-LTD", "PACK-TEE-M-POSTER", "DL-CARD",
        "SHOUTOUT-60")  # fmt: skip
TENDERS = ("cash", "wallet", "stripe")

cart = st.builds(
    lambda picks, pct, tip: Cart(
        tuple(CartLine(sku, q) for sku, q in picks.items()),
        discount=Discount.percent(pct * 10_000) if pct else None,
        tip=Tip.amount(tip) if tip else None,
    ),
    st.dictionaries(st.sampled_from(SKUS), st.integers(1, 2), min_size=1, max_size=3),
    st.sampled_from((0, 0, 10, 25)),
    st.sampled_from((0, 0, 150)),
)
step = st.one_of(
    st.tuples(st.just("sell"), cart, st.sampled_from(TENDERS), st.integers(0, 300)),
    st.tuples(st.just("place"), cart),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("refund_lines"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("refund_amount"), st.integers(0, 20), st.integers(1, 2000)),
    st.tuples(st.just("cash"), st.sampled_from(("paid_in", "paid_out")), st.integers(1, 5000)),
    st.tuples(st.just("adjust"), st.sampled_from(SKUS[:4]), st.integers(-2, 3)),
)
_n = count()


def run(uow, reg, steps):
    keys = count()
    orders: list[int] = []
    for s in steps:
        try:
            if s[0] == "sell":
                _, c, tender, fee = s
                if tender == "stripe":
                    r = checkout.place_order(uow, reg, c)
                    if r.due_cents:
                        pid = checkout.begin_payment(
                            uow,
                            r.order_id,
                            "stripe_qr",
                            r.due_cents,
                            idempotency_key=f"k{next(keys)}",
                            request={},
                        )
                        checkout.complete_payment(uow, pid, fee_cents=fee)  # fmt: skip
                else:
                    r = checkout.sell(uow, reg, c, (TenderSpec(tender),))
                orders.append(r.order_id)
            elif s[0] == "place":
                orders.append(checkout.place_order(uow, reg, s[1]).order_id)
            elif s[0] == "cancel" and orders:
                payments.cancel_order(uow, orders[s[1] % len(orders)])
            elif s[0] == "refund_lines" and orders:
                oid = orders[s[1] % len(orders)]
                line = checkout.get_order(uow, oid).lines[0]
                payments.refund_to_tenders(uow, oid, lines={line.id: 1}, return_to_stock=s[2])
            elif s[0] == "refund_amount" and orders:
                payments.refund_to_tenders(uow, orders[s[1] % len(orders)], amount_cents=s[2])
            elif s[0] == "cash":
                events.record_cash_movement(uow, s[1], s[2], "float top-up")
            elif s[0] == "adjust" and s[2]:
                inventory.adjust(uow, s[1], s[2], "recount")
        except PosError:
            continue  # a step the shop would refuse (sold out, not paid…): nothing happened


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10), close=st.booleans())
def test_random_histories_balance(sqlite_template, tmp_path_factory, checks, steps, close):
    folder = tmp_path_factory.mktemp(f"history{next(_n)}")
    shutil.copy(sqlite_template, folder / "pos.sqlite")
    engine = make_engine(str(folder / "pos.sqlite"))
    try:
        uow = UnitOfWork(engine)
        demo.seed(uow)
        events.open_event(uow, "Random night", float_cents=50_00)
        reg = events.join_register(uow, "A").id
        run(uow, reg, steps)
        if close:
            counts = {"POSTER": 3}
            closing.close_event(
                uow, 0, carry_over=True, cancel_unpaid=payments.cancel_order, count_out=counts
            )
        result = reports.export(uow, "csv", folder / "csv")
        r = result.report
        checks.check_totals(checks.read_csv_folder(folder / "csv"), r)
        t = r.totals
        assert t.charged == t.gross - t.discounts + (t.tax - t.tax_included) + t.tips
        assert sum(x.net for x in r.tenders) == t.net + t.deposits
        assert sum(v.total for v in r.variants) + t.tips == t.charged
        s = r.settlement
        assert s.held == s.venue_total + s.owed_to_owners + s.tax + s.organizer_total
        assert s.held == sum(x.net - x.fees for x in r.tenders)
        on_hand = {v.sku: v.on_hand for v in catalog.list_variants(uow)}
        for line in r.stock:
            # The ledger around the event accounts for every unit on the shelf.
            end = line.expected - line.shrinkage
            assert end == on_hand[line.sku], line
    finally:
        engine.dispose()
