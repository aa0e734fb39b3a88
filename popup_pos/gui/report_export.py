"""Exporting the night: format, file name and a progress bar, the work on a worker."""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs.kit import _first_line, _prepare_notice, _say
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, reports
from popup_pos.services.reports import ExportResult

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

log = logging.getLogger(__name__)


FORMAT_NAMES = {
    "csv": "CSV folder (one file per table)",
    "xlsx": "Excel workbook (.xlsx)",
    "json": "JSON document (.json)",
    "pdf": "PDF report (.pdf)",
}
# How often the progress bar reads what the export's worker last reported.
PROGRESS_POLL_MS = 80


def default_export_name(event_name: str, opened_at: datetime, fmt: str) -> str:
    """'friday-at-the-bowery-2026-05-01.xlsx'; a CSV export is a folder: '…-csv'."""
    slug = re.sub(r"[^a-z0-9]+", "-", event_name.lower()).strip("-") or "event"
    stem = f"{slug}-{opened_at.astimezone():%Y-%m-%d}"
    return f"{stem}-csv" if fmt == "csv" else f"{stem}.{fmt}"


class ProgressBox:
    """The latest (done, total) of a job, written by the worker and read by a GUI timer.

    A plain lock rather than a signal: nothing here belongs to a thread, so a job still
    running after its window closed has nothing to outlive.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None

    def put(self, done: int, total: int) -> None:
        with self._lock:
            self._latest = (done, total)

    def take(self) -> tuple[int, int] | None:
        with self._lock:
            latest, self._latest = self._latest, None
            return latest


# ---- building blocks ------------------------------------------------------------------------


class ExportBar(QWidget):
    """Format, "Export…" and a progress bar; the export runs on a worker thread.

    `finished` carries the ExportResult once the file or folder is complete.
    """

    finished = Signal(object)

    def __init__(self, uow: UnitOfWork, event: int | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uow, self.which = uow, event
        self.event_name, self.opened_at = "event", datetime.now().astimezone()
        self.open_when_done = False
        self.busy = False
        self.last: ExportResult | None = None
        self._box = ProgressBox()
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_POLL_MS)
        self._timer.timeout.connect(self._poll)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("export format")
        for fmt in reports.FORMATS:
            self.format_combo.addItem(FORMAT_NAMES[fmt], fmt)
        self.format_combo.setCurrentIndex(reports.FORMATS.index("xlsx"))
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(lambda: self.export())
        row.addWidget(self.format_combo, 1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setObjectName("notice")
        _prepare_notice(self.status)
        layout.addWidget(self.status)

    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def describe(self, name: str, opened_at: datetime) -> None:
        """Name and date the suggested file after the event."""
        self.event_name, self.opened_at = name, opened_at

    def export(self, fmt: str | None = None) -> None:
        """Ask where to write the export, then write it in the background."""
        fmt = fmt or self.fmt
        suggested = str(Path.home() / default_export_name(self.event_name, self.opened_at, fmt))
        if fmt == "csv":
            # A folder that does not exist yet: the export creates it with one file per table.
            caption, pattern = "Export as a new CSV folder", "Folder (*)"
        else:
            caption, pattern = f"Export as {fmt.upper()}", f"{fmt.upper()} (*.{fmt})"
        path, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        if path:
            self.start(fmt, Path(path))

    def start(self, fmt: str, path: Path) -> None:
        if self.busy:
            return
        if fmt != "csv" and path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        uow, event, box = self.uow, self.which, self._box

        def job() -> ExportResult:
            worker_uow = database.for_worker(uow, read_only=True)
            return reports.export(worker_uow, fmt, path, event=event, progress=box.put)

        self.busy = True
        self.export_button.setEnabled(False)
        self.format_combo.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(True)
        _say(self.status, f"Writing {path.name}…", "info")
        self._timer.start()
        run_in_background(job, self._done, self._failed, parent=self)

    def _poll(self) -> None:
        latest = self._box.take()
        if latest is not None:
            done, total = latest
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))

    def _stop(self) -> None:
        self._timer.stop()
        self._box.take()
        self.busy = False
        self.export_button.setEnabled(True)
        self.format_combo.setEnabled(True)

    def _done(self, result: ExportResult) -> None:
        self._stop()
        self.last = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        what = f"{len(result.files)} files" if result.format == "csv" else result.path.name
        _say(self.status, f"Saved {what} to {result.path}", "info")
        self.finished.emit(result)
        if self.open_when_done:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

    def _failed(self, error: BaseException) -> None:
        self._stop()
        self.progress.setVisible(False)
        if not isinstance(error, PosError | OSError):
            log.error("export failed", exc_info=error)
        _say(self.status, f"Export failed: {_first_line(error)}")


# ---- the report screen ----------------------------------------------------------------------
