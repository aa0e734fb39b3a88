"""Time a barcode scan to the updated cart on the selling screen with a 10,000-variant catalog."""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bigdb
import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem, QWidget

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.scanner import ScanDetector
from popup_pos.gui.sound import Sounds
from popup_pos.gui.theme import apply_theme
from popup_pos.services import events, staff
from popup_pos.services.changes import Changes
from popup_pos.services.database import open_database

TARGET_MEDIAN_MS = 2.0
TARGET_P99_MS = 8.0
WARMUP = 50
REFRESHES = 20


class PaintCounter(QObject):
    """Counts paint events reaching one widget: proof the cart was repainted, not just set."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def drain() -> None:
    """Run everything the change queued: layout, the repaint of the window, deferred deletes."""
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()


def p99(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


class Bench:
    """The selling screen on the big database, shown offscreen, with the app's scanner."""

    def __init__(self, app: QApplication, db: Path, player: list[str] | None = None) -> None:
        self.app = app
        self.uow = open_database(str(db))
        # Signed in as the organizer the database was built with (staff.set_organizer).
        who = next(s for s in staff.list_staff(self.uow) if s.role == "organizer")
        event = events.current_event(self.uow)
        assert event is not None, "the benchmark database has no open event"
        register = events.join_register(self.uow, bigdb.CURRENT_REGISTER)
        self.sounds = Sounds()
        if player:
            self.sounds.player = player  # as if found on PATH, like paplay on a desktop
        self.window = MainWindow(self.uow, event, register, who, sounds=self.sounds)
        self.detector = ScanDetector()
        self.app.installEventFilter(self.detector)
        # As App wires it: a scan reaches the window only while it is on screen.
        self.detector.scanned.connect(
            lambda code: self.window.on_scan(code) if self.window.isVisible() else None
        )
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.window.activateWindow()
        drain()
        self.table = self.window.panel.table
        self.painted = PaintCounter()
        self.table.viewport().installEventFilter(self.painted)

    def target(self) -> QWidget:
        return QApplication.focusWidget() or self.window.tiles

    def direct(self, code: str) -> float:
        """µs from on_scan(code) to the cart updated and the event queue drained."""
        rows = self.table.rowCount()
        start = time.perf_counter_ns()
        self.window.on_scan(code)
        drain()
        took = (time.perf_counter_ns() - start) / 1000
        self._check(rows, code)
        return took

    def burst(self, code: str) -> tuple[float, float]:
        """µs from the first key of the burst, and from its Enter, to the cart updated."""
        rows = self.table.rowCount()
        widget = self.target()
        start = time.perf_counter_ns()
        QTest.keyClicks(widget, code)  # a press and a release per character
        enter = time.perf_counter_ns()
        QTest.keyClick(widget, Qt.Key.Key_Return)
        drain()
        end = time.perf_counter_ns()
        self._check(rows, code)
        return (end - start) / 1000, (end - enter) / 1000

    def _check(self, rows: int, code: str) -> None:
        if self.table.rowCount() != rows + 1:
            raise RuntimeError(f"scanning {code!r} did not add a cart row")

    def clear(self) -> None:
        self.window.new_sale()
        drain()


def baseline(n: int) -> list[float]:
    """µs for a bare QTableWidget, in the same themed app, to take one more 3-cell row and
    repaint: what any cart display costs at least."""
    table = QTableWidget(0, 3)
    table.resize(430, 400)
    table.show()
    QTest.qWaitForWindowExposed(table)
    drain()
    out = []
    for i in range(n):
        if i % 10 == 0:
            table.setRowCount(0)
            drain()
        start = time.perf_counter_ns()
        row = table.rowCount()
        table.setRowCount(row + 1)
        for col, text in enumerate(("1", f"Item {i}", "$10.00")):
            table.setItem(row, col, QTableWidgetItem(text))
        drain()
        out.append((time.perf_counter_ns() - start) / 1000)
    table.close()
    return out


