"""Tips: offered before the tender when the event has presets, on both screens, and kept
on the order (so the receipt, report and exports have it)."""

from __future__ import annotations

from popup_pos.domain.pricing import Tip
from popup_pos.services import checkout, event_terms


def _loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)


def test_tip_keys_show_what_each_preset_comes_to(qtbot, window):
    _loaded(qtbot, window)
    tips = window.panel.tips
    assert not tips.isVisibleTo(window.panel)  # nothing in the cart, nothing to tip on
    window.on_scan("TEE-M")  # $30.00
    assert tips.isVisibleTo(window.panel)
    presets = event_terms.tip_presets(window.uow)
    assert tips.presets == presets and presets
    amount = f"${Tip.percent(presets[0]).on(3000) / 100:.2f}"
    assert tips.keys[0].toolTip().endswith(f"tip: {amount}")
    assert tips.none_key.isChecked()  # no tip unless one is chosen: F5 stays one key


def test_a_chosen_tip_is_on_the_order(qtbot, window, shop):
    _loaded(qtbot, window)
    window.on_scan("TEE-M")
    window.panel.tips.keys[0].click()
    ppm = window.panel.tips.presets[0]
    tip = Tip.percent(ppm).on(3000)
    assert window.panel.total.text() == f"${(3000 + tip) / 100:.2f}"
    assert window.panel.tips.keys[0].isChecked()
    window.pay_cash(None)
    [(order_id, *_)] = checkout.orders_by_status(shop.uow, "fulfilled")
    order = checkout.get_order(shop.uow, order_id)
    assert order.tip_cents == tip and order.total_cents == 3000 + tip


def test_custom_and_no_tip(qtbot, window, monkeypatch):
    _loaded(qtbot, window)
    window.on_scan("TEE-M")
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("5", True))
    window.panel.tips.custom_key.click()
    assert window.cart.tip == Tip.amount(500)
    assert window.panel.tips.custom_key.text() == "Custom $5.00"
    assert window.panel.total.text() == "$35.00"
    window.panel.tips.none_key.click()
    assert window.cart.tip is None and window.panel.total.text() == "$30.00"


def test_a_bad_custom_tip_is_named(qtbot, window, monkeypatch):
    _loaded(qtbot, window)
    window.on_scan("TEE-M")
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("lots", True))
    window.custom_tip()
    assert "tip 'lots' is not a number" in window.panel.notice.text()
    assert window.cart.tip is None


def test_the_customer_picks_on_the_display(qtbot, window, display):
    _loaded(qtbot, window)
    window.on_scan("TEE-M")
    choice = window._customer_tips
    assert choice is not None and choice.isVisibleTo(display)
    # Big keys for the customer, each with what it comes to on the $30.00 tee.
    ppm0 = choice.presets[0]
    assert choice.keys[0].text().split("\n")[1] == f"${Tip.percent(ppm0).on(3000) / 100:.2f}"
    choice.keys[-1].click()
    ppm = choice.presets[-1]
    assert window.cart.tip == Tip.percent(ppm)
    assert window.panel.tips.keys[-1].isChecked()  # the seller sees the customer's choice


def test_tips_off_hides_the_keys(qtbot, window, shop):
    terms = event_terms.get_terms(shop.uow)
    assert terms is not None
    event_terms.set_terms(
        shop.uow, default_tax=terms.default_tax, tip_presets_ppm=None, tips_enabled=False
    )
    window.refresh()
    _loaded(qtbot, window)
    window.on_scan("TEE-M")
    assert not window.panel.tips.isVisibleTo(window.panel)
