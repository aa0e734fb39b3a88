"""Shared by the fit tests: the app's real look, and the laptop screen they plan for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from popup_pos.gui.theme import apply_theme

# 1280×720 less a taskbar: what every window and dialog must fit, title bar included.
LAPTOP = QSize(1280, 680)
TITLE_BAR = 32
CLIENT = QSize(LAPTOP.width(), LAPTOP.height() - TITLE_BAR)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The dark theme with its big fonts, as the app runs; undone afterwards."""
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
