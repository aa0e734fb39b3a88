"""Backups to a file or into a folder, owner-only, and never a stray .part file."""

import os
import re
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from popup_pos.services.database import open_database
from popup_pos.store.backup import BackupError, backup_sqlite, backup_target


@pytest.fixture
def engine(tmp_path):
    uow = open_database(str(tmp_path / "pos.sqlite"))
    yield uow.engine
    uow.engine.dispose()


def tables(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        con.close()


def test_a_folder_gets_a_new_file_named_after_the_time(engine, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    size = backup_sqlite(engine, folder)
    (made,) = folder.iterdir()
    assert re.fullmatch(r"popup-pos-\d{8}-\d{6}\.sqlite", made.name)
    assert made.stat().st_size == size and tables(made) > 5
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_second_backup_in_the_same_second_does_not_overwrite_the_first(tmp_path):
    now = datetime(2026, 12, 4, 21, 45, 30)
    first = backup_target(tmp_path, now)
    assert first == tmp_path / "popup-pos-20261204-214530.sqlite"
    first.write_bytes(b"")
    assert backup_target(tmp_path, now).name == "popup-pos-20261204-214530-2.sqlite"
    assert backup_target(tmp_path / "named.sqlite", now) == tmp_path / "named.sqlite"


def test_a_failed_backup_leaves_no_part_file(engine, tmp_path, monkeypatch):
    out = tmp_path / "copy.sqlite"

    def full_disk(self, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full_disk)
    with pytest.raises(BackupError, match="No space left on device"):
        backup_sqlite(engine, out)
    monkeypatch.undo()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("copy")]


def test_a_backup_is_owner_only(engine, tmp_path):
    old = os.umask(0o022)
    try:
        backup_sqlite(engine, tmp_path / "copy.sqlite")
    finally:
        os.umask(old)
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "copy.sqlite").stat().st_mode) == 0o600


def test_the_database_itself_is_refused(engine, tmp_path):
    with pytest.raises(BackupError, match="cannot overwrite the database"):
        backup_sqlite(engine, tmp_path / "pos.sqlite")
