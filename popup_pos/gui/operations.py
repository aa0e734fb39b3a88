"""Operations on the database from the GUI: a read (QueryOp) or a change (CollectionOp).

Both take the work as a plain function that must not touch widgets, and callbacks that
run on the GUI thread. A change also says what it changed (`Changes`), and the window's
one router updates only those parts of the screen once the change has succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject

from popup_pos.domain.errors import PosError
from popup_pos.gui.worker import run_in_background
from popup_pos.services.changes import Changes

log = logging.getLogger(__name__)

T = TypeVar("T")

Notify = Callable[[Changes], None]


def _log_error(error: BaseException) -> None:
    log.error("operation failed", exc_info=error)


class QueryOp(Generic[T]):
    """A read: `op()` on a worker, then `success(result)` on the GUI thread; an exception
    goes to `failure` (logged when none is given). Skipped if `parent` is gone by then."""

    def __init__(self, parent: QObject, op: Callable[[], T], success: Callable[[T], None]) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] = _log_error

    def failure(self, fn: Callable[[BaseException], None]) -> QueryOp[T]:
        self._failure = fn
        return self

    def run_in_background(self) -> None:
        run_in_background(self._op, self._success, self._failure, parent=self._parent)


class CollectionOp(Generic[T]):
    """A change: `op()` commits it; on success `success(result)` runs, then `notify` gets
    what changed (`changes`, or `changes(result)` when it depends on the result), all on
    the GUI thread. A failure changed nothing (one action, one transaction): `failure`
    gets the exception and nothing is notified.

    `run_in_background()` is for changes that may wait on the network (Stripe);
    `run_now()` for a local database change, fast enough for the GUI thread, whose
    result the next key press may need. Only a `PosError` (bad input, a refused action)
    is caught by `run_now`: anything else is a bug and propagates.
    """

    def __init__(
        self,
        parent: QObject,
        op: Callable[[], T],
        *,
        changes: Changes | Callable[[T], Changes],
        notify: Notify,
    ) -> None:
        self._parent = parent
        self._op = op
        self._changes = changes
        self._notify = notify
        self._success: Callable[[T], None] = lambda _: None
        self._failure: Callable[[BaseException], None] = _log_error

    def success(self, fn: Callable[[T], None]) -> CollectionOp[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> CollectionOp[T]:
        self._failure = fn
        return self

    def run_in_background(self) -> None:
        run_in_background(self._op, self._succeeded, self._failure, parent=self._parent)

    def run_now(self) -> T | None:
        """Run on this thread; the result, or None after a failure was reported."""
        try:
            result = self._op()
        except PosError as exc:
            self._failure(exc)
            return None
        self._succeeded(result)
        return result

    def _succeeded(self, result: T) -> None:
        self._success(result)
        changes = self._changes(result) if callable(self._changes) else self._changes
        if changes.any:
            self._notify(changes)
