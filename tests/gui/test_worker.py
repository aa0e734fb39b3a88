"""Background work runs off the GUI thread and reports back on it, results and errors alike."""

from __future__ import annotations

import gc
import logging
import threading
import weakref

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread

from popup_pos.gui import worker
from popup_pos.gui.worker import run_in_background


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


def test_result_comes_back_on_the_gui_thread(qtbot):
    ran_on_gui: list[bool] = []
    results: list[tuple[int, bool]] = []

    def job() -> int:
        ran_on_gui.append(on_gui_thread())
        return 42

    run_in_background(job, lambda value: results.append((value, on_gui_thread())))
    assert results == []  # delivered by the event loop, never during the call
    qtbot.waitUntil(lambda: results != [], timeout=5000)
    assert results == [(42, True)]
    assert ran_on_gui == [False]


def test_error_reaches_on_error_on_the_gui_thread(qtbot):
    errors: list[tuple[BaseException, bool]] = []

    def job() -> int:
        raise ValueError("no network")

    run_in_background(
        job,
        lambda value: errors.append((AssertionError(value), False)),
        lambda error: errors.append((error, on_gui_thread())),
    )
    qtbot.waitUntil(lambda: errors != [], timeout=5000)
    [(error, gui)] = errors
    assert isinstance(error, ValueError) and str(error) == "no network"
    assert gui


def test_error_without_handler_is_logged(qtbot, caplog):
    caplog.set_level(logging.ERROR, logger=worker.__name__)

    def job() -> None:
        raise RuntimeError("export failed")

    run_in_background(job, lambda value: None)
    qtbot.waitUntil(lambda: any("background task failed" in r.message for r in caplog.records))
    assert "export failed" in caplog.text


def test_many_jobs_all_report(qtbot):
    results: list[int] = []
    for n in range(200):
        run_in_background(lambda n=n: n * n, results.append)
    qtbot.waitUntil(lambda: len(results) == 200, timeout=10000)
    assert sorted(results) == [n * n for n in range(200)]
    qtbot.waitUntil(lambda: not worker._in_flight, timeout=5000)


def test_callbacks_skipped_when_parent_is_gone(qtbot):
    release = threading.Event()
    results: list[int] = []
    parent = QObject()
    run_in_background(lambda: release.wait(5) and 1, results.append, parent=parent)
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    qtbot.waitUntil(lambda: not worker._in_flight, timeout=5000)
    assert results == []


class Report:
    """Stands in for a big result, such as an export's rows."""


def test_nothing_is_kept_once_reported(qtbot):
    def make_job():
        report = Report()
        return (lambda: report), weakref.ref(report)

    job, alive = make_job()
    kinds: list[type] = []
    run_in_background(job, lambda value: kinds.append(type(value)))
    del job
    qtbot.waitUntil(lambda: kinds == [Report], timeout=5000)

    def released() -> bool:
        gc.collect()
        return alive() is None

    qtbot.waitUntil(released, timeout=5000)
