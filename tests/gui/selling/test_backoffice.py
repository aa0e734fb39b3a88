"""The selling screen's Back office menu: its entries, their keys, the windows they open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from popup_pos.gui.backoffice.codes import CodesWindow
from popup_pos.gui.backoffice.orders import OrdersWindow
from popup_pos.gui.selling.backoffice import BACK_OFFICE, BUTTON
from tests.gui.conftest import open_register

pytestmark = pytest.mark.qt_log_ignore(
    r"does not support propagateSizeHints", r"does not support raise", r"does not support grabbing"
)


def _close_next(kind: type, seen: list[object]) -> None:
    """Close the next window of `kind` to open (it runs its own event loop); gives up
    after a few seconds, so a window that never opens fails the test instead of hanging."""
    looks = [0]

    def look() -> None:
        shown = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if shown is not None and isinstance(shown, kind):
            seen.append(shown)
            shown.close()
            return
        looks[0] += 1
        if looks[0] < 250:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def test_the_menu_lists_orders_and_codes_with_their_keys(qtbot, themed, shop, organizer):
    w = open_register(qtbot, shop, organizer)
    seen: list[object] = []
    _close_next(QMenu, seen)
    w.top_buttons[BUTTON].click()
    (menu,) = seen
    assert isinstance(menu, QMenu)
    entries = [(a.text(), a.shortcut().toString()) for a in menu.actions()]
    assert entries == [(label, keys) for label, keys, _method in BACK_OFFICE]
    listed = {s.label: s.keys for s in w.shortcuts}
    assert listed["Orders…"] == "Ctrl+Shift+O" and listed["Download codes…"] == "Ctrl+Shift+K"
    # No other action has these keys.
    keys = [k for s in w.shortcuts for k in s.keys.split(" or ")]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("keys", "kind"), [("Ctrl+Shift+O", OrdersWindow), ("Ctrl+Shift+K", CodesWindow)]
)
def test_the_actions_open_the_windows(qtbot, themed, shop, organizer, keys, kind):
    w = open_register(qtbot, shop, organizer)
    (action,) = [a for a in w.back_office_actions if a.shortcut().toString() == keys]
    seen: list[object] = []
    _close_next(kind, seen)
    action.trigger()
    assert len(seen) == 1 and isinstance(seen[0], QDialog)
