"""The outbox rows: one claim per due message, blanked addresses without consent."""

from __future__ import annotations

from datetime import timedelta

from popup_pos.services import checkout
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import outbox
from popup_pos.store.models import utcnow


def test_a_due_message_is_claimed_once(shop):
    sold = checkout.sell(shop.uow, shop.register_id, Cart((CartLine("TEE-M"),)))
    now = utcnow()
    with shop.uow:
        mid = outbox.add_message(
            shop.uow, order_id=sold.order_id, kind="receipt", recipient="a@b.co",
            recipient_hash="h", subject="s", message_id="<1@x>", now=now,
        )  # fmt: skip
        shop.uow.commit()
    with shop.uow:
        assert outbox.due_ids(shop.uow, now) == [mid]
        assert outbox.claim(shop.uow, mid, now, timedelta(minutes=2))
        assert not outbox.claim(shop.uow, mid, now, timedelta(minutes=2))
        assert outbox.waiting_count(shop.uow) == 1
        outbox.mark_sent(shop.uow, mid, now)
        shop.uow.commit()
        assert outbox.waiting_count(shop.uow) == 0
        row = outbox.message(shop.uow, mid)
        assert row is not None and row.status == "sent" and row.attempts == 1
