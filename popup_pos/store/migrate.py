"""Applies Alembic migrations at start-up, cheaply when the schema is already current."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from popup_pos import __version__
from popup_pos.domain.errors import PosError

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

# The newest migration this version knows; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")


class SchemaTooNewError(PosError):
    """The database was written by a newer popup-pos than this one."""


class ForeignDatabaseError(PosError):
    """A database holding another program's tables, which popup-pos leaves alone."""


def foreign_tables(engine: Engine) -> list[str]:
    """The tables of a database popup-pos never migrated (another program's), if any."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
    return [] if "alembic_version" in names else names


def current_revision(engine: Engine) -> str | None:
    # Imported here: the first screen checks HEAD_REVISION before SQLAlchemy is loaded.
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_before_upgrade(engine: Engine, old: str, backups: Path | None = None) -> Path | None:
    """Copy a SQLite database aside before migrating it; returns the copy, None on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        log.warning(
            "upgrading the PostgreSQL schema from %s to %s: take a pg_dump first if this "
            "database has no other backup",
            old,
            HEAD_REVISION,
        )
        return None
    from popup_pos import config
    from popup_pos.store.backup import backup_sqlite

    folder = backups if backups is not None else config.backup_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    out = folder / f"before-upgrade-{old}-to-{HEAD_REVISION}-{stamp}.sqlite"
    # BackupError (a PosError) stops the upgrade: migrating without a copy is not worth it.
    backup_sqlite(engine, out)
    log.info("backed up the database to %s before upgrading its schema", out)
    return out


def upgrade(engine: Engine, backups: Path | None = None) -> None:
    """Bring the schema to HEAD_REVISION; refuse a database from a newer version.

    A database made by an older version is copied to `backups` (default: the backups
    folder in the data folder) before it is migrated.
    """
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise SchemaTooNewError(
            f"this database was written by a newer popup-pos (schema {current}; popup-pos "
            f"{__version__} knows schemas up to {HEAD_REVISION}): install that version or "
            "newer to open it; this one has not changed it"
        )
    if current is None and engine.dialect.name == "sqlite":
        # A file given by mistake. (A PostgreSQL database is named on purpose, and may
        # hold other schemas' tables.)
        others = foreign_tables(engine)
        if others:
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            raise ForeignDatabaseError(
                f"{engine.url.database} holds another program's tables ({shown}): popup-pos "
                "does not add its own beside them; give a new file or an empty database"
            )
    if current is not None:
        backup_before_upgrade(engine, current, backups)
    # Alembic is only imported when there is work to do, to keep start-up fast.
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "popup_pos.store:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
