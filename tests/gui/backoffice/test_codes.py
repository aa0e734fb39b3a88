"""The download-codes window: pools counted, a pool imported, a code found and voided."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from popup_pos.gui.backoffice.codes import CodesWindow
from popup_pos.gui.backoffice.orders import OrdersWindow
from popup_pos.services import checkout, code_pool, staff
from popup_pos.services.checkout import Cart, CartLine
from tests.conftest import Shop

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")
SELLER = staff.StaffInfo(id=0, name="Sam", role="seller", event_id=None, active=True)


def _window(qtbot, shop: Shop, who: staff.StaffInfo, **kw) -> CodesWindow:
    w = CodesWindow(shop.uow, who, **kw)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _cell(w: CodesWindow, row: int, column: int) -> str:
    item = w.pool_table.item(row, column)
    assert item is not None
    return item.text()


def _row(w: CodesWindow, sku: str) -> list[str]:
    (row,) = [r for r in range(w.pool_table.rowCount()) if _cell(w, r, 1) == sku]
    return [_cell(w, row, c) for c in range(w.pool_table.columnCount())]


def test_import_a_pool_on_a_worker(qtbot, themed, shop, organizer, tmp_path, monkeypatch):
    path = tmp_path / "more.txt"
    path.write_text("MORE-0001\nMORE-0002\nMORE-0003\n")
    w = _window(qtbot, shop, organizer)
    assert _row(w, "DL-CARD")[2:] == ["300", "0", "0", "0"]
    monkeypatch.setattr(w, "choose_file", lambda sku: str(path))
    qtbot.mouseClick(w.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.notice.text().startswith("Added"))
    assert w.notice.text() == "Added 3 codes to DL-CARD: 303 unused now"
    assert _row(w, "DL-CARD")[2] == "303"
    # The same file again: refused whole, naming the line.
    qtbot.mouseClick(w.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.notice.text().startswith("Nothing imported"))
    assert "'MORE-0001' is already in the DL-CARD pool" in w.notice.text()
    assert w.notice.text().endswith("(and 2 more)")
    assert _row(w, "DL-CARD")[2] == "303"


def test_a_seller_without_the_pin_cannot_import_or_void(qtbot, themed, shop, monkeypatch):
    w = _window(qtbot, shop, SELLER, ask_pin=lambda reason: None)
    monkeypatch.setattr(w, "choose_file", lambda sku: pytest.fail("no file is asked for"))
    w.import_codes()
    assert w.notice.text() == "Only the organizer can import download codes"
    w.search.setText("233x-tptu")
    w.find_code()
    w.void_selected()
    assert w.notice.text() == "Only the organizer can void a download code"
    assert code_pool.find_code(shop.uow, "233x-tptu")[0].status == "unused"


def test_find_which_order_got_a_code_then_void_it(qtbot, themed, shop, organizer, monkeypatch):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    given = sold.codes[0].code
    w = _window(qtbot, shop, SELLER, ask_pin=lambda reason: organizer)
    qtbot.keyClicks(w.search, given.upper())
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.isVisible()  # a scanner's Enter finds the code, never closes the window
    assert w.notice.text() == f"{given} went to order {sold.number} (Test night)"
    assert w.found_table.item(0, 3).text() == sold.number
    assert w.void_button.isEnabled() and w.order_button.isEnabled()
    opened: list[tuple[int | None, str]] = []

    def look_at_the_order() -> None:
        shown = QApplication.activeModalWidget()
        if not isinstance(shown, OrdersWindow):
            QTimer.singleShot(20, look_at_the_order)
            return
        detail = shown.detail
        opened.append((detail.head.id if detail else None, shown.view.toPlainText()))
        shown.reject()

    QTimer.singleShot(0, look_at_the_order)
    qtbot.mouseClick(w.order_button, Qt.MouseButton.LeftButton)
    ((order_id, text),) = opened
    assert order_id == sold.order_id and given in text
    asked: list[str] = []
    monkeypatch.setattr(w, "ask_reason", lambda code: asked.append(code.code) or "resold online")
    qtbot.mouseClick(w.void_button, Qt.MouseButton.LeftButton)
    assert asked == [given]
    assert w.notice.text() == f"Voided {given} of DL-CARD"
    assert w.found_table.item(0, 2).text() == "void" and not w.void_button.isEnabled()
    assert _row(w, "DL-CARD")[4:] == ["0", "1"]


def test_an_unknown_or_bad_code_says_so(qtbot, themed, shop, organizer):
    w = _window(qtbot, shop, organizer)
    w.search.setText("NOT-A-CODE")
    w.find_code()
    assert w.notice.text() == "No download code 'NOT-A-CODE' in any pool"
    w.search.setText("two words")
    w.find_code()
    assert "a code has no spaces in it" in w.notice.text()
    assert w.found_table.rowCount() == 0


def test_fits_a_small_laptop_screen(qtbot, themed, shop, organizer):
    w = _window(qtbot, shop, organizer)
    assert w.width() <= 1280 and w.height() <= 660
    assert w.minimumSizeHint().height() <= 660
