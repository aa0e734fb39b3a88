"""Engine set-up: SQLite tuned for durability and concurrency, PostgreSQL through psycopg 3."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from popup_pos.domain.errors import PosError

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUrlError(PosError):
    """A --db value that is neither a file path nor a database URL we can open."""


class StorageError(PosError):
    """The database cannot be reached or written (server down, disk full, file locked)."""


def _translate_error(ctx: ExceptionContext) -> BaseException | None:
    # Turn driver-level failures into one clear line for the person at the register.
    if isinstance(ctx.sqlalchemy_exception, OperationalError):
        reason = str(ctx.original_exception).strip().splitlines()[0]
        return StorageError(f"cannot use the database: {reason}")
    return None


def normalize_url(db: str) -> str:
    """A plain file path means SQLite; a PostgreSQL URL gets the psycopg 3 driver."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    url = make_url(db)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if not url.drivername.startswith(("sqlite", "postgresql")):
        raise DatabaseUrlError(
            f"database {db!r}: only SQLite files and PostgreSQL URLs are supported"
        )
    return url.render_as_string(hide_password=False)


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start (see below).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two registers never deadlock upgrading
    # a read lock, and busy_timeout queues them instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(db: str) -> Engine:
    url = normalize_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise DatabaseUrlError(f"database folder {str(parent)!r} does not exist")
        engine = create_engine(url, poolclass=NullPool if path == ":memory:" else None)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _translate_error)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
