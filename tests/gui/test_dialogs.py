"""Start-up and settings dialogs, driven the way a person would: keys, clicks and taps."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from popup_pos.domain.pricing import TaxClass
from popup_pos.gui.dialogs.cash_count import denomination_label, denominations
from popup_pos.gui.dialogs.first_run import FirstRunDialog
from popup_pos.gui.dialogs.open_event import OpenEventDialog
from popup_pos.gui.dialogs.pin import PinDialog
from popup_pos.gui.dialogs.settings import SettingsDialog
from popup_pos.services import event_terms, events, settings, staff

LEFT = Qt.MouseButton.LeftButton
# The offscreen platform says so for every dialog shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def organizer(uow):
    return staff.set_organizer(uow, "Sam", "123456")


def test_pin_dialog_accepts_the_right_pin_typed(qtbot, uow, organizer):
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in with your PIN"))
    qtbot.keyClicks(dialog, "123456")
    assert dialog.ui.pinDisplay.text() == "123456"
    assert dialog.ui.pinDisplay.echoMode() == dialog.ui.pinDisplay.EchoMode.Password
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.staff == organizer


def test_pin_dialog_accepts_the_pad(qtbot, uow, organizer):
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in"))
    for digit in "1299":
        qtbot.mouseClick(getattr(dialog.ui, f"digit{digit}Button"), LEFT)
    qtbot.mouseClick(dialog.ui.clearButton, LEFT)
    for digit in "123456":
        qtbot.mouseClick(getattr(dialog.ui, f"digit{digit}Button"), LEFT)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ui.okButton, LEFT)
    assert dialog.staff == organizer


def test_pin_dialog_refuses_a_wrong_pin(qtbot, uow, organizer):
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in"))
    qtbot.keyClicks(dialog, "9999")
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.isVisible() and dialog.staff is None
    assert dialog.ui.notice.toolTip() == "Wrong PIN — try again"
    assert dialog.ui.pinDisplay.text() == ""
    # Backspace fixes a slip; the right PIN still gets in afterwards.
    qtbot.keyClicks(dialog, "1234567")
    qtbot.keyClick(dialog, Qt.Key.Key_Backspace)
    assert dialog.ui.notice.toolTip() == ""
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.staff == organizer


def test_pin_dialog_wants_the_role_asked_for(qtbot, uow, organizer):
    staff.add_staff(uow, "Robin", "seller", "5678")
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Refunds", role="organizer"))
    qtbot.keyClicks(dialog, "5678")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.staff is None and dialog.isVisible()
    assert dialog.ui.notice.toolTip() == "this needs the organizer's PIN"
    qtbot.keyClicks(dialog, "123456")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_pin_dialog_escape_cancels(qtbot, uow, organizer):
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in"))
    qtbot.keyClicks(dialog, "12")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.staff is None


def test_first_run_sets_the_organizer(qtbot, uow):
    dialog = _shown(qtbot, FirstRunDialog(uow))
    qtbot.keyClicks(dialog.ui.nameEdit, "Sam Rivera")
    qtbot.keyClicks(dialog.ui.pinEdit, "24x6813")  # the x is refused as it is typed
    qtbot.keyClicks(dialog.ui.confirmEdit, "246913")
    qtbot.mouseClick(dialog.ui.okButton, LEFT)
    assert dialog.ui.notice.toolTip() == "The two PINs are different: type the PIN again"
    assert staff.needs_organizer(uow)
    qtbot.keyClicks(dialog.ui.confirmEdit, "246813")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ui.okButton, LEFT)
    assert dialog.staff is not None and dialog.staff.role == "organizer"
    assert not staff.needs_organizer(uow)
    assert staff.verify_pin(uow, "246813") == dialog.staff


def test_first_run_short_pin_is_explained(qtbot, uow):
    dialog = _shown(qtbot, FirstRunDialog(uow))
    qtbot.keyClicks(dialog.ui.nameEdit, "Sam")
    qtbot.keyClicks(dialog.ui.pinEdit, "12")
    qtbot.keyClicks(dialog.ui.confirmEdit, "12")
    qtbot.mouseClick(dialog.ui.okButton, LEFT)
    assert "4 to 8 digits" in dialog.ui.notice.toolTip()
    assert dialog.isVisible()


def test_open_event_by_denominations(qtbot, uow):
    dialog = _shown(qtbot, OpenEventDialog(uow, actor="Sam"))
    qtbot.keyClicks(dialog.ui.nameEdit, "Friday at the Bowery")
    assert dialog.currency == "USD"
    qtbot.mouseClick(dialog.ui.denominationsRadio, LEFT)
    assert dialog.ui.floatStack.currentWidget() is dialog.ui.denominationsPage
    dialog.set_count(2000, 5)
    dialog.set_count(100, 10)
    dialog.set_count(25, 8)
    dialog.set_count(1, 3)
    assert dialog.ui.floatTotalLabel.text() == "Float: $112.03"
    assert dialog.ui.denominationTable.item(0, 0).text() == "$100"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ui.openButton, LEFT)
    current = events.current_event(uow)
    assert current is not None and dialog.opened == current
    assert (current.name, current.currency, current.float_cents) == (
        "Friday at the Bowery",
        "USD",
        112_03,
    )


def test_open_event_by_total_and_currency(qtbot, uow):
    dialog = _shown(qtbot, OpenEventDialog(uow))
    qtbot.keyClicks(dialog.ui.nameEdit, "Berlin pop-up")
    dialog.ui.currencyCombo.setCurrentIndex(dialog.ui.currencyCombo.findText("EUR — Euro"))
    qtbot.keyClicks(dialog.ui.floatEdit, "1.234,50")
    assert dialog.ui.floatTotalLabel.text() == "Float: €1,234.50"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.ui.floatEdit, Qt.Key.Key_Return)
    current = events.current_event(uow)
    assert current is not None
    assert (current.currency, current.float_cents) == ("EUR", 1_234_50)


def test_open_event_mistakes_show_inline(qtbot, uow):
    dialog = _shown(qtbot, OpenEventDialog(uow))
    qtbot.keyClicks(dialog.ui.nameEdit, "Night")
    qtbot.keyClicks(dialog.ui.floatEdit, "12.345")
    assert dialog.ui.floatTotalLabel.text() == "Float: —"
    qtbot.mouseClick(dialog.ui.openButton, LEFT)
    assert dialog.ui.notice.toolTip() == (
        "float '12.345' has more decimals than USD allows (2 decimal places)"
    )
    qtbot.keyClick(dialog.ui.floatEdit, Qt.Key.Key_Backspace)
    dialog.ui.nameEdit.clear()
    qtbot.mouseClick(dialog.ui.openButton, LEFT)
    assert dialog.ui.notice.toolTip() == "the event needs a name"
    assert dialog.isVisible() and events.current_event(uow) is None


def test_enter_in_a_count_moves_to_the_next_count(qtbot, uow):
    dialog = _shown(qtbot, OpenEventDialog(uow))
    qtbot.mouseClick(dialog.ui.denominationsRadio, LEFT)
    first = dialog.ui.denominationTable.cellWidget(0, 1)
    second = dialog.ui.denominationTable.cellWidget(1, 1)
    first.setFocus()
    qtbot.keyClicks(first, "2")
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClick(first, Qt.Key.Key_Return)
    qtbot.waitUntil(second.hasFocus)
    qtbot.keyClicks(second, "3")
    assert dialog.ui.floatTotalLabel.text() == "Float: $350.00"


def test_denominations_for_any_known_currency():
    assert denominations("JPY")[0] == 10000 and denomination_label(10000, "JPY") == "¥10,000"
    assert denomination_label(50, "EUR") == "€0.50"
    assert denominations("BHD")[:2] == (100_000, 50_000)
    assert denomination_label(200_00, "CHF") == "200 CHF"


@pytest.fixture
def organizer_in_shop(shop):
    return staff.set_organizer(shop.uow, "Sam", "123456")


def test_settings_save_wallets_printing_and_terms(qtbot, shop, organizer_in_shop):
    uow = shop.uow
    dialog = _shown(qtbot, SettingsDialog(uow, organizer_in_shop))
    ui = dialog.ui
    assert ui.eventNameValue.text() == "Test night"
    assert [ui.tip1Edit.text(), ui.tip2Edit.text(), ui.tip3Edit.text()] == ["10", "15", "20"]
    qtbot.keyClicks(ui.venmoEdit, "@the-band")
    qtbot.keyClicks(ui.cashappEdit, "$TheBand")
    ui.labelTemplateCombo.setCurrentIndex(4)
    ui.receiptWidthCombo.setCurrentIndex(1)
    ui.receiptFooterEdit.setPlainText("Thanks for coming!")
    qtbot.keyClicks(ui.taxNameEdit, "Sales tax")
    qtbot.keyClicks(ui.taxRateEdit, "8.875")
    ui.tip3Edit.clear()
    qtbot.keyClicks(ui.tip3Edit, "25")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ui.saveButton, LEFT)

    assert settings.get(uow, "wallets") == {
        "venmo": "@the-band",
        "cashapp": "$TheBand",
        "paypal": "",
    }
    assert settings.get(uow, "printing") == {
        "label_template": "zebra-2.25x1.25",
        "receipt_width": 58,
        "receipt_footer": "Thanks for coming!",
    }
    terms = event_terms.get_terms(uow)
    assert terms is not None
    assert terms.default_tax == TaxClass("Sales tax", 88_750, False)
    assert terms.tip_presets_ppm == (100_000, 150_000, 250_000) and terms.tips_enabled
    assert event_terms.default_tax(uow) == TaxClass("Sales tax", 88_750, False)

    # Opened again, the dialog shows what was stored.
    again = _shown(qtbot, SettingsDialog(uow, organizer_in_shop))
    assert again.ui.venmoEdit.text() == "@the-band"
    assert again.ui.taxRateEdit.text() == "8.875"
    assert again.ui.labelTemplateCombo.currentIndex() == 4


def test_settings_bad_tax_rate_stays_open(qtbot, shop, organizer_in_shop):
    dialog = _shown(qtbot, SettingsDialog(shop.uow, organizer_in_shop))
    dialog.ui.tabs.setCurrentWidget(dialog.ui.walletsPage)
    qtbot.keyClicks(dialog.ui.venmoEdit, "@the-band")
    qtbot.keyClicks(dialog.ui.taxRateEdit, "eight")
    qtbot.mouseClick(dialog.ui.saveButton, LEFT)
    assert "tax rate 'eight' is not a percentage" in dialog.ui.notice.toolTip()
    assert dialog.ui.tabs.currentWidget() is dialog.ui.termsPage
    # Nothing was half-saved.
    assert settings.get(shop.uow, "wallets")["venmo"] == ""


def test_settings_staff_page_adds_a_helper_for_the_event(qtbot, shop, organizer_in_shop):
    uow = shop.uow
    dialog = _shown(qtbot, SettingsDialog(uow, organizer_in_shop))
    ui = dialog.ui
    ui.tabs.setCurrentWidget(ui.staffPage)
    assert ui.staffTable.rowCount() == 1
    qtbot.keyClicks(ui.staffNameEdit, "Alex")
    assert ui.staffRoleCombo.currentIndex() == 0  # helper, the usual case at the table
    qtbot.keyClicks(ui.staffPinEdit, "123456")
    qtbot.mouseClick(ui.addStaffButton, LEFT)
    assert "already used" in ui.notice.toolTip()
    ui.staffPinEdit.clear()
    qtbot.keyClicks(ui.staffPinEdit, "2468")
    qtbot.mouseClick(ui.addStaffButton, LEFT)
    assert ui.notice.toolTip() == "Added Alex (helper for Test night)"
    assert ui.staffTable.rowCount() == 2
    assert ui.staffTable.item(1, 2).text() == "During Test night"
    alex = staff.verify_pin(uow, "2468")
    assert alex is not None and alex.event_id == shop.event.id

    # Selected after adding: change the PIN, then remove.
    qtbot.keyClicks(ui.staffPinEdit, "1357")
    qtbot.mouseClick(ui.changePinButton, LEFT)
    assert ui.notice.toolTip() == "Alex has a new PIN"
    assert staff.verify_pin(uow, "1357") == alex
    qtbot.mouseClick(ui.deactivateButton, LEFT)
    assert staff.verify_pin(uow, "1357") is None
    assert ui.staffTable.rowCount() == 1
    ui.staffTable.selectRow(0)
    qtbot.mouseClick(ui.deactivateButton, LEFT)
    assert "last organizer" in ui.notice.toolTip()


def test_settings_need_the_organizer(qtbot, shop, organizer_in_shop):
    seller = staff.add_staff(shop.uow, "Robin", "seller", "5678")
    with pytest.raises(staff.RoleError, match="organizer's PIN"):
        SettingsDialog(shop.uow, seller)


def test_settings_without_an_open_event(qtbot, uow, organizer):
    dialog = _shown(qtbot, SettingsDialog(uow, organizer))
    assert not dialog.ui.taxRateEdit.isEnabled()
    assert dialog.ui.termsHintLabel.text().startswith("No event is open")
    qtbot.keyClicks(dialog.ui.paypalEdit, "theband")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ui.saveButton, LEFT)
    assert settings.get(uow, "wallets")["paypal"] == "theband"


def test_back_up_now(qtbot, uow, organizer, tmp_path: Path):
    dialog = _shown(qtbot, SettingsDialog(uow, organizer))
    folder = tmp_path / "backups"
    folder.mkdir()
    dialog.ui.backupFolderEdit.setText(str(folder))
    qtbot.mouseClick(dialog.ui.backupNowButton, LEFT)
    qtbot.waitUntil(lambda: dialog.ui.backupNowButton.isEnabled(), timeout=10_000)
    status = dialog.ui.backupStatusLabel.text()
    if uow.dialect == "sqlite":
        assert status.startswith(f"Backed up to {folder}")
        assert len(list(folder.glob("popup-pos-*.sqlite"))) == 1
    else:
        assert "pg_dump" in status