def run(scans: int, batch: int, seed: int, db: Path, player: list[str] | None) -> bool:
    """Print the report; whether the targets were met."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    floor = baseline(scans)  # first, while no selling screen's timer can interrupt it
    bench = Bench(app, db, player)
    everything = list(bigdb.codes(db))
    rng = random.Random(seed)
    # Half SKUs (as typed on a label), half barcodes; distinct within each cart.
    picks = [
        (sku if i % 2 else barcode or sku)
        for i, (sku, barcode) in enumerate(rng.sample(everything, WARMUP + scans))
    ]
    warm, timed = picks[:WARMUP], picks[WARMUP:]

    def in_batches(codes: list[str], measure: Callable[[str], object]) -> None:
        for i, code in enumerate(codes):
            if i % batch == 0:
                bench.clear()
            measure(code)

    in_batches(warm, bench.direct)
    in_batches(warm, bench.burst)
    paints_before = bench.painted.paints
    direct_us: list[float] = []
    in_batches(timed, lambda code: direct_us.append(bench.direct(code)))
    burst_us: list[float] = []
    enter_us: list[float] = []
    for i, code in enumerate(timed):
        if i % batch == 0:
            bench.clear()
        whole, enter = bench.burst(code)
        burst_us.append(whole)
        enter_us.append(enter)
    paints = bench.painted.paints - paints_before
    refresh_us = []
    for _ in range(REFRESHES):
        start = time.perf_counter_ns()
        bench.window.refresh()
        refresh_us.append((time.perf_counter_ns() - start) / 1000)
    # What a cash sale of three items re-reads now: their stock and the order queue.
    sale = Changes(stock=frozenset(list(bench.window.by_id)[:3]), queue=True)
    sale_us = []
    for _ in range(REFRESHES):
        start = time.perf_counter_ns()
        bench.window.changed(sale)
        sale_us.append((time.perf_counter_ns() - start) / 1000)
    window_rows = bench.window.model.rowCount()

    print(
        f"scan latency: {len(bench.window.by_id):,} variants ({window_rows:,} tiles), "
        f"{scans:,} random codes (half SKUs, half barcodes), cart cleared every {batch}; "
        f"offscreen; Python {platform.python_version()}, PySide6 {PySide6.__version__}"
    )
    cues = bench.sounds.player
    print(
        f"sound: {'player ' + ' '.join(cues) if cues else 'no player'}"
        f"{', muted' if bench.sounds.muted else ''}; the cart table was repainted "
        f"{paints / (2 * scans):.1f} times per scan"
    )
    rows = (
        ("on_scan(code) to cart updated", direct_us),
        ("scanner burst + Enter to cart updated", burst_us),
        ("  of which Enter to cart updated", enter_us),
        ("baseline: bare QTableWidget row + repaint", floor),
    )
    for label, samples in rows:
        print(
            f"  {label:<42} median {statistics.median(samples) / 1000:6.2f} ms"
            f"   p99 {p99(samples) / 1000:6.2f} ms   max {max(samples) / 1000:6.2f} ms"
        )
    per_key = (statistics.median(burst_us) - statistics.median(enter_us)) / max(
        1, statistics.median(len(c) for c in timed)
    )
    print(f"  scanner filter, per character of the burst: {per_key:.0f} µs")
    print(
        f"  MainWindow.refresh() (everything: stock, both queues, terms, Stripe status): "
        f"{statistics.median(refresh_us) / 1000:.1f} ms on the GUI thread (median of {REFRESHES})"
    )
    print(
        f"  MainWindow.changed() after a cash sale (its stock, the queue): "
        f"{statistics.median(sale_us) / 1000:.1f} ms on the GUI thread (median of {REFRESHES})"
    )
    ok = True
    for label, samples in (("on_scan", direct_us), ("scanner burst", burst_us)):
        med, tail = statistics.median(samples) / 1000, p99(samples) / 1000
        good = med <= TARGET_MEDIAN_MS and tail <= TARGET_P99_MS
        ok &= good
        print(
            f"{label}: median {med:.2f} ms, p99 {tail:.2f} ms (target <= {TARGET_MEDIAN_MS:g} ms "
            f"/ <= {TARGET_P99_MS:g} ms): {'ok' if good else 'MISSED'}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=1_000, help="timed scans per path")
    parser.add_argument("--batch", type=int, default=10, help="scans per cart")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="database (default: bigdb)")
    parser.add_argument(
        "--player",
        default=None,
        help="command to play the cues with, instead of what this machine has on PATH "
        "(e.g. /bin/true, to count the cost of starting a player per scan)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.scans < 2 or args.batch < 1:
        parser.error("--scans must be at least 2 and --batch at least 1")
    db = args.db or bigdb.cached()
    # Read when the QApplication is made: no screen needed, and none used if there is one.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    player = shlex.split(args.player) if args.player else None
    ok = run(args.scans, args.batch, args.seed, db, player)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
