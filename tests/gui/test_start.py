"""Start-up: the screen painted from the first-screen read, then loaded; every start path."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from sqlalchemy import Engine

from popup_pos import config
from popup_pos.gui.app import App
from popup_pos.gui.main_window import MainWindow
from popup_pos.services import checkout, database, events, staff, startup
from popup_pos.services.checkout import Cart, CartLine
from popup_pos.store import migrate
from popup_pos.store.uow import UnitOfWork
from tests.gui.conftest import QuietSounds

# shop_file: the demo shop in a SQLite file, with more kinds of rows.
pytest_plugins = ["tests.store.first_screen_shop"]

ROOT = Path(__file__).resolve().parents[2]


class Painted(QObject):
    """Notes whether a widget has been painted yet."""

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self.yes = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.yes = True
        return False


@pytest.fixture
def night(shop_file):
    """The shop with an organizer and something in each queue."""
    shop, path = shop_file
    uow = shop.uow
    staff.set_organizer(uow, "Ada", "246800")
    reg = shop.register.id
    checkout.sell(uow, reg, Cart((CartLine("TEE-M"), CartLine("MEET-GREET", name=None))))
    checkout.place_order(uow, reg, Cart((CartLine("LP-NIGHTS"),)))
    checkout.park(uow, reg, Cart((CartLine("DL-CARD", quantity=2),)))
    return shop, path


def _screen(w: MainWindow) -> dict[str, object]:
    """What a seller sees, as data."""
    return {
        "title": w.windowTitle(),
        "heading": w.heading.text(),
        "tiles": [w.model.variant_at(i) for i in range(w.model.rowCount())],
        "categories": [w.categories.tabText(i) for i in range(w.categories.count())],
        "orders": {
            name: [lst.item(i).text() for i in range(lst.count())]
            for name, lst in w.orders.lists.items()
        },
        "tickets": [w.tickets.list.item(i).text() for i in range(w.tickets.list.count())],
        "stripe": [(b.isEnabled(), b.toolTip()) for b in (w.panel.stripe, w.panel.card)],
        "banner": (w.banner.text(), w.banner.isVisibleTo(w)),
        "tax": w.cart.default_tax,
    }


def test_the_screen_paints_before_the_database_stack_loads(qtbot, night):
    shop, path = night
    first = startup.read_first_screen(str(path), "A")
    assert first is not None
    opened: list[tuple[bool, bool]] = []
    main = threading.current_thread()
    painted: list[Painted] = []

    def open_engine() -> Engine:
        opened.append((threading.current_thread() is not main, painted[0].yes))
        return database.open_database(str(path)).engine

    uow = UnitOfWork(open_engine)
    shell = App(uow, auto_sign_in=True, first_screen=first)
    assert shell.start()
    window = shell.window
    assert window is not None
    qtbot.addWidget(window)
    painted.append(Painted(window))
    window.sounds = QuietSounds()

    # Built and shown from the read alone: nothing has touched the database stack.
    assert opened == [] and window.loading
    assert window.model.rowCount() == len(first.variants) > 0
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=15_000)
    assert opened == [(True, True)]  # once, on a worker, after the first paint

    normal = MainWindow(
        shop.uow,
        events.current_event(shop.uow),
        events.join_register(shop.uow, "A"),
        first.staff,
        sounds=QuietSounds(),
    )
    qtbot.addWidget(normal)
    normal.show()
    qtbot.waitUntil(lambda: not normal.loading, timeout=15_000)
    loaded = _screen(window)
    assert loaded == _screen(normal)
    assert all(loaded["orders"].values()) and loaded["tickets"]

    # Loaded, the window sells through the same unit of work, as any other.
    window.on_scan("TEE-S")
    window.pay_cash(None)
    assert " cash" in window.panel.notice.text() and " paid $" in window.panel.notice.text()
    assert shop.on_hand("TEE-S") == 11
    assert uow.has_engine
    window.close()
    uow.engine.dispose()


def test_without_a_first_screen_the_start_asks_for_a_pin(qtbot, night, monkeypatch):
    from popup_pos.gui.dialogs import pin as dialogs

    shop, _ = night
    reasons: list[str] = []

    def type_the_pin(dialog: dialogs.PinDialog) -> int:
        reasons.append(dialog.ui.reasonLabel.text())
        for digit in "246800":
            dialog.press(digit)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(dialogs.PinDialog, "exec", type_the_pin)
    shell = App(shop.uow)
    assert shell.start()
    window = shell.window
    assert window is not None
    qtbot.addWidget(window)
    window.sounds = QuietSounds()
    assert reasons == ["Sign in with your PIN"] and window.staff.name == "Ada"
    qtbot.waitUntil(lambda: not window.loading, timeout=15_000)
    assert window.orders.lists["parked"].count() == 1


# What the first frame must be painted without: each costs a good part of the time it has.
NOT_BEFORE_FIRST_PAINT = ("sqlalchemy", "alembic", "keyring", "stripe", "qrcode", "reportlab")

_BUILD_FIRST_SCREEN = """
import sys
from PySide6.QtWidgets import QApplication
from popup_pos import cli
from popup_pos.gui.app import App
from popup_pos.gui.theme import apply_theme
from popup_pos.services import startup

