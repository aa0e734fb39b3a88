"""A selling screen on the demo shop, signed in as the organizer, for the selling parts."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from popup_pos.gui.main_window import MainWindow
from popup_pos.gui.theme import apply_theme
from popup_pos.services import settings, staff
from popup_pos.services.events import current_event


class QuietSounds:
    muted = True

    def __init__(self) -> None:
        self.played: list[str] = []

    def beep(self) -> None:
        self.played.append("beep")

    def buzz(self) -> None:
        self.played.append("buzz")

    def chime(self) -> None:
        self.played.append("chime")


@pytest.fixture
def organizer(shop):
    staff.set_organizer(shop.uow, "Ada", "246800")
    return next(s for s in staff.list_staff(shop.uow) if s.role == "organizer")


@pytest.fixture
def window(qtbot, shop, organizer):
    w = MainWindow(
        shop.uow, current_event(shop.uow), shop.register, organizer, sounds=QuietSounds()
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


@pytest.fixture
def venmo(shop):
    settings.put(shop.uow, "wallets", {"venmo": "the-band", "cashapp": "", "paypal": ""})


@pytest.fixture
def display(qtbot, window):
    window.toggle_customer_display()
    qtbot.addWidget(window.customer)
    return window.customer


@pytest.fixture
def themed(qapp):
    """The real theme (its big fonts are what must fit), put back afterwards."""
    saved = (qapp.style().name(), QPalette(qapp.palette()), qapp.font(), qapp.styleSheet())
    apply_theme(qapp)
    yield qapp
    style, palette, font, sheet = saved
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
