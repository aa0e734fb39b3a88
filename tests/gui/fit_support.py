"""Shared by the fit tests: the app's real look, and the laptop screen they plan for."""

from __future__ import annotations

from PySide6.QtCore import QSize

# 1280×720 less a taskbar: what every window and dialog must fit, title bar included.
LAPTOP = QSize(1280, 680)
TITLE_BAR = 32
CLIENT = QSize(LAPTOP.width(), LAPTOP.height() - TITLE_BAR)
