"""Staff and PINs: hashing, first run, per-event helpers, unique PINs, roles and the audit."""

import pytest
from sqlalchemy import select

from popup_pos.services import events, staff
from popup_pos.services.staff import RoleError, StaffError
from popup_pos.store.models import AuditEntry, Staff


def _audit(uow):
    """(action, actor, entity, data) of every audit entry, oldest first."""
    cols = (AuditEntry.action, AuditEntry.actor, AuditEntry.entity, AuditEntry.data)
    with uow:
        return [tuple(r) for r in uow.session.execute(select(*cols).order_by(AuditEntry.id))]


def test_hash_has_parameters_and_fresh_salt():
    first, second = staff.hash_pin("1234"), staff.hash_pin("1234")
    assert first.startswith(f"scrypt$n={staff.SCRYPT_N},r={staff.SCRYPT_R},p={staff.SCRYPT_P}$")
    assert first != second  # a new salt every time
    assert staff.pin_matches("1234", first) and staff.pin_matches("1234", second)
    assert not staff.pin_matches("1235", first)
    assert "1234" not in first


@pytest.mark.parametrize("stored", ["", "1234", "scrypt$n=3,r=8,p=1$AAAA$AAAA", "md5$x$y"])
def test_malformed_hashes_never_match(stored):
    assert not staff.pin_matches("1234", stored)


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", " 1234", "1234 ", "١٢٣٤"])
def test_pins_are_four_to_eight_digits(pin):
    with pytest.raises(StaffError, match="4 to 8 digits"):
        staff.check_pin(pin)


def test_first_run_sets_the_organizer(uow):
    assert staff.needs_organizer(uow)
    sam = staff.set_organizer(uow, "  Sam   Rivera ", "1234")
    assert (sam.name, sam.role, sam.event_id) == ("Sam Rivera", "organizer", None)
    assert not staff.needs_organizer(uow)
    assert staff.verify_pin(uow, "1234") == sam
    assert staff.verify_pin(uow, "4321") is None
    with pytest.raises(StaffError, match="already set up"):
        staff.set_organizer(uow, "Mallory", "9999")
    with pytest.raises(StaffError, match="name"):
        staff.add_staff(uow, "   ", "seller", "5555")


def test_helper_lasts_for_the_open_event_only(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "1234")
    helper = staff.add_staff(uow, "Alex", "helper", "2468", actor="Sam")
    assert helper.event_id == shop.event.id and helper.event_name == "Test night"
    assert staff.verify_pin(uow, "2468") == helper

    events.close_event(uow, counted_cents=shop.event.float_cents)

    assert staff.verify_pin(uow, "2468") is None
    listed = {s.name: s for s in staff.list_staff(uow)}
    assert listed["Alex"].expired and not listed["Sam"].expired
    # The PIN is free again once its event is over.
    events.open_event(uow, "Next night")
    again = staff.add_staff(uow, "Jo", "helper", "2468")
    assert staff.verify_pin(uow, "2468") == again
    with pytest.raises(StaffError, match="ended with 'Test night'"):
        staff.change_pin(uow, helper.id, "1357")


def test_helpers_need_an_open_event(uow):
    staff.set_organizer(uow, "Sam", "1234")
    with pytest.raises(StaffError, match="open an event first"):
        staff.add_staff(uow, "Alex", "helper", "2468")
    # A seller can be permanent, so needs no event.
    seller = staff.add_staff(uow, "Robin", "seller", "1357")
    assert seller.event_id is None and staff.verify_pin(uow, "1357") == seller


def test_roles_and_events_checked(shop):
    uow = shop.uow
    with pytest.raises(StaffError, match="organizer, seller or helper"):
        staff.add_staff(uow, "Alex", "manager", "2468")
    with pytest.raises(StaffError, match="not tied to one event"):
        staff.add_staff(uow, "Alex", "organizer", "2468", event_id=shop.event.id)
    with pytest.raises(StaffError, match="only be added for the open event"):
        staff.add_staff(uow, "Alex", "helper", "2468", event_id=shop.event.id + 1)
    seller = staff.add_staff(uow, "Robin", "seller", "1357", event_id=shop.event.id)
    assert seller.event_id == shop.event.id


