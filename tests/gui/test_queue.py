"""Experiences, download codes and limited drops on the selling screen."""

from __future__ import annotations

import pytest

from popup_pos.services import checkout, codes, tickets
from popup_pos.services.checkout import Cart, CartLine
from tests.gui.conftest import open_register

GET_TEXT = "PySide6.QtWidgets.QInputDialog.getText"


@pytest.fixture
def window(qtbot, shop, organizer):
    w = open_register(qtbot, shop, organizer)
    w.toggle_customer_display()
    qtbot.addWidget(w.customer)
    qtbot.waitUntil(lambda: not w.loading)
    return w


def _answer(monkeypatch, *answers: tuple[str, bool]) -> list[str]:
    """Answer the next input dialogs in turn; the prompts asked are returned."""
    asked: list[str] = []
    queue = list(answers)

    def fake(_parent, _title, label, **_kw):
        asked.append(label)
        return queue.pop(0)

    monkeypatch.setattr(GET_TEXT, fake)
    return asked


def test_a_shoutout_asks_for_the_name_and_queues_a_ticket(qtbot, window, monkeypatch):
    asked = _answer(monkeypatch, ("Sam", True))
    window.on_scan("SHOUTOUT-60")
    assert asked == ["Name for the shoutout:"]
    assert window.cart.lines[0].personalisation == "Sam"
    assert "Your turn" in window.customer.wait.text()
    window.pay_cash(None)
    (ticket,) = tickets.state(window.uow).tickets
    assert (ticket.status, ticket.personalisation) == ("waiting", "Sam")
    assert ticket.code in window.panel.notice.text()
    window.refresh()
    assert window.tickets.list.count() == 1
    assert ticket.code in window.tickets.list.item(0).text()
    assert "for Sam" in window.tickets.list.item(0).text()
    assert window.tickets.summary.text().startswith("1 waiting  ·  next new one in about")
    assert window.customer.page == "thanks"
    assert f"{ticket.code}" in window.customer.code_text.text()


def test_escape_on_the_name_prompt_adds_nothing(window, monkeypatch):
    _answer(monkeypatch, ("", False))
    window.on_scan("SHOUTOUT-60")
    assert window.cart.empty and "not added" in window.panel.notice.text()


def test_scanning_a_ticket_slip_calls_that_fan(qtbot, window, shop):
    sold = checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("MEET-GREET"), CartLine("POSTER")))
    )
    (t,) = tickets.of_order(shop.uow, sold.order_id)
    window.on_scan(t.code)
    assert tickets.find(shop.uow, t.id).status == "called"
    assert window.queue_tabs.currentIndex() == 1
    assert window.panel.notice.text().startswith(f"Called {t.code}: Meet & greet")
    assert window.tickets.list.currentItem() is not None
    assert t.code in window.tickets.list.currentItem().text()
    window.on_scan(t.code.lower())  # again: it says so, and nothing changes
    assert f"{t.code} is called" in window.panel.notice.text()
    window.on_scan("GIG-999999")
    assert "no ticket GIG-999999" in window.panel.notice.text()
    assert window.sounds.played[-1] == "buzz"


def test_call_next_names_who_is_called(window, shop):
    checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("SHOUTOUT-60", personalisation="Riley"),)),
    )
    window.call_next_ticket()
    assert "for Riley" in window.panel.notice.text()
    window.call_next_ticket()
    assert window.panel.notice.text() == "Nobody is waiting"


def test_a_download_card_shows_its_code_to_the_customer(qtbot, window, shop):
    window.on_scan("DL-CARD")
    window.pay_cash(None)
    order = checkout.get_order(shop.uow, window.last_order_id)
    ((code, status),) = next(iter(order.codes.values()))
    assert status == "assigned"
    assert window.customer.shown_codes == [code]
    assert f"code {code}" in window.panel.notice.text()
    assert next(p for p in codes.pools(shop.uow) if p.sku == "DL-CARD").unused == 299


def test_a_drop_asks_who_is_buying_and_refuses_a_second_one(qtbot, window, monkeypatch):
    asked = _answer(monkeypatch, ("@fan", True), ("fan", True))
    window.on_scan("LP-TEST")
    assert "limited to 1 per person" in asked[0]
    assert "for @fan" in window.panel.title.text()
    window.pay_cash(None)
    assert "paid $60.00 cash" in window.panel.notice.text()

    window.on_scan("LP-TEST")  # the same fan, typed without the @: not a handle
    assert "is not an email, a phone number" in window.panel.notice.text()
    window.on_scan("@FAN")  # scanned from the fan's phone
    # Refused as soon as the fan is known, before the price is said, not at payment.
    notice = window.panel.notice.text()
    assert "limit 1 per person; this customer already has 1: taken off this sale" in notice
    assert window.cart.empty and window.sounds.played[-1] == "buzz"


def test_a_drop_is_refused_when_added_for_a_known_customer(qtbot, window, monkeypatch):
    _answer(monkeypatch, ("@fan", True))
    window.on_scan("LP-TEST")
    window.pay_cash(None)
    window.on_scan("@fan")  # the same fan comes back and names themselves first
    assert "Customer: @fan" in window.panel.notice.text()
    window.on_scan("LP-TEST")
    assert "limit 1 per person; this customer already has 1" in window.panel.notice.text()
    assert window.cart.empty


def test_ctrl_t_saves_the_selected_tickets_slips(qtbot, window, shop, monkeypatch, tmp_path):
    from popup_pos.gui import printing as gui_printing

    monkeypatch.setattr(gui_printing, "_printer_names", list)
    monkeypatch.setattr(gui_printing, "_spooler", lambda: None)
    target = tmp_path / "slips.pdf"
    monkeypatch.setattr(
        gui_printing.QFileDialog, "getSaveFileName", lambda *a: (str(target), a[-1])
    )
    monkeypatch.setattr(
        gui_printing.QMessageBox,
        "exec",
        lambda box: next(b for b in box.buttons() if "Save" in b.text()).click() or 0,
    )
    sold = checkout.sell(
        shop.uow, shop.register_id, Cart((CartLine("SHOUTOUT-60", 2, personalisation="Sam"),))
    )
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))  # the last sale
    window.refresh()
    window.queue_tabs.setCurrentIndex(1)
    window.tickets.list.setCurrentRow(0)
    window.print_slips()
    qtbot.waitUntil(lambda: "saved to" in window.panel.notice.text(), timeout=10_000)
    assert window.panel.notice.text() == f"2 ticket slips of {sold.number} saved to {target}"
    assert target.read_bytes().startswith(b"%PDF")


def test_an_experience_tile_shows_the_places_left(window, shop):
    tile = next(
        i for i in range(window.model.rowCount()) if window.model.variant_at(i).sku == "MEET-GREET"
    )
    assert window.model.data(window.model.index(tile)).endswith(", 40 left")
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("MEET-GREET"),)))
    window.refresh()
    assert window.model.data(window.model.index(tile)).endswith(", 39 left")
