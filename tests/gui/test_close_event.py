"""Closing the night from the dialog: a cash count by note, over/short, unpaid orders."""

import pytest
from PySide6.QtCore import Qt

from popup_pos.gui.close_event import CloseEventDialog
from popup_pos.services import audit, checkout, events, staff
from popup_pos.services.checkout import Cart, CartLine, TenderSpec

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.fixture
def organizer(shop):
    return staff.set_organizer(shop.uow, "Sam", "123456")


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_closing_with_a_count_by_note_shows_short(qtbot, shop, organizer):
    sale = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    checkout.sell(
        shop.uow,
        shop.register_id,
        Cart((CartLine("TEE-M"),)),
        (TenderSpec("wallet", reference="venmo 1"),),
    )
    expected = 100_00 + sale.total_cents
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    assert dialog.preview.cash.expected_cents == expected
    # Five $20s and the poster's cash, less $3 the drawer is missing.
    dialog.set_count(2000, 5)
    dialog.set_count(100, sale.total_cents // 100 - 3)
    assert dialog.counted_cents() == expected - 300
    assert dialog.over_short_label.text() == "Short by $3.00"

    with qtbot.waitSignal(dialog.closed, timeout=10_000) as closed:
        qtbot.mouseClick(dialog.close_button, LEFT)
    result = closed.args[0]
    assert result.over_short_cents == -300
    assert result.denominations == ((2000, 5), (100, sale.total_cents // 100 - 3))
    assert dialog.pages.currentIndex() == 1
    assert dialog.result_over_short.text() == "Short by $3.00"
    assert events.current_event(shop.uow) is None
    head = audit.close_head(shop.uow, result.event.id)
    assert dialog.result_audit_head.text() == f"Audit head at close (keep a copy): {head}"


def test_an_unpaid_order_stops_the_close_until_cancel_unpaid_is_ticked(qtbot, shop, organizer):
    waiting = checkout.place_order(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    assert waiting.number in dialog.orders_label.text()
    assert dialog.cancel_unpaid_check.isVisible()
    assert not dialog.carry_over_check.isVisible()  # nothing has a payment being checked
    dialog.by_total_radio.setChecked(True)
    dialog.total_edit.setText("100")

    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy and "Not closed" in dialog.notice.toolTip())
    assert waiting.number in dialog.notice.toolTip()
    assert "Cancel unpaid" in dialog.notice.toolTip()
    assert events.current_event(shop.uow) is not None

    dialog.cancel_unpaid_check.setChecked(True)
    with qtbot.waitSignal(dialog.closed, timeout=10_000) as closed:
        qtbot.mouseClick(dialog.close_button, LEFT)
    assert closed.args[0].cancelled == (waiting.number,)
    assert closed.args[0].over_short_cents == 0
    assert dialog.result_over_short.text() == "Exact: not a cent out"
    assert checkout.get_order(shop.uow, waiting.order_id).status == "cancelled"


def test_count_out_sets_stock_and_shows_what_is_missing(qtbot, shop, organizer):
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    on_hand = shop.on_hand("POSTER")
    dialog.by_total_radio.setChecked(True)
    dialog.total_edit.setText("100")
    dialog.count_out_check.setChecked(True)
    dialog.set_stock_count("POSTER", on_hand - 2)
    assert "2 missing" in dialog.stock_summary.text()
    with qtbot.waitSignal(dialog.closed, timeout=10_000) as closed:
        qtbot.mouseClick(dialog.close_button, LEFT)
    assert closed.args[0].shrinkage_units == 2
    assert shop.on_hand("POSTER") == on_hand - 2
    assert "POSTER −2" in dialog.result_details.text()


def test_a_total_that_cannot_be_read_is_refused_inline(qtbot, shop, organizer):
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    dialog.by_total_radio.setChecked(True)
    dialog.total_edit.setText("12.345")
    qtbot.mouseClick(dialog.close_button, LEFT)
    assert not dialog.busy
    assert dialog.notice.property("level") == "error"
    assert events.current_event(shop.uow) is not None


def test_report_opens_for_the_closed_night(qtbot, shop, organizer):
    checkout.sell(shop.uow, shop.register_id, Cart((CartLine("POSTER"),)))
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    dialog.by_total_radio.setChecked(True)
    dialog.total_edit.setText("0")
    with qtbot.waitSignal(dialog.closed, timeout=10_000):
        qtbot.mouseClick(dialog.close_button, LEFT)
    view = dialog.open_report()
    qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)
    assert view.report is not None
    assert view.report.event.id == shop.event.id
    view.close()


def test_the_cash_up_counts_no_sales(qtbot, shop, organizer):
    from PySide6.QtWidgets import QLabel

    from popup_pos.services import drawer

    drawer.no_sale(shop.uow, "change for a fifty")
    dialog = _shown(qtbot, CloseEventDialog(shop.uow, organizer))
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Drawer opened, no sale" in texts and "1×" in texts