args = cli._parse(["--db", sys.argv[1], "--screenshot", "x.png"])
first = cli._first_screen(args, args.db)
assert first is not None
app = QApplication([])
apply_theme(app)
shell = App(startup.open_on_first_use(args.db), auto_sign_in=True, first_screen=first)
assert shell.start() and shell.window is not None and shell.window.isVisible()
print(sorted(m for m in sys.argv[2:] if m in sys.modules))
"""


def test_the_first_screen_is_built_without_the_database_stack(night):
    shop, path = night
    shop.uow.engine.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_FIRST_SCREEN, str(path), *NOT_BEFORE_FIRST_PAINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ---- the command, in a process of its own ----------------------------------------------


def _popup_pos(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "popup_pos", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _shot_size(png: Path) -> tuple[int, int]:
    image = QImage(str(png))
    assert not image.isNull()
    return image.width(), image.height()


def test_screenshot_of_a_ready_database_comes_from_the_first_screen(tmp_path, night):
    shop, path = night
    shop.uow.engine.dispose()
    png = tmp_path / "shot.png"
    done = _popup_pos("--db", str(path), "--screenshot", str(png))
    assert done.returncode == 0, done.stderr
    assert _shot_size(png)[0] >= 1366


def test_screenshot_of_an_older_database_upgrades_it_with_a_backup_first(tmp_path):
    from tests.store.test_upgrade import _fill, _fresh_first_release_db

    old = _fresh_first_release_db(tmp_path)
    _fill(old)  # an organizer and an open event, in the first release's schema
    old.dispose()
    path = tmp_path / "old.sqlite"
    png = tmp_path / "shot.png"

    done = _popup_pos("--db", str(path), "--screenshot", str(png))

    assert done.returncode == 0, done.stderr
    assert _shot_size(png)[0] >= 1366
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migrate.HEAD_REVISION,
        )
    assert len(list(config.backup_dir().glob("before-upgrade-0001-to-*.sqlite"))) == 1


def test_screenshot_of_a_newer_database_is_refused_and_changes_nothing(tmp_path, night):
    shop, path = night
    with shop.uow.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0999'")
    shop.uow.engine.dispose()
    before = path.read_bytes()
    png = tmp_path / "shot.png"

    done = _popup_pos("--db", str(path), "--screenshot", str(png))

    assert done.returncode == 1
    assert done.stderr.startswith("popup-pos: this database was written by a newer popup-pos")
    assert path.read_bytes() == before and not png.exists()


def test_demo_is_seeded_once_then_starts_from_the_first_screen(tmp_path):
    demo = Path(config.demo_db())
    assert not demo.exists()
    for shot in ("first.png", "again.png"):
        done = _popup_pos("--demo", "--screenshot", str(tmp_path / shot))
        assert done.returncode == 0, done.stderr
        # The first run seeds the demo, opens its event and joins register A; the second
        # finds all of that and paints from the first-screen read.
        assert startup.read_first_screen(str(demo), "A", need_catalog=True) is not None
    assert _shot_size(tmp_path / "again.png") == _shot_size(tmp_path / "first.png")


def test_screenshot_without_an_open_event_shows_the_open_event_screen(tmp_path, sqlite_template):
    # First run too: nobody set up yet, so the screenshot signs in as the demo organizer.
    path = tmp_path / "new.sqlite"
    shutil.copy(sqlite_template, path)
    png = tmp_path / "shot.png"

    done = _popup_pos("--db", str(path), "--screenshot", str(png))

    assert done.returncode == 0, done.stderr
    width, _ = _shot_size(png)
    assert 0 < width < 1366  # the dialog, not the selling screen
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name, role FROM staff").fetchall() == [
            ("Demo organizer", "organizer")
        ]
