"""Customer handles through the unit of work: the event's salt set once, counts, locks."""

from popup_pos.store import customers as customers_store
from popup_pos.store import stock as stock_store


def test_the_customer_salt_is_set_once(shop):
    with shop.uow:
        assert customers_store.salt(shop.uow, shop.event.id) is None
        first = customers_store.set_salt(shop.uow, shop.event.id, "one")
        again = customers_store.set_salt(shop.uow, shop.event.id, "two")
        assert (first, again) == ("one", "one")
        v = stock_store.lock_by_sku(shop.uow, "POSTER")
        assert v is not None
        customers_store.lock_variants(shop.uow, [v.id])
        assert customers_store.bought(shop.uow, shop.event.id, "nobody", [v.id]) == {}
        assert customers_store.bought(shop.uow, shop.event.id, "nobody", []) == {}
