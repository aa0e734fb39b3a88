"""Money on screen: what is still due, the tenders that paid, keys from the due amount,
any amount on a keypad, change until the next scan, and hand-over at the table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest

from popup_pos.gui.keypad import CashKeypad
from popup_pos.services import checkout, payments, queue


def _part_pay(window, monkeypatch, amount: str) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: (amount, True))
    window.part_cash()


def test_after_a_part_payment_the_big_figure_is_what_is_still_due(window, monkeypatch):
    window.on_scan("TEE-M")
    window.on_scan("TEE-M")  # $60.00
    _part_pay(window, monkeypatch, "20")
    panel = window.panel
    assert panel.total_caption.text() == "STILL DUE"
    assert panel.total.text() == "$40.00"
    assert panel.paid_list.isVisibleTo(panel) and panel.paid_list.text() == "paid $20.00 cash"
    assert "$40.00 still due" in panel.notice.text()
    # Keys for the $40.00 due (a fifty, three twenties, a hundred), not for the $60.00.
    assert [b.text().split("\n")[0] for b in panel.round_keys] == ["$50.00", "$60.00", "$100.00"]
    # The next message does not take the due amount away: it is the big figure.
    panel.say("Something else happened", "info")
    assert panel.total.text() == "$40.00" and panel.paid_list.text() == "paid $20.00 cash"


def test_the_confirmation_names_every_tender(window, shop, monkeypatch, venmo):
    from popup_pos.gui.dialogs.payment_qr import WalletConfirm

    window.on_scan("TEE-M")
    window.on_scan("TEE-M")
    _part_pay(window, monkeypatch, "20")
    monkeypatch.setattr(WalletConfirm, "exec", lambda d: (d.now_key.click(), d.result())[1])
    window.confirm_wallet()
    assert "paid $20.00 cash + $40.00 Venmo" in window.panel.notice.text()
    assert checkout.orders_by_status(shop.uow, "fulfilled")


def test_quick_cash_keys_follow_the_notes(window):
    window.on_scan("TEE-M")  # $30.00
    texts = [b.text().split("\n")[0] for b in window.panel.round_keys]
    assert texts == ["$40.00", "$50.00", "$100.00"]
    window.on_scan("TEE-M")  # $60.00: $80 and $100, no third key
    texts = [b.text().split("\n")[0] for b in window.panel.round_keys]
    assert texts == ["$80.00", "$100.00", "—"]
    assert not window.panel.round_keys[2].isEnabled()


def test_change_is_shown_whole_until_the_next_scan(qtbot, themed, window, display):
    window.on_scan("TEE-M")
    window.panel.round_keys[2].click()  # $100.00 for $30.00
    change = window.panel.change
    assert change.isVisibleTo(window.panel) and change.text() == "Change $70.00"
    change.ensurePolished()
    # Whole: the text fits the panel however narrow it is (no "ange $70.").
    assert QFontMetrics(change.font()).horizontalAdvance(change.text()) <= window.panel.width()
    # The customer reads the change once, big, with what they handed over.
    assert display.page == "thanks" and display.change.text() == "Change $70.00"
    assert display.tendered.text() == "You gave $100.00"
    assert "Change" not in display.thanks.text()
    window.on_scan("POSTER")
    assert not change.isVisibleTo(window.panel)


def test_keypad_takes_any_amount_and_shows_the_change(qtbot, window, shop, monkeypatch):
    window.on_scan("TEE-M")  # $30.00

    def hand_over_37(dialog):
        for key in "37":
            dialog.press(key)
        assert dialog.change.text() == "Change $7.00"
        dialog.take_key.click()
        return dialog.result()

    monkeypatch.setattr(CashKeypad, "exec", hand_over_37)
    QTest.keyClick(window.tiles, Qt.Key.Key_F4)
    assert window.panel.change.text() == "Change $7.00"
    [order] = checkout.orders_by_status(shop.uow, "fulfilled")
    view = checkout.get_order(shop.uow, order[0])
    assert view.payments[0].tendered_cents == 3700


def test_keypad_refuses_too_little(qtbot):
    pad = CashKeypad(3000, "USD")
    qtbot.addWidget(pad)
    pad.entry.setText("20")
    assert not pad.take_key.isEnabled()
    assert pad.change.text() == "$20.00 handed over is less than the $30.00 due"
    pad.take()
    assert pad.tendered is None and pad.result() == 0
    pad.press("⌫")
    pad.press("⌫")
    pad.entry.setText("3x")
    assert "is not a number" in pad.change.text()


def test_a_cash_sale_is_handed_over_and_the_queue_keeps_only_later_payments(window, shop, venmo):
    window.on_scan("POSTER")
    window.pay_cash(None)
    window.on_scan("POSTER")
    window.charge_wallet()
    [(order_id, *_rest)] = checkout.orders_by_status(shop.uow, "awaiting_payment")
    payments.confirm_wallet(shop.uow, order_id, "venmo")  # confirmed later, elsewhere
    window.refresh()
    assert window.orders.lists["paid"].count() == 1
    assert [r[0] for r in queue.orders_for_queue(shop.uow)["paid"]] == [order_id]
