"""Shared by the GUI tests: the real theme, quiet sounds, the organizer and a register."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.sound import Sounds
from popup_pos.gui.theme import apply_theme
from popup_pos.services import staff
from popup_pos.services.events import current_event
from tests.conftest import Shop

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The dark theme with its big fonts, as the app runs (what must fit and be read);
    the application is put back as it was for the other tests."""
    saved = (qapp.style().name(), QPalette(qapp.palette()), qapp.font(), qapp.styleSheet())
    apply_theme(qapp)
    yield qapp
    style, palette, font, sheet = saved
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


class QuietSounds(Sounds):
    """Records the cues instead of playing them."""

    def __init__(self) -> None:
        super().__init__(muted=True)
        self.played: list[str] = []

    def play(self, name: str) -> None:
        self.played.append(name)


@pytest.fixture
def organizer(shop: Shop) -> staff.StaffInfo:
    staff.set_organizer(shop.uow, "Ada", "246800")
    return next(s for s in staff.list_staff(shop.uow) if s.role == "organizer")


def open_register(qtbot: QtBot, shop: Shop, who: staff.StaffInfo) -> MainWindow:
    """The selling screen on `shop`, signed in as `who`, shown and active."""
    event = current_event(shop.uow)
    assert event is not None
    w = MainWindow(shop.uow, event, shop.register, who, sounds=QuietSounds())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w
