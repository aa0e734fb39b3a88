"""Paid in, paid out and no-sale from the register, with a reason, into the cash-up."""

from __future__ import annotations

import pytest

from popup_pos.gui.selling.drawer import DrawerDialog
from popup_pos.services import drawer, events, staff
from popup_pos.services.events import current_event


def _fill(kind: str, amount: str, reason: str):
    def run(dialog: DrawerDialog) -> int:
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        dialog.amount.setText(amount)
        dialog.reason.setText(reason)
        dialog.check()
        return dialog.result()

    return run


def test_paid_out_from_the_register_reaches_the_cash_up(window, shop, monkeypatch):
    monkeypatch.setattr(DrawerDialog, "exec", _fill("paid_out", "7.50", "ice for the cooler"))
    window.open_drawer()
    assert window.panel.notice.text() == "Paid out $7.50: ice for the cooler"
    status = events.event_status(shop.uow)
    assert status is not None and status[1].paid_out_cents == 750
    [entry] = drawer.drawer_log(shop.uow)
    assert (entry.by, entry.register) == ("Ada", "A")


def test_no_sale_needs_only_a_reason(window, shop, monkeypatch):
    monkeypatch.setattr(DrawerDialog, "exec", _fill("no_sale", "", "change for a fifty"))
    window.open_drawer()
    assert window.panel.notice.text() == "No sale: change for a fifty"
    assert [e.kind for e in drawer.drawer_log(shop.uow)] == ["no_sale"]


@pytest.mark.parametrize(
    ("kind", "amount", "reason", "message"),
    [
        ("paid_in", "", "float", "amount is empty"),
        ("paid_in", "abc", "float", "amount 'abc' is not a number"),
        ("paid_in", "0", "float", "the amount must be more than zero"),
        ("paid_out", "5", "  ", "say why the drawer was opened"),
    ],
)
def test_the_dialog_refuses_in_one_line(qtbot, kind, amount, reason, message):
    dialog = DrawerDialog("USD")
    qtbot.addWidget(dialog)
    _fill(kind, amount, reason)(dialog)
    assert message in dialog.error.text()
    assert dialog.result() == 0


def test_a_helper_needs_the_organizer(qtbot, shop, organizer, monkeypatch):
    from popup_pos.gui.main_window import MainWindow

    staff.add_staff(shop.uow, "Helper Hal", "helper", "1357", event_id=shop.event.id)
    helper = next(s for s in staff.list_staff(shop.uow) if s.role == "helper")
    w = MainWindow(shop.uow, current_event(shop.uow), shop.register, helper, ask_pin=lambda r: None)
    qtbot.addWidget(w)
    opened: list[bool] = []
    monkeypatch.setattr(DrawerDialog, "exec", lambda d: opened.append(True) or 0)
    w.open_drawer()
    assert not opened and "Only the organizer can open the cash drawer" in w.panel.notice.text()
