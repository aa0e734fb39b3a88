"""Email at the register: Ctrl+E asks for the fan's address; the outbox count shows."""

from __future__ import annotations

import pytest

from popup_pos.gui import mail_outbox
from popup_pos.gui.mail_outbox import EmailDialog, address_from_scan, waiting_text
from popup_pos.services import checkout, delivery
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import outbox

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


def test_scan_and_count_text():
    assert address_from_scan(" mailto:Fan@Example.com?subject=x ") == "Fan@Example.com"
    assert waiting_text(0) == "" and waiting_text(1) == "1 email waiting"
    assert waiting_text(3) == "3 emails waiting"


def test_the_dialog_refuses_a_bad_address_then_queues(qtbot, themed, shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    dialog = EmailDialog(shop.uow, sold.order_id, sold.number, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.email, "fan@")
    dialog.send()
    assert "is not an email address" in dialog.notice.text() + dialog.notice.toolTip()
    assert dialog.queued is None
    dialog.email.setText("fan@example.com")
    dialog.consent.setChecked(True)
    dialog.send()
    assert dialog.queued is not None and dialog.queued.message_id is not None
    with shop.uow:
        oe = outbox.order_email(shop.uow, sold.order_id)
    assert oe is not None and oe.consent


def test_the_register_shows_emails_waiting(qtbot, themed, shop, organizer):
    from tests.gui.conftest import open_register

    w = open_register(qtbot, shop, organizer)
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("DL-CARD"),)))
    delivery.ask_receipt(shop.uow, sold.number, "fan@example.com")
    w.mail_sender.flush()  # mail is not set up: the message waits, and says why
    qtbot.waitUntil(lambda: w.mail_sender.label.isVisible(), timeout=20_000)
    assert w.mail_sender.label.text() == "1 email waiting"
    assert "mail is not set up" in w.mail_sender.label.toolTip()
    assert mail_outbox.FLUSH_EVERY_MS >= 10_000
