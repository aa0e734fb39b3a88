"""Settings → Stripe: the key (masked, from where), Check and card readers, on the fake."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.gui.dialogs.stripe_page import StripePage
from popup_pos.services import staff
from popup_pos.services.staff import StaffInfo
from tests.conftest import Shop
from tests.stripe_fake.support import TEST_KEY, FakeStripe, MemoryKeyring

pytest_plugins = ["tests.stripe_fake.fixtures"]
# The offscreen platform says so for every dialog shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")

LEFT = Qt.MouseButton.LeftButton
WAIT_MS = 10_000


@pytest.fixture
def organizer(shop: Shop) -> StaffInfo:
    return staff.set_organizer(shop.uow, "Sam", "123456")


_open: list[SettingsDialog] = []


@pytest.fixture(autouse=True)
def _keep_dialogs_alive():
    # qtbot holds widgets weakly; the test holds only the page.
    yield
    _open.clear()


def page_of(qtbot, shop: Shop, organizer: StaffInfo) -> StripePage:
    dialog = SettingsDialog(shop.uow, organizer, register_code="A")
    _open.append(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.ui.tabs.setCurrentWidget(dialog.stripe)
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.currentIndex()) == "Stripe"
    return dialog.stripe


def idle(qtbot, page: StripePage) -> None:
    qtbot.waitUntil(lambda: not page.busy and page.key_label.text() != "checking…", timeout=WAIT_MS)


def test_key_from_the_environment_shown_masked(qtbot, shop, organizer, stripe):
    page = page_of(qtbot, shop, organizer)
    idle(qtbot, page)
    assert page.key_label.text() == "sk_test_…6789 (from STRIPE_API_KEY)"
    assert TEST_KEY not in page.key_label.text() + page.key_label.toolTip()
    assert page.register_edit.text() == "A"
    assert page.readers.item(0).text() == "No card reader registered here"


def test_without_a_keyring_saving_says_to_use_the_variable(
    qtbot, shop, organizer, stripe: FakeStripe
):
    page = page_of(qtbot, shop, organizer)
    idle(qtbot, page)
    qtbot.keyClicks(page.key_edit, "sk_test_51SomethingElseEntirely0000")
    qtbot.mouseClick(page.save_key_button, LEFT)
    assert page.key_edit.text() == ""  # gone from the field at once
    qtbot.waitUntil(lambda: "set STRIPE_API_KEY" in page.check_label.toolTip(), timeout=WAIT_MS)
    assert page.check_label.property("level") == "error"


def test_save_key_to_the_keyring_check_and_register_a_reader(
    qtbot, shop, organizer, stripe: FakeStripe, memory_keyring: MemoryKeyring
):
    page = page_of(qtbot, shop, organizer)
    idle(qtbot, page)
    qtbot.keyClicks(page.key_edit, TEST_KEY)
    assert page.key_edit.echoMode() == page.key_edit.EchoMode.Password
    qtbot.keyClick(page.key_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "keyring" in page.key_label.text(), timeout=WAIT_MS)
    assert page.key_label.text() == "sk_test_…6789 (from the system keyring)"
    assert memory_keyring.items == {("popup-pos", "stripe-api-key"): TEST_KEY}

    qtbot.mouseClick(page.check_button, LEFT)
    qtbot.waitUntil(lambda: page.check_label.text().startswith("Key works"), timeout=WAIT_MS)
    assert "test mode" in page.check_label.toolTip() and "0 readers" in page.check_label.toolTip()

    qtbot.keyClicks(page.code_edit, "simulated-wpe")
    qtbot.keyClicks(page.label_edit, "Front table")
    qtbot.mouseClick(page.register_button, LEFT)
    qtbot.waitUntil(lambda: page.check_label.toolTip() == "Reader registered", timeout=WAIT_MS)
    line = page.readers.item(0).text()
    assert line.startswith("Front table · bbpos_wisepos_e · tmr_") and "register A" in line
    assert page.code_edit.text() == "" and page.readers.count() == 1

    qtbot.mouseClick(page.check_button, LEFT)
    qtbot.waitUntil(lambda: "1 reader (1 online)" in page.check_label.toolTip(), timeout=WAIT_MS)

    # The key went to the keyring only: not the settings, not the audit log.
    # (The audit hashes are left out: "6789" turns up in random hex now and then.)
    with shop.uow:
        for query in (
            "SELECT * FROM settings",
            "SELECT at, actor, action, entity, entity_id, data FROM audit_entries",
        ):
            dump = " ".join(map(str, shop.uow.conn.execute(text(query))))
            assert TEST_KEY not in dump and "6789" not in dump


def test_register_needs_a_code_and_a_label(qtbot, shop, organizer, stripe):
    page = page_of(qtbot, shop, organizer)
    idle(qtbot, page)
    qtbot.keyClicks(page.code_edit, "simulated-wpe")
    qtbot.mouseClick(page.register_button, LEFT)
    assert page.check_label.toolTip() == "Type the code the reader shows and a label for it"
    assert not page.busy


def test_check_without_any_key_explains(qtbot, shop, organizer, stripe, monkeypatch):
    from popup_pos.services import payments

    monkeypatch.delenv("STRIPE_API_KEY")
    payments.reset_connection()
    page = page_of(qtbot, shop, organizer)
    idle(qtbot, page)
    assert page.key_label.text().startswith("none")
    qtbot.mouseClick(page.check_button, LEFT)
    qtbot.waitUntil(lambda: "STRIPE_API_KEY" in page.check_label.toolTip(), timeout=WAIT_MS)
