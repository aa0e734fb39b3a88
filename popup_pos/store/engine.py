"""Engine set-up (SQLite tuned for durability, PostgreSQL through psycopg 3) and driver SQL."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Dialect, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from popup_pos.domain.errors import PosError
from popup_pos.files import restrict
from popup_pos.store.models import UTCDateTime

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUrlError(PosError):
    """A --db value that is neither a file path nor a database URL we can open."""


class StorageError(PosError):
    """The database cannot be reached or written (server down, disk full, file locked)."""


class ValueRefusedError(PosError):
    """A value the database cannot hold (too long, out of range, a NUL byte) that no
    check before it caught; the transaction is rolled back."""


def _storage_error(error: BaseException | None, driver_error: BaseException) -> PosError | None:
    # Turn driver-level failures into one clear line for the person at the register.
    reason = (str(driver_error).strip().splitlines() or [type(driver_error).__name__])[0]
    if isinstance(error, OperationalError):
        return StorageError(f"cannot use the database: {reason}")
    if isinstance(error, DataError):
        return ValueRefusedError(f"the database refused a value: {reason}")
    return None


def _translate_error(ctx: ExceptionContext) -> BaseException | None:
    return _storage_error(ctx.sqlalchemy_exception, ctx.original_exception)


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


def _private_connect(path: str | None) -> Callable[[sqlite3.Connection, Any], None]:
    """The connect hook for a SQLite file: the file made owner-only, then the pragmas."""

    def connect(dbapi_conn: sqlite3.Connection, record: Any) -> None:
        if path and path != ":memory:":
            # Before WAL mode is set: SQLite gives the -wal and -shm files it creates the
            # database file's mode. Earlier installs' files (0644) are tightened too.
            for name in (path, f"{path}-wal", f"{path}-shm"):
                restrict(name)
        _sqlite_connect(dbapi_conn, record)

    return connect


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two registers never deadlock upgrading
    # a read lock, and busy_timeout queues them instead. Read-only units of work need no
    # write lock: a plain (deferred) BEGIN reads a consistent snapshot under WAL.
    read_only = conn.get_execution_options().get("popup_pos_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(db: str) -> Engine:
    url = normalize_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise DatabaseUrlError(f"database folder {str(parent)!r} does not exist")
        engine = create_engine(url, poolclass=NullPool if path == ":memory:" else None)
        event.listen(engine, "connect", _private_connect(path))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _translate_error)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# ---- hand-written statements -------------------------------------------------------------

# A `:name` parameter, not a `::type` cast and not part of a word.
_NAMED_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_T = TypeVar("_T")


class DriverSql:
    """One statement written by hand with `:name` parameters, rendered once per driver and
    run on the driver's own cursor.

    For the few statements every sale runs. Through SQLAlchemy, even a plain text
    statement costs several times what the driver takes to run it; here it costs one
    driver call. It still runs inside the unit of work's transaction: the cursor comes
    from the same connection, which SQLAlchemy has begun (BEGIN IMMEDIATE on SQLite) and
    will commit or roll back. What is given up is SQLAlchemy's work per statement, so:

    - parameters reach the driver untouched: callers convert values first (`time_binder`
      for timestamps; ints, strings, None and bools pass through sqlite3 and psycopg
      alike, and SQLite's 0/1 booleans need `bool()` when read);
    - rows come back as plain tuples;
    - driver errors are raised as SQLAlchemy would raise them (see `_driver_error`);
    - engine events such as `before_cursor_execute` do not see these statements (the
      drivers' own tracing does).
    """

    __slots__ = ("_by_dialect",)

    def __init__(self, sql: str) -> None:
        named = " ".join(sql.split())
        if "%" in named:
            raise ValueError("psycopg would read a literal % as a placeholder: bind the value")
        # sqlite3 takes `:name` itself; psycopg wants `%(name)s`.
        self._by_dialect = {"sqlite": named, "postgresql": _NAMED_PARAM.sub(r"%(\1)s", named)}

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row, or None."""
        row: tuple[Any, ...] | None = self._run(conn, params, False, _fetchone)
        return row

    def one(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The only row, as from INSERT or UPDATE … RETURNING on one row."""
        row = self.first(conn, params)
        if row is None:
            raise LookupError(f"no row from {self._by_dialect['sqlite']!r}")
        return row

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._run(conn, params, False, _fetchall)
        return rows

    def rowcount(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """How many rows an UPDATE or DELETE changed."""
        return self._run(conn, params, False, _rowcount)

    def many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One executemany for all the rows (one pipeline on psycopg)."""
        if rows:
            self._run(conn, rows, True, _nothing)

    def _run(
        self,
        conn: Connection,
        params: Any,  # one mapping, or a sequence of them if many
        many: bool,
        fetch: Callable[[DBAPICursor], _T],
    ) -> _T:
        statement = self._by_dialect[conn.dialect.name]
        cursor = conn.connection.cursor()
        try:
            if many:
                cursor.executemany(statement, params)
            else:
                cursor.execute(statement, params)
            return fetch(cursor)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise _driver_error(conn, exc, statement, params) from exc
        finally:
            # Closing resets the statement, so sqlite3 never holds one open at COMMIT.
            cursor.close()


def _fetchone(cursor: DBAPICursor) -> Any:
    return cursor.fetchone()


def _fetchall(cursor: DBAPICursor) -> Any:
    return cursor.fetchall()


def _rowcount(cursor: DBAPICursor) -> int:
    return int(cursor.rowcount)


def _nothing(_cursor: DBAPICursor) -> None:
    return None


def _driver_error(conn: Connection, error: Any, statement: str, params: Any) -> Exception:
    """The exception SQLAlchemy itself raises for a driver error, for statements that went
    round it: the connection invalidated if it was lost, the error wrapped in SQLAlchemy's
    class for it (IntegrityError…), and operational failures as `StorageError`, as the
    engine's `handle_error` hook gives them."""
    lost = conn.dialect.is_disconnect(error, conn.connection.dbapi_connection, None)
    if lost:
        conn.invalidate(error)
    wrapped = DBAPIError.instance(
        statement,
        params,
        error,
        conn.dialect.loaded_dbapi.Error,
        connection_invalidated=lost,
        dialect=conn.dialect,
    )
    return _storage_error(wrapped, error) or wrapped


@lru_cache(maxsize=16)
def time_binder(dialect: Dialect) -> Callable[[datetime | None], Any]:
    """What the models' `UTCDateTime` hands the driver for a timestamp on this dialect.

    Naive UTC: a `datetime` for psycopg, SQLAlchemy's 'YYYY-MM-DD HH:MM:SS.ffffff' text
    on SQLite. Taken from the type itself, so rows written by driver SQL read back through
    the ORM exactly like rows it wrote.
    """
    process = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    if process is None:  # pragma: no cover - UTCDateTime always converts
        raise RuntimeError("UTCDateTime has no bind processor")
    return process
