"""The settings page where the organizer sets what sellers and helpers may do alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.services import permissions, staff
from popup_pos.services.permissions import Limits

LEFT = Qt.MouseButton.LeftButton


def _settings(qtbot, shop):
    organizer = staff.set_organizer(shop.uow, "Sam", "482913")
    dialog = SettingsDialog(shop.uow, organizer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_limits_are_edited_and_saved(qtbot, shop):
    dialog = _settings(qtbot, shop)
    page = dialog.permissions
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.indexOf(page)) == "Limits"
    assert (page.helper_spin.value(), page.seller_spin.value()) == (0, 100)
    assert page.cap_edit.text() == "$100.00"
    page.helper_spin.setValue(15)
    page.cap_edit.setText("250")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ui.saveButton, LEFT)
    assert permissions.get_limits(shop.uow) == Limits(15, 100, 250_00)


def test_a_bad_cap_is_named_and_nothing_is_saved(qtbot, shop):
    dialog = _settings(qtbot, shop)
    dialog.permissions.cap_edit.setText("lots")
    qtbot.mouseClick(dialog.ui.saveButton, LEFT)
    assert dialog.isVisible()
    assert dialog.ui.tabs.currentWidget() is dialog.permissions
    assert "custom amount cap" in dialog.ui.notice.toolTip()
    assert permissions.get_limits(shop.uow) == Limits()
