"""Start-up: first run, sign-in, the open-event screen, the selling screen, lock and settings."""

from __future__ import annotations

import linecache
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from popup_pos import __version__
from popup_pos.domain.errors import PosError
from popup_pos.gui.icons import icon
from popup_pos.gui.lazy import Deferred
from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.scanner import ScanDetector
from popup_pos.gui.sound import Sounds
from popup_pos.gui.theme import apply_theme
from popup_pos.gui.worker import run_in_background
from popup_pos.services import startup
from popup_pos.services.views import EventInfo, RegisterInfo, StaffInfo

if TYPE_CHECKING:
    from popup_pos.services import database, events, payments, staff
    from popup_pos.services.startup import FirstScreen
    from popup_pos.store.uow import UnitOfWork
else:
    # Deferred: with a `FirstScreen` the window paints before the database stack loads.
    database = Deferred("popup_pos.services.database")
    events = Deferred("popup_pos.services.events")
    payments = Deferred("popup_pos.services.payments")
    staff = Deferred("popup_pos.services.staff")

DEMO_ORGANIZER = ("Demo organizer", "123456")
FIRST_PAINT_WAIT_MS = 1_000
# How long a screenshot waits for the window to load (the database stack, the first refresh).
SCREENSHOT_WAIT_MS = 10_000


