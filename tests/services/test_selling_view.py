"""The selling screen's read model: the parts asked for, in one read-only transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from popup_pos.services import (
    catalog,
    checkout,
    event_terms,
    payments,
    permissions,
    queue,
    selling_view,
    settings,
    tickets,
)
from popup_pos.services.changes import Changes
from popup_pos.services.checkout import Cart, CartLine, TenderSpec
from popup_pos.services.events import EventError
from popup_pos.store.uow import UnitOfWork


def _begins(uow: UnitOfWork) -> list[object]:
    """Every transaction the engine begins from now on."""
    seen: list[object] = []
    event.listen(uow.engine, "begin", seen.append)
    return seen


def test_everything_matches_what_each_service_reads(shop):
    checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    settings.put(shop.uow, "wallets", {"venmo": "merchtable"})
    view = selling_view.read(shop.uow)
    assert view.levels == catalog.stock_levels(shop.uow) and not view.some_levels
    assert view.orders == queue.orders_for_queue(shop.uow)
    assert len(view.orders["awaiting_payment"]) == 1
    state = tickets.state(shop.uow)
    assert view.ticket_queue is not None
    assert (view.ticket_queue.tickets, view.ticket_queue.waiting, view.ticket_queue.places) == (
        state.tickets,
        state.waiting,
        state.places,
    )
    assert view.setup is not None
    assert view.setup.wallets is bool(payments.wallet_handles(shop.uow))
    assert view.setup.tips == event_terms.tip_presets(shop.uow)
    assert view.setup.limits == permissions.get_limits(shop.uow)
    assert view.setup.catalog_version == catalog.version(shop.uow)
    assert view.setup.stripe == payments.stripe_status(shop.uow)


def test_the_parts_asked_for_are_read_in_one_transaction(shop):
    begins = _begins(shop.uow)
    view = selling_view.read(shop.uow, Changes(stock=frozenset({1}), queue=True, tickets=True))
    assert len(begins) == 1
    assert view.levels is not None and view.orders is not None and view.ticket_queue is not None
    assert view.setup is None


def test_a_queue_change_reads_only_the_queue(shop):
    checkout.park(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    view = selling_view.read(shop.uow, Changes(queue=True))
    assert view.levels is None and view.ticket_queue is None and view.setup is None
    assert view.orders is not None and len(view.orders["parked"]) == 1


def test_stock_after_a_sale(shop):
    before = selling_view.read(shop.uow, Changes(stock=True)).levels
    assert before is not None
    tee = catalog.find_by_code(shop.uow, "TEE-M")
    assert tee is not None
    checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)), [TenderSpec("cash", 3000)]
    )
    view = selling_view.read(shop.uow, Changes(stock=frozenset({tee.id})))
    assert view.levels == {tee.id: (before[tee.id] or 0) - 1} and view.some_levels
    assert selling_view.read(shop.uow, Changes(stock=frozenset())).levels is None


def test_tips_turned_off_and_limits_set_show_up(shop):
    event_terms.set_terms(shop.uow, default_tax=None, tip_presets_ppm=None, tips_enabled=False)
    limits = permissions.Limits(helper_discount_percent=5)
    permissions.put_limits(shop.uow, limits)
    setup = selling_view.read(shop.uow, Changes(setup=True)).setup
    assert setup is not None
    assert setup.tips == ()
    assert setup.limits.helper_discount_percent == 5
    assert setup.wallets is False


def test_nothing_asked_reads_nothing(shop):
    begins = _begins(shop.uow)
    view = selling_view.read(shop.uow, Changes())
    assert (view.levels, view.orders, view.ticket_queue, view.setup) == (None, None, None, None)
    assert len(begins) <= 1  # an empty `with uow` opens no connection


def test_tickets_without_an_open_event_say_so(uow):
    with pytest.raises(EventError, match="no event is open"):
        selling_view.read(uow, Changes(tickets=True))
