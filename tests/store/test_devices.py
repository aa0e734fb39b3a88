"""The devices store: one-time pairing and idempotency keys claimed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from popup_pos.store import devices as store
from tests.conftest import Shop


def test_a_device_pairs_once_and_a_key_is_claimed_once(shop: Shop) -> None:
    from popup_pos.services import staff

    helper = staff.add_staff(shop.uow, "Robin", "helper", "4321", actor="test")
    now = datetime.now(UTC)
    uow = shop.uow
    with uow:
        device_id = store.add(uow, shop.event.id, "c" * 64, now + timedelta(minutes=5), now)
        for token, done in (("t", True), ("u", False)):
            paired = store.pair(
                uow,
                device_id,
                staff_id=helper.id,
                register_id=shop.register_id,
                token_hash=token * 64,
                name=None,
                now=now,
            )
            assert paired is done
        found = store.by_token(uow, "t" * 64)
        assert found is not None and (found.staff_name, found.register_code) == ("Robin", "A")
        assert store.claim_request(uow, device_id, "k1", now)
        assert not store.claim_request(uow, device_id, "k1", now)
        store.finish_request(uow, device_id, "k1", {"order": "P1-0001"})
        assert store.request_of(uow, device_id, "k1") == store.StoredRequest(
            "done", {"order": "P1-0001"}
        )
        assert store.request_of(uow, device_id, "k2") is None
        assert store.by_device(uow, device_id) == found
        assert store.revoke(uow, device_id, now)
        assert not store.revoke(uow, device_id, now)
        uow.commit()
