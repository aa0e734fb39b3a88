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


# ---- the organizer's limits and per-person drops ------------------------------------


def _approval(uow, pin="482913"):
    from popup_pos.services import staff

    return staff.approve(uow, pin, "test", actor="Alex")


def test_a_helper_needs_the_organizer_for_discounts_prices_and_big_amounts(shop, views):
    from popup_pos.services import staff
    from popup_pos.services.cart import OrganizerNeededError

    staff.set_organizer(shop.uow, "Sam", "482913")
    cart = CartSession("USD", role="helper")
    cart.add(views["TEE-M"])
    with pytest.raises(OrganizerNeededError, match="helper's discount needs the organizer") as e:
        cart.set_line_discount(0, Discount.percent(1_000_000))
    assert e.value.what == "discount 100% on " + cart.lines[0].title
    assert cart.lines[0].discount is None  # nothing half-done
    cart.set_line_discount(0, Discount.percent(1_000_000), approval=_approval(shop.uow))
    assert cart.lines[0].approved_by == "Sam" and cart.totals().total == 0
    with pytest.raises(OrganizerNeededError, match="price change"):
        cart.set_price(0, 1)
    with pytest.raises(OrganizerNeededError, match="custom amount above the cap"):
        cart.add_custom(500_00)
    assert len(cart.lines) == 1
    cart.add_custom(100_00, "donation")  # at the cap: fine
    with pytest.raises(OrganizerNeededError, match="helper's discount"):
        cart.set_order_discount(Discount.amount(1))
    assert cart.discount is None
    cart.set_order_discount(Discount.amount(1), approval=_approval(shop.uow))
    assert cart.approved_by == "Sam"


def test_a_seller_within_the_limit_needs_nobody(views):
    from popup_pos.services.permissions import Limits

    cart = CartSession("USD", role="seller", limits=Limits(seller_discount_percent=10))
    cart.add(views["TEE-M"], quantity=2)  # 2 × $30
    cart.set_line_discount(0, Discount.amount(600))  # 10 %
    cart.set_order_discount(Discount.percent(100_000))
    with pytest.raises(CartError, match="above 10 %"):
        cart.set_line_discount(0, Discount.amount(601))
    assert cart.lines[0].discount == Discount.amount(600)


def test_per_person_limit_refused_when_added_for_a_known_customer(shop, views):
    from popup_pos.services.cart import load_bought

    lp = views["LP-TEST"]
    sold = CartSession("USD")
    sold.set_customer("@fan")
    sold.add(lp)
    checkout.sell(shop.uow, shop.register_id, sold.to_cart())
    cart = CartSession("USD")
    cart.set_customer(" @FAN ")
    load_bought(shop.uow, cart, [lp])
    with pytest.raises(CartError, match="limit 1 per person; this customer already has 1"):
        cart.add(lp)
    assert cart.empty
    # Someone else may.
    cart.set_customer("other@example.com")
    load_bought(shop.uow, cart, [lp])
    cart.add(lp)


def test_naming_the_customer_after_adding_checks_the_lines(shop, views):
    from popup_pos.services.cart import load_bought

    lp = views["LP-TEST"]
    sold = CartSession("USD")
    sold.set_customer("@fan")
    sold.add(lp)
    checkout.sell(shop.uow, shop.register_id, sold.to_cart())
    cart = CartSession("USD")
    cart.add(lp)
    cart.set_customer("@fan")
    load_bought(shop.uow, cart, [line.view for line in cart.lines if line.view])
    with pytest.raises(CartError, match="already has 1"):
        cart.check_per_person()


def test_no_event_or_no_sale_yet_means_nothing_bought(uow):
    assert checkout.customer_holds(uow, "@fan", None, [1]) == {}


def test_an_added_price_is_checked_like_a_price_change_or_custom_amount(views):
    from popup_pos.services.cart import OrganizerNeededError

    cart = CartSession("USD", role="seller")
    with pytest.raises(OrganizerNeededError, match="price change"):
        cart.add(views["TEE-M"], unit_price=1)
    cart.add(views["TEE-M"], unit_price=views["TEE-M"].price_cents)  # its own price: fine
    open_price = views["POSTER"].__class__(**{**_fields(views["POSTER"]), "price_cents": None})
    cart.add(open_price, unit_price=50_00)
    with pytest.raises(OrganizerNeededError, match="above the cap"):
        cart.add(open_price, unit_price=500_00)
    assert cart.count == 2
