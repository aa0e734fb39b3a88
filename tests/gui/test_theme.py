"""The dark theme: readable contrast, and dynamic properties that change how tiles look."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from popup_pos.gui import theme
from popup_pos.gui.theme import polish


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: str | QColor, b: str | QColor) -> float:
    la, lb = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_apply_theme_sets_style_palette_font_and_sheet(themed):
    sheet = themed.styleSheet()
    themed.setStyleSheet("")  # with a sheet, style() is the sheet's wrapper around Fusion
    assert themed.style().name().lower() == "fusion"
    themed.setStyleSheet(sheet)
    assert themed.palette().color(QPalette.ColorRole.Window) == QColor(theme.BACKGROUND)
    assert themed.font().pointSize() == theme.BASE_POINT_SIZE
    for selector in (
        "QPushButton#tile",
        'QPushButton#tile[soldOut="true"]',
        'QPushButton#tile[lowStock="true"]',
        "QLabel#tileBadge",
        'QPushButton#tender[primary="true"]',
        "QLabel#total",
        "QLabel#changeDue",
        'QLabel#notice[level="error"]',
        "QLabel#banner",
        "QWidget#customerDisplay",
        "QLabel#customerTotal",
        "QListWidget#queue",
        "QFrame#cartPanel",
    ):
        assert selector in themed.styleSheet(), selector


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
        (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
        (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
        (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
        (QPalette.ColorRole.ToolTipText, QPalette.ColorRole.ToolTipBase),
        (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base),
    ],
)
def test_palette_text_reads_at_seven_to_one(text, background):
    palette = theme.palette()
    assert contrast(palette.color(text), palette.color(background)) >= 7


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (theme.GREEN, theme.BACKGROUND),  # change due
        (theme.ON_ACCENT, theme.GREEN),  # cash exact key
        (theme.ON_ACCENT, theme.AMBER),  # offline banner, low-stock badge
        (theme.AMBER, "#2a2110"),  # warning notice
        (theme.RED_TEXT, "#2a1412"),  # error notice
        (theme.INFO, "#10202e"),  # info notice
        (theme.TEXT, theme.RAISED),  # tiles
        (theme.TEXT, "#000000"),  # customer display
    ],
)
def test_stylesheet_colours_read_at_seven_to_one(text, background):
    assert contrast(text, background) >= 7


def make_tile(qtbot) -> tuple[QPushButton, QLabel]:
    tile = QPushButton("Tour tee\n$25")
    tile.setObjectName("tile")
    badge = QLabel("3 left", tile)
    badge.setObjectName("tileBadge")
    QHBoxLayout(tile).addWidget(badge)
    qtbot.addWidget(tile)
    tile.resize(200, 120)
    return tile, badge


def test_sold_out_tile_looks_different_after_polish(themed, qtbot):
    tile, _ = make_tile(qtbot)
    before = tile.grab().toImage()
    tile.setProperty("soldOut", True)
    polish(tile)
    after = tile.grab().toImage()
    assert before != after
    # The tile's own background turns from the raised grey to the dim surface.
    assert before.pixelColor(100, 10) == QColor(theme.RAISED)
    assert after.pixelColor(100, 10) == QColor(theme.SURFACE)


def test_low_stock_turns_the_badge_amber(themed, qtbot):
    tile, badge = make_tile(qtbot)
    tile.setProperty("lowStock", True)
    polish(tile)
    assert badge.grab().toImage().pixelColor(badge.width() // 2, 1) == QColor(theme.AMBER)


def test_notice_levels_change_its_colour(themed, qtbot):
    notice = QLabel("Sold out: Tour tee M")
    notice.setObjectName("notice")
    qtbot.addWidget(notice)
    colours = set()
    for level in ("info", "warn", "error"):
        notice.setProperty("level", level)
        polish(notice)
        colours.add(notice.grab().toImage().pixelColor(notice.width() - 2, 2).name())
    assert len(colours) == 3
