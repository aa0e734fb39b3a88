"""Start-up: first run, sign-in, the open-event screen, the selling screen, lock and settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from popup_pos import __version__
from popup_pos.domain.errors import PosError
from popup_pos.gui.dialogs import FirstRunDialog, OpenEventDialog, PinDialog, SettingsDialog
from popup_pos.gui.icons import icon
from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.scanner import ScanDetector
from popup_pos.gui.sound import Sounds
from popup_pos.gui.theme import apply_theme
from popup_pos.gui.worker import run_in_background
from popup_pos.services import database, events, payments, staff
from popup_pos.services.staff import StaffInfo

if TYPE_CHECKING:
    from popup_pos.store.uow import UnitOfWork

DEMO_ORGANIZER = ("Demo organizer", "1234")


class App(QObject):
    """Walks a register from start-up to the selling screen and back through the lock."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        register_code: str = "A",
        customer_display: bool = False,
        auto_sign_in: bool = False,
    ) -> None:
        super().__init__()
        self.uow = uow
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
        who = self._first_staff()
        if who is None:
            return False
        event = events.current_event(self.uow)
        if event is None:
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
        window = MainWindow(
            self.uow, event, register, who, sounds=self.sounds,
            customer_display=self.customer_display, ask_pin=self._pin_for,
        )  # fmt: skip
        window.setWindowIcon(icon("popup-pos"))
        window.locked.connect(self.lock)
        window.settings_requested.connect(self.open_settings)
        window.event_closed.connect(self._after_close)
        self.scanner.scanned.connect(self._on_scan)
        self.window = window
        window.show()
        self._reconcile()
        return True

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
                first = FirstRunDialog(self.uow)
                if first.exec() != QDialog.DialogCode.Accepted:
                    return None
                # Whoever just chose the organizer PIN is signed in already.
                return first.staff
        if self.auto_sign_in:
            return next(s for s in staff.list_staff(self.uow) if s.role == "organizer")
        return self._ask_pin("Sign in with your PIN")

    def _ask_pin(self, reason: str, role: str | None = None) -> StaffInfo | None:
        dialog = PinDialog(self.uow, self.window, reason=reason, role=role)
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
        who = self._ask_pin("Locked: sign in with your PIN")
        if who is None:
            # Closing the lock screen closes the register; every sale is already saved.
            self.window.close()
            return
        self.window.staff = who
        self.window._update_heading()
        self.window.show()

    def open_settings(self) -> None:
        if self.window is None:
            return
        organizer = self.window.staff
        if organizer.role != "organizer":
            asked = self._ask_pin("Settings need the organizer's PIN", "organizer")
            if asked is None:
                return
            organizer = asked
        SettingsDialog(
            self.uow, organizer, self.window, register_code=self.window.register.code
        ).exec()
        self.window.load_catalog()

    def screenshot(self, path: Path) -> None:
        """Save what is on screen once it has been laid out and painted."""
        target = self.window or self.pending
        if target is None:
            raise PosError("nothing to take a screenshot of")
        target.grab().save(str(path))


def run(
    uow: UnitOfWork,
    *,
    register_code: str = "A",
    customer_display: bool = False,
    screenshot: Path | None = None,
    demo: bool = False,
) -> int:
    """Run the app until its window closes; with `screenshot`, save a PNG and exit."""
    if screenshot is not None and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform != "linux"
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("popup-pos")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("popup-pos"))
    apply_theme(app)
    shell = App(
        uow, register_code=register_code, customer_display=customer_display,
        auto_sign_in=demo or screenshot is not None,
    )  # fmt: skip
    app.installEventFilter(shell.scanner)
    if not shell.start():
        return 1
    if screenshot is not None:
        out = screenshot

        waited = [0]

        def shoot() -> None:
            # "Once it is loaded": the first refresh (queues, Stripe) runs on a worker.
            window = shell.window
            if window is not None and window.loading and waited[0] < 100:
                waited[0] += 1
                QTimer.singleShot(20, shoot)
                return
            shell.screenshot(out)
            app.quit()

        # Twice through the event loop so layouts settle and the first paint has happened.
        QTimer.singleShot(0, lambda: QTimer.singleShot(50, shoot))
    return app.exec()
