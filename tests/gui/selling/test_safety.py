"""Safe keys, the organizer's approval, live catalog changes and drops, as a seller meets them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from popup_pos.domain.catalog_file import ImportedVariant, ParsedCatalog
from popup_pos.gui.dialogs import pin as pin_dialogs
from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.selling import safety
from popup_pos.services import catalog, checkout, permissions, staff
from popup_pos.services.permissions import Limits
from tests.gui.conftest import open_register

ORGANIZER_PIN = "246800"


def _window(qtbot, shop, who) -> MainWindow:
    w = open_register(qtbot, shop, who)
    qtbot.waitUntil(lambda: not w.loading)
    return w


@pytest.fixture
def organizer(shop):
    return staff.set_organizer(shop.uow, "Ada", ORGANIZER_PIN)


@pytest.fixture
def window(qtbot, shop, organizer):
    return _window(qtbot, shop, organizer)


@pytest.fixture
def helper_window(qtbot, shop, organizer):
    alex = staff.add_staff(shop.uow, "Alex", "helper", "1357", actor="Ada")
    return _window(qtbot, shop, alex)


def _answers(monkeypatch, *answers):
    queue = list(answers)
    asked: list[str] = []

    def answer(_parent, _title, label, *a, **k):
        asked.append(label)
        return queue.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    return asked


def _pin_pad_answers(monkeypatch, pin: str | None):
    """The PIN pad run as if someone typed `pin` (None: closed it); the reasons shown."""
    reasons: list[str] = []

    def run(dialog: pin_dialogs.PinDialog) -> int:
        reasons.append(dialog.ui.reasonLabel.text())
        if pin is None:
            dialog.reject()
        else:
            for digit in pin:
                dialog.press(digit)
            dialog.submit()
        return dialog.result()

    monkeypatch.setattr(pin_dialogs.PinDialog, "exec", run)
    return reasons


# ---- safe keys ------------------------------------------------------------------------


def test_esc_clears_a_cart_that_ctrl_z_brings_back(qtbot, window):
    window.on_scan("TEE-M")
    window.on_scan("POSTER")
    QTest.keyClick(window.tiles, Qt.Key.Key_Escape)
    assert window.cart.empty
    assert "Cart of 2 lines cleared — Ctrl+Z brings it back" in window.panel.notice.text()
    QTest.keyClick(window.tiles, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [ln.sku for ln in window.cart.lines] == ["TEE-M", "POSTER"]
    # A one-line cart just clears, and a sale ends what could be brought back.
    window.pay_cash(None)
    QTest.keyClick(window.tiles, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.cart.empty and window.panel.notice.text() == "Nothing to bring back"


def test_the_lock_screen_cannot_be_left_without_a_pin(qtbot, shop, organizer):
    dialog = pin_dialogs.PinDialog(shop.uow, None, reason="Locked", locked=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.ui.cancelButton.isVisible()
    with qtbot.assertNotEmitted(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.reject()
        dialog.close()
    qtbot.keyClicks(dialog, ORGANIZER_PIN)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_esc_at_the_first_sign_in_does_nothing(qtbot, shop, organizer):
    dialog = pin_dialogs.PinDialog(shop.uow, None, reason="Sign in", escape_cancels=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.assertNotEmitted(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()


def test_closing_with_orders_awaiting_payment_asks(qtbot, window, shop, monkeypatch):
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(safety, "confirm", lambda _w, _t, text, *_: asked.append(text) or answer[0])
    assert window.may_close() and not asked  # nothing waits: no question
    checkout.place_order(shop.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER"),)))
    window.refresh()
    assert not window.may_close()
    assert asked[-1].startswith("1 order is awaiting payment (A-0001)")
    answer[0] = True
    assert window.may_close()


def test_cart_keys_work_from_the_customer_display(qtbot, window, shop):
    window.toggle_customer_display()
    display = window.customer
    qtbot.addWidget(display)
    qtbot.waitExposed(display)
    # The display never takes the keyboard; a key that reaches it anyway (a click on it
    # under a window manager that ignores the hint) still works the register.
    assert display.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    window.on_scan("TEE-M")
    QTest.keyClick(display, Qt.Key.Key_F5)
    assert window.cart.empty and "paid $30.00 cash" in window.panel.notice.text()
    assert checkout.orders_by_status(shop.uow, "fulfilled")  # handed over at the table


def test_plus_and_minus_after_a_search_change_the_quantity(qtbot, window):
    window.on_scan("TEE-M")
    QTest.keyClick(window.tiles, Qt.Key.Key_F2)
    assert window.search.hasFocus()
    QTest.keyClick(window.search, Qt.Key.Key_Plus)
    assert window.cart.count == 2 and window.search.text() == ""
    QTest.keyClick(window.search, Qt.Key.Key_Minus)
    assert window.cart.count == 1
    # Inside a search a − is part of a SKU; a keypad − still changes the quantity.
    QTest.keyClicks(window.search, "TEE-")
    assert window.search.text() == "TEE-" and window.cart.count == 1
    QTest.keyClick(window.search, Qt.Key.Key_Plus, Qt.KeyboardModifier.KeypadModifier)
    assert window.cart.count == 2 and window.search.text() == "TEE-"


def test_ctrl_r_prints_the_last_sale_unless_an_order_is_on_screen(qtbot, window, shop, monkeypatch):
    from popup_pos.gui import printing

    printed: list[int] = []
    monkeypatch.setattr(printing, "receipt_action", lambda _u, _p, oid, **_: printed.append(oid))
    earlier = checkout.sell(
        shop.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER"),))
    )
    window.refresh()
    window.orders.select_order(earlier.order_id, "paid")
    window.on_scan("TEE-M")  # a new sale: the picked order is no longer on screen
    window.pay_cash(None)
    QTest.keyClick(window.tiles, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert printed == [window.last_order_id] != [earlier.order_id]
    number = checkout.get_order(shop.uow, window.last_order_id).number
    assert window.panel.notice.text() == f"Printing the receipt of {number} (the last sale)"
    window.refresh()
    window.orders.select_order(earlier.order_id, "paid")
    QTest.keyClick(window.tiles, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert printed[-1] == earlier.order_id
    assert "(the order on screen)" in window.panel.notice.text()


# ---- the organizer's approval -------------------------------------------------------------


def test_a_helper_discount_asks_for_the_organizer(qtbot, helper_window, monkeypatch):
    w = helper_window
    w.on_scan("TEE-M")
    _answers(monkeypatch, ("100%", True), ("100%", True))
    reasons = _pin_pad_answers(monkeypatch, None)
    w.line_discount()
    assert reasons == ["A helper's discount needs the organizer's PIN"]
    assert w.cart.lines[0].discount is None
    assert "Not changed" in w.panel.notice.text()
    _pin_pad_answers(monkeypatch, ORGANIZER_PIN)
    w.line_discount()
    assert w.cart.totals().total == 0 and w.cart.lines[0].approved_by == "Ada"


def test_a_custom_amount_over_the_cap_asks_and_a_small_one_does_not(
    qtbot, helper_window, monkeypatch
):
    w = helper_window
    reasons = _pin_pad_answers(monkeypatch, None)
    _answers(monkeypatch, ("5.00", True), ("tip jar", True))
    w.custom_amount()
    assert w.cart.count == 1 and not reasons
    _answers(monkeypatch, ("500.00", True), ("", True))
    w.custom_amount()
    assert reasons == ["A custom amount above the cap needs the organizer's PIN"]
    assert w.cart.count == 1


def test_a_price_change_asks_for_the_organizer_before_the_price(qtbot, helper_window, monkeypatch):
    w = helper_window
    w.on_scan("TEE-M")
    asked = _answers(monkeypatch, ("1.00", True))
    reasons = _pin_pad_answers(monkeypatch, "1357")  # the helper's own PIN will not do
    w.price_override()
    assert reasons and not asked and w.cart.lines[0].unit_price is None
    _pin_pad_answers(monkeypatch, ORGANIZER_PIN)
    w.price_override()
    assert w.cart.lines[0].unit_price == 100


def test_limits_from_settings_reach_the_register(qtbot, helper_window, shop, monkeypatch):
    permissions.put_limits(shop.uow, Limits(helper_discount_percent=10), actor="Ada")
    w = helper_window
    w.refresh()
    w.on_scan("TEE-M")
    reasons = _pin_pad_answers(monkeypatch, None)
    _answers(monkeypatch, ("10%", True))
    w.line_discount()
    assert not reasons and w.cart.lines[0].discount is not None


def test_after_the_lock_the_new_persons_limits_apply(qtbot, window, shop):
    alex = staff.add_staff(shop.uow, "Alex", "helper", "1357", actor="Ada")
    window.signed_in(alex)
    assert window.cart.role == "helper"
    window.new_sale()
    assert window.cart.role == "helper"


# ---- the catalog changed elsewhere --------------------------------------------------------


def test_a_product_imported_elsewhere_scans_within_a_refresh(qtbot, window, shop):
    assert "NEW-TEE" not in window.by_code
    parsed = ParsedCatalog(
        "native",
        [ImportedVariant(row=2, sku="NEW-TEE", price=2200, handle="nt", product_name="New tee")],
    )
    catalog.import_catalog(shop.uow, parsed, source="cli.csv")
    catalog.update_variant(shop.uow, "POSTER", price_cents=1700)
    window.refresh_in_background()
    qtbot.waitUntil(lambda: "NEW-TEE" in window.by_code, timeout=3000)
    window.on_scan("NEW-TEE")
    window.on_scan("POSTER")
    assert [ln.price for ln in window.cart.lines] == [2200, 1700]
    assert any(window.model.variant_at(i).sku == "NEW-TEE" for i in range(window.model.rowCount()))


def test_a_confirmation_defaults_to_the_safe_answer(qtbot, window):
    from PySide6.QtCore import QTimer

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press_enter)
            return
        QTest.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    assert not safety.confirm(window, "Cancel A-0001", "Cancel A-0001 ($30.00)?", "Cancel it")


def test_the_lock_hands_the_register_to_whoever_signs_in(qtbot, window, shop, monkeypatch):
    from popup_pos.gui.app import App

    staff.add_staff(shop.uow, "Alex", "helper", "1357", actor="Ada")
    seen: list[tuple[bool, bool]] = []

    def type_alex(dialog: pin_dialogs.PinDialog) -> int:
        seen.append((dialog.locked, dialog.escape_cancels))
        for digit in "1357":
            dialog.press(digit)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(pin_dialogs.PinDialog, "exec", type_alex)
    shell = App(shop.uow)
    shell.window = window
    shell.lock()
    assert seen == [(True, False)]
    assert window.isVisible() and window.staff.name == "Alex" and window.cart.role == "helper"
