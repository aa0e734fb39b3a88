"""The in-memory cart: merging, limits, sold-out refusals, totals, hand-off to checkout."""

import pytest

from popup_pos.domain.pricing import Discount, TaxClass
from popup_pos.services import catalog, checkout
from popup_pos.services.cart import CartError, CartSession, next_round_amounts


@pytest.fixture
def views(shop):
    return {v.sku: v for v in catalog.snapshot(shop.uow)}


def test_snapshot_matches_the_orm_view(shop, views):
    slow = {v.sku: v for v in catalog.list_variants(shop.uow)}
    assert set(views) == set(slow)
    for sku, v in views.items():
        assert (v.available, v.price_cents, v.label, v.is_bundle) == (
            slow[sku].available,
            slow[sku].price_cents,
            slow[sku].label,
            slow[sku].is_bundle,
        )


def test_scan_twice_merges(views):
    cart = CartSession("USD")
    cart.add(views["TEE-M"])
    cart.add(views["TEE-M"])
    assert len(cart.lines) == 1 and cart.count == 2
    assert cart.totals().total == 6000


def test_limits_and_sold_out(views):
    cart = CartSession("USD")
    cart.add(views["PRINT-LTD"], quantity=2)
    with pytest.raises(CartError, match="limit 2 per order"):
        cart.add(views["PRINT-LTD"])
    sold_out = views["TEE-XL"].__class__(**{**_fields(views["TEE-XL"]), "available": 0})
    with pytest.raises(CartError, match="sold out"):
        cart.add(sold_out)


def _fields(view):
    return {f: getattr(view, f) for f in view.__dataclass_fields__}


def test_quantity_and_removal(views):
    cart = CartSession("USD")
    cart.add(views["POSTER"])
    cart.set_quantity(0, 3)
    assert cart.count == 3
    cart.set_quantity(0, 0)
    assert cart.empty


def test_discounts_custom_lines_and_default_tax(views):
    cart = CartSession("USD", default_tax=TaxClass("Sales tax", 88_750, False))
    cart.add(views["TEE-M"])
    cart.add_custom(500, "Donation")
    cart.set_line_discount(0, Discount.percent(100_000))
    cart.discount = Discount.amount(100)
    t = cart.totals()
    assert t.subtotal == 3500 and t.discount == 400
    assert t.total == 3100 + t.exclusive_tax


def test_cart_sells_as_priced(shop, views):
    cart = CartSession("USD")
    cart.add(views["TEE-M"])
    cart.add(views["PACK-TEE-M-POSTER"])
    result = checkout.sell(shop.uow, shop.register_id, cart.to_cart())
    assert result.total_cents == cart.totals().total


def test_open_price_needs_amount(views):
    from dataclasses import replace

    cart = CartSession("USD")
    with pytest.raises(CartError, match="enter the amount"):
        cart.add(replace(views["POSTER"], price_cents=None))


@pytest.mark.parametrize(
    ("total", "keys"),
    [(1740, [1800, 2000, 5000]), (3000, [3500, 4000, 5000]), (0, [500, 1000, 2000])],
)
def test_next_round_amounts(total, keys):
    assert next_round_amounts(total, 2) == keys
    assert next_round_amounts(1500, 0)[:2] == [1505, 1510]


def test_typed_quantities_and_amounts_meet_the_limits(views):
    cart = CartSession("USD")
    cart.add(views["TEE-M"])
    with pytest.raises(CartError, match="the quantity 100,001 is over the limit of 100,000"):
        cart.set_quantity(0, 100_001)
    with pytest.raises(CartError, match=r"the price is over the limit of \$999,999,999\.99"):
        cart.set_price(0, 10**20)
    with pytest.raises(CartError, match="the custom amount is over the limit"):
        cart.add_custom(10**12)
    with pytest.raises(CartError, match=r"control character \(U\+0000\)"):
        cart.add_custom(500, "tip\x00")
    assert [ln.quantity for ln in cart.lines] == [1] and cart.totals().total == 3000
