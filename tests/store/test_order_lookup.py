"""The order-lookup store: an empty match finds nothing, tenders are listed once each."""

from __future__ import annotations

from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.store import order_lookup
from popup_pos.store.order_lookup import OrderMatch


def test_search_lists_each_tender_once_in_the_order_taken(shop):
    split = checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("TEE-M"),)),
        (TenderSpec("cash", amount=500), TenderSpec("wallet", reference="@ana")),
    )
    with shop.uow:
        (row,) = order_lookup.search(
            shop.uow, OrderMatch(number=split.number), event_id=None, limit=10
        )
        assert row.tenders == ("cash", "wallet")
        assert order_lookup.search(shop.uow, OrderMatch(), event_id=None, limit=10) == []
        assert order_lookup.head(shop.uow, 999_999) is None
        assert order_lookup.order_id_of(shop.uow, split.number.lower()) == split.order_id


def test_a_sku_with_like_wildcards_matches_only_itself(shop):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    with shop.uow:
        assert order_lookup.search(shop.uow, OrderMatch(number="%"), event_id=None, limit=5) == []
        assert order_lookup.search(shop.uow, OrderMatch(sku="TEE-%"), event_id=None, limit=5) == []
