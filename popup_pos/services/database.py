"""Opening the database (migrated to this version's schema) and backing it up."""

from __future__ import annotations

from pathlib import Path

from popup_pos.store.backup import BackupError, audit_head_of, backup_sqlite
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

    The copy's audit head goes beside it (`FILE.audit-head`), so entries removed from the
    backup later, or from the live log back to this point, are found by `audit verify`.
    """
    from popup_pos.services import audit

    size = backup_sqlite(uow.engine, out)
    written = out.expanduser()
    found = audit_head_of(written)
    if found is not None:
        sidecar = written.with_name(written.name + ".audit-head")
        try:
            audit.write_anchor(sidecar, audit.Head(*found), str(written))
        except OSError as exc:
            raise BackupError(
                f"the backup {str(written)!r} was written, its audit head "
                f"{audit.Head(*found)} could not be: {exc}"
            ) from exc
    return size


def for_worker(uow: UnitOfWork, *, read_only: bool = False) -> UnitOfWork:
    """A unit of work of its own for a background thread: connections are never shared.
    `read_only` work (a screen refresh, an export) never blocks a sale on SQLite."""
    return UnitOfWork(uow.engine, read_only=read_only)
