"""Applies Alembic migrations at start-up, cheaply when the schema is already current."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from popup_pos.domain.errors import PosError

# The newest migration this version knows; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0003"
KNOWN_REVISIONS = ("0001", "0002", "0003")


class SchemaTooNewError(PosError):
    """The database was written by a newer popup-pos than this one."""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to HEAD_REVISION; refuse a database from a newer version."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise SchemaTooNewError(
            f"this database was written by a newer popup-pos (schema {current}); "
            "install that version or newer to open it"
        )
    # Alembic is only imported when there is work to do, to keep start-up fast.
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "popup_pos.store:migrations")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
