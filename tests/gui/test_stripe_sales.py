"""Stripe sales through the selling screen, against the fake Stripe on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.refund import RefundDialog
from popup_pos.services import checkout, payments, staff
from popup_pos.services.events import current_event
from popup_pos.services.staff import StaffInfo
from tests.conftest import Shop
from tests.gui.conftest import QuietSounds
from tests.stripe_fake.support import FakeStripe

# The fake Stripe's fixtures (stripe, stripe_server, no_keyring, memory_keyring).
pytest_plugins = ["tests.stripe_fake.fixtures"]
# The offscreen platform says so for every dialog shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")

# Generous: each wait ends as soon as its condition holds; the SDK retries a refused
# connection with back-off, which takes a couple of seconds.
WAIT_MS = 10_000


@pytest.fixture
def organizer(shop: Shop) -> StaffInfo:
    staff.set_organizer(shop.uow, "Ada", "246800")
    return next(s for s in staff.list_staff(shop.uow) if s.role == "organizer")


@pytest.fixture
def window(qtbot, shop: Shop, organizer: StaffInfo, stripe: FakeStripe) -> Iterator[MainWindow]:
    """The selling screen with the fake Stripe set up (STRIPE_API_KEY) and the customer
    display open."""
    event = current_event(shop.uow)
    assert event is not None
    w = MainWindow(shop.uow, event, shop.register, organizer, sounds=QuietSounds())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.toggle_customer_display()
    assert w.customer is not None
    qtbot.addWidget(w.customer)
    # The F-keys are the selling screen's shortcuts: it, not the customer display, has focus.
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT_MS)
    yield w
    # No poll may outlive the test and reach the next test's fake. A closed window is
    # deleted and drops its workers' answers, so wait for the workers themselves.
    w.close()
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)


@pytest.fixture
def reader(shop: Shop, stripe: FakeStripe) -> payments.ReaderInfo:
    return payments.register_reader(shop.uow, "simulated-wpe", "Front table", register_code="A")


def press(window: MainWindow, key: Qt.Key) -> None:
    QTest.keyClick(window.tiles, key)


def count(window: MainWindow, section: str) -> int:
    return int(window.orders.lists[section].count())


def poll_until(qtbot, window: MainWindow, done: Callable[[], bool]) -> None:
    """Poll as the window's 2 s timer does, only sooner: one check in flight at a time."""

    def polled() -> bool:
        window.poll_stripe()
        return done()

    qtbot.waitUntil(polled, timeout=WAIT_MS)


def notice(window: MainWindow) -> str:
    return str(window.panel.notice.text())


def test_qr_sale_waits_then_turns_paid(qtbot, window, shop, stripe):
    window.on_scan("TEE-M")
    press(window, Qt.Key.Key_F10)
    # The register is free at once; the order waits while Stripe makes the QR.
    assert window.cart.empty and count(window, "awaiting_payment") == 1
    qtbot.waitUntil(lambda: "the QR is on the customer screen" in notice(window), timeout=WAIT_MS)
    (session,) = stripe.sessions()
    assert window.customer is not None and window.customer.page == "pay"
    url = window.customer.shown_payload
    assert url == session["url"] and session["id"] in url and session["amount_total"] == 3000

    stripe.pay(session["id"]).raise_for_status()
    poll_until(qtbot, window, lambda: count(window, "paid") == 1)
    assert count(window, "awaiting_payment") == 0
    assert "paid — hand over" in notice(window) and "chime" in window.sounds.played
    assert window.customer.page == "thanks"

    # The QR is also the order's ticket: scanning it pulls the order up.
    window.on_scan(url)
    (order_id, number, *_) = checkout.orders_by_status(shop.uow, "paid")[0]
    assert window.orders.selected == (order_id, "paid")
    assert window.order_id == order_id and "Paid — hand it over" in notice(window)
    window.handed_over()
    assert checkout.get_order(shop.uow, number).status == "fulfilled"