class App(QObject):
    """Walks a register from start-up to the selling screen and back through the lock."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        register_code: str = "A",
        customer_display: bool = False,
        auto_sign_in: bool = False,
        first_screen: FirstScreen | None = None,
    ) -> None:
        super().__init__()
        self.uow = uow
        # Used by the first `start` only: after an event closes, start reads afresh.
        self.first_screen = first_screen
        self.register_code = register_code
        self.customer_display = customer_display
        self.auto_sign_in = auto_sign_in
        self.sounds = Sounds()
        self.window: MainWindow | None = None
        self.pending: QWidget | None = None  # a start-up dialog shown instead of the window
        self.scanner = ScanDetector()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # In a dialog (a PIN pad, a refund) keys are typing, never an item scan.
            app.focusChanged.connect(self._scanner_on_when_no_dialog)

    def start(self) -> bool:
        """Show the right first screen; False if the person gave up (closed a dialog)."""
        first, self.first_screen = self.first_screen, None
        if first is not None:
            self._show_window(first.staff, first.event, first.register, first)
            return True
        who = self._first_staff()
        if who is None:
            return False
        event = events.current_event(self.uow)
        if event is None:
            # Dialogs are loaded when one is shown: the selling screen never needs them.
            from popup_pos.gui.dialogs.open_event import OpenEventDialog

            if self.auto_sign_in:
                # Screenshots and the demo never wait for input: show the screen as is.
                self.pending = OpenEventDialog(self.uow)
                self.pending.show()
                return True
            if who.role != "organizer":
                who = self._ask_pin("Opening the event needs the organizer's PIN", "organizer")
                if who is None:
                    return False
            dialog = OpenEventDialog(self.uow, actor=who.name)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            event = events.current_event(self.uow)
            if event is None:
                return False
        register = events.join_register(self.uow, self.register_code)
        self._show_window(who, event, register)
        return True

    def _show_window(
        self,
        who: StaffInfo,
        event: EventInfo,
        register: RegisterInfo,
        first: FirstScreen | None = None,
    ) -> None:
        window = MainWindow(
            self.uow, event, register, who, sounds=self.sounds,
            customer_display=self.customer_display, ask_pin=self._pin_for, first_screen=first,
        )  # fmt: skip
        window.setWindowIcon(icon("popup-pos"))
        window.locked.connect(self.lock)
        window.settings_requested.connect(self.open_settings)
        window.event_closed.connect(self._after_close)
        self.scanner.scanned.connect(self._on_scan)
        self.window = window
        window.show_fitted()
        if first is None:
            self._reconcile()
        else:
            _AfterFirstPaint(window, self._open_database)

    def _open_database(self) -> None:
        """Load the database stack on a worker (the schema is checked there before
        anything is written), then refresh the painted window as usual."""
        window = self.window
        if window is None:
            return
        uow = self.uow

        def load() -> object:
            startup.load_the_rest(after_each=_forget_sources)
            return uow.engine

        def opened(_: object) -> None:
            window.start_refreshing()
            self._reconcile()

        run_in_background(
            load,
            opened,
            lambda exc: window.panel.say(f"Database: {exc}", "error"),
            parent=window,
        )

    def _reconcile(self) -> None:
        """Settle what the last run left pending at Stripe, off the GUI thread."""
        if self.window is None:
            return
        worker = database.for_worker(self.uow)
        window = self.window
        run_in_background(
            lambda: payments.reconcile_at_startup(worker),
            window.apply_changes,
            lambda exc: window.panel.say(f"Stripe: {exc}", "warn"),
            parent=window,
        )

    def _first_staff(self) -> StaffInfo | None:
        if staff.needs_organizer(self.uow):
            if self.auto_sign_in:
                staff.set_organizer(self.uow, *DEMO_ORGANIZER)
            else:
                from popup_pos.gui.dialogs.first_run import FirstRunDialog

                first = FirstRunDialog(self.uow)
                if first.exec() != QDialog.DialogCode.Accepted:
                    return None
                # Whoever just chose the organizer PIN is signed in already.
                return first.staff
        if self.auto_sign_in:
            return next(s for s in staff.list_staff(self.uow) if s.role == "organizer")
        # A stray Esc must not quit: Cancel (or closing the pad) still does.
        return self._ask_pin("Sign in with your PIN", escape_cancels=False)

    def _ask_pin(
        self,
        reason: str,
        role: str | None = None,
        *,
        locked: bool = False,
        escape_cancels: bool = True,
    ) -> StaffInfo | None:
        from popup_pos.gui.dialogs.pin import PinDialog

        dialog = PinDialog(
            self.uow,
            self.window,
            reason=reason,
            role=role,
            register=self.register_code,
            locked=locked,
            escape_cancels=escape_cancels,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.staff

    def _pin_for(self, reason: str) -> StaffInfo | None:
        return self._ask_pin(reason, "organizer")

    def _after_close(self) -> None:
        """The event was closed here: offer to open the next one, or end the session."""
        if self.window is not None:
            self.scanner.scanned.disconnect(self._on_scan)
            self.window.close()
            self.window = None
        if not self.start():
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def _scanner_on_when_no_dialog(self, *_: object) -> None:
        app = QApplication.instance()
        self.scanner.enabled = not (isinstance(app, QApplication) and app.activeModalWidget())

    def _on_scan(self, code: str) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.on_scan(code)

    def lock(self) -> None:
        """Hide the sale behind the PIN pad until someone signs in again."""
        if self.window is None:
            return
        self.window.hide()
        # The lock screen has no way out but a PIN: nothing on it quits the app.
        who = self._ask_pin("Locked: sign in with your PIN", locked=True)
        if who is None:
            self.window.close()
            return
        self.window.signed_in(who)
        self.window.show_fitted()

    def open_settings(self) -> None:
        if self.window is None:
            return
        organizer = self.window.staff
        if organizer.role != "organizer":
            asked = self._ask_pin("Settings need the organizer's PIN", "organizer")
            if asked is None:
                return
            organizer = asked
        from popup_pos.gui.dialogs.settings import SettingsDialog

        SettingsDialog(
            self.uow, organizer, self.window, register_code=self.window.register.code
        ).exec()
        self.window.load_catalog()

    def screenshot(self, path: Path) -> bool:
        """Save what is on screen once it has been laid out and painted; False if the
        file could not be written."""
        target = self.window or self.pending
        if target is None:
            raise PosError("nothing to take a screenshot of")
        return target.grab().save(str(path))


def _forget_sources() -> None:
    # PySide6 reads the source of every module named in an import after it has loaded, to
    # look for "PySide6" in it (PYSIDE-2029), and linecache keeps every line: over 20 MiB
    # for the database stack loaded behind the first frame. Dropping the cache after each
    # part lets the next part reuse that memory instead of adding to it.
    linecache.clearcache()


class _AfterFirstPaint(QObject):
    """Calls `then` once: after the widget's first paint pass, or after `FIRST_PAINT_WAIT_MS`
    if it is not painted by then (a window that opens minimised)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Posted: it runs after the whole pass, every child painted and on screen.
            QTimer.singleShot(0, self, self._call)
        return False

    def _call(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def _done_with(app: QApplication, png: Path, saved: bool) -> None:
    """Quit after a screenshot: status 1, with the reason, if the PNG was not written."""
    if saved:
        app.quit()
        return
    print(
        f"popup-pos: the screenshot could not be written to {png}: "
        "check that its folder exists and can be written to",
        file=sys.stderr,
    )
    app.exit(1)


def run(
    uow: UnitOfWork,
    *,
    register_code: str = "A",
    customer_display: bool = False,
    screenshot: Path | None = None,
    demo: bool = False,
    first_screen: FirstScreen | None = None,
    screen: str = "selling",
) -> int:
    """Run the app until its window closes; with `screenshot`, save a PNG of `screen` (a
    name in gui/screens.py) and exit.

    With `first_screen`, read before the database stack was loaded, the selling screen
    paints from it first and `uow` (made with `startup.open_on_first_use`) opens after.
    """
    from popup_pos.gui import screens

    refused = screens.unknown_screen(screen)
    if refused is not None:
        print(f"popup-pos: {refused}", file=sys.stderr)
        return 2
    if screenshot is not None and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform != "linux"
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QApplication.instance() is None:
        # Qt's own message for a missing library blames the wrong one and aborts.
        from popup_pos.gui.platform_check import xcb_problem

        problem = xcb_problem()
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("popup-pos")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("popup-pos"))
    apply_theme(app)
    shell = App(
        uow, register_code=register_code, customer_display=customer_display,
        auto_sign_in=demo or screenshot is not None, first_screen=first_screen,
    )  # fmt: skip
    app.installEventFilter(shell.scanner)
    if not shell.start():
        return 1
    probe_to = os.environ.get("POPUP_POS_PROBE")
    if probe_to:
        # Measured on a real screen by the fit tests: see gui/probe.py.
        from popup_pos.gui.probe import probe

        def measure() -> None:
            window = shell.window
            if window is None or window.loading:
                QTimer.singleShot(20, measure)
                return
            probe(window, Path(probe_to))
            app.quit()

        QTimer.singleShot(0, lambda: QTimer.singleShot(300, measure))
    if screenshot is not None:
        out = screenshot

        waited = [0]

        def shoot() -> None:
            # "Once it is loaded": the database stack and the first refresh (queues,
            # Stripe) load on workers.
            window = shell.window
            if window is not None and window.loading and waited[0] < SCREENSHOT_WAIT_MS:
                waited[0] += 20
                QTimer.singleShot(20, shoot)
                return
            if window is None or screens.screen_name(screen) == screens.DEFAULT_SCREEN:
                _done_with(app, out, shell.screenshot(out))
                return
            shown = screens.build(window, screen)

            def shoot_screen() -> None:
                if not screens.ready(shown) and waited[0] < SCREENSHOT_WAIT_MS:
                    waited[0] += 20
                    QTimer.singleShot(20, shoot_screen)
                    return
                _done_with(app, out, shown.grab().save(str(out)))

            # Laid out and painted before it is grabbed, like the selling window.
            QTimer.singleShot(0, lambda: QTimer.singleShot(100, shoot_screen))

        # Twice through the event loop so layouts settle and the first paint has happened.
        QTimer.singleShot(0, lambda: QTimer.singleShot(50, shoot))
    return app.exec()
