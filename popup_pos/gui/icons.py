"""The bundled icons: white stroke SVGs for the UI and the application icon."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QIcon

from popup_pos.config import assets_dir

log = logging.getLogger(__name__)

NAMES = ("cash", "qr", "card", "park", "search", "lock", "settings", "queue", "help")
APP_ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


@cache
def icon(name: str) -> QIcon:
    """assets/icons/NAME.svg as an icon (sharp at any size); an empty icon if it is missing."""
    path = assets_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        log.warning("icon %r is missing: %s", name, path)
        return QIcon()
    return QIcon(str(path))


@cache
def app_icon() -> QIcon:
    """The application icon: the pre-rendered PNGs (crisp at small sizes) plus the SVG."""
    folder = assets_dir() / "icons"
    result = QIcon()
    for size in APP_ICON_SIZES:
        png = folder / f"popup-pos-{size}.png"
        if png.is_file():
            result.addFile(str(png))
    svg = folder / "popup-pos.svg"
    if svg.is_file():
        result.addFile(str(svg))
    return result
