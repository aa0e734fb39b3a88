"""QueryOp and CollectionOp: work off the GUI thread, callbacks and change notes on it."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from popup_pos.domain.errors import PosError
from popup_pos.gui import worker
from popup_pos.gui.operations import CollectionOp, QueryOp
from popup_pos.services.changes import QUEUE, Changes


class Probe(QObject):
    """Records what reached the GUI thread; `done` fires after each callback."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, object, bool]] = []

    def note(self, what: str, value: object) -> None:
        self.seen.append((what, value, on_gui_thread()))
        self.done.emit()

    def notify(self, changes: Changes) -> None:
        self.note("changes", changes)


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


def off_thread(value: int) -> int:
    assert not on_gui_thread()
    return value


def test_a_query_returns_its_typed_result_on_the_gui_thread(qtbot):
    probe = Probe()
    op: QueryOp[int] = QueryOp(probe, lambda: off_thread(42), lambda n: probe.note("ok", n))
    with qtbot.waitSignal(probe.done, timeout=5000):
        op.run_in_background()
    assert probe.seen == [("ok", 42, True)]


def test_a_failed_query_reaches_its_failure_callback(qtbot):
    probe = Probe()

    def broken() -> int:
        raise PosError("no event is open")

    op = QueryOp(probe, broken, lambda n: probe.note("ok", n))
    with qtbot.waitSignal(probe.done, timeout=5000):
        op.failure(lambda exc: probe.note("failed", str(exc))).run_in_background()
    assert probe.seen == [("failed", "no event is open", True)]


def test_a_failed_query_without_a_callback_is_logged(qtbot, caplog):
    probe = Probe()

    def broken() -> int:
        raise PosError("disk full")

    with caplog.at_level(logging.ERROR, logger="popup_pos.gui.operations"):
        QueryOp(probe, broken, lambda n: None).run_in_background()
        qtbot.waitUntil(lambda: "operation failed" in caplog.text, timeout=5000)


def test_a_change_reports_success_then_what_changed(qtbot):
    probe = Probe()
    op = CollectionOp(
        probe,
        lambda: off_thread(7),
        changes=lambda order_id: Changes(queue=True, order=order_id),
        notify=probe.notify,
    ).success(lambda n: probe.note("ok", n))
    with qtbot.waitSignals([probe.done, probe.done], timeout=5000):
        op.run_in_background()
    assert probe.seen == [
        ("ok", 7, True),
        ("changes", Changes(queue=True, order=7), True),
    ]


def test_a_change_that_changed_nothing_notifies_nothing(qtbot):
    probe = Probe()
    op = CollectionOp(probe, lambda: off_thread(0), changes=Changes(), notify=probe.notify)
    with qtbot.waitSignal(probe.done, timeout=5000):
        op.success(lambda n: probe.note("ok", n)).run_in_background()
    assert probe.seen == [("ok", 0, True)]


def test_a_failed_change_notifies_nothing(qtbot):
    probe = Probe()

    def refused() -> int:
        raise PosError("stock cannot go negative")

    op = CollectionOp(probe, refused, changes=QUEUE, notify=probe.notify)
    with qtbot.waitSignal(probe.done, timeout=5000):
        op.failure(lambda exc: probe.note("failed", str(exc))).run_in_background()
    assert probe.seen == [("failed", "stock cannot go negative", True)]


def test_run_now_delivers_before_it_returns(qtbot):
    probe = Probe()
    op = CollectionOp(probe, lambda: 3, changes=QUEUE, notify=probe.notify)
    assert op.success(lambda n: probe.note("ok", n)).run_now() == 3
    assert probe.seen == [("ok", 3, True), ("changes", QUEUE, True)]


def test_run_now_reports_refusals_and_lets_bugs_through(qtbot):
    probe = Probe()

    def refused() -> int:
        raise PosError("no order 9")

    op = CollectionOp(probe, refused, changes=QUEUE, notify=probe.notify)
    assert op.failure(lambda exc: probe.note("failed", str(exc))).run_now() is None
    assert probe.seen == [("failed", "no order 9", True)]

    def bug() -> int:
        raise KeyError("oops")

    with pytest.raises(KeyError):
        CollectionOp(probe, bug, changes=QUEUE, notify=probe.notify).run_now()


def test_a_deleted_parent_gets_no_callbacks(qtbot):
    probe = Probe()
    parent = QObject()
    go = threading.Event()

    def job() -> int:
        go.wait(5)
        return 1

    QueryOp(parent, job, lambda n: probe.note("ok", n)).run_in_background()
    shiboken6.delete(parent)  # the window closed while the read was under way
    go.set()
    qtbot.waitUntil(lambda: not worker._in_flight, timeout=5000)
    assert probe.seen == []
