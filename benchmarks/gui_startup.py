"""Time cold start to the painted selling screen, offscreen, against a bare 40-button Qt app."""

from __future__ import annotations

# Only a few standard modules at module level: the bare baseline runs this very file in a
# child process, and must not pay for more than a bare Qt app would import.
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

TARGET_RATIO = 3.0
TARGET_RSS_MIB = 150.0
BUTTONS = 40
# What `popup-pos --screenshot` waits after the first pass through the event loop.
SCREENSHOT_DELAY_MS = 50


# ---- the child processes ---------------------------------------------------------------------


def _watch_first_paint(window: Any) -> None:
    """Print, once, the monotonic time just after `window` (any of its widgets) has been
    painted for the first time, with the peak RSS so far."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and watched.window() is window
            ):
                self.seen = True
                # Posted now, run once the whole paint pass (every widget) has finished.
                QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            import resource

            at = time.monotonic_ns()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # Linux carries ru_maxrss across exec, so a big parent would inflate it; the
            # memory map's own high-water mark starts fresh at exec.
            status = Path("/proc/self/status")
            if status.exists():
                for row in status.read_text().splitlines():
                    if row.startswith("VmHWM:"):
                        rss = int(row.split()[1])
            print(json.dumps({"painted_ns": at, "rss_kib": rss}), flush=True)

    app = QApplication.instance()
    watcher = FirstPaint()
    window._first_paint_watcher = watcher  # kept alive with the window
    assert app is not None
    app.installEventFilter(watcher)


def child_bare(png: str) -> int:
    """QApplication + QMainWindow with 40 buttons, shown; then what --screenshot does."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QGridLayout, QMainWindow, QPushButton, QWidget

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 768)
    central = QWidget()
    grid = QGridLayout(central)
    for i in range(BUTTONS):
        grid.addWidget(QPushButton(f"Button {i + 1}"), i // 8, i % 8)
    window.setCentralWidget(central)
    window.show()
    _watch_first_paint(window)

    def shoot() -> None:
        window.grab().save(png)
        app.quit()

    QTimer.singleShot(0, lambda: QTimer.singleShot(SCREENSHOT_DELAY_MS, shoot))
    return app.exec()


def child_pos(db: str, png: str) -> int:
    """`popup-pos --db DB --screenshot PNG`, with the first paint of its window reported."""
    from popup_pos import cli

    start_gui = cli._start_gui

    def start_gui_watched(args: Any, uow: Any, *rest: Any) -> int:
        # Imported here, where `_start_gui` imports it: importing it earlier changes the
        # order modules load in, and with it the peak RSS (by about 16 MiB here).
        from popup_pos.gui.app import App

        start = App.start

        def start_and_watch(self: App) -> bool:
            shown = start(self)
            target = self.window or self.pending
            if target is not None:
                _watch_first_paint(target)
            return shown

        App.start = start_and_watch  # type: ignore[method-assign]
        return start_gui(args, uow, *rest)

    cli._start_gui = start_gui_watched
    return cli.main(["--db", db, "--screenshot", png])


# ---- the parent ----------------------------------------------------------------------------


class Run(NamedTuple):
    painted_s: float | None  # process start to first paint (None: not reported)
    exited_s: float  # process start to exit
    rss_mib: float  # the child's peak RSS over its whole life (ru_maxrss from wait4)


def _spawn(argv: list[str], folder: Path, pycache: Path | None) -> Run:
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    if pycache is not None:
        # An installed app runs from compiled bytecode; keep it out of the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    out_path, err_path = folder / "stdout", folder / "stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.monotonic_ns()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        exited = time.monotonic_ns()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited {proc.returncode}:\n{err_path.read_text()}")
    painted = None
    rss_mib = usage.ru_maxrss / 1024
    for line in out_path.read_text().splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            painted = report["painted_ns"]
            rss_mib = report["rss_kib"] / 1024
    return Run(
        None if painted is None else (painted - start) / 1e9,
        (exited - start) / 1e9,
        rss_mib,
    )


def run(runs: int, db: Path, pycache: Path | None) -> bool:
    """Print the report; whether every target was met."""
    import platform
    import statistics
    import tempfile
    from functools import partial

    me = str(Path(__file__).resolve())
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="gui-startup-") as tmp:
        folder = Path(tmp)
        png = str(folder / "shot.png")
        argvs = {
            "bare": [py, me, "--child", "bare", png],
            "pos": [py, me, "--child", "pos", str(db), png],
            "cli": [py, "-m", "popup_pos", "--db", str(db), "--screenshot", png],
        }
        modes = {name: partial(_spawn, argv, folder, pycache) for name, argv in argvs.items()}
        for measure in modes.values():  # warm the page cache and the bytecode caches
            measure()
        results: dict[str, list[Run]] = {name: [] for name in modes}
        for _ in range(runs):
            for name, measure in modes.items():
                results[name].append(measure())

    def med(name: str, field: str) -> float:
        return float(statistics.median(getattr(r, field) for r in results[name]))

    bare_paint, pos_paint = med("bare", "painted_s"), med("pos", "painted_s")
    ratio = pos_paint / bare_paint
    rss = max(r.rss_mib for r in results["cli"] + results["pos"])
    print(
        f"gui startup: offscreen, {runs} runs per mode (median), fresh process each; "
        f"Python {platform.python_version()}, PySide6 {_pyside_version()}"
    )
    print(
        f"database: {db.name} ({db.stat().st_size / 2**20:.0f} MiB); bytecode: "
        + (f"cached in {pycache}" if pycache else "as the environment has it")
    )
    rows = (
        ("bare QApplication + 40 buttons", "bare"),
        ("popup-pos selling screen", "pos"),
        ("`python -m popup_pos --screenshot`", "cli"),
    )
    print(f"  {'':<36} {'first paint':>12} {'exit':>9} {'peak RSS':>10}")
    for label, name in rows:
        paint = "" if name == "cli" else f"{med(name, 'painted_s') * 1000:9.0f} ms"
        print(
            f"  {label:<36} {paint:>12} {med(name, 'exited_s') * 1000:6.0f} ms"
            f" {med(name, 'rss_mib'):7.1f} MiB"
        )
    for label, name in rows:
        spread = ", ".join(
            f"{(r.painted_s if r.painted_s is not None else r.exited_s) * 1000:.0f}"
            for r in results[name]
        )
        print(f"  runs, {label}: {spread} ms")
    ok_time = ratio <= TARGET_RATIO
    ok_rss = rss <= TARGET_RSS_MIB
    print(
        f"cold start to first paint: {ratio:.2f}x the bare app "
        f"(target <= {TARGET_RATIO:g}x): {'ok' if ok_time else 'MISSED'}"
    )
    print(
        f"peak RSS, popup-pos (worst run): {rss:.1f} MiB, {rss / med('bare', 'rss_mib'):.2f}x "
        f"the bare app (target <= {TARGET_RSS_MIB:g} MiB): {'ok' if ok_rss else 'MISSED'}"
    )
    exit_ratio = med("cli", "exited_s") / med("bare", "exited_s")
    print(
        f"process start to exit, `--screenshot` flow on both sides "
        f"({SCREENSHOT_DELAY_MS} ms wait, grab, PNG): {exit_ratio:.2f}x (information)"
    )
    return ok_time and ok_rss


def _pyside_version() -> str:
    import PySide6

    return PySide6.__version__


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The children: parsed by hand, so the bare baseline does not even import argparse.
    if args[:2] == ["--child", "bare"] and len(args) == 3:
        return child_bare(args[2])
    if args[:2] == ["--child", "pos"] and len(args) == 4:
        return child_pos(args[2], args[3])
    return parent(args)


def parent(argv: Sequence[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed starts per mode")
    parser.add_argument("--db", type=Path, default=None, help="database (default: bigdb)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--no-pyc",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE and PYTHONPYCACHEPREFIX as they are (by default "
        "the children compile once into a temp bytecode cache, as an installed app would)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.db is None:
        import subprocess

        # Built (when not cached yet) by a process of its own: Linux hands a parent's peak
        # RSS down to the children it starts (ru_maxrss), so building it in this process
        # would inflate the peak reported for `python -m popup_pos`.
        built = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("bigdb.py"))],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        args.db = Path(built.stdout.splitlines()[0])
    pycache = None
    if not args.no_pyc:
        import tempfile

        pycache = Path(tempfile.gettempdir()) / "popup-pos-bench" / "pycache"
    ok = run(args.runs, args.db, pycache)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
