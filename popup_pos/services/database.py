"""Opening the database (migrated to this version's schema) and backing it up."""

from __future__ import annotations

from pathlib import Path

from popup_pos.store.backup import backup_sqlite, backup_target
from popup_pos.store.engine import make_engine
from popup_pos.store.migrate import upgrade
from popup_pos.store.uow import UnitOfWork


def open_database(db: str) -> UnitOfWork:
    """A unit of work on `db` (a SQLite path or a database URL), its schema brought up to
    date first."""
    engine = make_engine(db)
    upgrade(engine)
    return UnitOfWork(engine)


def backup(uow: UnitOfWork, out: Path) -> int:
    """Copy a SQLite database while it is in use; returns the backup's size in bytes.
    `out` is a file, or an existing folder to put a new time-stamped file in."""
    return backup_sqlite(uow.engine, out)


def backup_file(out: Path) -> Path:
    """The file a backup to `out` lands in (see store.backup.backup_target)."""
    return backup_target(out)


def for_worker(uow: UnitOfWork, *, read_only: bool = False) -> UnitOfWork:
    """A unit of work of its own for a background thread: connections are never shared.
    `read_only` work (a screen refresh, an export) never blocks a sale on SQLite."""
    return UnitOfWork(uow.engine, read_only=read_only)
