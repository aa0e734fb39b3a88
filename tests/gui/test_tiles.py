"""Tiles: price and badge never run together, and the grid grows to use a big screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics

from popup_pos.gui.tiles import MAX_GROWTH, TILE, TileModel, TileView, badge_rect


def _metrics() -> QFontMetrics:
    font = QFont()
    font.setPointSize(11)
    font.setBold(True)
    return QFontMetrics(font)


def test_a_badge_that_fits_shares_the_price_line(qapp):
    m = _metrics()
    bottom = QRect(0, 80, 240, 20)
    rect = badge_rect(bottom, "$15.00", "CODE", m)
    assert rect.top() == bottom.top() and rect.right() == bottom.right()
    assert rect.left() > m.horizontalAdvance("$15.00")


def test_a_long_badge_moves_above_the_price_instead_of_running_into_it(qapp):
    m = _metrics()
    bottom = QRect(0, 80, 130, 20)
    for price, badge in (("$15.00", "next 19:40"), ("$30.00", "SOLD OUT")):
        assert m.horizontalAdvance(price) + m.horizontalAdvance(badge) > 120  # a real clash
        rect = badge_rect(bottom, price, badge, m)
        price_rect = QRect(bottom.left(), bottom.top(), m.horizontalAdvance(price), 20)
        assert not rect.intersects(price_rect)
        assert rect.bottom() < bottom.top() and rect.width() >= m.horizontalAdvance(badge)


def test_tiles_grow_to_fill_a_wide_grid_and_stay_whole_on_a_narrow_one(qtbot):
    view = TileView(TileModel("USD"))
    qtbot.addWidget(view)
    view.resize(TILE.width() * 2 + 50, 400)
    view.show()
    qtbot.waitUntil(lambda: view.gridSize().width() >= TILE.width())
    room = view.viewport().width()
    columns = room // view.gridSize().width()
    assert columns >= 2 and room - columns * view.gridSize().width() < 40  # no dead strip
    view.window().resize(1200, 1080)
    qtbot.waitUntil(lambda: view.gridSize().height() > TILE.height())
    assert view.gridSize().height() <= TILE.height() * MAX_GROWTH
    assert view.gridSize().width() <= TILE.width() * MAX_GROWTH
