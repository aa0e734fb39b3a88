"""The bundled icons load, draw something visible on a dark background, and come in every size."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from popup_pos.config import assets_dir
from popup_pos.gui import icons
from popup_pos.gui.icons import APP_ICON_SIZES, NAMES, app_icon, icon

ICONS = assets_dir() / "icons"


def opaque_pixels(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 128
    )


@pytest.mark.parametrize("name", NAMES)
def test_ui_icon_draws_white_strokes(qapp, name):
    assert QSvgRenderer(str(ICONS / f"{name}.svg")).isValid()
    found = icon(name)
    assert icon(name) is found  # cached
    image = found.pixmap(QSize(24, 24)).toImage()
    assert 20 < opaque_pixels(image) < 24 * 24 // 2  # strokes, not a filled square
    colours = {
        image.pixelColor(x, y).name()
        for y in range(24)
        for x in range(24)
        if image.pixelColor(x, y).alpha() == 255
    }
    assert colours == {"#ffffff"}


def test_unknown_icon_is_empty_and_logged(qapp, caplog):
    caplog.set_level(logging.WARNING, logger=icons.__name__)
    assert icon("no-such-icon").isNull()
    assert "no-such-icon" in caplog.text


@pytest.mark.parametrize("size", APP_ICON_SIZES)
def test_app_icon_png_has_its_size(size):
    image = QImage(str(ICONS / f"popup-pos-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_app_icon_offers_every_size(qapp):
    sizes = {s.width() for s in app_icon().availableSizes()}
    assert set(APP_ICON_SIZES) <= sizes
    small = app_icon().pixmap(QSize(16, 16)).toImage()
    assert opaque_pixels(small) > 16 * 16 // 2  # a solid, legible shape at 16 px
