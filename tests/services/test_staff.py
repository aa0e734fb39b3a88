"""Staff and PINs: hashing, first run, per-event helpers, unique PINs, roles and the audit."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from popup_pos.services import closing, events, settings, staff
from popup_pos.services.staff import RoleError, StaffError
from popup_pos.store.models import AuditEntry, Staff
from popup_pos.store.uow import UnitOfWork


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
    sam = staff.set_organizer(uow, "  Sam   Rivera ", "123456")
    assert (sam.name, sam.role, sam.event_id) == ("Sam Rivera", "organizer", None)
    assert not staff.needs_organizer(uow)
    assert staff.verify_pin(uow, "123456") == sam
    assert staff.verify_pin(uow, "4321") is None
    with pytest.raises(StaffError, match="already set up"):
        staff.set_organizer(uow, "Mallory", "999999")
    with pytest.raises(StaffError, match="name"):
        staff.add_staff(uow, "   ", "seller", "5555")


def test_helper_lasts_for_the_open_event_only(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "123456")
    helper = staff.add_staff(uow, "Alex", "helper", "2468", actor="Sam")
    assert helper.event_id == shop.event.id and helper.event_name == "Test night"
    assert staff.verify_pin(uow, "2468") == helper

    closing.close_event(uow, counted_cents=shop.event.float_cents)

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
    staff.set_organizer(uow, "Sam", "123456")
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
        staff.add_staff(uow, "Alex", "organizer", "246800", event_id=shop.event.id)
    with pytest.raises(StaffError, match="only be added for the open event"):
        staff.add_staff(uow, "Alex", "helper", "2468", event_id=shop.event.id + 1)
    seller = staff.add_staff(uow, "Robin", "seller", "1357", event_id=shop.event.id)
    assert seller.event_id == shop.event.id


def test_two_people_cannot_share_a_pin(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "123456")
    with pytest.raises(StaffError, match="already used"):
        staff.add_staff(uow, "Alex", "helper", "123456")
    robin = staff.add_staff(uow, "Robin", "seller", "5678")
    with pytest.raises(StaffError, match="already used"):
        staff.change_pin(uow, robin.id, "123456")
    # Keeping one's own PIN is not a clash.
    staff.change_pin(uow, robin.id, "5678")
    assert [s.name for s in staff.list_staff(uow)] == ["Sam", "Robin"]


def test_change_pin_and_deactivate(uow):
    sam = staff.set_organizer(uow, "Sam", "123456")
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
    second = staff.add_staff(uow, "Kim", "organizer", "222222", actor="Sam")
    staff.deactivate(uow, sam.id, actor="Kim")
    assert not staff.needs_organizer(uow)
    assert staff.verify_pin(uow, "222222") == second


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
    staff.set_organizer(uow, "Sam", "123456")
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
        for secret in ("123456", "2468", "1357", *hashes):
            assert secret not in entry[3]


def test_weaker_hashes_are_upgraded_on_sign_in(uow, monkeypatch):
    monkeypatch.setattr(staff, "SCRYPT_N", 2**10)
    sam = staff.set_organizer(uow, "Sam", "123456")
    monkeypatch.undo()
    with uow:
        old = uow.session.get(Staff, sam.id).pin_hash
    assert old.startswith("scrypt$n=1024,") and staff.needs_rehash(old)
    assert staff.verify_pin(uow, "123456") == sam
    with uow:
        new = uow.session.get(Staff, sam.id).pin_hash
    assert new.startswith(f"scrypt$n={staff.SCRYPT_N},") and not staff.needs_rehash(new)
    assert staff.verify_pin(uow, "123456") == sam
    assert _audit(uow)[-1][0] == "staff.pin_rehash"


# --- organizer PIN length, throttling, approvals -------------------------------------


def _legacy_organizer(uow, pin="1234"):
    """An organizer whose PIN was set before the 6-digit rule (written as the old code did)."""
    with uow:
        row = Staff(name="Sam", role="organizer", pin_hash=staff.hash_pin(pin), active=True)
        uow.session.add(row)
        uow.session.flush()
        uow.commit()
        return row.id


def test_organizer_pins_are_six_digits_at_least(shop):
    uow = shop.uow
    for short in ("1234", "12345"):
        with pytest.raises(StaffError, match="an organizer's PIN is 6 to 8 digits"):
            staff.set_organizer(uow, "Sam", short)
    sam = staff.set_organizer(uow, "Sam", "482913")
    with pytest.raises(StaffError, match="6 to 8 digits"):
        staff.add_staff(uow, "Kim", "organizer", "4829", actor="Sam")
    with pytest.raises(StaffError, match="6 to 8 digits"):
        staff.change_pin(uow, sam.id, "1111", actor="Sam")
    # Sellers and helpers keep 4-digit PINs.
    staff.add_staff(uow, "Robin", "seller", "5678", actor="Sam")
    staff.add_staff(uow, "Alex", "helper", "2468", actor="Sam")


def test_an_old_short_organizer_pin_still_signs_in_and_is_flagged(uow):
    sam_id = _legacy_organizer(uow)
    sam = staff.verify_pin(uow, "1234")
    assert sam is not None and sam.id == sam_id
    assert staff.pin_too_short(sam, "1234")
    staff.change_pin(uow, sam_id, "90817263", actor="Sam")
    again = staff.verify_pin(uow, "90817263")
    assert again is not None and not staff.pin_too_short(again, "90817263")
    assert staff.verify_pin(uow, "1234") is None
    seller = staff.StaffInfo(2, "Robin", "seller", None, True)
    assert not staff.pin_too_short(seller, "5678")


def test_wrong_pins_meet_a_growing_delay_after_five(uow):
    staff.set_organizer(uow, "Sam", "482913")
    t0 = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    for _ in range(4):
        assert staff.verify_pin(uow, "0000", now=t0) is None
    assert staff.pin_wait_seconds(uow, now=t0) == 0
    assert staff.verify_pin(uow, "0000", now=t0) is None  # the fifth
    assert staff.pin_wait_seconds(uow, now=t0) == 5
    # While waiting even the right PIN is not checked.
    with pytest.raises(staff.PinWaitError, match="wait 5 s") as waited:
        staff.verify_pin(uow, "482913", now=t0)
    assert waited.value.seconds == 5
    with pytest.raises(staff.PinWaitError, match="wait 2 s"):
        staff.verify_pin(uow, "482913", now=t0 + timedelta(seconds=3))
    waits = []
    t = t0
    for _ in range(8):
        t += timedelta(seconds=staff.pin_wait_seconds(uow, now=t))
        assert staff.verify_pin(uow, "1", now=t) is None  # malformed counts too
        waits.append(staff.pin_wait_seconds(uow, now=t))
    assert waits == [10, 20, 40, 80, 160, 300, 300, 300]
    t += timedelta(seconds=300)
    assert staff.verify_pin(uow, "482913", now=t) is not None
    # A right PIN ends the run: the next wrong one is the first again.
    assert staff.verify_pin(uow, "0000", now=t) is None
    assert staff.pin_wait_seconds(uow, now=t) == 0


def test_the_delay_survives_a_restart_and_every_failure_is_audited(engine):
    first = UnitOfWork(engine)
    staff.set_organizer(first, "Sam", "482913")
    t0 = datetime.now(UTC)
    for _ in range(5):
        staff.verify_pin(first, "999999", register="A", now=t0)
    # Another register (or the app started again) reads the same state.
    other = UnitOfWork(engine)
    with pytest.raises(staff.PinWaitError):
        staff.verify_pin(other, "482913", register="B", now=t0)
    failed = [e for e in _audit(other) if e[0] == "staff.pin_failed"]
    assert len(failed) == 5
    assert all(e[1] is None and "999999" not in e[3] for e in failed)
    assert '"register":"A"' in failed[0][3] and '"in_a_row":5' in failed[-1][3]
    assert '"wait_seconds":5' in failed[-1][3]


def test_a_damaged_throttle_row_does_not_lock_anyone_out(uow):
    staff.set_organizer(uow, "Sam", "482913")
    settings.put(uow, staff.THROTTLE_KEY, {"count": "x", "until": "not a time"})
    assert staff.pin_wait_seconds(uow) == 0
    assert staff.verify_pin(uow, "482913") is not None


def test_a_clock_far_ahead_never_waits_more_than_the_cap(uow):
    staff.set_organizer(uow, "Sam", "482913")
    late = datetime.now(UTC) + timedelta(days=2)
    settings.put(uow, staff.THROTTLE_KEY, {"count": 9, "until": late.isoformat()})
    assert staff.pin_wait_seconds(uow) == staff.MAX_WAIT_S


def test_organizer_approval_is_checked_and_audited(shop):
    uow = shop.uow
    staff.set_organizer(uow, "Sam", "482913")
    staff.add_staff(uow, "Robin", "seller", "5678", actor="Sam")
    approval = staff.approve(uow, "482913", "discount 50% on Tee", actor="Alex", register="A")
    assert approval.name == "Sam"
    with pytest.raises(RoleError, match="organizer's PIN"):
        staff.approve(uow, "5678", "discount 50% on Tee", actor="Alex")
    with pytest.raises(StaffError, match="wrong PIN"):
        staff.approve(uow, "000000", "discount 50% on Tee", actor="Alex")
    approved = [e for e in _audit(uow) if e[0] == "staff.approve"]
    assert len(approved) == 1 and approved[0][1] == "Alex"
    assert "discount 50% on Tee" in approved[0][3] and '"by":"Sam"' in approved[0][3]
