"""Before Qt starts: a missing X11 library is named with its apt command, not Qt's abort."""

import sys

import pytest

from popup_pos.gui import platform_check
from popup_pos.gui.platform_check import APT_COMMAND, XCB_LIBRARIES, uses_xcb, xcb_problem

X11 = {"DISPLAY": ":0"}


def test_xcb_is_used_on_a_linux_x_display_or_when_asked_for():
    assert uses_xcb(X11, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "darwin")
    assert not uses_xcb(X11, "win32")


def test_a_missing_library_is_named_with_the_command_that_installs_it():
    gone = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    line = xcb_problem(X11, "linux", loads=lambda soname: soname not in gone)
    assert line is not None and "\n" not in line
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4 are missing" in line
    assert line.endswith("sudo apt-get install libxcb-cursor0 libxcb-icccm4")


def test_nothing_is_said_when_every_library_loads_or_xcb_is_not_used():
    assert xcb_problem(X11, "linux", loads=lambda soname: True) is None
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", loads=lambda s: False) is None


def test_the_readme_command_installs_every_library_checked():
    for package in XCB_LIBRARIES.values():
        assert f" {package}" in APT_COMMAND


@pytest.mark.skipif(sys.platform != "linux", reason="the libraries are Linux's")
def test_the_check_really_asks_the_dynamic_loader():
    assert platform_check._loads("libc.so.6")
    assert not platform_check._loads("libpopup-pos-no-such-library.so.9")


def test_the_app_prints_the_line_and_exits_instead_of_aborting(monkeypatch, capsys, uow):
    from PySide6.QtWidgets import QApplication

    from popup_pos.gui import app

    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: None))
    monkeypatch.setattr(platform_check, "xcb_problem", lambda: "popup-pos: libxcb-x missing")
    assert app.run(uow) == 1
    assert capsys.readouterr().err == "popup-pos: libxcb-x missing\n"
