"""The unit of work: one user action, one transaction, committed explicitly."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for hints: a unit of work can exist before SQLAlchemy is imported (see below).
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, SessionTransaction


@dataclass(slots=True)
class _Savepoint:
    """A `with uow:` block inside `joined()`, and where its after-commit hooks begin."""

    nested: SessionTransaction
    hooks_at: int


class UnitOfWork:
    """`with uow:` opens a transaction; `uow.commit()` makes it durable; leaving without
    committing rolls everything back, so an error never leaves half a sale behind.

    The transaction lives on one connection (`conn`), which Core and hand-written
    statements use directly; an ORM session (`session`) joins it only when asked for, so
    a sale, which needs none, does not pay for one.

    `engine` may instead be a function that makes it: it is called once, on first use, by
    whichever thread gets there first. The selling screen paints its first frame from a
    quick read before SQLAlchemy is even imported, with a unit of work made this way.
    """

    def __init__(self, engine: Engine | Callable[[], Engine], *, read_only: bool = False) -> None:
        self._engine: Engine | None = None
        self._make_engine: Callable[[], Engine] | None = None
        if callable(engine):
            self._make_engine = engine
        else:
            self._engine = engine
        self._making = threading.Lock()
        # Read-only work (screens refreshing, exports) must not take SQLite's write lock,
        # or every register's next sale would queue behind it.
        self.read_only = read_only
        self._inside = False
        self._conn: Connection | None = None
        self._session: Session | None = None
        self._after_commit: list[Callable[[], None]] = []
        self._joining = False
        self._savepoints: list[_Savepoint] = []

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._making:
                if self._engine is None:
                    assert self._make_engine is not None
                    self._engine = self._make_engine()
        return self._engine

    @property
    def has_engine(self) -> bool:
        """False while a deferred engine has not been made (nothing to dispose of yet)."""
        return self._engine is not None

    @property
    def conn(self) -> Connection:
        """The transaction's connection; the transaction begins on first use (and again
        on the first use after a commit), so statements sent straight to the driver are
        always inside one."""
        if not self._inside:
            raise RuntimeError("unit of work used outside `with`")
        if self._conn is None:
            self._conn = self.engine.connect()
            if self.read_only:
                self._conn.execution_options(popup_pos_read_only=True)
        if not self._conn.in_transaction():
            self._conn.begin()
        return self._conn

    @property
    def session(self) -> Session:
        """An ORM session in the same transaction: its commit and rollback are the unit
        of work's."""
        if self._session is None:
            from sqlalchemy.orm import Session

            self._session = Session(
                bind=self.conn,
                expire_on_commit=False,
                autoflush=True,
                join_transaction_mode="control_fully",
            )
        return self._session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> UnitOfWork:
        if self._inside:
            if not self._joining:
                raise RuntimeError("unit of work is already open")
            self._savepoints.append(self._savepoint())
            return self
        self._inside = True
        return self

    @contextmanager
    def joined(self) -> Iterator[UnitOfWork]:
        """One transaction around several service calls, for a change and its record that
        must be durable together or not at all (a phone's sale and the answer a retry of
        it gets back). Each call's own `with uow:` runs as a savepoint of it, and that
        call's commit becomes durable only when the caller commits this transaction."""
        with self:
            # The savepoints go through the ORM session, made here so that it holds the
            # outer transaction: one made inside a savepoint would hold that instead.
            self.session.connection()
            self._joining = True
            try:
                yield self
            finally:
                self._joining = False
                self._savepoints.clear()

    def _savepoint(self) -> _Savepoint:
        return _Savepoint(self.session.begin_nested(), len(self._after_commit))

    def _undo_savepoint(self) -> None:
        """Rolls back the innermost joined block's work since its last commit."""
        top = self._savepoints[-1]
        if top.nested.is_active:
            top.nested.rollback()
        del self._after_commit[top.hooks_at :]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._savepoints:
            self._undo_savepoint()
            self._savepoints.pop()
            return
        session, conn = self._session, self._conn
        self._inside, self._session, self._conn = False, None, None
        self._after_commit.clear()
        try:
            if session is not None:
                session.close()
        finally:
            if conn is not None:
                conn.close()  # rolls back whatever was not committed

    def commit(self) -> None:
        if self._savepoints:
            # A joined block's commit keeps its work for the outer transaction's commit.
            # Its savepoint ends here: work after it (there is none in a service, which
            # commits last) joins the outer transaction.
            top = self._savepoints[-1]
            if top.nested.is_active:
                top.nested.commit()
            top.hooks_at = len(self._after_commit)
            return
        if self._session is not None:
            self._session.commit()  # flushes, then commits the connection's transaction
        if self._conn is not None and self._conn.in_transaction():
            self._conn.commit()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            hook()

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once this transaction commits; dropped if it rolls back. Hooks must
        not raise: the commit has already happened."""
        self._after_commit.append(hook)

    def rollback(self) -> None:
        if self._savepoints:
            self._undo_savepoint()
            self._savepoints[-1] = self._savepoint()
            return
        self._after_commit.clear()
        if self._session is not None:
            self._session.rollback()
        if self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()
