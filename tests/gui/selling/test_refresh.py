"""One router for what changed: each action re-reads only its parts of the screen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from popup_pos.services import checkout, selling_view
from popup_pos.services.changes import Changes
from popup_pos.services.checkout import Cart, CartLine, TenderSpec

FROM_ORDERS = re.compile(r"\bFROM orders\b", re.I)


@pytest.fixture
def asked(window, monkeypatch) -> list[Changes]:
    """What each direct read of the screen was asked for, from now on."""
    seen: list[Changes] = []
    original = selling_view.read

    def read(uow, wanted=selling_view.EVERYTHING):
        if uow is window.screen_reader():
            seen.append(wanted)
        return original(uow, wanted)

    monkeypatch.setattr(selling_view, "read", read)
    return seen


def test_parking_re_reads_only_the_queue(window, asked):
    window.on_scan("POSTER")
    window.park()
    (wanted,) = asked
    assert wanted.queue and not wanted.stock and not wanted.tickets and not wanted.setup
    assert window.orders.lists["parked"].count() == 1


def test_a_cash_sale_re_reads_its_variants_stock_and_the_queue(window, asked, shop):
    poster = window.by_code["POSTER"]
    before = poster.available
    window.on_scan("POSTER")
    window.pay_cash(1500)
    (wanted,) = asked
    pack = window.by_code["PACK-TEE-M-POSTER"]
    tee = window.by_code["TEE-M"]
    # The poster, the pack made of it, and the pack's other part.
    assert wanted.stock == frozenset({poster.id, pack.id, tee.id})
    assert wanted.queue and not wanted.setup
    assert window.by_id[poster.id].available == (before or 0) - 1


def test_nothing_changed_reads_nothing(window, asked):
    window.changed(Changes())
    assert asked == []


def test_a_full_refresh_is_everything(window, asked):
    window.refresh()
    assert asked == [Changes.everything()]


def test_a_scanned_order_number_reads_the_order_once(window, shop):
    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    window.refresh()
    reads: list[str] = []

    def note(conn, cursor, statement, *args):
        if FROM_ORDERS.search(statement):
            reads.append(statement)

    event.listen(shop.uow.engine, "before_cursor_execute", note)
    window.on_scan(placed.number)
    event.remove(shop.uow.engine, "before_cursor_execute", note)
    assert window.orders.selected == (placed.order_id, "awaiting_payment")
    assert window.order_id == placed.order_id
    assert len(reads) == 1


def test_a_handed_over_order_leaves_the_queue(window, shop, asked):
    paid = checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)), [TenderSpec("cash", 3000)]
    )
    window.refresh()
    assert window.orders.select_order(paid.order_id, "paid")
    asked.clear()
    window.handed_over()
    assert asked == [Changes(queue=True, order=paid.order_id)]
    assert window.orders.lists["paid"].count() == 0
    assert checkout.get_order(shop.uow, paid.order_id).status == "fulfilled"


def test_a_refused_hand_over_says_why_and_re_reads_nothing(window, shop, asked):
    parked = checkout.park(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    window.refresh()
    assert window.orders.select_order(parked.order_id, "parked")
    asked.clear()
    window.handed_over()
    assert asked == []
    assert window.panel.notice.text()


def _shown(window, sku: str) -> int | None:
    return window.by_code[sku].available


def test_a_sale_of_a_part_moves_the_bundles_made_of_it(window, shop):
    tee, poster = shop.on_hand("TEE-M"), shop.on_hand("POSTER")
    window.on_scan("POSTER")
    window.cart.set_quantity(0, poster - tee + 1 if poster >= tee else 1)
    sold = window.cart.lines[0].quantity
    window.pay_cash(1500 * sold)
    assert _shown(window, "POSTER") == shop.on_hand("POSTER") == poster - sold
    assert _shown(window, "PACK-TEE-M-POSTER") == min(tee, poster - sold)
    assert window.model.badge(window.by_code["PACK-TEE-M-POSTER"])


def test_a_bundle_sale_moves_its_parts(window, shop):
    tee, poster = shop.on_hand("TEE-M"), shop.on_hand("POSTER")
    window.on_scan("PACK-TEE-M-POSTER")
    total = window.cart.totals().total
    window.pay_cash(total)
    assert (_shown(window, "TEE-M"), _shown(window, "POSTER")) == (tee - 1, poster - 1)
    assert _shown(window, "PACK-TEE-M-POSTER") == min(tee, poster) - 1
