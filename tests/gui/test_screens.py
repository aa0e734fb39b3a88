"""`--screenshot FILE --screen NAME`: every named screen renders; a bad name is refused."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from popup_pos.gui import screens
from tests.gui.conftest import open_register
from tests.gui.test_start import _popup_pos

pytestmark = pytest.mark.qt_log_ignore(r"does not support propagateSizeHints")


@pytest.mark.parametrize("name", list(screens.SCREENS))
def test_every_screen_renders_on_the_selling_window(qtbot, themed, shop, organizer, name):
    window = open_register(qtbot, shop, organizer)
    shown = screens.build(window, name)
    if shown is not window:
        qtbot.addWidget(shown)
    assert shown.isVisible()
    qtbot.waitUntil(lambda: screens.ready(shown), timeout=10_000)
    image = shown.grab().toImage()
    assert not image.isNull() and image.width() > 300 and image.height() > 200
    if name in ("orders", "codes"):
        # Sized for a 1280×720 laptop with its title bar and a taskbar (the other
        # screens size themselves to the screen they open on: tests/gui/test_real_window.py).
        assert shown.width() <= 1280 and shown.height() <= 660


def test_the_names_and_a_bad_one():
    assert list(screens.SCREENS) == [
        "selling", "catalog", "orders", "codes", "close", "report", "settings"
    ]  # fmt: skip
    assert screens.unknown_screen("orders") is None
    assert screens.unknown_screen(" Orders ") is None  # as typed, any case
    assert screens.unknown_screen("") == (
        "no screen '' to take a screenshot of: use one of " + ", ".join(screens.SCREENS)
    )
    assert screens.unknown_screen("ordres") == (
        "no screen 'ordres' to take a screenshot of: use one of " + ", ".join(screens.SCREENS)
    )


def test_the_command_line_renders_a_screen_and_refuses_a_bad_name(tmp_path):
    png = tmp_path / "orders.png"
    done = _popup_pos("--demo", "--screenshot", str(png), "--screen", "orders")
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert not image.isNull() and 0 < image.width() < 1366
    bad = _popup_pos("--demo", "--screenshot", str(tmp_path / "x.png"), "--screen", "nope")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "popup-pos: no screen 'nope' to take a screenshot of: use one of "
        + ", ".join(screens.SCREENS)
    ]
    assert not (tmp_path / "x.png").exists()
    nowhere = tmp_path / "missing" / "codes.png"
    failed = _popup_pos("--demo", "--screenshot", str(nowhere), "--screen", "codes")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1] == (
        f"popup-pos: the screenshot could not be written to {nowhere}: "
        "check that its folder exists and can be written to"
    )
    alone = _popup_pos("--demo", "--screen", "orders")
    assert alone.returncode == 2
    assert alone.stderr.strip().splitlines()[-1] == (
        "popup-pos: error: --screen NAME needs --screenshot FILE: the PNG to write"
    )
