"""Count in by scanning or typing, adjust with a reason, and read the ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt

from popup_pos.gui.backoffice.stock import AdjustDialog, CountInDialog, LedgerDialog
from popup_pos.services import catalog, inventory


def test_count_in_by_scanning_each_unit(qtbot, themed, shop):
    before = shop.on_hand("POSTER")
    d = CountInDialog(shop.uow, actor="Ada")
    qtbot.addWidget(d)
    for _ in range(3):
        qtbot.keyClicks(d.code, "POSTER")
        qtbot.keyClick(d.code, Qt.Key.Key_Return)
    assert shop.on_hand("POSTER") == before + 3
    assert d.counted == {"POSTER": 3}
    assert d.table.item(0, 1).text() == "3"
    assert inventory.ledger_sum(shop.uow, "POSTER") == before + 3


def test_count_in_a_typed_number_and_an_unknown_code(qtbot, themed, shop):
    before = shop.on_hand("POSTER")
    d = CountInDialog(shop.uow, actor="Ada")
    qtbot.addWidget(d)
    d.code.setText("poster")
    d.qty.setValue(12)
    d.add_typed()
    assert shop.on_hand("POSTER") == before + 12
    d.code.setText("NOPE-123")
    d.scanned()
    assert "not in the catalog" in d.notice.text()


def test_adjust_needs_a_reason_and_the_ledger_shows_it(qtbot, themed, shop):
    before = shop.on_hand("POSTER")
    d = AdjustDialog(shop.uow, "POSTER", actor="Ada")
    qtbot.addWidget(d)
    d.delta.setValue(-1)
    d.apply()
    assert "reason" in d.notice.text() and shop.on_hand("POSTER") == before
    d.reason.setText("water damage")
    d.apply()
    assert d.result_on_hand == before - 1
    found = catalog.find_by_code(shop.uow, "POSTER")
    assert found is not None
    ledger = LedgerDialog(shop.uow, found.id, "POSTER")
    qtbot.addWidget(ledger)
    assert ledger.table.item(0, 3).text() == "water damage"
    assert ledger.table.item(0, 2).text() == "-1"
