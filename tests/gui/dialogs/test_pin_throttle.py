"""The PIN pad after repeated wrong PINs, and the organizer's too-short PIN."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from popup_pos.gui.dialogs import pin as pin_dialogs
from popup_pos.gui.dialogs.pin import ChangePinDialog, PinDialog
from popup_pos.services import settings, staff
from popup_pos.store.models import Staff


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_pad_shows_the_wait_and_is_off_until_it_is_over(qtbot, uow):
    staff.set_organizer(uow, "Sam", "482913")
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in", register="A"))
    for _ in range(5):
        qtbot.keyClicks(dialog, "0000")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.ui.notice.toolTip() == "Wrong PINs: wait 5 s"
    assert dialog.waiting and not dialog.ui.okButton.isEnabled()
    assert not dialog.ui.digit4Button.isEnabled()
    qtbot.keyClicks(dialog, "482913")  # typed while waiting: ignored
    assert dialog.pin == ""
    # The wait runs out (as if five seconds had passed).
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    settings.put(uow, staff.THROTTLE_KEY, {"count": 5, "until": past})
    dialog._tick()
    assert not dialog.waiting and dialog.ui.okButton.isEnabled()
    qtbot.keyClicks(dialog, "482913")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_a_pad_opened_during_a_wait_shows_it(qtbot, uow):
    staff.set_organizer(uow, "Sam", "482913")
    soon = (datetime.now(UTC) + timedelta(seconds=40)).isoformat()
    settings.put(uow, staff.THROTTLE_KEY, {"count": 8, "until": soon})
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in"))
    assert dialog.ui.notice.toolTip().startswith("Wrong PINs: wait ")
    assert not dialog.ui.okButton.isEnabled()


def _legacy_organizer(uow) -> None:
    with uow:
        uow.session.add(
            Staff(name="Sam", role="organizer", pin_hash=staff.hash_pin("1234"), active=True)
        )
        uow.commit()


def test_a_short_organizer_pin_must_be_changed_at_sign_in(qtbot, uow, monkeypatch):
    _legacy_organizer(uow)
    shown: list[ChangePinDialog] = []

    def give_up(dialog: ChangePinDialog) -> int:
        shown.append(dialog)
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(ChangePinDialog, "exec", give_up)
    dialog = _shown(qtbot, PinDialog(uow, None, reason="Sign in"))
    qtbot.keyClicks(dialog, "1234")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert shown and dialog.isVisible() and dialog.staff is None
    assert dialog.ui.notice.toolTip() == "Choose a 6–8 digit PIN"

    def choose(dialog: ChangePinDialog) -> int:
        dialog.pin_edit.setText("1234")
        dialog.confirm_edit.setText("1234")
        dialog.submit()
        assert dialog.notice.toolTip() == "an organizer's PIN is 6 to 8 digits"
        dialog.pin_edit.setText("90817263")
        dialog.confirm_edit.setText("90817263")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(ChangePinDialog, "exec", choose)
    qtbot.keyClicks(dialog, "1234")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.staff is not None and dialog.staff.name == "Sam"
    assert staff.verify_pin(uow, "90817263") is not None
    assert staff.verify_pin(uow, "1234") is None


def test_approval_mode_records_who_approved(qtbot, shop):
    staff.set_organizer(shop.uow, "Sam", "482913")
    dialog = _shown(
        qtbot,
        PinDialog(shop.uow, None, reason="Discount", approve=("discount 50% on Tee", "Alex")),
    )
    qtbot.keyClicks(dialog, "482913")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.approval is not None and dialog.approval.name == "Sam"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert pin_dialogs.PinDialog is PinDialog