def test_reader_sale_turns_paid_on_the_tap(qtbot, window, shop, stripe, reader):
    window.on_scan("POSTER")
    press(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "tap the card on the reader" in notice(window), timeout=WAIT_MS)
    on_reader = stripe.get(f"/v1/terminal/readers/{reader.stripe_id}")["action"]
    assert on_reader["status"] == "in_progress"
    payments.simulate_tap(reader.stripe_id)
    poll_until(qtbot, window, lambda: count(window, "paid") == 1)
    assert "paid — hand over" in notice(window)
    ((pi, amount),) = [(i["id"], i["amount"]) for i in stripe.intents()]
    (order,) = checkout.orders_by_status(shop.uow, "paid")
    (pay,) = checkout.get_order(shop.uow, order[0]).payments
    assert (pay.tender, pay.provider_id, amount) == ("stripe_card", pi, 1500)


def test_split_cash_and_card_then_refund_the_card_part(
    qtbot, window, shop, stripe, reader, monkeypatch
):
    window.on_scan("TEE-M")  # 30.00
    window.on_scan("POSTER")  # 15.00
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("20", True))
    window.part_cash()
    assert window.order_id is not None and "$25.00 still due" in notice(window)
    order_id = window.order_id
    press(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "tap the card on the reader" in notice(window), timeout=WAIT_MS)
    assert [i["amount"] for i in stripe.intents()] == [2500]
    payments.simulate_tap(reader.stripe_id)
    poll_until(qtbot, window, lambda: count(window, "paid") == 1)
    order = checkout.get_order(shop.uow, order_id)
    assert order.status == "paid"
    assert sorted((p.tender, p.amount_cents) for p in order.payments) == [
        ("cash", 2000),
        ("stripe_card", 2500),
    ]

    # The organizer refunds the poster: newest tender first, so it goes back to the card.
    window.orders.select_order(order_id, "paid")
    seen: list[RefundDialog] = []

    def refund_the_poster() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RefundDialog):
            QTimer.singleShot(20, refund_the_poster)
            return
        seen.append(dialog)
        for (_, spin), line in zip(dialog.spins, dialog.order.lines, strict=True):
            spin.setValue(1 if line.sku == "POSTER" else 0)
        # The button names what goes back before anything is done.
        assert dialog.refund_button.text() == "Refund $15.00"
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, refund_the_poster)
    window.refund()  # runs the dialog; returns when the refund is done
    assert seen
    text = notice(window)
    assert "refunded $15.00 ($15.00 stripe_card)" in text and "refunded by Stripe" in text
    (refund,) = stripe.refunds()
    pi = next(p.provider_id for p in order.payments if p.tender == "stripe_card")
    assert (refund["amount"], refund["payment_intent"]) == (1500, pi)
    assert checkout.get_order(shop.uow, order_id).status == "partially_refunded"


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_stripe_down_cash_still_sells_and_the_banner_counts(
    qtbot, window, shop, stripe, monkeypatch
):
    window.on_scan("TEE-M")
    press(window, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: "the QR is on the customer screen" in notice(window), timeout=WAIT_MS)

    # Stripe becomes unreachable: nothing listens at the new address.
    monkeypatch.setenv("POPUP_POS_STRIPE_API_BASE", _closed_port())
    payments.reset_connection()
    poll_until(qtbot, window, lambda: not payments.stripe_status(shop.uow).online)
    window.refresh()
    assert window.banner.isVisible()
    assert window.banner.text() == "Stripe is offline — 1 payment waiting to be checked"

    window.on_scan("POSTER")
    press(window, Qt.Key.Key_F5)
    assert "paid $15.00 cash" in notice(window) and window.cart.empty
    assert len(checkout.orders_by_status(shop.uow, "fulfilled")) == 1
    assert window.banner.text() == "Stripe is offline — 1 payment waiting to be checked"


def test_picking_an_awaiting_qr_order_shows_the_same_qr_again(qtbot, window, shop, stripe):
    window.on_scan("TEE-M")
    press(window, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: "the QR is on the customer screen" in notice(window), timeout=WAIT_MS)
    (session,) = stripe.sessions()
    customer = window.customer
    assert customer is not None
    window.clear_payment_qr()
    assert customer.page == "cart"
    window.orders._pick(window.orders.lists["awaiting_payment"].item(0), "awaiting_payment")
    qtbot.waitUntil(lambda: customer.page == "pay", timeout=WAIT_MS)
    assert customer.shown_payload == session["url"]
    assert len(stripe.sessions()) == 1  # the same Checkout, not a second charge
    assert window.order_id is not None  # the order stays open in the panel
    stripe.pay(session["id"]).raise_for_status()
    poll_until(qtbot, window, lambda: count(window, "paid") == 1)
    assert window._qr_on_display is None
