"""Opening the database (migrated to this version's schema) and backing it up."""

from __future__ import annotations

from pathlib import Path

from popup_pos.domain.errors import PosError
from popup_pos.store import backup as backup_store
from popup_pos.store import engine as engine_store
from popup_pos.store import first_screen as first_screen_store
from popup_pos.store import migrate as migrate_store
from popup_pos.store.uow import UnitOfWork

SQLITE_HEADER = b"SQLite format 3\x00"


class NotADatabaseError(PosError):
    """A --db file that exists but is no SQLite database."""


def check_database_file(db: str) -> None:
    """Refuse an existing file that is not a SQLite database, an empty one included: SQLite
    would fail on the first, and silently turn the second into a database. A path with no
    file yet is fine (the database is created there)."""
    path = first_screen_store.sqlite_file(db)
    if path is None:
        return
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotADatabaseError(f"cannot read the database {path}: {exc.strerror}") from None
    if not head:
        raise NotADatabaseError(
            f"{path} is an empty file, not a popup-pos database: give a path where no file "
            "exists yet to start a new database, or remove the empty file"
        )
    if head != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not a database (not a SQLite file): check the --db path; "
            "nothing was changed"
        )


def open_database(db: str) -> UnitOfWork:
    """A unit of work on `db` (a SQLite path or a database URL), its schema brought up to
    date first."""
    check_database_file(db)
    engine = engine_store.make_engine(db)
    migrate_store.upgrade(engine)
    return UnitOfWork(engine)


def backup(uow: UnitOfWork, out: Path) -> int:
    """Copy a SQLite database while it is in use; returns the backup's size in bytes.
    `out` is a file, or an existing folder to put a new time-stamped file in.

    The copy's audit head goes beside it (`FILE.audit-head`), so entries removed from the
    backup later, or from the live log back to this point, are found by `audit verify`.
    """
    from popup_pos.services import audit

    written = backup_store.backup_target(out)
    size = backup_store.backup_sqlite(uow.engine, written)
    found = backup_store.audit_head_of(written)
    if found is not None:
        sidecar = written.with_name(written.name + ".audit-head")
        try:
            audit.write_anchor(sidecar, audit.Head(*found), str(written))
        except OSError as exc:
            raise backup_store.BackupError(
                f"the backup {str(written)!r} was written, its audit head "
                f"{audit.Head(*found)} could not be: {exc}"
            ) from exc
    return size


def backup_file(out: Path) -> Path:
    """The file a backup to `out` lands in (see store.backup.backup_target)."""
    return backup_store.backup_target(out)


def for_worker(uow: UnitOfWork, *, read_only: bool = False) -> UnitOfWork:
    """A unit of work of its own for a background thread: connections are never shared.
    `read_only` work (a screen refresh, an export) never blocks a sale on SQLite."""
    return UnitOfWork(uow.engine, read_only=read_only)
