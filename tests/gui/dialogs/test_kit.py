"""Every dialog fits a 1280×720 laptop with a taskbar; long ones scroll, their buttons stay."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from popup_pos.gui.about import AboutDialog
from popup_pos.gui.close_event import CloseEventDialog
from popup_pos.gui.dialogs.first_run import FirstRunDialog
from popup_pos.gui.dialogs.kit import FRAME_ALLOWANCE, fit_to_screen, scrolling
from popup_pos.gui.dialogs.open_event import OpenEventDialog
from popup_pos.gui.dialogs.pin import PinDialog
from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.gui.help import HelpOverlay, Shortcut
from popup_pos.gui.printing import LabelsDialog
from popup_pos.gui.refund import RefundDialog
from popup_pos.gui.report_view import ReportView
from popup_pos.services import checkout, staff
from popup_pos.services.checkout import Cart, CartLine
from tests.conftest import Shop
from tests.gui.fit_support import CLIENT, LAPTOP

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


def _organizer(shop: Shop) -> staff.StaffInfo:
    return staff.set_organizer(shop.uow, "Sam", "123456")


def _sold(shop: Shop) -> int:
    return checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),))).order_id


DIALOGS: dict[str, Callable[[Shop], QWidget]] = {
    "pin": lambda shop: PinDialog(shop.uow, None, reason="Sign in with your PIN"),
    "first run": lambda shop: FirstRunDialog(shop.uow),
    "open event": lambda shop: OpenEventDialog(shop.uow, actor="Sam"),
    "settings": lambda shop: SettingsDialog(shop.uow, _organizer(shop)),
    "close event": lambda shop: CloseEventDialog(shop.uow, _organizer(shop)),
    "report": lambda shop: ReportView(shop.uow),
    "refund": lambda shop: RefundDialog(shop.uow, _sold(shop), actor="Sam"),
    "labels": lambda shop: LabelsDialog(shop.uow, None),
    "help": lambda shop: HelpOverlay([Shortcut("F5", "Cash, exact amount")] * 40),
    "about": lambda shop: AboutDialog("sqlite:///x.sqlite"),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_can_be_as_small_as_a_laptop_screen(qtbot, themed, shop, name):
    dialog = DIALOGS[name](shop)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    assert hint.width() <= LAPTOP.width() - FRAME_ALLOWANCE.width(), name
    assert hint.height() <= CLIENT.height(), name


def _inside(button: QPushButton, dialog: QWidget) -> bool:
    at = button.mapTo(dialog, button.rect().topLeft())
    return dialog.rect().contains(QRect(at, button.size()))


def test_the_close_dialog_scrolls_and_keeps_its_buttons_on_a_laptop(qtbot, themed, shop):
    dialog = CloseEventDialog(shop.uow, _organizer(shop))
    qtbot.addWidget(dialog)
    dialog.resize(CLIENT)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.count_out_check.setChecked(True)  # the tallest the count page gets
    assert dialog.height() <= CLIENT.height()
    assert _inside(dialog.close_button, dialog) and _inside(dialog.cancel_button, dialog)
    dialog.pages.setCurrentIndex(1)
    assert _inside(dialog.done_button, dialog)


def test_settings_and_report_keep_their_buttons_on_a_laptop(qtbot, themed, shop):
    settings = SettingsDialog(shop.uow, _organizer(shop))
    report = ReportView(shop.uow)
    for dialog in (settings, report):
        qtbot.addWidget(dialog)
        dialog.resize(CLIENT)
        dialog.show()
        qtbot.waitExposed(dialog)
    assert _inside(settings.ui.saveButton, settings) and _inside(settings.ui.closeButton, settings)
    qtbot.waitUntil(lambda: report.report is not None)
    assert _inside(report.close_button, report) and _inside(report.pdf_button, report)


def test_a_dialog_opens_no_bigger_than_the_free_room_on_screen(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry().size() - FRAME_ALLOWANCE
    fit_to_screen(dialog, QSize(5000, 5000))
    assert dialog.size() == room
    fit_to_screen(dialog, QSize(300, 200))
    assert dialog.size() == QSize(300, 200)
    fit_to_screen(dialog, QSize(300, 200), share=0.5)
    assert dialog.size() == (room * 0.5).expandedTo(QSize(300, 200))


def test_scrolling_puts_the_body_in_a_vertical_scroll_area(qtbot):
    body = QWidget()
    area = scrolling(body)
    qtbot.addWidget(area)
    assert area.widget() is body and area.widgetResizable()
