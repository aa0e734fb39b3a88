"""The selling screen's layout on a 1280×720 laptop and a 1920×1080 desktop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.probe import elided
from popup_pos.gui.selling.layout import WIDE_WINDOW
from popup_pos.services.events import current_event
from tests.gui.conftest import QuietSounds
from tests.gui.fit_support import CLIENT

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.fixture
def laptop(qtbot, themed, shop, organizer):
    w = MainWindow(
        shop.uow, current_event(shop.uow), shop.register, organizer, sounds=QuietSounds()
    )
    qtbot.addWidget(w)
    w.resize(CLIENT)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.loading)
    return w


def _sell_seven(window: MainWindow) -> None:
    for code in ("TEE-S", "TEE-M", "TEE-L", "POSTER", "TEE-S", "CARD", "BUNDLE"):
        window.on_scan(code)


def test_the_window_can_be_as_small_as_a_laptop_screen(laptop):
    hint = laptop.minimumSizeHint().expandedTo(laptop.minimumSize())
    assert hint.width() <= CLIENT.width() and hint.height() <= CLIENT.height()
    assert laptop.size() == CLIENT


def test_on_a_laptop_the_queues_fold_into_a_tab_that_counts_waiting_orders(qtbot, laptop):
    assert laptop.queues_folded and laptop.left_tabs.tabBar().isVisible()
    assert laptop.left_tabs.currentIndex() == 0 and laptop.tiles.isVisible()
    laptop.note_queue(3)
    assert laptop.left_tabs.tabText(1) == "Orders && tickets (3)"
    laptop.show_queue(1)
    assert laptop.queue_tabs.isVisible() and laptop.queue_tabs.currentIndex() == 1
    laptop.show_items()
    assert laptop.tiles.isVisible()


def test_on_a_wide_screen_the_queues_have_their_own_column(qtbot, laptop):
    laptop.resize(1920, 1040)
    qtbot.waitUntil(lambda: not laptop.queues_folded)
    assert laptop.queue_tabs.isVisible() and laptop.tiles.isVisible()
    assert not laptop.left_tabs.tabBar().isVisible()
    assert laptop.splitter.count() == 3
    laptop.resize(WIDE_WINDOW - 1, 700)
    qtbot.waitUntil(lambda: laptop.queues_folded)
    assert laptop.left_tabs.indexOf(laptop.queue_tabs) == 1


def test_the_cart_keeps_five_lines_and_shows_the_one_just_scanned(qtbot, laptop):
    _sell_seven(laptop)
    qtbot.waitUntil(lambda: laptop.panel.visible_rows() >= 5)
    table = laptop.panel.table
    last = table.model().index(table.rowCount() - 1, 0)
    assert table.viewport().rect().contains(table.visualRect(last))
    # Scanning an item already in the cart shows that line, far up or not.
    table.scrollToBottom()
    laptop.on_scan("TEE-S")
    first = table.model().index(0, 0)
    assert table.viewport().rect().contains(table.visualRect(first))
    assert laptop.panel.selected_row() == 0


def _geometry(button: QPushButton, window: MainWindow) -> QRect:
    return QRect(button.mapTo(window, button.rect().topLeft()), button.size())


def test_tender_keys_never_overlap_and_their_labels_fit(qtbot, laptop):
    _sell_seven(laptop)
    panel = laptop.panel
    keys = [panel.exact, *panel.round_keys, panel.wallet, panel.stripe, panel.card]
    keys += [panel.split_key, panel.park_key, panel.new_key]
    rects = [_geometry(k, laptop) for k in keys]
    for i, a in enumerate(rects):
        assert laptop.rect().contains(a), keys[i].text()
        for j, b in enumerate(rects[i + 1 :], i + 1):
            assert not a.intersects(b), (keys[i].text(), keys[j].text())
    for key in keys:
        widest = max(key.fontMetrics().horizontalAdvance(t) for t in key.text().split("\n"))
        assert widest <= key.contentsRect().width(), key.text()


def test_change_due_shows_whole_in_the_lines_place(qtbot, laptop):
    laptop.on_scan("TEE-S")
    laptop.pay_cash(10_000)
    change = laptop.panel.change
    assert change.isVisible() and change.text() == "Change $70.00"
    assert not elided(change) and change.height() >= change.sizeHint().height()
    laptop.on_scan("POSTER")
    assert not change.isVisible() and laptop.panel.table.isVisible()


def test_key_labels_and_every_flow_button_are_on_a_laptop_screen(qtbot, laptop):
    _sell_seven(laptop)
    QApplication.processEvents()  # the cart's layout runs after the scan, as on screen
    for label in (laptop.panel.total, laptop.panel.title):
        assert label.isVisible() and not elided(label), label.text()
    screen = laptop.rect()
    for text in ("Report", "Close night…", "Settings", "Lock  Ctrl+L", "Receipt"):
        b = laptop.top_buttons[text]
        assert screen.contains(_geometry(b, laptop)), text
        assert b.fontMetrics().horizontalAdvance(b.text()) <= b.contentsRect().width()
    laptop.show_queue(0)
    for text in ("Handed over", "Refund…", "Take cash", "Cancel"):
        b = laptop.orders.buttons[text]
        assert b.isVisible() and screen.contains(_geometry(b, laptop)), text


def test_the_split_key_and_the_close_night_button_start_their_flows(qtbot, laptop, monkeypatch):
    laptop.on_scan("TEE-M")  # 30.00
    assert laptop.panel.split_key.isEnabled()
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("10", True))
    qtbot.mouseClick(laptop.panel.split_key, Qt.MouseButton.LeftButton)
    assert laptop.order_id is not None
    assert "$20.00 still due" in laptop.panel.notice.text()
    from popup_pos.gui.close_event import CloseEventDialog

    opened: list[CloseEventDialog] = []
    monkeypatch.setattr(CloseEventDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(laptop.top_buttons["Close night…"], Qt.MouseButton.LeftButton)
    assert len(opened) == 1


def test_a_scanned_order_number_unfolds_the_queue(qtbot, laptop, shop):
    from popup_pos.services import checkout
    from popup_pos.services.checkout import Cart, CartLine

    placed = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    laptop.refresh()
    assert laptop.left_tabs.tabText(1) == "Orders && tickets (1)"
    assert laptop.tiles.isVisible()
    laptop.on_scan(placed.number)
    assert laptop.queue_tabs.isVisible() and laptop.queue_tabs.currentIndex() == 0
    assert laptop.orders.selected is not None and laptop.orders.selected[0] == placed.order_id


def test_a_long_heading_ends_in_an_ellipsis_not_mid_letter(qtbot, laptop):
    from dataclasses import replace

    name = "Midnight Static album release afterparty"
    laptop.pos_event = replace(laptop.pos_event, name=name)
    laptop._update_heading()
    heading = laptop.heading
    assert heading.text().startswith(name) and heading.toolTip() == heading.text()
    shown = heading.shown()
    assert shown.endswith("…") and name.startswith(shown[:-1].rstrip())
    assert heading.fontMetrics().horizontalAdvance(shown) <= heading.contentsRect().width()
    laptop.resize(1920, 1040)
    qtbot.waitUntil(lambda: heading.shown() == heading.text())
