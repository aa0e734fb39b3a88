"""Stock counts and corrections keep on-hand and the ledger in step, never below zero."""

import pytest

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

    v = catalog.find_by_code(shop.uow, "DL-CARD")
    assert v is not None and v.available is None
    inventory.count_in(shop.uow, "DL-CARD", 5)
    v = catalog.find_by_code(shop.uow, "DL-CARD")
    assert v is not None and v.available == 5
