"""The first frame read without SQLAlchemy: what the services read, or None for the normal start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from popup_pos import config
from popup_pos.domain.pricing import TaxClass
from popup_pos.services import catalog, event_terms, events, staff, startup
from popup_pos.store import migrate
from popup_pos.store.engine import make_engine
from popup_pos.store.uow import UnitOfWork

# shop_file: the demo shop in a SQLite file, with more kinds of rows.
pytest_plugins = ["tests.store.first_screen_shop"]


def _sql(path: Path, *statements: str) -> None:
    engine = make_engine(str(path))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def signed_up(shop_file):
    """Staff the way a real night has them: organizers whose names sort only when case is
    ignored, one no longer active, and a helper tied to the event."""
    shop, path = shop_file
    uow = shop.uow
    staff.set_organizer(uow, "zoe", "246800")
    staff.add_staff(uow, "Bea", "organizer", "135700")
    gone = staff.add_staff(uow, "Abe", "organizer", "975300")
    staff.deactivate(uow, gone.id)
    staff.add_staff(uow, "Al", "helper", "8642", event_id=shop.event.id)
    event_terms.set_terms(uow, default_tax=TaxClass("Sales", 80_000, False), tip_presets_ppm=None)
    return shop, path


def test_first_screen_is_what_the_services_read(signed_up):
    shop, path = signed_up
    uow = shop.uow

    first = startup.read_first_screen(str(path), " a ", need_catalog=True)

    assert first is not None
    organizer = next(s for s in staff.list_staff(uow) if s.role == "organizer")
    assert first.staff == organizer and organizer.name == "Bea"
    assert first.event == events.current_event(uow)
    assert first.register == events.join_register(uow, "A")
    assert first.default_tax == event_terms.default_tax(uow) == TaxClass("Sales", 80_000, False)
    assert first.variants == catalog.snapshot(uow)
    # Not equal by accident: the catalog has what the screen must tell apart.
    by_sku = {v.sku: v for v in first.variants}
    assert by_sku["LP-NIGHTS"].tax == TaxClass("Reduced", 70_000, True)
    assert by_sku["TEE-L"].label == "Tour tee 2026 — L / Red"
    assert by_sku["TEE-M"].low_stock_at == 7
    assert by_sku["PACK-TEE-M-POSTER"].parts and by_sku["PACK-TEE-M-POSTER"].available == 24
    assert by_sku["MEET-GREET"].available is None
    assert "TEE-XL" not in by_sku and "POSTER" not in by_sku


def test_staff_tied_to_a_closed_event_read_as_expired(signed_up):
    shop, path = signed_up
    _sql(
        path,
        "UPDATE staff SET active = 0 WHERE role = 'organizer'",
        "INSERT INTO staff (name, role, pin_hash, event_id, active) "
        "VALUES ('Cy', 'organizer', 'x', 1, 1)",
        "INSERT INTO events (name, currency, status, opened_at, float_cents, "
        "reservation_minutes, settings) VALUES ('Last night', 'USD', 'closed', "
        "'2026-01-01 20:00:00.000000', 0, 15, '{}')",
        "UPDATE staff SET event_id = (SELECT max(id) FROM events) WHERE name = 'Cy'",
    )
    first = startup.read_first_screen(str(path), "A")
    assert first is not None
    assert first.staff == next(s for s in staff.list_staff(shop.uow) if s.role == "organizer")
    assert first.staff.expired and first.staff.event_name == "Last night"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("UPDATE alembic_version SET version_num = '0001'", "A"),  # upgraded (backup) first
        ("UPDATE alembic_version SET version_num = '0999'", "A"),  # refused
        ("DROP TABLE alembic_version", "A"),
        ("UPDATE staff SET active = 0", "A"),  # first run: the organizer is set up
        ("UPDATE staff SET role = 'seller'", "A"),
        ("UPDATE events SET status = 'closed'", "A"),  # the open-event screen
        (None, "B"),  # joining writes: the normal start does it
        (None, "not a code"),
    ],
)
def test_anything_else_is_left_to_the_normal_start(signed_up, change, code):
    _, path = signed_up
    if change:
        _sql(path, change)
    assert startup.read_first_screen(str(path), code) is None


def test_an_empty_catalog_is_left_to_the_demo_seeding(tmp_path, sqlite_template):
    path = tmp_path / "empty.sqlite"
    shutil.copy(sqlite_template, path)
    engine = make_engine(str(path))
    try:
        uow = UnitOfWork(engine)
        staff.set_organizer(uow, "Ada", "246800")
        events.open_event(uow, "Night", currency="EUR")
        events.join_register(uow, "A")
    finally:
        engine.dispose()

    assert startup.read_first_screen(str(path), "A", need_catalog=True) is None
    first = startup.read_first_screen(str(path), "A")
    assert first is not None and first.variants == [] and first.event.currency == "EUR"


def test_no_database_no_first_screen(tmp_path):
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_text("shopping list\n")
    assert startup.read_first_screen(str(not_a_db), "A") is None
    assert not_a_db.read_text() == "shopping list\n"
    missing = tmp_path / "new.sqlite"
    assert startup.read_first_screen(str(missing), "A") is None
    assert not missing.exists()
    assert startup.read_first_screen("postgresql+psycopg://pos@127.0.0.1:1/pos", "A") is None


def test_the_database_opens_on_first_use_and_is_checked_first(tmp_path, sqlite_template):
    path = tmp_path / "old.sqlite"
    shutil.copy(sqlite_template, path)
    _sql(path, "UPDATE alembic_version SET version_num = '0999'")

    uow = startup.open_on_first_use(str(path))

    assert not uow.has_engine
    with pytest.raises(migrate.SchemaTooNewError):
        _ = uow.engine
    assert not uow.has_engine  # nothing half-made: the next use checks again
    assert not list(config.backup_dir().iterdir())


def test_the_database_opened_on_first_use_is_upgraded(tmp_path):
    from tests.store.test_upgrade import _fill, _fresh_first_release_db

    old = _fresh_first_release_db(tmp_path)
    _fill(old)
    old.dispose()
    path = tmp_path / "old.sqlite"

    uow = startup.open_on_first_use(str(path))
    try:
        assert migrate.current_revision(uow.engine) == migrate.HEAD_REVISION
    finally:
        uow.engine.dispose()
    assert len(list(config.backup_dir().glob("before-upgrade-0001-to-*.sqlite"))) == 1


def test_the_rest_loads_part_by_part():
    parts: list[int] = []
    startup.load_the_rest(after_each=lambda: parts.append(len(sys.modules)))
    assert len(parts) > 3
    assert "sqlalchemy.orm" in sys.modules and "popup_pos.services.payments" in sys.modules