def test_two_people_cannot_share_a_pin(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "1234")
    with pytest.raises(StaffError, match="already used"):
        staff.add_staff(uow, "Alex", "helper", "1234")
    robin = staff.add_staff(uow, "Robin", "seller", "5678")
    with pytest.raises(StaffError, match="already used"):
        staff.change_pin(uow, robin.id, "1234")
    # Keeping one's own PIN is not a clash.
    staff.change_pin(uow, robin.id, "5678")
    assert [s.name for s in staff.list_staff(uow)] == ["Sam", "Robin"]


def test_change_pin_and_deactivate(uow):
    sam = staff.set_organizer(uow, "Sam", "1234")
    robin = staff.add_staff(uow, "Robin", "seller", "5678", actor="Sam")
    staff.change_pin(uow, robin.id, "8765", actor="Sam")
    assert staff.verify_pin(uow, "5678") is None
    assert staff.verify_pin(uow, "8765") == robin
    staff.deactivate(uow, robin.id, actor="Sam")
    assert staff.verify_pin(uow, "8765") is None
    assert [s.name for s in staff.list_staff(uow)] == ["Sam"]
    assert [s.active for s in staff.list_staff(uow, include_inactive=True)] == [True, False]
    with pytest.raises(StaffError, match="not active"):
        staff.change_pin(uow, robin.id, "1111")
    with pytest.raises(StaffError, match="last organizer"):
        staff.deactivate(uow, sam.id)
    second = staff.add_staff(uow, "Kim", "organizer", "2222", actor="Sam")
    staff.deactivate(uow, sam.id, actor="Kim")
    assert not staff.needs_organizer(uow)
    assert staff.verify_pin(uow, "2222") == second


def test_require_role_ranks():
    organizer = staff.StaffInfo(1, "Sam", "organizer", None, True)
    seller = staff.StaffInfo(2, "Robin", "seller", None, True)
    helper = staff.StaffInfo(3, "Alex", "helper", 1, True)
    assert staff.require_role(organizer, "organizer") is organizer
    assert staff.require_role(organizer, "seller") is organizer
    assert staff.require_role(seller, "helper") is seller
    with pytest.raises(RoleError, match="this needs the organizer's PIN"):
        staff.require_role(seller, "organizer")
    with pytest.raises(RoleError, match="seller's or the organizer's PIN"):
        staff.require_role(helper, "seller")
    with pytest.raises(RoleError, match="staff PIN"):
        staff.require_role(None, "helper")


def test_every_change_is_audited_without_the_pin(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "1234")
    alex = staff.add_staff(uow, "Alex", "helper", "2468", actor="Sam")
    staff.change_pin(uow, alex.id, "1357", actor="Sam")
    staff.deactivate(uow, alex.id, actor="Sam")
    entries = [e for e in _audit(uow) if e[2] == "staff"]
    assert [e[0] for e in entries] == [
        "staff.add",
        "staff.add",
        "staff.change_pin",
        "staff.deactivate",
    ]
    assert [e[1] for e in entries] == ["Sam"] * 4
    with uow:
        hashes = list(uow.session.scalars(select(Staff.pin_hash)))
    for entry in entries:
        for secret in ("1234", "2468", "1357", *hashes):
            assert secret not in entry[3]


def test_weaker_hashes_are_upgraded_on_sign_in(uow, monkeypatch):
    monkeypatch.setattr(staff, "SCRYPT_N", 2**10)
    sam = staff.set_organizer(uow, "Sam", "1234")
    monkeypatch.undo()
    with uow:
        old = uow.session.get(Staff, sam.id).pin_hash
    assert old.startswith("scrypt$n=1024,") and staff.needs_rehash(old)
    assert staff.verify_pin(uow, "1234") == sam
    with uow:
        new = uow.session.get(Staff, sam.id).pin_hash
    assert new.startswith(f"scrypt$n={staff.SCRYPT_N},") and not staff.needs_rehash(new)
    assert staff.verify_pin(uow, "1234") == sam
    assert _audit(uow)[-1][0] == "staff.pin_rehash"
