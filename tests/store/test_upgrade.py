"""Upgrading a database made by an older version keeps every row and takes a backup first."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text

from popup_pos import config
from popup_pos.cli import main as cli_main
from popup_pos.store import migrate
from popup_pos.store.backup import BackupError
from popup_pos.store.engine import make_engine

T0 = dt.datetime(2026, 3, 1, 18, 0, 0)
T1 = dt.datetime(2026, 3, 1, 19, 42, 7)
T2 = dt.datetime(2026, 3, 1, 23, 30, 0)

# Rows as the first release wrote them, in foreign-key order, in that release's columns.
ROWS_0001: dict[str, list[dict[str, object]]] = {
    "events": [
        dict(
            id=1,
            name="Spring pop-up",
            currency="USD",
            status="closed",
            opened_at=T0,
            closed_at=T2,
            float_cents=100_00,
            counted_cash_cents=145_40,
            reservation_minutes=15,
            settings='{"tip_presets": [10, 15, 20]}',
        ),
        dict(
            id=2,
            name="Afterparty",
            currency="USD",
            status="open",
            opened_at=T2,
            closed_at=None,
            float_cents=50_00,
            counted_cash_cents=None,
            reservation_minutes=10,
            settings="{}",
        ),
    ],
    "categories": [dict(id=1, name="Apparel")],
    "owners": [dict(id=1, name="The Band")],
    "tax_classes": [dict(id=1, name="Standard", rate_ppm=80_000, inclusive=False)],
    "registers": [dict(id=1, event_id=1, code="A", last_order_seq=1, joined_at=T0)],
    "staff": [
        dict(
            id=1,
            name="Ana",
            role="organizer",
            pin_hash="pbkdf2_sha256$1$c2FsdA$aGFzaA",
            event_id=None,
            active=True,
        )
    ],
    "products": [
        dict(
            id=1,
            handle="tour-tee-2026",
            name="Tour tee 2026",
            kind="item",
            description="Black, 100% cotton — “limited”",
            category_id=1,
            owner_id=1,
            tax_class_id=1,
            time_minutes=None,
            capacity=None,
            personalisation_prompt=None,
            archived=False,
        )
    ],
    "variants": [
        dict(
            id=1,
            product_id=1,
            sku="TEE-26-M",
            barcode="0000000000017",
            options='{"size": "M"}',
            price_cents=30_00,
            cost_cents=12_00,
            per_order_limit=2,
            edition_size=50,
            next_edition=18,
            track_stock=True,
            on_hand=9,
            low_stock_at=3,
            archived=False,
        )
    ],
    "orders": [
        dict(
            id=1,
            event_id=1,
            register_id=1,
            number="A-0001",
            status="paid",
            currency="USD",
            staff_id=1,
            created_at=T0,
            placed_at=T1,
            paid_at=T1,
            fulfilled_at=None,
            cancelled_at=None,
            reserved_until=None,
            parked=False,
            note="gift wrap",
            discount_kind=None,
            discount_value=None,
            tip_kind="percent",
            tip_value=10,
            subtotal_cents=30_00,
            discount_cents=0,
            tax_cents=2_40,
            tip_cents=3_00,
            total_cents=35_40,
            paid_cents=35_40,
            refunded_cents=0,
        )
    ],
    "order_lines": [
        dict(
            id=1,
            order_id=1,
            variant_id=1,
            sku="TEE-26-M",
            name="Tour tee 2026 — M",
            kind="item",
            quantity=1,
            unit_price_cents=30_00,
            cost_cents=12_00,
            tax_rate_ppm=80_000,
            tax_inclusive=False,
            discount_kind=None,
            discount_value=None,
            line_discount_cents=0,
            order_discount_cents=0,
            tax_cents=2_40,
            total_cents=32_40,
            edition_numbers="17",
            personalisation=None,
            note=None,
            refunded_quantity=0,
            owner_id=1,
        )
    ],
    "payments": [
        dict(
            id=1,
            order_id=1,
            tender="cash",
            status="succeeded",
            amount_cents=35_40,
            tendered_cents=40_00,
            change_cents=4_60,
            fee_cents=None,
            refunded_cents=0,
            reference=None,
            provider_id=None,
            idempotency_key="cash-A-0001-1",
            request=None,
            staff_id=1,
            created_at=T1,
            updated_at=T1,
        )
    ],
    "audit_entries": [
        dict(
            id=1,
            at="2026-03-01T18:00:00+00:00",
            actor="Ana",
            action="event.open",
            entity="event",
            entity_id="1",
            data='{"float_cents": 10000}',
            prev_hash="0" * 64,
            hash="a" * 64,
        ),
        dict(
            id=2,
            at="2026-03-01T19:42:07+00:00",
            actor="Ana",
            action="order.paid",
            entity="order",
            entity_id="A-0001",
            data='{"total_cents": 3540}',
            prev_hash="a" * 64,
            hash="b" * 64,
        ),
    ],
}


def _alembic(engine: Engine, action: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", "popup_pos.store:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def _fill(engine: Engine) -> None:
    """Insert ROWS_0001 with plain SQL, as the first release's schema takes them."""
    with engine.begin() as conn:
        for table, rows in ROWS_0001.items():
            cols = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES (:{', :'.join(cols)})"
            conn.execute(text(sql), rows)
        if engine.dialect.name == "postgresql":
            # Explicit ids leave the sequences behind; the next sale must not collide.
            for table in ROWS_0001:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def _snapshot(engine: Engine) -> dict[str, list[dict[str, object]]]:
    """Every row of the tables ROWS_0001 fills, limited to the columns of schema 0001."""
    out = {}
    with engine.connect() as conn:
        for table, rows in ROWS_0001.items():
            cols = list(rows[0])
            result = conn.execute(text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id"))
            out[table] = [dict(r._mapping) for r in result]
    return out


def _at_first_revision(engine: Engine) -> None:
    if migrate.current_revision(engine) is None:
        _alembic(engine, "upgrade", "0001")
    else:
        _alembic(engine, "downgrade", "0001")
    assert migrate.current_revision(engine) == "0001"


def _check_upgrade_keeps_rows(engine: Engine) -> None:
    _at_first_revision(engine)
    _fill(engine)
    before = _snapshot(engine)
    assert {t: len(r) for t, r in before.items()} == {t: len(r) for t, r in ROWS_0001.items()}

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.HEAD_REVISION
    assert _snapshot(engine) == before
    with engine.connect() as conn:
        # Values read back as written, not only as before: the comparison above would also
        # pass if both sides were wrong the same way.
        tee = conn.execute(text("SELECT name, description, owner_share_ppm FROM products")).one()
        assert tee == ("Tour tee 2026", "Black, 100% cotton — “limited”", None)
        assert conn.execute(text("SELECT on_hand FROM variants WHERE sku = 'TEE-26-M'")).one() == (
            9,
        )
        assert conn.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 2
        assert conn.execute(text("SELECT total_cents FROM orders")).scalar() == 35_40
        assert conn.execute(text("SELECT change_cents FROM payments")).scalar() == 4_60
        assert inspect(conn).has_table("settings")


def _fresh_first_release_db(tmp_path) -> Engine:
    """A SQLite file whose schema was made by the first migration only."""
    engine = make_engine(str(tmp_path / "old.sqlite"))
    _at_first_revision(engine)
    return engine


def test_first_release_sqlite_file_upgrades_with_every_row_and_a_backup(tmp_path):
    engine = _fresh_first_release_db(tmp_path)
    try:
        _check_upgrade_keeps_rows(engine)
    finally:
        engine.dispose()

    backups = sorted(config.backup_dir().glob("before-upgrade-0001-to-*.sqlite"))
    assert len(backups) == 1
    assert backups[0].name.startswith(f"before-upgrade-0001-to-{migrate.HEAD_REVISION}-")
    # The copy is the database as it was: old schema, all rows, openable on its own.
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT count(*) FROM audit_entries").fetchone() == (2,)
        assert copy.execute("SELECT sku, on_hand FROM variants").fetchall() == [("TEE-26-M", 9)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert not list(config.backup_dir().glob("*.part"))


def test_upgrade_keeps_every_row_on_each_database(engine, caplog):
    """The fixture's database taken back to schema 0001, filled, and upgraded again."""
    caplog.set_level(logging.INFO, logger="popup_pos.store.migrate")
    _check_upgrade_keeps_rows(engine)
    if engine.dialect.name == "postgresql":
        assert "pg_dump" in caplog.text
        assert not list(config.backup_dir().iterdir())
    else:
        assert len(list(config.backup_dir().glob("before-upgrade-0001-to-*.sqlite"))) == 1


def test_upgraded_database_takes_new_sales(tmp_path):
    """Sequences and constraints still work after the upgrade: a new row gets a new id."""
    engine = _fresh_first_release_db(tmp_path)
    try:
        _fill(engine)
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO categories (name) VALUES ('Art')"))
            ids = conn.execute(text("SELECT id FROM categories ORDER BY id")).scalars().all()
        assert ids == [1, 2]
    finally:
        engine.dispose()


def test_current_database_is_not_backed_up_again(engine):
    migrate.upgrade(engine)
    assert not list(config.backup_dir().iterdir())


def test_no_backup_means_no_upgrade(tmp_path):
    """When the copy cannot be written, the old schema is left exactly as it was."""
    engine = _fresh_first_release_db(tmp_path)
    try:
        _fill(engine)
        with pytest.raises(BackupError, match="does not exist"):
            migrate.upgrade(engine, backups=tmp_path / "no-such-folder")
        assert migrate.current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_newer_database_is_refused_and_left_alone(engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(migrate.SchemaTooNewError) as caught:
        migrate.upgrade(engine)
    message = str(caught.value)
    assert message.startswith("this database was written by a newer popup-pos (schema 0999;")
    assert f"knows schemas up to {migrate.HEAD_REVISION}" in message
    assert "install that version or newer to open it" in message
    assert migrate.current_revision(engine) == "0999"
    assert not list(config.backup_dir().iterdir())


def test_newer_database_is_refused_in_one_line_by_the_command(tmp_path, capsys):
    path = tmp_path / "newer.sqlite"
    engine = make_engine(str(path))
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    finally:
        engine.dispose()

    assert cli_main(["--db", str(path), "event", "status"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("popup-pos: this database was written by a newer popup-pos")
    assert err.count("\n") == 1
