"""Background work on the thread pool whose results come back to the GUI thread by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)

T = TypeVar("T")

# Relays of jobs not yet reported: nothing the callbacks need may be collected mid-flight.
_in_flight: set[QObject] = set()


def _log_error(error: BaseException) -> None:
    log.error("background task failed", exc_info=error)


class _Relay(QObject, Generic[T]):
    """Lives on the GUI thread; the job emits its signals from the pool thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._owner = owner
        # Queued: the callbacks run later, in the GUI thread's event loop, never in the pool.
        self.succeeded.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not isValid(self._owner)

    def _finish(self) -> None:
        _in_flight.discard(self)
        # Deleted here, on the GUI thread: the pool thread may drop the last Python
        # reference, and a QObject must not be destroyed outside its own thread.
        self.deleteLater()

    @Slot(object)
    def _deliver_result(self, result: T) -> None:
        self._finish()
        if not self._owner_gone():
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: BaseException) -> None:
        self._finish()
        if not self._owner_gone():
            self._on_error(error)


class _Job(Generic[T]):
    """The pool thread's side: run fn, then report through the relay.

    A plain callable wrapped by QRunnable.create rather than a QRunnable subclass: a
    subclass that emits a signal in run() is never freed by PySide, nor is what it holds.
    """

    def __init__(self, fn: Callable[[], T], relay: _Relay[T]) -> None:
        self._fn = fn
        self._relay = relay

    def __call__(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # delivered, not lost in a pool thread
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


def run_in_background(
    fn: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    parent: QObject | None = None,
) -> None:
    """Run fn on the global thread pool; on_done(result) or on_error(exception) runs later on
    the GUI thread (errors are logged when on_error is None).

    With a parent, the callbacks are skipped if the parent has been deleted by then, so a
    closed window is never updated. fn must not touch widgets.
    """
    relay: _Relay[T] = _Relay(on_done, on_error or _log_error, parent)
    app = QCoreApplication.instance()
    if app is not None:
        relay.moveToThread(app.thread())  # called from a pool thread, still report to the GUI
        relay.setParent(app)  # owned by Qt on the GUI thread, not by a Python reference
    _in_flight.add(relay)
    QThreadPool.globalInstance().start(QRunnable.create(_Job(fn, relay)))
