"""Online backups of the SQLite file, safe while registers keep selling."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from popup_pos.domain.errors import PosError
from popup_pos.files import create_private_file


class BackupError(PosError):
    """A backup that could not be written, and why."""


def backup_target(out: Path, now: datetime | None = None) -> Path:
    """The file a backup to `out` is written to: `out` itself, or for an existing folder a
    new file in it named after the time as the app's Back up now names it,
    popup-pos-20261204-214530.sqlite."""
    out = out.expanduser()
    if not out.is_dir():
        return out
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = out / f"popup-pos-{stamp}.sqlite"
    n = 2
    while target.exists():
        target = out / f"popup-pos-{stamp}-{n}.sqlite"
        n += 1
    return target


def backup_sqlite(engine: Engine, out: Path) -> int:
    """Copy the live database to `out` (a file, or a folder to put a new file in) with
    SQLite's online backup API; returns its size."""
    if engine.dialect.name != "sqlite":
        raise BackupError(
            "this is a PostgreSQL database: back it up with pg_dump, e.g. "
            "pg_dump -Fc -f popup-pos.dump DBNAME"
        )
    source = make_url(engine.url).database
    if not source or source == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    out = backup_target(out)
    if not out.parent.is_dir():
        raise BackupError(f"folder {str(out.parent)!r} does not exist")
    if out.resolve() == Path(source).resolve():
        raise BackupError("the backup cannot overwrite the database itself")
    tmp = out.with_name(out.name + ".part")
    try:
        # Created owner-only before SQLite writes a page into it: a backup holds every sale.
        create_private_file(tmp)
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        # Rename last so a full disk or a crash never leaves a half backup under the real name.
        tmp.replace(out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise BackupError(f"backup to {str(out)!r} failed: {_reason(exc)}") from exc
        raise
    return out.stat().st_size


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def audit_head_of(path: Path) -> tuple[int, str] | None:
    """(entry count, newest hash) of the audit log inside a SQLite file, None if empty."""
    # immutable: a WAL-mode copy opened read-only would get -wal and -shm files beside it.
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        count, digest = con.execute(
            "SELECT count(*), (SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1)"
            " FROM audit_entries"
        ).fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"the backup's audit log cannot be read: {exc}") from exc
    finally:
        con.close()
    return None if digest is None else (int(count), str(digest))
