"""The selling screen, driven as a seller would: scans, taps, keys, the queues."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.scanner import ScanDetector
from popup_pos.gui.selling import safety
from popup_pos.services import catalog, checkout, inventory, staff
from popup_pos.services.events import current_event
from tests.gui.conftest import QuietSounds, open_register


@pytest.fixture
def window(qtbot, shop, organizer):
    return open_register(qtbot, shop, organizer)


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(window.tiles, key, modifier)


def test_scan_then_cash_exact_is_a_two_key_sale(qtbot, window, shop):
    before = shop.on_hand("TEE-M")
    window.on_scan("TEE-M")
    assert window.cart.count == 1 and window.sounds.played == ["beep"]
    press(qtbot, window, Qt.Key.Key_F5)
    # Paid at the table: handed over as it is paid, nothing left in *Paid — hand over*.
    orders = checkout.orders_by_status(shop.uow, "fulfilled")
    assert len(orders) == 1 and orders[0][3] == 3000
    assert checkout.orders_by_status(shop.uow, "paid") == []
    assert shop.on_hand("TEE-M") == before - 1
    assert window.cart.empty and "paid $30.00 cash" in window.panel.notice.text()


def test_scanner_burst_adds_and_typing_does_not(qtbot, window, qapp):
    detector = ScanDetector()
    seen: list[str] = []
    detector.scanned.connect(seen.append)
    detector.scanned.connect(window.on_scan)
    qapp.installEventFilter(detector)
    try:
        window.search.setFocus()
        # An idle register: the window's first layout and paint are done.
        qtbot.wait(100)
        QTest.keyClicks(window.search, "POSTER\r", delay=2)
        qtbot.waitUntil(lambda: window.cart.count >= 1, timeout=2000)
        assert seen == ["POSTER"] and window.cart.count == 1
        assert window.search.text() == ""
        QTest.keyClicks(window.search, "tee", delay=90)
        qtbot.waitUntil(lambda: window.search.text() == "tee", timeout=2000)
        assert window.cart.count == 1
    finally:
        qapp.removeEventFilter(detector)


def test_unknown_code_buzzes_and_says_which(window):
    window.on_scan("NOPE-123")
    assert window.sounds.played == ["buzz"]
    assert window.panel.notice.text() == "Unknown code: NOPE-123"
    assert window.cart.empty


def test_round_cash_key_shows_change(qtbot, window):
    window.on_scan("POSTER")  # 15.00
    assert window.panel.round_keys[0].text().startswith("$20.00")
    press(qtbot, window, Qt.Key.Key_F6)
    assert window.panel.change.isVisible() or window.panel.change.text() == "Change $5.00"
    assert window.panel.change.text() == "Change $5.00"


def test_sold_out_tile_refuses_in_one_line(qtbot, window, shop):
    inventory.adjust(shop.uow, "TEE-XL", -shop.on_hand("TEE-XL"), "recount")
    window.refresh()
    view = window.by_code["TEE-XL"]
    assert view.sold_out
    assert not window.add_variant(view)
    assert window.cart.empty
    assert "sold out" in window.panel.notice.text()
    assert window.panel.notice.property("level") == "error"


def test_limit_per_order_explained(window):
    for _ in range(2):
        window.on_scan("PRINT-LTD")
    window.on_scan("PRINT-LTD")
    assert window.cart.count == 2
    assert "limit 2 per order" in window.panel.notice.text()


def test_quantity_keys_and_remove(qtbot, window):
    window.on_scan("LP-NIGHTS")
    press(qtbot, window, Qt.Key.Key_Plus)
    assert window.cart.count == 2
    press(qtbot, window, Qt.Key.Key_Minus)
    assert window.cart.count == 1
    press(qtbot, window, Qt.Key.Key_Delete)
    assert window.cart.empty


@pytest.fixture
def venmo(shop):
    from popup_pos.services import settings

    settings.put(shop.uow, "wallets", {"venmo": "@the-band"})


def test_wallet_needs_a_handle(window):
    window.on_scan("POSTER")
    window.charge_wallet()
    assert "set up a Venmo, Cash App or PayPal handle" in window.panel.notice.text()
    assert window.cart.count == 1


def test_wallet_order_waits_then_cancel_releases_stock(qtbot, window, shop, venmo, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(safety, "confirm", lambda _w, _t, text, _y, *_: asked.append(text) or True)
    before = shop.on_hand("LP-NIGHTS")
    window.toggle_customer_display()
    qtbot.addWidget(window.customer)
    window.on_scan("LP-NIGHTS")
    window.charge_wallet()
    assert window.customer.page == "pay"
    assert "venmo.com" in (window.customer.shown_payload or "")
    assert window.cart.empty
    assert shop.on_hand("LP-NIGHTS") == before - 1
    waiting = window.orders.lists["awaiting_payment"]
    assert waiting.count() == 1
    window.orders._pick(waiting.item(0), "awaiting_payment")
    assert window.order_id is not None
    window.cancel_order()
    assert asked and asked[0].startswith("Cancel A-0001 ($") and "stock goes back" in asked[0]
    qtbot.waitUntil(lambda: window.orders.lists["awaiting_payment"].count() == 0, timeout=5000)
    assert shop.on_hand("LP-NIGHTS") == before


def test_wallet_confirmed_by_hand(qtbot, window, shop, monkeypatch, venmo):
    window.on_scan("POSTER")
    window.charge_wallet()
    waiting = window.orders.lists["awaiting_payment"]
    window.orders._pick(waiting.item(0), "awaiting_payment")
    from popup_pos.gui.dialogs.payment_qr import WalletConfirm

    def later(dialog):
        # "Arrived — they collect later": the order waits in *Paid — hand over*.
        dialog.reference.setText("@sam")
        dialog.later_key.click()
        return dialog.result()

    monkeypatch.setattr(WalletConfirm, "exec", later)
    window.confirm_wallet()
    paid = window.orders.lists["paid"]
    assert paid.count() == 1
    window.orders._pick(paid.item(0), "paid")
    window.handed_over()
    assert checkout.orders_by_status(shop.uow, "fulfilled")


def test_park_and_resume(qtbot, window, shop):
    window.on_scan("TEE-M")
    window.on_scan("POSTER")
    press(qtbot, window, Qt.Key.Key_F12)
    assert window.cart.empty
    parked = window.orders.lists["parked"]
    assert parked.count() == 1
    window.orders._pick(parked.item(0), "parked")
    window.resume_order()
    assert [ln.sku for ln in window.cart.lines] == ["TEE-M", "POSTER"]
    press(qtbot, window, Qt.Key.Key_F5)
    assert window.orders.lists["parked"].count() == 0
    assert len(checkout.orders_by_status(shop.uow, "fulfilled")) == 1


def test_refund_needs_the_organizer(qtbot, shop, organizer):
    staff.add_staff(shop.uow, "Helper Hal", "helper", "1357", event_id=shop.event.id)
    helper = next(s for s in staff.list_staff(shop.uow) if s.role == "helper")
    asked: list[str] = []

    def no_pin(reason):
        asked.append(reason)
        return None

    w = MainWindow(
        shop.uow,
        current_event(shop.uow),
        shop.register,
        helper,
        sounds=QuietSounds(),
        ask_pin=no_pin,
    )
    qtbot.addWidget(w)
    w.on_scan("POSTER")
    w.pay_cash(None)
    # Handed over at the table: its receipt scanned brings it back for a refund.
    [(_id, number, _s, _t)] = checkout.orders_by_status(shop.uow, "fulfilled")
    w.open_order_by_number(number)
    assert w.order_id == _id and "was handed over" in w.panel.notice.text()
    w.refund()
    assert asked and "organizer" in asked[0]
    assert "Only the organizer can refund" in w.panel.notice.text()
    assert not checkout.orders_by_status(shop.uow, "refunded")


def test_customer_display_mirrors_the_cart(qtbot, window):
    window.toggle_customer_display()
    qtbot.addWidget(window.customer)
    window.on_scan("TEE-M")
    window.on_scan("TEE-M")
    assert window.customer.line_texts == [("2 × Tour tee 2026 — M", "$60.00")]
    assert window.customer.total.text() == "Total $60.00"
    window.pay_cash(None)
    assert window.customer.page == "thanks"


def test_other_registers_sales_show_on_refresh(qtbot, window, shop):
    from popup_pos.services import events
    from popup_pos.services.checkout import Cart, CartLine

    b = events.join_register(shop.uow, "B")
    before = window.by_code["LP-NIGHTS"].available
    checkout.sell(shop.uow, b.id, Cart((CartLine("LP-NIGHTS"),)))
    window.refresh()
    assert window.by_code["LP-NIGHTS"].available == before - 1


def test_help_lists_every_action(window):
    from popup_pos.gui.help import HelpOverlay

    overlay = HelpOverlay(window.shortcuts, window)
    keys = {overlay.table.item(r, 0).text() for r in range(overlay.table.rowCount())}
    assert {"F1", "F5", "F12", "Ctrl+L"} <= keys
    assert len(window.shortcuts) == len(window.actions())


def test_search_filters_tiles(window):
    window.search.setText("poster")
    labels = [window.model.variant_at(i).sku for i in range(window.model.rowCount())]
    assert labels == ["PACK-TEE-M-POSTER", "POSTER"] or set(labels) == {
        "POSTER",
        "PACK-TEE-M-POSTER",
    }
    window.search.setText("0860001000066")
    assert window.model.rowCount() == 1
    window._search_enter()
    assert window.cart.lines[0].sku == "LP-NIGHTS"
    assert catalog.find_by_code(window.uow, "LP-NIGHTS") is not None


def test_split_tender_cash_then_the_rest(qtbot, window, shop, monkeypatch):
    window.on_scan("TEE-M")  # 30.00
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("10", True))
    window.part_cash()
    assert window.order_id is not None
    assert "$20.00 still due" in window.panel.notice.text()
    window.pay_cash(None)
    order = checkout.orders_by_status(shop.uow, "fulfilled")
    assert len(order) == 1 and order[0][3] == 3000
    assert "paid $10.00 cash + $20.00 cash" in window.panel.notice.text()


def test_expired_hold_gives_stock_back(qtbot, window, shop):
    from datetime import timedelta

    from popup_pos.store.models import utcnow

    before = shop.on_hand("POSTER")
    window.on_scan("POSTER")
    # Placed an hour ago: its 15-minute hold has run out.
    placed = checkout.place_order(
        shop.uow, shop.register_id, window.cart.to_cart(), now=utcnow() - timedelta(hours=1)
    )
    assert shop.on_hand("POSTER") == before - 1
    window.release_holds()
    qtbot.waitUntil(lambda: placed.number in window.panel.notice.text(), timeout=5000)
    assert checkout.get_order(shop.uow, placed.order_id).status == "cancelled"
    assert shop.on_hand("POSTER") == before


def test_about_shows_the_version(qtbot, window):
    from PySide6.QtWidgets import QLabel

    from popup_pos import __version__

    def shown():
        return any(__version__ in label.text() for label in window.findChildren(QLabel))

    assert not shown()
    window.show_about()
    qtbot.waitUntil(shown, timeout=2000)


def test_a_background_read_older_than_the_registers_own_action_is_not_shown(
    qtbot, window, shop, monkeypatch
):
    from popup_pos.gui.selling import refresh as mw

    qtbot.waitUntil(lambda: not window.loading)
    stale = mw._read_screen(shop.uow)  # read before the sale below
    original = mw._read_screen
    worker_reads: list[object] = []

    def read(uow, wanted=None):
        if uow is window.screen_reader():  # the GUI thread's own, direct read
            return original(uow, wanted)
        worker_reads.append(uow)
        return stale  # as if the worker's read had started before the sale

    monkeypatch.setattr(mw, "_read_screen", read)
    window._refreshing = False
    window.on_scan("POSTER")
    window.park()  # this register's own action, shown at once by a direct read
    window.refresh_in_background()
    window._direct_reads += 1  # ...and the direct read lands while the worker reads
    assert window.orders.lists["parked"].count() == 1
    qtbot.waitUntil(lambda: bool(worker_reads) and not window._refreshing)
    assert window.orders.lists["parked"].count() == 1
