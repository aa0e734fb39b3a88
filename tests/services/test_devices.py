"""Pairing phones: one-time codes, PINs, tokens and their end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from popup_pos.services import devices, staff
from popup_pos.store import devices as store
from tests.conftest import Shop


@pytest.fixture
def helper(shop: Shop) -> staff.StaffInfo:
    return staff.add_staff(shop.uow, "Robin", "helper", "4321", actor="test")


def test_pairing_gives_a_token_stored_only_hashed(shop: Shop, helper: staff.StaffInfo) -> None:
    pairing = devices.start_pairing(shop.uow, actor="organizer")
    paired = devices.pair(shop.uow, pairing.code, "4321", name="Robin's phone")
    phone = devices.authenticate(shop.uow, paired.token)
    assert (phone.staff_name, phone.register_code) == ("Robin", "P1")
    with shop.uow:
        assert store.by_token(shop.uow, paired.token) is None
        assert store.by_code(shop.uow, pairing.code) is None
    listed = devices.list_devices(shop.uow)
    assert [(d.staff_name, d.register_code, d.name) for d in listed] == [
        ("Robin", "P1", "Robin's phone")
    ]


def test_codes_expire_and_are_used_once(shop: Shop, helper: staff.StaffInfo) -> None:
    now = datetime.now(UTC)
    old = devices.start_pairing(shop.uow, now=now - timedelta(hours=1))
    with pytest.raises(devices.DeviceError, match="expired"):
        devices.pair(shop.uow, old.code, "4321")
    fresh = devices.start_pairing(shop.uow)
    devices.pair(shop.uow, fresh.code, "4321")
    with pytest.raises(devices.DeviceError, match="not valid"):
        devices.pair(shop.uow, fresh.code, "4321")
    with pytest.raises(devices.DeviceError, match="wrong PIN"):
        devices.pair(shop.uow, devices.start_pairing(shop.uow).code, "9999")


def test_revoked_tokens_and_missing_ones_are_refused(shop: Shop, helper: staff.StaffInfo) -> None:
    paired = devices.pair(shop.uow, devices.start_pairing(shop.uow).code, "4321")
    with pytest.raises(devices.NotSignedInError):
        devices.authenticate(shop.uow, None)
    devices.revoke(shop.uow, paired.device_id, actor="organizer")
    with pytest.raises(devices.NotSignedInError, match="signed out"):
        devices.authenticate(shop.uow, paired.token)
    with pytest.raises(devices.DeviceError):
        devices.revoke(shop.uow, paired.device_id)


def test_cash_taken_per_phone(shop: Shop, helper: staff.StaffInfo) -> None:
    from popup_pos.services import checkout, phone_sales

    paired = devices.pair(shop.uow, devices.start_pairing(shop.uow).code, "4321")
    phone = devices.authenticate(shop.uow, paired.token)
    lines = [phone_sales.SaleLine("POSTER", 2)]
    phone_sales.sell_cash(shop.uow, phone, "key-00000011", lines, tendered=50_00)
    checkout.sell(shop.uow, shop.register_id, checkout.Cart((checkout.CartLine("POSTER"),)))
    assert devices.cash_taken(shop.uow) == {"P1": 30_00}
