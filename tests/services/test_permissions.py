"""The organizer's limits on discounts, custom amounts and prices, stored in settings."""

import pytest

from popup_pos.domain.pricing import Discount
from popup_pos.services import permissions, settings
from popup_pos.services.permissions import Limits, PermissionsError


def test_defaults_every_helper_discount_needs_the_organizer(uow):
    limits = permissions.get_limits(uow)
    assert limits == Limits(0, 100, 100_00)
    why = permissions.discount_needs_organizer(limits, "helper", Discount.percent(10_000), 2500)
    assert why == "a helper's discount needs the organizer's PIN"
    need = permissions.discount_needs_organizer
    assert need(limits, "helper", Discount.percent(0), 2500) is None
    assert need(limits, "seller", Discount.percent(10**6), 10) is None
    assert need(limits, "organizer", Discount.amount(99), 1) is None


def test_limits_round_trip_and_are_audited(uow):
    permissions.put_limits(uow, Limits(10, 25, 50_00), actor="Sam")
    assert permissions.get_limits(uow) == Limits(10, 25, 50_00)
    assert settings.get(uow, "permissions")["custom_cap_cents"] == 50_00


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(101, 25, 0), "helpers' discount limit is a percentage from 0 to 100"),
        (Limits(0, -1, 0), "sellers' discount limit is a percentage"),
        (Limits(0, 0, -1), "custom amount cap"),
        (Limits(0, 0, 10**12), "custom amount cap is too large"),
    ],
)
def test_bad_limits_are_refused_and_nothing_is_stored(uow, limits, message):
    with pytest.raises(PermissionsError, match=message):
        permissions.put_limits(uow, limits)
    assert permissions.get_limits(uow) == Limits()


def test_a_damaged_setting_falls_back_field_by_field(uow):
    settings.put(uow, "permissions", {"helper_discount_percent": "lots", "custom_cap_cents": 7})
    assert permissions.get_limits(uow) == Limits(0, 100, 7)


def test_discounts_are_measured_as_a_share_of_what_they_apply_to():
    limits = Limits(helper_discount_percent=20)
    need = permissions.discount_needs_organizer
    assert need(limits, "helper", Discount.amount(500), 2500) is None  # 20 %
    assert need(limits, "helper", Discount.amount(501), 2500) is not None
    assert need(limits, "helper", Discount.percent(200_000), 2500) is None
    assert need(limits, "helper", Discount.percent(200_001), 2500) == (
        "a helper's discount above 20 % needs the organizer's PIN"
    )


def test_custom_amounts_above_the_cap_and_price_changes():
    limits = Limits(custom_cap_cents=100_00)
    assert permissions.amount_needs_organizer(limits, "seller", 100_00) is None
    assert permissions.amount_needs_organizer(limits, "helper", 100_01) is not None
    assert permissions.amount_needs_organizer(limits, "organizer", 10**11) is None
    assert permissions.price_change_needs_organizer("seller") is not None
    assert permissions.price_change_needs_organizer("organizer") is None
