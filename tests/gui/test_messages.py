"""The notice line: messages wrap, expire when no longer true, and the last twenty are kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from popup_pos.gui import messages
from popup_pos.gui.messages import LOG_SIZE, MessageLog, NoticeLine
from popup_pos.services import inventory
from tests.gui.conftest import open_register

LONG = (
    "that PIN is already used by someone else: choose another, or ask the organizer "
    "to remove the helper who has it before adding this one"
)


@pytest.fixture
def notice(qtbot):
    host = QWidget()
    host.resize(320, 400)
    layout = QVBoxLayout(host)
    line = NoticeLine()
    layout.addWidget(line)
    layout.addStretch(1)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    yield line  # the host lives until the test is over


@pytest.fixture
def window(qtbot, shop, organizer):
    w = open_register(qtbot, shop, organizer)
    return w


def test_a_long_message_wraps_whole(qtbot, notice):
    notice.say(LONG, "error")
    QApplication.processEvents()  # the layout runs on its posted request
    assert notice.text() == LONG  # never an ellipsis
    assert notice.wordWrap()
    assert notice.heightForWidth(notice.width()) <= notice.height()
    assert notice.height() > 2 * notice.fontMetrics().lineSpacing()


def test_plain_information_expires_on_its_own(qtbot, notice, monkeypatch):
    monkeypatch.setattr(messages, "INFO_MS", 30)
    notice.say("Added Tour tee", "info")
    assert notice.current == "Added Tour tee"
    qtbot.waitUntil(lambda: notice.current == "")
    assert notice.property("level") == "idle"
    assert [m.text for m in notice.log] == ["Added Tour tee"]  # still in the log


def test_a_refusal_stays_until_the_cart_changes(qtbot, notice, monkeypatch):
    monkeypatch.setattr(messages, "INFO_MS", 30)
    notice.cart_changed(("tee",))
    notice.say("Tour tee — XL is sold out", "error")
    notice.cart_changed(("tee",))  # the same cart shown again: still true
    with pytest.raises(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: notice.current == "", timeout=200)
    notice.cart_changed(("tee", "poster"))
    assert notice.current == ""


def test_a_newer_message_replaces_a_refusal(notice):
    notice.say("Unknown code: XYZ", "error")
    notice.say("Added Poster", "info")
    assert notice.current == "Added Poster" and notice.property("level") == "info"


def test_the_log_keeps_the_last_twenty_with_times(qtbot, notice):
    for i in range(LOG_SIZE + 5):
        notice.say(f"message {i}", "warn" if i % 2 else "info")
    notice.say(" ")  # clearing is not a message
    assert len(notice.log) == LOG_SIZE
    assert notice.log[0].text == "message 5" and notice.log[-1].text == "message 24"
    log = MessageLog(notice)
    qtbot.addWidget(log)
    assert len(log.lines) == LOG_SIZE
    assert log.lines[0].endswith("Info: message 24")  # newest first
    assert log.lines[1].endswith("Warning: message 23")
    assert log.lines[0][:8].count(":") == 2  # HH:MM:SS
    notice.say("one more", "error")
    assert log.lines[0].endswith("Refused: one more") and len(log.lines) == LOG_SIZE


def test_sold_out_goes_when_the_cart_changes(qtbot, window, shop):
    inventory.adjust(shop.uow, "TEE-XL", -shop.on_hand("TEE-XL"), "recount")
    window.refresh()
    assert not window.add_variant(window.by_code["TEE-XL"])
    assert "sold out" in window.panel.notice.current
    window.refresh()  # a refresh is not news: the refusal stays
    assert "sold out" in window.panel.notice.current
    window.on_scan("POSTER")
    assert "sold out" not in window.panel.notice.current


def test_an_unknown_code_goes_after_the_next_good_scan(qtbot, window):
    window.on_scan("NO-SUCH-THING")
    assert "Unknown code" in window.panel.notice.current
    window.on_scan("POSTER")
    assert "Unknown code" not in window.panel.notice.current
    assert any("Unknown code" in m.text for m in window.panel.notice.log)


def test_ctrl_m_opens_the_log(qtbot, window, monkeypatch):
    shown: list[list[str]] = []
    monkeypatch.setattr(MessageLog, "exec", lambda self: shown.append(self.lines) or 0)
    window.on_scan("NO-SUCH-THING")
    window.activateWindow()
    QTest.keyClick(window.tiles, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert shown and shown[0][0].endswith("Refused: Unknown code: NO-SUCH-THING")
    qtbot.mouseClick(window.panel.notice, Qt.MouseButton.LeftButton)
    assert len(shown) == 2
    assert any(s.keys == "Ctrl+M" for s in window.shortcuts)


def test_a_dialogs_notice_wraps_instead_of_an_ellipsis(qtbot):
    from PySide6.QtWidgets import QDialog, QLabel

    from popup_pos.gui.dialogs.kit import _prepare_notice, _say

    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    label = QLabel()
    _prepare_notice(label)
    layout.addWidget(label)
    dialog.resize(300, 100)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _say(label, LONG)
    QApplication.processEvents()
    assert label.text() == LONG and "…" not in label.text()
    assert label.heightForWidth(label.width()) <= label.height()
