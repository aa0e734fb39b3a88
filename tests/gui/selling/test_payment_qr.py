"""Never lose the customer's QR: on the seller's screen without a display, held on the
display until that customer is done, shown again from the queue; tenders that cannot work
are visibly off; a wallet payment is confirmed in two actions with the amount shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from popup_pos.gui.dialogs.payment_qr import WalletConfirm
from popup_pos.services import checkout


def _awaiting(window):
    return window.orders.lists["awaiting_payment"]


def test_without_a_display_the_qr_is_on_the_sellers_screen(qtbot, window, venmo):
    window.on_scan("POSTER")
    window.charge_wallet()
    dialog = window._qr_dialog
    assert dialog is not None and dialog.isVisible()
    assert "venmo.com" in (dialog.qrs[0][0].payload() or "")
    assert dialog.amount.text() == "$15.00"
    assert window.cart.empty  # the register is free for the next customer
    # The seller keeps selling while it shows: the keys still reach the selling screen.
    window.on_scan("TEE-M")
    assert window.cart.count == 1 and dialog.isVisible()


def test_the_next_customers_scan_does_not_replace_the_qr(window, display, venmo):
    window.on_scan("POSTER")
    window.charge_wallet()
    assert display.page == "pay"
    window.on_scan("TEE-M")
    assert display.page == "pay"  # still the first customer's QR
    assert "QR stays on the customer display" in window.panel.notice.text()
    assert any(sc.keys == "Ctrl+Shift+Q" for sc in window.shortcuts)
    window.clear_payment_qr()  # the seller moves on deliberately
    assert display.page == "cart" and len(display.line_texts) == 1
    assert "QR taken off the screen" in window.panel.notice.text()


def test_the_qr_leaves_when_that_customer_has_paid(window, display, venmo, monkeypatch):
    window.on_scan("POSTER")
    window.charge_wallet()
    window.orders._pick(_awaiting(window).item(0), "awaiting_payment")
    monkeypatch.setattr(WalletConfirm, "exec", lambda d: (d.now_key.click(), d.result())[1])
    window.confirm_wallet()
    assert window._qr_on_display is None and display.page == "thanks"


def test_picking_an_awaiting_order_shows_its_qr_again(window, display, venmo):
    window.on_scan("POSTER")
    window.charge_wallet()
    window.clear_payment_qr()
    assert display.page == "cart"
    window.orders._pick(_awaiting(window).item(0), "awaiting_payment")
    assert display.page == "pay" and "venmo.com" in (display.shown_payload or "")
    assert display.pay_amount.text() == "$15.00"


def test_a_wallet_key_with_no_wallet_is_visibly_off(qtbot, window):
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    window.on_scan("POSTER")
    wallet = window.panel.wallet
    assert not wallet.isEnabled()
    assert wallet.text() == "Wallet QR\nno handle"
    assert "Venmo, Cash App or PayPal handle in Settings" in wallet.toolTip()
    QTest.keyClick(window.tiles, Qt.Key.Key_F9)
    assert "Wallet QR is off" in window.panel.notice.text()
    assert window.cart.count == 1  # nothing was placed


def test_wallet_confirmation_shows_the_amount_and_takes_two_actions(
    qtbot, window, shop, venmo, monkeypatch
):
    window.on_scan("TEE-M")
    window.charge_wallet()
    window.orders._pick(_awaiting(window).item(0), "awaiting_payment")  # action 1: pick
    seen: list[str] = []

    def enter(dialog):
        seen.append(dialog.look_for.text())
        dialog.show()
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # action 2: Enter
        return dialog.result()

    monkeypatch.setattr(WalletConfirm, "exec", enter)
    window.confirm_wallet()
    assert seen and "Look for $30.00" in seen[0] and "Venmo" in seen[0]
    assert checkout.orders_by_status(shop.uow, "fulfilled")
    assert "paid $30.00 Venmo" in window.panel.notice.text()
