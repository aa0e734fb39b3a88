"""The first screen's plain sqlite3 read: the rows SQLAlchemy reads, and nothing written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from popup_pos.store import catalog, first_screen

# shop_file: the demo shop in a SQLite file, with more kinds of rows.
pytest_plugins = ["tests.store.first_screen_shop"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_rows_are_the_ones_sqlalchemy_reads(shop_file):
    shop, path = shop_file
    with shop.uow:
        rows, parts, levels = catalog.snapshot_rows(shop.uow)
    with first_screen.reading(path) as conn:
        raw_rows, raw_parts, raw_levels = first_screen.snapshot_rows(conn)
    assert raw_rows == [tuple(r) for r in rows]
    assert (raw_parts, raw_levels) == (parts, levels)
    # The shapes the models give, not only equal values (True == 1, "{}" != {}).
    tee_l = next(r for r in raw_rows if r[1] == "TEE-L")
    assert tee_l[4] == {"Size": "L", "Colour": "Red", "Fit": ""}
    assert type(tee_l[7]) is bool and type(tee_l[18]) is bool
    assert "TEE-XL" not in {r[1] for r in raw_rows} and "POSTER" not in {r[1] for r in raw_rows}
    assert raw_parts and raw_levels


def test_reading_writes_nothing(shop_file):
    shop, path = shop_file
    shop.uow.engine.dispose()  # checkpointed: everything is in the file itself
    before = _digest(path)
    with first_screen.reading(path) as conn:
        assert first_screen.schema_revision(conn) is not None
        first_screen.snapshot_rows(conn)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("UPDATE variants SET on_hand = 0")
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("db", "found"),
    [
        ("{file}", True),
        ("sqlite:///{file}", True),
        ("sqlite+pysqlite:///{file}", True),
        ("sqlite:///{file}?mode=ro", False),  # options are SQLAlchemy's to read
        ("{missing}", False),  # the normal start creates it
        ("sqlite:///:memory:", False),
        (":memory:", False),
        ("postgresql+psycopg://pos@localhost/pos", False),
        ("mysql://pos@localhost/pos", False),
    ],
)
def test_only_an_existing_sqlite_file_is_read(tmp_path, db, found):
    file = tmp_path / "pos.sqlite"
    file.write_bytes(b"")
    given = db.format(file=file, missing=tmp_path / "missing.sqlite")
    assert first_screen.sqlite_file(given) == (file if found else None)
    assert not (tmp_path / "missing.sqlite").exists()
