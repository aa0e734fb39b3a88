"""Checkout on each database: sales, reservations, split tender, editions, bundles, refunds."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.domain.errors import InvalidTransitionError, PosError
from popup_pos.domain.pricing import Discount, Tip
from popup_pos.services import audit, catalog, checkout, closing, events, inventory, payments
from popup_pos.services.checkout import Cart, CartLine, CheckoutError, LimitError, TenderSpec
from popup_pos.services.inventory import NotEnoughStockError
from popup_pos.store.models import StockMovement, Variant, utcnow


def cart(*skus: str, **kw) -> Cart:
    return Cart(tuple(CartLine(s) for s in skus), **kw)


def ledger(shop, sku: str) -> int:
    with shop.uow:
        return shop.uow.session.scalar(
            select(func.coalesce(func.sum(StockMovement.quantity), 0))
            .join(Variant)
            .where(Variant.sku == sku)
        )


def test_exact_cash_sale_is_paid_and_takes_stock(shop):
    before = shop.on_hand("TEE-M")
    r = checkout.sell(shop.uow, shop.register_id, cart("TEE-M"))
    assert (r.status, r.number, r.total_cents, r.paid_cents) == ("paid", "A-0001", 3000, 3000)
    assert shop.on_hand("TEE-M") == before - 1
    assert ledger(shop, "TEE-M") == shop.on_hand("TEE-M")
    assert audit.verify(shop.uow).ok


def test_cash_tendered_gives_change(shop):
    r = checkout.sell(
        shop.uow, shop.register_id, cart("TEE-M", "POSTER"), (TenderSpec("cash", tendered=5000),)
    )
    assert r.total_cents == 4500 and r.change_cents == 500
    order = checkout.get_order(shop.uow, r.number)
    assert order.payments[0].tendered_cents == 5000
    assert order.payments[0].change_cents == 500


def test_order_numbers_per_register(shop):
    b = events.join_register(shop.uow, "b")
    assert checkout.sell(shop.uow, shop.register_id, cart("POSTER")).number == "A-0001"
    assert checkout.sell(shop.uow, b.id, cart("POSTER")).number == "B-0001"
    assert checkout.sell(shop.uow, shop.register_id, cart("POSTER")).number == "A-0002"
    assert checkout.get_order(shop.uow, "b-0001").status == "paid"


def test_place_reserves_and_cancel_releases(shop):
    before = shop.on_hand("LP-NIGHTS")
    r = checkout.place_order(shop.uow, shop.register_id, cart("LP-NIGHTS", "LP-NIGHTS"))
    assert r.status == "awaiting_payment"
    assert shop.on_hand("LP-NIGHTS") == before - 2
    payments.cancel_order(shop.uow, r.order_id, reason="changed mind")
    assert shop.on_hand("LP-NIGHTS") == before
    assert ledger(shop, "LP-NIGHTS") == before
    assert checkout.get_order(shop.uow, r.order_id).status == "cancelled"
    with pytest.raises(InvalidTransitionError):
        payments.cancel_order(shop.uow, r.order_id)


def test_reservation_expires(shop):
    before = shop.on_hand("POSTER")
    r = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    assert checkout.release_expired(shop.uow) == []
    later = utcnow() + timedelta(minutes=16)
    assert checkout.release_expired(shop.uow, now=later) == [r.number]
    assert shop.on_hand("POSTER") == before


def test_split_tender(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("TEE-XL"))
    assert r.total_cents == 3200
    part = checkout.add_payment(shop.uow, r.order_id, TenderSpec("cash", amount=1200))
    assert (part.status, part.paid_cents, part.due_cents) == ("awaiting_payment", 1200, 2000)
    done = checkout.add_payment(shop.uow, r.order_id, TenderSpec("wallet", reference="Venmo @x"))
    assert (done.status, done.paid_cents) == ("paid", 3200)
    order = checkout.get_order(shop.uow, r.order_id)
    assert [(p.tender, p.amount_cents) for p in order.payments] == [
        ("cash", 1200),
        ("wallet", 2000),
    ]
    with pytest.raises(CheckoutError, match="paid"):
        checkout.add_payment(shop.uow, r.order_id, TenderSpec("cash", amount=1))


def test_overpayment_refused(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    with pytest.raises(CheckoutError, match="more than"):
        checkout.add_payment(shop.uow, r.order_id, TenderSpec("wallet", amount=1501))


def test_cancel_after_part_payment_hands_cash_back(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("TEE-M"))
    checkout.add_payment(shop.uow, r.order_id, TenderSpec("cash", amount=1000))
    payments.cancel_order(shop.uow, r.order_id)
    status = events.event_status(shop.uow)
    assert status is not None
    assert status[1].cash_sales_cents - status[1].cash_refunds_cents == 0


def test_sold_out_and_limits(shop):
    inventory.adjust(shop.uow, "TEE-XL", -shop.on_hand("TEE-XL") + 1, "recount")
    with pytest.raises(NotEnoughStockError, match="only 1 left"):
        checkout.sell(shop.uow, shop.register_id, cart("TEE-XL", "TEE-XL"))
    checkout.sell(shop.uow, shop.register_id, cart("TEE-XL"))
    with pytest.raises(NotEnoughStockError, match="sold out"):
        checkout.sell(shop.uow, shop.register_id, cart("TEE-XL"))
    with pytest.raises(LimitError, match="limit 2 per order"):
        checkout.sell(shop.uow, shop.register_id, cart("PRINT-LTD", "PRINT-LTD", "PRINT-LTD"))
    # A refused sale leaves nothing behind: no order, no stock taken.
    assert len(checkout.orders_by_status(shop.uow)) == 1


def test_unknown_sku_and_empty_cart(shop):
    with pytest.raises(CheckoutError, match="unknown SKU 'NOPE'"):
        checkout.sell(shop.uow, shop.register_id, cart("NOPE"))
    with pytest.raises(CheckoutError, match="empty"):
        checkout.sell(shop.uow, shop.register_id, Cart(()))


def test_edition_numbers_assigned_when_paid_and_returned_on_refund(shop):
    placed = checkout.place_order(shop.uow, shop.register_id, cart("PRINT-LTD", "PRINT-LTD"))
    assert checkout.get_order(shop.uow, placed.order_id).lines[0].edition_numbers is None
    paid = checkout.add_payment(shop.uow, placed.order_id, TenderSpec("cash"))
    assert paid.edition_numbers == {"PRINT-LTD": [1, 2]}
    lines = checkout.get_order(shop.uow, placed.order_id).lines
    assert [ln.edition_numbers for ln in lines] == ["1", "2"]
    second = checkout.sell(shop.uow, shop.register_id, cart("PRINT-LTD"))
    assert second.edition_numbers == {"PRINT-LTD": [3]}
    order = checkout.get_order(shop.uow, second.order_id)
    payments.refund_to_tenders(
        shop.uow, second.order_id, lines={order.lines[0].id: 1}, return_to_stock=True
    )
    again = checkout.sell(shop.uow, shop.register_id, cart("PRINT-LTD"))
    assert again.edition_numbers == {"PRINT-LTD": [3]}


def test_bundle_moves_component_stock(shop):
    tee, poster = shop.on_hand("TEE-M"), shop.on_hand("POSTER")
    pack = catalog.find_by_code(shop.uow, "PACK-TEE-M-POSTER")
    assert pack is not None and pack.is_bundle and pack.available == min(tee, poster)
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("PACK-TEE-M-POSTER", 2),)))
    assert (shop.on_hand("TEE-M"), shop.on_hand("POSTER")) == (tee - 2, poster - 2)
    payments.refund_to_tenders(shop.uow, r.order_id, return_to_stock=True)
    assert (shop.on_hand("TEE-M"), shop.on_hand("POSTER")) == (tee, poster)
    assert ledger(shop, "TEE-M") == tee and ledger(shop, "POSTER") == poster


def test_partial_then_full_refund(shop):
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 3),)))
    line = checkout.get_order(shop.uow, r.order_id).lines[0]
    before = shop.on_hand("TEE-M")
    one = payments.refund_to_tenders(
        shop.uow, r.order_id, lines={line.id: 1}, reason="wrong size"
    ).result
    assert (one.status, one.amount_cents, one.by_tender) == (
        "partially_refunded",
        3000,
        {"cash": 3000},
    )
    assert shop.on_hand("TEE-M") == before  # not returned to stock unless asked
    with pytest.raises(CheckoutError, match="can refund 1 to 2"):
        payments.refund_to_tenders(shop.uow, r.order_id, lines={line.id: 3})
    rest = payments.refund_to_tenders(shop.uow, r.order_id, return_to_stock=True).result
    assert (rest.status, rest.amount_cents) == ("refunded", 6000)
    assert shop.on_hand("TEE-M") == before + 2
    with pytest.raises(CheckoutError, match="only paid orders"):
        payments.refund_to_tenders(shop.uow, r.order_id, amount_cents=1)


def test_amount_refund_cannot_exceed_paid(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("POSTER"))
    with pytest.raises(CheckoutError, match="only 1500 is left"):
        payments.refund_to_tenders(shop.uow, r.order_id, amount_cents=1501)
    payments.refund_to_tenders(shop.uow, r.order_id, amount_cents=500)
    assert checkout.get_order(shop.uow, r.order_id).refunded_cents == 500


def test_refund_unpaid_order_refused(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    with pytest.raises(CheckoutError, match="awaiting payment"):
        payments.refund_to_tenders(shop.uow, r.order_id)


def test_discounts_tip_and_custom_line(shop):
    c = Cart(
        (
            CartLine("TEE-M", discount=Discount.percent(100_000)),
            CartLine(None, unit_price=500, name="Donation"),
        ),
        discount=Discount.amount(200),
        tip=Tip.percent(100_000),
    )
    q = checkout.quote(shop.uow, c)
    assert q.totals.subtotal == 3500
    assert q.totals.discount == 300 + 200
    assert q.totals.tip == 300
    assert q.totals.total == 3300
    r = checkout.sell(shop.uow, shop.register_id, c)
    order = checkout.get_order(shop.uow, r.order_id)
    assert order.total_cents == 3300
    assert sum(ln.total_cents for ln in order.lines) + order.tip_cents == order.total_cents
    assert order.lines[1].name == "Donation" and order.lines[1].variant_id is None


def test_full_discount_is_paid_at_once(shop):
    r = checkout.place_order(
        shop.uow, shop.register_id, cart("POSTER", discount=Discount.percent(1_000_000))
    )
    assert (r.status, r.total_cents) == ("paid", 0)


def test_fulfil_and_invalid_transition(shop):
    r = checkout.sell(shop.uow, shop.register_id, cart("POSTER"))
    checkout.mark_fulfilled(shop.uow, r.order_id)
    assert checkout.get_order(shop.uow, r.order_id).status == "fulfilled"
    with pytest.raises(InvalidTransitionError, match="fulfilled to cancelled"):
        payments.cancel_order(shop.uow, r.order_id)


def test_tax_exclusive_and_inclusive(shop):
    parsed = ParsedCatalog(
        "native",
        [
            ImportedVariant(2, "nyc", "NYC tote", "TOTE-NYC", 2000, quantity=5, tax_class="8.875"),
            ImportedVariant(3, "eu", "EU tote", "TOTE-EU", 1200, quantity=5, tax_class="20% incl"),
        ],
    )
    catalog.import_catalog(shop.uow, parsed, source="test")
    q = checkout.quote(shop.uow, cart("TOTE-NYC", "TOTE-EU"))
    assert [ln.totals.tax for ln in q.lines] == [178, 200]
    assert q.totals.exclusive_tax == 178 and q.totals.total == 2000 + 178 + 1200


def test_open_price_needs_an_amount(shop):
    parsed = ParsedCatalog("native", [ImportedVariant(2, "pwyw", "Zine", "ZINE", None)])
    catalog.import_catalog(shop.uow, parsed, source="test")
    with pytest.raises(CheckoutError, match="no fixed price"):
        checkout.quote(shop.uow, cart("ZINE"))
    r = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("ZINE", unit_price=700),)))
    assert r.total_cents == 700


def test_no_sale_without_open_event(uow):
    from popup_pos.services import demo

    demo.seed(uow)
    events.open_event(uow, "Short night")
    reg = events.join_register(uow, "A")
    closing.close_event(uow, 0)
    with pytest.raises(CheckoutError, match="no event is open"):
        checkout.sell(uow, reg.id, cart("POSTER"))


def test_pending_payment_settles_later(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("PRINT-LTD"))
    pid = checkout.begin_payment(
        shop.uow, r.order_id, "stripe_qr", 4500, idempotency_key="k-1", request={"a": 1}
    )
    # The cancel must stop the QR at Stripe first: with no key it refuses, changing nothing.
    with pytest.raises(payments.StripeNotSetUpError, match="no Stripe key"):
        payments.cancel_order(shop.uow, r.order_id)
    assert checkout.get_order(shop.uow, r.order_id).status == "awaiting_payment"
    with pytest.raises(CheckoutError, match="still due"):
        checkout.begin_payment(
            shop.uow, r.order_id, "stripe_qr", 1, idempotency_key="k-2", request={}
        )
    checkout.note_provider_id(shop.uow, pid, "cs_test_1")
    done = checkout.complete_payment(shop.uow, pid, fee_cents=161)
    assert (done.status, done.paid_cents, done.edition_numbers) == (
        "paid",
        4500,
        {"PRINT-LTD": [1]},
    )
    again = checkout.complete_payment(shop.uow, pid)
    assert again.status == "paid" and again.paid_cents == 4500
    pay = checkout.get_order(shop.uow, r.order_id).payments[0]
    assert (pay.provider_id, pay.fee_cents, pay.idempotency_key) == ("cs_test_1", 161, "k-1")


def test_failed_payment_frees_the_order(shop):
    r = checkout.place_order(shop.uow, shop.register_id, cart("POSTER"))
    pid = checkout.begin_payment(
        shop.uow, r.order_id, "stripe_card", 1500, idempotency_key="k-3", request={}
    )
    checkout.end_payment(shop.uow, pid, "failed")
    with pytest.raises(CheckoutError, match="already failed"):
        checkout.complete_payment(shop.uow, pid)
    payments.cancel_order(shop.uow, r.order_id)
    assert checkout.get_order(shop.uow, r.order_id).status == "cancelled"


@pytest.mark.parametrize(
    ("cart", "tender", "message"),
    [
        (Cart((CartLine("POSTER", 100_001),)), TenderSpec("cash"), "quantity 100,001 is over"),
        (Cart((CartLine(None, 1, 10**19),)), TenderSpec("cash"), "price is over the limit"),
        (Cart((CartLine("POSTER"),), note="x" * 501), TenderSpec("cash"), "note is 501"),
        (Cart((CartLine("POS\x00TER"),)), TenderSpec("cash"), "control character"),
        (Cart((CartLine("POSTER"),)), TenderSpec("cash", tendered=10**19), "handed over is over"),
        (Cart((CartLine("POSTER"),)), TenderSpec("wallet", reference="r" * 201), "reference is"),
    ],
)
def test_a_sale_beyond_the_limits_is_refused_whole(shop, cart, tender, message):
    with pytest.raises(PosError, match=message):
        checkout.sell(shop.uow, shop.register_id, cart, (tender,))
    assert shop.on_hand("POSTER") == 40
    with pytest.raises(PosError, match="no order"):
        checkout.get_order(shop.uow, "A-0001")
    with pytest.raises(PosError, match="no order"):
        checkout.get_order(shop.uow, 10**20)


def test_refund_amount_names_what_refund_gives_back(shop):
    cart = Cart((CartLine("TEE-M", 3), CartLine("POSTER")), discount=Discount.amount(100))
    sold = checkout.sell(shop.uow, shop.register_id, cart)
    order = checkout.get_order(shop.uow, sold.order_id)
    tee = next(ln for ln in order.lines if ln.sku == "TEE-M")
    assert checkout.refund_amount(order) == sold.paid_cents
    expected = checkout.refund_amount(order, {tee.id: 2})
    done = payments.refund_to_tenders(shop.uow, sold.order_id, lines={tee.id: 2}).result
    assert done.amount_cents == expected
    after = checkout.get_order(shop.uow, sold.order_id)
    assert checkout.refund_amount(after) == sold.paid_cents - expected
    assert (
        checkout.refund_amount(after, {tee.id: 1})
        == payments.refund_to_tenders(
            shop.uow, sold.order_id, lines={tee.id: 1}
        ).result.amount_cents
    )


# ---- one door per act --------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# The local halves of cancel and refund, and the only function that may call each: the
# public door in payments, which also stops or refunds the Stripe part.
DOORS = {"_cancel_order": "cancel_order", "_refund": "refund_to_tenders"}


def _uses_of_the_local_halves(root: Path) -> list[tuple[str, str | None, str]]:
    """(file, enclosing top-level function, name) of every use outside the checkout package."""
    found = []
    for path in sorted(
        p for d in ("popup_pos", "tests", "benchmarks") for p in (root / d).rglob("*.py")
    ):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("popup_pos/services/checkout/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for top in tree.body:
            where = top.name if isinstance(top, ast.FunctionDef) else None
            for node in ast.walk(top):
                if isinstance(node, ast.ImportFrom):
                    names = [a.name for a in node.names if a.name in DOORS]
                elif isinstance(node, ast.Attribute) and node.attr in DOORS:
                    # A method of the same name on an object (a dialog's `self._refund`)
                    # is another thing.
                    is_self = isinstance(node.value, ast.Name) and node.value.id == "self"
                    names = [] if is_self else [node.attr]
                else:
                    names = []
                found += [(rel, where, name) for name in names]
    return found


def test_cancel_and_refund_each_have_one_door_that_reaches_stripe():
    assert not hasattr(checkout, "cancel_order") and not hasattr(checkout, "refund")
    # The package's surface does not hand out the local halves either.
    assert not any(hasattr(checkout, name) for name in DOORS)
    uses = _uses_of_the_local_halves(ROOT)
    assert sorted(uses) == sorted(
        ("popup_pos/services/payments/refunds.py", door, name) for name, door in DOORS.items()
    )
    assert all(callable(getattr(payments, door)) for door in DOORS.values())


def test_the_door_check_sees_a_use_outside_checkout(tmp_path):
    (tmp_path / "popup_pos").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "popup_pos" / "x.py").write_text(
        "from popup_pos.services import checkout\n"
        "from popup_pos.services.checkout import _cancel_order\n\n"
        "def f(self):\n    self._refund()\n    return checkout._refund\n"
    )
    assert _uses_of_the_local_halves(tmp_path) == [
        ("popup_pos/x.py", None, "_cancel_order"),
        ("popup_pos/x.py", "f", "_refund"),
    ]
