"""Settings → Helpers' phones: switch the server on, pair a phone by its QR, sign it out."""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt

from popup_pos.gui.dialogs import phones_page
from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.services import devices, staff

LEFT = Qt.MouseButton.LeftButton


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dialog(qtbot: Any, shop: Any) -> Iterator[SettingsDialog]:
    organizer = staff.set_organizer(shop.uow, "Sam", "482913")
    staff.add_staff(shop.uow, "Robin", "helper", "4321", actor="Sam")
    d = SettingsDialog(shop.uow, organizer)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    try:
        yield d
    finally:
        phones_page.stop_server()


def test_switch_pair_and_sign_out(qtbot: Any, dialog: SettingsDialog, shop: Any) -> None:
    page = dialog.phones
    dialog.ui.tabs.setCurrentWidget(page)
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.indexOf(page)) == "Helpers' phones"
    assert not page.pair_button.isEnabled()
    page.https_check.setChecked(False)
    page.port_spin.setValue(_free_port())
    page.switch.setChecked(True)
    assert "On: http://" in page.status.text(), page.notice.text()
    qtbot.mouseClick(page.pair_button, LEFT)
    url = page.qr.payload()
    assert url is not None and "#pair=" in url
    code = url.split("#pair=")[1]
    local = f"http://127.0.0.1:{urlsplit(url).port}/api/pair"
    body = json.dumps({"code": code, "pin": "4321"}).encode()
    req = urllib.request.Request(local, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as res:
        token = json.loads(res.read())["token"]
    page.refresh()
    assert page.list.count() == 1 and "Robin" in page.list.item(0).text()
    assert "cash taken $0.00" in page.list.item(0).text()
    page.list.item(0).setSelected(True)
    qtbot.mouseClick(page.revoke_button, LEFT)
    with pytest.raises(devices.NotSignedInError):
        devices.authenticate(shop.uow, token)
    page.switch.setChecked(False)
    assert phones_page.running_server() is None
    assert "Off" in page.status.text()
