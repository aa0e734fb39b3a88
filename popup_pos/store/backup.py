"""Online backups of the SQLite file, safe while registers keep selling."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from popup_pos.domain.errors import PosError


class BackupError(PosError):
    """A backup that could not be written, and why."""


def backup_sqlite(engine: Engine, out: Path) -> int:
    """Copy the live database to `out` with SQLite's online backup API; returns its size."""
    if engine.dialect.name != "sqlite":
        raise BackupError(
            "this is a PostgreSQL database: back it up with pg_dump, e.g. "
            "pg_dump -Fc -f popup-pos.dump DBNAME"
        )
    source = make_url(engine.url).database
    if not source or source == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    out = out.expanduser()
    if not out.parent.is_dir():
        raise BackupError(f"folder {str(out.parent)!r} does not exist")
    if out.resolve() == Path(source).resolve():
        raise BackupError("the backup cannot overwrite the database itself")
    tmp = out.with_name(out.name + ".part")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        src.close()
    # Rename last so a full disk or a crash never leaves a half backup under the real name.
    tmp.replace(out)
    return out.stat().st_size


def audit_head_of(path: Path) -> tuple[int, str] | None:
    """(entry count, newest hash) of the audit log inside a SQLite file, None if empty."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
