"""Product tiles: one per variant, painted by a delegate so a 10,000-variant catalog stays fast."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from popup_pos.domain.money import format_money

if TYPE_CHECKING:
    from popup_pos.services.views import VariantView

ViewRole = Qt.ItemDataRole.UserRole + 1
TILE = QSize(168, 112)
# On a big screen tiles grow up to this much, so the room is used and they are easier to hit.
MAX_GROWTH = 1.45

_BG = QColor("#23262b")
_BG_HOVER = QColor("#2d3238")
_BG_SOLD_OUT = QColor("#17191c")
_TEXT = QColor("#f2f2f2")
_DIM = QColor("#6b7079")
_PRICE = QColor("#2ecc71")
_AMBER = QColor("#f5a623")
_RED = QColor("#e74c3c")
# What a fan gets for a product without a stock count: a ticket, a download code.
_KIND = {"experience": "TICKET", "digital": "CODE"}

Index = QModelIndex | QPersistentModelIndex


class TileModel(QAbstractListModel):
    """The variants on screen, filtered by category and search text."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self._all: list[VariantView] = []
        self._shown: list[VariantView] = []
        self._category: str | None = None
        self._needle = ""
        # Experiences' corners ('12 left', 'next 20:40', 'FULL') by variant id, from the queue.
        self._experience_badges: dict[int, str] = {}

    def set_variants(self, variants: Sequence[VariantView]) -> None:
        self._all = list(variants)
        self._apply()

    def update_variants(self, by_id: dict[int, VariantView]) -> None:
        """New stock or prices for the same variants: repaint without resetting the view."""
        self._all = [by_id.get(v.id, v) for v in self._all]
        self._shown = [by_id.get(v.id, v) for v in self._shown]
        if self._shown:
            self.dataChanged.emit(self.index(0), self.index(len(self._shown) - 1))

    def set_experience_badges(self, badges: dict[int, str]) -> None:
        if badges != self._experience_badges:
            self._experience_badges = badges
            if self._shown:
                self.dataChanged.emit(self.index(0), self.index(len(self._shown) - 1))

    def badge(self, v: VariantView) -> str:
        return self._experience_badges.get(v.id) or badge_text(v)

    def set_filter(self, *, category: str | None = None, needle: str | None = None) -> None:
        if category is not None:
            self._category = None if category == "All" else category
        if needle is not None:
            self._needle = needle.strip().lower()
        self._apply()

    def _apply(self) -> None:
        def keep(v: VariantView) -> bool:
            if self._category and v.category != self._category:
                return False
            n = self._needle
            return not n or n in v.label.lower() or n in v.sku.lower() or n == (v.barcode or "")

        self.beginResetModel()
        if self._category or self._needle:
            self._shown = [v for v in self._all if keep(v)]
        else:
            self._shown = list(self._all)
        self.endResetModel()

    def categories(self) -> list[str]:
        return sorted({v.category for v in self._all if v.category})

    def variant_at(self, row: int) -> VariantView:
        return self._shown[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self._shown[index.row()]
        if role == ViewRole:
            return v
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{v.label}, {self.price_text(v)}, {self.badge(v)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{v.label}\nSKU {v.sku}" + (f"\nBarcode {v.barcode}" if v.barcode else "")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.isValid() else Qt.ItemFlag.NoItemFlags

    def price_text(self, v: VariantView) -> str:
        if v.price_cents is None:
            return "Enter price"
        return format_money(v.price_cents, self.currency)


def badge_text(v: VariantView) -> str:
    if v.available is None:
        return _KIND.get(v.kind, "")
    if v.available <= 0:
        return "SOLD OUT"
    return f"{v.available} left"


class TileDelegate(QStyledItemDelegate):
    """Paints a tile: name, size, price and a stock badge; sold out is greyed."""

    def __init__(self, model: TileModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._name = QFont()
        self._name.setPointSize(12)
        self._name.setBold(True)
        self._option = QFont()
        self._option.setPointSize(20)
        self._option.setBold(True)
        self._small = QFont()
        self._small.setPointSize(11)
        self._small.setBold(True)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        view = self.parent()
        return view.gridSize() if isinstance(view, QListView) else TILE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        v: VariantView = index.data(ViewRole)
        r = option.rect.adjusted(4, 4, -4, -4)
        sold_out = v.sold_out
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(_BG_SOLD_OUT if sold_out else _BG_HOVER if hover else _BG)
        border = _AMBER if v.low_stock else QColor("#3a3f46")
        if selected:
            border = QColor("#ffffff")
        painter.setPen(QPen(border, 3 if (v.low_stock or selected) else 1))
        painter.drawRoundedRect(r, 8, 8)
        text = _DIM if sold_out else _TEXT
        inner = r.adjusted(10, 6, -10, -6)
        option_text = " / ".join(x for x in v.options.values() if x)
        painter.setFont(self._name)
        painter.setPen(text)
        name_rect = QRect(inner.left(), inner.top(), inner.width(), 40)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        elided = painter.fontMetrics().elidedText(
            v.product_name, Qt.TextElideMode.ElideRight, inner.width() * 2 - 20
        )
        painter.drawText(name_rect, int(flags), elided)
        if option_text:
            painter.setFont(self._option)
            opt_rect = QRect(inner.left(), inner.top() + 40, inner.width(), 30)
            painter.drawText(opt_rect, int(Qt.AlignmentFlag.AlignLeft), option_text)
        painter.setFont(self._small)
        bottom = QRect(inner.left(), inner.bottom() - 20, inner.width(), 20)
        price = self._model.price_text(v)
        painter.setPen(_DIM if sold_out else _PRICE)
        painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft), price)
        badge = self._model.badge(v)
        if badge:
            full = badge in ("FULL", "OVER")
            painter.setPen(
                _RED if sold_out or full else _AMBER if v.low_stock else QColor("#aab0b8")
            )
            painter.drawText(badge_rect(bottom, price, badge, painter.fontMetrics()), 0, badge)
        painter.restore()


# Between the price and the badge when they share the bottom line.
BADGE_GAP = 10


def badge_rect(bottom: QRect, price: str, badge: str, metrics: QFontMetrics) -> QRect:
    """Where the badge goes: right of the price on the bottom line when both fit, else on
    the line above, right-aligned, so '$15.00' and 'next 19:40' never run together."""
    width = metrics.horizontalAdvance(badge)
    rect = QRect(bottom.right() - width + 1, bottom.top(), width, bottom.height())
    if metrics.horizontalAdvance(price) + BADGE_GAP + width > bottom.width():
        rect.translate(0, -bottom.height())
    return rect


class TileView(QListView):
    """The tile grid; activating a tile (click, Enter) asks to add it."""

    picked = Signal(object)  # VariantView

    def __init__(self, model: TileModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tiles")
        self.setModel(model)
        self.setItemDelegate(TileDelegate(model, self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(TILE)
        self.setSpacing(0)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tiles add on a single tap, as a seller expects; keyboard Enter does the same.
        # (Not `activated`: on a double tap it would add a third unit.)
        self.clicked.connect(self._emit)
        self._model = model

    def _emit(self, index: QModelIndex) -> None:
        if index.isValid():
            self.picked.emit(self._model.variant_at(index.row()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Counted as if the scroll bar showed: it comes and goes as tiles are laid out, and
        # the viewport's width with it, without a resize of this view to recount.
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        room = self.width() - 2 * self.frameWidth() - max(bar, 18) - 2
        # As few columns as let the tiles stay under their biggest size: they grow with
        # the room, and a row is always filled edge to edge.
        columns = max(1, -(-room // int(TILE.width() * MAX_GROWTH)))
        if room // columns < TILE.width():
            columns = max(1, room // TILE.width())
        width = max(room // columns, TILE.width())
        grow = max(1.0, min(MAX_GROWTH, self.window().height() / 760))
        size = QSize(width, int(TILE.height() * grow))
        if size != self.gridSize():
            self.setGridSize(size)
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    # Shown where the tiles would be when there are none: a new shop's first screen.
    EMPTY_TEXT = "No items here.\nThe organizer adds products in the Catalog (F3)."

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.EMPTY_TEXT)
            painter.end()
