"""Settings → Mail: save (password to the keyring), Check and Send test on a real server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from popup_pos.gui.dialogs.mail_page import MailPage
from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.services import delivery
from tests.smtp_support import ring, smtp_server

__all__ = ["ring", "smtp_server"]
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")

LEFT = Qt.MouseButton.LeftButton
WAIT_MS = 20_000
_open: list[SettingsDialog] = []


@pytest.fixture(autouse=True)
def _keep_dialogs_alive():
    yield
    _open.clear()


def page_of(qtbot, shop, organizer) -> MailPage:
    dialog = SettingsDialog(shop.uow, organizer, register_code="A")
    _open.append(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.ui.tabs.setCurrentWidget(dialog.mail)
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.currentIndex()) == "Mail"
    return dialog.mail


def test_save_check_and_send_test(qtbot, themed, shop, organizer, smtp_server, ring):
    page = page_of(qtbot, shop, organizer)
    qtbot.waitUntil(lambda: "Stored password" in page.password_label.text(), timeout=WAIT_MS)
    page.host.setText("127.0.0.1")
    page.security.setCurrentIndex(page.security.findData("none"))
    page.port.setValue(smtp_server.port)
    page.sender_edit.setText("shop@example.com")
    qtbot.keyClicks(page.password, "pw-typed-here")
    qtbot.mouseClick(page.save_button, LEFT)
    assert page.password.text() == ""
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)
    assert ring.items[("popup-pos", "smtp-password")] == "pw-typed-here"
    assert delivery.mail_settings(shop.uow).port == smtp_server.port
    qtbot.mouseClick(page.check_button, LEFT)
    qtbot.waitUntil(lambda: "mail can be sent" in page.notice.toolTip() + page.notice.text(),
                    timeout=WAIT_MS)  # fmt: skip
    page.test_to.setText("me@example.com")
    qtbot.mouseClick(page.test_button, LEFT)
    qtbot.waitUntil(lambda: len(smtp_server.sink.raw) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)


def test_a_bad_address_is_refused_at_once(qtbot, themed, shop, organizer, ring):
    page = page_of(qtbot, shop, organizer)
    page.test_to.setText("not an address")
    qtbot.mouseClick(page.test_button, LEFT)
    assert "is not an email address" in page.notice.text() + page.notice.toolTip()
    page.sender_edit.setText("shop")
    qtbot.mouseClick(page.save_button, LEFT)
    assert "the sender (--from) 'shop'" in page.notice.text() + page.notice.toolTip()
