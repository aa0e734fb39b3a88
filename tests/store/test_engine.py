"""Engine set-up: SQLite durability settings, URL handling and the database's own guards."""

import os
import sqlite3
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from popup_pos.services import demo
from popup_pos.store.engine import DatabaseUrlError, make_engine, normalize_url


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(str(tmp_path / "x.sqlite"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_database_and_its_wal_files_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        earlier = tmp_path / "old.sqlite"
        sqlite3.connect(earlier).close()  # a database made readable by every user
        assert stat.S_IMODE(earlier.stat().st_mode) == 0o644
        for path in (earlier, tmp_path / "new.sqlite"):
            engine = make_engine(str(path))
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            with engine.connect() as conn:  # the -wal and -shm files exist while open
                modes = {
                    p.name: stat.S_IMODE(p.stat().st_mode)
                    for p in tmp_path.iterdir()
                    if p.name.startswith(path.name)
                }
            engine.dispose()
            assert modes == {path.name: 0o600, f"{path.name}-wal": 0o600,
                             f"{path.name}-shm": 0o600}  # fmt: skip
    finally:
        os.umask(old)


def test_url_forms(tmp_path):
    assert normalize_url(str(tmp_path / "a.sqlite")).startswith("sqlite:////")
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(DatabaseUrlError, match="only SQLite files and PostgreSQL"):
        normalize_url("mysql://u@h/db")
    with pytest.raises(DatabaseUrlError, match="does not exist"):
        make_engine(str(tmp_path / "missing" / "a.sqlite"))


def test_database_refuses_negative_stock(uow):
    demo.seed(uow)
    with pytest.raises(IntegrityError), uow:
        uow.conn.execute(text("UPDATE variants SET on_hand = -1 WHERE sku = 'POSTER'"))


def test_database_refuses_second_open_event(uow):
    with pytest.raises(IntegrityError), uow:
        for name in ("one", "two"):
            uow.conn.execute(
                text(
                    "INSERT INTO events (name, currency, status, opened_at, float_cents,"
                    " reservation_minutes, settings) VALUES (:n, 'USD', 'open',"
                    " CURRENT_TIMESTAMP, 0, 15, '{}')"
                ),
                {"n": name},
            )


def test_read_only_unit_of_work_does_not_block_a_sale(tmp_path):
    from popup_pos.store.migrate import upgrade
    from popup_pos.store.uow import UnitOfWork

    engine = make_engine(str(tmp_path / "ro.sqlite"))
    upgrade(engine)
    reader, writer = UnitOfWork(engine, read_only=True), UnitOfWork(engine)
    with reader:
        reader.conn.execute(text("SELECT count(*) FROM variants"))
        with writer:  # would wait for the busy timeout if the reader held the write lock
            writer.conn.execute(text("INSERT INTO categories (name) VALUES ('x')"))
            writer.commit()
    engine.dispose()


def test_a_value_the_database_cannot_hold_is_one_clear_error(uow):
    # Services check lengths and limits first; this is the net under what they miss.
    from popup_pos.store.engine import ValueRefusedError

    if uow.engine.dialect.name == "sqlite":
        pytest.skip("SQLite stores any length and has no NUL check to translate")
    demo.seed(uow)
    too_long = r"^the database refused a value: value too long"
    with pytest.raises(ValueRefusedError, match=too_long), uow:
        uow.conn.execute(text("UPDATE variants SET sku = :s WHERE sku = 'POSTER'"), {"s": "x" * 65})
    with pytest.raises(ValueRefusedError, match="NUL"), uow:
        uow.conn.execute(text("SELECT :s"), {"s": "a\x00b"})
