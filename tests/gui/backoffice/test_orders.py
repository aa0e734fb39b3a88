"""The orders window: search by number, SKU, amount and code; open one; reprint; refund."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from popup_pos.gui import printing as gui_printing
from popup_pos.gui.backoffice.orders import OrdersWindow
from popup_pos.gui.refund import RefundDialog
from popup_pos.services import checkout, closing, events, staff
from popup_pos.services.checkout import Cart, CartLine, OrderResult
from tests.conftest import Shop
from tests.gui.test_printing import _Answer

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")
SELLER = staff.StaffInfo(id=0, name="Sam", role="seller", event_id=None, active=True)


def _window(qtbot, shop: Shop, who: staff.StaffInfo, **kw) -> OrdersWindow:
    w = OrdersWindow(shop.uow, who, **kw)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _numbers(w: OrdersWindow) -> list[str]:
    items = [w.table.item(r, 0) for r in range(w.table.rowCount())]
    return [i.text() for i in items if i is not None]


def _search(qtbot, w: OrdersWindow, text: str) -> list[str]:
    w.search.clear()
    qtbot.keyClicks(w.search, text)
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.isVisible()  # Enter searches, never closes the window
    return _numbers(w)


@pytest.fixture
def sales(shop: Shop) -> tuple[OrderResult, OrderResult]:
    tee = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M", 2),)))
    card = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    return tee, card


def test_search_by_number_sku_amount_and_code(qtbot, themed, shop, organizer, sales):
    tee, card = sales
    w = _window(qtbot, shop, organizer)
    assert _numbers(w) == [card.number, tee.number]
    assert w.count.text() == "2 orders of this event"
    assert _search(qtbot, w, tee.number.lower()) == [tee.number]
    assert _search(qtbot, w, "tee-m") == [tee.number]
    assert _search(qtbot, w, card.codes[0].code) == [card.number]
    assert _search(qtbot, w, f"{tee.total_cents / 100:.2f}") == [tee.number]
    assert w.count.text() == f"1 order of this event matching '{tee.total_cents / 100:.2f}'"
    assert _search(qtbot, w, "25:99") == []
    assert w.notice.text() == "25:99 is not a time: type it as 21:30"
    # Typing searches by itself once the typing pauses.
    w.search.clear()
    qtbot.keyClicks(w.search, "DL-CARD")
    qtbot.waitUntil(lambda: _numbers(w) == [card.number])


def test_opening_an_order_shows_its_lines_payments_and_codes(qtbot, themed, shop, organizer, sales):
    _tee, card = sales
    w = _window(qtbot, shop, organizer)
    _search(qtbot, w, card.number)
    text = w.view.toPlainText()
    assert f"{card.number} — paid" in text
    assert "Download card: Nights Like These" in text and "DL-CARD" in text
    assert "cash $" in text and "Payments" in text
    assert f"{card.codes[0].code} DL-CARD — handed out" in text
    assert w.reprint_button.isEnabled() and w.refund_button.isEnabled()


def test_past_events_orders_when_asked(qtbot, themed, shop, organizer, sales):
    tee, card = sales
    closing.close_event(shop.uow, 100_00 + tee.total_cents + card.total_cents)
    closed = _window(qtbot, shop, organizer)
    assert closed.count.text() == "2 orders of all events"  # none open: every event's
    events.open_event(shop.uow, "Second night", currency="USD", float_cents=0)
    w = _window(qtbot, shop, organizer)
    assert _numbers(w) == [] and w.count.text() == "0 orders of this event"
    w.every_event.setChecked(True)
    assert _numbers(w) == [card.number, tee.number]
    assert {w.table.item(r, 1).text() for r in range(2)} == {"Test night"}


def test_reprint_draws_the_receipt_on_a_worker(
    qtbot, themed, shop, organizer, sales, monkeypatch, tmp_path
):
    tee, _card = sales
    monkeypatch.setattr(gui_printing, "_printer_names", list)
    monkeypatch.setattr(gui_printing, "_spooler", lambda: None)
    target = tmp_path / "receipt"
    monkeypatch.setattr(
        gui_printing.QFileDialog,
        "getSaveFileName",
        lambda parent, caption, suggested, filters: (str(target), filters),
    )
    w = _window(qtbot, shop, SELLER)  # anyone may reprint
    _search(qtbot, w, tee.number)
    answer = _Answer("Save as PDF…")
    qtbot.mouseClick(w.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved to" in w.notice.text())
    assert answer.seen == ["No printer is set up on this laptop."]
    saved = Path(f"{target}.pdf")
    assert w.notice.text() == f"Receipt {tee.number} saved to {saved}"
    (page,) = pypdfium2.PdfDocument(saved)
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [tee.number]
    assert "Total $" in page.get_textpage().get_text_range()


def test_a_refund_needs_the_organizer(qtbot, themed, shop, organizer, sales):
    tee, _card = sales
    asked: list[str] = []
    w = _window(qtbot, shop, SELLER, ask_pin=lambda reason: asked.append(reason) and None)
    _search(qtbot, w, tee.number)
    qtbot.mouseClick(w.refund_button, Qt.MouseButton.LeftButton)
    assert asked == ["The organizer's PIN is needed to refund an order"]
    assert w.notice.text() == "Only the organizer can refund an order"
    assert checkout.get_order(shop.uow, tee.order_id).status == "paid"


def test_the_organizer_refunds_through_the_refund_dialog(qtbot, themed, shop, organizer, sales):
    tee, _card = sales
    w = _window(qtbot, shop, SELLER, ask_pin=lambda reason: organizer)
    _search(qtbot, w, tee.number)
    seen: list[RefundDialog] = []

    def refund_one() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RefundDialog):
            QTimer.singleShot(20, refund_one)
            return
        seen.append(dialog)
        dialog.spins[0][1].setValue(1)
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, refund_one)
    w.refund()  # runs the dialog; returns when the refund is done
    assert seen
    assert w.notice.text().startswith(f"{tee.number} refunded $")
    assert checkout.get_order(shop.uow, tee.order_id).status == "partially_refunded"
    assert w.table.item(0, 6).text() == "partly refunded"
    assert "1 refunded" in w.view.toPlainText() and "Refunds" in w.view.toPlainText()


def test_fits_a_small_laptop_screen(qtbot, themed, shop, organizer):
    w = _window(qtbot, shop, organizer)
    assert w.width() <= 1280 and w.height() <= 660
    assert w.minimumSizeHint().height() <= 660
