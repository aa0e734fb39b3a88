"""Stock counts and corrections keep on-hand and the ledger in step, never below zero."""

import pytest

from popup_pos.domain.limits import LimitError
from popup_pos.services import inventory
from popup_pos.services.inventory import NotEnoughStockError, StockError


def test_count_in_adjust_comp_count_out(shop):
    start = shop.on_hand("POSTER")
    assert inventory.count_in(shop.uow, "POSTER", 10).on_hand == start + 10
    assert inventory.adjust(shop.uow, "POSTER", -3, "water damage").on_hand == start + 7
    assert inventory.comp(shop.uow, "POSTER", 2, "support act").on_hand == start + 5
    r = inventory.count_out(shop.uow, "POSTER", start + 1)
    assert (r.on_hand, r.delta) == (start + 1, -4)
    assert inventory.count_out(shop.uow, "POSTER", start + 1).delta == 0
    assert inventory.ledger_sum(shop.uow, "POSTER") == start + 1


def test_never_negative(shop):
    have = shop.on_hand("LP-NIGHTS")
    with pytest.raises(NotEnoughStockError, match=f"only {have} left"):
        inventory.adjust(shop.uow, "LP-NIGHTS", -(have + 1), "miscount")
    assert shop.on_hand("LP-NIGHTS") == have


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda u: inventory.count_in(u, "POSTER", 0), "more than zero"),
        (lambda u: inventory.adjust(u, "POSTER", 2, "  "), "needs a reason"),
        (lambda u: inventory.adjust(u, "POSTER", 0, "x"), "must not be zero"),
        (lambda u: inventory.comp(u, "POSTER", 1, ""), "who the comp"),
        (lambda u: inventory.count_in(u, "NOPE", 1), "no variant with SKU 'NOPE'"),
        (lambda u: inventory.count_out(u, "POSTER", -1), "cannot be negative"),
    ],
)
def test_bad_input_is_explained(shop, call, message):
    with pytest.raises(StockError, match=message):
        call(shop.uow)


def test_counting_in_starts_tracking(shop):
    from popup_pos.services import catalog

    v = catalog.find_by_code(shop.uow, "MEET-GREET")
    assert v is not None and v.available is None
    inventory.count_in(shop.uow, "MEET-GREET", 5)
    v = catalog.find_by_code(shop.uow, "MEET-GREET")
    assert v is not None and v.available == 5


def test_digital_stock_moves_only_with_its_code_pool(shop):
    before = shop.on_hand("DL-CARD")
    for change in (
        lambda: inventory.count_in(shop.uow, "DL-CARD", 5),
        lambda: inventory.adjust(shop.uow, "DL-CARD", -1, "lost"),
        lambda: inventory.count_out(shop.uow, "DL-CARD", 0),
    ):
        with pytest.raises(StockError, match=r"DL-CARD is digital: .* popup-pos codes import"):
            change()
    assert shop.on_hand("DL-CARD") == before


def test_a_limited_edition_cannot_grow_past_its_size(shop):
    from popup_pos.services import checkout
    from popup_pos.services.checkout import Cart, CartLine

    # The demo print is an edition of 50 with all 50 on hand.
    with pytest.raises(StockError, match="only 0 more can exist"):
        inventory.count_in(shop.uow, "PRINT-LTD", 1)
    inventory.adjust(shop.uow, "PRINT-LTD", -2, "two damaged in the van")
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("PRINT-LTD"),)))
    held = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("PRINT-LTD"),)))
    # 48 on hand became 46 + 1 numbered + 1 held: the two damaged ones may come back.
    with pytest.raises(StockError, match="only 2 more can exist, not 3"):
        inventory.count_in(shop.uow, "PRINT-LTD", 3)
    assert inventory.count_in(shop.uow, "PRINT-LTD", 2).on_hand == 48
    assert sold.edition_numbers == {"PRINT-LTD": [1]} and held.status == "awaiting_payment"


def test_quantities_and_reasons_have_limits(shop):
    with pytest.raises(LimitError, match="count-in quantity 100,001 is over the limit of 100,000"):
        inventory.count_in(shop.uow, "POSTER", 100_001)
    with pytest.raises(LimitError, match="the reason is 201 characters long: the most is 200"):
        inventory.adjust(shop.uow, "POSTER", -1, "r" * 201)
    with pytest.raises(LimitError, match=r"control character \(U\+0000\)"):
        inventory.comp(shop.uow, "POSTER", 1, "band\x00")
    with pytest.raises(LimitError, match="the count of POSTER 2,000,000 is over"):
        inventory.count_out(shop.uow, "POSTER", 2_000_000)
    assert shop.on_hand("POSTER") == 40
    assert inventory.ledger_sum(shop.uow, "POSTER") == 40
