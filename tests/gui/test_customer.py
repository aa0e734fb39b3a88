"""The customer display: big type, nothing cut, one QR at a time, change due, now serving."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from popup_pos.gui import customer
from popup_pos.gui.customer import MIN_TEXT_PX, CustomerDisplay, second_screen
from popup_pos.services.cart import CartSession, LineState

SIZES = [(1280, 720), (1366, 768), (1920, 1080), customer.MIN_SIZE]
VENMO = ("Venmo @the-band", "https://venmo.com/the-band?txn=pay&amount=100.00&note=A-0042")
CASH_APP = ("Cash App $theband", "https://cash.app/$theband/100")
PAYPAL = ("PayPal paypal.me/theband", "https://paypal.me/theband/100USD")


@pytest.fixture
def display(qtbot, themed):
    d = CustomerDisplay("The Midnight Band merch table")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def cart(*lines: tuple[int, int, str]) -> CartSession:
    session = CartSession("USD")
    for quantity, price, name in lines:
        session.lines.append(LineState(None, quantity, price, None, name, None))
    return session


FULL_CART = cart(
    (2, 3000, "Tour tee 2026 — M"),
    (1, 1500, "Signed poster of the summer tour, limited to fifty, numbered by hand"),
    (1, 2500, "LP Nights"),
    (3, 500, "Sticker pack"),
    (1, 4000, "Hoodie — XL"),
    (1, 99_999_00, "Custom amount"),
)


def resized(qtbot, d: CustomerDisplay, size: tuple[int, int]) -> None:
    d.resize(*size)
    qtbot.waitUntil(lambda: d.size().width() == size[0] and d.size().height() == size[1])


def shown_labels(d: CustomerDisplay) -> list[QLabel]:
    return [w for w in d.findChildren(QLabel) if w.isVisibleTo(d) and w.text()]


def assert_whole(d: CustomerDisplay) -> None:
    """Every text on screen lies inside the window and has the room its text needs."""
    QApplication.processEvents()  # the layout runs on the posted request, as on screen
    window = d.rect()
    for label in shown_labels(d):
        box = QRect(label.mapTo(d, QPoint(0, 0)), label.size())
        room = label.contentsRect()
        assert window.contains(box) or _inside_scroll(label), f"{label.text()!r} off the window"
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            assert need <= label.height(), f"{label.text()!r} cut: needs {need} px"
        else:
            need = QFontMetrics(label.font()).horizontalAdvance(label.text())
            assert need <= room.width(), f"{label.text()!r} cut: {need} > {room.width()}"
        assert QFontInfo(label.font()).pixelSize() >= MIN_TEXT_PX, label.text()


def _inside_scroll(label: QWidget) -> bool:
    return label.objectName() in ("cdLineTitle", "cdLineAmount")


@pytest.mark.parametrize("size", SIZES)
def test_cart_lines_are_big_and_whole(qtbot, display, size):
    resized(qtbot, display, size)
    display.show_now_serving("GIG-4", "Shoutout for Sam")
    display.show_cart(FULL_CART, "Your turn: in about 12 min")
    assert display.page == "cart"
    titles = [w for w in shown_labels(display) if w.objectName() == "cdLineTitle"]
    assert len(titles) == len(FULL_CART.lines)
    for label in titles:
        assert QFontInfo(label.font()).pixelSize() >= 28
    total = QFontInfo(display.total.font()).pixelSize()
    assert total >= 2 * QFontInfo(titles[0].font()).pixelSize()
    assert display.total.text() == "Total $100,154.00"
    assert_whole(display)
    # The line just scanned is in view, however long the cart.
    qtbot.waitUntil(
        lambda: titles[-1].visibleRegion().boundingRect().height() == titles[-1].height()
    )


def test_more_type_on_a_bigger_screen(qtbot, display):
    display.show_cart(FULL_CART)
    resized(qtbot, display, (1280, 720))
    small = QFontInfo(display.total.font()).pixelSize()
    resized(qtbot, display, (1920, 1080))
    assert QFontInfo(display.total.font()).pixelSize() > small


@pytest.mark.parametrize("size", SIZES)
def test_one_payment_qr_centred_with_its_caption(qtbot, display, size):
    resized(qtbot, display, size)
    display.show_now_serving("GIG-12", "Shoutout for Alexandra")
    display.show_payment(
        [VENMO, CASH_APP, PAYPAL], "$100.00", "Order A-0042: put A-0042 in the note"
    )
    assert display.page == "pay"
    assert display.shown_payload == VENMO[1]
    assert display.payment_payloads == [VENMO[1], CASH_APP[1], PAYPAL[1]]
    assert display.qr_caption.text() == "Venmo @the-band"  # one caption, never three in a row
    keys = [k.text() for k in display._wallet_keys if k.isVisibleTo(display)]
    assert keys == ["Venmo", "Cash App", "PayPal"]
    qr = display.qr.geometry()
    centre = display.qr.mapTo(display, qr.center() - qr.topLeft())
    assert abs(centre.x() - display.width() // 2) <= 2
    assert min(qr.width(), qr.height()) >= display.qr.minimumSizeHint().width()
    assert_whole(display)


def test_payment_qrs_take_turns_and_a_tap_keeps_one(qtbot, themed, monkeypatch):
    monkeypatch.setattr(customer, "ROTATE_MS", 20)
    d = CustomerDisplay("Shop")
    qtbot.addWidget(d)
    d.show()
    d.show_payment([VENMO, CASH_APP], "$100.00", "")
    assert d.shown_payload == VENMO[1]
    qtbot.waitUntil(lambda: d.shown_payload == CASH_APP[1])
    assert d.qr_caption.text() == "Cash App $theband"
    qtbot.waitUntil(lambda: d.shown_payload == VENMO[1])
    qtbot.mouseClick(d._wallet_keys[1], Qt.MouseButton.LeftButton)
    assert d.shown_payload == CASH_APP[1]
    with pytest.raises(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: d.shown_payload != CASH_APP[1], timeout=200)


def test_a_single_way_to_pay_has_no_keys(display):
    display.show_payment(
        [("Card, Apple Pay or Google Pay", "https://checkout.stripe.com/x")],
        "$30.00",
        "Order A-0001",
    )
    assert display.shown_payload == "https://checkout.stripe.com/x"
    assert not any(k.isVisibleTo(display) for k in display._wallet_keys)


@pytest.mark.parametrize("size", SIZES)
def test_change_due_is_whole_and_big(qtbot, display, size):
    resized(qtbot, display, size)
    display.show_now_serving("GIG-4")
    display.show_thanks(
        codes=[
            ("Digital album", "ABCD-1234-EFGH"),
            ("Bonus track", "ZZZZ-9999"),
            ("Live set", "LIVE-0001"),
        ],
        tickets=["Shoutout for Sam: GIG-5, in about 12 min"],
    )
    display.show_change(987_654_321, "USD", 1_000_000_000)
    assert display.page == "thanks"
    assert display.shown_change == "Change $9,876,543.21"
    assert display.tendered.text() == "You gave $10,000,000.00"
    assert QFontInfo(display.change.font()).pixelSize() >= 48
    assert display.shown_codes == ["ABCD-1234-EFGH", "ZZZZ-9999", "LIVE-0001"]
    assert_whole(display)


def test_change_stays_until_the_next_sale_starts(display):
    display.show_cart(cart((1, 3000, "Tee")))
    display.show_thanks()
    display.show_change(2000, "USD", 5000)
    # The register starts an empty sale after each one: the change stays up.
    display.show_cart(cart())
    assert display.page == "thanks" and display.shown_change == "Change $20.00"
    display.show_cart(cart((1, 1500, "Poster")))
    assert display.page == "cart" and display.shown_change is None
    display.show_thanks()
    assert display.shown_change is None


def test_change_then_thanks_keeps_both(display):
    display.show_change(500, "USD")
    display.show_thanks(codes=[("Album", "CODE-1")])
    assert display.shown_change == "Change $5.00" and display.shown_codes == ["CODE-1"]
    assert not display.tendered.isVisibleTo(display)
    # The next sale paid at once (no scan shown: an order picked from the queue).
    display.show_thanks()
    assert display.shown_change is None and display.shown_codes == []


def test_a_payment_page_ends_the_change(display):
    display.show_change(500, "USD")
    display.show_payment([VENMO], "$10.00", "")
    assert display.shown_change is None


def test_now_serving_stays_over_every_page_until_cleared(display):
    display.show_now_serving("GIG-4", "Shoutout for Sam")
    assert display.now_serving == "Now serving GIG-4  ·  Shoutout for Sam"
    display.show_cart(cart((1, 3000, "Tee")))
    display.show_payment([VENMO], "$30.00", "")
    assert display.now_serving is not None and "GIG-4" in display.now_serving
    display.clear_now_serving("GIG-3")  # an older ticket finishing does not take it down
    assert display.now_serving is not None
    display.show_now_serving("GIG-5")
    display.clear_now_serving("GIG-4")
    assert display.now_serving == "Now serving GIG-5"
    display.clear_now_serving("GIG-5")
    assert display.now_serving is None


def test_a_further_page_by_name(display):
    tip = QLabel("Add a tip?")
    display.add_page("tip", tip)
    display.show_change(500, "USD")
    display.show_page("tip")
    assert display.page == "tip" and tip.isVisibleTo(display)
    display.show_page("thanks")
    assert display.shown_change is None
    with pytest.raises(ValueError, match="already has a page called 'tip'"):
        display.add_page("tip", QLabel())


def test_the_display_never_takes_the_keyboard(display):
    assert display.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert display.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_one_screen_gets_a_normal_window_that_fits(qtbot, themed):
    register = QWidget()
    qtbot.addWidget(register)
    d = CustomerDisplay("Shop")
    qtbot.addWidget(d)
    d.present(register)
    qtbot.waitExposed(d)
    assert not d.isFullScreen()
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert d.width() <= max(area.width(), customer.MIN_SIZE[0])
    assert d.height() <= max(area.height(), customer.MIN_SIZE[1])


def test_second_screen_is_another_monitor_never_the_registers():
    laptop = QRect(0, 0, 1366, 768)
    assert second_screen([laptop], 0) is None
    assert second_screen([laptop, QRect(1366, 0, 1920, 1080)], 0) == 1
    assert second_screen([QRect(1366, 0, 1920, 1080), laptop], 1) == 0
    # A mirrored projector shows the register's own picture: no room of its own.
    assert second_screen([laptop, QRect(0, 0, 1366, 768)], 0) is None
    small, big = QRect(1366, 0, 800, 600), QRect(2166, 0, 1920, 1080)
    assert second_screen([laptop, small, big], 0) == 2


# ---- on the register ----------------------------------------------------------------------


@pytest.fixture
def register(qtbot, shop, organizer):
    from tests.gui.conftest import open_register

    w = open_register(qtbot, shop, organizer)
    w.toggle_customer_display()
    qtbot.addWidget(w.customer)
    return w


def test_a_cash_sale_shows_the_change_until_the_next_scan(register):
    register.on_scan("TEE-M")  # $30.00
    register.pay_cash(5000)
    assert register.customer.page == "thanks"
    assert register.customer.shown_change == "Change $20.00"
    assert register.customer.tendered.text() == "You gave $50.00"
    register.new_sale()  # Esc after the sale: the customer is still counting
    assert register.customer.shown_change == "Change $20.00"
    register.on_scan("POSTER")
    assert register.customer.page == "cart" and register.customer.shown_change is None


def test_exact_cash_shows_no_change(register):
    register.on_scan("TEE-M")
    register.pay_cash(None)
    assert register.customer.page == "thanks" and register.customer.shown_change is None


def test_calling_a_fan_shows_now_serving_until_done(register, shop):
    from popup_pos.services import checkout, tickets
    from popup_pos.services.checkout import Cart, CartLine

    checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("SHOUTOUT-60", personalisation="Sam"),))
    )
    register.call_next_ticket()
    (t,) = tickets.state(shop.uow).tickets
    assert register.customer.now_serving == f"Now serving {t.code}  ·  {t.name} for Sam"
    register.on_scan("POSTER")  # the banner stays over the next customer's cart
    assert register.customer.now_serving is not None
    register.move_ticket(t.id, "done")
    assert register.customer.now_serving is None


def test_the_display_opens_beside_the_register(register):
    assert register.customer.isVisible()
    assert not register.customer.isFullScreen()  # one screen here: a normal window


TWO_SCREENS = """
from PySide6.QtWidgets import QApplication, QWidget
from popup_pos.gui.customer import CustomerDisplay
app = QApplication([])
register = QWidget()
register.show()
display = CustomerDisplay("Shop")
display.present(register)
app.processEvents()
print(display.isFullScreen(), display.screen().name(), display.geometry().getRect())
"""


def test_full_screen_on_the_second_monitor(tmp_path):
    """Two screens (Qt's offscreen platform can have several): the display fills the one
    the register is not on."""
    screens = [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768},
        {"name": "projector", "x": 1366, "y": 0, "width": 1920, "height": 1080},
    ]
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
    }
    done = subprocess.run(
        [sys.executable, "-c", TWO_SCREENS], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "projector", "(1366,", "0,", "1920,", "1080)"]
    assert "requestActivate" not in done.stderr  # it never takes the register's keyboard
