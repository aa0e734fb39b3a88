"""The selling screen's store reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from popup_pos.services import settings
from popup_pos.store import selling_view as store


def test_the_open_event_and_its_terms(shop):
    with shop.uow:
        found = store.open_event(shop.uow)
    assert found is not None and found.id == shop.event.id
    assert isinstance(found.settings, dict)


def test_no_open_event(uow):
    with uow:
        assert store.open_event(uow) is None


def test_settings_by_key_leave_out_what_was_never_stored(shop):
    settings.put(shop.uow, "wallets", {"venmo": "merchtable"})
    with shop.uow:
        got = store.settings(shop.uow, "wallets", "permissions")
    assert got == {"wallets": {"venmo": "merchtable"}}


def test_levels_version_queue_and_tickets_in_one_transaction(shop):
    with shop.uow:
        levels = store.stock_levels(shop.uow)
        version = store.catalog_version(shop.uow)
        rows = store.queue_rows(shop.uow, shop.event.id)
        tickets, rules, taken = store.tickets(shop.uow, shop.event.id)
    assert levels and all(v is None or v >= 0 for v in levels.values())
    some = sorted(levels)[:2]
    with shop.uow:
        assert store.stock_levels_of(shop.uow, some) == {i: levels[i] for i in some}
        assert store.stock_levels_of(shop.uow, []) == {}
    assert version
    assert rows == [] and tickets == [] and taken == []
    assert isinstance(rules, list)
